/* auth: sessions and throttling are worked on in memory behind one mutex (the critical sections
 * are a few comparisons) and written through to SQLite (auth_store), so that both survive a
 * restart; password hashing, TOTP and the writes run outside the mutex. */
#include "server/auth.h"

#include "server/auth_internal.h"
#include "server/auth_store.h"
#include "server/netaddr.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct auth *auth_new(const struct server_opts *opts)
{
    struct auth *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->opts = *opts;
    pthread_mutex_init(&a->mu, NULL);
    pthread_mutex_init(&a->persist_mu, NULL);
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
    pthread_mutex_destroy(&a->persist_mu);
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

/* Seconds between two writes of a session's last use: a quarter of the idle time, at most a
 * minute. */
static long long touch_every(const struct auth *a)
{
    long long q = a->opts.session_idle / 4;
    return q < 1 ? 1 : q > 60 ? 60 : q;
}

static int load_session(void *ctx, const struct auth_store_session *row)
{
    struct auth *a = ctx;
    struct session *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    memcpy(s->hash, row->hash, sizeof s->hash);
    snprintf(s->actor.login, sizeof s->actor.login, "%s", row->login);
    s->actor.role = strcmp(row->role, "staff") == 0 ? AUTH_ROLE_STAFF : AUTH_ROLE_CUSTOMER;
    snprintf(s->actor.customer, sizeof s->actor.customer, "%s",
             s->actor.role == AUTH_ROLE_STAFF ? "" : row->customer);
    snprintf(s->actor.name, sizeof s->actor.name, "%s", row->name);
    snprintf(s->actor.session, sizeof s->actor.session, "%s", row->sid);
    s->created = row->created;
    s->seq = ++a->next_seq; /* the rows come oldest first */
    s->saved = s->last_used = row->last_used;
    s->win_start = auth_now_s();
    size_t b = hash_bucket(s->hash);
    s->next = a->sessions[b];
    a->sessions[b] = s;
    a->n_sessions++;
    return 0;
}

int auth_load(struct auth *a, struct db *db)
{
    long long now = auth_now_s();
    pthread_mutex_lock(&a->mu);
    int rc = auth_store_load(db, now - a->opts.session_idle, now - a->opts.login_window,
                             auth_totp_now_step() - 1, load_session, auth_throttle_load_row, a);
    pthread_mutex_unlock(&a->mu);
    return rc;
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

/* Unlinks s from its bucket (callers hold mu; s must be linked). */
static void session_unlink(struct auth *a, struct session *s)
{
    for (struct session **pp = &a->sessions[hash_bucket(s->hash)]; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            a->n_sessions--;
            return;
        }
    }
}

/* The oldest session of login other than those already in drop (callers hold mu). */
static struct session *session_oldest(struct auth *a, const char *login, size_t *count)
{
    struct session *old = NULL;
    *count = 0;
    for (size_t i = 0; i < SESSION_BUCKETS; i++) {
        for (struct session *s = a->sessions[i]; s; s = s->next) {
            if (strcmp(s->actor.login, login) != 0)
                continue;
            (*count)++;
            if (!old || s->created < old->created ||
                (s->created == old->created && s->seq < old->seq))
                old = s;
        }
    }
    return old;
}

/* Makes s a live session: ends the account's oldest sessions beyond --sessions-per-account,
 * stores it, then links it. Takes s over. */
static enum auth_login_result session_add(struct auth *a, struct db *db, struct session *s,
                                          char token_out[AUTH_TOKEN_SIZE], int *retry_after)
{
    long long now = s->created;
    unsigned char(*drop)[AUTH_HASH_BYTES] = NULL;
    size_t n_drop = 0;
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
    size_t count = 0;
    struct session *old = session_oldest(a, s->actor.login, &count);
    size_t cap = (size_t)a->opts.sessions_per_account;
    if (count >= cap)
        drop = calloc(count - cap + 1, sizeof *drop);
    /* Oldest first: the person who logs in again keeps working, a forgotten tab ends. */
    while (drop && old && count >= cap) {
        memcpy(drop[n_drop++], old->hash, AUTH_HASH_BYTES);
        session_unlink(a, old);
        sodium_memzero(old, sizeof *old);
        free(old);
        old = session_oldest(a, s->actor.login, &count);
    }
    pthread_mutex_unlock(&a->mu);
    struct auth_store_session row;
    memset(&row, 0, sizeof row);
    memcpy(row.hash, s->hash, AUTH_HASH_BYTES);
    snprintf(row.login, sizeof row.login, "%s", s->actor.login);
    snprintf(row.sid, sizeof row.sid, "%s", s->actor.session);
    row.created = s->created;
    row.last_used = s->last_used;
    int rc = auth_store_session_add(db, &row, (const unsigned char(*)[AUTH_HASH_BYTES])drop, n_drop,
                                    now - a->opts.session_idle);
    free(drop);
    if (rc != 0) {
        sodium_memzero(token_out, AUTH_TOKEN_SIZE);
        sodium_memzero(s, sizeof *s);
        free(s);
        return AUTH_LOGIN_ERROR;
    }
    pthread_mutex_lock(&a->mu);
    s->seq = ++a->next_seq;
    s->next = a->sessions[b];
    a->sessions[b] = s;
    a->n_sessions++;
    pthread_mutex_unlock(&a->mu);
    return AUTH_LOGIN_OK;
}

enum auth_login_result auth_login(struct auth *a, struct db *db, const char *ip, const char *login,
                                  const char *password, const char *otp,
                                  char token_out[AUTH_TOKEN_SIZE], struct auth_actor *actor,
                                  int *retry_after)
{
    char key_login[160], key_ip[160], addr[NETADDR_KEY_SIZE];
    snprintf(key_login, sizeof key_login, "login:%s", login);
    netaddr_key_text(ip, addr); /* an IPv6 client counts by its /64 */
    snprintf(key_ip, sizeof key_ip, "ip:%s", addr);
    long long now = auth_now_s();

    /* The check and the claim are one step: a burst of concurrent guesses must not all pass
     * the check while the first of them are still in crypto_pwhash_str_verify. */
    pthread_mutex_lock(&a->mu);
    int wait_l = auth_throttle_wait(a, key_login, now);
    int wait_i = auth_throttle_wait(a, key_ip, now);
    struct throttle *tl = NULL, *ti = NULL;
    if (!wait_l && !wait_i) {
        tl = auth_throttle_reserve(a, key_login, now);
        ti = tl ? auth_throttle_reserve(a, key_ip, now) : NULL;
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
    auth_throttle_release(a, tl, ti);
    pthread_mutex_unlock(&a->mu);
    if (tl && ti && found >= 0) {
        auth_throttle_persist(a, db, key_login);
        auth_throttle_persist(a, db, key_ip);
    }
    if (res != AUTH_LOGIN_OK) {
        sodium_memzero(&acc, sizeof acc);
        return res;
    }
    now = auth_now_s();

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

    s->created = now;
    s->saved = now;
    return session_add(a, db, s, token_out, retry_after);
}

enum auth_check_result auth_check(struct auth *a, const char *authorization, bool limited,
                                  struct auth_actor *actor, int *retry_after)
{
    unsigned char hash[crypto_generichash_BYTES];
    if (!bearer_hash(authorization, hash))
        return AUTH_CHECK_UNKNOWN;
    long long now = auth_now_s();
    enum auth_check_result res = AUTH_CHECK_OK;
    bool forget = false, touch = false;
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
        forget = true;
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
    /* The database learns of use now and then, not per request: a session may then end up to
     * this much earlier after a restart than it would have. */
    if (now - s->saved >= touch_every(a)) {
        s->saved = now;
        touch = true;
    }
    *actor = s->actor;
out:
    pthread_mutex_unlock(&a->mu);
    if (forget || touch) {
        struct db *db = db_get();
        if (db && (forget ? auth_store_session_delete(db, hash)
                          : auth_store_session_touch(db, hash, now)) != 0)
            fprintf(stderr, "mxapid: cannot store a session\n");
    }
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
    struct db *db = pp ? db_get() : NULL;
    if (db && auth_store_session_delete(db, hash) != 0)
        fprintf(stderr, "mxapid: cannot store a logout\n");
    return pp != NULL;
}
