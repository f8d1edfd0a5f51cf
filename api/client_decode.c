/* client_decode: strict decoding of every API v1 reply into the typed results of api/client.h.
 * Types and required fields are checked; unknown fields are ignored (see client.h). Every
 * string and array of a result lives in the result's private allocation list, so freeing a
 * result is one walk. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the session token */

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/mx_codec.h"

/* One allocation of a result; the list is freed with the result. */
struct chunk {
    struct chunk *next;
    size_t size;
    max_align_t data[];
};

struct api_result_private {
    struct chunk *chunks;
    bool kept;
    char *token; /* login only, until the engine takes it */
    size_t token_len;
};

struct dec {
    struct api_result *res;
    bool bad; /* off-contract: protocol error */
    bool oom;
};

static void *dec_alloc(struct dec *d, size_t n, size_t size)
{
    if (d->bad || d->oom)
        return NULL;
    if (n == 0)
        n = 1;
    if (size != 0 && n > (SIZE_MAX - sizeof(struct chunk)) / size) {
        d->oom = true;
        return NULL;
    }
    struct chunk *c = calloc(1, sizeof(*c) + n * size);
    if (!c) {
        d->oom = true;
        return NULL;
    }
    c->size = n * size;
    c->next = d->res->priv->chunks;
    d->res->priv->chunks = c;
    return c->data;
}

static const char *dec_strdup(struct dec *d, const char *s)
{
    size_t len = strlen(s);
    char *p = dec_alloc(d, len + 1, 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

static const cJSON *dec_item(struct dec *d, const cJSON *obj, const char *key)
{
    if (d->bad || !cJSON_IsObject(obj)) {
        d->bad = true;
        return NULL;
    }
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it)
        d->bad = true;
    return it;
}

/* A required string, or NULL for JSON null when nullable. */
static const char *dec_str(struct dec *d, const cJSON *obj, const char *key, bool nullable)
{
    const cJSON *it = dec_item(d, obj, key);
    if (!it)
        return NULL;
    if (nullable && cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it) || !it->valuestring) {
        d->bad = true;
        return NULL;
    }
    return dec_strdup(d, it->valuestring);
}

static long long dec_int_value(struct dec *d, const cJSON *it, long long min, long long max)
{
    if (d->bad || !cJSON_IsNumber(it)) {
        d->bad = true;
        return 0;
    }
    double v = it->valuedouble;
    /* 2^53: beyond it a double no longer holds every integer exactly. */
    if (!(v >= -9007199254740992.0 && v <= 9007199254740992.0) || (double)(long long)v != v ||
        (long long)v < min || (long long)v > max) {
        d->bad = true;
        return 0;
    }
    return (long long)v;
}

static long long dec_int(struct dec *d, const cJSON *obj, const char *key, long long min,
                         long long max)
{
    const cJSON *it = dec_item(d, obj, key);
    return it ? dec_int_value(d, it, min, max) : 0;
}

static bool dec_bool(struct dec *d, const cJSON *obj, const char *key)
{
    const cJSON *it = dec_item(d, obj, key);
    if (!it)
        return false;
    if (!cJSON_IsBool(it)) {
        d->bad = true;
        return false;
    }
    return cJSON_IsTrue(it);
}

/* A required array; *n gets its length. */
static const cJSON *dec_arr(struct dec *d, const cJSON *obj, const char *key, size_t *n)
{
    *n = 0;
    const cJSON *it = dec_item(d, obj, key);
    if (!it)
        return NULL;
    if (!cJSON_IsArray(it)) {
        d->bad = true;
        return NULL;
    }
    *n = (size_t)cJSON_GetArraySize(it);
    return it;
}

static const cJSON *dec_obj(struct dec *d, const cJSON *obj, const char *key)
{
    const cJSON *it = dec_item(d, obj, key);
    if (it && !cJSON_IsObject(it)) {
        d->bad = true;
        return NULL;
    }
    return it;
}

static int dec_word(struct dec *d, const char *s, int (*from_name)(const char *))
{
    if (d->bad || d->oom || !s) {
        d->bad = true;
        return 0;
    }
    int v = from_name(s);
    if (v < 0) {
        d->bad = true;
        return 0;
    }
    return v;
}

/* An array of strings. */
static const char **dec_strings(struct dec *d, const cJSON *obj, const char *key, size_t *n)
{
    const cJSON *arr = dec_arr(d, obj, key, n);
    const char **out = dec_alloc(d, *n, sizeof(*out));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!out || !cJSON_IsString(it)) {
            d->bad = true;
            break;
        }
        out[i++] = dec_strdup(d, it->valuestring);
    }
    return out;
}

static struct api_detail *dec_details(struct dec *d, const cJSON *arr, size_t *n)
{
    *n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
    if (!cJSON_IsArray(arr)) {
        d->bad = true;
        return NULL;
    }
    struct api_detail *out = dec_alloc(d, *n, sizeof(*out));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!out)
            break;
        struct api_detail *x = &out[i++];
        x->field = dec_str(d, it, "field", false);
        x->code = dec_str(d, it, "code", false);
        x->message = dec_str(d, it, "message", false);
        x->code_value = x->code ? mx_code_from_name(x->code) : -1;
    }
    return out;
}

/* Known fields of the MX objects: the codec is strict about unknown fields (right for
 * requests), so replies are cut down to what this client knows before it decodes them. */
static const char *const mx_full_keys[] = {
    "domain",     "display_name",    "kind",    "mode",    "primary",
    "backup",     "provider_backup", "records", "version", "updated_at",
    "updated_by", "publication",     NULL};
static const char *const mx_edit_keys[] = {"mode", "primary", "backup", "provider_backup", NULL};
static const char *const mx_entry_keys[] = {"host", "priority", NULL};
static const char *const mx_pub_keys[] = {"state", "version", "at", "error", NULL};
static const char *const profile_keys[] = {"name",
                                           "mail_hosts",
                                           "backup_host",
                                           "backup_priority",
                                           "backup_ips",
                                           "backup_helo",
                                           "backup_test_hosts",
                                           "backup_delay_hours",
                                           "backup_retention_days",
                                           "name_servers",
                                           "priority_options",
                                           "max_primary",
                                           "max_backup",
                                           "propagation_hours",
                                           NULL};

static bool key_known(const char *key, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(key, *keys) == 0)
            return true;
    return false;
}

/* A copy of obj holding only known keys; entry arrays and publication filtered too. Non-objects
 * are copied as they are so the codec reports their type. */
static cJSON *filter_mx(const cJSON *obj, const char *const *keys)
{
    if (!cJSON_IsObject(obj))
        return cJSON_Duplicate(obj, true);
    cJSON *out = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        if (!out)
            return NULL;
        if (!it->string || !key_known(it->string, keys))
            continue;
        cJSON *copy = NULL;
        bool entries = strcmp(it->string, "primary") == 0 || strcmp(it->string, "backup") == 0 ||
                       strcmp(it->string, "records") == 0 || strcmp(it->string, "mail_hosts") == 0;
        if (keys == mx_entry_keys || keys == mx_pub_keys) {
            copy = cJSON_Duplicate(it, true);
        } else if (entries && cJSON_IsArray(it)) {
            copy = cJSON_CreateArray();
            const cJSON *e;
            cJSON_ArrayForEach(e, it)
            {
                cJSON *fe = copy ? filter_mx(e, mx_entry_keys) : NULL;
                if (!fe || !cJSON_AddItemToArray(copy, fe)) {
                    cJSON_Delete(fe);
                    cJSON_Delete(copy);
                    copy = NULL;
                    break;
                }
            }
        } else if (strcmp(it->string, "publication") == 0) {
            copy = filter_mx(it, mx_pub_keys);
        } else {
            copy = cJSON_Duplicate(it, true);
        }
        if (!copy || !cJSON_AddItemToObject(out, it->string, copy)) {
            cJSON_Delete(copy);
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* Decodes an MX object (full form, or editable fields when edit) with the api/ codec. */
static void dec_mx_config(struct dec *d, const cJSON *obj, bool edit, struct mx_config *out)
{
    if (d->bad || d->oom)
        return;
    if (!cJSON_IsObject(obj)) {
        d->bad = true;
        return;
    }
    cJSON *filtered = filter_mx(obj, edit ? mx_edit_keys : mx_full_keys);
    char *text = filtered ? cJSON_PrintUnformatted(filtered) : NULL;
    cJSON_Delete(filtered);
    if (!text) {
        d->oom = true;
        return;
    }
    enum mx_code rc = edit ? mx_config_request_from_json(text, strlen(text), out, NULL)
                           : mx_config_from_json(text, strlen(text), out, NULL);
    cJSON_free(text);
    if (rc != MX_OK)
        d->bad = true;
}

static void dec_session(struct dec *d, const cJSON *root)
{
    struct api_session *s = dec_alloc(d, 1, sizeof(*s));
    const cJSON *tok = dec_item(d, root, "token");
    if (!s || !tok || !cJSON_IsString(tok) || tok->valuestring[0] == '\0') {
        d->bad = true;
        return;
    }
    size_t len = strlen(tok->valuestring);
    char *t = dec_alloc(d, len + 1, 1);
    if (t) {
        memcpy(t, tok->valuestring, len + 1);
        d->res->priv->token = t;
        d->res->priv->token_len = len;
    }
    explicit_bzero(tok->valuestring, len);
    s->expires_in = (long)dec_int(d, root, "expires_in", 0, LONG_MAX);
    const cJSON *a = dec_obj(d, root, "actor");
    s->actor.login = dec_str(d, a, "login", false);
    s->actor.role = dec_str(d, a, "role", false);
    s->actor.customer = dec_str(d, a, "customer", true);
    s->actor.name = dec_str(d, a, "name", false);
    if (!d->bad && !d->oom) {
        if (strcmp(s->actor.role, "staff") == 0)
            s->actor.staff = true;
        else if (strcmp(s->actor.role, "customer") != 0 || !s->actor.customer)
            d->bad = true;
    }
    d->res->session = s;
}

static void dec_customers(struct dec *d, const cJSON *root)
{
    struct api_customers *c = dec_alloc(d, 1, sizeof(*c));
    if (!c)
        return;
    const cJSON *arr = dec_arr(d, root, "customers", &c->count);
    c->items = dec_alloc(d, c->count, sizeof(*c->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!c->items)
            break;
        struct api_customer *x = &c->items[i++];
        x->id = dec_str(d, it, "id", false);
        x->name = dec_str(d, it, "name", false);
        x->packages = (long)dec_int(d, it, "packages", 0, LONG_MAX);
    }
    d->res->customers = c;
}

static void dec_packages(struct dec *d, const cJSON *root)
{
    struct api_packages *p = dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    const cJSON *cust = dec_obj(d, root, "customer");
    p->customer_id = dec_str(d, cust, "id", false);
    p->customer_name = dec_str(d, cust, "name", false);
    const cJSON *arr = dec_arr(d, root, "packages", &p->count);
    p->items = dec_alloc(d, p->count, sizeof(*p->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!p->items)
            break;
        struct api_package *x = &p->items[i++];
        x->id = dec_int(d, it, "id", 0, LLONG_MAX);
        x->name = dec_str(d, it, "name", false);
        x->domains = (long)dec_int(d, it, "domains", 0, LONG_MAX);
    }
    d->res->packages = p;
}

static void dec_domains(struct dec *d, const cJSON *root)
{
    struct api_domains *p = dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    const cJSON *pkg = dec_obj(d, root, "package");
    p->package_id = dec_int(d, pkg, "id", 0, LLONG_MAX);
    p->package_name = dec_str(d, pkg, "name", false);
    p->total = (long)dec_int(d, root, "total", 0, LONG_MAX);
    p->offset = (long)dec_int(d, root, "offset", 0, LONG_MAX);
    p->limit = (long)dec_int(d, root, "limit", 0, LONG_MAX);
    const cJSON *arr = dec_arr(d, root, "domains", &p->count);
    p->items = dec_alloc(d, p->count, sizeof(*p->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!p->items)
            break;
        struct api_domain *x = &p->items[i++];
        x->name = dec_str(d, it, "name", false);
        x->display_name = dec_str(d, it, "display_name", false);
        x->kind = (enum mx_kind)dec_word(d, dec_str(d, it, "kind", false), mx_kind_from_name);
        x->parent = dec_str(d, it, "parent", true);
        x->mx_mode = (enum mx_mode)dec_word(d, dec_str(d, it, "mx_mode", false), mx_mode_from_name);
        if (!d->bad && (x->kind == MX_KIND_SUBDOMAIN) != (x->parent != NULL))
            d->bad = true;
    }
    d->res->domains = p;
}

static void dec_dns(struct dec *d, const cJSON *root)
{
    struct api_dns *x = dec_alloc(d, 1, sizeof(*x));
    if (!x)
        return;
    x->domain = dec_str(d, root, "domain", false);
    x->display_name = dec_str(d, root, "display_name", false);
    x->kind = (enum mx_kind)dec_word(d, dec_str(d, root, "kind", false), mx_kind_from_name);
    const cJSON *ns = dec_obj(d, root, "ns");
    const char *ns_mode = dec_str(d, ns, "mode", false);
    if (ns_mode && strcmp(ns_mode, "own") == 0)
        x->ns_own = true;
    else if (ns_mode && strcmp(ns_mode, "provider") != 0)
        d->bad = true;
    x->ns_servers = dec_strings(d, ns, "servers", &x->n_ns_servers);
    x->a = dec_strings(d, root, "a", &x->n_a);
    x->aaaa = dec_strings(d, root, "aaaa", &x->n_aaaa);
    x->cname = dec_str(d, root, "cname", true);
    x->txt = dec_strings(d, root, "txt", &x->n_txt);
    x->dyndns = dec_bool(d, root, "dyndns");
    const cJSON *mx = dec_obj(d, root, "mx");
    x->mx_mode = (enum mx_mode)dec_word(d, dec_str(d, mx, "mode", false), mx_mode_from_name);
    const cJSON *recs = dec_arr(d, mx, "records", &x->n_mx_records);
    x->mx_records = dec_alloc(d, x->n_mx_records, sizeof(*x->mx_records));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, recs)
    {
        if (!x->mx_records)
            break;
        x->mx_records[i].priority = (long)dec_int(d, it, "priority", 0, 65535);
        x->mx_records[i].host = dec_str(d, it, "host", false);
        i++;
    }
    x->own_mail_possible = dec_bool(d, root, "own_mail_possible");
    const cJSON *reasons = dec_arr(d, root, "reasons", &x->n_reasons);
    x->reasons = dec_alloc(d, x->n_reasons, sizeof(*x->reasons));
    i = 0;
    cJSON_ArrayForEach(it, reasons)
    {
        if (!x->reasons)
            break;
        x->reasons[i].code = dec_str(d, it, "code", false);
        x->reasons[i].message = dec_str(d, it, "message", false);
        i++;
    }
    d->res->dns = x;
}

static void dec_mx(struct dec *d, const cJSON *root, const char *etag, bool with_warnings)
{
    struct api_mx *x = dec_alloc(d, 1, sizeof(*x));
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
    dec_mx_config(d, root, false, &x->config);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    if (w)
        x->warnings = dec_details(d, w, &x->n_warnings);
    else if (with_warnings)
        d->bad = true;
}

static void dec_check(struct dec *d, const cJSON *root)
{
    struct api_check *c = dec_alloc(d, 1, sizeof(*c));
    if (!c)
        return;
    const cJSON *arr = dec_arr(d, root, "results", &c->count);
    c->items = dec_alloc(d, c->count, sizeof(*c->items));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!c->items)
            break;
        struct api_check_result *x = &c->items[i++];
        x->host = dec_str(d, it, "host", false);
        x->display = dec_str(d, it, "display", false);
        x->a = dec_strings(d, it, "a", &x->n_a);
        x->aaaa = dec_strings(d, it, "aaaa", &x->n_aaaa);
        x->cname = dec_str(d, it, "cname", true);
        const char *verdict = dec_str(d, it, "verdict", false);
        if (verdict && strcmp(verdict, "accept") == 0)
            x->verdict = MX_SEV_OK;
        else if (verdict && strcmp(verdict, "warn") == 0)
            x->verdict = MX_SEV_WARN;
        else if (verdict && strcmp(verdict, "reject") == 0)
            x->verdict = MX_SEV_REJECT;
        else
            d->bad = true;
        x->code = dec_str(d, it, "code", false);
        x->code_value = x->code ? mx_code_from_name(x->code) : -1;
        x->message = dec_str(d, it, "message", false);
    }
    d->res->check = c;
}

static void dec_history(struct dec *d, const cJSON *root)
{
    struct api_history *h = dec_alloc(d, 1, sizeof(*h));
    if (!h)
        return;
    d->res->history = h; /* set first: the result's free clears the entries' configs */
    h->total = (long)dec_int(d, root, "total", 0, LONG_MAX);
    size_t n = 0;
    const cJSON *arr = dec_arr(d, root, "entries", &n);
    h->items = dec_alloc(d, n, sizeof(*h->items));
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!h->items)
            break;
        struct api_history_entry *x = &h->items[h->count++];
        x->id = dec_int(d, it, "id", 0, LLONG_MAX);
        x->version = dec_int(d, it, "version", 0, LLONG_MAX);
        x->at = dec_str(d, it, "at", false);
        x->actor = dec_str(d, it, "actor", false);
        x->on_behalf_of = dec_str(d, it, "on_behalf_of", true);
        x->action = dec_str(d, it, "action", false);
        const cJSON *before = dec_item(d, it, "before");
        if (before && !cJSON_IsNull(before)) {
            x->has_before = true;
            dec_mx_config(d, before, true, &x->before);
        }
        dec_mx_config(d, dec_item(d, it, "after"), true, &x->after);
    }
}

static void dec_profile(struct dec *d, const cJSON *root)
{
    struct mx_profile *p = dec_alloc(d, 1, sizeof(*p));
    if (!p)
        return;
    cJSON *filtered = filter_mx(root, profile_keys);
    char *text = filtered ? cJSON_PrintUnformatted(filtered) : NULL;
    cJSON_Delete(filtered);
    if (!text) {
        d->oom = true;
        return;
    }
    if (mx_profile_from_json(text, strlen(text), p, NULL) != MX_OK)
        d->bad = true;
    cJSON_free(text);
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
static void dec_error(struct dec *d, const cJSON *root, long http, const char *retry_after,
                      enum mx_lang lang)
{
    struct api_result *res = d->res;
    const cJSON *err = root ? cJSON_GetObjectItemCaseSensitive(root, "error") : NULL;
    const cJSON *code = err ? cJSON_GetObjectItemCaseSensitive(err, "code") : NULL;
    const char *code_s = cJSON_IsString(code) ? code->valuestring : NULL;
    res->status = status_for_error(http, code_s ? code_s : "");
    if (http == 429)
        res->error.retry_after = parse_retry_after(retry_after);
    if (!cJSON_IsObject(err) || !code_s) {
        if (res->status != API_ERR_SERVER)
            d->bad = true;
        return;
    }
    res->error.code = dec_str(d, err, "code", false);
    res->error.message = dec_str(d, err, "message", false);
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(err, "details");
    if (details && !cJSON_IsNull(details))
        res->error.details = dec_details(d, details, &res->error.n_details);
    if (res->status == API_ERR_CONFLICT) {
        res->error.current = dec_alloc(d, 1, sizeof(*res->error.current));
        if (res->error.current)
            dec_mx_config(d, dec_item(d, err, "current"), false, res->error.current);
    }
    (void)lang;
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

static void clear_payload(struct api_result *res)
{
    if (res->mx)
        mx_config_clear(&res->mx->config);
    if (res->history)
        for (size_t i = 0; i < res->history->count; i++) {
            mx_config_clear(&res->history->items[i].before);
            mx_config_clear(&res->history->items[i].after);
        }
    if (res->error.current)
        mx_config_clear(res->error.current);
    if (res->priv->token)
        explicit_bzero(res->priv->token, res->priv->token_len);
    res->priv->token = NULL;
    res->session = NULL;
    res->customers = NULL;
    res->packages = NULL;
    res->domains = NULL;
    res->dns = NULL;
    res->mx = NULL;
    res->check = NULL;
    res->history = NULL;
    res->profile = NULL;
    memset(&res->error, 0, sizeof(res->error));
    res->error.code = "";
    res->error.retry_after = -1;
}

enum api_status api_reply_decode(struct api_result *res, long http_status, const char *body,
                                 size_t len, const char *etag, const char *retry_after,
                                 enum mx_lang lang)
{
    struct dec d = {.res = res};
    cJSON *root = NULL;
    clear_payload(res);
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
        dec_error(&d, root, http_status, retry_after, lang);
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
        clear_payload(res);
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

struct api_result *api_result_new(enum api_call call)
{
    struct api_result *res = calloc(1, sizeof(*res));
    if (!res)
        return NULL;
    res->priv = calloc(1, sizeof(*res->priv));
    if (!res->priv) {
        free(res);
        return NULL;
    }
    res->call = call;
    res->error.code = "";
    res->error.retry_after = -1;
    return res;
}

void api_result_fail(struct api_result *res, enum api_status status, enum mx_lang lang)
{
    clear_payload(res);
    res->status = status;
    res->http_status = 0;
    res->error.message = api_status_message(status, lang);
}

char *api_result_take_token(struct api_result *res)
{
    if (!res || !res->priv->token)
        return NULL;
    char *t = malloc(res->priv->token_len + 1);
    if (t)
        memcpy(t, res->priv->token, res->priv->token_len + 1);
    explicit_bzero(res->priv->token, res->priv->token_len);
    res->priv->token = NULL;
    return t;
}

struct api_result *api_result_keep(struct api_result *res)
{
    if (res)
        res->priv->kept = true;
    return res;
}

bool api_result_kept(const struct api_result *res)
{
    return res && res->priv->kept;
}

void api_result_free(struct api_result **res)
{
    if (!res || !*res)
        return;
    struct api_result *r = *res;
    clear_payload(r);
    struct chunk *c = r->priv->chunks;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(r->priv);
    free(r);
    *res = NULL;
}
