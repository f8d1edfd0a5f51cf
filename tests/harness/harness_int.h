/* harness_int: the insides of struct term, shared by harness.c and render.c only. */
#ifndef TESTS_HARNESS_INT_H
#define TESTS_HARNESS_INT_H

#include "tests/harness/harness.h"
#include "tests/harness/terminfo.h"

#include <stdbool.h>
#include <sys/types.h>
#include <vterm.h>

enum { HARNESS_MAX_KEYS = 32 };

/* The colours a default foreground/background cell is drawn with in pictures. */
enum { HARNESS_DEFAULT_FG = 0xD0D0D0, HARNESS_DEFAULT_BG = 0x101418 };

struct term {
    pid_t pid;
    int fd; /* pty master */
    bool eof, exited;
    int status;
    int rows, cols;
    VTerm *vt;
    VTermScreen *screen;
    size_t bytes, mark;
    bool title_changed, cursor_visible, reverse_video;
    char *title;
    int unknown_seqs, bells;
    char term_name[64];
    bool keys_loaded;
    int nkeys;
    struct harness_key keys[HARNESS_MAX_KEYS];
};

#endif
