/* What a support person meets when the network or the server fails, with mxtui between them:
 * a slow answer cancelled with Esc while the keyboard stays live, a server that goes away and
 * comes back (a message naming the address and the cause, then F5), a certificate that is not
 * trusted. A relay (tests/support/relay) sits between mxtui and the live mxapid where the test
 * makes the network slow or refuses connections. */
#include "tests/support/http_raw.h"
#include "tests/support/relay.h"
#include "tests/support/test_util.h"
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void to_packages(struct tui *u, struct relay **relay)
{
    struct tui_opts o = {.relay = relay};
    cr_assert_eq(tui_begin(u, &o), 0);
    cr_assert(tui_login(u, "10001", "demo-10001", "Packages of customer 10001"));
    cr_assert(tui_wait(u, "Hosting Plus", TUI_WAIT_MS));
}

Test(tui_failures, esc_cancels_a_slow_request_and_the_keyboard_stays_live)
{
    struct tui u;
    struct relay *relay = NULL;
    to_packages(&u, &relay);
    relay_set_delay_ms(relay, 4000);
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Loading domains", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Esc cancels", TUI_WAIT_MS));
    /* Typing while it loads: the filter line follows at once. */
    tui_type(&u, "ex");
    cr_assert(tui_wait(&u, "/ex", 1000), "the keyboard waited for the network");
    cr_assert(term_has_text(u.t, "Loading domains"), "still loading");
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Cancelled.", 1000));
    cr_assert(tui_wait_gone(&u, "Loading domains", 1000));
    /* The answer that arrives later is not shown: the request is gone. */
    relay_set_delay_ms(relay, 0);
    term_wait_idle(u.t, 300, TUI_WAIT_MS);
    cr_assert_not(term_has_text(u.t, "shop.example.de"));
    /* Esc now clears the filter, and the next Esc goes back. */
    tui_key(&u, "Esc");
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Packages of customer 10001", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_failures, an_unreachable_server_is_named_with_its_cause_and_f5_tries_again)
{
    struct tui u;
    struct relay *relay = NULL;
    to_packages(&u, &relay);
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "shop.example.de", TUI_WAIT_MS));
    relay_set_refuse(relay, true);
    relay_cut(relay);
    tui_key(&u, "Down");
    tui_key(&u, "Enter"); /* delegated.example.de */
    char want[256];
    snprintf(want, sizeof want, "Cannot reach %s: connection refused", u.url);
    cr_assert(tui_wait(&u, want, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "F5 Retry", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "F5 tries again", TUI_WAIT_MS)); /* where the data would be */
    relay_set_refuse(relay, false);
    tui_key(&u, "F5");
    cr_assert(tui_wait(&u, "ns1.delegated-dns.example.", TUI_WAIT_MS));
    cr_assert(tui_wait_gone(&u, "Cannot reach", TUI_WAIT_MS));
    cr_assert(tui_wait_gone(&u, "F5 Retry", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_failures, the_server_stopped_and_started_again_mid_session)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(tui_login(&u, "10001", "demo-10001", "Hosting Plus"));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "shop.example.de", TUI_WAIT_MS));
    cr_assert_geq(server_proc_stop(&u.sp), 0);
    tui_key(&u, "Enter"); /* example.de */
    char want[256];
    snprintf(want, sizeof want, "Cannot reach %s: connection refused", u.url);
    cr_assert(tui_wait(&u, want, TUI_WAIT_MS));
    /* The server comes back on its address (its sessions survive the restart). */
    char listen[64];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", u.sp.port);
    const char *args[] = {"--listen", listen, NULL};
    cr_assert_eq(server_proc_restart(&u.sp, args), 0);
    tui_key(&u, "F5");
    cr_assert(tui_wait(&u, "DNS settings of example.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "v=spf1 mx -all", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "Session expired"));
    tui_end(&u);
}

Test(tui_failures, an_untrusted_certificate_is_refused_and_named)
{
    char dir[256], cert[320], key[320], cmd[1600];
    cr_assert_eq(test_mkdtemp(dir, sizeof dir, "mxtui-tls"), 0);
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' >/dev/null 2>&1",
             key, cert);
    int rc = system(cmd);
    cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "openssl failed");
    const char *server_args[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    struct tui_opts o = {.server_args = server_args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(strncmp(u.url, "https://", 8) == 0, "the server speaks TLS: %s", u.url);
    cr_assert(tui_login(&u, "10001", "demo-10001", "certificate"));
    char want[256];
    snprintf(want, sizeof want, "Cannot reach %s", u.url);
    cr_assert(tui_wait(&u, want, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "certificate not", TUI_WAIT_MS)); /* "… not trusted", wrapped */
    /* With the certificate given as the CA to trust, the same login works. */
    const char *args[] = {"--cacert", cert, NULL};
    struct tui_opts o2 = {.args = args};
    cr_assert_eq(tui_restart_term(&u, &o2), 0);
    cr_assert(tui_login(&u, "10001", "demo-10001", "Packages of customer 10001"));
    tui_end(&u);
    test_rmtree(dir);
}

/* The session ends under mxtui: a second login of the same account with one session allowed
 * ends the older one (mxapid --sessions-per-account 1), as an expiry would. */
static void end_session_behind_mxtui(struct tui *u)
{
    char tok[256];
    cr_assert_eq(http_login(u->sp.port, "10001", "demo-10001", tok, sizeof tok), 201);
}

Test(tui_failures, an_expired_session_asks_for_the_password_and_keeps_the_place)
{
    const char *args[] = {"--sessions-per-account", "1", NULL};
    struct tui_opts o = {.server_args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_login(&u, "10001", "demo-10001", "Hosting Plus"));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "dyn.example.de", TUI_WAIT_MS));
    tui_type(&u, "dyn.example.de");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS settings of dyn.example.de", TUI_WAIT_MS));
    end_session_behind_mxtui(&u);
    tui_type(&u, "r"); /* reload: the request meets the ended session */
    cr_assert(tui_wait(&u, "Session expired", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Logged in as 10001", TUI_WAIT_MS));
    tui_type(&u, "demo-10001");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Logged in again.", TUI_WAIT_MS));
    cr_assert(tui_wait_gone(&u, "Session expired", TUI_WAIT_MS));
    /* The place is kept and the request that failed was sent again. */
    cr_assert(tui_wait(&u,
                       "mxtui \u203A 10001 \u203A Hosting Plus \u203A dyn.example.de \u203A DNS",
                       TUI_WAIT_MS));
    cr_assert(tui_wait_logged_n(&u, "GET /v1/domains/dyn.example.de/dns 200", 2, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "198.51.100.7", TUI_WAIT_MS));
    /* Giving up instead goes to the login screen. */
    end_session_behind_mxtui(&u);
    tui_type(&u, "r");
    cr_assert(tui_wait(&u, "Session expired", TUI_WAIT_MS));
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Your session has expired. Please log in again.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Customer number or staff login", TUI_WAIT_MS));
    tui_end(&u);
}
