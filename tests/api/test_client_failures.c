/* Failures a support person meets, through api/client and bin/mxctl: the message names the
 * server's address and the cause, in English and German — a refused port, a live mxapid that
 * never answers (stopped with SIGSTOP), a port whose backlog is full (no connection), mxapid
 * with a self-signed certificate without --cacert, with a certificate for another name, and
 * https to a plain-http mxapid. (A connection cut mid-reply: test_relay.c, through the relay;
 * every cause, also "host name not found", which needs a resolver: unit/test_transport.c.) */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "tests/support/api_steps.h"
#include "tests/support/prog_run.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static char dir[256];
static bool stopped;

static void up(void)
{
    cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxtui-failures"), 0);
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw", dir);
    cr_assert_eq(test_write_file(pw, "demo-10001\n", 11), 0);
}

static void down(void)
{
    if (stopped && sp.pid > 0)
        kill(sp.pid, SIGCONT);
    stopped = false;
    server_proc_cleanup(&sp);
    if (dir[0])
        test_rmtree(dir);
}

TestSuite(failures, .init = up, .fini = down, .timeout = 60);

struct outcome {
    enum api_status status;
    char message[512];
};

/* One login through a fresh client for url in lang, with these timeouts (0: defaults). */
static struct outcome login_at(const char *url, const char *cacert, enum mx_lang lang,
                               long connect_ms, long total_ms)
{
    struct api_client_options o = {.base_url = url,
                                   .cacert = cacert,
                                   .lang = lang,
                                   .connect_timeout_ms = connect_ms,
                                   .timeout_ms = total_ms};
    enum api_status st;
    struct api_client *c = api_client_new(&o, &st);
    cr_assert_not_null(c, "api_client_new(%s): %s", url, api_status_name(st));
    struct api_sync s = {0};
    struct api_result *res =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    cr_assert_not_null(res);
    struct outcome out = {.status = res->status};
    snprintf(out.message, sizeof(out.message), "%s", res->error.message);
    api_result_free(&res);
    api_client_free(&c);
    return out;
}

static void expect(const struct outcome *o, enum api_status st, const char *message)
{
    cr_assert_eq(o->status, st, "status %s, want %s (%s)", api_status_name(o->status),
                 api_status_name(st), o->message);
    cr_assert_str_eq(o->message, message);
}

/* mxctl --lang LANG --api URL [OPTION VALUE] ... packages; asserts exit 2 and want in stderr. */
static void mxctl_says(const char *lang, const char *url, const char *option, const char *value,
                       const char *want)
{
    char pw[320];
    snprintf(pw, sizeof(pw), "%s/pw", dir);
    const char *args[16];
    size_t n = 0;
    const char *fixed[] = {"--lang", lang, "--api", url, "--password-file", pw};
    for (size_t i = 0; i < 6; i++)
        args[n++] = fixed[i];
    if (option) {
        args[n++] = option;
        args[n++] = value;
    }
    args[n++] = "--login";
    args[n++] = "10001";
    args[n++] = "packages";
    args[n] = NULL;
    struct prog_run r;
    cr_assert_eq(prog_run("mxctl", dir, NULL, args, 20000, &r), 0);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, want), "want \"%s\" in: %s", want, r.err);
    prog_run_free(&r);
}

Test(failures, refused_port)
{
    char url[64], en[160], de[160];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", test_free_port(false));
    snprintf(en, sizeof(en), "Cannot reach %s: connection refused", url);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: Verbindung abgelehnt", url);
    struct outcome o = login_at(url, NULL, MX_LANG_EN, 0, 0);
    expect(&o, API_ERR_NETWORK, en);
    o = login_at(url, NULL, MX_LANG_DE, 0, 0);
    expect(&o, API_ERR_NETWORK, de);
    /* The generic sentence stays what it was. */
    cr_assert_str_eq(api_status_message(API_ERR_NETWORK, MX_LANG_EN),
                     "The server cannot be reached. Check the address and the network.");
    mxctl_says("en", url, NULL, NULL, en);
    mxctl_says("de", url, NULL, NULL, de);
    /* A password in the URL is not repeated. */
    char with_pw[96];
    snprintf(with_pw, sizeof(with_pw), "http://user:secret@%s", url + 7);
    o = login_at(with_pw, NULL, MX_LANG_EN, 0, 0);
    expect(&o, API_ERR_NETWORK, en);
}

/* A live mxapid that accepted the connection and then says nothing: SIGSTOP. */
Test(failures, server_that_never_answers)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(kill(sp.pid, SIGSTOP), 0);
    stopped = true;
    char en[256], de[256];
    snprintf(en, sizeof(en), "Cannot reach %s: no answer within 1.5 s", sp.url);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: keine Antwort innerhalb von 1,5 s", sp.url);
    long long t0 = test_now_ms();
    struct outcome o = login_at(sp.url, NULL, MX_LANG_EN, 0, 1500);
    cr_assert_geq(test_now_ms() - t0, 1400);
    expect(&o, API_ERR_TIMEOUT, en);
    o = login_at(sp.url, NULL, MX_LANG_DE, 0, 1500);
    expect(&o, API_ERR_TIMEOUT, de);
    snprintf(en, sizeof(en), "Cannot reach %s: no answer within 1 s", sp.url);
    mxctl_says("en", sp.url, "--timeout", "1", en);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: keine Antwort innerhalb von 1 s", sp.url);
    mxctl_says("de", sp.url, "--timeout", "1", de);
    /* Going on again, it answers: nothing was broken. */
    cr_assert_eq(kill(sp.pid, SIGCONT), 0);
    stopped = false;
    o = login_at(sp.url, NULL, MX_LANG_EN, 0, 10000);
    cr_assert_eq(o.status, API_OK, "%s", o.message);
}

/* The same, on a kept-alive connection: the first login answers, then the server stops and the
 * second goes out on the connection already open. It has no connect time of its own, and was
 * reported as "no connection within" the connect timeout (10 s) after the whole timeout. */
Test(failures, a_kept_alive_connection_that_stops_answering)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    struct api_client_options opts = {
        .base_url = sp.url, .lang = MX_LANG_EN, .connect_timeout_ms = 1000, .timeout_ms = 1500};
    enum api_status st;
    struct api_client *c = api_client_new(&opts, &st);
    cr_assert_not_null(c);
    struct api_sync s = {0};
    struct api_result *res =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s), &s);
    cr_assert(res && res->status == API_OK, "the first login: %s", res ? res->error.message : "");
    api_result_free(&res);
    cr_assert_eq(kill(sp.pid, SIGSTOP), 0);
    stopped = true;
    struct api_sync s2 = {0};
    res =
        api_sync_wait(c, api_start_login(c, "10001", "demo-10001", NULL, api_sync_done, &s2), &s2);
    cr_assert_not_null(res);
    char en[256];
    snprintf(en, sizeof(en), "Cannot reach %s: no answer within 1.5 s", sp.url);
    cr_assert_eq(res->status, API_ERR_TIMEOUT, "%s", api_status_name(res->status));
    cr_assert_str_eq(res->error.message, en);
    api_result_free(&res);
    api_client_free(&c);
    cr_assert_eq(kill(sp.pid, SIGCONT), 0);
    stopped = false;
}

/* A listening socket whose backlog is full: the kernel drops the SYN, the connect waits. */
Test(failures, no_connection_within_the_connect_timeout)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(lfd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(lfd, 0), 0);
    socklen_t alen = sizeof(a);
    cr_assert_eq(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    int fill[4];
    for (int i = 0; i < 4; i++) {
        fill[i] = socket(AF_INET, SOCK_STREAM, 0);
        fcntl(fill[i], F_SETFL, O_NONBLOCK);
        (void)connect(fill[i], (struct sockaddr *)&a, sizeof(a));
    }
    char url[64], en[160], de[160];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", ntohs(a.sin_port));
    snprintf(en, sizeof(en), "Cannot reach %s: no connection within 1 s", url);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: keine Verbindung innerhalb von 1 s", url);
    struct outcome o = login_at(url, NULL, MX_LANG_EN, 1000, 10000);
    struct outcome g = login_at(url, NULL, MX_LANG_DE, 1000, 10000);
    for (int i = 0; i < 4; i++)
        close(fill[i]);
    close(lfd);
    expect(&o, API_ERR_TIMEOUT, en);
    expect(&g, API_ERR_TIMEOUT, de);
}

Test(failures, tls_certificate_problems)
{
    char cert[320], key[320], other[320], other_key[320];
    cr_assert_eq(test_make_cert(dir, "self", "127.0.0.1", "IP:127.0.0.1", cert, key, sizeof(cert)),
                 0);
    cr_assert_eq(test_make_cert(dir, "named", "mx-api.example", "DNS:mx-api.example", other,
                                other_key, sizeof(other)),
                 0);

    /* Self-signed, no --cacert: not trusted. */
    const char *tls[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    cr_assert_eq(api_server_start(&sp, tls), 0);
    char en[256], de[256];
    snprintf(en, sizeof(en), "Cannot reach %s: certificate not trusted", sp.url);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: Zertifikat nicht vertrauensw\xc3\xbcrdig",
             sp.url);
    struct outcome o = login_at(sp.url, NULL, MX_LANG_EN, 0, 0);
    expect(&o, API_ERR_TLS, en);
    o = login_at(sp.url, NULL, MX_LANG_DE, 0, 0);
    expect(&o, API_ERR_TLS, de);
    mxctl_says("en", sp.url, NULL, NULL, en);
    mxctl_says("de", sp.url, NULL, NULL, de);
    o = login_at(sp.url, cert, MX_LANG_EN, 0, 0);
    cr_assert_eq(o.status, API_OK, "with its CA: %s", o.message);
    server_proc_cleanup(&sp);

    /* Trusted, but issued for another name. */
    const char *named[] = {"--tls-cert", other, "--tls-key", other_key, NULL};
    cr_assert_eq(api_server_start(&sp, named), 0);
    snprintf(en, sizeof(en), "Cannot reach %s: host name does not match the certificate", sp.url);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: Hostname passt nicht zum Zertifikat", sp.url);
    o = login_at(sp.url, other, MX_LANG_EN, 0, 0);
    expect(&o, API_ERR_TLS, en);
    o = login_at(sp.url, other, MX_LANG_DE, 0, 0);
    expect(&o, API_ERR_TLS, de);
    mxctl_says("en", sp.url, "--cacert", other, en);
    server_proc_cleanup(&sp);

    /* https to a server that speaks plain http: the handshake fails. */
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    char https[96];
    snprintf(https, sizeof(https), "https://%.63s", sp.url + strlen("http://"));
    snprintf(en, sizeof(en), "Cannot reach %s: TLS handshake failed", https);
    snprintf(de, sizeof(de), "Keine Verbindung zu %s: TLS-Verbindungsaufbau fehlgeschlagen", https);
    o = login_at(https, NULL, MX_LANG_EN, 0, 0);
    expect(&o, API_ERR_TLS, en);
    o = login_at(https, NULL, MX_LANG_DE, 0, 0);
    expect(&o, API_ERR_TLS, de);
}
