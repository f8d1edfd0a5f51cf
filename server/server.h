/* server: the options and the shared state of one mxapid process. */
#ifndef SERVER_H
#define SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "api/mx_model.h"

/* Every command-line option, parsed by main.c; strings point into argv. */
struct server_opts {
    const char *listen;       /* "HOST:PORT" (required) */
    const char *db_path;      /* SQLite file (required) */
    const char *seed;         /* "demo", "bulk:N" or NULL */
    const char *profile_path; /* provider profile JSON, NULL for the built-in default */
    const char *resolver;     /* "HOST:PORT" for dnscheck, NULL for the system's */
    int dns_timeout_ms;
    const char *tls_cert;
    const char *tls_key;
    unsigned long long hash_ops; /* argon2id opslimit */
    size_t hash_mem;             /* argon2id memlimit in bytes */
    int session_idle;            /* seconds */
    int sessions_per_account;    /* live sessions of one account at most */
    int login_attempts;          /* failures allowed per login / client address per window */
    int login_window;            /* seconds */
    size_t max_body;             /* request body cap in bytes */
    unsigned max_connections;
    unsigned per_ip;
    unsigned conn_timeout;      /* seconds */
    size_t conn_memory;         /* bytes per connection (libmicrohttpd pool) */
    int request_limit;          /* requests per session per window */
    int request_window;         /* seconds */
    unsigned threads;           /* libmicrohttpd worker threads */
    int db_busy_timeout;        /* ms SQLite waits for a lock held by another process */
    int checks_per_session;     /* DNS checks in flight per session ... */
    int checks_total;           /* ... and in all */
    int request_timeout;        /* seconds a request's head and body may take from its first byte */
    int conn_reserve;           /* the last connection slots kept for addresses holding few */
    const char *pdns_url;       /* PowerDNS API base; NULL: publishing off */
    const char *pdns_key_file;  /* its API key (never on the command line) */
    const char *pdns_server_id; /* "localhost" */
    const char *pdns_dns;       /* "HOST:PORT" where PowerDNS answers DNS */
    int pdns_timeout_ms;        /* one API call */
    int pdns_retry_max;         /* seconds: the backoff's cap */
};

struct auth;
struct connguard;
struct dnscheck;
struct publisher;

/* The state every request handler shares; read-only after startup except through the
 * thread-safe modules it points to. */
struct server {
    struct server_opts opts;
    struct mx_profile profile; /* the provider profile served and used by the rules */
    struct auth *auth;         /* sessions, throttling, passwords (owned) */
    struct dnscheck *dns;      /* DNS checks of MX targets (owned) */
    struct connguard *guard;   /* request deadlines, connection reserve (owned) */
    struct publisher *pub;     /* publication to PowerDNS, disabled without --pdns-url (owned) */
};

#endif
