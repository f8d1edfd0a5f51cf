/* http_raw: raw HTTP/1.1 over TCP with deadlines, and the JSON helpers the API tests use. */
#include "tests/support/http_raw.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/test_util.h"

/* A response larger than this is a server bug as far as the tests are concerned. */
#define HTTP_MAX_RESPONSE ((size_t)64 * 1024 * 1024)

static int left_ms(long long deadline)
{
    long long left = deadline - test_now_ms();
    return left < 0 ? 0 : (int)left;
}

int http_connect(int port, int timeout_ms)
{
    return http_connect_from(port, NULL, timeout_ms);
}

int http_connect_from(int port, const char *source, int timeout_ms)
{
    long long deadline = test_now_ms() + timeout_ms;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (source != NULL) {
        struct sockaddr_in src = {.sin_family = AF_INET, .sin_port = 0};
        if (inet_pton(AF_INET, source, &src.sin_addr) != 1 ||
            bind(fd, (struct sockaddr *)&src, sizeof src) != 0)
            goto fail;
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (errno != EINPROGRESS)
            goto fail;
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int r;
        do
            r = poll(&p, 1, left_ms(deadline));
        while (r < 0 && errno == EINTR);
        if (r <= 0)
            goto fail;
        int err = 0;
        socklen_t elen = sizeof err;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0)
            goto fail;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
fail:
    close(fd);
    return -1;
}

int http_send_all(int fd, const void *data, size_t len, int timeout_ms)
{
    long long deadline = test_now_ms() + timeout_ms;
    const char *p = data;
    while (len > 0) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            len -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLOUT};
        int left = left_ms(deadline);
        if (left == 0 || poll(&pfd, 1, left) == 0)
            return -1;
    }
    return 0;
}

/* A growable byte buffer. */
struct buf {
    char *data;
    size_t len, cap;
};

static int buf_reserve(struct buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 8192;
    while (cap < b->len + extra + 1)
        cap *= 2;
    if (cap > HTTP_MAX_RESPONSE)
        return -1;
    char *d = realloc(b->data, cap);
    if (d == NULL)
        return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* Reads more bytes into b; returns bytes read, 0 on close, -1 on error or deadline. */
static ssize_t read_more(int fd, struct buf *b, long long deadline)
{
    if (buf_reserve(b, 16384) != 0)
        return -1;
    for (;;) {
        ssize_t got = recv(fd, b->data + b->len, b->cap - 1 - b->len, 0);
        if (got >= 0) {
            b->len += (size_t)got;
            b->data[b->len] = '\0';
            return got;
        }
        if (errno == ECONNRESET)
            return 0;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -1;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int left = left_ms(deadline);
        if (left == 0)
            return -1;
        int r = poll(&pfd, 1, left);
        if (r == 0)
            return -1;
    }
}

static char *dup_range(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Parses the status line and headers in head[0..len); fills out. Returns 0 or -1. */
static int parse_head(const char *head, size_t len, struct http_response *out)
{
    const char *end = head + len;
    const char *eol = memchr(head, '\n', len);
    if (eol == NULL || len < 12 || strncmp(head, "HTTP/1.", 7) != 0)
        return -1;
    int status = 0;
    for (const char *p = head + 9; p < head + 12; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        status = status * 10 + (*p - '0');
    }
    out->status = status;
    const char *reason = head + 12;
    while (reason < eol && *reason == ' ')
        reason++;
    size_t rlen = (size_t)(eol - reason);
    while (rlen > 0 && (reason[rlen - 1] == '\r'))
        rlen--;
    if (rlen >= sizeof out->reason)
        rlen = sizeof out->reason - 1;
    memcpy(out->reason, reason, rlen);
    out->reason[rlen] = '\0';
    for (const char *line = eol + 1; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        if (nl == NULL)
            nl = end;
        size_t llen = (size_t)(nl - line);
        if (llen > 0 && line[llen - 1] == '\r')
            llen--;
        if (llen == 0)
            break;
        const char *colon = memchr(line, ':', llen);
        if (colon != NULL) {
            const char *v = colon + 1;
            const char *vend = line + llen;
            while (v < vend && (*v == ' ' || *v == '\t'))
                v++;
            while (vend > v && (vend[-1] == ' ' || vend[-1] == '\t'))
                vend--;
            struct http_header *h =
                realloc(out->headers, (out->n_headers + 1) * sizeof *out->headers);
            if (h == NULL)
                return -1;
            out->headers = h;
            h[out->n_headers].name = dup_range(line, (size_t)(colon - line));
            h[out->n_headers].value = dup_range(v, (size_t)(vend - v));
            out->n_headers++;
        }
        line = nl + 1;
    }
    return 0;
}

/* Decodes a chunked body in place from data[0..len). Returns the decoded length, -2 when more
 * bytes are needed, -1 on a malformed body. */
static long long dechunk(const char *data, size_t len, struct buf *outb)
{
    size_t pos = 0;
    outb->len = 0;
    for (;;) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        if (nl == NULL)
            return -2;
        char *e = NULL;
        unsigned long long size = strtoull(data + pos, &e, 16);
        if (e == data + pos)
            return -1;
        pos = (size_t)(nl - data) + 1;
        if (size == 0) {
            /* Trailers end with an empty line. */
            for (;;) {
                const char *tl = memchr(data + pos, '\n', len - pos);
                if (tl == NULL)
                    return -2;
                size_t tlen = (size_t)(tl - (data + pos));
                pos = (size_t)(tl - data) + 1;
                if (tlen == 0 || (tlen == 1 && data[pos - 2] == '\r'))
                    return (long long)outb->len;
            }
        }
        if (size > HTTP_MAX_RESPONSE)
            return -1;
        if (len - pos < size + 2)
            return -2;
        if (buf_reserve(outb, (size_t)size) != 0)
            return -1;
        memcpy(outb->data + outb->len, data + pos, (size_t)size);
        outb->len += (size_t)size;
        outb->data[outb->len] = '\0';
        pos += (size_t)size;
        if (data[pos] == '\r')
            pos++;
        if (pos < len && data[pos] == '\n')
            pos++;
    }
}

/* True when a Transfer-Encoding value names chunked (ASCII, case-insensitive). */
static bool strcasestr_ascii_chunked(const char *te)
{
    for (const char *p = te; *p != '\0'; p++)
        if (strncasecmp(p, "chunked", 7) == 0)
            return true;
    return false;
}

static void response_reset(struct http_response *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

void http_response_free(struct http_response *r)
{
    response_reset(r);
}

int http_read_response(int fd, bool head_only, int timeout_ms, struct http_response *out)
{
    memset(out, 0, sizeof *out);
    long long deadline = test_now_ms() + timeout_ms;
    struct buf b = {0};
    size_t start = 0; /* where the current (non-1xx) response begins */
    int rc = -1;
    for (;;) {
        char *hend = b.data ? strstr(b.data + start, "\r\n\r\n") : NULL;
        size_t sep = 4;
        if (hend == NULL && b.data != NULL) {
            hend = strstr(b.data + start, "\n\n");
            sep = 2;
        }
        if (hend != NULL) {
            size_t head_len = (size_t)(hend - (b.data + start));
            size_t body_at = (size_t)(hend - b.data) + sep;
            response_reset(out);
            if (parse_head(b.data + start, head_len, out) != 0)
                goto done;
            if (out->status >= 100 && out->status < 200) {
                start = body_at;
                continue;
            }
            const char *te = http_header_get(out, "Transfer-Encoding");
            const char *cl = http_header_get(out, "Content-Length");
            bool no_body = head_only || out->status == 204 || out->status == 304;
            if (no_body) {
                out->body = dup_range("", 0);
                rc = 0;
                goto done;
            }
            if (te != NULL && strcasestr_ascii_chunked(te)) {
                struct buf d = {0};
                long long n = dechunk(b.data + body_at, b.len - body_at, &d);
                if (n >= 0) {
                    out->body = d.data ? d.data : dup_range("", 0);
                    out->body_len = (size_t)n;
                    rc = 0;
                    goto done;
                }
                free(d.data);
                if (n == -1)
                    goto done;
            } else if (cl != NULL) {
                char *e = NULL;
                unsigned long long want = strtoull(cl, &e, 10);
                if (e == cl || want > HTTP_MAX_RESPONSE)
                    goto done;
                if (b.len - body_at >= want) {
                    out->body = dup_range(b.data + body_at, (size_t)want);
                    out->body_len = (size_t)want;
                    rc = 0;
                    goto done;
                }
            }
            /* Without length: the body ends when the server closes. */
            ssize_t got = read_more(fd, &b, deadline);
            if (got == 0 && te == NULL && cl == NULL) {
                out->body = dup_range(b.data + body_at, b.len - body_at);
                out->body_len = b.len - body_at;
                rc = 0;
                goto done;
            }
            if (got <= 0)
                goto done;
            continue;
        }
        if (read_more(fd, &b, deadline) <= 0)
            goto done;
    }
done:
    free(b.data);
    if (rc != 0) {
        response_reset(out);
    } else if (out->body == NULL) {
        rc = -1;
        response_reset(out);
    }
    return rc;
}

int http_raw_exchange(int port, const void *bytes, size_t len, int timeout_ms,
                      struct http_response *out)
{
    memset(out, 0, sizeof *out);
    long long deadline = test_now_ms() + timeout_ms;
    int fd = http_connect(port, timeout_ms);
    if (fd < 0)
        return -1;
    /* A server may answer and close before reading everything: a failed send is not fatal. */
    (void)http_send_all(fd, bytes, len, left_ms(deadline));
    int rc = http_read_response(fd, false, left_ms(deadline), out);
    close(fd);
    return rc;
}

int http_request(int port, const char *method, const char *path, const char *const *headers,
                 const char *body, size_t body_len, struct http_response *out)
{
    memset(out, 0, sizeof *out);
    struct buf req = {0};
    size_t need = strlen(method) + strlen(path) + 128;
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        need += strlen(headers[i]) + 2;
    if (buf_reserve(&req, need + body_len) != 0)
        return -1;
    int n =
        snprintf(req.data, req.cap, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n",
                 method, path, port);
    if (n < 0 || (size_t)n >= req.cap) {
        free(req.data);
        return -1;
    }
    req.len = (size_t)n;
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
        size_t hl = strlen(headers[i]);
        memcpy(req.data + req.len, headers[i], hl);
        memcpy(req.data + req.len + hl, "\r\n", 2);
        req.len += hl + 2;
    }
    if (body != NULL) {
        n = snprintf(req.data + req.len, req.cap - req.len, "Content-Length: %zu\r\n", body_len);
        req.len += (size_t)n;
    }
    memcpy(req.data + req.len, "\r\n", 2);
    req.len += 2;
    if (body != NULL && body_len > 0) {
        memcpy(req.data + req.len, body, body_len);
        req.len += body_len;
    }
    long long deadline = test_now_ms() + HTTP_RAW_TIMEOUT_MS;
    int fd = http_connect(port, HTTP_RAW_TIMEOUT_MS);
    int rc = -1;
    if (fd >= 0) {
        (void)http_send_all(fd, req.data, req.len, left_ms(deadline));
        rc = http_read_response(fd, strcmp(method, "HEAD") == 0, left_ms(deadline), out);
        close(fd);
    }
    free(req.data);
    return rc;
}

int http_call(int port, const char *method, const char *path, const char *token,
              const char *if_match, const char *body, struct http_response *out)
{
    char auth[512], match[128];
    const char *headers[5];
    size_t n = 0;
    if (token != NULL) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers[n++] = auth;
    }
    if (if_match != NULL) {
        snprintf(match, sizeof match, "If-Match: %s", if_match);
        headers[n++] = match;
    }
    if (body != NULL)
        headers[n++] = "Content-Type: application/json";
    headers[n] = NULL;
    return http_request(port, method, path, headers, body, body != NULL ? strlen(body) : 0, out);
}

const char *http_header_get(const struct http_response *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (r->headers[i].name != NULL && strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

cJSON *http_json(struct http_response *r)
{
    if (r->json == NULL && r->body != NULL && r->body_len > 0)
        r->json = cJSON_ParseWithLength(r->body, r->body_len);
    return r->json;
}

cJSON *http_json_item(struct http_response *r, const char *path)
{
    cJSON *it = http_json(r);
    char seg[128];
    const char *p = path;
    while (it != NULL && *p != '\0') {
        size_t n = strcspn(p, ".");
        if (n >= sizeof seg)
            return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        p += n;
        if (*p == '.')
            p++;
        char *e = NULL;
        long idx = strtol(seg, &e, 10);
        if (cJSON_IsArray(it) && e != seg && *e == '\0')
            it = cJSON_GetArrayItem(it, (int)idx);
        else if (cJSON_IsObject(it))
            it = cJSON_GetObjectItemCaseSensitive(it, seg);
        else
            it = NULL;
    }
    return it;
}

const char *http_json_string(struct http_response *r, const char *path)
{
    cJSON *it = http_json_item(r, path);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

double http_json_number(struct http_response *r, const char *path, double def)
{
    cJSON *it = http_json_item(r, path);
    return cJSON_IsNumber(it) ? it->valuedouble : def;
}

const char *http_error_code(struct http_response *r)
{
    return http_json_string(r, "error.code");
}

int http_login_otp(int port, const char *login, const char *password, const char *otp,
                   char *token_out, size_t token_size)
{
    cJSON *o = cJSON_CreateObject();
    if (o == NULL)
        return -1;
    cJSON_AddStringToObject(o, "login", login);
    cJSON_AddStringToObject(o, "password", password);
    if (otp != NULL)
        cJSON_AddStringToObject(o, "otp", otp);
    char *body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (body == NULL)
        return -1;
    struct http_response r;
    int rc = http_call(port, "POST", "/v1/sessions", NULL, NULL, body, &r);
    free(body);
    if (rc != 0)
        return -1;
    int status = r.status;
    const char *tok = http_json_string(&r, "token");
    if (token_out != NULL && token_size > 0) {
        token_out[0] = '\0';
        if (status == 201 && tok != NULL && strlen(tok) < token_size)
            memcpy(token_out, tok, strlen(tok) + 1);
    }
    http_response_free(&r);
    return status;
}

int http_login(int port, const char *login, const char *password, char *token_out,
               size_t token_size)
{
    return http_login_otp(port, login, password, NULL, token_out, token_size);
}

int http_get_etag(int port, const char *token, const char *name, char *etag_out, size_t etag_size)
{
    char path[512];
    snprintf(path, sizeof path, "/v1/domains/%s/mx", name);
    struct http_response r;
    if (http_call(port, "GET", path, token, NULL, NULL, &r) != 0)
        return -1;
    int status = r.status;
    const char *etag = http_header_get(&r, "ETag");
    if (etag_size > 0) {
        etag_out[0] = '\0';
        if (etag != NULL && strlen(etag) < etag_size)
            memcpy(etag_out, etag, strlen(etag) + 1);
    }
    http_response_free(&r);
    return status;
}

int http_read_until_close(int fd, int timeout_ms, char **out, size_t *len)
{
    long long deadline = test_now_ms() + timeout_ms;
    struct buf b = {0};
    int rc = -1;
    for (;;) {
        ssize_t got = read_more(fd, &b, deadline);
        if (got == 0) {
            rc = 0;
            break;
        }
        if (got < 0) {
            /* A reset after the reply counts as closed; a deadline does not. */
            if (errno == ECONNRESET)
                rc = 0;
            break;
        }
    }
    if (buf_reserve(&b, 0) != 0) {
        free(b.data);
        return -1;
    }
    b.data[b.len] = '\0';
    *out = b.data;
    *len = b.len;
    return rc;
}
