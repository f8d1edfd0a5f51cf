/* client_calls: the API v1 calls — each builds its path and body and hands them to the engine
 * (api_request_start), which returns at once. */
#define _DEFAULT_SOURCE /* explicit_bzero: request bodies may hold a password */

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client_internal.h"
#include "api/mx_codec.h"

/* Arguments longer than this are refused before anything is sent. */
#define ARG_MAX_BYTES 1024

void api_sb_add(struct api_sbuf *b, const char *s, size_t n)
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

void api_sb_str(struct api_sbuf *b, const char *s)
{
    api_sb_add(b, s, strlen(s));
}

void api_sb_long(struct api_sbuf *b, long long v)
{
    char num[32];
    int n = snprintf(num, sizeof(num), "%lld", v);
    api_sb_add(b, num, (size_t)n);
}

/* A JSON string literal. */
void api_sb_json(struct api_sbuf *b, const char *s)
{
    api_sb_add(b, "\"", 1);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            char esc[2] = {'\\', (char)ch};
            api_sb_add(b, esc, 2);
        } else if (ch < 0x20) {
            char esc[8];
            int n = snprintf(esc, sizeof(esc), "\\u%04x", ch);
            api_sb_add(b, esc, (size_t)n);
        } else {
            api_sb_add(b, (const char *)&ch, 1);
        }
    }
    api_sb_add(b, "\"", 1);
}

/* A path segment, percent-encoded. "." and ".." are encoded too: as they are, curl (like any URL
 * parser) would take them for dot segments and send the request to another path. */
void api_sb_seg(struct api_sbuf *b, const char *s)
{
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
        api_sb_str(b, s[1] ? "%2E%2E" : "%2E");
        return;
    }
    char *e = curl_easy_escape(NULL, s, (int)strlen(s));
    if (!e) {
        b->oom = true;
        return;
    }
    api_sb_str(b, e);
    curl_free(e);
}

void api_sb_wipe(struct api_sbuf *b)
{
    if (b->p) {
        explicit_bzero(b->p, b->cap);
        free(b->p);
        b->p = NULL;
    }
    b->len = b->cap = 0;
}

static bool arg_ok(const char *s)
{
    return s && strnlen(s, ARG_MAX_BYTES + 1) <= ARG_MAX_BYTES;
}

uint64_t api_start_login(struct api_client *c, const char *login, const char *password,
                         const char *otp, api_done_fn *done, void *user)
{
    if (!arg_ok(login) || !arg_ok(password) || (otp && !arg_ok(otp)))
        return 0;
    struct api_sbuf path = {0}, body = {0};
    api_sb_str(&path, "/v1/sessions");
    api_sb_str(&body, "{\"login\":");
    api_sb_json(&body, login);
    api_sb_str(&body, ",\"password\":");
    api_sb_json(&body, password);
    if (otp) {
        api_sb_str(&body, ",\"otp\":");
        api_sb_json(&body, otp);
    }
    api_sb_str(&body, "}");
    struct api_request_spec s = {API_CALL_LOGIN, "POST", &path, &body, true, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_logout(struct api_client *c, api_done_fn *done, void *user)
{
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/sessions/current");
    struct api_request_spec s = {API_CALL_LOGOUT, "DELETE", &path, NULL, false, -1};
    uint64_t id = api_request_start(c, &s, done, user);
    api_client_forget_token(c);
    return id;
}

uint64_t api_start_customers(struct api_client *c, const char *query, api_done_fn *done, void *user)
{
    if (!arg_ok(query))
        return 0;
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/customers?q=");
    api_sb_seg(&path, query);
    struct api_request_spec s = {API_CALL_CUSTOMERS, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_packages(struct api_client *c, const char *customer_id, api_done_fn *done,
                            void *user)
{
    if (!arg_ok(customer_id))
        return 0;
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/customers/");
    api_sb_seg(&path, customer_id);
    api_sb_str(&path, "/packages");
    struct api_request_spec s = {API_CALL_PACKAGES, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_domains(struct api_client *c, long long package_id, const char *filter,
                           long offset, long limit, api_done_fn *done, void *user)
{
    if ((filter && !arg_ok(filter)) || offset < 0 || limit < 0)
        return 0;
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/packages/");
    api_sb_long(&path, package_id);
    api_sb_str(&path, "/domains?offset=");
    api_sb_long(&path, offset);
    if (limit > 0) {
        api_sb_str(&path, "&limit=");
        api_sb_long(&path, limit);
    }
    if (filter && *filter) {
        api_sb_str(&path, "&q=");
        api_sb_seg(&path, filter);
    }
    struct api_request_spec s = {API_CALL_DOMAINS, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

/* "/v1/domains/{name}" followed by rest. */
static bool domain_path(struct api_sbuf *path, const char *name, const char *rest)
{
    if (!arg_ok(name) || !*name)
        return false;
    api_sb_str(path, "/v1/domains/");
    api_sb_seg(path, name);
    api_sb_str(path, rest);
    return true;
}

uint64_t api_start_dns(struct api_client *c, const char *name, api_done_fn *done, void *user)
{
    struct api_sbuf path = {0};
    if (!domain_path(&path, name, "/dns"))
        return 0;
    struct api_request_spec s = {API_CALL_DNS, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_mx_get(struct api_client *c, const char *name, api_done_fn *done, void *user)
{
    struct api_sbuf path = {0};
    if (!domain_path(&path, name, "/mx"))
        return 0;
    struct api_request_spec s = {API_CALL_MX_GET, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_mx_put(struct api_client *c, const char *name, const struct mx_config *cfg,
                          long long version, const char *reason, api_done_fn *done, void *user)
{
    if (!cfg || version < 0 || (reason && !arg_ok(reason)))
        return 0;
    struct api_sbuf path = {0}, body = {0};
    if (!domain_path(&path, name, "/mx"))
        return 0;
    char *json = mx_change_to_json(cfg, reason);
    if (!json) {
        api_sb_wipe(&path);
        return 0;
    }
    api_sb_str(&body, json);
    free(json);
    struct api_request_spec s = {API_CALL_MX_PUT, "PUT", &path, &body, false, version};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_mx_check(struct api_client *c, const char *name, const char *const *hosts,
                            size_t n, api_done_fn *done, void *user)
{
    if (!hosts || n == 0 || n > 16)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!arg_ok(hosts[i]))
            return 0;
    struct api_sbuf path = {0}, body = {0};
    if (!domain_path(&path, name, "/mx/check"))
        return 0;
    api_sb_str(&body, "{\"hosts\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            api_sb_str(&body, ",");
        api_sb_json(&body, hosts[i]);
    }
    api_sb_str(&body, "]}");
    struct api_request_spec s = {API_CALL_MX_CHECK, "POST", &path, &body, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_history(struct api_client *c, const char *name, long offset, long limit,
                           api_done_fn *done, void *user)
{
    if (offset < 0 || limit < 0)
        return 0;
    struct api_sbuf path = {0};
    if (!domain_path(&path, name, "/mx/history?offset="))
        return 0;
    api_sb_long(&path, offset);
    if (limit > 0) {
        api_sb_str(&path, "&limit=");
        api_sb_long(&path, limit);
    }
    struct api_request_spec s = {API_CALL_HISTORY, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_restore(struct api_client *c, const char *name, long long entry_id,
                           long long version, const char *reason, api_done_fn *done, void *user)
{
    if (entry_id < 0 || version < 0 || (reason && !arg_ok(reason)))
        return 0;
    struct api_sbuf path = {0}, body = {0};
    if (!domain_path(&path, name, "/mx/history/"))
        return 0;
    api_sb_long(&path, entry_id);
    api_sb_str(&path, "/restore");
    bool with_reason = reason && *reason;
    if (with_reason) {
        api_sb_str(&body, "{\"reason\":");
        api_sb_json(&body, reason);
        api_sb_str(&body, "}");
    }
    struct api_request_spec s = {API_CALL_RESTORE,           "POST", &path,
                                 with_reason ? &body : NULL, false,  version};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_access_log(struct api_client *c, const char *customer_id, long offset,
                              long limit, api_done_fn *done, void *user)
{
    if (!arg_ok(customer_id) || !*customer_id || offset < 0 || limit < 0)
        return 0;
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/customers/");
    api_sb_seg(&path, customer_id);
    api_sb_str(&path, "/access-log?offset=");
    api_sb_long(&path, offset);
    if (limit > 0) {
        api_sb_str(&path, "&limit=");
        api_sb_long(&path, limit);
    }
    struct api_request_spec s = {API_CALL_ACCESS_LOG, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_provider(struct api_client *c, api_done_fn *done, void *user)
{
    struct api_sbuf path = {0};
    api_sb_str(&path, "/v1/provider");
    struct api_request_spec s = {API_CALL_PROVIDER, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}

uint64_t api_start_health(struct api_client *c, api_done_fn *done, void *user)
{
    struct api_sbuf path = {0};
    api_sb_str(&path, "/healthz");
    struct api_request_spec s = {API_CALL_HEALTH, "GET", &path, NULL, false, -1};
    return api_request_start(c, &s, done, user);
}
