/* routes_check: DNS checks of MX target hosts — on request, and for every save. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A check request while its lookups run: the parsed body (the host strings live in it) and
 * what the lookups fill in. */
struct check_state {
    cJSON *root;
    struct mx_host norm[CHECK_MAX_HOSTS];
    enum mx_code syntax[CHECK_MAX_HOSTS];
    const char *ask[CHECK_MAX_HOSTS];
    size_t ask_of[CHECK_MAX_HOSTS];
    size_t n_ask;
    struct dns_answer answers[CHECK_MAX_HOSTS];
};

static void check_state_free(void *p)
{
    struct check_state *cs = p;
    if (cs)
        cJSON_Delete(cs->root);
    free(cs);
}

/* The reply of a check once every lookup has its answer. */
static int check_reply(struct request *rq, void *state)
{
    struct check_state *cs = state;
    cJSON *hosts = cJSON_GetObjectItemCaseSensitive(cs->root, "hosts");
    cJSON *out = cJSON_CreateObject();
    cJSON *results = cJSON_AddArrayToObject(out, "results");
    int i = 0;
    for (cJSON *h = hosts->child; h && results; h = h->next, i++) {
        cJSON *item;
        if (cs->syntax[i] != MX_OK) {
            item = result_item(h->valuestring, h->valuestring, NULL, cs->syntax[i], rq->lang);
        } else {
            const struct dns_answer *a = &cs->answers[cs->ask_of[i]];
            enum mx_code v = mx_dns_verdict(a->has_a, a->has_aaaa, a->has_cname, a->timed_out);
            item = result_item(cs->norm[i].ascii, cs->norm[i].display, a, v, rq->lang);
        }
        cJSON_AddItemToArray(results, item);
    }
    int r = reply_cjson(rq, 200, results ? out : NULL, NULL);
    cJSON_Delete(out);
    return r;
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

    struct check_state *cs = calloc(1, sizeof *cs);
    if (!cs) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    cs->root = root;
    root = NULL;
    int i = 0;
    for (cJSON *h = hosts->child; h; h = h->next, i++) {
        cs->syntax[i] = mx_host_normalize(h->valuestring, strlen(h->valuestring), &cs->norm[i]);
        if (cs->syntax[i] == MX_OK) {
            cs->ask_of[i] = cs->n_ask;
            cs->ask[cs->n_ask++] = cs->norm[i].ascii;
        }
    }
    r = route_dns_start(rq, cs->ask, cs->n_ask, cs->answers, check_reply, cs, check_state_free);
out:
    mx_problems_free(&p);
    cJSON_Delete(root);
    return r;
}

static void on_dns_done(void *arg)
{
    request_resume(arg);
}

int route_dns_start(struct request *rq, const char *const *hosts, size_t n,
                    struct dns_answer *answers, http_resume_fn fn, void *state,
                    void (*free_state)(void *))
{
    struct dnscheck_job *job = NULL;
    enum dnscheck_status st =
        n ? dnscheck_job_new(rq->srv->dns, rq->actor ? rq->actor->session : NULL, hosts, n, answers,
                             &job)
          : DNSCHECK_DONE;
    switch (st) {
    case DNSCHECK_DONE: {
        /* Every host is in our own zones: no lookup to wait for. */
        int r = fn(rq, state);
        if (free_state)
            free_state(state);
        return r;
    }
    case DNSCHECK_STARTED:
        /* Parked first, so that the lookups can never resume it before it is suspended. */
        request_suspend(rq, fn, state, free_state);
        dnscheck_job_start(job, on_dns_done, rq);
        return MHD_YES;
    case DNSCHECK_BUSY:
        if (free_state)
            free_state(state);
        request_set_retry_after(rq, (rq->srv->opts.dns_timeout_ms + 999) / 1000);
        return reply_error(rq, 429, "too_many_checks", NULL);
    default:
        if (free_state)
            free_state(state);
        return reply_error(rq, 500, "internal", NULL);
    }
}

size_t route_check_hosts(const struct mx_config *cfg, const char **hosts)
{
    size_t n = 0;
    if (cfg->mode != MX_MODE_CUSTOM)
        return 0;
    for (size_t i = 0; i < cfg->n_primary && n < CHECK_MAX_ENTRIES; i++)
        hosts[n++] = cfg->primary[i].host;
    for (size_t i = 0; i < cfg->n_backup && n < CHECK_MAX_ENTRIES; i++)
        hosts[n++] = cfg->backup[i].host;
    return n;
}

int route_check_verdicts(const struct mx_config *cfg, const struct dns_answer *answers, size_t n,
                         struct mx_problems *rejects, struct mx_problems *warns)
{
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
