/* server_proc: a live mxapid for tests — started on 127.0.0.1 port 0 with a private temp dir. */
#ifndef SERVER_PROC_H
#define SERVER_PROC_H

#include <sys/types.h>

/* One running (or stopped) mxapid. pid is 0 when not running; url is "http://127.0.0.1:PORT"
 * (https with TLS); dir is the private temp dir holding db (the SQLite file) and log (its
 * stderr). out_fd is the read end of its stdout, kept open so a later write cannot SIGPIPE it. */
struct server_proc {
    pid_t pid;
    int port;
    char url[64];
    char dir[256];
    char db[320];
    char log[320];
    int out_fd;
};

/* Starts $MXTUI_BINDIR/mxapid --listen 127.0.0.1:0 --db <dir>/mx.db --seed demo --hash-cost min
 * followed by extra_args (NULL-terminated, may be NULL); stderr goes to <dir>/mxapid.log. Waits (10
 * s deadline) for the first stdout line and parses the URL. Returns 0, or -1 (with the log on
 * stderr). */
int server_proc_start(struct server_proc *sp, const char *const *extra_args);
/* Same, reusing sp->dir and sp->db (for restarts after a kill); keeps the database. */
int server_proc_restart(struct server_proc *sp, const char *const *extra_args);
/* Like server_proc_start but with the whole argument list after the program name given by the
 * caller (no defaults added); for tests of the command line itself. dir is still created. */
int server_proc_start_argv(struct server_proc *sp, const char *const *args);
/* SIGTERM and wait (5 s, then SIGKILL); keeps the dir. Returns the exit status as waitpid
 * reported it, or -1 when nothing was running. */
int server_proc_stop(struct server_proc *sp);
/* SIGKILL and reap: the crash the durability test needs. */
void server_proc_kill(struct server_proc *sp);
/* Stops the server if running and removes the temp dir. */
void server_proc_cleanup(struct server_proc *sp);
/* Runs sql (one or more statements) on the server's database file sp->db, in one transaction,
 * for test data the API cannot make (hostile names, rows of an older schema). Safe while the
 * server is stopped; also while it runs, for data changes only: the database is in WAL mode,
 * so the write waits (busy timeout 10 s) for the server's writer and the server's next read
 * sees it. Schema changes need the server stopped (restart it after). Returns 0, or -1 with
 * SQLite's message on stderr. */
int server_proc_exec_sql(struct server_proc *sp, const char *sql);
/* Prints the server's log (stderr) to our stderr, for a failing test's diagnosis. */
void server_proc_dump_log(const struct server_proc *sp);

#endif
