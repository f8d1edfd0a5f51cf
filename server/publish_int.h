/* publish_int: what the files of the publisher share (publish.c the API and the worker loop,
 * publish_sync.c zones and cache flushes, publish_round.c jobs and rounds). Not for other
 * modules: they use publish.h. */
#ifndef PUBLISH_INT_H
#define PUBLISH_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "server/dnscheck.h"
#include "server/pdns.h"
#include "server/publish.h"
#include "server/publish_zone.h"

/* A zone whose PATCH timed out: PowerDNS may carry that PATCH out whenever it gets to it, after a
 * newer one; until `until` its names' current records are sent again every few seconds. */
struct suspect {
    char zone[MX_HOST_SIZE];
    long long until, next; /* monotonic ms */
};

/* The first retry waits this long; each further one twice as long, up to the cap. */
#define BACKOFF_BASE_MS 250LL

struct foreign_zone {
    char name[MX_HOST_SIZE];
    char account[64];
};

/* A zone whose cache PowerDNS must forget once more, at due (monotonic ms); stage 0 is the flush
 * right after the PATCH, 1 the one 50 ms later, 2 the last. */
struct flush {
    char zone[MX_HOST_SIZE];
    long long due;
    int stage;
};

struct publisher {
    bool enabled;
    const struct mx_profile *profile;
    int timeout_ms;
    long long retry_max_ms;
    struct pdns *api;
    struct dnscheck *live;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool wake, stop;
    /* What /healthz shows; under mu. */
    int reachable; /* -1 before the first contact */
    char last_error[256];
    char checked_at[32];
    /* The worker's own. */
    bool synced;
    char (*owned)[MX_HOST_SIZE]; /* zones in PowerDNS with account "mxapid", sorted */
    size_t n_owned, cap_owned;
    struct foreign_zone *foreign; /* zones of ours by name that another account holds, sorted */
    size_t n_foreign;
    int failures; /* consecutive failures PowerDNS as a whole is to blame for */
    long long next_try_ms, last_ping_ms;
    /* The flusher thread, its connection and its list (under mu). */
    struct pdns *flush_api;
    pthread_t flusher;
    bool flusher_running;
    pthread_cond_t flush_cv;
    struct flush *flushes;
    size_t n_flushes;
    struct suspect *suspects; /* the worker's own */
    size_t n_suspects;
};

/* What a failed attempt does to a job: keep its time (PowerDNS as a whole failed: the global
 * backoff governs), back off this job alone, or give it up (retrying cannot help). */
enum fail_mode { FAIL_KEEP = 0, FAIL_BACKOFF = 1, FAIL_GIVE_UP = 2 };

/* publish.c */
/* Monotonic milliseconds (waits, backoff). */
long long publish_now_ms(void);
/* Wall-clock milliseconds: next_at is stored, so it must mean the same after a restart. */
long long publish_epoch_ms(void);
/* Records how the last call to PowerDNS went, for /healthz (logs a recovery). */
void publish_note_contact(struct publisher *pub, const struct pdns_reply *r);
/* Waits on cv (made with CLOCK_MONOTONIC; mu held) for at most ms milliseconds. */
void publish_timedwait(pthread_cond_t *cv, pthread_mutex_t *mu, long long ms);
/* A call succeeded: the global backoff ends. */
void publish_global_ok(struct publisher *pub, const struct pdns_reply *r);

/* publish_sync.c */
/* Lists PowerDNS's zones, sorts ours into owned and foreign, creates the missing ones. Returns
 * 0, or -1 when PowerDNS as a whole failed (*fail). */
int publish_zones_sync(struct publisher *pub, struct db *db, struct pdns_reply *fail);
/* Creates the n zones (sorted, names only; bodies are built here and freed). Returns 0, or -1
 * when PowerDNS as a whole failed (*fail). */
int publish_zones_create(struct publisher *pub, struct db *db, struct pz_zone *zones, size_t n,
                         struct pdns_reply *fail);
/* Whether zone is in PowerDNS under mxapid's account. */
bool publish_zone_owned(const struct publisher *pub, const char *zone);
/* The zone of ours by name that another account holds, or NULL. */
const struct foreign_zone *publish_zone_foreign(const struct publisher *pub, const char *zone);
/* Forgets that zone is in PowerDNS (it answered 404): the next job creates it again. */
void publish_zone_forget(struct publisher *pub, const char *zone);
/* Flushes PowerDNS's cache of zone now, on the calling worker's connection. */
void publish_flush_now(struct publisher *pub, const char *zone);
/* Hands a zone just patched to the flusher (at once, 50 ms and 1 s later). Thread-safe. */
void publish_flush_later(struct publisher *pub, const char *zone);
/* The flusher thread's body (arg: the publisher); ends when pub->stop is set. */
void *publish_flusher(void *arg);

/* publish_round.c */
/* One outcome for a name, inside the caller's transaction: error NULL for published. */
int publish_job_finish(struct publisher *pub, struct db *db, const char *domain, long long version,
                       const char *error, enum fail_mode mode);
/* Takes the due jobs. Returns how many names it handled, or -1 when PowerDNS as a whole failed
 * (*fail). */
int publish_round_run(struct publisher *pub, struct db *db, struct pdns_reply *fail);
/* Monotonic time of the next job's retry, -1 when none waits. */
long long publish_next_due(struct db *db);
/* Sends the current records of the zones whose PATCH timed out lately, when their time came.
 * Returns the monotonic time of the next such send, -1 when none is left. */
long long publish_reassert_due(struct publisher *pub, struct db *db);

#endif
