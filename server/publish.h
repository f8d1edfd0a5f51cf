/* publish: MX configurations into the authoritative DNS (PowerDNS, through its HTTP API).
 *
 * Every saved change writes a publication job in the same transaction as its version
 * (publish_enqueue). Without a PowerDNS URL the job's state is "disabled" and nothing else
 * happens: the embedded default. With one, a worker thread makes sure PowerDNS has a zone for
 * each of mxapid's domains (created with account "mxapid"; a zone of another account is never
 * touched), then takes the pending jobs: per name the newest version replaces the MX rrset in
 * its zone (older versions not yet out are superseded), zone by zone in one PATCH. Failures are
 * retried with capped exponential backoff; state, version, time and the last (sanitised) error
 * land in mx_configs, where the MX resource reads them. Jobs live in SQLite, so publishing
 * resumes after a restart of either side. */
#ifndef PUBLISH_H
#define PUBLISH_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "api/mx_model.h"
#include "server/db.h"

/* How to reach PowerDNS; url NULL means publishing is off. Strings stay the caller's. */
struct publish_opts {
    const char *url;       /* API base, "http://127.0.0.1:8081" */
    const char *key_file;  /* the API key, one line */
    const char *server_id; /* "localhost" when NULL */
    const char *dns;       /* "HOST:PORT" where PowerDNS answers DNS; NULL: the URL's host, 53 */
    int timeout_ms;        /* one API call or DNS question */
    int retry_max_s;       /* the backoff's cap */
};

struct publisher;

/* A publisher for profile (kept by reference: it must outlive the publisher). With opts->url
 * NULL it is the disabled one. NULL on a bad option or an unreadable key file (reason on
 * stderr, never the key). */
struct publisher *publish_new(const struct publish_opts *opts, const struct mx_profile *profile);
/* Starts the worker thread (nothing when disabled). Returns 0 or -1. */
int publish_start(struct publisher *pub);
/* Stops the worker (after its current call) and frees; sets *pub to NULL. NULL-safe. */
void publish_free(struct publisher **pub);

/* Inserts the job for domain at version inside the caller's open transaction. Returns the
 * state the configuration's publication starts in ("pending", or "disabled" when pub is NULL or
 * disabled; static), or NULL on a database error. */
const char *publish_enqueue(const struct publisher *pub, struct db *db, const char *domain,
                            long long version, const char *now);
/* Tells the worker that a job was committed (call after COMMIT). NULL-safe. */
void publish_wake(struct publisher *pub);

/* Fills cfg->publication.dns with what the authoritative server answers for cfg->domain's MX
 * now, asked over DNS (has_dns stays false when publishing is off or no answer came in time).
 * Blocks at most the DNS timeout. */
void publish_fill_live(struct publisher *pub, struct mx_config *cfg);

/* Adds the publisher's health to obj as member "publisher": {"enabled", "reachable" (null until
 * the first contact), "backlog" (jobs waiting), "last_error", "checked_at"}. Returns 0, or -1 on
 * a database error or out of memory. */
int publish_health(struct publisher *pub, struct db *db, cJSON *obj);

#endif
