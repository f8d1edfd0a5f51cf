/* publish: publication jobs. No publisher is configured yet, so jobs start "disabled". */
#include "server/publish.h"

#include <stddef.h>

static const char SQL_JOB[] = "INSERT INTO publish_jobs(domain, version, state, created_at)"
                              " VALUES(?1, ?2, ?3, ?4)";

const char *publish_enqueue(struct db *db, const char *domain, long long version, const char *now)
{
    const char *state = "disabled";
    sqlite3_stmt *st = db_stmt(db, SQL_JOB);
    if (!st)
        return NULL;
    db_bind_text(st, 1, domain);
    sqlite3_bind_int64(st, 2, version);
    db_bind_text(st, 3, state);
    db_bind_text(st, 4, now);
    int rc = sqlite3_step(st);
    db_release(st);
    return rc == SQLITE_DONE ? state : NULL;
}
