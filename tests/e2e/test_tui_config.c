/* mxtui started with settings it cannot use: the reason before any screen, exit status 2; and
 * the idle logout of the config file, which ends the session and says why. */
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int exit_status(struct tui *u)
{
    int status = -1;
    cr_assert(term_wait_exit(u->t, TUI_WAIT_MS, &status), "mxtui did not exit");
    cr_assert(WIFEXITED(status), "status %d", status);
    return WEXITSTATUS(status);
}

Test(tui_config, a_bad_config_line_is_an_error_before_the_screen_opens)
{
    struct tui_opts o = {.config = "lang = de\nidle_minutes = soon\n",
                         .no_server = true,
                         .url = "http://127.0.0.1:9"};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "mxtui/config:2: idle_minutes must be", TUI_WAIT_MS));
    cr_assert_eq(exit_status(&u), 2);
    cr_assert_not(term_has_text(u.t, "Log in"), "no screen was opened");
    tui_end(&u);
}

Test(tui_config, plain_http_to_another_host_is_refused_unless_asked_for)
{
    struct tui_opts o = {.no_server = true, .url = "http://192.0.2.1:8080"};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "plain http is only allowed to this machine", TUI_WAIT_MS));
    cr_assert_eq(exit_status(&u), 2);
    tui_end(&u);
    const char *args[] = {"--insecure-http", NULL};
    struct tui_opts o2 = {.no_server = true, .url = "http://192.0.2.1:8080", .args = args};
    cr_assert_eq(tui_begin(&u, &o2), 0);
    cr_assert(tui_wait(&u, "Customer number or staff login", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_config, idle_logout_ends_the_session_and_says_why)
{
    struct tui_opts o = {.config = "idle_minutes = 0.05\n"}; /* three seconds */
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_login(&u, "10001", "demo-10001", "Hosting Plus"));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains in package Hosting Plus", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "You were logged out after 3 seconds without input.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Customer number or staff login", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "Hosting Plus"), "the screens were cleared");
    cr_assert(tui_wait_logged(&u, "DELETE /v1/sessions/current 204", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_config, help_and_version)
{
    const char *args[] = {"--help", NULL};
    struct tui_opts o = {.no_server = true, .url = "http://127.0.0.1:9", .args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "Usage: mxtui [OPTION]...", TUI_WAIT_MS));
    cr_assert_eq(exit_status(&u), 0);
    tui_end(&u);
    const char *vargs[] = {"--version", NULL};
    struct tui_opts ov = {.no_server = true, .url = "http://127.0.0.1:9", .args = vargs};
    cr_assert_eq(tui_begin(&u, &ov), 0);
    cr_assert(tui_wait(&u, "mxtui 0.", TUI_WAIT_MS));
    cr_assert_eq(exit_status(&u), 0);
    tui_end(&u);
}
