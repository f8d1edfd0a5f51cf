/* run_proc: fork + exec with stdout/stderr into temp files and a deadline. */
#include "tests/support/run_proc.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/test_util.h"

int run_proc(const char *const *argv, int timeout_ms, struct run_proc *out)
{
    memset(out, 0, sizeof *out);
    out->status = -1;
    char dir[256], out_path[300], err_path[300];
    if (test_mkdtemp(dir, sizeof dir, "run-proc") != 0)
        return -1;
    snprintf(out_path, sizeof out_path, "%s/out", dir);
    snprintf(err_path, sizeof err_path, "%s/err", dir);
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        setsid();
        int in = open("/dev/null", O_RDONLY);
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
            _exit(127);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        if (strchr(argv[0], '/'))
            execv(argv[0], (char *const *)argv);
        else
            execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int ret = -1;
    if (pid > 0) {
        long long deadline = test_now_ms() + timeout_ms;
        int wst = 0;
        pid_t got = 0;
        while ((got = waitpid(pid, &wst, WNOHANG)) == 0 && test_now_ms() < deadline)
            test_pause_ms(5);
        if (got == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &wst, 0);
        } else if (got == pid && WIFEXITED(wst)) {
            out->status = WEXITSTATUS(wst);
            ret = 0;
        }
    }
    out->out = test_read_file(out_path, NULL);
    out->err = test_read_file(err_path, NULL);
    if (!out->out)
        out->out = calloc(1, 1);
    if (!out->err)
        out->err = calloc(1, 1);
    test_rmtree(dir);
    return ret;
}

void run_proc_free(struct run_proc *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}
