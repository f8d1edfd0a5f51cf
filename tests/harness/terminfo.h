/* terminfo: the key sequences a TERM sends, for the harness. Apart from harness.c because
 * <term.h> defines a struct term and macros (bell, cursor_visible, …) of its own. */
#ifndef TESTS_HARNESS_TERMINFO_H
#define TESTS_HARNESS_TERMINFO_H

/* A named key and the bytes the terminal sends for it. */
struct harness_key {
    char name[16];
    char seq[32];
};

/* Fills keys[0..max) with the sequences terminfo defines for term's keys in keypad mode (Up,
 * Down, …, F12) and returns how many it found (0 when term is unknown). */
int harness_terminfo_keys(const char *term, struct harness_key *keys, int max);

#endif
