/* mxtui's login screen as a person meets it: wrong password then right, the one-time code of a
 * 2FA account, the countdown after too many failures, a prefilled login, and what the process
 * keeps of the password. Against a live mxapid, through the pty harness. */
#include "tests/support/api_steps.h"
#include "tests/support/test_util.h"
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char TOTP_SECRET[] = "OTTOZWEIFAKTOR2FADEMOMXTUI234567";

Test(tui_login, wrong_password_then_right)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(tui_wait(&u, "Customer number or staff login", TUI_WAIT_MS));
    tui_type(&u, "10001");
    tui_key(&u, "Enter");
    tui_type(&u, "wrong-password");
    tui_key(&u, "Enter");
    /* The server's message, in place on the login screen. */
    cr_assert(tui_wait(&u, "Login or password is wrong", TUI_WAIT_MS));
    /* The password field is empty again and has the focus: typing the right one logs in. */
    int r, c;
    cr_assert(term_find(u.t, "Password", &r, &c));
    char row[256];
    term_row_text(u.t, r, row, sizeof row);
    cr_assert_null(strstr(row, "\u2022"), "the password field is cleared: %s", row);
    int cr_, cc;
    term_cursor(u.t, &cr_, &cc, NULL);
    cr_assert_eq(cr_, r, "the cursor stands in the password field (row %d, want %d)", cr_, r);
    tui_type(&u, "demo-10001");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Packages of customer 10001", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Hosting Plus", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_login, one_time_code_is_asked_for_when_the_account_has_it)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(tui_wait(&u, "Password", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "One-time code"), "no code field before it is needed");
    tui_type(&u, "10003");
    tui_key(&u, "Enter");
    tui_type(&u, "demo-10003");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "One-time code", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "one-time code of your authenticator", TUI_WAIT_MS));
    /* The cursor is in the new field; the password was kept, so the code is all that is
     * typed. */
    char code[7];
    api_totp_now(TOTP_SECRET, code);
    /* A wrong code first: the server says otp_required again (as for none); the screen says
     * the code was not accepted, and the field is empty for the next one. */
    char wrong[7];
    memcpy(wrong, code, sizeof wrong);
    wrong[0] = (char)(wrong[0] == '9' ? '0' : wrong[0] + 1);
    tui_type(&u, wrong);
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "The one-time code was not accepted.", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, wrong), "the wrong code is still in the field");
    api_totp_now(TOTP_SECRET, code);
    tui_type(&u, code);
    tui_key(&u, "Enter");
    /* 10003 has one package: the packages screen passes straight on to its domains (it may
     * never be drawn when both answers come in one turn, so it is not waited for). */
    cr_assert(tui_wait(&u, "Domains in package Hosting Basic", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_login, throttling_counts_down_and_refuses_until_it_ran_out)
{
    const char *args[] = {"--login-attempts", "2", "--login-window", "4", NULL};
    struct tui_opts o = {.server_args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "Password", TUI_WAIT_MS));
    tui_type(&u, "10002");
    tui_key(&u, "Enter");
    for (int i = 1; i <= 3; i++) {
        tui_type(&u, "nope");
        tui_key(&u, "Enter");
        /* One answer at a time: the next try is typed after this one was answered. */
        cr_assert(tui_wait_logged_n(&u, "POST /v1/sessions 4", i, TUI_WAIT_MS));
        term_wait_idle(u.t, 50, TUI_WAIT_MS);
    }
    cr_assert(tui_wait(&u, "Too many failed logins. Try again in", TUI_WAIT_MS));
    /* The right password is refused by mxtui itself while the countdown runs. */
    tui_type(&u, "demo-10002");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Try again in", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "Packages of customer"));
    cr_assert_eq(tui_server_log_count(&u, "POST /v1/sessions"), 3, "nothing was sent meanwhile");
    /* The countdown runs out; the password typed meanwhile is still there, and Enter logs in. */
    cr_assert(tui_wait(&u, "You can log in again", 8000));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains in package Starter", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_login, login_option_prefills_the_first_field)
{
    const char *args[] = {"--login", "10002", NULL};
    struct tui_opts o = {.args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "10002", TUI_WAIT_MS));
    /* The focus is already on the password. */
    tui_type(&u, "demo-10002");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains in package Starter", TUI_WAIT_MS));
    tui_end(&u);
}

/* Reads every readable, writable mapping of pid and says whether needle is in it. */
static bool memory_holds(int pid, const char *needle)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    cr_assert_not_null(maps);
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    int mem = open(path, O_RDONLY);
    cr_assert_geq(mem, 0, "cannot read the memory of mxtui (ptrace permission?)");
    bool found = false;
    size_t nlen = strlen(needle);
    char line[512];
    while (!found && fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' || perms[1] != 'w')
            continue;
        /* Sanitizer builds reserve shadow regions of terabytes that hold no data of mxtui's:
         * its heap and stacks are far smaller. */
        if (hi - lo > (1ul << 30))
            continue;
        /* In chunks, overlapping by the needle's length. */
        enum { CHUNK = 1 << 20 };
        static char buf[CHUNK];
        for (unsigned long at = lo; at < hi && !found;) {
            size_t want = hi - at < CHUNK ? hi - at : CHUNK;
            ssize_t got = pread(mem, buf, want, (off_t)at);
            if (got <= 0)
                break;
            for (ssize_t i = 0; i + (ssize_t)nlen <= got; i++)
                if (buf[i] == needle[0] && !memcmp(buf + i, needle, nlen)) {
                    found = true;
                    break;
                }
            if ((size_t)got < nlen)
                break;
            at += (unsigned long)got - nlen + 1;
        }
    }
    close(mem);
    fclose(maps);
    return found;
}

Test(tui_login, the_password_is_not_kept_in_memory_after_the_login)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    /* A password of its own, so that no other copy (a test string, the seed) can match. */
    const char *secret = "Zq7-unguessable-Pw-4242";
    cr_assert(tui_login(&u, "10001", secret, "Login or password is wrong"));
    cr_assert(tui_login(&u, NULL, "demo-10001", "Packages of customer 10001"));
    term_wait_idle(u.t, 100, TUI_WAIT_MS);
    cr_assert_not(memory_holds(term_pid(u.t), secret), "the failed password is still in memory");
    cr_assert_not(memory_holds(term_pid(u.t), "demo-10001"), "the password is still in memory");
    tui_end(&u);
}
