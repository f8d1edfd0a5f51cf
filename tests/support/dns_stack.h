/* dns_stack: the live publishing stack for tests — a PowerDNS (gsqlite3, HTTP API on, random key)
 * and a demo mxapid publishing to it (--pdns-url/--pdns-key-file/--pdns-dns), both on ephemeral
 * loopback ports in private temp dirs — and the DNS questions that show what resolvers are
 * answered: the MX set of a name as text, the SOA serial of a zone, with deadlines.
 *
 * Use (an e2e test driving mxtui is the same with bin/mxtui --api st.api.url):
 *
 *     static struct dns_stack st;
 *     cr_assert_eq(dns_stack_start(&st, NULL), 0, "stack did not start");
 *     // ... save example.de's MX through the API (st.api.port) or mxtui (st.api.url) ...
 *     char mx[512];
 *     cr_assert(dns_stack_wait_mx(&st, "example.de", "10 mail.example.de.\n20 mx2.example.de.",
 *                                 10000, mx, sizeof mx), "DNS answers: %s", mx);
 *     dns_stack_cleanup(&st);
 *
 * mxapid runs with --pdns-timeout 2000, --pdns-retry-max 2 (faults heal within seconds) and
 * --request-limit 1000000 (tests poll). dns_stack_start returns once every zone of the demo data is
 * in PowerDNS and the publisher reaches it (no job waits). The MX text is one record per line,
 * "PRIORITY HOST." sorted by priority then host, no final newline; "" for a name without MX; "0 ."
 * for null MX. The same answer shows on a shell with the command in st.dig (e.g. `dig @127.0.0.1 -p
 * 40123`) followed by "NAME MX". Both processes die with the test process (PR_SET_PDEATHSIG) if it
 * crashes. */
#ifndef DNS_STACK_H
#define DNS_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/support/pdns_proc.h"
#include "tests/support/server_proc.h"

/* The zone PowerDNS holds before mxapid starts: "other.test", of account "other-team", which
 * mxapid must never touch (a test compares its rows byte for byte). */
#define DNS_STACK_OTHER_ZONE "other.test"

#define DNS_STACK_MAX_ARGS 24

struct dns_stack_opts {
    const char *zone_sql;           /* more SQL for PowerDNS's database before the start */
    const char *const *mxapid_args; /* more mxapid arguments (NULL-terminated) */
    const char *key;                /* the API key mxapid is given; NULL: the right one */
    bool no_wait;                   /* return once both run, without waiting for the zones */
};

struct dns_stack {
    struct pdns_proc pdns;  /* pdns.port: DNS; pdns.api_url, pdns.db, pdns.log */
    struct server_proc api; /* mxapid: api.url, api.port, api.log, api.db */
    char key_file[320];     /* the key file mxapid reads */
    char dig[64];           /* "dig @127.0.0.1 -p PORT" */
    char arg_store[4][128];
    const char *args[DNS_STACK_MAX_ARGS];
};

/* Starts PowerDNS, then mxapid (demo seed, offline resolver as api_server_start) pointed at it,
 * and waits (30 s deadline) until the zones are created and no job waits. Returns 0, or -1 with
 * both logs on stderr. opts may be NULL. */
int dns_stack_start(struct dns_stack *st, const struct dns_stack_opts *opts);
/* Starts mxapid again after a stop or SIGKILL (same database and PowerDNS, same arguments).
 * Returns 0 or -1. */
int dns_stack_restart_mxapid(struct dns_stack *st);
/* Writes key into the key file mxapid reads (an operator fixing a wrong key). Returns 0 or -1. */
int dns_stack_set_key(struct dns_stack *st, const char *key);
/* Stops both and removes their temp dirs. */
void dns_stack_cleanup(struct dns_stack *st);
/* Prints both logs to stderr (for a failing test). */
void dns_stack_dump_logs(const struct dns_stack *st);

/* Asks PowerDNS over DNS for name's MX set (format above) into out. Returns 0, or -1 when no
 * answer came within timeout_ms or the answer was an error (SERVFAIL, REFUSED). */
int dns_stack_mx(const struct dns_stack *st, const char *name, char *out, size_t size,
                 int timeout_ms);
/* Asks until the MX set of name is exactly want or timeout_ms passed; the last answer (or
 * "(no answer)") stays in last when non-NULL. */
bool dns_stack_wait_mx(const struct dns_stack *st, const char *name, const char *want,
                       int timeout_ms, char *last, size_t last_size);
/* The SOA serial PowerDNS answers for zone, -1 when none came within timeout_ms. */
long long dns_stack_soa_serial(const struct dns_stack *st, const char *zone, int timeout_ms);

/* Waits until GET /healthz says the publisher reaches PowerDNS (reachable == want_reachable)
 * and, when want_reachable, no job waits. Returns true when it came within timeout_ms. */
bool dns_stack_wait_health(const struct dns_stack *st, bool want_reachable, int timeout_ms);

#endif
