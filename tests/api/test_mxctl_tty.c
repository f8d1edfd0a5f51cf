/* bin/mxctl on a terminal (the pty harness) against a live mxapid: the password is asked on the
 * terminal without echo, and the one-time code when the account needs one. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>

#include "tests/harness/harness.h"
#include "tests/support/api_steps.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static struct term *t;

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
}

static void down(void)
{
    term_free(&t);
    server_proc_cleanup(&sp);
}

static void start(const char *login, const char *const *cmd)
{
    static char prog[256];
    const char *bindir = getenv("MXTUI_BINDIR");
    snprintf(prog, sizeof(prog), "%s/mxctl", bindir ? bindir : "bin");
    const char *argv[16] = {prog, "--lang", "en", "--api", sp.url, "--login", login};
    size_t n = 7;
    for (size_t i = 0; cmd[i] && n < 15; i++)
        argv[n++] = cmd[i];
    argv[n] = NULL;
    struct term_opts o = {.argv = argv, .rows = 24, .cols = 100};
    t = term_start(&o);
    cr_assert_not_null(t);
}

static void expect_exit(int want)
{
    int status = -1;
    cr_assert(term_wait_exit(t, 15000, &status), "mxctl did not exit");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == want, "wait status %d, expected exit %d",
              status, want);
}

TestSuite(mxctl_tty, .init = up, .fini = down, .timeout = 60);

Test(mxctl_tty, password_is_asked_without_echo)
{
    const char *cmd[] = {"packages", NULL};
    start("10001", cmd);
    cr_assert(term_wait_text(t, "Password for 10001:", 10000), "no password prompt");
    cr_assert_eq(term_send_text(t, "demo-10001"), 0);
    cr_assert_eq(term_send_key(t, "Enter"), 0);
    cr_assert(term_wait_text(t, "Hosting Plus", 10000), "no packages after the password");
    cr_assert_not(term_has_text(t, "demo-10001"), "the password was echoed");
    expect_exit(0);
}

Test(mxctl_tty, wrong_password_on_the_terminal_exits_3)
{
    const char *cmd[] = {"packages", NULL};
    start("10001", cmd);
    cr_assert(term_wait_text(t, "Password for 10001:", 10000));
    cr_assert_eq(term_send_text(t, "not-the-password"), 0);
    cr_assert_eq(term_send_key(t, "Enter"), 0);
    cr_assert(term_wait_text(t, "[invalid_credentials]", 10000));
    cr_assert_not(term_has_text(t, "not-the-password"), "the password was echoed");
    expect_exit(3);
}

Test(mxctl_tty, one_time_code_is_asked_when_needed)
{
    const char *cmd[] = {"packages", NULL};
    start("10003", cmd);
    cr_assert(term_wait_text(t, "Password for 10003:", 10000));
    cr_assert_eq(term_send_text(t, "demo-10003"), 0);
    cr_assert_eq(term_send_key(t, "Enter"), 0);
    cr_assert(term_wait_text(t, "One-time code:", 10000), "no one-time code prompt");
    char code[7];
    cr_assert_eq(api_totp_now("OTTOZWEIFAKTOR2FADEMOMXTUI234567", code), 0);
    cr_assert_eq(term_send_text(t, code), 0);
    cr_assert_eq(term_send_key(t, "Enter"), 0);
    /* A code typed at a 30 s step boundary can go stale; the server accepts the previous step
     * too, so this holds unless the machine stalls for half a minute. */
    cr_assert(term_wait_text(t, "Hosting Basic", 10000), "no packages after the code");
    expect_exit(0);
}

/* Ctrl-C at the password prompt ends mxctl by SIGINT (the terminal gets its echo back first). */
Test(mxctl_tty, ctrl_c_at_the_prompt_interrupts)
{
    const char *cmd[] = {"packages", NULL};
    start("10001", cmd);
    cr_assert(term_wait_text(t, "Password for 10001:", 10000));
    cr_assert_eq(term_send_key(t, "C-c"), 0);
    int status = 0;
    cr_assert(term_wait_exit(t, 10000, &status), "mxctl kept waiting after Ctrl-C");
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "wait status %d", status);
}

/* Ctrl-Z at the password prompt suspends mxctl (here, as an orphaned process group, the stop
 * itself is discarded by the kernel) and it asks again when it runs on; it used to give up with
 * "no terminal to ask the password on" (exit 1). */
Test(mxctl_tty, ctrl_z_at_the_prompt_asks_again)
{
    const char *cmd[] = {"packages", NULL};
    start("10001", cmd);
    cr_assert(term_wait_text(t, "Password for 10001:", 10000));
    cr_assert_eq(term_send_text(t, "demo"), 0);
    cr_assert_eq(term_send_key(t, "C-z"), 0);
    kill(term_pid(t), SIGCONT); /* what fg does in a shell */
    cr_assert(term_wait_idle(t, 300, 5000));
    cr_assert_not(term_has_text(t, "no terminal"), "mxctl gave up after Ctrl-Z");
    cr_assert_eq(term_send_text(t, "demo-10001"), 0);
    cr_assert_eq(term_send_key(t, "Enter"), 0);
    cr_assert(term_wait_text(t, "Hosting Plus", 10000), "no packages after the password");
    cr_assert_not(term_has_text(t, "demo-10001"), "the password was echoed");
    expect_exit(0);
}
