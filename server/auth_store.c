/* auth_store: sessions and throttle counters in SQLite. */
#include "server/auth_store.h"

#include <string.h>

static const char SQL_PURGE_SESSIONS[] = "DELETE FROM sessions WHERE last_used < ?1";
static const char SQL_PURGE_THROTTLE[] =
    "DELETE FROM login_throttle WHERE win_start < ?1 AND totp_last < ?2";
static const char SQL_SESSIONS[] =
    "SELECT s.hash, s.login, a.role, coalesce(a.customer_id,''), coalesce(c.name, a.name),"
    " s.created, s.last_used, s.sid FROM sessions s JOIN accounts a ON a.login = s.login"
    " LEFT JOIN customers c ON c.id = a.customer_id ORDER BY s.created, s.rowid";
static const char SQL_THROTTLES[] =
    "SELECT key, failures, win_start, totp_last FROM login_throttle";
static const char SQL_SESSION_ADD[] =
    "INSERT OR REPLACE INTO sessions(hash, login, created, last_used, sid)"
    " VALUES(?1, ?2, ?3, ?4, ?5)";
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET last_used = ?2 WHERE hash = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE hash = ?1";
static const char SQL_THROTTLE_PUT[] =
    "INSERT OR REPLACE INTO login_throttle(key, failures, win_start, totp_last)"
    " VALUES(?1, ?2, ?3, ?4)";
static const char SQL_THROTTLE_DELETE[] = "DELETE FROM login_throttle WHERE key = ?1";

/* Runs a prepared statement to its end. Returns 0 or -1. */
static int run(sqlite3_stmt *st)
{
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    db_release(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int delete_hash(struct db *db, const char *sql, const unsigned char *hash)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (st)
        sqlite3_bind_blob(st, 1, hash, AUTH_HASH_BYTES, SQLITE_TRANSIENT);
    return run(st);
}

int auth_store_load(struct db *db, long long idle_before, long long window_before,
                    long long totp_before, auth_store_session_fn on_session,
                    auth_store_throttle_fn on_throttle, void *ctx)
{
    if (db_write_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_PURGE_SESSIONS);
    if (st)
        sqlite3_bind_int64(st, 1, idle_before);
    int rc = run(st);
    st = rc == 0 ? db_stmt(db, SQL_PURGE_THROTTLE) : NULL;
    if (st) {
        sqlite3_bind_int64(st, 1, window_before);
        sqlite3_bind_int64(st, 2, totp_before);
    }
    rc = rc == 0 ? run(st) : -1;
    if (rc != 0 || db_write_commit(db) != 0) {
        if (rc != 0)
            db_write_rollback(db);
        return -1;
    }
    st = db_stmt(db, SQL_SESSIONS);
    if (!st)
        return -1;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct auth_store_session s;
        memset(&s, 0, sizeof s);
        if (sqlite3_column_bytes(st, 0) != AUTH_HASH_BYTES)
            continue;
        memcpy(s.hash, sqlite3_column_blob(st, 0), AUTH_HASH_BYTES);
        db_col_text(st, 1, s.login, sizeof s.login);
        db_col_text(st, 2, s.role, sizeof s.role);
        db_col_text(st, 3, s.customer, sizeof s.customer);
        db_col_text(st, 4, s.name, sizeof s.name);
        s.created = sqlite3_column_int64(st, 5);
        s.last_used = sqlite3_column_int64(st, 6);
        db_col_text(st, 7, s.sid, sizeof s.sid);
        if (on_session(ctx, &s) != 0) {
            step = SQLITE_ERROR;
            break;
        }
    }
    db_release(st);
    if (step != SQLITE_DONE)
        return -1;
    st = db_stmt(db, SQL_THROTTLES);
    if (!st)
        return -1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        struct auth_store_throttle t;
        memset(&t, 0, sizeof t);
        db_col_text(st, 0, t.key, sizeof t.key);
        t.failures = sqlite3_column_int(st, 1);
        t.win_start = sqlite3_column_int64(st, 2);
        t.totp_last = sqlite3_column_int64(st, 3);
        if (on_throttle(ctx, &t) != 0) {
            step = SQLITE_ERROR;
            break;
        }
    }
    db_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

int auth_store_session_add(struct db *db, const struct auth_store_session *s,
                           const unsigned char (*drop)[AUTH_HASH_BYTES], size_t n_drop,
                           long long idle_before)
{
    if (db_write_begin(db) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n_drop; i++)
        rc = delete_hash(db, SQL_SESSION_DELETE, drop[i]);
    sqlite3_stmt *st = rc == 0 ? db_stmt(db, SQL_PURGE_SESSIONS) : NULL;
    if (st)
        sqlite3_bind_int64(st, 1, idle_before);
    rc = rc == 0 ? run(st) : -1;
    st = rc == 0 ? db_stmt(db, SQL_SESSION_ADD) : NULL;
    if (st) {
        sqlite3_bind_blob(st, 1, s->hash, AUTH_HASH_BYTES, SQLITE_TRANSIENT);
        db_bind_text(st, 2, s->login);
        sqlite3_bind_int64(st, 3, s->created);
        sqlite3_bind_int64(st, 4, s->last_used);
        db_bind_text(st, 5, s->sid);
    }
    rc = rc == 0 ? run(st) : -1;
    if (rc != 0) {
        db_write_rollback(db);
        return -1;
    }
    return db_write_commit(db);
}

int auth_store_session_touch(struct db *db, const unsigned char *hash, long long last_used)
{
    if (db_write_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_SESSION_TOUCH);
    if (st) {
        sqlite3_bind_blob(st, 1, hash, AUTH_HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, last_used);
    }
    if (run(st) != 0) {
        db_write_rollback(db);
        return -1;
    }
    return db_write_commit(db);
}

int auth_store_session_delete(struct db *db, const unsigned char *hash)
{
    if (db_write_begin(db) != 0)
        return -1;
    if (delete_hash(db, SQL_SESSION_DELETE, hash) != 0) {
        db_write_rollback(db);
        return -1;
    }
    return db_write_commit(db);
}

int auth_store_throttle_put(struct db *db, const char *key, const struct auth_store_throttle *t)
{
    if (db_write_begin(db) != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, t ? SQL_THROTTLE_PUT : SQL_THROTTLE_DELETE);
    if (st) {
        db_bind_text(st, 1, key);
        if (t) {
            sqlite3_bind_int(st, 2, t->failures);
            sqlite3_bind_int64(st, 3, t->win_start);
            sqlite3_bind_int64(st, 4, t->totp_last);
        }
    }
    if (run(st) != 0) {
        db_write_rollback(db);
        return -1;
    }
    return db_write_commit(db);
}
