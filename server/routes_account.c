/* routes_account: customers (staff search by number, name or domain), a customer's packages,
 * a package's domains, a customer's access log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/access.h"
#include "server/db.h"
#include "server/routes.h"
#include "server/store.h"

/* Customer search answers at most this many; a support person narrows the query instead. */
#define CUSTOMERS_MAX 50

/* ?1 the text as typed (number prefix, name), ?2 and ?3 its A-label and U-label forms for the
 * names of domains (mx_search_forms). Every customer comes with whether it matches directly
 * and, when it does not, the first of its domains that matches (in the order of its package
 * listing, which the covering index walks: the search stops at the first match); the caller
 * keeps the rows that match either way, so each customer's domains are searched at most once.
 * The U-label form is only searched where it differs from the A-label (most names are ASCII). */
static const char SQL_CUSTOMERS[] =
    "SELECT m.cid, m.cname, (SELECT count(*) FROM packages p WHERE p.customer_id = m.cid),"
    " m.direct, CASE WHEN m.direct THEN NULL ELSE"
    " (SELECT d.display_name FROM packages p JOIN domains d ON d.package_id = p.id"
    " WHERE p.customer_id = m.cid AND (instr(d.name, ?2) > 0"
    " OR (d.display_name <> d.name AND instr(d.display_name, ?3) > 0))"
    " ORDER BY p.id, d.sort_key LIMIT 1) END"
    " FROM (SELECT c.id AS cid, c.name AS cname, (?1 = '' OR substr(c.id, 1, length(?1)) = ?1"
    " OR instr(lower(c.name), lower(?1)) > 0) AS direct FROM customers c) AS m ORDER BY m.cid";

int route_customers(struct request *rq)
{
    if (rq->actor->role != AUTH_ROLE_STAFF)
        return reply_error(rq, 403, "forbidden", NULL);
    const char *q = request_arg(rq, "q");
    if (!q)
        q = "";
    if (strlen(q) > 200)
        return reply_bad_request(rq, "q", MX_JSON_OUT_OF_RANGE);
    struct db *db = db_get();
    sqlite3_stmt *st = db ? db_stmt(db, SQL_CUSTOMERS) : NULL;
    if (!st)
        return reply_error(rq, 500, "internal", NULL);
    char ascii[1024], display[1024];
    mx_search_forms(q, strlen(q), ascii, display, sizeof ascii);
    db_bind_text(st, 1, q);
    db_bind_text(st, 2, ascii);
    db_bind_text(st, 3, display);
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(root, "customers");
    int n = 0;
    while (arr && n < CUSTOMERS_MAX && sqlite3_step(st) == SQLITE_ROW) {
        const char *matched = (const char *)sqlite3_column_text(st, 4);
        if (!sqlite3_column_int(st, 3) && !matched)
            continue;
        n++;
        cJSON *c = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, c);
        cJSON_AddStringToObject(c, "id", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(c, "name", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddNumberToObject(c, "packages", (double)sqlite3_column_int64(st, 2));
        if (matched)
            cJSON_AddStringToObject(c, "matched_domain", matched);
        else
            cJSON_AddNullToObject(c, "matched_domain");
    }
    db_release(st);
    int r = reply_cjson(rq, 200, arr ? root : NULL, NULL);
    cJSON_Delete(root);
    return r;
}

static const char SQL_CUSTOMER[] = "SELECT name FROM customers WHERE id = ?1";

/* The name of customer cid into name (size bytes). Returns true when found; otherwise it has
 * replied 404 (unknown) or 500 itself and *r holds the reply's result. */
static bool customer_name(struct request *rq, struct db *db, const char *cid, char *name,
                          size_t size, int *r)
{
    sqlite3_stmt *st = db ? db_stmt(db, SQL_CUSTOMER) : NULL;
    int rc = SQLITE_ERROR;
    if (st) {
        db_bind_text(st, 1, cid);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            db_col_text(st, 0, name, size);
        db_release(st);
    }
    if (rc == SQLITE_ROW)
        return true;
    *r = reply_error(rq, rc == SQLITE_DONE ? 404 : 500,
                     rc == SQLITE_DONE ? "not_found" : "internal", NULL);
    return false;
}

static const char SQL_PACKAGES[] =
    "SELECT p.id, p.name, (SELECT count(*) FROM domains d WHERE d.package_id = p.id)"
    " FROM packages p WHERE p.customer_id = ?1 ORDER BY p.id";

int route_packages(struct request *rq)
{
    const char *cid = rq->params[0];
    /* Another customer's number answers exactly like one that does not exist. */
    if (rq->actor->role != AUTH_ROLE_STAFF && strcmp(cid, rq->actor->customer) != 0)
        return reply_error(rq, 404, "not_found", NULL);
    struct db *db = db_get();
    char name[256] = "";
    int r = 0;
    if (!customer_name(rq, db, cid, name, sizeof name, &r))
        return r;
    /* Staff opening a customer: recorded before anything of the customer is sent. */
    if (access_open(rq, db, cid) != 0)
        return reply_error(rq, 500, "internal", NULL);
    cJSON *root = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(root, "customer");
    cJSON_AddStringToObject(c, "id", cid);
    cJSON_AddStringToObject(c, "name", name);
    cJSON *arr = cJSON_AddArrayToObject(root, "packages");
    sqlite3_stmt *st = db_stmt(db, SQL_PACKAGES);
    if (!st || !arr) {
        cJSON_Delete(root);
        return reply_error(rq, 500, "internal", NULL);
    }
    db_bind_text(st, 1, cid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *p = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, p);
        cJSON_AddNumberToObject(p, "id", (double)sqlite3_column_int64(st, 0));
        cJSON_AddStringToObject(p, "name", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddNumberToObject(p, "domains", (double)sqlite3_column_int64(st, 2));
    }
    db_release(st);
    r = reply_cjson(rq, 200, root, NULL);
    cJSON_Delete(root);
    return r;
}

static const char SQL_PACKAGE[] = "SELECT name, customer_id FROM packages WHERE id = ?1";
/* The U-label form is only searched where it differs from the A-label: half the work on a
 * package of ASCII names. */
static const char SQL_DOMAINS_COUNT[] =
    "SELECT count(*) FROM domains WHERE package_id = ?1"
    " AND (?2 = '' OR instr(name, lower(?2)) > 0"
    " OR (display_name <> name AND instr(lower(display_name), lower(?2)) > 0))";
static const char SQL_DOMAINS[] =
    "SELECT d.name, d.display_name, d.kind, d.parent, coalesce(m.mode, 'provider')"
    " FROM domains d LEFT JOIN mx_configs m ON m.domain = d.name WHERE d.package_id = ?1"
    " AND (?2 = '' OR instr(d.name, lower(?2)) > 0"
    " OR (d.display_name <> d.name AND instr(lower(d.display_name), lower(?2)) > 0))"
    " ORDER BY d.sort_key LIMIT ?3 OFFSET ?4";

int route_domains(struct request *rq)
{
    long long pid = request_path_id(rq->params[0]);
    if (pid <= 0)
        return reply_error(rq, 404, "not_found", NULL);
    long offset, limit;
    if (!request_int_arg(rq, "offset", 0, 0, 100000000L, &offset))
        return reply_bad_request(rq, "offset", MX_JSON_OUT_OF_RANGE);
    if (!request_int_arg(rq, "limit", 50, 1, 500, &limit))
        return reply_bad_request(rq, "limit", MX_JSON_OUT_OF_RANGE);
    const char *q = request_arg(rq, "q");
    if (!q)
        q = "";
    if (strlen(q) > 253)
        return reply_bad_request(rq, "q", MX_JSON_OUT_OF_RANGE);
    struct db *db = db_get();
    sqlite3_stmt *st = db ? db_stmt(db, SQL_PACKAGE) : NULL;
    if (!st)
        return reply_error(rq, 500, "internal", NULL);
    sqlite3_bind_int64(st, 1, pid);
    char pname[256] = "", owner[32] = "";
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, pname, sizeof pname);
        db_col_text(st, 1, owner, sizeof owner);
    }
    db_release(st);
    if (rc != SQLITE_ROW ||
        (rq->actor->role != AUTH_ROLE_STAFF && strcmp(owner, rq->actor->customer) != 0))
        return reply_error(rq, rc == SQLITE_ROW || rc == SQLITE_DONE ? 404 : 500,
                           rc == SQLITE_ROW || rc == SQLITE_DONE ? "not_found" : "internal", NULL);
    if (access_reach(rq, db, owner) != 0)
        return reply_error(rq, 500, "internal", NULL);

    long long total = 0;
    st = db_stmt(db, SQL_DOMAINS_COUNT);
    if (!st)
        return reply_error(rq, 500, "internal", NULL);
    sqlite3_bind_int64(st, 1, pid);
    db_bind_text(st, 2, q);
    if (sqlite3_step(st) == SQLITE_ROW)
        total = sqlite3_column_int64(st, 0);
    db_release(st);

    cJSON *root = cJSON_CreateObject();
    cJSON *pk = cJSON_AddObjectToObject(root, "package");
    cJSON_AddNumberToObject(pk, "id", (double)pid);
    cJSON_AddStringToObject(pk, "name", pname);
    cJSON_AddNumberToObject(root, "total", (double)total);
    cJSON_AddNumberToObject(root, "offset", (double)offset);
    cJSON_AddNumberToObject(root, "limit", (double)limit);
    cJSON *arr = cJSON_AddArrayToObject(root, "domains");
    st = db_stmt(db, SQL_DOMAINS);
    if (!st || !arr) {
        cJSON_Delete(root);
        return reply_error(rq, 500, "internal", NULL);
    }
    sqlite3_bind_int64(st, 1, pid);
    db_bind_text(st, 2, q);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *d = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, d);
        cJSON_AddStringToObject(d, "name", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(d, "display_name", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddStringToObject(d, "kind", (const char *)sqlite3_column_text(st, 2));
        if (sqlite3_column_type(st, 3) == SQLITE_NULL)
            cJSON_AddNullToObject(d, "parent");
        else
            cJSON_AddStringToObject(d, "parent", (const char *)sqlite3_column_text(st, 3));
        cJSON_AddStringToObject(d, "mx_mode", (const char *)sqlite3_column_text(st, 4));
    }
    db_release(st);
    int r = reply_cjson(rq, 200, root, NULL);
    cJSON_Delete(root);
    return r;
}

static const char SQL_LOG_COUNT[] = "SELECT count(*) FROM access_log WHERE customer_id = ?1";
static const char SQL_LOG_ENTRIES[] =
    "SELECT id, at, staff, staff_name, address, via FROM access_log WHERE customer_id = ?1"
    " ORDER BY id DESC LIMIT ?2 OFFSET ?3";

int route_access_log(struct request *rq)
{
    /* Who looked at a customer is the support team's business, not the customer's. */
    if (rq->actor->role != AUTH_ROLE_STAFF)
        return reply_error(rq, 403, "forbidden", NULL);
    long offset, limit;
    if (!request_int_arg(rq, "offset", 0, 0, 100000000L, &offset))
        return reply_bad_request(rq, "offset", MX_JSON_OUT_OF_RANGE);
    if (!request_int_arg(rq, "limit", 50, 1, 500, &limit))
        return reply_bad_request(rq, "limit", MX_JSON_OUT_OF_RANGE);
    const char *cid = rq->params[0];
    struct db *db = db_get();
    char name[256] = "";
    int r = 0;
    if (!customer_name(rq, db, cid, name, sizeof name, &r))
        return r;
    long long total = -1;
    sqlite3_stmt *st = db_stmt(db, SQL_LOG_COUNT);
    if (st) {
        db_bind_text(st, 1, cid);
        if (sqlite3_step(st) == SQLITE_ROW)
            total = sqlite3_column_int64(st, 0);
        db_release(st);
    }
    st = total >= 0 ? db_stmt(db, SQL_LOG_ENTRIES) : NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *c = cJSON_AddObjectToObject(root, "customer");
    cJSON *arr = NULL;
    if (st && c) {
        cJSON_AddStringToObject(c, "id", cid);
        cJSON_AddStringToObject(c, "name", name);
        cJSON_AddNumberToObject(root, "total", (double)total);
        cJSON_AddNumberToObject(root, "offset", (double)offset);
        cJSON_AddNumberToObject(root, "limit", (double)limit);
        arr = cJSON_AddArrayToObject(root, "entries");
        db_bind_text(st, 1, cid);
        sqlite3_bind_int64(st, 2, limit);
        sqlite3_bind_int64(st, 3, offset);
    }
    while (arr && sqlite3_step(st) == SQLITE_ROW) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, e);
        cJSON_AddNumberToObject(e, "id", (double)sqlite3_column_int64(st, 0));
        static const char *const cols[] = {"at", "staff", "staff_name", "address", "via"};
        for (int i = 0; i < 5; i++)
            cJSON_AddStringToObject(e, cols[i], (const char *)sqlite3_column_text(st, i + 1));
    }
    db_release(st);
    r = arr ? reply_cjson(rq, 200, root, NULL) : reply_error(rq, 500, "internal", NULL);
    cJSON_Delete(root);
    return r;
}
