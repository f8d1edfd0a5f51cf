/* auth: accounts, passwords (argon2id), sessions (random tokens, stored hashed, idle expiry,
 * request windows), login throttling per login and per client address, TOTP second factor. */
#ifndef AUTH_H
#define AUTH_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/db.h"
#include "server/server.h"

/* Length of the textual token plus its NUL (43 base64url characters for 32 random bytes). */
#define AUTH_TOKEN_SIZE 64

enum auth_role { AUTH_ROLE_CUSTOMER, AUTH_ROLE_STAFF };

/* Who is calling: the account and, for customers, the customer it belongs to. */
struct auth_actor {
    char login[64];
    enum auth_role role;
    char customer[32]; /* "" for staff */
    char name[128];
    char session[33]; /* a random id of the session (hex), not the token: for the access log */
};

/* Outcome of a login. */
enum auth_login_result {
    AUTH_LOGIN_OK,
    AUTH_LOGIN_INVALID,      /* wrong login or password */
    AUTH_LOGIN_OTP_REQUIRED, /* password right, one-time code missing or wrong */
    AUTH_LOGIN_THROTTLED,    /* too many failures: *retry_after seconds */
    AUTH_LOGIN_ERROR
};

/* Outcome of a token check. */
enum auth_check_result {
    AUTH_CHECK_OK,
    AUTH_CHECK_UNKNOWN,  /* no, malformed or unknown token */
    AUTH_CHECK_EXPIRED,  /* the session was idle too long (it is gone now) */
    AUTH_CHECK_THROTTLED /* over the request limit of its window: *retry_after seconds */
};

struct auth;

/* Allocates the session and throttling tables with opts' limits (opts is copied). NULL on
 * error. Needs sodium_init() and oath_init() done. */
struct auth *auth_new(const struct server_opts *opts);
/* Frees everything; sets *a to NULL. NULL-safe. */
void auth_free(struct auth **a);

/* Hashes password with argon2id at the configured cost into out. Returns 0 or -1. */
int auth_hash_password(const struct auth *a, const char *password,
                       char out[crypto_pwhash_STRBYTES]);

/* Checks login + password (+ otp, may be NULL) from client address ip; on success creates a
 * session, writes its token into token_out and the caller into *actor. */
enum auth_login_result auth_login(struct auth *a, struct db *db, const char *ip, const char *login,
                                  const char *password, const char *otp,
                                  char token_out[AUTH_TOKEN_SIZE], struct auth_actor *actor,
                                  int *retry_after);
/* Checks the value of an Authorization header ("Bearer TOKEN"; may be NULL), renews the idle
 * timer and, when limited, counts the request against the session's window (AUTH_CHECK_THROTTLED
 * beyond it). Fills *actor on AUTH_CHECK_OK. */
enum auth_check_result auth_check(struct auth *a, const char *authorization, bool limited,
                                  struct auth_actor *actor, int *retry_after);
/* Ends the session of an Authorization header value. Returns true when one was ended. */
bool auth_logout(struct auth *a, const char *authorization);
/* Seconds a session may stay idle (what POST /v1/sessions replies as expires_in). */
int auth_idle_seconds(const struct auth *a);

#endif
