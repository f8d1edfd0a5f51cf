/* prog_run: runs one of the project's programs as a test would from a shell script — without a
 * terminal, stdin from a file, stdout and stderr captured, with a deadline. */
#ifndef PROG_RUN_H
#define PROG_RUN_H

/* What a run left behind. out and err are NUL-terminated and never NULL after prog_run
 * returned 0. */
struct prog_run {
    int status; /* exit status, -1 when killed (deadline, signal) */
    char *out;
    char *err;
};

/* Runs $MXTUI_BINDIR/name (default bin/; a name with a '/' is a path, e.g. /bin/sh) with args
 * (after the program name, NULL-terminated, at most 38) in a session of its own (setsid: no
 * controlling terminal, so /dev/tty cannot be opened), stdin from input (NULL: empty), stdout and
 * stderr into files in dir. Waits up to timeout_ms, then kills it. Returns 0 and fills *r (free
 * with prog_run_free), or -1. */
int prog_run(const char *name, const char *dir, const char *input, const char *const *args,
             int timeout_ms, struct prog_run *r);
/* Runs mxctl --lang LANG --api URL --password-file DIR/pw-LOGIN --login LOGIN CMD... (cmd
 * NULL-terminated, at most 30 words; the caller wrote the password file) with stdin from input,
 * as prog_run with a deadline of 20 s. */
int prog_run_mxctl(const char *dir, const char *url, const char *lang, const char *login,
                   const char *input, const char *const *cmd, struct prog_run *r);
/* Releases what a run holds and zeroes it. */
void prog_run_free(struct prog_run *r);

#endif
