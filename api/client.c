/* client: the request engine over libcurl's multi interface. Starting a request only builds an
 * easy handle and adds it to the multi handle; all network work happens in api_client_perform,
 * so no call here waits on the network. Replies are decoded by client_decode.c. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the token and passwords */

#include <arpa/inet.h>
#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/client.h"
#include "api/client_internal.h"

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
    char errbuf[CURL_ERROR_SIZE]; /* why the transfer failed, for client_transport.c */
};

struct api_client {
    CURLM *multi;
    char *base;      /* without trailing slash */
    char *shown_url; /* base without user and password, for messages */
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
    /* Ended transfers whose callbacks api_client_perform has yet to call: still cancellable, so a
     * callback that cancels one of them gets the promised synchronous CANCELLED. */
    struct request *finished;
    int performing;    /* nesting depth of api_client_perform */
    bool free_pending; /* api_client_free was called from a callback inside perform */
    uint64_t next_id;
    bool closing;
    bool global_init;
};

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

void api_client_forget_token(struct api_client *c)
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

/* base as a message may show it: a password (or user name) in the URL is none of a reader's
 * business. NULL on out of memory. */
static char *shown_url(const char *base)
{
    char *url = NULL, *out = NULL;
    CURLU *u = curl_url();
    if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
        curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &url, 0) == CURLUE_OK) {
        size_t n = strlen(url);
        /* curl adds "/" to a URL without a path; the base as configured has none. */
        if (n > 0 && url[n - 1] == '/' && base[strlen(base) - 1] != '/')
            url[--n] = '\0';
        out = dup_str(url);
    }
    curl_free(url);
    curl_url_cleanup(u);
    return out;
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
    c = calloc(1, sizeof(*c));
    if (!c)
        goto fail;
    if (api_curl_global_init() != CURLE_OK)
        goto fail;
    c->global_init = true;
    st = check_url(opt->base_url, opt->allow_insecure_http, &plain_ok);
    if (st != API_OK)
        goto fail;
    st = API_ERR_NO_MEMORY;
    c->multi = curl_multi_init();
    /* The server limits connections per address; beyond this many, requests wait inside curl
     * for a free (kept-alive) connection instead of being refused. */
    if (c->multi)
        curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)API_MAX_CONNECTIONS);
    c->base = dup_str(opt->base_url);
    c->cacert = opt->cacert ? dup_str(opt->cacert) : NULL;
    if (!c->multi || !c->base || (opt->cacert && !c->cacert))
        goto fail;
    size_t blen = strlen(c->base);
    while (blen > 0 && c->base[blen - 1] == '/')
        c->base[--blen] = '\0';
    c->shown_url = shown_url(c->base);
    if (!c->shown_url)
        goto fail;
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
        api_client_forget_token(c);
        if (tok) {
            c->token = tok;
            c->token_len = strlen(tok);
        } else {
            api_result_fail(res, API_ERR_NO_MEMORY, c->lang);
        }
    } else if ((res->status == API_ERR_SESSION_EXPIRED || res->status == API_ERR_UNAUTHORIZED) &&
               r->token_gen == c->token_gen && c->token) {
        api_client_forget_token(c); /* the server no longer knows this token */
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
        struct api_transport t = {.rc = (int)r->curl_rc,
                                  .errbuf = r->errbuf,
                                  .shown_url = c->shown_url,
                                  .connect_timeout_ms = c->connect_timeout_ms,
                                  .timeout_ms = c->timeout_ms};
        curl_off_t connect_us = 0, pretransfer_us = 0;
        curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &t.os_errno);
        curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        /* A reused keep-alive connection has no connect time of its own; that the request
         * got as far as being sent says it was connected (else a server that stopped
         * answering was reported as "no connection within" the connect timeout). */
        curl_easy_getinfo(r->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
        t.connected = connect_us > 0 || pretransfer_us > 0;
        api_transport_fail(r->res, &t, c->lang);
        return;
    }
    long http = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &http);
    api_reply_decode(r->res, http, r->reply ? r->reply : "", r->reply_len,
                     header_value(r->easy, "ETag"), header_value(r->easy, "Retry-After"), c->lang);
}

static void client_destroy(struct api_client *c)
{
    if (c->multi)
        curl_multi_cleanup(c->multi);
    free(c->base);
    free(c->shown_url);
    free(c->cacert);
    bool global = c->global_init;
    free(c);
    if (global)
        curl_global_cleanup(); /* pairs with the init of api_client_new (reference-counted) */
}

void api_client_free(struct api_client **cp)
{
    struct api_client *c = cp ? *cp : NULL;
    if (!c)
        return;
    *cp = NULL;
    if (c->closing)
        return; /* a callback of the cancellations below freed it again */
    c->closing = true;
    while (c->reqs || c->finished)
        api_request_cancel(c, c->reqs ? c->reqs->id : c->finished->id);
    api_client_forget_token(c);
    /* Called from a callback: api_client_perform still walks the client; it frees it last. */
    if (c->performing > 0)
        c->free_pending = true;
    else
        client_destroy(c);
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
    /* Negative: no timer of the caller's (as for poll(2)); curl_multi_poll refuses it. */
    if (timeout_ms < 0)
        timeout_ms = INT_MAX;
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
    c->performing++;
    curl_multi_perform(c->multi, &running);
    /* Collect first, call back after: a callback may add or cancel requests, or free the
     * client. */
    struct request **tail = &c->finished;
    while (*tail)
        tail = &(*tail)->next;
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
    while (c->finished) {
        struct request *r = c->finished;
        c->finished = r->next;
        r->next = NULL;
        curl_multi_remove_handle(c->multi, r->easy);
        request_complete(c, r);
        request_finish(c, r);
    }
    size_t pending = c->n_reqs;
    if (--c->performing == 0 && c->free_pending)
        client_destroy(c);
    return pending;
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
    if (r) {
        unlink_request(c, r);
    } else {
        /* Ended, but its callback has not run yet: the cancel still wins. */
        struct request **p = &c->finished;
        while (*p && (*p)->id != id)
            p = &(*p)->next;
        if (!(r = *p))
            return false;
        *p = r->next;
        r->next = NULL;
    }
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

/* Builds the easy handle and adds it to the multi handle; never touches the network. */
uint64_t api_request_start(struct api_client *c, struct api_request_spec *s, api_done_fn *done,
                           void *user)
{
    struct request *r = NULL;
    struct api_sbuf url = {0};
    if (c->closing || s->path->oom || (s->body && s->body->oom))
        goto fail;
    api_sb_str(&url, c->base);
    api_sb_add(&url, s->path->p, s->path->len);
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
        struct api_sbuf auth = {0};
        api_sb_str(&auth, "Authorization: Bearer ");
        api_sb_add(&auth, c->token, c->token_len);
        h = auth.oom ? NULL : curl_slist_append(r->headers, auth.p);
        api_sb_wipe(&auth);
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
    if (c->cacert) {
        rc |= curl_easy_setopt(e, CURLOPT_CAINFO, c->cacert);
        /* "Instead of the system's": the CA file alone replaces only the default bundle, the
         * default directory (Debian's curl: /etc/ssl/certs) would still be trusted. */
        rc |= curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    }
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
    rc |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
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
    api_sb_wipe(&url);
    r->id = ++c->next_id;
    r->res->id = r->id;
    r->next = c->reqs;
    c->reqs = r;
    c->n_reqs++;
    api_sb_wipe(s->path);
    if (s->body)
        api_sb_wipe(s->body);
    return r->id;
fail:
    api_sb_wipe(&url);
    api_sb_wipe(s->path);
    if (s->body)
        api_sb_wipe(s->body);
    request_free(&r);
    return 0;
}
