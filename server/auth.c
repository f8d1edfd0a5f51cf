/* auth: sessions and throttling live in memory behind one mutex (the critical sections are a
 * few comparisons); password hashing and TOTP run outside it. A restart ends every session. */
#include "server/auth.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SESSION_BUCKETS  4096
#define THROTTLE_BUCKETS 1024
/* Beyond this many throttle entries, expired ones are swept before adding another. */
#define THROTTLE_SWEEP_AT 50000
#define TOKEN_BYTES       32
/* Live sessions at most; a login beyond it first sweeps idle ones, then is told to retry. */
#define SESSIONS_MAX 200000

struct session {
    unsigned char hash[crypto_generichash_BYTES];
    struct auth_actor actor;
    long long last_used;
    long long win_start;
    int win_count;
    struct session *next;
};

struct throttle {
    char key[160];
    int failures;
    int pending; /* logins of this key being verified right now: they count as failures until
                    their outcome is known, so concurrent guesses cannot all pass the check */
    long long win_start;
    long long totp_last; /* last TOTP step accepted for this login: a code works once */
    struct throttle *next;
};

struct auth {
    pthread_mutex_t mu;
    struct server_opts opts;
    struct session *sessions[SESSION_BUCKETS];
    size_t n_sessions;
    struct throttle *throttles[THROTTLE_BUCKETS];
    size_t n_throttles;
    /* Verified against when the login does not exist, so both cases cost the same time. */
    char dummy_hash[crypto_pwhash_STRBYTES];
};

static long long now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec;
}

struct auth *auth_new(const struct server_opts *opts)
{
    struct auth *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->opts = *opts;
    pthread_mutex_init(&a->mu, NULL);
    unsigned char junk[16];
    char pw[33];
    randombytes_buf(junk, sizeof junk);
    sodium_bin2hex(pw, sizeof pw, junk, sizeof junk);
    if (auth_hash_password(a, pw, a->dummy_hash) != 0) {
        auth_free(&a);
        return NULL;
    }
    return a;
}

void auth_free(struct auth **pa)
{
    struct auth *a = pa ? *pa : NULL;
    if (!a)
        return;
    for (size_t i = 0; i < SESSION_BUCKETS; i++) {
        for (struct session *s = a->sessions[i], *n; s; s = n) {
            n = s->next;
            sodium_memzero(s, sizeof *s);
            free(s);
        }
    }
    for (size_t i = 0; i < THROTTLE_BUCKETS; i++) {
        for (struct throttle *t = a->throttles[i], *n; t; t = n) {
            n = t->next;
            free(t);
        }
    }
    pthread_mutex_destroy(&a->mu);
    free(a);
    *pa = NULL;
}

int auth_idle_seconds(const struct auth *a)
{
    return a->opts.session_idle;
}

int auth_hash_password(const struct auth *a, const char *password, char out[crypto_pwhash_STRBYTES])
{
    return crypto_pwhash_str_alg(out, password, strlen(password), a->opts.hash_ops,
                                 a->opts.hash_mem, crypto_pwhash_ALG_ARGON2ID13);
}

/* ---- throttling (callers hold mu) ---- */

static size_t key_bucket(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % THROTTLE_BUCKETS;
}

/* The current TOTP time step (wall clock, as the codes are). */
static long long totp_now_step(void)
{
    return (long long)(time(NULL) / OATH_TOTP_DEFAULT_TIME_STEP_SIZE);
}

/* True while t must stay whatever its window: a login is in flight (its caller holds a pointer
 * to t), or a replayed TOTP code could still match the step it remembers. */
static bool throttle_busy(const struct throttle *t)
{
    return t->pending > 0 || (t->totp_last && t->totp_last + 1 >= totp_now_step());
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
static int throttle_wait(struct auth *a, const char *key, long long now)
{
    struct throttle *t = throttle_find(a, key, false, now);
    if (!t || t->failures + t->pending < a->opts.login_attempts)
        return 0;
    if (t->failures < a->opts.login_attempts)
        return 1;
    long long left = t->win_start + a->opts.login_window - now;
    return left > 0 ? (int)left : 1;
}

/* Claims one attempt of key for a login about to be verified (throttle_release gives it back).
 * NULL when out of memory. */
static struct throttle *throttle_reserve(struct auth *a, const char *key, long long now)
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

/* Ends the claims of throttle_reserve on both entries of a login (either may be NULL). */
static void throttle_release(struct auth *a, struct throttle *tl, struct throttle *ti)
{
    if (tl)
        tl->pending--;
    if (ti)
        ti->pending--;
    throttle_drop_idle(a, tl);
    if (ti != tl)
        throttle_drop_idle(a, ti);
}

/* ---- sessions (callers hold mu) ---- */

static size_t hash_bucket(const unsigned char *hash)
{
    return ((size_t)hash[0] << 8 | hash[1]) % SESSION_BUCKETS;
}

/* Unlinks and returns the session with this token hash, or NULL. */
static struct session **session_slot(struct auth *a, const unsigned char *hash)
{
    struct session **pp = &a->sessions[hash_bucket(hash)];
    for (; *pp; pp = &(*pp)->next) {
        if (sodium_memcmp((*pp)->hash, hash, crypto_generichash_BYTES) == 0)
            return pp;
    }
    return NULL;
}

static void session_sweep_bucket(struct auth *a, size_t b, long long now)
{
    struct session **pp = &a->sessions[b];
    while (*pp) {
        struct session *s = *pp;
        if (now - s->last_used > a->opts.session_idle) {
            *pp = s->next;
            sodium_memzero(s, sizeof *s);
            free(s);
            a->n_sessions--;
        } else {
            pp = &s->next;
        }
    }
}

/* Parses "Bearer TOKEN" and hashes the token. Returns false when malformed. */
static bool bearer_hash(const char *authorization, unsigned char hash[crypto_generichash_BYTES])
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    const char *tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    size_t len = strlen(tok);
    while (len && tok[len - 1] == ' ')
        len--;
    if (len == 0 || len >= AUTH_TOKEN_SIZE)
        return false;
    crypto_generichash(hash, crypto_generichash_BYTES, (const unsigned char *)tok, len, NULL, 0);
    return true;
}

/* ---- accounts ---- */

static const char SQL_ACCOUNT[] =
    "SELECT a.pwhash, a.role, coalesce(a.customer_id,''), coalesce(c.name, a.name),"
    " coalesce(a.totp_secret,'') FROM accounts a LEFT JOIN customers c ON c.id = a.customer_id"
    " WHERE a.login = ?1";

struct account {
    char pwhash[crypto_pwhash_STRBYTES];
    char role[16];
    char customer[32];
    char name[128];
    char totp[128];
};

/* 1 found, 0 not found, -1 error. */
static int account_load(struct db *db, const char *login, struct account *out)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ACCOUNT);
    if (!st)
        return -1;
    db_bind_text(st, 1, login);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        db_col_text(st, 0, out->pwhash, sizeof out->pwhash);
        db_col_text(st, 1, out->role, sizeof out->role);
        db_col_text(st, 2, out->customer, sizeof out->customer);
        db_col_text(st, 3, out->name, sizeof out->name);
        db_col_text(st, 4, out->totp, sizeof out->totp);
        ret = 1;
    } else if (rc != SQLITE_DONE) {
        ret = -1;
    }
    db_release(st);
    return ret;
}

/* The time step whose code otp is, or -1 when it matches none in the window. */
static long long totp_step(const char *secret_b32, const char *otp)
{
    if (!otp || strlen(otp) != 6 || strspn(otp, "0123456789") != 6)
        return -1;
    char *secret = NULL;
    size_t secret_len = 0;
    if (oath_base32_decode(secret_b32, strlen(secret_b32), &secret, &secret_len) != OATH_OK)
        return -1;
    time_t now = time(NULL);
    int pos = 0;
    /* One step either side absorbs clock skew between the person's device and the server. */
    int rc = oath_totp_validate2(secret, secret_len, now, OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                                 OATH_TOTP_DEFAULT_START_TIME, 1, &pos, otp);
    sodium_memzero(secret, secret_len);
    free(secret);
    if (rc < 0)
        return -1;
    return (long long)(now / OATH_TOTP_DEFAULT_TIME_STEP_SIZE) + pos;
}

enum auth_login_result auth_login(struct auth *a, struct db *db, const char *ip, const char *login,
                                  const char *password, const char *otp,
                                  char token_out[AUTH_TOKEN_SIZE], struct auth_actor *actor,
                                  int *retry_after)
{
    char key_login[160], key_ip[160];
    snprintf(key_login, sizeof key_login, "login:%s", login);
    snprintf(key_ip, sizeof key_ip, "ip:%s", ip);
    long long now = now_mono();

    /* The check and the claim are one step: a burst of concurrent guesses must not all pass
     * the check while the first of them are still in crypto_pwhash_str_verify. */
    pthread_mutex_lock(&a->mu);
    int wait_l = throttle_wait(a, key_login, now);
    int wait_i = throttle_wait(a, key_ip, now);
    struct throttle *tl = NULL, *ti = NULL;
    if (!wait_l && !wait_i) {
        tl = throttle_reserve(a, key_login, now);
        ti = tl ? throttle_reserve(a, key_ip, now) : NULL;
    }
    pthread_mutex_unlock(&a->mu);
    if (wait_l || wait_i) {
        *retry_after = wait_l > wait_i ? wait_l : wait_i;
        return AUTH_LOGIN_THROTTLED;
    }

    struct account acc;
    memset(&acc, 0, sizeof acc);
    enum auth_login_result res = AUTH_LOGIN_OK;
    long long step = 0;
    int found = tl && ti ? account_load(db, login, &acc) : -1;
    if (found < 0) {
        res = AUTH_LOGIN_ERROR;
    } else {
        const char *hash = found ? acc.pwhash : a->dummy_hash;
        bool pw_ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && found;
        if (!pw_ok)
            res = AUTH_LOGIN_INVALID;
        else if (acc.totp[0] && (step = totp_step(acc.totp, otp)) < 0)
            res = AUTH_LOGIN_OTP_REQUIRED;
    }

    pthread_mutex_lock(&a->mu);
    if (res == AUTH_LOGIN_OK && acc.totp[0]) {
        /* A code seen once (by a shoulder or a proxy) must not open a second session. */
        if (tl->totp_last >= step)
            res = AUTH_LOGIN_OTP_REQUIRED;
        else
            tl->totp_last = step;
    }
    /* A first try without a code is the normal 2FA flow, not a guess. */
    bool guess = res == AUTH_LOGIN_INVALID || (res == AUTH_LOGIN_OTP_REQUIRED && otp && otp[0]);
    if (guess) {
        tl->failures++;
        ti->failures++;
    } else if (res == AUTH_LOGIN_OK) {
        tl->failures = 0;
    }
    throttle_release(a, tl, ti);
    pthread_mutex_unlock(&a->mu);
    if (res != AUTH_LOGIN_OK) {
        sodium_memzero(&acc, sizeof acc);
        return res;
    }
    now = now_mono();

    struct session *s = calloc(1, sizeof *s);
    if (!s) {
        sodium_memzero(&acc, sizeof acc);
        return AUTH_LOGIN_ERROR;
    }
    unsigned char raw[TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token_out, AUTH_TOKEN_SIZE, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    crypto_generichash(s->hash, sizeof s->hash, (const unsigned char *)token_out, strlen(token_out),
                       NULL, 0);
    snprintf(s->actor.login, sizeof s->actor.login, "%s", login);
    s->actor.role = strcmp(acc.role, "staff") == 0 ? AUTH_ROLE_STAFF : AUTH_ROLE_CUSTOMER;
    snprintf(s->actor.customer, sizeof s->actor.customer, "%s",
             s->actor.role == AUTH_ROLE_STAFF ? "" : acc.customer);
    snprintf(s->actor.name, sizeof s->actor.name, "%s", acc.name);
    unsigned char sid[16];
    randombytes_buf(sid, sizeof sid);
    sodium_bin2hex(s->actor.session, sizeof s->actor.session, sid, sizeof sid);
    s->last_used = now;
    s->win_start = now;
    *actor = s->actor;
    sodium_memzero(&acc, sizeof acc);

    pthread_mutex_lock(&a->mu);
    size_t b = hash_bucket(s->hash);
    session_sweep_bucket(a, b, now);
    for (size_t i = 0; a->n_sessions >= SESSIONS_MAX && i < SESSION_BUCKETS; i++)
        session_sweep_bucket(a, i, now);
    if (a->n_sessions >= SESSIONS_MAX) {
        pthread_mutex_unlock(&a->mu);
        sodium_memzero(token_out, AUTH_TOKEN_SIZE);
        free(s);
        *retry_after = 60;
        return AUTH_LOGIN_THROTTLED;
    }
    s->next = a->sessions[b];
    a->sessions[b] = s;
    a->n_sessions++;
    pthread_mutex_unlock(&a->mu);
    return AUTH_LOGIN_OK;
}

enum auth_check_result auth_check(struct auth *a, const char *authorization, bool limited,
                                  struct auth_actor *actor, int *retry_after)
{
    unsigned char hash[crypto_generichash_BYTES];
    if (!bearer_hash(authorization, hash))
        return AUTH_CHECK_UNKNOWN;
    long long now = now_mono();
    enum auth_check_result res = AUTH_CHECK_OK;
    pthread_mutex_lock(&a->mu);
    struct session **pp = session_slot(a, hash);
    if (!pp) {
        res = AUTH_CHECK_UNKNOWN;
        goto out;
    }
    struct session *s = *pp;
    if (now - s->last_used > a->opts.session_idle) {
        *pp = s->next;
        sodium_memzero(s, sizeof *s);
        free(s);
        a->n_sessions--;
        res = AUTH_CHECK_EXPIRED;
        goto out;
    }
    if (now - s->win_start >= a->opts.request_window) {
        s->win_start = now;
        s->win_count = 0;
    }
    if (limited && s->win_count >= a->opts.request_limit) {
        long long left = s->win_start + a->opts.request_window - now;
        *retry_after = left > 0 ? (int)left : 1;
        res = AUTH_CHECK_THROTTLED;
        goto out;
    }
    if (limited)
        s->win_count++;
    s->last_used = now;
    *actor = s->actor;
out:
    pthread_mutex_unlock(&a->mu);
    return res;
}

bool auth_logout(struct auth *a, const char *authorization)
{
    unsigned char hash[crypto_generichash_BYTES];
    if (!bearer_hash(authorization, hash))
        return false;
    pthread_mutex_lock(&a->mu);
    struct session **pp = session_slot(a, hash);
    if (pp) {
        struct session *s = *pp;
        *pp = s->next;
        sodium_memzero(s, sizeof *s);
        free(s);
        a->n_sessions--;
    }
    pthread_mutex_unlock(&a->mu);
    return pp != NULL;
}
