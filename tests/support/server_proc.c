/* server_proc: starts, stops and kills a live mxapid in a private temp dir. */
#include "tests/support/server_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/test_util.h"

#define START_DEADLINE_MS 10000
#define STOP_DEADLINE_MS  5000
#define MAX_ARGS          64

static int make_dir(struct server_proc *sp)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    int n = snprintf(sp->dir, sizeof sp->dir, "%s/mxapid-test-XXXXXX", tmp);
    if (n < 0 || (size_t)n >= sizeof sp->dir)
        return -1;
    if (mkdtemp(sp->dir) == NULL) {
        fprintf(stderr, "server_proc: mkdtemp %s: %s\n", sp->dir, strerror(errno));
        return -1;
    }
    snprintf(sp->db, sizeof sp->db, "%s/mx.db", sp->dir);
    snprintf(sp->log, sizeof sp->log, "%s/mxapid.log", sp->dir);
    return 0;
}

/* Runs in the forked child: only async-signal-safe calls until exec, since the test may
 * have threads. */
static void child_exec(const char *prog, char *const *argv, int out_w, int log_fd, pid_t parent)
{
    /* A test that crashes must not leave its server behind. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 || dup2(log_fd, 2) < 0)
        _exit(127);
    /* The server must not hold the test's other descriptors (sockets, Criterion's pipes). */
    struct rlimit rl;
    int maxfd = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)maxfd)
        maxfd = (int)rl.rlim_cur;
    for (int fd = 3; fd < maxfd; fd++)
        close(fd);
    execv(prog, argv);
    _exit(127);
}

static long long now_ms(void)
{
    return test_now_ms();
}

/* Reads the first stdout line of the child with a deadline; fills url and port. */
static int read_first_line(struct server_proc *sp)
{
    char line[256] = "";
    size_t len = 0;
    long long deadline = now_ms() + START_DEADLINE_MS;
    for (;;) {
        char *nl = memchr(line, '\n', len);
        if (nl != NULL) {
            *nl = '\0';
            break;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            fprintf(stderr, "server_proc: no listening line within %d ms\n", START_DEADLINE_MS);
            return -1;
        }
        struct pollfd pfd = {.fd = sp->out_fd, .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (len >= sizeof line - 1) {
            fprintf(stderr, "server_proc: first line too long\n");
            return -1;
        }
        ssize_t got = read(sp->out_fd, line + len, sizeof line - 1 - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            fprintf(stderr, "server_proc: mxapid closed stdout before listening\n");
            return -1;
        }
        len += (size_t)got;
    }
    const char *p = strstr(line, "listening on ");
    if (p == NULL) {
        fprintf(stderr, "server_proc: unexpected first line: %s\n", line);
        return -1;
    }
    p += strlen("listening on ");
    size_t ulen = strcspn(p, " \r\t");
    if (ulen == 0 || ulen >= sizeof sp->url)
        return -1;
    memcpy(sp->url, p, ulen);
    sp->url[ulen] = '\0';
    const char *colon = strrchr(sp->url, ':');
    if (colon == NULL ||
        (strncmp(sp->url, "http://", 7) != 0 && strncmp(sp->url, "https://", 8) != 0))
        return -1;
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || port <= 0 || port > 65535) {
        fprintf(stderr, "server_proc: no port in %s\n", sp->url);
        return -1;
    }
    sp->port = (int)port;
    return 0;
}

/* Forks and execs mxapid with args (after the program name); waits for its first line. */
static int spawn(struct server_proc *sp, const char *const *args)
{
    const char *bindir = getenv("MXTUI_BINDIR");
    if (bindir == NULL || bindir[0] == '\0')
        bindir = "bin";
    char prog[512];
    snprintf(prog, sizeof prog, "%s/mxapid", bindir);
    char *argv[MAX_ARGS + 2];
    size_t argc = 0;
    argv[argc++] = prog;
    for (size_t i = 0; args != NULL && args[i] != NULL; i++) {
        if (argc >= MAX_ARGS) {
            fprintf(stderr, "server_proc: too many arguments\n");
            return -1;
        }
        argv[argc++] = (char *)args[i]; /* execv's prototype predates const */
    }
    argv[argc] = NULL;

    int pfd[2];
    if (pipe(pfd) != 0)
        return -1;
    fcntl(pfd[0], F_SETFD, FD_CLOEXEC);
    int log_fd = open(sp->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        child_exec(prog, argv, pfd[1], log_fd, parent);
    close(pfd[1]);
    close(log_fd);
    if (pid < 0) {
        close(pfd[0]);
        return -1;
    }
    sp->pid = pid;
    sp->out_fd = pfd[0];
    sp->port = 0;
    sp->url[0] = '\0';
    if (read_first_line(sp) != 0) {
        server_proc_kill(sp);
        server_proc_dump_log(sp);
        return -1;
    }
    return 0;
}

static int spawn_default(struct server_proc *sp, const char *const *extra_args)
{
    const char *args[MAX_ARGS + 1];
    size_t n = 0;
    const char *fixed[] = {"--listen", "127.0.0.1:0", "--db",        sp->db,
                           "--seed",   "demo",        "--hash-cost", "min"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        args[n++] = fixed[i];
    for (size_t i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
        if (n >= MAX_ARGS)
            return -1;
        args[n++] = extra_args[i];
    }
    args[n] = NULL;
    return spawn(sp, args);
}

int server_proc_start(struct server_proc *sp, const char *const *extra_args)
{
    memset(sp, 0, sizeof *sp);
    sp->out_fd = -1;
    if (make_dir(sp) != 0)
        return -1;
    return spawn_default(sp, extra_args);
}

int server_proc_restart(struct server_proc *sp, const char *const *extra_args)
{
    if (sp->pid > 0)
        server_proc_stop(sp);
    return spawn_default(sp, extra_args);
}

int server_proc_start_argv(struct server_proc *sp, const char *const *args)
{
    memset(sp, 0, sizeof *sp);
    sp->out_fd = -1;
    if (make_dir(sp) != 0)
        return -1;
    return spawn(sp, args);
}

static void close_out(struct server_proc *sp)
{
    if (sp->out_fd > 2)
        close(sp->out_fd);
    sp->out_fd = -1;
}

/* Waits for the child with a deadline; returns its status, or -1 when it did not exit. */
static int reap(pid_t pid, int deadline_ms)
{
    long long deadline = now_ms() + deadline_ms;
    for (;;) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= deadline)
            return -1;
        struct timespec ts = {0, 5L * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int server_proc_stop(struct server_proc *sp)
{
    if (sp->pid <= 0)
        return -1;
    kill(sp->pid, SIGTERM);
    int status = reap(sp->pid, STOP_DEADLINE_MS);
    if (status < 0) {
        fprintf(stderr, "server_proc: mxapid ignored SIGTERM for %d ms; killing it\n",
                STOP_DEADLINE_MS);
        kill(sp->pid, SIGKILL);
        waitpid(sp->pid, &status, 0);
        status = -1;
    }
    sp->pid = 0;
    close_out(sp);
    return status;
}

void server_proc_kill(struct server_proc *sp)
{
    if (sp->pid <= 0)
        return;
    kill(sp->pid, SIGKILL);
    int status;
    while (waitpid(sp->pid, &status, 0) < 0 && errno == EINTR) {
    }
    sp->pid = 0;
    close_out(sp);
}

void server_proc_cleanup(struct server_proc *sp)
{
    if (sp->pid > 0) {
        int status = server_proc_stop(sp);
        /* A sanitizer report or a crash at shutdown shows here, with the log that explains it. */
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "server_proc: mxapid did not exit cleanly on SIGTERM (status %d)\n",
                    status);
            server_proc_dump_log(sp);
        }
    }
    if (sp->dir[0] != '\0')
        test_rmtree(sp->dir);
    sp->dir[0] = '\0';
}

void server_proc_dump_log(const struct server_proc *sp)
{
    size_t len = 0;
    char *text = test_read_file(sp->log, &len);
    if (text == NULL)
        return;
    /* The tail is what explains a failure; a long log would drown the test output. */
    size_t from = len > 4000 ? len - 4000 : 0;
    fprintf(stderr, "---- mxapid log (%s) ----\n%s\n---- end of log ----\n", sp->log, text + from);
    free(text);
}

int server_proc_exec_sql(struct server_proc *sp, const char *sql)
{
    sqlite3 *h = NULL;
    char *err = NULL;
    int rc = sqlite3_open_v2(sp->db, &h, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        /* The server may be writing: wait for its transaction instead of failing at once. */
        sqlite3_busy_timeout(h, 10000);
        rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, &err);
    }
    if (rc == SQLITE_OK) {
        rc = sqlite3_exec(h, sql, NULL, NULL, &err);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(h, "COMMIT", NULL, NULL, &err);
        if (rc != SQLITE_OK)
            sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK)
        fprintf(stderr, "server_proc: SQL on %s: %s\n", sp->db,
                err ? err : (h ? sqlite3_errmsg(h) : sqlite3_errstr(rc)));
    sqlite3_free(err);
    sqlite3_close(h);
    return rc == SQLITE_OK ? 0 : -1;
}
