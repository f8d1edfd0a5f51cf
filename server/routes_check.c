/* routes_check: DNS checks of MX target hosts — on request, and for every save. */
#include <stdio.h>
#include <string.h>

#include "api/mx_codec.h"
#include "server/dnscheck.h"
#include "server/access.h"
#include "server/routes.h"
#include "server/store.h"

/* How many hosts one check request may name. */
#define CHECK_MAX_HOSTS 16

static const char *verdict_name(enum mx_code code)
{
    switch (mx_code_severity(code)) {
    case MX_SEV_OK:
        return "accept";
    case MX_SEV_WARN:
        return "warn";
    default:
        return "reject";
    }
}

static cJSON *string_array(const char (*items)[46], size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(items[i]));
    return arr;
}

static cJSON *result_item(const char *host, const char *display, const struct dns_answer *ans,
                          enum mx_code code, enum mx_lang lang)
{
    static const struct dns_answer none;
    if (!ans)
        ans = &none;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "host", host);
    cJSON_AddStringToObject(o, "display", display);
    cJSON_AddItemToObject(o, "a", string_array(ans->a, ans->n_a < 8 ? ans->n_a : 8));
    cJSON_AddItemToObject(o, "aaaa", string_array(ans->aaaa, ans->n_aaaa < 8 ? ans->n_aaaa : 8));
    if (ans->has_cname)
        cJSON_AddStringToObject(o, "cname", ans->cname);
    else
        cJSON_AddNullToObject(o, "cname");
    cJSON_AddStringToObject(o, "verdict", verdict_name(code));
    cJSON_AddStringToObject(o, "code", mx_code_name(code));
    cJSON_AddStringToObject(o, "message", mx_code_message(code, lang));
    return o;
}

int route_mx_check(struct request *rq)
{
    struct db *db = db_get();
    if (!db)
        return reply_error(rq, 500, "internal", NULL);
    struct store_domain dom;
    int r0 = 0;
    if (!access_domain(rq, db, &dom, &r0))
        return r0;
    int r = 0;
    cJSON *out = NULL;
    struct mx_problems p = {0};
    /* request_json_object refuses a host hiding \u0000 (strlen below would cut it) with its
     * field path, as in the PUT body. */
    cJSON *root = request_json_object(rq, &r);
    if (!root)
        goto out;
    for (cJSON *it = root->child; it; it = it->next) {
        if (!it->string || strcmp(it->string, "hosts") != 0)
            mx_problems_add(&p, it->string ? it->string : "", MX_JSON_UNKNOWN_FIELD);
    }
    cJSON *hosts = cJSON_GetObjectItemCaseSensitive(root, "hosts");
    int n = cJSON_GetArraySize(hosts);
    if (!hosts)
        mx_problems_add(&p, "hosts", MX_JSON_MISSING_FIELD);
    else if (!cJSON_IsArray(hosts))
        mx_problems_add(&p, "hosts", MX_JSON_WRONG_TYPE);
    else if (n < 1 || n > CHECK_MAX_HOSTS)
        mx_problems_add(&p, "hosts", MX_JSON_OUT_OF_RANGE);
    else {
        int i = 0;
        for (cJSON *h = hosts->child; h; h = h->next, i++) {
            if (!cJSON_IsString(h) || !h->valuestring) {
                char field[48];
                snprintf(field, sizeof field, "hosts[%d]", i);
                mx_problems_add(&p, field, MX_JSON_WRONG_TYPE);
            }
        }
    }
    /* Judged on the input, not on p.count: adding a problem can fail for want of memory. */
    bool bad = !hosts || !cJSON_IsArray(hosts) || n < 1 || n > CHECK_MAX_HOSTS;
    for (cJSON *h = bad ? NULL : hosts->child; h; h = h->next)
        bad = bad || !cJSON_IsString(h) || !h->valuestring;
    if (bad || p.count) {
        r = reply_error(rq, 400, "bad_request", &p);
        goto out;
    }

    struct mx_host norm[CHECK_MAX_HOSTS];
    enum mx_code syntax[CHECK_MAX_HOSTS];
    const char *ask[CHECK_MAX_HOSTS];
    size_t ask_of[CHECK_MAX_HOSTS];
    struct dns_answer answers[CHECK_MAX_HOSTS];
    size_t n_ask = 0;
    int i = 0;
    for (cJSON *h = hosts->child; h; h = h->next, i++) {
        syntax[i] = mx_host_normalize(h->valuestring, strlen(h->valuestring), &norm[i]);
        if (syntax[i] == MX_OK) {
            ask_of[i] = n_ask;
            ask[n_ask++] = norm[i].ascii;
        }
    }
    memset(answers, 0, sizeof answers);
    if (n_ask && dnscheck_run(rq->srv->dns, ask, n_ask, answers) != 0) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    out = cJSON_CreateObject();
    cJSON *results = cJSON_AddArrayToObject(out, "results");
    i = 0;
    for (cJSON *h = hosts->child; h && results; h = h->next, i++) {
        cJSON *item;
        if (syntax[i] != MX_OK) {
            item = result_item(h->valuestring, h->valuestring, NULL, syntax[i], rq->lang);
        } else {
            const struct dns_answer *a = &answers[ask_of[i]];
            enum mx_code v = mx_dns_verdict(a->has_a, a->has_aaaa, a->has_cname, a->timed_out);
            item = result_item(norm[i].ascii, norm[i].display, a, v, rq->lang);
        }
        cJSON_AddItemToArray(results, item);
    }
    r = reply_cjson(rq, 200, results ? out : NULL, NULL);
out:
    mx_problems_free(&p);
    cJSON_Delete(out);
    cJSON_Delete(root);
    return r;
}

/* More entries than this were refused by the validator (the profile's limits are lower). */
#define CHECK_MAX_ENTRIES 64

int route_check_config(struct server *srv, const struct mx_config *cfg, struct mx_problems *rejects,
                       struct mx_problems *warns)
{
    if (cfg->mode != MX_MODE_CUSTOM)
        return 0;
    const char *hosts[CHECK_MAX_ENTRIES];
    struct dns_answer answers[CHECK_MAX_ENTRIES];
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_primary && n < CHECK_MAX_ENTRIES; i++)
        hosts[n++] = cfg->primary[i].host;
    for (size_t i = 0; i < cfg->n_backup && n < CHECK_MAX_ENTRIES; i++)
        hosts[n++] = cfg->backup[i].host;
    if (n == 0)
        return 0;
    /* One run for all hosts: the person waits for one timeout at most, not one per host. */
    memset(answers, 0, sizeof(struct dns_answer) * n);
    if (dnscheck_run(srv->dns, hosts, n, answers) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct dns_answer *a = &answers[i];
        enum mx_code v = mx_dns_verdict(a->has_a, a->has_aaaa, a->has_cname, a->timed_out);
        if (v == MX_OK)
            continue;
        bool primary = i < cfg->n_primary;
        char field[48];
        snprintf(field, sizeof field, "%s[%zu].host", primary ? "primary" : "backup",
                 primary ? i : i - cfg->n_primary);
        if (mx_problems_add(mx_code_severity(v) == MX_SEV_REJECT ? rejects : warns, field, v))
            return -1;
    }
    return 0;
}
