/* mxapid over TLS, live on loopback: a self-signed certificate made with openssl, the https URL
 * on the first line, a verified request through libcurl, and plain HTTP refused on that port. */
#include <criterion/criterion.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static char dir[256], cert[320], key[320];

/* Makes a self-signed certificate for 127.0.0.1 with the openssl command. */
static void make_cert(void)
{
    cr_assert_eq(test_mkdtemp(dir, sizeof dir, "mxapid-tls"), 0);
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    char cmd[1600];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-addext subjectAltName=IP:127.0.0.1 -keyout '%s' -out '%s' >/dev/null 2>&1",
             key, cert);
    int rc = system(cmd);
    cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "openssl failed");
}

static void up(void)
{
    make_cert();
    const char *extra[] = {"--tls-cert", cert, "--tls-key", key, NULL};
    cr_assert_eq(server_proc_start(&sp, extra), 0, "mxapid with TLS did not start");
}

static void down(void)
{
    server_proc_cleanup(&sp);
    if (dir[0] != '\0')
        test_rmtree(dir);
}

TestSuite(tls, .init = up, .fini = down, .timeout = 60);

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    char *buf = user;
    size_t have = strlen(buf), add = size * n;
    if (have + add < 4096) {
        memcpy(buf + have, data, add);
        buf[have + add] = '\0';
    }
    return add;
}

/* GET url with libcurl, verifying against cafile; returns the status, 0 on a TLS failure. */
static long curl_get(const char *url, const char *cafile, char body[4096])
{
    body[0] = '\0';
    CURL *c = curl_easy_init();
    cr_assert_not_null(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

Test(tls, https_url_and_verified_request)
{
    cr_assert(strncmp(sp.url, "https://127.0.0.1:", 18) == 0, "first line URL: %s", sp.url);
    char url[128], body[4096];
    snprintf(url, sizeof url, "%s/healthz", sp.url);
    cr_assert_eq(curl_get(url, cert, body), 200);
    cr_assert_not_null(strstr(body, "\"ok\""), "%s", body);
}

Test(tls, wrong_ca_is_refused_by_the_client)
{
    /* The client verifies: a CA file that did not sign the certificate fails the handshake. */
    char other[320];
    snprintf(other, sizeof other, "%s/other.pem", dir);
    char cmd[800];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 "
             "-keyout '%s/other.key' -out '%s' >/dev/null 2>&1",
             dir, other);
    int rc = system(cmd);
    cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
    char url[128], body[4096];
    snprintf(url, sizeof url, "%s/healthz", sp.url);
    cr_assert_eq(curl_get(url, other, body), 0);
}

Test(tls, plain_http_on_the_tls_port_gets_no_answer)
{
    struct http_response r;
    const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    int rc = http_raw_exchange(sp.port, req, strlen(req), 5000, &r);
    cr_assert(rc != 0 || r.status != 200, "plain HTTP was answered 200 on the TLS port");
    http_response_free(&r);
    /* And TLS still works afterwards. */
    char url[128], body[4096];
    snprintf(url, sizeof url, "%s/healthz", sp.url);
    cr_assert_eq(curl_get(url, cert, body), 200);
}
