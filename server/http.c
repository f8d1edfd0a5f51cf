/* http: libmicrohttpd daemon, routing, body collection with its cap, replies and the log. */
#include "server/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api/mx_codec.h"
#include "server/reply.h"
#include "server/routes.h"

enum route_flags {
    R_AUTH = 1,      /* needs a session */
    R_JSON = 2,      /* needs a JSON body */
    R_IF_MATCH = 4,  /* needs If-Match */
    R_UNLIMITED = 8, /* not counted against the session's request limit */
    R_JSON_OPT = 16, /* a body is optional; when there is one, it is JSON */
};

struct route {
    const char *method;
    const char *pattern; /* '*' matches one non-empty segment and captures it */
    http_handler_fn fn;
    unsigned flags;
};

static const struct route ROUTES[] = {
    {"GET", "/healthz", route_health, 0},
    {"POST", "/v1/sessions", route_session_create, R_JSON},
    /* Ending a session is never refused: a throttled token must not outlive its logout. */
    {"DELETE", "/v1/sessions/current", route_session_delete, R_AUTH | R_UNLIMITED},
    {"GET", "/v1/provider", route_provider, R_AUTH},
    {"GET", "/v1/customers", route_customers, R_AUTH},
    {"GET", "/v1/customers/*/packages", route_packages, R_AUTH},
    {"GET", "/v1/customers/*/access-log", route_access_log, R_AUTH},
    {"GET", "/v1/packages/*/domains", route_domains, R_AUTH},
    {"GET", "/v1/domains/*/dns", route_dns, R_AUTH},
    {"GET", "/v1/domains/*/mx", route_mx_get, R_AUTH},
    {"PUT", "/v1/domains/*/mx", route_mx_put, R_AUTH | R_JSON | R_IF_MATCH},
    {"POST", "/v1/domains/*/mx/check", route_mx_check, R_AUTH | R_JSON},
    {"GET", "/v1/domains/*/mx/history", route_mx_history, R_AUTH},
    {"POST", "/v1/domains/*/mx/history/*/restore", route_mx_restore,
     R_AUTH | R_IF_MATCH | R_JSON_OPT},
};
#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

/* Longest path kept for routing and the log; longer paths are answered 404. */
#define PATH_MAX_LEN 1024

/* Per-request state, from the first call of the access handler to the completion callback. */
struct conn_ctx {
    struct request rq;
    struct timespec start;
    const struct route *route;
    struct auth_actor actor;
    char *body;
    size_t len, cap;
    bool too_large;
    char method[16];
    char ip[INET6_ADDRSTRLEN];
    char path[PATH_MAX_LEN];  /* as received (URL-decoded by libmicrohttpd) */
    char split[PATH_MAX_LEN]; /* the same, cut into segments for the params */
};

struct http {
    struct MHD_Daemon *d;
    struct server *srv;
    MHD_socket quiesced_fd;
    char *tls_cert;
    char *tls_key;
};

/* ---- routing ---- */

/* Matches the path (cut into ctx->split) against one route; fills the params on a full match. */
static bool path_matches(const char *pattern, const char *path, const char **params,
                         size_t *n_params, char *split)
{
    const char *p = pattern, *s = path;
    size_t n = 0;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        const char *pe = strchr(p, '/');
        const char *se = strchr(s, '/');
        size_t pl = pe ? (size_t)(pe - p) : strlen(p);
        size_t sl = se ? (size_t)(se - s) : strlen(s);
        if (pl == 1 && *p == '*') {
            if (sl == 0 || n == HTTP_MAX_PARAMS)
                return false;
            if (split) {
                size_t off = (size_t)(s - path);
                split[off + sl] = '\0';
                params[n] = split + off;
            }
            n++;
        } else if (pl != sl || memcmp(p, s, pl) != 0) {
            return false;
        }
        p += pl;
        s += sl;
    }
    if (*p || *s)
        return false;
    *n_params = n;
    return true;
}

/* application/json, any case, with or without parameters; RFC 9110 lets blanks (space or tab)
 * stand around the ';'. */
static bool content_type_json(const char *ct)
{
    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return false;
    ct += n;
    ct += strspn(ct, " \t");
    return *ct == '\0' || *ct == ';';
}

/* Everything that can be decided from the head of the request, before any body is read:
 * route, authentication, If-Match, content type, declared length. Returns true when it
 * replied. */
static bool precheck(struct conn_ctx *ctx, const char *version, int *result)
{
    struct request *rq = &ctx->rq;
    /* RFC 9112 3.2: an HTTP/1.1 request without Host is answered 400. */
    if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 && !request_header(rq, MHD_HTTP_HEADER_HOST)) {
        *result = reply_bad_request(rq, "Host", MX_JSON_MISSING_FIELD);
        return true;
    }
    const char *method = strcmp(ctx->method, "HEAD") == 0 ? "GET" : ctx->method;
    bool path_known = false;
    size_t n_params = 0;
    if (strlen(ctx->path) < sizeof ctx->path - 1) {
        for (size_t i = 0; i < N_ROUTES; i++) {
            if (!path_matches(ROUTES[i].pattern, ctx->path, NULL, &n_params, NULL))
                continue;
            path_known = true;
            if (strcmp(ROUTES[i].method, method) == 0) {
                ctx->route = &ROUTES[i];
                path_matches(ROUTES[i].pattern, ctx->path, rq->params, &rq->n_params, ctx->split);
                break;
            }
        }
    }
    if (!ctx->route) {
        if (path_known) {
            size_t used = 0;
            for (size_t i = 0; i < N_ROUTES; i++) {
                if (!path_matches(ROUTES[i].pattern, ctx->path, NULL, &n_params, NULL))
                    continue;
                int n = snprintf(rq->allow + used, sizeof rq->allow - used, "%s%s",
                                 used ? ", " : "", ROUTES[i].method);
                if (n < 0 || (size_t)n >= sizeof rq->allow - used)
                    break;
                used += (size_t)n;
            }
            *result = reply_error(rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed", NULL);
        } else {
            *result = reply_error(rq, MHD_HTTP_NOT_FOUND, "not_found", NULL);
        }
        return true;
    }
    unsigned flags = ctx->route->flags;
    if (flags & R_AUTH) {
        int retry = 0;
        switch (auth_check(rq->srv->auth, request_header(rq, MHD_HTTP_HEADER_AUTHORIZATION),
                           !(flags & R_UNLIMITED), &ctx->actor, &retry)) {
        case AUTH_CHECK_OK:
            rq->actor = &ctx->actor;
            break;
        case AUTH_CHECK_EXPIRED:
            *result = reply_error(rq, MHD_HTTP_UNAUTHORIZED, "session_expired", NULL);
            return true;
        case AUTH_CHECK_THROTTLED:
            rq->retry_after = retry;
            *result = reply_error(rq, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_requests", NULL);
            return true;
        default:
            *result = reply_error(rq, MHD_HTTP_UNAUTHORIZED, "unauthorized", NULL);
            return true;
        }
    }
    if ((flags & R_IF_MATCH) && !request_header(rq, MHD_HTTP_HEADER_IF_MATCH)) {
        *result = reply_error(rq, MHD_HTTP_PRECONDITION_REQUIRED, "if_match_required", NULL);
        return true;
    }
    const char *cl = request_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
    bool has_body =
        (cl && strtoull(cl, NULL, 10) > 0) || request_header(rq, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    if (((flags & R_JSON) || ((flags & R_JSON_OPT) && has_body)) &&
        !content_type_json(request_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        *result = reply_error(rq, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", NULL);
        return true;
    }
    if (cl && strtoull(cl, NULL, 10) > rq->srv->opts.max_body) {
        *result = reply_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large", NULL);
        return true;
    }
    return false;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
    snprintf(out, size, "-");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_cls)
{
    struct conn_ctx *ctx = *req_cls;
    if (!ctx) {
        ctx = calloc(1, sizeof *ctx);
        if (!ctx)
            return MHD_NO;
        *req_cls = ctx;
        clock_gettime(CLOCK_MONOTONIC, &ctx->start);
        snprintf(ctx->method, sizeof ctx->method, "%s", method);
        snprintf(ctx->path, sizeof ctx->path, "%s", url);
        memcpy(ctx->split, ctx->path, sizeof ctx->split);
        client_ip(conn, ctx->ip, sizeof ctx->ip);
        struct request *rq = &ctx->rq;
        rq->srv = cls;
        rq->conn = conn;
        rq->method = ctx->method;
        rq->path = ctx->path;
        rq->client_ip = ctx->ip;
        const char *al =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
        rq->lang = mx_lang_from_string(al ? al : "");
        int result = MHD_YES;
        if (precheck(ctx, version, &result))
            return (enum MHD_Result)result;
        return MHD_YES;
    }
    struct request *rq = &ctx->rq;
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (ctx->rq.status || ctx->too_large)
            return MHD_YES;
        if (ctx->len + n > rq->srv->opts.max_body) {
            /* Chunked bodies announce no length: drop the rest and answer 413 at the end. */
            ctx->too_large = true;
            free(ctx->body);
            ctx->body = NULL;
            ctx->len = ctx->cap = 0;
            return MHD_YES;
        }
        if (ctx->len + n + 1 > ctx->cap) {
            size_t cap = ctx->cap ? ctx->cap : 1024;
            while (cap < ctx->len + n + 1)
                cap *= 2;
            if (cap > rq->srv->opts.max_body + 1)
                cap = rq->srv->opts.max_body + 1;
            char *nb = realloc(ctx->body, cap);
            if (!nb)
                return MHD_NO;
            ctx->body = nb;
            ctx->cap = cap;
        }
        memcpy(ctx->body + ctx->len, upload_data, n);
        ctx->len += n;
        return MHD_YES;
    }
    if (ctx->rq.status)
        return MHD_YES;
    if (ctx->too_large)
        return (enum MHD_Result)reply_error(rq, MHD_HTTP_CONTENT_TOO_LARGE, "payload_too_large",
                                            NULL);
    if (!ctx->body) {
        ctx->body = malloc(1);
        if (!ctx->body)
            return MHD_NO;
    }
    ctx->body[ctx->len] = '\0';
    rq->body = ctx->body;
    rq->body_len = ctx->len;
    int result = ctx->route->fn(rq);
    if (!ctx->rq.status)
        result = reply_error(rq, 500, "internal", NULL);
    return (enum MHD_Result)result;
}

/* A byte of client text as the log may show it: control bytes and spaces become '?'. */
static char log_safe(unsigned char c)
{
    return (char)((c < 0x20 || c == 0x7f || c == ' ') ? '?' : c);
}

/* The request log: one line per request, after the reply went out. Only method, path (never
 * the query string, which libmicrohttpd keeps apart), status and time: no header, no body. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    struct conn_ctx *ctx = *req_cls;
    if (!ctx)
        return;
    *req_cls = NULL;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double ms = (double)(end.tv_sec - ctx->start.tv_sec) * 1e3 +
                (double)(end.tv_nsec - ctx->start.tv_nsec) / 1e6;
    char when[32];
    db_time_iso(time(NULL), when);
    char path[256];
    size_t n = 0;
    /* The path came URL-decoded: control bytes must not reach the log as such. */
    for (const unsigned char *p = (const unsigned char *)ctx->path; *p && n < sizeof path - 4; p++)
        path[n++] = log_safe(*p);
    if (ctx->path[n] && n >= sizeof path - 4) {
        memcpy(path + n, "...", 3);
        n += 3;
    }
    path[n] = '\0';
    /* libmicrohttpd takes any bytes but space as the method: the same rule as for the path. */
    char method[sizeof ctx->method];
    for (n = 0; ctx->method[n]; n++)
        method[n] = log_safe((unsigned char)ctx->method[n]);
    method[n] = '\0';
    char line[512];
    int len =
        snprintf(line, sizeof line, "%s %s %s %s %u %.2f%s\n", when, ctx->ip, method, path,
                 ctx->rq.status, ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    if (len > 0) {
        /* One write per line keeps lines of concurrent threads whole. */
        ssize_t w =
            write(STDERR_FILENO, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
        (void)w;
    }
    free(ctx->body);
    free(ctx);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    fprintf(stderr, "mxapid: libmicrohttpd: %s\n", msg);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* Splits "HOST:PORT" or "[V6]:PORT" and resolves it to a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        return -1;
    size_t hl = (size_t)(colon - listen);
    const char *h = listen;
    if (listen[0] == '[' && colon[-1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= sizeof host)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
        return -1;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    return 0;
}

struct http *http_start(struct server *srv, int *port)
{
    struct http *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->srv = srv;
    h->quiesced_fd = MHD_INVALID_SOCKET;
    const struct server_opts *o = &srv->opts;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (parse_listen(o->listen, &ss) != 0) {
        fprintf(stderr, "mxapid: cannot use --listen %s\n", o->listen);
        goto fail;
    }
    unsigned flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (o->tls_cert) {
        h->tls_cert = read_file(o->tls_cert);
        h->tls_key = read_file(o->tls_key);
        if (!h->tls_cert || !h->tls_key) {
            fprintf(stderr, "mxapid: cannot read --tls-cert / --tls-key\n");
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, h->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, h->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    if (!o->tls_cert)
        tls_opts[0].option = MHD_OPTION_END;
    h->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)o->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned int)o->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)o->per_ip, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)o->conn_timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)o->conn_memory,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_ARRAY, tls_opts,
        MHD_OPTION_END);
    if (!h->d) {
        fprintf(stderr, "mxapid: cannot listen on %s%s\n", o->listen,
                o->tls_cert ? " (or the TLS certificate / key was refused)" : "");
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : 0;
    return h;
fail:
    http_stop(&h);
    return NULL;
}

void http_quiesce(struct http *h)
{
    if (h && h->d && h->quiesced_fd == MHD_INVALID_SOCKET)
        h->quiesced_fd = MHD_quiesce_daemon(h->d);
}

void http_stop(struct http **ph)
{
    struct http *h = ph ? *ph : NULL;
    if (!h)
        return;
    if (h->d)
        MHD_stop_daemon(h->d);
    if (h->quiesced_fd != MHD_INVALID_SOCKET)
        close(h->quiesced_fd);
    free(h->tls_cert);
    free(h->tls_key);
    free(h);
    *ph = NULL;
}
