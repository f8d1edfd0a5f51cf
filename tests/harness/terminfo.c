/* Key sequences from terminfo for the harness; see terminfo.h. */
#include "tests/harness/terminfo.h"

#include <curses.h>
#include <stdio.h>
#include <term.h>
#include <unistd.h>

int harness_terminfo_keys(const char *term, struct harness_key *keys, int max)
{
    static const struct {
        const char *name, *cap;
    } caps[] = {
        {"Up", "kcuu1"},     {"Down", "kcud1"},   {"Left", "kcub1"},    {"Right", "kcuf1"},
        {"Home", "khome"},   {"End", "kend"},     {"PageUp", "kpp"},    {"PageDown", "knp"},
        {"Insert", "kich1"}, {"Delete", "kdch1"}, {"Backspace", "kbs"}, {"BackTab", "kcbt"},
        {"F1", "kf1"},       {"F2", "kf2"},       {"F3", "kf3"},        {"F4", "kf4"},
        {"F5", "kf5"},       {"F6", "kf6"},       {"F7", "kf7"},        {"F8", "kf8"},
        {"F9", "kf9"},       {"F10", "kf10"},     {"F11", "kf11"},      {"F12", "kf12"},
    };
    int n = 0, err = 0;
    TERMINAL *saved = cur_term;
    if (setupterm((char *)term, STDERR_FILENO, &err) != OK)
        return 0;
    for (size_t i = 0; i < sizeof caps / sizeof caps[0] && n < max; i++) {
        char *s = tigetstr((char *)caps[i].cap);
        if (!s || s == (char *)-1)
            continue;
        snprintf(keys[n].name, sizeof keys[n].name, "%s", caps[i].name);
        snprintf(keys[n].seq, sizeof keys[n].seq, "%s", s);
        n++;
    }
    del_curterm(cur_term);
    set_curterm(saved);
    return n;
}
