/* bin/mxctl against a live mxapid: every command, its output, and the exit status of each error
 * class. mxctl runs in its own session (setsid), so it has no terminal to ask on. */
#include <criterion/criterion.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/prog_run.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static char dir[256];

static void up_with(const char *const *extra)
{
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxctl-test"), 0);
    char path[320];
    snprintf(path, sizeof(path), "%s/pw-10001", dir);
    cr_assert_eq(test_write_file(path, "demo-10001\n", 11), 0);
    snprintf(path, sizeof(path), "%s/pw-10002", dir);
    cr_assert_eq(test_write_file(path, "demo-10002\n", 11), 0);
    snprintf(path, sizeof(path), "%s/pw-support", dir);
    cr_assert_eq(test_write_file(path, "demo-support\n", 13), 0);
    snprintf(path, sizeof(path), "%s/pw-bad", dir);
    cr_assert_eq(test_write_file(path, "wrong\n", 6), 0);
}

static void up(void)
{
    up_with(NULL);
}

static void down(void)
{
    server_proc_cleanup(&sp);
    if (dir[0])
        test_rmtree(dir);
}

/* Runs $MXTUI_BINDIR/mxctl with args (NULL-terminated) and stdin from input (NULL: empty);
 * waits up to 20 s. */
static struct prog_run mxctl(const char *input, const char *const *args)
{
    struct prog_run r;
    cr_assert_eq(prog_run("mxctl", dir, input, args, 20000, &r), 0);
    return r;
}

/* mxctl --lang en --api URL --password-file pw-LOGIN --login LOGIN followed by cmd. */
static struct prog_run as(const char *login, const char *input, const char *const *cmd)
{
    struct prog_run r;
    cr_assert_eq(prog_run_mxctl(dir, sp.url, "en", login, input, cmd, &r), 0);
    return r;
}

static void expect_exit(const struct prog_run *r, int status)
{
    cr_assert_eq(r->status, status, "exit %d, expected %d\nstdout: %s\nstderr: %s", r->status,
                 status, r->out, r->err);
}

static long long json_version(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    cr_assert_not_null(j, "not JSON: %s", text);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "version");
    cr_assert(cJSON_IsNumber(v));
    long long out = (long long)v->valuedouble;
    cJSON_Delete(j);
    return out;
}

TestSuite(mxctl, .init = up, .fini = down, .timeout = 120);

Test(mxctl, help_and_usage)
{
    const char *help[] = {"--help", NULL};
    struct prog_run r = mxctl(NULL, help);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "Exit status") || strstr(r.out, "Rückgabewert"), "%s", r.out);
    prog_run_free(&r);
    const char *no_login[] = {"--api", sp.url, "packages", NULL};
    r = mxctl(NULL, no_login);
    expect_exit(&r, 1);
    prog_run_free(&r);
    const char *bad_cmd[] = {"--api", sp.url, "--login", "10001", "frobnicate", NULL};
    r = mxctl(NULL, bad_cmd);
    expect_exit(&r, 1);
    prog_run_free(&r);
}

Test(mxctl, packages)
{
    const char *cmd[] = {"packages", NULL};
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\tHosting Plus\t"), "%s", r.out);
    cr_assert(strstr(r.out, "\tMail Basic\t"), "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl, wrong_password_exits_3)
{
    const char *cmd[] = {"packages", NULL};
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw-bad", dir);
    const char *args[] = {"--api",   sp.url,  "--password-file", pw,
                          "--login", "10001", "packages",        NULL};
    struct prog_run r = mxctl(NULL, args);
    expect_exit(&r, 3);
    cr_assert(strstr(r.err, "invalid_credentials"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    prog_run_free(&r);
    (void)cmd;
}

Test(mxctl, no_password_source_without_a_terminal)
{
    const char *args[] = {"--api", sp.url, "--login", "10001", "packages", NULL};
    struct prog_run r = mxctl(NULL, args);
    expect_exit(&r, 1);
    cr_assert(strstr(r.err, "--password-file"), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl, domains_with_filter)
{
    const char *all[] = {"domains", "1", NULL};
    struct prog_run r = as("10001", NULL, all);
    expect_exit(&r, 0);
    int lines = 0;
    for (const char *p = r.out; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 6, "%s", r.out);
    prog_run_free(&r);
    const char *shop[] = {"domains", "1", "--filter", "shop", NULL};
    r = as("10001", NULL, shop);
    expect_exit(&r, 0);
    cr_assert_str_eq(r.out, "shop.example.de\tshop.example.de\tsubdomain\tcustom\n");
    prog_run_free(&r);
}

Test(mxctl, dns_shows_why_no_own_server)
{
    const char *cmd[] = {"dns", "dyn.example.de", NULL};
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "dyndns            on"), "%s", r.out);
    cr_assert(strstr(r.out, "(dyndns_enabled)"), "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl, mx_get_prints_the_configuration_json)
{
    const char *cmd[] = {"mx", "get", "example.de", NULL};
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 0);
    cJSON *j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(j, "domain")->valuestring, "example.de");
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(j, "mode")->valuestring, "provider");
    cJSON_Delete(j);
    prog_run_free(&r);
}

Test(mxctl, mx_set_then_history)
{
    const char *get[] = {"mx", "get", "example.de", NULL};
    struct prog_run r = as("10001", NULL, get);
    expect_exit(&r, 0);
    long long v = json_version(r.out);
    prog_run_free(&r);
    const char *set[] = {"mx", "set", "example.de", NULL};
    r = as("10001",
           "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}],"
           "\"backup\":[{\"host\":\"mx2.example.de.\",\"priority\":20}]}",
           set);
    expect_exit(&r, 0);
    cr_assert_eq(json_version(r.out), v + 1);
    cr_assert(strstr(r.out, "\"mx2.example.de.\""), "%s", r.out);
    prog_run_free(&r);
    const char *hist[] = {"history", "example.de", NULL};
    r = as("10001", NULL, hist);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "update: provider -> custom primary: mail.example.de. (10) backup: "
                            "mx2.example.de. (20)"),
              "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl, mx_set_of_a_stale_get_output_is_a_conflict)
{
    const char *get[] = {"mx", "get", "example.de", NULL};
    struct prog_run old = as("10001", NULL, get);
    expect_exit(&old, 0);
    /* Someone else saves meanwhile. */
    const char *set[] = {"mx", "set", "example.de", NULL};
    struct prog_run r = as("10001", "{\"mode\":\"none\"}", set);
    expect_exit(&r, 0);
    prog_run_free(&r);
    /* The old full output still carries the old version: 409, nothing overwritten. */
    r = as("10001", old.out, set);
    expect_exit(&r, 5);
    cr_assert(strstr(r.err, "[stale]"), "%s", r.err);
    cr_assert(strstr(r.err, "\"mode\":\t\"none\"") || strstr(r.err, "\"mode\": \"none\""), "%s",
              r.err);
    prog_run_free(&r);
    prog_run_free(&old);
}

/* A version that is not a whole number >= 0 is no `mx get` output: refused (exit 1) before
 * anything is sent. It used to be ignored, and the save then took the server's current version:
 * a change made meanwhile was overwritten without a conflict. */
Test(mxctl, mx_set_refuses_a_version_that_is_not_one)
{
    const char *set[] = {"mx", "set", "example.de", NULL};
    static const char *const bad[] = {
        "{\"mode\":\"none\",\"version\":\"1\"}", "{\"mode\":\"none\",\"version\":-1}",
        "{\"mode\":\"none\",\"version\":1.5}",   "{\"mode\":\"none\",\"version\":1e300}",
        "{\"mode\":\"none\",\"version\":null}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct prog_run r = as("10001", bad[i], set);
        expect_exit(&r, 1);
        cr_assert(strstr(r.err, "version"), "%s: %s", bad[i], r.err);
        prog_run_free(&r);
    }
    const char *get[] = {"mx", "get", "example.de", NULL};
    struct prog_run r = as("10001", NULL, get);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\"provider\""), "nothing was saved: %s", r.out);
    prog_run_free(&r);
}

Test(mxctl, mx_set_rule_errors_print_every_detail)
{
    const char *set[] = {"mx", "set", "example.de", NULL};
    struct prog_run r = as("10001",
                           "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de\","
                           "\"priority\":50}],\"backup\":[{\"host\":\"mx2.example.de.\","
                           "\"priority\":10}]}",
                           set);
    expect_exit(&r, 6);
    cr_assert(strstr(r.err, "primary[0].host: "), "%s", r.err);
    cr_assert(strstr(r.err, "(no_trailing_dot)"), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl, mx_set_refuses_unknown_fields_and_bad_json)
{
    const char *set[] = {"mx", "set", "example.de", NULL};
    struct prog_run r = as("10001", "{\"mode\":\"provider\",\"colour\":\"blue\"}", set);
    expect_exit(&r, 1);
    cr_assert(strstr(r.err, "colour"), "%s", r.err);
    prog_run_free(&r);
    r = as("10001", "{\"mode\":", set);
    expect_exit(&r, 1);
    prog_run_free(&r);
    r = as("10001", "{\"mode\":\"custom\",\"primary\":\"mail.example.de.\"}", set);
    expect_exit(&r, 1);
    prog_run_free(&r);
}

Test(mxctl, mx_check_verdicts_and_sanitised_output)
{
    const char *ok[] = {"mx", "check", "example.de", "mail.example.de.", "v6.example.de.", NULL};
    struct prog_run r = as("10001", NULL, ok);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "mail.example.de.\taccept\tok\t"), "%s", r.out);
    cr_assert(strstr(r.out, "v6.example.de.\twarn\taaaa_only\t"), "%s", r.out);
    prog_run_free(&r);
    const char *bad[] = {"mx", "check", "example.de", "alias.example.de.", "evil\x1b[31m.de.",
                         NULL};
    r = as("10001", NULL, bad);
    expect_exit(&r, 6);
    cr_assert(strstr(r.out, "alias.example.de.\treject\tcname_target\t"), "%s", r.out);
    cr_assert_null(strchr(r.out, '\x1b'), "a raw ESC reached the terminal");
    cr_assert(strstr(r.out, "evil\\x1b[31m.de.\treject\t"), "%s", r.out);
    prog_run_free(&r);
    /* A right-to-left override would reorder the line on the terminal. */
    static const char rlo_host[] = "ab\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */ "cd.de.";
    const char *bidi[] = {"mx", "check", "example.de", rlo_host, NULL};
    r = as("10001", NULL, bidi);
    expect_exit(&r, 6);
    cr_assert_null(strstr(r.out, "\xe2\x80\xae"), "a raw U+202E reached the terminal");
    cr_assert(strstr(r.out, "ab\\u{202e}cd.de.\treject\t"), "%s", r.out);
    prog_run_free(&r);
    /* Invisible characters the widgets escape must not pass mxctl either: a tag letter, a
     * variation selector, a line separator, a combining grapheme joiner, a Hangul filler. */
    static const struct {
        const char *host, *shown;
    } hidden[] = {
        {"ab\xf3\xa0\x81\x81"
         "cd.de.",
         "ab\\u{e0041}cd.de."},
        {"ab\xef\xb8\x8f"
         "cd.de.",
         "ab\\u{fe0f}cd.de."},
        {"ab\xe2\x80\xa8"
         "cd.de.",
         "ab\\u{2028}cd.de."},
        {"ab\xcd\x8f"
         "cd.de.",
         "ab\\u{034f}cd.de."},
        {"ab\xe3\x85\xa4"
         "cd.de.",
         "ab\\u{3164}cd.de."},
    };
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
        const char *cmd[] = {"mx", "check", "example.de", hidden[i].host, NULL};
        r = as("10001", NULL, cmd);
        expect_exit(&r, 6);
        cr_expect_null(strstr(r.out, hidden[i].host), "%s passed raw", hidden[i].shown);
        cr_expect(strstr(r.out, hidden[i].shown), "want %s in: %s", hidden[i].shown, r.out);
        prog_run_free(&r);
    }
}

Test(mxctl, mx_set_prints_warnings)
{
    const char *set[] = {"mx", "set", "example.de", NULL};
    struct prog_run r = as("10001",
                           "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\","
                           "\"priority\":10}],\"backup\":[{\"host\":\"v6.example.de.\","
                           "\"priority\":20}]}",
                           set);
    expect_exit(&r, 0);
    cr_assert(strstr(r.err, "mxctl: warning: backup[0].host: "), "%s", r.err);
    cr_assert(strstr(r.err, "(aaaa_only)"), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl, other_customers_domain_exits_4)
{
    const char *cmd[] = {"mx", "get", "example.de", NULL};
    struct prog_run r = as("10002", NULL, cmd);
    expect_exit(&r, 4);
    cr_assert(strstr(r.err, "not_found"), "%s", r.err);
    prog_run_free(&r);
    const char *cust[] = {"customers", "100", NULL};
    r = as("10001", NULL, cust);
    expect_exit(&r, 4);
    prog_run_free(&r);
}

Test(mxctl, staff_names_the_customer)
{
    const char *none[] = {"packages", NULL};
    struct prog_run r = as("support", NULL, none);
    expect_exit(&r, 1);
    prog_run_free(&r);
    const char *cmd[] = {"packages", "10002", NULL};
    r = as("support", NULL, cmd);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\tStarter\t"), "%s", r.out);
    prog_run_free(&r);
    const char *find[] = {"customers", "Muster", NULL};
    r = as("support", NULL, find);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "10001\tErika Mustermann\t"), "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl, provider_profile_json)
{
    const char *cmd[] = {"provider", NULL};
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 0);
    cJSON *j = cJSON_Parse(r.out);
    cr_assert_not_null(j, "%s", r.out);
    cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "mail_hosts")));
    cJSON_Delete(j);
    prog_run_free(&r);
}

Test(mxctl, stopped_server_exits_2_in_german_too)
{
    server_proc_stop(&sp);
    const char *cmd[] = {"packages", NULL};
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 2);
    prog_run_free(&r);
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw-10001", dir);
    const char *de[] = {"--lang", "de",      "--api", sp.url,     "--password-file",
                        pw,       "--login", "10001", "packages", NULL};
    r = mxctl(NULL, de);
    expect_exit(&r, 2);
    /* The address and the cause, in the chosen language. */
    char want[128];
    snprintf(want, sizeof(want), "Keine Verbindung zu %s: Verbindung abgelehnt", sp.url);
    cr_assert(strstr(r.err, want), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl, plain_http_elsewhere_is_refused)
{
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw-10001", dir);
    const char *args[] = {
        "--api", "http://192.0.2.1:8080", "--password-file", pw, "--login", "10001", "packages",
        NULL};
    struct prog_run r = mxctl(NULL, args);
    expect_exit(&r, 2);
    cr_assert(strstr(r.err, "https"), "%s", r.err);
    prog_run_free(&r);
}

TestSuite(mxctl_throttle, .fini = down, .timeout = 60);

Test(mxctl_throttle, throttled_login_exits_7)
{
    const char *extra[] = {"--login-attempts", "2", "--login-window", "60", NULL};
    up_with(extra);
    const char *cmd[] = {"packages", NULL};
    for (int i = 0; i < 2; i++) {
        char pw[320];
        snprintf(pw, sizeof(pw), "%s/pw-bad", dir);
        const char *args[] = {"--api",   sp.url,  "--password-file", pw,
                              "--login", "10001", "packages",        NULL};
        struct prog_run r = mxctl(NULL, args);
        expect_exit(&r, 3);
        prog_run_free(&r);
    }
    struct prog_run r = as("10001", NULL, cmd);
    expect_exit(&r, 7);
    cr_assert(strstr(r.err, "retry after"), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl, otp_from_a_file)
{
    const char *cmd[] = {"packages", NULL};
    char pw[320], otp[320];
    snprintf(pw, sizeof(pw), "%s/pw-10003", dir);
    cr_assert_eq(test_write_file(pw, "demo-10003\n", 11), 0);
    /* No terminal to ask the code on: the login fails as such. */
    struct prog_run r = as("10003", NULL, cmd);
    expect_exit(&r, 3);
    cr_assert(strstr(r.err, "otp_required"), "%s", r.err);
    prog_run_free(&r);
    snprintf(otp, sizeof(otp), "%s/otp", dir);
    int status = -1;
    for (int i = 0; i < 2 && status != 0; i++) {
        char code[8];
        cr_assert_eq(api_totp_now("OTTOZWEIFAKTOR2FADEMOMXTUI234567", code), 0);
        code[6] = '\n';
        cr_assert_eq(test_write_file(otp, code, 7), 0);
        const char *args[] = {"--api", sp.url,    "--password-file", pw,         "--otp-file",
                              otp,     "--login", "10003",           "packages", NULL};
        r = mxctl(NULL, args);
        status = r.status;
        if (status == 0)
            cr_assert(strstr(r.out, "\tHosting Basic\t"), "%s", r.out);
        prog_run_free(&r);
    }
    cr_assert_eq(status, 0);
}

/* A self-signed certificate for 127.0.0.1: refused without --cacert, accepted with it. */
Test(mxctl, https_needs_the_cacert)
{
    char key[320], cert[320], cmd[1000];
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
    snprintf(cmd, sizeof(cmd),
             "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext "
             "'subjectAltName=IP:127.0.0.1,DNS:localhost' -days 1 -keyout '%s' -out '%s' "
             ">/dev/null 2>&1",
             key, cert);
    cr_assert_eq(system(cmd), 0, "openssl failed");
    server_proc_cleanup(&sp);
    const char *extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0);
    cr_assert_eq(strncmp(sp.url, "https://", 8), 0, "url %s", sp.url);
    const char *get[] = {"mx", "get", "example.de", NULL};
    struct prog_run r = as("10001", NULL, get);
    expect_exit(&r, 2);
    cr_assert(strstr(r.err, "certificate not trusted"), "%s", r.err);
    cr_assert(strstr(r.err, sp.url), "%s", r.err);
    prog_run_free(&r);
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw-10001", dir);
    const char *args[] = {"--api",   sp.url,  "--cacert", cert,  "--password-file", pw,
                          "--login", "10001", "mx",       "get", "example.de",      NULL};
    r = mxctl(NULL, args);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\"example.de\""), "%s", r.out);
    prog_run_free(&r);
}
