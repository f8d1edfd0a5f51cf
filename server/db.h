/* db: the SQLite database of mxapid — schema, one connection per thread with its cache of
 * prepared statements, and the small helpers every route uses. */
#ifndef DB_H
#define DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

/* One connection and its statement cache; owned by the thread that opened it. */
struct db;

/* Remembers path, opens it once to switch on WAL, create the schema and bring an older one up
 * to date (its PRAGMA user_version says how far it is). Returns 0, or -1 with a message on
 * stderr. Call once before any db_get. */
int db_init(const char *path);
/* The calling thread's connection, opened on first use (WAL, synchronous=FULL, busy timeout);
 * closed when the thread exits or by db_close_thread. NULL on error (logged). */
struct db *db_get(void);
/* Closes the calling thread's connection now (used by main before exit). */
void db_close_thread(void);
/* Releases what db_init kept. */
void db_shutdown(void);

/* The raw handle of db, for sqlite3_* calls the helpers do not cover. */
sqlite3 *db_handle(struct db *db);
/* The cached prepared statement for sql, reset with bindings cleared. sql must be a string with
 * static storage: the cache is keyed by its address. NULL on error (logged). The caller resets
 * it (db_release) when done so that no read transaction stays open. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* Resets st (NULL-safe). */
void db_release(sqlite3_stmt *st);
/* Runs one statement without results (BEGIN, COMMIT, ...). Returns 0, or -1 (logged). */
int db_exec(struct db *db, const char *sql);

/* Binds a NUL-terminated text (copied by SQLite). Returns the sqlite3_bind_* result. */
int db_bind_text(sqlite3_stmt *st, int idx, const char *s);
/* Copies column col of the current row into out (size bytes, always NUL-terminated; "" for
 * NULL). Returns false when the text did not fit. */
bool db_col_text(sqlite3_stmt *st, int col, char *out, size_t size);

/* t as RFC 3339 UTC ("2026-11-27T20:00:00Z") into out. */
void db_time_iso(time_t t, char out[32]);

#endif
