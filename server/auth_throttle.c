/* auth_throttle: the login throttle of auth.c — failures per key ("login:ID", "ip:ADDRESS")
 * within a window, logins in flight counted as failures, the last TOTP step used — and its
 * rows in the database. Callers hold the auth mutex unless a function says otherwise. */
#include "server/auth_internal.h"

#include <liboath/oath.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/auth_store.h"

/* Wall-clock seconds: the stored times must mean the same after a restart. */
long long auth_now_s(void)
{
    return (long long)time(NULL);
}

static size_t key_bucket(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % THROTTLE_BUCKETS;
}

/* The current TOTP time step (wall clock, as the codes are). */
long long auth_totp_now_step(void)
{
    return (long long)(time(NULL) / OATH_TOTP_DEFAULT_TIME_STEP_SIZE);
}

/* True while t must stay whatever its window: a login is in flight (its caller holds a pointer
 * to t), or a replayed TOTP code could still match the step it remembers. */
static bool throttle_busy(const struct throttle *t)
{
    return t->pending > 0 || (t->totp_last && t->totp_last + 1 >= auth_totp_now_step());
}

static void throttle_sweep(struct auth *a, long long now)
{
    for (size_t i = 0; i < THROTTLE_BUCKETS; i++) {
        struct throttle **pp = &a->throttles[i];
        while (*pp) {
            struct throttle *t = *pp;
            if (now - t->win_start >= a->opts.login_window && !throttle_busy(t)) {
                *pp = t->next;
                free(t);
                a->n_throttles--;
            } else {
                pp = &t->next;
            }
        }
    }
}

/* The entry of key with its window rolled over when due; created when create is set. */
static struct throttle *throttle_find(struct auth *a, const char *key, bool create, long long now)
{
    size_t b = key_bucket(key);
    for (struct throttle *t = a->throttles[b]; t; t = t->next) {
        if (strcmp(t->key, key) == 0) {
            if (now - t->win_start >= a->opts.login_window) {
                t->failures = 0;
                t->win_start = now;
            }
            return t;
        }
    }
    if (!create)
        return NULL;
    if (a->n_throttles >= THROTTLE_SWEEP_AT)
        throttle_sweep(a, now);
    struct throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    snprintf(t->key, sizeof t->key, "%s", key);
    t->win_start = now;
    t->next = a->throttles[b];
    a->throttles[b] = t;
    a->n_throttles++;
    return t;
}

/* Seconds until key may try again, 0 when it may now. Logins in flight count as failures:
 * when they are what fills the allowance, the answer comes within a second. */
int auth_throttle_wait(struct auth *a, const char *key, long long now)
{
    struct throttle *t = throttle_find(a, key, false, now);
    if (!t || t->failures + t->pending < a->opts.login_attempts)
        return 0;
    if (t->failures < a->opts.login_attempts)
        return 1;
    long long left = t->win_start + a->opts.login_window - now;
    return left > 0 ? (int)left : 1;
}

/* Claims one attempt of key for a login about to be verified (auth_throttle_release gives it back).
 * NULL when out of memory. */
struct throttle *auth_throttle_reserve(struct auth *a, const char *key, long long now)
{
    struct throttle *t = throttle_find(a, key, true, now);
    if (t)
        t->pending++;
    return t;
}

/* Frees t (NULL-safe) once it guards nothing, so that successful logins leave no entries. */
static void throttle_drop_idle(struct auth *a, struct throttle *t)
{
    if (!t || t->failures > 0 || throttle_busy(t))
        return;
    for (struct throttle **pp = &a->throttles[key_bucket(t->key)]; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            free(t);
            a->n_throttles--;
            return;
        }
    }
}

/* Ends the claims of auth_throttle_reserve on both entries of a login (either may be NULL). */
void auth_throttle_release(struct auth *a, struct throttle *tl, struct throttle *ti)
{
    if (tl)
        tl->pending--;
    if (ti)
        ti->pending--;
    throttle_drop_idle(a, tl);
    if (ti != tl)
        throttle_drop_idle(a, ti);
}

int auth_throttle_load_row(void *ctx, const struct auth_store_throttle *row)
{
    struct auth *a = ctx;
    struct throttle *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->key, sizeof t->key, "%s", row->key);
    t->failures = row->failures;
    t->win_start = row->win_start;
    t->totp_last = row->totp_last;
    size_t b = key_bucket(t->key);
    t->next = a->throttles[b];
    a->throttles[b] = t;
    a->n_throttles++;
    return 0;
}

/* Writes the current state of throttle key to the database (its row deleted when the entry is
 * gone). A failed write is logged and otherwise ignored: the memory copy still guards. */
void auth_throttle_persist(struct auth *a, struct db *db, const char *key)
{
    pthread_mutex_lock(&a->persist_mu);
    pthread_mutex_lock(&a->mu);
    struct auth_store_throttle row;
    memset(&row, 0, sizeof row);
    bool have = false;
    for (const struct throttle *t = a->throttles[key_bucket(key)]; t && !have; t = t->next) {
        if (strcmp(t->key, key) == 0) {
            have = true;
            row.failures = t->failures;
            row.win_start = t->win_start;
            row.totp_last = t->totp_last;
        }
    }
    pthread_mutex_unlock(&a->mu);
    if (auth_store_throttle_put(db, key, have ? &row : NULL) != 0)
        fprintf(stderr, "mxapid: cannot store the login throttle\n");
    pthread_mutex_unlock(&a->persist_mu);
}
