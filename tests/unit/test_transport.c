/* What the client says when a transfer got no usable reply (api/client_transport.c): the status
 * of each CURLcode and, for network, timeout and TLS failures, the address and the cause in
 * English and German. Every cause, also those a test cannot provoke on loopback (a name the
 * resolver does not know, a reset, an expired certificate). */
#include <criterion/criterion.h>

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

#include "api/client_internal.h"

static const char URL[] = "https://mx-api.example:8443";

/* The message of a failure with rc, errno and curl's error text, connected or not. */
static void expect_cause(int rc, long os_errno, const char *errbuf, bool connected,
                         enum api_status st, const char *en, const char *de)
{
    struct api_transport t = {.rc = rc,
                              .os_errno = os_errno,
                              .connected = connected,
                              .errbuf = errbuf,
                              .shown_url = URL,
                              .connect_timeout_ms = 10000,
                              .timeout_ms = 30000};
    const char *want[2] = {en, de};
    const enum mx_lang langs[2] = {MX_LANG_EN, MX_LANG_DE};
    for (int i = 0; i < 2; i++) {
        struct api_result *res = api_result_new(API_CALL_LOGIN);
        cr_assert_not_null(res);
        api_transport_fail(res, &t, langs[i]);
        cr_assert_eq(res->status, st, "rc %d: %s", rc, api_status_name(res->status));
        cr_assert_str_eq(res->error.message, want[i], "rc %d", rc);
        cr_assert_eq(res->http_status, 0);
        api_result_free(&res);
    }
}

#define CANNOT "Cannot reach https://mx-api.example:8443: "
#define KEINE  "Keine Verbindung zu https://mx-api.example:8443: "

Test(transport, network_causes)
{
    expect_cause(CURLE_COULDNT_CONNECT, ECONNREFUSED, "Failed to connect", false, API_ERR_NETWORK,
                 CANNOT "connection refused", KEINE "Verbindung abgelehnt");
    expect_cause(CURLE_COULDNT_CONNECT, 0, "connect to 1.2.3.4 port 1: Connection refused", false,
                 API_ERR_NETWORK, CANNOT "connection refused", KEINE "Verbindung abgelehnt");
    expect_cause(CURLE_COULDNT_RESOLVE_HOST, 0, "Could not resolve host: mx-api.example", false,
                 API_ERR_NETWORK, CANNOT "host name not found", KEINE "Hostname nicht gefunden");
    expect_cause(CURLE_COULDNT_CONNECT, EHOSTUNREACH, "", false, API_ERR_NETWORK,
                 CANNOT "network or host unreachable", KEINE "Netz oder Rechner nicht erreichbar");
    expect_cause(CURLE_RECV_ERROR, ECONNRESET, "Recv failure", true, API_ERR_NETWORK,
                 CANNOT "connection reset", KEINE "Verbindung zurückgesetzt");
    expect_cause(CURLE_SEND_ERROR, 0, "Send failure: Broken pipe", true, API_ERR_NETWORK,
                 CANNOT "connection reset", KEINE "Verbindung zurückgesetzt");
    expect_cause(CURLE_GOT_NOTHING, 0, "Empty reply from server", true, API_ERR_NETWORK,
                 CANNOT "connection closed before a reply",
                 KEINE "Verbindung vor einer Antwort geschlossen");
    expect_cause(CURLE_PARTIAL_FILE, 0, "transfer closed with 10 bytes remaining", true,
                 API_ERR_NETWORK, CANNOT "connection closed before the reply was complete",
                 KEINE "Verbindung vor dem Ende der Antwort geschlossen");
    expect_cause(CURLE_RECV_ERROR, 0, NULL, true, API_ERR_NETWORK,
                 CANNOT "connection closed before a reply",
                 KEINE "Verbindung vor einer Antwort geschlossen");
}

Test(transport, timeouts_say_how_long)
{
    expect_cause(CURLE_OPERATION_TIMEDOUT, 0, "Connection timed out after 10001 ms", false,
                 API_ERR_TIMEOUT, CANNOT "no connection within 10 s",
                 KEINE "keine Verbindung innerhalb von 10 s");
    expect_cause(CURLE_OPERATION_TIMEDOUT, 0, "Operation timed out after 30000 ms", true,
                 API_ERR_TIMEOUT, CANNOT "no answer within 30 s",
                 KEINE "keine Antwort innerhalb von 30 s");
    /* A whole-request limit shorter than the connect limit is the one that ran out. */
    struct api_transport t = {.rc = CURLE_OPERATION_TIMEDOUT,
                              .shown_url = "http://127.0.0.1:1",
                              .connect_timeout_ms = 10000,
                              .timeout_ms = 2500};
    struct api_result *res = api_result_new(API_CALL_LOGIN);
    api_transport_fail(res, &t, MX_LANG_DE);
    cr_assert_str_eq(
        res->error.message,
        "Keine Verbindung zu http://127.0.0.1:1: keine Verbindung innerhalb von 2,5 s");
    api_result_free(&res);
}

Test(transport, tls_causes)
{
    expect_cause(CURLE_PEER_FAILED_VERIFICATION, 0,
                 "SSL certificate problem: self-signed certificate", true, API_ERR_TLS,
                 CANNOT "certificate not trusted", KEINE "Zertifikat nicht vertrauenswürdig");
    expect_cause(CURLE_PEER_FAILED_VERIFICATION, 0,
                 "SSL certificate problem: unable to get local issuer certificate", true,
                 API_ERR_TLS, CANNOT "certificate not trusted",
                 KEINE "Zertifikat nicht vertrauenswürdig");
    expect_cause(CURLE_PEER_FAILED_VERIFICATION, 0,
                 "SSL: no alternative certificate subject name matches target host name "
                 "'mx-api.example'",
                 true, API_ERR_TLS, CANNOT "host name does not match the certificate",
                 KEINE "Hostname passt nicht zum Zertifikat");
    expect_cause(CURLE_PEER_FAILED_VERIFICATION, 0,
                 "SSL certificate problem: certificate has expired", true, API_ERR_TLS,
                 CANNOT "certificate expired or not yet valid",
                 KEINE "Zertifikat abgelaufen oder noch nicht gültig");
    expect_cause(CURLE_SSL_CONNECT_ERROR, 0, "error:0A00010B:SSL routines::wrong version number",
                 true, API_ERR_TLS, CANNOT "TLS handshake failed",
                 KEINE "TLS-Verbindungsaufbau fehlgeschlagen");
    expect_cause(CURLE_SSL_CACERT_BADFILE, 0, "error setting certificate file", false, API_ERR_TLS,
                 CANNOT "CA certificate file unusable", KEINE "CA-Zertifikatsdatei unbrauchbar");
}

/* Only network, timeout and TLS failures name the address; the rest keep the sentence. */
Test(transport, other_statuses_keep_the_generic_sentence)
{
    struct {
        int rc;
        enum api_status st;
    } cases[] = {{CURLE_WEIRD_SERVER_REPLY, API_ERR_PROTOCOL},
                 {CURLE_UNSUPPORTED_PROTOCOL, API_ERR_PROTOCOL},
                 {CURLE_OUT_OF_MEMORY, API_ERR_NO_MEMORY}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct api_transport t = {.rc = cases[i].rc, .shown_url = URL, .errbuf = "x"};
        struct api_result *res = api_result_new(API_CALL_MX_GET);
        api_transport_fail(res, &t, MX_LANG_EN);
        cr_assert_eq(res->status, cases[i].st);
        cr_assert_str_eq(res->error.message, api_status_message(cases[i].st, MX_LANG_EN));
        api_result_free(&res);
    }
    /* The error text is classified, never shown. */
    struct api_transport t = {
        .rc = CURLE_COULDNT_CONNECT, .errbuf = "\x1b]0;owned\x07 refused", .shown_url = URL};
    struct api_result *res = api_result_new(API_CALL_MX_GET);
    api_transport_fail(res, &t, MX_LANG_EN);
    cr_assert_str_eq(res->error.message, CANNOT "connection refused");
    api_result_free(&res);
}
