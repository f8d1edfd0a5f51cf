/* routes_mx: the MX configuration of a name — read, save (optimistic locking, preconditions,
 * rules, DNS check, audit and publication job in one transaction), history and restore. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/mx_codec.h"
#include "server/access.h"
#include "server/dnscheck.h"
#include "server/publish.h"
#include "server/routes.h"
#include "server/store.h"

/* Looks up the name of the path for the caller, noting staff's access; replies 404/500 itself
 * (returns false). */
static bool find_domain(struct request *rq, struct db **db, struct store_domain *dom, int *r)
{
    *db = db_get();
    return access_domain(rq, *db, dom, r);
}

static int reply_config(struct request *rq, unsigned status, const struct mx_config *cfg,
                        const struct mx_problems *warnings)
{
    char etag[24];
    snprintf(etag, sizeof etag, "%lld", cfg->version);
    char *json = mx_config_to_json(cfg);
    if (!warnings || !json)
        return reply_json(rq, status, json, etag);
    cJSON *root = cJSON_Parse(json);
    free(json);
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "warnings") : NULL;
    for (size_t i = 0; arr && i < warnings->count; i++) {
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "field", warnings->items[i].field);
        cJSON_AddStringToObject(w, "code", mx_code_name(warnings->items[i].code));
        cJSON_AddStringToObject(w, "message", mx_code_message(warnings->items[i].code, rq->lang));
        cJSON_AddItemToArray(arr, w);
    }
    int r = reply_json(rq, status, arr ? cJSON_PrintUnformatted(root) : NULL, etag);
    cJSON_Delete(root);
    return r;
}

int route_mx_get(struct request *rq)
{
    struct db *db;
    struct store_domain dom;
    int r = 0;
    if (!find_domain(rq, &db, &dom, &r))
        return r;
    struct mx_config cfg = {0};
    if (store_mx_load(db, &dom, &rq->srv->profile, &cfg) != 0) {
        r = reply_error(rq, 500, "internal", NULL);
    } else {
        publish_fill_live(rq->srv->pub, &cfg);
        r = reply_config(rq, 200, &cfg, NULL);
    }
    mx_config_clear(&cfg);
    return r;
}

/* If-Match: "7", 7 or W/"7". Returns the version, or -1 when it is none of these. */
static long long parse_if_match(const char *s)
{
    while (*s == ' ')
        s++;
    if (strncmp(s, "W/", 2) == 0)
        s += 2;
    bool quoted = *s == '"';
    if (quoted)
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    /* Too big for any version: not the largest version (that would answer 409), but no
     * version at all. */
    if (errno == ERANGE)
        return -1;
    if (quoted && *end++ != '"')
        return -1;
    while (*end == ' ')
        end++;
    return *end || v < 0 ? -1 : v;
}

static int reply_stale(struct request *rq, const struct mx_config *cur)
{
    char *json = mx_config_to_json(cur);
    cJSON *current = json ? cJSON_Parse(json) : NULL;
    free(json);
    if (!current)
        return reply_error(rq, 500, "internal", NULL);
    return reply_error_ex(rq, 409, "stale", NULL, "current", current);
}

static const char SQL_VERSION[] = "SELECT version FROM mx_configs WHERE domain = ?1";
static const char SQL_UPSERT[] =
    "INSERT INTO mx_configs(domain, version, mode, config, updated_at, updated_by, pub_state,"
    " pub_version, pub_at, pub_error) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, '', '')"
    " ON CONFLICT(domain) DO UPDATE SET version = excluded.version, mode = excluded.mode,"
    " config = excluded.config, updated_at = excluded.updated_at,"
    " updated_by = excluded.updated_by, pub_state = excluded.pub_state,"
    " pub_version = excluded.pub_version, pub_at = '', pub_error = ''";
static const char SQL_AUDIT[] =
    "INSERT INTO mx_audit(domain, version, at, actor, on_behalf_of, action, before, after,"
    " reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/* The stored version inside the open transaction: 0 when never saved, -1 on error. */
static long long stored_version(struct db *db, const char *domain)
{
    sqlite3_stmt *st = db_stmt(db, SQL_VERSION);
    if (!st)
        return -1;
    db_bind_text(st, 1, domain);
    int rc = sqlite3_step(st);
    long long v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    db_release(st);
    return v;
}

/* Writes next as version cur->version + 1 with its audit entry (carrying reason, reason_len
 * bytes; none when 0) and publication job, in one transaction that first re-checks the
 * version, and loads what it wrote into *written before COMMIT (after it, another writer may
 * already have saved the next version). Returns 0, 1 when stale (*written is then the current
 * configuration), -1 on error. */
static int write_version(struct request *rq, struct db *db, const struct store_domain *dom,
                         const struct mx_config *cur, const struct mx_config *next,
                         const char *action, const char *reason, size_t reason_len,
                         struct mx_config *written)
{
    char *before = mx_config_request_to_json(cur);
    char *after = mx_config_request_to_json(next);
    int ret = -1;
    bool open = false;
    if (!before || !after)
        goto out;
    if (db_write_begin(db) != 0)
        goto out;
    open = true;
    long long stored = stored_version(db, dom->name);
    if (stored < 0)
        goto out;
    if ((stored == 0 ? 1 : stored) != cur->version) {
        ret = store_mx_load(db, dom, &rq->srv->profile, written) == 0 ? 1 : -1;
        goto out;
    }
    if (strcmp(action, "update") == 0 && stored == 0)
        action = "create";
    long long version = cur->version + 1;
    char now[32];
    db_time_iso(time(NULL), now);
    const char *state = publish_enqueue(rq->srv->pub, db, dom->name, version, now);
    if (!state)
        goto out;
    sqlite3_stmt *st = db_stmt(db, SQL_UPSERT);
    if (!st)
        goto out;
    db_bind_text(st, 1, dom->name);
    sqlite3_bind_int64(st, 2, version);
    db_bind_text(st, 3, mx_mode_name(next->mode));
    db_bind_text(st, 4, after);
    db_bind_text(st, 5, now);
    db_bind_text(st, 6, rq->actor->login);
    db_bind_text(st, 7, state);
    int rc = sqlite3_step(st);
    db_release(st);
    if (rc != SQLITE_DONE)
        goto out;
    st = db_stmt(db, SQL_AUDIT);
    if (!st)
        goto out;
    db_bind_text(st, 1, dom->name);
    sqlite3_bind_int64(st, 2, version);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, rq->actor->login);
    db_bind_text(st, 5, dom->customer);
    db_bind_text(st, 6, action);
    db_bind_text(st, 7, before);
    db_bind_text(st, 8, after);
    if (reason_len > 0)
        sqlite3_bind_text(st, 9, reason, (int)reason_len, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    db_release(st);
    if (rc != SQLITE_DONE)
        goto out;
    /* The reply is this request's own version, read inside its transaction. */
    if (store_mx_load(db, dom, &rq->srv->profile, written) != 0)
        goto out;
    /* The reply waits for this: with synchronous=FULL the change is on disk once it returns. */
    open = false;
    if (db_write_commit(db) != 0)
        goto out;
    publish_wake(rq->srv->pub);
    ret = 0;
out:
    if (open)
        db_write_rollback(db);
    free(before);
    free(after);
    return ret;
}

/* A save while the DNS check of its hosts runs: everything the second half needs. */
struct save_state {
    struct store_domain dom;
    struct mx_config cur, next;
    struct mx_problems warnings;
    const char *action;
    char *reason; /* trimmed; NULL when none */
    size_t reason_len;
    const char *hosts[CHECK_MAX_ENTRIES];
    struct dns_answer answers[CHECK_MAX_ENTRIES];
    size_t n_hosts;
};

static void save_state_free(void *p)
{
    struct save_state *ss = p;
    if (!ss)
        return;
    mx_config_clear(&ss->cur);
    mx_config_clear(&ss->next);
    mx_problems_free(&ss->warnings);
    free(ss->reason);
    free(ss);
}

/* The second half of a save, once the DNS check is in: its verdicts, then the write. */
static int save_finish(struct request *rq, void *state)
{
    struct save_state *ss = state;
    struct mx_problems problems = {0};
    struct mx_config written = {0};
    struct db *db = db_get();
    int r;
    if (!db ||
        route_check_verdicts(&ss->next, ss->answers, ss->n_hosts, &problems, &ss->warnings) != 0) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    if (problems.count) {
        r = reply_error(rq, 422, "validation_failed", &problems);
        goto out;
    }
    int w = write_version(rq, db, &ss->dom, &ss->cur, &ss->next, ss->action, ss->reason,
                          ss->reason_len, &written);
    if (w == 1)
        r = reply_stale(rq, &written);
    else if (w != 0)
        r = reply_error(rq, 500, "internal", NULL);
    else {
        publish_fill_live(rq->srv->pub, &written);
        r = reply_config(rq, 200, &written, &ss->warnings);
    }
out:
    mx_config_clear(&written);
    mx_problems_free(&problems);
    return r;
}

/* The common path of PUT and restore: next holds the editable fields to save over the
 * version the client named (taken over: cleared here), reason what the client said about it
 * (NULL when nothing). */
static int save(struct request *rq, struct db *db, const struct store_domain *dom,
                struct mx_config *next, long long if_match, const char *action, const char *reason)
{
    const struct mx_profile *prof = &rq->srv->profile;
    struct save_state *ss = calloc(1, sizeof *ss);
    struct mx_problems problems = {0};
    int r;
    if (!ss || store_mx_load(db, dom, prof, &ss->cur) != 0) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    if (ss->cur.version != if_match) {
        r = reply_stale(rq, &ss->cur);
        goto out;
    }
    ss->dom = *dom;
    ss->action = action;
    ss->next = *next;
    memset(next, 0, sizeof *next);
    snprintf(ss->next.domain, sizeof ss->next.domain, "%s", dom->name);
    snprintf(ss->next.display_name, sizeof ss->next.display_name, "%s", dom->display);
    ss->next.kind = dom->kind;
    if (ss->next.mode == MX_MODE_CUSTOM)
        store_preconditions(db, dom, &problems);
    mx_config_validate(&ss->next, prof, &problems);
    /* Staff change a customer's mail on the customer's behalf: the audit must say why. */
    size_t reason_len = reason ? strlen(reason) : 0;
    enum mx_code why = mx_reason_check(reason, reason_len, rq->actor->role == AUTH_ROLE_STAFF);
    if (why != MX_OK)
        mx_problems_add(&problems, "reason", why);
    mx_reason_trim(&reason, &reason_len);
    if (reason_len > 0) {
        ss->reason = malloc(reason_len + 1);
        if (!ss->reason) {
            r = reply_error(rq, 500, "internal", NULL);
            goto out;
        }
        memcpy(ss->reason, reason, reason_len);
        ss->reason[reason_len] = '\0';
        ss->reason_len = reason_len;
    }
    if (mx_problems_reject(&problems)) {
        r = reply_error(rq, 422, "validation_failed", &problems);
        goto out;
    }
    /* Warnings of the rules (if any) travel with the DNS warnings. */
    for (size_t i = 0; i < problems.count; i++)
        mx_problems_add(&ss->warnings, problems.items[i].field, problems.items[i].code);
    /* Outside the write transaction and off the worker: a slow resolver blocks nobody. */
    ss->n_hosts = route_check_hosts(&ss->next, ss->hosts);
    r = route_dns_start(rq, ss->hosts, ss->n_hosts, ss->answers, save_finish, ss, save_state_free);
    ss = NULL;
out:
    save_state_free(ss);
    mx_problems_free(&problems);
    return r;
}

int route_mx_put(struct request *rq)
{
    struct db *db;
    struct store_domain dom;
    int r = 0;
    if (!find_domain(rq, &db, &dom, &r))
        return r;
    long long if_match = parse_if_match(request_header(rq, "If-Match"));
    if (if_match < 0)
        return reply_bad_request(rq, "If-Match", MX_JSON_BAD_VALUE);
    struct mx_config next = {0};
    struct mx_problems errs = {0};
    char *reason = NULL;
    enum mx_code rc = mx_change_from_json(rq->body, rq->body_len, &next, &reason, &errs);
    if (rc != MX_OK) {
        r = reply_decode_error(rq, rc, &errs);
    } else {
        r = save(rq, db, &dom, &next, if_match, "update", reason);
    }
    free(reason);
    mx_config_clear(&next);
    mx_problems_free(&errs);
    return r;
}

static const char SQL_HISTORY_COUNT[] = "SELECT count(*) FROM mx_audit WHERE domain = ?1";
static const char SQL_HISTORY[] =
    "SELECT id, version, at, actor, on_behalf_of, action, before, after, reason FROM mx_audit"
    " WHERE domain = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3";

static cJSON *json_column(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    cJSON *j = t ? cJSON_ParseWithLength(t, (size_t)sqlite3_column_bytes(st, col)) : NULL;
    return j ? j : cJSON_CreateNull();
}

int route_mx_history(struct request *rq)
{
    struct db *db;
    struct store_domain dom;
    int r = 0;
    if (!find_domain(rq, &db, &dom, &r))
        return r;
    long offset, limit;
    if (!request_int_arg(rq, "offset", 0, 0, 100000000L, &offset))
        return reply_bad_request(rq, "offset", MX_JSON_OUT_OF_RANGE);
    if (!request_int_arg(rq, "limit", 50, 1, 500, &limit))
        return reply_bad_request(rq, "limit", MX_JSON_OUT_OF_RANGE);
    sqlite3_stmt *st = db_stmt(db, SQL_HISTORY_COUNT);
    if (!st)
        return reply_error(rq, 500, "internal", NULL);
    db_bind_text(st, 1, dom.name);
    long long total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_release(st);
    st = db_stmt(db, SQL_HISTORY);
    if (!st)
        return reply_error(rq, 500, "internal", NULL);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "total", (double)total);
    cJSON *arr = cJSON_AddArrayToObject(root, "entries");
    db_bind_text(st, 1, dom.name);
    sqlite3_bind_int64(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    while (arr && sqlite3_step(st) == SQLITE_ROW) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, e);
        cJSON_AddNumberToObject(e, "id", (double)sqlite3_column_int64(st, 0));
        cJSON_AddNumberToObject(e, "version", (double)sqlite3_column_int64(st, 1));
        cJSON_AddStringToObject(e, "at", (const char *)sqlite3_column_text(st, 2));
        cJSON_AddStringToObject(e, "actor", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(e, "on_behalf_of", (const char *)sqlite3_column_text(st, 4));
        cJSON_AddStringToObject(e, "action", (const char *)sqlite3_column_text(st, 5));
        cJSON_AddItemToObject(e, "before", json_column(st, 6));
        cJSON_AddItemToObject(e, "after", json_column(st, 7));
        const char *why = (const char *)sqlite3_column_text(st, 8);
        if (why)
            cJSON_AddStringToObject(e, "reason", why);
        else
            cJSON_AddNullToObject(e, "reason");
    }
    db_release(st);
    r = reply_cjson(rq, 200, arr ? root : NULL, NULL);
    cJSON_Delete(root);
    return r;
}

static const char SQL_ENTRY[] = "SELECT after FROM mx_audit WHERE id = ?1 AND domain = ?2";

/* The optional body of a restore: none, or {"reason": ...} (http.c has checked that a body is
 * JSON). Returns false after replying 400 itself (*r holds the reply's result). */
static bool restore_reason(struct request *rq, char **reason, int *r)
{
    *reason = NULL;
    if (rq->body_len == 0)
        return true;
    struct mx_problems errs = {0};
    enum mx_code rc = mx_reason_from_json(rq->body, rq->body_len, reason, &errs);
    if (rc != MX_OK)
        *r = reply_decode_error(rq, rc, &errs);
    mx_problems_free(&errs);
    return rc == MX_OK;
}

int route_mx_restore(struct request *rq)
{
    struct db *db;
    struct store_domain dom;
    int r = 0;
    if (!find_domain(rq, &db, &dom, &r))
        return r;
    long long if_match = parse_if_match(request_header(rq, "If-Match"));
    if (if_match < 0)
        return reply_bad_request(rq, "If-Match", MX_JSON_BAD_VALUE);
    long long id = request_path_id(rq->params[1]);
    if (id <= 0)
        return reply_error(rq, 404, "not_found", NULL);
    char *reason = NULL;
    if (!restore_reason(rq, &reason, &r))
        return r;
    sqlite3_stmt *st = db_stmt(db, SQL_ENTRY);
    if (!st) {
        free(reason);
        return reply_error(rq, 500, "internal", NULL);
    }
    sqlite3_bind_int64(st, 1, id);
    db_bind_text(st, 2, dom.name);
    struct mx_config next = {0};
    int rc = sqlite3_step(st);
    enum mx_code dec = MX_JSON_SYNTAX;
    if (rc == SQLITE_ROW) {
        const char *after = (const char *)sqlite3_column_text(st, 0);
        if (after)
            dec = mx_config_request_from_json(after, (size_t)sqlite3_column_bytes(st, 0), &next,
                                              NULL);
    }
    db_release(st);
    if (rc == SQLITE_DONE)
        r = reply_error(rq, 404, "not_found", NULL);
    else if (rc != SQLITE_ROW || dec != MX_OK)
        r = reply_error(rq, 500, "internal", NULL);
    else
        r = save(rq, db, &dom, &next, if_match, "restore", reason);
    free(reason);
    mx_config_clear(&next);
    return r;
}
