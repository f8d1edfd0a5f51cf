/* db: schema, per-thread connections and the statement cache. */
#include "server/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for every distinct statement of the server; db_stmt reports when it runs out. */
#define DB_CACHE_MAX 64

struct db_cached {
    const char *sql;
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *h;
    struct db_cached cache[DB_CACHE_MAX];
    size_t n_cache;
};

static char *g_path;
static int g_busy_ms = 10000;
/* One writer at a time in the process: a writer waits here, woken as soon as the lock is free,
 * instead of sleeping in SQLite's busy handler (which polls with growing sleeps; with 8 writers
 * the slowest saves took over a second while the median took 1 ms). */
static pthread_mutex_t g_write_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t g_key;
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

/* Names of domains are A-labels without the trailing dot; names of records carry it (as DNS
 * presents them). mx_configs.config holds the editable fields as the PUT body encodes them, so
 * the codec of api/ is the only place that knows their shape. */
static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS customers(id TEXT PRIMARY KEY, name TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS accounts(login TEXT PRIMARY KEY, pwhash TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK(role IN ('customer','staff')), customer_id TEXT REFERENCES"
    " customers(id), name TEXT NOT NULL, totp_secret TEXT);"
    "CREATE TABLE IF NOT EXISTS packages(id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL"
    " REFERENCES customers(id), name TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS packages_customer ON packages(customer_id, id);"
    "CREATE TABLE IF NOT EXISTS domains(name TEXT PRIMARY KEY, display_name TEXT NOT NULL,"
    " kind TEXT NOT NULL CHECK(kind IN ('domain','subdomain')), parent TEXT,"
    " package_id INTEGER NOT NULL REFERENCES packages(id),"
    " ns_mode TEXT NOT NULL CHECK(ns_mode IN ('provider','own')), ns_servers TEXT NOT NULL"
    " DEFAULT '', dyndns INTEGER NOT NULL DEFAULT 0, sort_key TEXT NOT NULL);"
    /* Covering the filter columns: a filtered listing of 100,000 names reads only the index. */
    "CREATE INDEX IF NOT EXISTS domains_package_cover ON domains(package_id, sort_key, name,"
    " display_name);"
    "DROP INDEX IF EXISTS domains_package;"
    "CREATE TABLE IF NOT EXISTS records(name TEXT NOT NULL, type TEXT NOT NULL,"
    " value TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS records_name ON records(name, type);"
    "CREATE TABLE IF NOT EXISTS mx_configs(domain TEXT PRIMARY KEY REFERENCES domains(name),"
    " version INTEGER NOT NULL, mode TEXT NOT NULL, config TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,"
    " pub_state TEXT NOT NULL DEFAULT 'disabled', pub_version INTEGER NOT NULL DEFAULT 0,"
    " pub_at TEXT NOT NULL DEFAULT '', pub_error TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS mx_audit(id INTEGER PRIMARY KEY, domain TEXT NOT NULL,"
    " version INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,"
    " on_behalf_of TEXT NOT NULL, action TEXT NOT NULL, before TEXT NOT NULL,"
    " after TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS mx_audit_domain ON mx_audit(domain, id);"
    "CREATE TABLE IF NOT EXISTS publish_jobs(id INTEGER PRIMARY KEY, domain TEXT NOT NULL,"
    " version INTEGER NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL,"
    " attempts INTEGER NOT NULL DEFAULT 0, at TEXT NOT NULL DEFAULT '',"
    " error TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS publish_jobs_state ON publish_jobs(state, id);";

/* What came after version 1 of the schema above: each step runs once, in its own transaction
 * with the user_version it brings, so a database of any earlier version (or a new one, which
 * SCHEMA has just made version 1) is brought up to the last step at startup. Append only. */
static const struct {
    int version;
    const char *sql;
} MIGRATIONS[] = {
    /* The reason given with a change (a ticket reference), NULL when none was given. */
    {2, "ALTER TABLE mx_audit ADD COLUMN reason TEXT;"},
    /* What the provider's mail system holds for exactly a name (domain or subdomain, A-label
     * without the dot): the consequences a switch away from provider mail has. No row: 0. */
    {3, "CREATE TABLE mail_counts(name TEXT PRIMARY KEY REFERENCES domains(name),"
        " mailboxes INTEGER NOT NULL DEFAULT 0 CHECK(mailboxes >= 0),"
        " forwards INTEGER NOT NULL DEFAULT 0 CHECK(forwards >= 0)) WITHOUT ROWID;"},
    /* Who opened (or reached without opening) which customer's data: staff login and name,
     * client address, the session's random id (not its token) for "once per session". */
    {4, "CREATE TABLE access_log(id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL,"
        " at TEXT NOT NULL, staff TEXT NOT NULL, staff_name TEXT NOT NULL,"
        " address TEXT NOT NULL, session TEXT NOT NULL,"
        " via TEXT NOT NULL CHECK(via IN ('open','direct')));"
        "CREATE INDEX access_log_customer ON access_log(customer_id, id);"
        "CREATE INDEX access_log_session ON access_log(session, customer_id);"},
    /* The publisher's retry time per job (epoch milliseconds; 0: due now). */
    {5, "ALTER TABLE publish_jobs ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;"
        "CREATE INDEX publish_jobs_due ON publish_jobs(state, next_at);"},
    /* Sessions and the login throttle survive a restart. A session is the BLAKE2b hash of
     * its token (never the token), its random id (sid, what the access log and the caps per
     * session know it by), its login and Unix times; a throttle row is one key ("login:ID"
     * or "ip:ADDRESS") with its failures, its window and the last TOTP step used. */
    {6, "CREATE TABLE sessions(hash BLOB PRIMARY KEY, sid TEXT NOT NULL, login TEXT NOT NULL,"
        " created INTEGER NOT NULL, last_used INTEGER NOT NULL);"
        "CREATE INDEX sessions_login ON sessions(login, created);"
        "CREATE TABLE login_throttle(key TEXT PRIMARY KEY, failures INTEGER NOT NULL,"
        " win_start INTEGER NOT NULL, totp_last INTEGER NOT NULL DEFAULT 0);"},
};
#define N_MIGRATIONS (sizeof MIGRATIONS / sizeof MIGRATIONS[0])

static void db_destroy(void *p)
{
    struct db *db = p;
    if (!db)
        return;
    for (size_t i = 0; i < db->n_cache; i++)
        sqlite3_finalize(db->cache[i].st);
    sqlite3_close(db->h);
    free(db);
}

static void db_key_create(void)
{
    pthread_key_create(&g_key, db_destroy);
}

static sqlite3 *db_open(const char *path)
{
    sqlite3 *h = NULL;
    int rc = sqlite3_open_v2(
        path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "mxapid: cannot open database: %s\n",
                h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return NULL;
    }
    sqlite3_busy_timeout(h, g_busy_ms);
    /* Durability is the point of the reply-after-COMMIT rule: FULL syncs the WAL on commit. */
    char *err = NULL;
    if (sqlite3_exec(h, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL, &err) !=
        SQLITE_OK) {
        fprintf(stderr, "mxapid: database setup: %s\n", err ? err : "?");
        sqlite3_free(err);
        sqlite3_close(h);
        return NULL;
    }
    return h;
}

static int user_version(sqlite3 *h)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Brings the schema from its user_version to the last migration. Returns 0, or -1 with the
 * message in *err (sqlite3_free it). */
static int migrate(sqlite3 *h, char **err)
{
    int v = user_version(h);
    if (v < 0)
        return -1;
    /* A newer mxapid's database may hold what this one would misread or break. */
    int last = MIGRATIONS[N_MIGRATIONS - 1].version;
    if (v > last) {
        fprintf(stderr,
                "mxapid: the database is of a newer mxapid (schema %d, this one knows %d)\n", v,
                last);
        return -1;
    }
    if (v == 0 && sqlite3_exec(h, "PRAGMA user_version = 1;", NULL, NULL, err) != SQLITE_OK)
        return -1;
    for (size_t i = 0; i < N_MIGRATIONS; i++) {
        if (MIGRATIONS[i].version <= v)
            continue;
        char bump[48];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d;", MIGRATIONS[i].version);
        if (sqlite3_exec(h, "BEGIN IMMEDIATE;", NULL, NULL, err) != SQLITE_OK)
            return -1;
        if (sqlite3_exec(h, MIGRATIONS[i].sql, NULL, NULL, err) != SQLITE_OK ||
            sqlite3_exec(h, bump, NULL, NULL, err) != SQLITE_OK ||
            sqlite3_exec(h, "COMMIT;", NULL, NULL, err) != SQLITE_OK) {
            sqlite3_exec(h, "ROLLBACK;", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

int db_init(const char *path, int busy_ms)
{
    g_busy_ms = busy_ms;
    pthread_once(&g_key_once, db_key_create);
    free(g_path);
    g_path = strdup(path);
    if (!g_path)
        return -1;
    sqlite3 *h = db_open(path);
    if (!h)
        return -1;
    int ret = -1;
    char *err = NULL;
    if (sqlite3_exec(h, "PRAGMA journal_mode=WAL;", NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(h, SCHEMA, NULL, NULL, &err) != SQLITE_OK || migrate(h, &err) != 0) {
        fprintf(stderr, "mxapid: database schema: %s\n", err ? err : sqlite3_errmsg(h));
        goto out;
    }
    ret = 0;
out:
    sqlite3_free(err);
    sqlite3_close(h);
    return ret;
}

struct db *db_get(void)
{
    struct db *db = pthread_getspecific(g_key);
    if (db)
        return db;
    if (!g_path)
        return NULL;
    db = calloc(1, sizeof *db);
    if (!db)
        return NULL;
    db->h = db_open(g_path);
    if (!db->h) {
        free(db);
        return NULL;
    }
    pthread_setspecific(g_key, db);
    return db;
}

void db_close_thread(void)
{
    struct db *db = pthread_getspecific(g_key);
    pthread_setspecific(g_key, NULL);
    db_destroy(db);
}

void db_shutdown(void)
{
    free(g_path);
    g_path = NULL;
}

sqlite3 *db_handle(struct db *db)
{
    return db->h;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql)
{
    for (size_t i = 0; i < db->n_cache; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_reset(db->cache[i].st);
            sqlite3_clear_bindings(db->cache[i].st);
            return db->cache[i].st;
        }
    }
    if (db->n_cache == DB_CACHE_MAX) {
        fprintf(stderr, "mxapid: statement cache full\n");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "mxapid: prepare: %s\n", sqlite3_errmsg(db->h));
        return NULL;
    }
    db->cache[db->n_cache].sql = sql;
    db->cache[db->n_cache].st = st;
    db->n_cache++;
    return st;
}

void db_release(sqlite3_stmt *st)
{
    if (st)
        sqlite3_reset(st);
}

int db_exec(struct db *db, const char *sql)
{
    sqlite3_stmt *st = db_stmt(db, sql);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "mxapid: %s: %s\n", sql, sqlite3_errmsg(db->h));
        return -1;
    }
    return 0;
}

int db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

bool db_col_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    if (n >= size) {
        out[0] = '\0';
        return false;
    }
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
    return true;
}

void db_time_iso(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int db_write_begin(struct db *db)
{
    pthread_mutex_lock(&g_write_mu);
    if (db_exec(db, "BEGIN IMMEDIATE") != 0) {
        pthread_mutex_unlock(&g_write_mu);
        return -1;
    }
    return 0;
}

int db_write_commit(struct db *db)
{
    int rc = db_exec(db, "COMMIT");
    if (rc != 0)
        db_exec(db, "ROLLBACK");
    pthread_mutex_unlock(&g_write_mu);
    return rc;
}

void db_write_rollback(struct db *db)
{
    db_exec(db, "ROLLBACK");
    pthread_mutex_unlock(&g_write_mu);
}
