/* auth_store: the rows that let sessions and the login throttle survive a restart — sessions
 * (the token's hash, never the token; login; times) and throttle counters (failures, window,
 * the last TOTP step used) in SQLite. auth.c keeps the working copy in memory and writes
 * through these; each write is one transaction under the process's write lock. */
#ifndef AUTH_STORE_H
#define AUTH_STORE_H

#include <sodium.h>
#include <stddef.h>

#include "server/db.h"

#define AUTH_HASH_BYTES crypto_generichash_BYTES

/* One stored session, with its account as auth_load needs it. */
struct auth_store_session {
    unsigned char hash[AUTH_HASH_BYTES];
    char sid[33]; /* the session's random id */
    char login[64];
    char role[16];
    char customer[32];
    char name[128];
    long long created, last_used; /* Unix seconds */
};

/* One stored throttle counter. */
struct auth_store_throttle {
    char key[160];
    int failures;
    long long win_start, totp_last;
};

/* Called per row by auth_store_load; returns 0 to go on. */
typedef int (*auth_store_session_fn)(void *ctx, const struct auth_store_session *s);
typedef int (*auth_store_throttle_fn)(void *ctx, const struct auth_store_throttle *t);

/* Deletes sessions idle since before idle_before and throttle rows whose window started before
 * window_before and whose TOTP step is older than totp_before, then reads the rest. Returns 0,
 * or -1 on a database error. */
int auth_store_load(struct db *db, long long idle_before, long long window_before,
                    long long totp_before, auth_store_session_fn on_session,
                    auth_store_throttle_fn on_throttle, void *ctx);
/* Stores a new session and, in the same transaction, deletes the n_drop sessions it pushes out
 * (the account's oldest beyond its cap) and every session idle since before idle_before. */
int auth_store_session_add(struct db *db, const struct auth_store_session *s,
                           const unsigned char (*drop)[AUTH_HASH_BYTES], size_t n_drop,
                           long long idle_before);
/* Records that the session was used at last_used. */
int auth_store_session_touch(struct db *db, const unsigned char *hash, long long last_used);
/* Deletes a session (logout, expiry). */
int auth_store_session_delete(struct db *db, const unsigned char *hash);
/* Writes a throttle counter (t), or deletes the row of key when t is NULL. */
int auth_store_throttle_put(struct db *db, const char *key, const struct auth_store_throttle *t);

#endif
