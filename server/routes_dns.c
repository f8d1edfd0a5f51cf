/* routes_dns: the DNS settings overview of a name — what the dialog's DNS page shows. */
#include <stdio.h>
#include <string.h>

#include "server/access.h"
#include "server/db.h"
#include "server/routes.h"
#include "server/store.h"

static const char SQL_RECORDS[] = "SELECT type, value FROM records WHERE name = ?1 ORDER BY rowid";
static const char SQL_MAIL_COUNTS[] = "SELECT mailboxes, forwards FROM mail_counts WHERE name = ?1";

/* Mailboxes and forwards the provider's mail system holds for name (0 and 0 without a row).
 * Returns 0, or -1 on a database error. */
static int mail_counts(struct db *db, const char *name, long long *mailboxes, long long *forwards)
{
    sqlite3_stmt *st = db_stmt(db, SQL_MAIL_COUNTS);
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    int rc = sqlite3_step(st);
    *mailboxes = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *forwards = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    db_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int add_records(struct db *db, const char *name, cJSON *a, cJSON *aaaa, cJSON *txt,
                       char *cname, size_t cname_size)
{
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", name);
    sqlite3_stmt *st = db_stmt(db, SQL_RECORDS);
    if (!st)
        return -1;
    db_bind_text(st, 1, fq);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        if (!type || !value)
            continue;
        if (strcmp(type, "A") == 0)
            cJSON_AddItemToArray(a, cJSON_CreateString(value));
        else if (strcmp(type, "AAAA") == 0)
            cJSON_AddItemToArray(aaaa, cJSON_CreateString(value));
        else if (strcmp(type, "TXT") == 0)
            cJSON_AddItemToArray(txt, cJSON_CreateString(value));
        else if (strcmp(type, "CNAME") == 0)
            snprintf(cname, cname_size, "%s", value);
    }
    db_release(st);
    return 0;
}

int route_dns(struct request *rq)
{
    struct db *db = db_get();
    if (!db)
        return reply_error(rq, 500, "internal", NULL);
    struct store_domain dom;
    int r0 = 0;
    if (!access_domain(rq, db, &dom, &r0))
        return r0;
    const struct mx_profile *prof = &rq->srv->profile;
    struct mx_config cfg = {0};
    struct mx_problems reasons = {0};
    cJSON *root = cJSON_CreateObject();
    int r;
    if (store_mx_load(db, &dom, prof, &cfg) != 0 || !root) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    cJSON_AddStringToObject(root, "domain", dom.name);
    cJSON_AddStringToObject(root, "display_name", dom.display);
    cJSON_AddStringToObject(root, "kind", mx_kind_name(dom.kind));
    cJSON *ns = cJSON_AddObjectToObject(root, "ns");
    cJSON_AddStringToObject(ns, "mode", dom.ns_own ? "own" : "provider");
    cJSON *servers = cJSON_AddArrayToObject(ns, "servers");
    if (dom.ns_own) {
        char copy[STORE_NS_SIZE];
        snprintf(copy, sizeof copy, "%s", dom.ns_servers);
        char *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
            cJSON_AddItemToArray(servers, cJSON_CreateString(t));
    } else {
        for (size_t i = 0; i < prof->n_name_servers; i++)
            cJSON_AddItemToArray(servers, cJSON_CreateString(prof->name_servers[i]));
    }
    cJSON *a = cJSON_AddArrayToObject(root, "a");
    cJSON *aaaa = cJSON_AddArrayToObject(root, "aaaa");
    char cname[MX_HOST_SIZE] = "";
    cJSON *txt = cJSON_CreateArray();
    if (add_records(db, dom.name, a, aaaa, txt, cname, sizeof cname) != 0) {
        cJSON_Delete(txt);
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    if (cname[0])
        cJSON_AddStringToObject(root, "cname", cname);
    else
        cJSON_AddNullToObject(root, "cname");
    cJSON_AddItemToObject(root, "txt", txt);
    cJSON_AddBoolToObject(root, "dyndns", dom.dyndns);
    long long mailboxes = 0, forwards = 0;
    if (mail_counts(db, dom.name, &mailboxes, &forwards) != 0) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    cJSON *mx = cJSON_AddObjectToObject(root, "mx");
    cJSON_AddStringToObject(mx, "mode", mx_mode_name(cfg.mode));
    cJSON *recs = cJSON_AddArrayToObject(mx, "records");
    for (size_t i = 0; i < cfg.n_records; i++) {
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddNumberToObject(rec, "priority", (double)cfg.records[i].priority);
        cJSON_AddStringToObject(rec, "host", cfg.records[i].host);
        cJSON_AddItemToArray(recs, rec);
    }
    cJSON_AddNumberToObject(root, "mailboxes", (double)mailboxes);
    cJSON_AddNumberToObject(root, "forwards", (double)forwards);
    store_preconditions(db, &dom, &reasons);
    cJSON_AddBoolToObject(root, "own_mail_possible", reasons.count == 0);
    cJSON *rs = cJSON_AddArrayToObject(root, "reasons");
    for (size_t i = 0; i < reasons.count; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", mx_code_name(reasons.items[i].code));
        cJSON_AddStringToObject(o, "message", mx_code_message(reasons.items[i].code, rq->lang));
        cJSON_AddItemToArray(rs, o);
    }
    r = reply_cjson(rq, 200, root, NULL);
out:
    cJSON_Delete(root);
    mx_problems_free(&reasons);
    mx_config_clear(&cfg);
    return r;
}
