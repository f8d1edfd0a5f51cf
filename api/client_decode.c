/* client_decode: strict decoding of every API v1 reply into the typed results of api/client.h.
 * Types and required fields are checked; unknown fields are ignored (see client.h). */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the session token */

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/client_internal.h"
#include "api/mx_codec.h"

/* RFC 6750 b64token: the token goes into an Authorization header as it is, so a CR, LF or any
 * other byte outside this set (a header smuggled into every later request) is refused. */
static bool token_ok(const char *t)
{
    size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/");
    if (n == 0)
        return false;
    n += strspn(t + n, "=");
    return n <= 1024 && t[n] == '\0';
}

static void dec_session(struct api_dec *d, const cJSON *root)
{
    struct api_session *s = api_dec_alloc(d, 1, sizeof(*s));
    const cJSON *tok = api_dec_item(d, root, "token");
    if (!s || !tok || !cJSON_IsString(tok) || !token_ok(tok->valuestring)) {
        d->bad = true;
        return;
    }
    size_t len = strlen(tok->valuestring);
    char *t = api_dec_alloc(d, len + 1, 1);
    if (t) {
        memcpy(t, tok->valuestring, len + 1);
        d->res->priv->token = t;
        d->res->priv->token_len = len;
    }
    explicit_bzero(tok->valuestring, len);
    s->expires_in = (long)api_dec_int(d, root, "expires_in", 0, LONG_MAX);
    const cJSON *a = api_dec_obj(d, root, "actor");
    s->actor.login = api_dec_str(d, a, "login", false);
    s->actor.role = api_dec_str(d, a, "role", false);
    s->actor.customer = api_dec_str(d, a, "customer", true);
    s->actor.name = api_dec_str(d, a, "name", false);
    if (!d->bad && !d->oom) {
        if (strcmp(s->actor.role, "staff") == 0)
            s->actor.staff = true;
        else if (strcmp(s->actor.role, "customer") != 0 || !s->actor.customer)
            d->bad = true;
    }
    d->res->session = s;
}

static void dec_customers(struct api_dec *d, const cJSON *root)
{
    struct api_customers *c = api_dec_alloc(d, 1, sizeof(*c));
    if (!c)
        return;
    const cJSON *arr = api_dec_arr(d, root, "customers", &c->count);
    c->items = api_dec_alloc(d, c->count, sizeof(*c->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!c->items)
            break;
        struct api_customer *x = &c->items[i++];
        x->id = api_dec_str(d, it, "id", false);
        x->name = api_dec_str(d, it, "name", false);
        x->packages = (long)api_dec_int(d, it, "packages", 0, LONG_MAX);
        x->matched_domain = api_dec_str(d, it, "matched_domain", true);
    }
    d->res->customers = c;
}

static void dec_packages(struct api_dec *d, const cJSON *root)
{
    struct api_packages *p = api_dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    const cJSON *cust = api_dec_obj(d, root, "customer");
    p->customer_id = api_dec_str(d, cust, "id", false);
    p->customer_name = api_dec_str(d, cust, "name", false);
    const cJSON *arr = api_dec_arr(d, root, "packages", &p->count);
    p->items = api_dec_alloc(d, p->count, sizeof(*p->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!p->items)
            break;
        struct api_package *x = &p->items[i++];
        x->id = api_dec_int(d, it, "id", 0, LLONG_MAX);
        x->name = api_dec_str(d, it, "name", false);
        x->domains = (long)api_dec_int(d, it, "domains", 0, LONG_MAX);
    }
    d->res->packages = p;
}

static void dec_domains(struct api_dec *d, const cJSON *root)
{
    struct api_domains *p = api_dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    const cJSON *pkg = api_dec_obj(d, root, "package");
    p->package_id = api_dec_int(d, pkg, "id", 0, LLONG_MAX);
    p->package_name = api_dec_str(d, pkg, "name", false);
    p->total = (long)api_dec_int(d, root, "total", 0, LONG_MAX);
    p->offset = (long)api_dec_int(d, root, "offset", 0, LONG_MAX);
    p->limit = (long)api_dec_int(d, root, "limit", 0, LONG_MAX);
    const cJSON *arr = api_dec_arr(d, root, "domains", &p->count);
    p->items = api_dec_alloc(d, p->count, sizeof(*p->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!p->items)
            break;
        struct api_domain *x = &p->items[i++];
        x->name = api_dec_str(d, it, "name", false);
        x->display_name = api_dec_str(d, it, "display_name", false);
        x->kind =
            (enum mx_kind)api_dec_word(d, api_dec_str(d, it, "kind", false), mx_kind_from_name);
        x->parent = api_dec_str(d, it, "parent", true);
        x->mx_mode =
            (enum mx_mode)api_dec_word(d, api_dec_str(d, it, "mx_mode", false), mx_mode_from_name);
        if (!d->bad && (x->kind == MX_KIND_SUBDOMAIN) != (x->parent != NULL))
            d->bad = true;
    }
    d->res->domains = p;
}

static void dec_dns(struct api_dec *d, const cJSON *root)
{
    struct api_dns *x = api_dec_alloc(d, 1, sizeof(*x));
    if (!x)
        return;
    x->domain = api_dec_str(d, root, "domain", false);
    x->display_name = api_dec_str(d, root, "display_name", false);
    x->kind = (enum mx_kind)api_dec_word(d, api_dec_str(d, root, "kind", false), mx_kind_from_name);
    const cJSON *ns = api_dec_obj(d, root, "ns");
    const char *ns_mode = api_dec_str(d, ns, "mode", false);
    if (ns_mode && strcmp(ns_mode, "own") == 0)
        x->ns_own = true;
    else if (ns_mode && strcmp(ns_mode, "provider") != 0)
        d->bad = true;
    x->ns_servers = api_dec_strings(d, ns, "servers", &x->n_ns_servers);
    x->a = api_dec_strings(d, root, "a", &x->n_a);
    x->aaaa = api_dec_strings(d, root, "aaaa", &x->n_aaaa);
    x->cname = api_dec_str(d, root, "cname", true);
    x->txt = api_dec_strings(d, root, "txt", &x->n_txt);
    x->dyndns = api_dec_bool(d, root, "dyndns");
    const cJSON *mx = api_dec_obj(d, root, "mx");
    x->mx_mode =
        (enum mx_mode)api_dec_word(d, api_dec_str(d, mx, "mode", false), mx_mode_from_name);
    const cJSON *recs = api_dec_arr(d, mx, "records", &x->n_mx_records);
    x->mx_records = api_dec_alloc(d, x->n_mx_records, sizeof(*x->mx_records));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, recs)
    {
        if (!x->mx_records)
            break;
        x->mx_records[i].priority = (long)api_dec_int(d, it, "priority", 0, 65535);
        x->mx_records[i].host = api_dec_str(d, it, "host", false);
        i++;
    }
    x->mailboxes = (long)api_dec_int(d, root, "mailboxes", 0, LONG_MAX);
    x->forwards = (long)api_dec_int(d, root, "forwards", 0, LONG_MAX);
    x->own_mail_possible = api_dec_bool(d, root, "own_mail_possible");
    const cJSON *reasons = api_dec_arr(d, root, "reasons", &x->n_reasons);
    x->reasons = api_dec_alloc(d, x->n_reasons, sizeof(*x->reasons));
    i = 0;
    cJSON_ArrayForEach(it, reasons)
    {
        if (!x->reasons)
            break;
        x->reasons[i].code = api_dec_str(d, it, "code", false);
        x->reasons[i].message = api_dec_str(d, it, "message", false);
        i++;
    }
    d->res->dns = x;
}

static void dec_mx(struct api_dec *d, const cJSON *root, const char *etag, bool with_warnings)
{
    struct api_mx *x = api_dec_alloc(d, 1, sizeof(*x));
    if (!x)
        return;
    d->res->mx = x; /* set first: the result's free clears the config */
    if (etag) {
        size_t len = strlen(etag);
        if (len >= sizeof(x->etag)) {
            d->bad = true;
            return;
        }
        memcpy(x->etag, etag, len + 1);
    }
    api_dec_mx_config(d, root, false, &x->config);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    if (w)
        x->warnings = api_dec_details(d, w, &x->n_warnings);
    else if (with_warnings)
        d->bad = true;
}

static void dec_check(struct api_dec *d, const cJSON *root)
{
    struct api_check *c = api_dec_alloc(d, 1, sizeof(*c));
    if (!c)
        return;
    const cJSON *arr = api_dec_arr(d, root, "results", &c->count);
    c->items = api_dec_alloc(d, c->count, sizeof(*c->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!c->items)
            break;
        struct api_check_result *x = &c->items[i++];
        x->host = api_dec_str(d, it, "host", false);
        x->display = api_dec_str(d, it, "display", false);
        x->a = api_dec_strings(d, it, "a", &x->n_a);
        x->aaaa = api_dec_strings(d, it, "aaaa", &x->n_aaaa);
        x->cname = api_dec_str(d, it, "cname", true);
        const char *verdict = api_dec_str(d, it, "verdict", false);
        if (verdict && strcmp(verdict, "accept") == 0)
            x->verdict = MX_SEV_OK;
        else if (verdict && strcmp(verdict, "warn") == 0)
            x->verdict = MX_SEV_WARN;
        else if (verdict && strcmp(verdict, "reject") == 0)
            x->verdict = MX_SEV_REJECT;
        else
            d->bad = true;
        x->code = api_dec_str(d, it, "code", false);
        x->code_value = x->code ? mx_code_from_name(x->code) : -1;
        x->message = api_dec_str(d, it, "message", false);
    }
    d->res->check = c;
}

static void dec_history(struct api_dec *d, const cJSON *root)
{
    struct api_history *h = api_dec_alloc(d, 1, sizeof(*h));
    if (!h)
        return;
    d->res->history = h; /* set first: the result's free clears the entries' configs */
    h->total = (long)api_dec_int(d, root, "total", 0, LONG_MAX);
    size_t n = 0;
    const cJSON *arr = api_dec_arr(d, root, "entries", &n);
    h->items = api_dec_alloc(d, n, sizeof(*h->items));
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!h->items)
            break;
        struct api_history_entry *x = &h->items[h->count++];
        x->id = api_dec_int(d, it, "id", 0, LLONG_MAX);
        x->version = api_dec_int(d, it, "version", 0, LLONG_MAX);
        x->at = api_dec_str(d, it, "at", false);
        x->actor = api_dec_str(d, it, "actor", false);
        x->on_behalf_of = api_dec_str(d, it, "on_behalf_of", true);
        x->action = api_dec_str(d, it, "action", false);
        x->reason = api_dec_str(d, it, "reason", true);
        const cJSON *before = api_dec_item(d, it, "before");
        if (before && !cJSON_IsNull(before)) {
            x->has_before = true;
            api_dec_mx_config(d, before, true, &x->before);
        }
        api_dec_mx_config(d, api_dec_item(d, it, "after"), true, &x->after);
    }
}

static void dec_access_log(struct api_dec *d, const cJSON *root)
{
    struct api_access_log *l = api_dec_alloc(d, 1, sizeof(*l));
    if (!l)
        return;
    const cJSON *cust = api_dec_obj(d, root, "customer");
    l->customer_id = api_dec_str(d, cust, "id", false);
    l->customer_name = api_dec_str(d, cust, "name", false);
    l->total = (long)api_dec_int(d, root, "total", 0, LONG_MAX);
    l->offset = (long)api_dec_int(d, root, "offset", 0, LONG_MAX);
    l->limit = (long)api_dec_int(d, root, "limit", 0, LONG_MAX);
    const cJSON *arr = api_dec_arr(d, root, "entries", &l->count);
    l->items = api_dec_alloc(d, l->count, sizeof(*l->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!l->items)
            break;
        struct api_access_entry *x = &l->items[i++];
        x->id = api_dec_int(d, it, "id", 0, LLONG_MAX);
        x->at = api_dec_str(d, it, "at", false);
        x->staff = api_dec_str(d, it, "staff", false);
        x->staff_name = api_dec_str(d, it, "staff_name", false);
        x->address = api_dec_str(d, it, "address", false);
        x->via = api_dec_str(d, it, "via", false);
        if (!d->bad && !d->oom && strcmp(x->via, "open") != 0 && strcmp(x->via, "direct") != 0)
            d->bad = true;
    }
    d->res->access_log = l;
}

static void dec_profile(struct api_dec *d, const cJSON *root)
{
    struct mx_profile *p = api_dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    api_dec_profile(d, root, p);
    d->res->profile = p;
}

static long parse_retry_after(const char *s)
{
    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    long v = 0;
    if (*s < '0' || *s > '9')
        return -1; /* the HTTP-date form: unknown wait */
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (LONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s ? -1 : v;
}

long long api_etag_version(const char *etag)
{
    if (!etag)
        return -1;
    const char *s = etag;
    if (strncmp(s, "W/", 2) == 0)
        s += 2;
    if (*s++ != '"' || *s < '0' || *s > '9')
        return -1;
    long long v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (LLONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return (s[0] == '"' && s[1] == '\0') ? v : -1;
}

/* A "\u0000" escape (not an escaped backslash followed by "u0000") means a NUL inside a string,
 * which cJSON would silently cut the string at. */
static bool has_hidden_nul(const char *body, size_t len)
{
    if (memchr(body, '\0', len))
        return true;
    for (size_t i = 0; i + 6 <= len; i++) {
        if (body[i] != '\\')
            continue;
        size_t run = 0;
        while (i + run < len && body[i + run] == '\\')
            run++;
        size_t esc = i + run - 1; /* the last backslash of the run */
        if (run % 2 == 1 && esc + 6 <= len && (body[esc + 1] == 'u' || body[esc + 1] == 'U') &&
            memcmp(body + esc + 2, "0000", 4) == 0)
            return true;
        i += run - 1;
    }
    return false;
}

static enum api_status status_for_error(long http, const char *code)
{
    switch (http) {
    case 401:
        if (strcmp(code, "session_expired") == 0)
            return API_ERR_SESSION_EXPIRED;
        if (strcmp(code, "invalid_credentials") == 0)
            return API_ERR_INVALID_CREDENTIALS;
        if (strcmp(code, "otp_required") == 0)
            return API_ERR_OTP_REQUIRED;
        return API_ERR_UNAUTHORIZED;
    case 403:
        return API_ERR_FORBIDDEN;
    case 404:
        return API_ERR_NOT_FOUND;
    case 409:
        return API_ERR_CONFLICT;
    case 422:
        return API_ERR_VALIDATION;
    case 429:
        return API_ERR_RATE_LIMITED;
    case 400:
    case 405:
    case 413:
    case 415:
    case 428:
        return API_ERR_BAD_REQUEST;
    default:
        return http >= 500 && http <= 599 ? API_ERR_SERVER : API_ERR_PROTOCOL;
    }
}

/* The error envelope; a server error keeps its status even when its body is not one (a proxy's
 * HTML page), every other error status needs the envelope the contract promises. */
static void dec_error(struct api_dec *d, const cJSON *root, long http, const char *retry_after)
{
    struct api_result *res = d->res;
    const cJSON *err = root ? cJSON_GetObjectItemCaseSensitive(root, "error") : NULL;
    const cJSON *code = err ? cJSON_GetObjectItemCaseSensitive(err, "code") : NULL;
    const char *code_s = code && cJSON_IsString(code) ? code->valuestring : NULL;
    res->status = status_for_error(http, code_s ? code_s : "");
    if (http == 429)
        res->error.retry_after = parse_retry_after(retry_after);
    if (!cJSON_IsObject(err) || !code_s) {
        if (res->status != API_ERR_SERVER)
            d->bad = true;
        return;
    }
    res->error.code = api_dec_str(d, err, "code", false);
    res->error.message = api_dec_str(d, err, "message", false);
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(err, "details");
    if (details && !cJSON_IsNull(details))
        res->error.details = api_dec_details(d, details, &res->error.n_details);
    if (res->status == API_ERR_CONFLICT) {
        res->error.current = api_dec_alloc(d, 1, sizeof(*res->error.current));
        if (res->error.current)
            api_dec_mx_config(d, api_dec_item(d, err, "current"), false, res->error.current);
    }
}

static long expected_status(enum api_call call, long http)
{
    switch (call) {
    case API_CALL_LOGIN:
        return 201;
    case API_CALL_LOGOUT:
        return http == 200 ? 200 : 204;
    case API_CALL_RESTORE:
        return http == 201 ? 201 : 200;
    default:
        return 200;
    }
}

enum api_status api_reply_decode(struct api_result *res, long http_status, const char *body,
                                 size_t len, const char *etag, const char *retry_after,
                                 enum mx_lang lang)
{
    struct api_dec d = {.res = res};
    cJSON *root = NULL;
    api_result_clear(res);
    res->http_status = http_status;
    res->error.http_status = http_status;
    res->status = API_OK;

    bool ok_status = http_status == expected_status(res->call, http_status);
    bool need_body = !(ok_status && (res->call == API_CALL_LOGOUT || res->call == API_CALL_HEALTH));
    if (need_body && len > 0 && !has_hidden_nul(body, len)) {
        const char *end = NULL;
        root = cJSON_ParseWithLengthOpts(body, len, &end, false);
        /* Whitespace may follow the value, nothing else. */
        if (root && end)
            for (; end < body + len; end++)
                if (*end != ' ' && *end != '\t' && *end != '\r' && *end != '\n') {
                    cJSON_Delete(root);
                    root = NULL;
                    break;
                }
    }

    if (!ok_status) {
        dec_error(&d, root, http_status, retry_after);
        goto out;
    }
    if (need_body && !cJSON_IsObject(root)) {
        d.bad = true;
        goto out;
    }
    switch (res->call) {
    case API_CALL_LOGIN:
        dec_session(&d, root);
        break;
    case API_CALL_CUSTOMERS:
        dec_customers(&d, root);
        break;
    case API_CALL_PACKAGES:
        dec_packages(&d, root);
        break;
    case API_CALL_DOMAINS:
        dec_domains(&d, root);
        break;
    case API_CALL_DNS:
        dec_dns(&d, root);
        break;
    case API_CALL_MX_GET:
        dec_mx(&d, root, etag, false);
        break;
    case API_CALL_MX_PUT:
    case API_CALL_RESTORE:
        dec_mx(&d, root, etag, true);
        break;
    case API_CALL_MX_CHECK:
        dec_check(&d, root);
        break;
    case API_CALL_HISTORY:
        dec_history(&d, root);
        break;
    case API_CALL_PROVIDER:
        dec_profile(&d, root);
        break;
    case API_CALL_ACCESS_LOG:
        dec_access_log(&d, root);
        break;
    case API_CALL_LOGOUT:
    case API_CALL_HEALTH:
    case API_CALL_COUNT:
        break;
    }

out:
    if (root && res->call == API_CALL_LOGIN) {
        /* The reply held the token: wipe the parsed copy too. */
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "token");
        if (cJSON_IsString(tok))
            explicit_bzero(tok->valuestring, strlen(tok->valuestring));
    }
    cJSON_Delete(root);
    if (d.oom || d.bad) {
        enum api_status st = d.oom ? API_ERR_NO_MEMORY : API_ERR_PROTOCOL;
        api_result_clear(res);
        res->http_status = http_status;
        res->error.http_status = http_status;
        res->status = st;
    }
    if (!res->error.message)
        res->error.message = api_status_message(res->status, lang);
    if (!res->error.code)
        res->error.code = "";
    return res->status;
}
