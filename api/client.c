/* client: the request engine over libcurl's multi interface. Starting a request only builds an
 * easy handle and adds it to the multi handle; all network work happens in api_client_perform,
 * so no call here waits on the network. Replies are decoded by client_decode.c. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the token and passwords */

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/client.h"
#include "api/mx_codec.h"

/* Arguments longer than this are refused before anything is sent. */
#define ARG_MAX_BYTES 1024

struct request {
    struct request *next;
    uint64_t id;
    CURL *easy;
    struct curl_slist *headers;
    char *body; /* owned; wiped when it held a password */
    size_t body_len;
    bool wipe_body; /* login: the body holds the password, the reply the token */
    char *reply;
    size_t reply_len;
    size_t reply_cap;
    bool too_big;
    size_t reply_max;
    unsigned token_gen; /* the token generation it was sent with, 0 for none */
    struct api_result *res;
    api_done_fn *done;
    void *user;
    CURLcode curl_rc;
};

struct api_client {
    CURLM *multi;
    char *base; /* without trailing slash */
    char *cacert;
    bool plain_http_ok;
    long connect_timeout_ms;
    long timeout_ms;
    size_t max_reply;
    enum mx_lang lang;
    char *token;
    size_t token_len;
    unsigned token_gen;
    struct request *reqs;
    size_t n_reqs;
    uint64_t next_id;
    bool closing;
};

static const char *const status_names[API_STATUS_COUNT] = {
    [API_OK] = "ok",
    [API_ERR_NETWORK] = "network",
    [API_ERR_TLS] = "tls",
    [API_ERR_TIMEOUT] = "timeout",
    [API_ERR_CANCELLED] = "cancelled",
    [API_ERR_INSECURE] = "insecure",
    [API_ERR_UNAUTHORIZED] = "unauthorized",
    [API_ERR_SESSION_EXPIRED] = "session_expired",
    [API_ERR_INVALID_CREDENTIALS] = "invalid_credentials",
    [API_ERR_OTP_REQUIRED] = "otp_required",
    [API_ERR_FORBIDDEN] = "forbidden",
    [API_ERR_NOT_FOUND] = "not_found",
    [API_ERR_CONFLICT] = "conflict",
    [API_ERR_VALIDATION] = "validation",
    [API_ERR_RATE_LIMITED] = "rate_limited",
    [API_ERR_BAD_REQUEST] = "bad_request",
    [API_ERR_SERVER] = "server",
    [API_ERR_PROTOCOL] = "protocol",
    [API_ERR_NO_MEMORY] = "no_memory",
};

/* [status][lang]: English first, then German. */
static const char *const status_messages[API_STATUS_COUNT][2] = {
    [API_OK] = {"Done.", "Erledigt."},
    [API_ERR_NETWORK] = {"The server cannot be reached. Check the address and the network.",
                         "Der Server ist nicht erreichbar. Bitte Adresse und Netzwerk prüfen."},
    [API_ERR_TLS] = {"The server's certificate could not be verified; the connection was refused.",
                     "Das Zertifikat des Servers ließ sich nicht prüfen; die Verbindung wurde "
                     "abgelehnt."},
    [API_ERR_TIMEOUT] = {"The server did not answer in time.",
                         "Der Server hat nicht rechtzeitig geantwortet."},
    [API_ERR_CANCELLED] = {"The request was cancelled.", "Die Anfrage wurde abgebrochen."},
    [API_ERR_INSECURE] = {"Plain http is only allowed to this computer (loopback); use https.",
                          "Unverschlüsseltes http ist nur zu diesem Rechner (Loopback) erlaubt; "
                          "bitte https verwenden."},
    [API_ERR_UNAUTHORIZED] = {"Not logged in. Please log in again.",
                              "Nicht angemeldet. Bitte erneut anmelden."},
    [API_ERR_SESSION_EXPIRED] = {"The session has expired. Please log in again.",
                                 "Die Sitzung ist abgelaufen. Bitte erneut anmelden."},
    [API_ERR_INVALID_CREDENTIALS] = {"Login or password is wrong.",
                                     "Kennung oder Passwort ist falsch."},
    [API_ERR_OTP_REQUIRED] = {"This account needs a one-time code.",
                              "Für dieses Konto ist ein Einmalcode nötig."},
    [API_ERR_FORBIDDEN] = {"This account may not do that.", "Dieses Konto darf das nicht."},
    [API_ERR_NOT_FOUND] = {"Not found (or not yours).", "Nicht gefunden (oder nicht Ihres)."},
    [API_ERR_CONFLICT] = {"Someone else changed this meanwhile; reload and try again.",
                          "Jemand anderes hat dies inzwischen geändert; bitte neu laden und "
                          "erneut versuchen."},
    [API_ERR_VALIDATION] = {"The configuration breaks the rules.",
                            "Die Konfiguration verstößt gegen die Regeln."},
    [API_ERR_RATE_LIMITED] = {"Too many attempts; please wait before trying again.",
                              "Zu viele Versuche; bitte warten und später erneut versuchen."},
    [API_ERR_BAD_REQUEST] = {"The server refused the request as malformed.",
                             "Der Server hat die Anfrage als fehlerhaft abgelehnt."},
    [API_ERR_SERVER] = {"The server had an internal error; please try again later.",
                        "Der Server hatte einen internen Fehler; bitte später erneut versuchen."},
    [API_ERR_PROTOCOL] = {"The server's reply is not what the API promises.",
                          "Die Antwort des Servers entspricht nicht der API."},
    [API_ERR_NO_MEMORY] = {"Out of memory.", "Nicht genug Arbeitsspeicher."},
};

const char *api_status_name(enum api_status status)
{
    if ((unsigned)status >= API_STATUS_COUNT)
        return "unknown";
    return status_names[status];
}

const char *api_status_message(enum api_status status, enum mx_lang lang)
{
    if ((unsigned)status >= API_STATUS_COUNT)
        status = API_ERR_PROTOCOL;
    return status_messages[status][lang == MX_LANG_DE ? 1 : 0];
}

static char *dup_str(const char *s)
{
    size_t len = strlen(s);
    char *p = malloc(len + 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

static void wipe_free(char **p, size_t len)
{
    if (*p) {
        explicit_bzero(*p, len);
        free(*p);
        *p = NULL;
    }
}

static void forget_token(struct api_client *c)
{
    wipe_free(&c->token, c->token_len);
    c->token_len = 0;
    c->token_gen++;
}

/* Loopback literals and "localhost" only: a name that merely resolves to 127.0.0.1 does not
 * count, since the resolver's answer is not ours to trust. */
static bool host_is_loopback(const char *host)
{
    unsigned char addr[16];
    if (strcasecmp(host, "localhost") == 0)
        return true;
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    size_t len = strlen(host);
    if (len == 5 && strcmp(host, "[::1]") == 0)
        return true;
    return strcmp(host, "::1") == 0;
}

/* Checks the base URL and decides whether plain http is acceptable. */
static enum api_status check_url(const char *url, bool allow_insecure, bool *plain_ok)
{
    enum api_status st = API_ERR_BAD_REQUEST;
    char *scheme = NULL, *host = NULL;
    CURLU *u = curl_url();
    if (!u)
        return API_ERR_NO_MEMORY;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto out;
    if (strcasecmp(scheme, "https") == 0) {
        *plain_ok = allow_insecure;
        st = API_OK;
    } else if (strcasecmp(scheme, "http") == 0) {
        *plain_ok = true;
        st = (allow_insecure || host_is_loopback(host)) ? API_OK : API_ERR_INSECURE;
    }
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return st;
}

struct api_client *api_client_new(const struct api_client_options *opt, enum api_status *err)
{
    enum api_status st = API_ERR_NO_MEMORY;
    struct api_client *c = NULL;
    bool plain_ok = false;
    if (!opt || !opt->base_url) {
        st = API_ERR_BAD_REQUEST;
        goto fail;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        goto fail;
    st = check_url(opt->base_url, opt->allow_insecure_http, &plain_ok);
    if (st != API_OK)
        goto fail;
    st = API_ERR_NO_MEMORY;
    c = calloc(1, sizeof(*c));
    if (!c)
        goto fail;
    c->multi = curl_multi_init();
    c->base = dup_str(opt->base_url);
    c->cacert = opt->cacert ? dup_str(opt->cacert) : NULL;
    if (!c->multi || !c->base || (opt->cacert && !c->cacert))
        goto fail;
    size_t blen = strlen(c->base);
    while (blen > 0 && c->base[blen - 1] == '/')
        c->base[--blen] = '\0';
    c->plain_http_ok = plain_ok;
    c->connect_timeout_ms = opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms : 10000;
    c->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 30000;
    c->max_reply = opt->max_reply_bytes > 0 ? opt->max_reply_bytes : API_REPLY_MAX_BYTES;
    c->lang = opt->lang;
    c->token_gen = 1;
    if (err)
        *err = API_OK;
    return c;
fail:
    api_client_free(&c);
    if (err)
        *err = st;
    return NULL;
}

static void request_free(struct request **rp)
{
    struct request *r = *rp;
    if (!r)
        return;
    if (r->easy)
        curl_easy_cleanup(r->easy);
    for (struct curl_slist *h = r->headers; h; h = h->next)
        explicit_bzero(h->data, strlen(h->data)); /* the Authorization header holds the token */
    curl_slist_free_all(r->headers);
    if (r->wipe_body)
        wipe_free(&r->body, r->body_len);
    free(r->body);
    if (r->reply && r->wipe_body)
        explicit_bzero(r->reply, r->reply_len); /* a login reply holds the token */
    free(r->reply);
    api_result_free(&r->res);
    free(r);
    *rp = NULL;
}

static void unlink_request(struct api_client *c, struct request *r)
{
    for (struct request **p = &c->reqs; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            r->next = NULL;
            c->n_reqs--;
            return;
        }
}

/* Hands the result to its callback (exactly once) and frees the request; r is already out of
 * the client's list and the multi handle. */
static void request_finish(struct api_client *c, struct request *r)
{
    struct api_result *res = r->res;
    api_done_fn *done = r->done;
    void *user = r->user;
    r->res = NULL;
    if (res->call == API_CALL_LOGIN && res->status == API_OK) {
        char *tok = api_result_take_token(res);
        forget_token(c);
        if (tok) {
            c->token = tok;
            c->token_len = strlen(tok);
        } else {
            api_result_fail(res, API_ERR_NO_MEMORY, c->lang);
        }
    } else if ((res->status == API_ERR_SESSION_EXPIRED || res->status == API_ERR_UNAUTHORIZED) &&
               r->token_gen == c->token_gen && c->token) {
        forget_token(c); /* the server no longer knows this token */
    }
    request_free(&r);
    if (done)
        done(res, user);
    if (!api_result_kept(res))
        api_result_free(&res);
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    struct request *r = userp;
    size_t n = size * nmemb;
    if (n > r->reply_max - r->reply_len) {
        r->too_big = true;
        return 0; /* aborts the transfer: CURLE_WRITE_ERROR */
    }
    if (r->reply_len + n + 1 > r->reply_cap) {
        size_t cap = r->reply_cap ? r->reply_cap : 4096;
        while (cap < r->reply_len + n + 1)
            cap *= 2;
        char *p = realloc(r->reply, cap);
        if (!p)
            return 0;
        r->reply = p;
        r->reply_cap = cap;
    }
    memcpy(r->reply + r->reply_len, data, n);
    r->reply_len += n;
    r->reply[r->reply_len] = '\0';
    return n;
}

static enum api_status status_for_curl(CURLcode rc)
{
    switch (rc) {
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
    case CURLE_PARTIAL_FILE:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_TOO_MANY_REDIRECTS:
        return API_ERR_PROTOCOL;
    case CURLE_OUT_OF_MEMORY:
        return API_ERR_NO_MEMORY;
    default:
        return API_ERR_NETWORK;
    }
}

static const char *header_value(CURL *easy, const char *name)
{
    struct curl_header *h = NULL;
    if (curl_easy_header(easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK || !h)
        return NULL;
    return h->value;
}

/* Turns a finished transfer into its result. */
static void request_complete(struct api_client *c, struct request *r)
{
    if (r->curl_rc == CURLE_WRITE_ERROR && r->too_big) {
        api_result_fail(r->res, API_ERR_PROTOCOL, c->lang);
        return;
    }
    if (r->curl_rc != CURLE_OK) {
        api_result_fail(r->res, status_for_curl(r->curl_rc), c->lang);
        return;
    }
    long http = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
    api_reply_decode(r->res, http, r->reply ? r->reply : "", r->reply_len,
                     header_value(r->easy, "ETag"), header_value(r->easy, "Retry-After"), c->lang);
}

void api_client_free(struct api_client **cp)
{
    struct api_client *c = cp ? *cp : NULL;
    if (!c)
        return;
    c->closing = true;
    while (c->reqs)
        api_request_cancel(c, c->reqs->id);
    forget_token(c);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    free(c->base);
    free(c->cacert);
    free(c);
    *cp = NULL;
}

int api_client_poll(struct api_client *c, struct pollfd *fds, size_t n_fds, int timeout_ms)
{
    struct curl_waitfd wait[16];
    if (n_fds > sizeof(wait) / sizeof(wait[0]))
        return -1;
    for (size_t i = 0; i < n_fds; i++) {
        wait[i].fd = fds[i].fd;
        wait[i].events = (short)(((fds[i].events & POLLIN) ? CURL_WAIT_POLLIN : 0) |
                                 ((fds[i].events & POLLPRI) ? CURL_WAIT_POLLPRI : 0) |
                                 ((fds[i].events & POLLOUT) ? CURL_WAIT_POLLOUT : 0));
        wait[i].revents = 0;
    }
    int numfds = 0;
    if (curl_multi_poll(c->multi, n_fds ? wait : NULL, (unsigned)n_fds, timeout_ms, &numfds) !=
        CURLM_OK)
        return -1;
    int ready = 0;
    for (size_t i = 0; i < n_fds; i++) {
        short ev = wait[i].revents;
        fds[i].revents = (short)(((ev & CURL_WAIT_POLLIN) ? POLLIN : 0) |
                                 ((ev & CURL_WAIT_POLLPRI) ? POLLPRI : 0) |
                                 ((ev & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
        if (fds[i].revents)
            ready++;
    }
    return ready;
}

size_t api_client_perform(struct api_client *c)
{
    int running = 0;
    struct request *done_list = NULL, **tail = &done_list;
    curl_multi_perform(c->multi, &running);
    /* Collect first, call back after: a callback may add or cancel requests. */
    CURLMsg *m;
    int left = 0;
    while ((m = curl_multi_info_read(c->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct request *r = c->reqs;
        while (r && r->easy != m->easy_handle)
            r = r->next;
        if (!r)
            continue;
        r->curl_rc = m->data.result;
        unlink_request(c, r);
        *tail = r;
        tail = &r->next;
    }
    while (done_list) {
        struct request *r = done_list;
        done_list = r->next;
        r->next = NULL;
        curl_multi_remove_handle(c->multi, r->easy);
        request_complete(c, r);
        request_finish(c, r);
    }
    return c->n_reqs;
}

long api_client_timeout_ms(struct api_client *c)
{
    long ms = -1;
    if (curl_multi_timeout(c->multi, &ms) != CURLM_OK)
        return -1;
    return ms;
}

size_t api_client_pending(const struct api_client *c)
{
    return c->n_reqs;
}

void api_client_wakeup(struct api_client *c)
{
    curl_multi_wakeup(c->multi);
}

bool api_request_cancel(struct api_client *c, uint64_t id)
{
    struct request *r = c->reqs;
    while (r && r->id != id)
        r = r->next;
    if (!r)
        return false;
    unlink_request(c, r);
    curl_multi_remove_handle(c->multi, r->easy);
    api_result_fail(r->res, API_ERR_CANCELLED, c->lang);
    request_finish(c, r);
    return true;
}

bool api_client_logged_in(const struct api_client *c)
{
    return c->token != NULL;
}

void api_client_set_lang(struct api_client *c, enum mx_lang lang)
{
    c->lang = lang;
}

/* A growable string for URLs and small JSON bodies. */
struct sbuf {
    char *p;
    size_t len;
    size_t cap;
    bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p) {
            b->oom = true;
            return;
        }
        if (b->p) {
            memcpy(p, b->p, b->len);
            explicit_bzero(b->p, b->cap); /* may hold a password */
            free(b->p);
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_long(struct sbuf *b, long long v)
{
    char num[32];
    int n = snprintf(num, sizeof(num), "%lld", v);
    sb_add(b, num, (size_t)n);
}

/* A JSON string literal. */
static void sb_json(struct sbuf *b, const char *s)
{
    sb_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            sb_add(b, esc, 2);
        } else if (ch < 0x20) {
            char esc[8];
            int n = snprintf(esc, sizeof(esc), "\\u%04x", ch);
            sb_add(b, esc, (size_t)n);
        } else {
            sb_add(b, (const char *)&ch, 1);
        }
    }
    sb_add(b, "\"", 1);
}

/* A path segment, percent-encoded. */
static void sb_seg(struct sbuf *b, const char *s)
{
    char *e = curl_easy_escape(NULL, s, (int)strlen(s));
    if (!e) {
        b->oom = true;
        return;
    }
    sb_str(b, e);
    curl_free(e);
}

static void sb_wipe(struct sbuf *b)
{
    wipe_free(&b->p, b->cap);
    b->len = b->cap = 0;
}

static bool arg_ok(const char *s)
{
    return s && strnlen(s, ARG_MAX_BYTES + 1) <= ARG_MAX_BYTES;
}

struct start {
    enum api_call call;
    const char *method; /* GET, POST, PUT, DELETE */
    struct sbuf *path;  /* taken */
    struct sbuf *body;  /* taken; NULL for none */
    bool wipe_body;
    long long if_match; /* -1 for none */
};

/* Builds the easy handle and adds it to the multi handle; never touches the network. */
static uint64_t request_start(struct api_client *c, struct start *s, api_done_fn *done, void *user)
{
    struct request *r = NULL;
    struct sbuf url = {0};
    if (c->closing || s->path->oom || (s->body && s->body->oom))
        goto fail;
    sb_str(&url, c->base);
    sb_add(&url, s->path->p, s->path->len);
    r = calloc(1, sizeof(*r));
    if (url.oom || !r)
        goto fail;
    r->res = api_result_new(s->call);
    r->easy = curl_easy_init();
    if (!r->res || !r->easy)
        goto fail;
    r->reply_max = c->max_reply;
    r->done = done;
    r->user = user;
    r->wipe_body = s->wipe_body;
    if (s->body) {
        r->body = s->body->p;
        r->body_len = s->body->len;
        s->body->p = NULL;
    }

    char hdr[160];
    struct curl_slist *h = NULL;
    const char *fixed[] = {"Accept: application/json",
                           c->lang == MX_LANG_DE ? "Accept-Language: de" : "Accept-Language: en",
                           "Expect:", r->body ? "Content-Type: application/json" : NULL};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (!fixed[i])
            continue;
        if (!(h = curl_slist_append(r->headers, fixed[i])))
            goto fail;
        r->headers = h;
    }
    if (s->if_match >= 0) {
        snprintf(hdr, sizeof(hdr), "If-Match: \"%lld\"", s->if_match);
        if (!(h = curl_slist_append(r->headers, hdr)))
            goto fail;
        r->headers = h;
    }
    if (c->token && s->call != API_CALL_LOGIN) {
        struct sbuf auth = {0};
        sb_str(&auth, "Authorization: Bearer ");
        sb_add(&auth, c->token, c->token_len);
        h = auth.oom ? NULL : curl_slist_append(r->headers, auth.p);
        sb_wipe(&auth);
        if (!h)
            goto fail;
        r->headers = h;
        r->token_gen = c->token_gen;
    }

    CURL *e = r->easy;
    CURLcode rc = CURLE_OK;
    rc |= curl_easy_setopt(e, CURLOPT_URL, url.p);
    rc |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, c->plain_http_ok ? "http,https" : "https");
    rc |= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->cacert)
        rc |= curl_easy_setopt(e, CURLOPT_CAINFO, c->cacert);
    rc |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    rc |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    rc |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    /* Without it, cancelling a request whose name is still being resolved joins the resolver
     * thread, i.e. blocks until getaddrinfo returns. */
    rc |= curl_easy_setopt(e, CURLOPT_QUICK_EXIT, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_PROXY, ""); /* the API is never reached through a proxy */
    rc |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    rc |= curl_easy_setopt(e, CURLOPT_USERAGENT, "mxtui-client/1");
    if (strcmp(s->method, "POST") == 0 || strcmp(s->method, "PUT") == 0) {
        rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
        rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    }
    if (strcmp(s->method, "PUT") == 0 || strcmp(s->method, "DELETE") == 0)
        rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, s->method);
    if (rc != CURLE_OK)
        goto fail;
    if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
        goto fail;
    sb_wipe(&url);
    r->id = ++c->next_id;
    r->res->id = r->id;
    r->next = c->reqs;
    c->reqs = r;
    c->n_reqs++;
    sb_wipe(s->path);
    if (s->body)
        sb_wipe(s->body);
    return r->id;
fail:
    sb_wipe(&url);
    sb_wipe(s->path);
    if (s->body)
        sb_wipe(s->body);
    request_free(&r);
    return 0;
}

uint64_t api_start_login(struct api_client *c, const char *login, const char *password,
                         const char *otp, api_done_fn *done, void *user)
{
    if (!arg_ok(login) || !arg_ok(password) || (otp && !arg_ok(otp)))
        return 0;
    struct sbuf path = {0}, body = {0};
    sb_str(&path, "/v1/sessions");
    sb_str(&body, "{\"login\":");
    sb_json(&body, login);
    sb_str(&body, ",\"password\":");
    sb_json(&body, password);
    if (otp) {
        sb_str(&body, ",\"otp\":");
        sb_json(&body, otp);
    }
    sb_str(&body, "}");
    struct start s = {API_CALL_LOGIN, "POST", &path, &body, true, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_logout(struct api_client *c, api_done_fn *done, void *user)
{
    struct sbuf path = {0};
    sb_str(&path, "/v1/sessions/current");
    struct start s = {API_CALL_LOGOUT, "DELETE", &path, NULL, false, -1};
    uint64_t id = request_start(c, &s, done, user);
    forget_token(c);
    return id;
}

uint64_t api_start_customers(struct api_client *c, const char *query, api_done_fn *done, void *user)
{
    if (!arg_ok(query))
        return 0;
    struct sbuf path = {0};
    sb_str(&path, "/v1/customers?q=");
    sb_seg(&path, query);
    struct start s = {API_CALL_CUSTOMERS, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_packages(struct api_client *c, const char *customer_id, api_done_fn *done,
                            void *user)
{
    if (!arg_ok(customer_id))
        return 0;
    struct sbuf path = {0};
    sb_str(&path, "/v1/customers/");
    sb_seg(&path, customer_id);
    sb_str(&path, "/packages");
    struct start s = {API_CALL_PACKAGES, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_domains(struct api_client *c, long long package_id, const char *filter,
                           long offset, long limit, api_done_fn *done, void *user)
{
    if ((filter && !arg_ok(filter)) || offset < 0 || limit < 0)
        return 0;
    struct sbuf path = {0};
    sb_str(&path, "/v1/packages/");
    sb_long(&path, package_id);
    sb_str(&path, "/domains?offset=");
    sb_long(&path, offset);
    if (limit > 0) {
        sb_str(&path, "&limit=");
        sb_long(&path, limit);
    }
    if (filter && *filter) {
        sb_str(&path, "&q=");
        sb_seg(&path, filter);
    }
    struct start s = {API_CALL_DOMAINS, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

/* "/v1/domains/{name}" followed by rest. */
static bool domain_path(struct sbuf *path, const char *name, const char *rest)
{
    if (!arg_ok(name) || !*name)
        return false;
    sb_str(path, "/v1/domains/");
    sb_seg(path, name);
    sb_str(path, rest);
    return true;
}

uint64_t api_start_dns(struct api_client *c, const char *name, api_done_fn *done, void *user)
{
    struct sbuf path = {0};
    if (!domain_path(&path, name, "/dns"))
        return 0;
    struct start s = {API_CALL_DNS, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_mx_get(struct api_client *c, const char *name, api_done_fn *done, void *user)
{
    struct sbuf path = {0};
    if (!domain_path(&path, name, "/mx"))
        return 0;
    struct start s = {API_CALL_MX_GET, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_mx_put(struct api_client *c, const char *name, const struct mx_config *cfg,
                          long long version, api_done_fn *done, void *user)
{
    if (!cfg || version < 0)
        return 0;
    struct sbuf path = {0}, body = {0};
    if (!domain_path(&path, name, "/mx"))
        return 0;
    char *json = mx_config_request_to_json(cfg);
    if (!json) {
        sb_wipe(&path);
        return 0;
    }
    sb_str(&body, json);
    free(json);
    struct start s = {API_CALL_MX_PUT, "PUT", &path, &body, false, version};
    return request_start(c, &s, done, user);
}

uint64_t api_start_mx_check(struct api_client *c, const char *name, const char *const *hosts,
                            size_t n, api_done_fn *done, void *user)
{
    if (!hosts || n == 0 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!arg_ok(hosts[i]))
            return 0;
    struct sbuf path = {0}, body = {0};
    if (!domain_path(&path, name, "/mx/check"))
        return 0;
    sb_str(&body, "{\"hosts\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_str(&body, ",");
        sb_json(&body, hosts[i]);
    }
    sb_str(&body, "]}");
    struct start s = {API_CALL_MX_CHECK, "POST", &path, &body, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_history(struct api_client *c, const char *name, long offset, long limit,
                           api_done_fn *done, void *user)
{
    if (offset < 0 || limit < 0)
        return 0;
    struct sbuf path = {0};
    if (!domain_path(&path, name, "/mx/history?offset="))
        return 0;
    sb_long(&path, offset);
    if (limit > 0) {
        sb_str(&path, "&limit=");
        sb_long(&path, limit);
    }
    struct start s = {API_CALL_HISTORY, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_restore(struct api_client *c, const char *name, long long entry_id,
                           long long version, api_done_fn *done, void *user)
{
    if (entry_id < 0 || version < 0)
        return 0;
    struct sbuf path = {0};
    if (!domain_path(&path, name, "/mx/history/"))
        return 0;
    sb_long(&path, entry_id);
    sb_str(&path, "/restore");
    struct start s = {API_CALL_RESTORE, "POST", &path, NULL, false, version};
    return request_start(c, &s, done, user);
}

uint64_t api_start_provider(struct api_client *c, api_done_fn *done, void *user)
{
    struct sbuf path = {0};
    sb_str(&path, "/v1/provider");
    struct start s = {API_CALL_PROVIDER, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}

uint64_t api_start_health(struct api_client *c, api_done_fn *done, void *user)
{
    struct sbuf path = {0};
    sb_str(&path, "/healthz");
    struct start s = {API_CALL_HEALTH, "GET", &path, NULL, false, -1};
    return request_start(c, &s, done, user);
}
