/* access: writing the access log (its route is in routes_account.c). */
#include "server/access.h"

#include <string.h>
#include <time.h>

#include "server/reply.h"

static const char SQL_INSERT[] =
    "INSERT INTO access_log(customer_id, at, staff, staff_name, address, session, via)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'open')";
/* One statement, so two requests of one session at once cannot both find no entry. */
static const char SQL_INSERT_ONCE[] =
    "INSERT INTO access_log(customer_id, at, staff, staff_name, address, session, via)"
    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'direct' WHERE NOT EXISTS(SELECT 1 FROM access_log"
    " WHERE session = ?6 AND customer_id = ?1)";

static int record(struct request *rq, struct db *db, const char *customer_id, const char *sql)
{
    if (!rq->actor || rq->actor->role != AUTH_ROLE_STAFF)
        return 0;
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    char now[32];
    db_time_iso(time(NULL), now);
    db_bind_text(st, 1, customer_id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, rq->actor->login);
    db_bind_text(st, 4, rq->actor->name);
    db_bind_text(st, 5, rq->client_ip ? rq->client_ip : "-");
    db_bind_text(st, 6, rq->actor->session);
    int rc = sqlite3_step(st);
    db_release(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int access_open(struct request *rq, struct db *db, const char *customer_id)
{
    return record(rq, db, customer_id, SQL_INSERT);
}

static const char SQL_SEEN[] =
    "SELECT 1 FROM access_log WHERE session = ?1 AND customer_id = ?2 LIMIT 1";

int access_reach(struct request *rq, struct db *db, const char *customer_id)
{
    if (!rq->actor || rq->actor->role != AUTH_ROLE_STAFF)
        return 0;
    /* The common case, a session that has its entry, only reads: no write lock for a GET. */
    sqlite3_stmt *st = db_stmt(db, SQL_SEEN);
    if (!st)
        return -1;
    db_bind_text(st, 1, rq->actor->session);
    db_bind_text(st, 2, customer_id);
    int rc = sqlite3_step(st);
    db_release(st);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return -1;
    return record(rq, db, customer_id, SQL_INSERT_ONCE);
}

bool access_domain(struct request *rq, struct db *db, struct store_domain *dom, int *r)
{
    int found = db ? store_domain_find(db, rq->actor, rq->params[0], dom) : -1;
    if (found > 0 && access_reach(rq, db, dom->customer) != 0)
        found = -1;
    if (found > 0)
        return true;
    *r = reply_error(rq, found < 0 ? 500 : 404, found < 0 ? "internal" : "not_found", NULL);
    return false;
}
