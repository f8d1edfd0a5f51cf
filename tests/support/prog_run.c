/* prog_run: one program run with captured output and a deadline. */
#include "tests/support/prog_run.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/test_util.h"

#define ARGS_MAX 40

int prog_run(const char *name, const char *dir, const char *input, const char *const *args,
             int timeout_ms, struct prog_run *r)
{
    memset(r, 0, sizeof(*r));
    r->status = -1;
    const char *bindir = getenv("MXTUI_BINDIR");
    char prog[256], in_path[320], out_path[320], err_path[320];
    if (strchr(name, '/'))
        snprintf(prog, sizeof(prog), "%s", name);
    else
        snprintf(prog, sizeof(prog), "%s/%s", bindir && *bindir ? bindir : "bin", name);
    snprintf(in_path, sizeof(in_path), "%s/stdin", dir);
    snprintf(out_path, sizeof(out_path), "%s/stdout", dir);
    snprintf(err_path, sizeof(err_path), "%s/stderr", dir);
    if (test_write_file(in_path, input ? input : "", input ? strlen(input) : 0) != 0)
        return -1;
    const char *argv[ARGS_MAX];
    size_t n = 0;
    argv[n++] = prog;
    for (size_t i = 0; args && args[i]; i++) {
        if (n == ARGS_MAX - 1)
            return -1;
        argv[n++] = args[i];
    }
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* Only async-signal-safe calls until exec: the test may run threads (a relay). */
        setsid();
        int in = open(in_path, O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(prog, (char *const *)argv);
        _exit(127);
    }
    long long deadline = test_now_ms() + timeout_ms;
    int wst = 0;
    pid_t got = 0;
    while ((got = waitpid(pid, &wst, WNOHANG)) == 0 && test_now_ms() < deadline)
        test_pause_ms(10);
    if (got == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &wst, 0);
    } else if (got == pid && WIFEXITED(wst)) {
        r->status = WEXITSTATUS(wst);
    }
    r->out = test_read_file(out_path, NULL);
    r->err = test_read_file(err_path, NULL);
    if (!r->out || !r->err) {
        prog_run_free(r);
        return -1;
    }
    return 0;
}

int prog_run_mxctl(const char *dir, const char *url, const char *lang, const char *login,
                   const char *input, const char *const *cmd, struct prog_run *r)
{
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw-%s", dir, login);
    const char *args[ARGS_MAX] = {"--lang",          lang, "--api",   url,
                                  "--password-file", pw,   "--login", login};
    size_t n = 8;
    for (size_t i = 0; cmd[i]; i++) {
        if (n == ARGS_MAX - 2)
            return -1;
        args[n++] = cmd[i];
    }
    args[n] = NULL;
    return prog_run("mxctl", dir, input, args, 20000, r);
}

void prog_run_free(struct prog_run *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof(*r));
}
