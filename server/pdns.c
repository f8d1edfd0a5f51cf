/* pdns: the PowerDNS HTTP API over libcurl, with the key kept out of every text. */
#include "server/pdns.h"

#include <curl/curl.h>
#include <errno.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A key longer than this is no PowerDNS key (they are short random strings). */
#define KEY_MAX 512
/* The zone list of a large installation fits; anything bigger is a broken answer. */
#define REPLY_MAX ((size_t)64 * 1024 * 1024)

struct pdns {
    CURL *curl;
    char *base;     /* "http://host:port/api/v1/servers/<id>" */
    char *key_file; /* path, kept to re-read the key */
    char *key;      /* sodium_malloc'd: wiped when freed */
    struct curl_slist *headers;
    int timeout_ms;
    char curl_error[CURL_ERROR_SIZE];
};

struct body {
    char *data;
    size_t len, cap;
    bool too_big;
};

const char *pdns_status_name(enum pdns_status status)
{
    switch (status) {
    case PDNS_OK:
        return "ok";
    case PDNS_UNREACHABLE:
        return "unreachable";
    case PDNS_KEY_REFUSED:
        return "key_refused";
    case PDNS_SERVER_ERROR:
        return "server_error";
    case PDNS_NOT_FOUND:
        return "not_found";
    case PDNS_REJECTED:
        return "rejected";
    case PDNS_BAD_REPLY:
        return "bad_reply";
    }
    return "?";
}

/* Frees a header list after wiping its strings: one of them holds the key. */
static void headers_free(struct curl_slist **h)
{
    for (struct curl_slist *it = *h; it; it = it->next)
        sodium_memzero(it->data, strlen(it->data));
    curl_slist_free_all(*h);
    *h = NULL;
}

/* Reads the key file into a fresh sodium buffer. Returns it, or NULL (reason on stderr). */
static char *key_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mxapid: cannot open --pdns-key-file %s: %s\n", path, strerror(errno));
        return NULL;
    }
    char *key = sodium_malloc(KEY_MAX + 2);
    size_t n = key ? fread(key, 1, KEY_MAX + 1, f) : 0;
    fclose(f);
    if (!key)
        return NULL;
    while (n > 0 &&
           (key[n - 1] == '\n' || key[n - 1] == '\r' || key[n - 1] == ' ' || key[n - 1] == '\t'))
        n--;
    key[n] = '\0';
    const char *why = NULL;
    if (n == 0)
        why = "is empty";
    else if (n > KEY_MAX)
        why = "is too long for an API key";
    for (size_t i = 0; i < n && !why; i++) {
        unsigned char c = (unsigned char)key[i];
        if (c <= 0x20 || c >= 0x7f)
            why = "holds a character an API key cannot have (one line of printable ASCII)";
    }
    if (why) {
        fprintf(stderr, "mxapid: --pdns-key-file %s %s\n", path, why);
        sodium_free(key);
        return NULL;
    }
    return key;
}

/* Builds the header list for key; NULL on out of memory. */
static struct curl_slist *headers_make(const char *key)
{
    char line[KEY_MAX + 16];
    int n = snprintf(line, sizeof line, "X-API-Key: %s", key);
    struct curl_slist *h = NULL;
    if (n > 0 && (size_t)n < sizeof line) {
        h = curl_slist_append(NULL, line);
        struct curl_slist *more = h ? curl_slist_append(h, "Accept: application/json") : NULL;
        more = more ? curl_slist_append(more, "Content-Type: application/json") : NULL;
        if (!more)
            headers_free(&h);
    }
    sodium_memzero(line, sizeof line);
    return h;
}

int pdns_reload_key(struct pdns *p)
{
    char *key = key_read(p->key_file);
    struct curl_slist *h = key ? headers_make(key) : NULL;
    if (!h) {
        if (key)
            sodium_free(key);
        return -1;
    }
    headers_free(&p->headers);
    if (p->key)
        sodium_free(p->key);
    p->key = key;
    p->headers = h;
    return 0;
}

/* Only http(s)://authority[/]: the API paths are ours to add. */
static bool url_ok(const char *url)
{
    const char *rest = strncmp(url, "http://", 7) == 0    ? url + 7
                       : strncmp(url, "https://", 8) == 0 ? url + 8
                                                          : NULL;
    if (!rest || !*rest || *rest == '/')
        return false;
    const char *slash = strchr(rest, '/');
    if (slash && slash[1])
        return false;
    for (const char *c = url; *c; c++)
        if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || *c == '?' || *c == '#' ||
            *c == '@')
            return false;
    return true;
}

struct pdns *pdns_new(const char *url, const char *server_id, const char *key_file, int timeout_ms)
{
    if (!url_ok(url)) {
        fprintf(stderr, "mxapid: --pdns-url must be http(s)://HOST[:PORT] without a path, not %s\n",
                url);
        return NULL;
    }
    struct pdns *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->timeout_ms = timeout_ms;
    p->key_file = strdup(key_file);
    p->curl = curl_easy_init();
    char *id = p->curl ? curl_easy_escape(p->curl, server_id, 0) : NULL;
    size_t ulen = strlen(url);
    if (ulen && url[ulen - 1] == '/')
        ulen--;
    size_t blen = ulen + (id ? strlen(id) : 0) + 32;
    p->base = malloc(blen);
    if (!p->key_file || !p->curl || !id || !p->base) {
        curl_free(id);
        pdns_free(&p);
        return NULL;
    }
    snprintf(p->base, blen, "%.*s/api/v1/servers/%s", (int)ulen, url, id);
    curl_free(id);
    if (pdns_reload_key(p) != 0) {
        pdns_free(&p);
        return NULL;
    }
    return p;
}

void pdns_free(struct pdns **pp)
{
    struct pdns *p = pp ? *pp : NULL;
    if (!p)
        return;
    if (p->curl)
        curl_easy_cleanup(p->curl);
    headers_free(&p->headers);
    if (p->key)
        sodium_free(p->key);
    free(p->base);
    free(p->key_file);
    free(p);
    *pp = NULL;
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
    struct body *b = user;
    size_t n = size * nmemb;
    if (b->len + n + 1 > REPLY_MAX) {
        b->too_big = true;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *nd = realloc(b->data, cap);
        if (!nd)
            return 0;
        b->data = nd;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

/* Copies text into out as one line people and logs may see: printable ASCII only, every
 * occurrence of the key replaced, cut to fit. */
static void sanitise_into(const struct pdns *p, char *out, size_t size, const char *text)
{
    size_t klen = p->key ? strlen(p->key) : 0;
    size_t n = 0;
    for (const char *s = text; *s && n + 1 < size;) {
        if (klen && strncmp(s, p->key, klen) == 0) {
            const char *mark = "[key]";
            for (const char *m = mark; *m && n + 1 < size; m++)
                out[n++] = *m;
            s += klen;
            continue;
        }
        unsigned char c = (unsigned char)*s++;
        out[n++] = (char)((c >= 0x20 && c < 0x7f) ? c : '?');
    }
    out[n] = '\0';
    /* The key could straddle the cut or hide inside replaced bytes only if it held them, which
     * key_read refuses; a last scan makes sure. */
    if (klen && strstr(out, p->key))
        snprintf(out, size, "(error text withheld: it contained the API key)");
}

/* The "error" member of a PowerDNS error body, else the body's first line. */
static void error_text(const struct body *b, char *out, size_t size)
{
    out[0] = '\0';
    if (!b->data || !b->len)
        return;
    cJSON *j = cJSON_ParseWithLength(b->data, b->len);
    const cJSON *e = j ? cJSON_GetObjectItemCaseSensitive(j, "error") : NULL;
    if (e && cJSON_IsString(e) && e->valuestring)
        snprintf(out, size, "%s", e->valuestring);
    else
        snprintf(out, size, "%.*s", (int)strcspn(b->data, "\r\n"), b->data);
    cJSON_Delete(j);
}

/* One call: method on base + path with body (may be NULL); want is the success status. */
static void call(struct pdns *p, const char *method, const char *path, const char *body, long want,
                 bool parse, struct pdns_reply *out)
{
    memset(out, 0, sizeof *out);
    struct body b = {0};
    char url[2048];
    int ul = snprintf(url, sizeof url, "%s%s", p->base, path);
    if (ul < 0 || (size_t)ul >= sizeof url) {
        out->status = PDNS_REJECTED;
        snprintf(out->error, sizeof out->error, "PowerDNS: the request path is too long");
        return;
    }
    CURL *c = p->curl;
    curl_easy_reset(c);
    p->curl_error[0] = '\0';
    CURLcode rc = CURLE_OK;
    rc |= curl_easy_setopt(c, CURLOPT_URL, url);
    rc |= curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    rc |= curl_easy_setopt(c, CURLOPT_HTTPHEADER, p->headers);
    rc |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    rc |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)p->timeout_ms);
    rc |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)p->timeout_ms);
    rc |= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    rc |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    rc |= curl_easy_setopt(c, CURLOPT_PROXY, "");
    rc |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, p->curl_error);
    rc |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    rc |= curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (body) {
        rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        rc |= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (rc != CURLE_OK) {
        out->status = PDNS_BAD_REPLY;
        snprintf(out->error, sizeof out->error, "PowerDNS: cannot set up the request");
        goto done;
    }
    CURLcode res = curl_easy_perform(c);
    char text[512];
    if (res != CURLE_OK) {
        out->status = b.too_big ? PDNS_BAD_REPLY : PDNS_UNREACHABLE;
        if (b.too_big)
            snprintf(text, sizeof text, "PowerDNS: the answer is too large");
        else if ((out->timed_out = res == CURLE_OPERATION_TIMEDOUT))
            snprintf(text, sizeof text, "PowerDNS did not answer within %d ms", p->timeout_ms);
        else
            snprintf(text, sizeof text, "PowerDNS unreachable: %s",
                     p->curl_error[0] ? p->curl_error : curl_easy_strerror(res));
        sanitise_into(p, out->error, sizeof out->error, text);
        goto done;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->http_status);
    long st = out->http_status;
    if (st == want) {
        out->status = PDNS_OK;
        if (parse) {
            out->json = b.data ? cJSON_ParseWithLength(b.data, b.len) : NULL;
            if (!out->json) {
                out->status = PDNS_BAD_REPLY;
                snprintf(out->error, sizeof out->error,
                         "PowerDNS answered HTTP %ld without a JSON body", st);
            }
        }
        goto done;
    }
    char why[300];
    error_text(&b, why, sizeof why);
    if (st == 401 || st == 403) {
        out->status = PDNS_KEY_REFUSED;
        snprintf(text, sizeof text, "PowerDNS refused the API key (HTTP %ld)", st);
    } else {
        out->status = st >= 500   ? PDNS_SERVER_ERROR
                      : st == 404 ? PDNS_NOT_FOUND
                      : st >= 400 ? PDNS_REJECTED
                                  : PDNS_BAD_REPLY;
        snprintf(text, sizeof text, "PowerDNS answered HTTP %ld%s%s", st, why[0] ? ": " : "", why);
    }
    sanitise_into(p, out->error, sizeof out->error, text);
done:
    /* The header list stays ours; curl must not keep pointing at it across a key reload. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    free(b.data);
}

void pdns_list_zones(struct pdns *p, struct pdns_reply *out)
{
    call(p, "GET", "/zones?dnssec=false", NULL, 200, true, out);
    if (out->status == PDNS_OK && !cJSON_IsArray(out->json)) {
        cJSON_Delete(out->json);
        out->json = NULL;
        out->status = PDNS_BAD_REPLY;
        snprintf(out->error, sizeof out->error, "PowerDNS: the zone list is not an array");
    }
}

void pdns_create_zone(struct pdns *p, const cJSON *zone, struct pdns_reply *out)
{
    char *body = cJSON_PrintUnformatted(zone);
    if (!body) {
        memset(out, 0, sizeof *out);
        out->status = PDNS_BAD_REPLY;
        snprintf(out->error, sizeof out->error, "out of memory");
        return;
    }
    call(p, "POST", "/zones", body, 201, false, out);
    cJSON_free(body);
}

void pdns_patch_zone(struct pdns *p, const char *zone, const cJSON *body, struct pdns_reply *out)
{
    char path[600];
    char *text = cJSON_PrintUnformatted(body);
    char *id = curl_easy_escape(p->curl, zone, 0);
    int n = id ? snprintf(path, sizeof path, "/zones/%s", id) : -1;
    if (!text || n < 0 || (size_t)n >= sizeof path) {
        memset(out, 0, sizeof *out);
        out->status = PDNS_REJECTED;
        snprintf(out->error, sizeof out->error, "PowerDNS: cannot build the request");
    } else {
        call(p, "PATCH", path, text, 204, false, out);
    }
    curl_free(id);
    cJSON_free(text);
}

void pdns_flush_cache(struct pdns *p, const char *zone, struct pdns_reply *out)
{
    char path[600];
    char *id = curl_easy_escape(p->curl, zone, 0);
    int n = id ? snprintf(path, sizeof path, "/cache/flush?domain=%s", id) : -1;
    curl_free(id);
    if (n < 0 || (size_t)n >= sizeof path) {
        memset(out, 0, sizeof *out);
        out->status = PDNS_REJECTED;
        snprintf(out->error, sizeof out->error, "PowerDNS: cannot build the request");
        return;
    }
    call(p, "PUT", path, NULL, 200, false, out);
}

void pdns_ping(struct pdns *p, struct pdns_reply *out)
{
    call(p, "GET", "", NULL, 200, false, out);
}
