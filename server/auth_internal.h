/* auth_internal: the state auth.c and auth_throttle.c share. Internal to the auth module:
 * nothing else includes it. */
#ifndef AUTH_INTERNAL_H
#define AUTH_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>

#include "server/auth.h"
#include "server/auth_store.h"

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
    long long created;
    unsigned long long seq; /* order of creation: breaks ties of created (whole seconds) */
    long long saved;        /* the last_used the database has */
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
    pthread_mutex_t persist_mu; /* orders the throttle writes with the state they copy */
    struct server_opts opts;
    struct session *sessions[SESSION_BUCKETS];
    size_t n_sessions;
    unsigned long long next_seq;
    struct throttle *throttles[THROTTLE_BUCKETS];
    size_t n_throttles;
    /* Verified against when the login does not exist, so both cases cost the same time. */
    char dummy_hash[crypto_pwhash_STRBYTES];
};

/* Wall-clock seconds: the stored times must mean the same after a restart. */
long long auth_now_s(void);
/* The current TOTP time step (wall clock, as the codes are). */
long long auth_totp_now_step(void);
/* Seconds until key may try again, 0 when it may now (callers hold mu). */
int auth_throttle_wait(struct auth *a, const char *key, long long now);
/* Claims one attempt of key for a login about to be verified; NULL when out of memory
 * (callers hold mu). */
struct throttle *auth_throttle_reserve(struct auth *a, const char *key, long long now);
/* Ends the claims on both entries of a login (either may be NULL; callers hold mu). */
void auth_throttle_release(struct auth *a, struct throttle *tl, struct throttle *ti);
/* Writes the current state of key to db (its row deleted when the entry is gone); takes the
 * mutexes itself. */
void auth_throttle_persist(struct auth *a, struct db *db, const char *key);
/* Adds a stored counter to the table (auth_store_load's callback; ctx is the auth). */
int auth_throttle_load_row(void *ctx, const struct auth_store_throttle *row);

#endif
