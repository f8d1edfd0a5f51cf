/* run_proc: runs a program to its end with a deadline and collects what it printed — for the
 * command-line tools tests call (dig, mxctl) the way a person would. */
#ifndef RUN_PROC_H
#define RUN_PROC_H

/* The outcome of one run; out and err are malloc'd, NUL-terminated (free with run_proc_free). */
struct run_proc {
    int status; /* exit status; -1 when killed by a signal, timed out or not started */
    char *out;
    char *err;
};

/* Runs argv[0] (a path, not searched in PATH unless it has no '/') with argv, stdin from
 * /dev/null, in its own session (no terminal), killed after timeout_ms. Returns 0 when it ran
 * and exited (status in out), -1 otherwise. */
int run_proc(const char *const *argv, int timeout_ms, struct run_proc *out);
/* Frees out and err; zeroes r. */
void run_proc_free(struct run_proc *r);

#endif
