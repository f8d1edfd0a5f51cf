/* client_transport: what a transfer that got no usable reply says — its status, and for
 * network, timeout and TLS failures a sentence that names the server's address and the cause in
 * the client's language. The cause comes from the CURLcode, the socket's errno and curl's error
 * buffer, which is only classified here and never shown (it may quote what the peer sent). */
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/client_internal.h"

enum cause {
    CAUSE_NONE,
    CAUSE_REFUSED,
    CAUSE_NO_HOST,
    CAUSE_UNREACHABLE,
    CAUSE_CONNECT_TIMEOUT, /* with the seconds */
    CAUSE_TIMEOUT,         /* with the seconds */
    CAUSE_RESET,
    CAUSE_CLOSED,
    CAUSE_CUT,
    CAUSE_UNTRUSTED,
    CAUSE_EXPIRED,
    CAUSE_NAME_MISMATCH,
    CAUSE_HANDSHAKE,
    CAUSE_CA_FILE,
    CAUSE_TLS,
    CAUSE_NETWORK,
    CAUSE_COUNT
};

/* [cause][lang]: English, German. The two timeouts are followed by the seconds. */
static const char *const causes[CAUSE_COUNT][2] = {
    [CAUSE_NONE] = {"", ""},
    [CAUSE_REFUSED] = {"connection refused", "Verbindung abgelehnt"},
    [CAUSE_NO_HOST] = {"host name not found", "Hostname nicht gefunden"},
    [CAUSE_UNREACHABLE] = {"network or host unreachable", "Netz oder Rechner nicht erreichbar"},
    [CAUSE_CONNECT_TIMEOUT] = {"no connection within ", "keine Verbindung innerhalb von "},
    [CAUSE_TIMEOUT] = {"no answer within ", "keine Antwort innerhalb von "},
    [CAUSE_RESET] = {"connection reset", "Verbindung zurückgesetzt"},
    [CAUSE_CLOSED] = {"connection closed before a reply",
                      "Verbindung vor einer Antwort geschlossen"},
    [CAUSE_CUT] = {"connection closed before the reply was complete",
                   "Verbindung vor dem Ende der Antwort geschlossen"},
    [CAUSE_UNTRUSTED] = {"certificate not trusted", "Zertifikat nicht vertrauenswürdig"},
    [CAUSE_EXPIRED] = {"certificate expired or not yet valid",
                       "Zertifikat abgelaufen oder noch nicht gültig"},
    [CAUSE_NAME_MISMATCH] = {"host name does not match the certificate",
                             "Hostname passt nicht zum Zertifikat"},
    [CAUSE_HANDSHAKE] = {"TLS handshake failed", "TLS-Verbindungsaufbau fehlgeschlagen"},
    [CAUSE_CA_FILE] = {"CA certificate file unusable", "CA-Zertifikatsdatei unbrauchbar"},
    [CAUSE_TLS] = {"TLS error", "TLS-Fehler"},
    [CAUSE_NETWORK] = {"network error", "Netzwerkfehler"},
};

enum api_status api_status_for_curl(int rc)
{
    switch ((CURLcode)rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return API_ERR_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return API_ERR_TLS;
    case CURLE_UNSUPPORTED_PROTOCOL: /* the URL was checked: this is an HTTP/0.9 reply */
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_TOO_MANY_REDIRECTS:
        return API_ERR_PROTOCOL;
    case CURLE_OUT_OF_MEMORY:
        return API_ERR_NO_MEMORY;
    default:
        /* Also CURLE_PARTIAL_FILE: a reply cut short is a connection that broke, worth a retry,
         * not a server that broke the contract. */
        return API_ERR_NETWORK;
    }
}

static bool said(const char *errbuf, const char *what)
{
    return errbuf && strstr(errbuf, what) != NULL;
}

static enum cause tls_cause(int rc, const char *errbuf)
{
    switch ((CURLcode)rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
        /* OpenSSL's and curl's own wordings: "no alternative certificate subject name matches
         * target host name", "certificate subject name ... does not match target host name". */
        if (said(errbuf, "subject name") || said(errbuf, "does not match") ||
            said(errbuf, "hostname mismatch"))
            return CAUSE_NAME_MISMATCH;
        if (said(errbuf, "expired") || said(errbuf, "not yet valid"))
            return CAUSE_EXPIRED;
        return CAUSE_UNTRUSTED;
    case CURLE_SSL_CONNECT_ERROR:
        return CAUSE_HANDSHAKE;
    case CURLE_SSL_CACERT_BADFILE:
        return CAUSE_CA_FILE;
    default:
        return CAUSE_TLS;
    }
}

static enum cause network_cause(int rc, long os_errno, const char *errbuf)
{
    switch ((CURLcode)rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return CAUSE_NO_HOST;
    case CURLE_COULDNT_CONNECT:
        if (os_errno == ECONNREFUSED || said(errbuf, "refused"))
            return CAUSE_REFUSED;
        if (os_errno == ENETUNREACH || os_errno == EHOSTUNREACH || said(errbuf, "nreachable"))
            return CAUSE_UNREACHABLE;
        return CAUSE_NETWORK;
    case CURLE_GOT_NOTHING:
        return CAUSE_CLOSED;
    case CURLE_PARTIAL_FILE:
        return CAUSE_CUT;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        if (os_errno == ECONNRESET || os_errno == EPIPE || said(errbuf, "reset") ||
            said(errbuf, "Broken pipe"))
            return CAUSE_RESET;
        return CAUSE_CLOSED;
    default:
        return CAUSE_NETWORK;
    }
}

/* ms as seconds for people: "10", "1.5" ("1,5" in German). */
static void seconds(long ms, enum mx_lang lang, char *out, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(out, size, "%ld", ms / 1000);
    else
        snprintf(out, size, "%.1f", (double)ms / 1000.0);
    char *dot = strchr(out, '.');
    if (dot && lang == MX_LANG_DE)
        *dot = ',';
}

void api_transport_fail(struct api_result *res, const struct api_transport *t, enum mx_lang lang)
{
    enum api_status st = api_status_for_curl(t->rc);
    api_result_fail(res, st, lang);
    enum cause cause = CAUSE_NONE;
    long limit_ms = 0;
    if (st == API_ERR_TIMEOUT) {
        /* Not connected yet: the connect timeout ran out (or the whole one, when shorter). */
        if (!t->connected) {
            cause = CAUSE_CONNECT_TIMEOUT;
            limit_ms =
                t->connect_timeout_ms < t->timeout_ms ? t->connect_timeout_ms : t->timeout_ms;
        } else {
            cause = CAUSE_TIMEOUT;
            limit_ms = t->timeout_ms;
        }
    } else if (st == API_ERR_TLS) {
        cause = tls_cause(t->rc, t->errbuf);
    } else if (st == API_ERR_NETWORK) {
        cause = network_cause(t->rc, t->os_errno, t->errbuf);
    }
    if (cause == CAUSE_NONE || !t->shown_url)
        return;
    int de = lang == MX_LANG_DE;
    char secs[32], why[160], msg[1024];
    seconds(limit_ms, lang, secs, sizeof(secs));
    if (cause == CAUSE_CONNECT_TIMEOUT || cause == CAUSE_TIMEOUT)
        snprintf(why, sizeof(why), "%s%s s", causes[cause][de], secs);
    else
        snprintf(why, sizeof(why), "%s", causes[cause][de]);
    int n = snprintf(msg, sizeof(msg), de ? "Keine Verbindung zu %s: %s" : "Cannot reach %s: %s",
                     t->shown_url, why);
    if (n < 0)
        return;
    struct api_dec d = {.res = res};
    const char *copy = api_dec_strdup(&d, msg);
    if (copy)
        res->error.message = copy;
}
