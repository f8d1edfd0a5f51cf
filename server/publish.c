/* publish: the publisher's API — jobs written with a save, the worker thread and its loop,
 * setup, health and the live DNS answer. Zones: publish_sync.c; rounds of jobs:
 * publish_round.c. */
#include "server/publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/publish_int.h"

/* How often an idle worker asks PowerDNS whether it is there (for /healthz). */
#define PING_MS 5000
/* Records of one name asked back from DNS. */
#define LIVE_MAX 32

long long publish_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall-clock milliseconds: next_at is stored, so it must mean the same after a restart. */
long long publish_epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- the job of a save ---- */

static const char SQL_JOB[] = "INSERT INTO publish_jobs(domain, version, state, created_at)"
                              " VALUES(?1, ?2, ?3, ?4)";

const char *publish_enqueue(const struct publisher *pub, struct db *db, const char *domain,
                            long long version, const char *now)
{
    const char *state = pub && pub->enabled ? "pending" : "disabled";
    sqlite3_stmt *st = db_stmt(db, SQL_JOB);
    if (!st)
        return NULL;
    db_bind_text(st, 1, domain);
    sqlite3_bind_int64(st, 2, version);
    db_bind_text(st, 3, state);
    db_bind_text(st, 4, now);
    int rc = sqlite3_step(st);
    db_release(st);
    return rc == SQLITE_DONE ? state : NULL;
}

/* ---- health and waiting ---- */

void publish_note_contact(struct publisher *pub, const struct pdns_reply *r)
{
    pthread_mutex_lock(&pub->mu);
    bool was_down = pub->reachable == 0;
    pub->reachable = r->status == PDNS_OK;
    snprintf(pub->last_error, sizeof pub->last_error, "%s", r->status == PDNS_OK ? "" : r->error);
    db_time_iso(time(NULL), pub->checked_at);
    pthread_mutex_unlock(&pub->mu);
    if (was_down && r->status == PDNS_OK)
        fprintf(stderr, "mxapid: publish: PowerDNS answers again\n");
}

static const char SQL_FAIL_WAITING[] =
    "UPDATE mx_configs SET pub_state = 'failed', pub_at = ?1, pub_error = ?2 WHERE EXISTS"
    " (SELECT 1 FROM publish_jobs j WHERE j.domain = mx_configs.domain"
    " AND j.version = mx_configs.version AND j.state = 'pending')";

/* PowerDNS as a whole failed: everything waits for the backoff, and every waiting name shows
 * why. */
static void global_fail(struct publisher *pub, struct db *db, const struct pdns_reply *r)
{
    publish_note_contact(pub, r);
    char now[32];
    db_time_iso(time(NULL), now);
    sqlite3_stmt *st = db_stmt(db, SQL_FAIL_WAITING);
    if (st) {
        db_bind_text(st, 1, now);
        db_bind_text(st, 2, r->error);
        sqlite3_step(st);
        db_release(st);
    }
    pub->failures++;
    int shift = pub->failures - 1 < 20 ? pub->failures - 1 : 20;
    long long delay = BACKOFF_BASE_MS << shift;
    if (delay > pub->retry_max_ms)
        delay = pub->retry_max_ms;
    pub->next_try_ms = publish_now_ms() + delay;
    fprintf(stderr, "mxapid: publish: %s (attempt %d, next in %.1f s)\n", r->error, pub->failures,
            (double)delay / 1000.0);
    if (r->status == PDNS_KEY_REFUSED && pdns_reload_key(pub->api) == 0)
        fprintf(stderr, "mxapid: publish: --pdns-key-file read again for the next attempt\n");
}

void publish_global_ok(struct publisher *pub, const struct pdns_reply *r)
{
    publish_note_contact(pub, r);
    pub->failures = 0;
    pub->next_try_ms = 0;
}

static bool stopping(struct publisher *pub)
{
    pthread_mutex_lock(&pub->mu);
    bool s = pub->stop;
    pthread_mutex_unlock(&pub->mu);
    return s;
}

/* Sleeps until the monotonic time until (-1: no limit), a wake or the stop. */
static void wait_until(struct publisher *pub, long long until)
{
    pthread_mutex_lock(&pub->mu);
    while (!pub->wake && !pub->stop) {
        if (until < 0) {
            pthread_cond_wait(&pub->cv, &pub->mu);
            continue;
        }
        long long left = until - publish_now_ms();
        if (left <= 0)
            break;
        publish_timedwait(&pub->cv, &pub->mu, left);
    }
    pub->wake = false;
    pthread_mutex_unlock(&pub->mu);
}

void publish_timedwait(pthread_cond_t *cv, pthread_mutex_t *mu, long long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += (time_t)(ms / 1000);
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(cv, mu, &ts);
}

void publish_wake(struct publisher *pub)
{
    if (!pub || !pub->enabled)
        return;
    pthread_mutex_lock(&pub->mu);
    pub->wake = true;
    pthread_cond_signal(&pub->cv);
    pthread_mutex_unlock(&pub->mu);
}

static void *worker(void *arg)
{
    struct publisher *pub = arg;
    struct db *db = db_get();
    if (!db) {
        fprintf(stderr, "mxapid: publish: no database connection; publishing stopped\n");
        return NULL;
    }
    while (!stopping(pub)) {
        long long now = publish_now_ms();
        struct pdns_reply fail = {0};
        if (now < pub->next_try_ms) {
            wait_until(pub, pub->next_try_ms);
            continue;
        }
        if (!pub->synced) {
            if (publish_zones_sync(pub, db, &fail) != 0)
                global_fail(pub, db, &fail);
            continue;
        }
        int did = publish_round_run(pub, db, &fail);
        long long reassert_next = did == 0 ? publish_reassert_due(pub, db) : -1;
        if (did < 0) {
            global_fail(pub, db, &fail);
            continue;
        }
        if (did > 0)
            continue;
        if (now - pub->last_ping_ms >= PING_MS) {
            pub->last_ping_ms = now;
            struct pdns_reply r;
            pdns_ping(pub->api, &r);
            if (r.status == PDNS_OK)
                publish_global_ok(pub, &r);
            else
                global_fail(pub, db, &r);
            continue;
        }
        long long until = pub->last_ping_ms + PING_MS;
        long long due = publish_next_due(db);
        if (due >= 0 && due < until)
            until = due;
        if (reassert_next >= 0 && reassert_next < until)
            until = reassert_next;
        wait_until(pub, until);
    }
    db_close_thread();
    return NULL;
}

/* ---- setup ---- */

/* "HOST:53" from the API URL's host, for the DNS questions when --pdns-dns is not given. */
static void dns_from_url(const char *url, char *out, size_t size)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t len = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/");
    snprintf(out, size, "%.*s:53", (int)len, h);
}

struct publisher *publish_new(const struct publish_opts *opts, const struct mx_profile *profile)
{
    struct publisher *pub = calloc(1, sizeof *pub);
    if (!pub)
        return NULL;
    pub->profile = profile;
    pub->reachable = -1;
    pthread_mutex_init(&pub->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&pub->cv, &ca);
    pthread_cond_init(&pub->flush_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (!opts || !opts->url)
        return pub;
    pub->enabled = true;
    pub->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 5000;
    pub->retry_max_ms = (opts->retry_max_s > 0 ? opts->retry_max_s : 60) * 1000LL;
    const char *id = opts->server_id ? opts->server_id : "localhost";
    const char *key = opts->key_file ? opts->key_file : "";
    pub->api = pdns_new(opts->url, id, key, pub->timeout_ms);
    pub->flush_api = pub->api ? pdns_new(opts->url, id, key, pub->timeout_ms) : NULL;
    char dns[300];
    if (opts->dns)
        snprintf(dns, sizeof dns, "%s", opts->dns);
    else
        dns_from_url(opts->url, dns, sizeof dns);
    /* A question about one name: a second is plenty on loopback, and a GET must not hang. */
    int live_ms = pub->timeout_ms < 1000 ? pub->timeout_ms : 1000;
    pub->live = pub->api ? dnscheck_new(dns, live_ms, NULL, NULL) : NULL;
    if (pub->api && !pub->live)
        fprintf(stderr, "mxapid: cannot use --pdns-dns %s\n", dns);
    if (!pub->api || !pub->flush_api || !pub->live)
        publish_free(&pub);
    return pub;
}

/* Names saved while publishing was off, or not yet out: a pending job for their current
 * version, so that DNS ends at what is stored. */
static const char SQL_RECONCILE_JOBS[] =
    "INSERT INTO publish_jobs(domain, version, state, created_at)"
    " SELECT c.domain, c.version, 'pending', ?1 FROM mx_configs c"
    " WHERE (c.pub_state <> 'published' OR c.pub_version <> c.version) AND NOT EXISTS"
    " (SELECT 1 FROM publish_jobs j WHERE j.domain = c.domain AND j.version = c.version"
    " AND j.state = 'pending')";
static const char SQL_RECONCILE_STATE[] =
    "UPDATE mx_configs SET pub_state = 'pending', pub_version = version, pub_at = '',"
    " pub_error = '' WHERE pub_state = 'disabled'";

int publish_start(struct publisher *pub)
{
    if (!pub || !pub->enabled)
        return 0;
    struct db *db = db_get();
    char now[32];
    db_time_iso(time(NULL), now);
    sqlite3_stmt *st = db ? db_stmt(db, SQL_RECONCILE_JOBS) : NULL;
    /* Every write of the server goes through the process's write lock (db.h). */
    if (!st || db_write_begin(db) != 0)
        return -1;
    db_bind_text(st, 1, now);
    int rc = sqlite3_step(st);
    db_release(st);
    if (rc != SQLITE_DONE || db_exec(db, SQL_RECONCILE_STATE) != 0) {
        db_write_rollback(db);
        return -1;
    }
    if (db_write_commit(db) != 0)
        return -1;
    if (pthread_create(&pub->thread, NULL, worker, pub) != 0)
        return -1;
    pub->running = true;
    if (pthread_create(&pub->flusher, NULL, publish_flusher, pub) != 0)
        return -1;
    pub->flusher_running = true;
    return 0;
}

void publish_free(struct publisher **pp)
{
    struct publisher *pub = pp ? *pp : NULL;
    if (!pub)
        return;
    pthread_mutex_lock(&pub->mu);
    pub->stop = true;
    pthread_cond_signal(&pub->cv);
    pthread_cond_signal(&pub->flush_cv);
    pthread_mutex_unlock(&pub->mu);
    if (pub->running)
        pthread_join(pub->thread, NULL);
    if (pub->flusher_running)
        pthread_join(pub->flusher, NULL);
    pdns_free(&pub->api);
    pdns_free(&pub->flush_api);
    dnscheck_free(&pub->live);
    free(pub->owned);
    free(pub->foreign);
    free(pub->flushes);
    free(pub->suspects);
    pthread_cond_destroy(&pub->cv);
    pthread_cond_destroy(&pub->flush_cv);
    pthread_mutex_destroy(&pub->mu);
    free(pub);
    *pp = NULL;
}

/* ---- what the API shows ---- */

void publish_fill_live(struct publisher *pub, struct mx_config *cfg)
{
    if (!pub || !pub->enabled)
        return;
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", cfg->domain);
    struct dns_mx recs[LIVE_MAX];
    int n = dnscheck_mx(pub->live, fq, recs, LIVE_MAX);
    if (n < 0)
        return;
    size_t kept = (size_t)n < LIVE_MAX ? (size_t)n : LIVE_MAX;
    struct mx_entry *e = kept ? calloc(kept, sizeof *e) : NULL;
    if (kept && !e)
        return;
    for (size_t i = 0; i < kept; i++) {
        snprintf(e[i].host, sizeof e[i].host, "%s", recs[i].host);
        e[i].priority = (long)recs[i].priority;
    }
    free(cfg->publication.dns);
    cfg->publication.dns = e;
    cfg->publication.n_dns = kept;
    cfg->publication.has_dns = true;
}

static const char SQL_BACKLOG[] = "SELECT count(*) FROM publish_jobs WHERE state = 'pending'";

int publish_health(struct publisher *pub, struct db *db, cJSON *obj)
{
    cJSON *h = cJSON_AddObjectToObject(obj, "publisher");
    if (!h)
        return -1;
    bool on = pub && pub->enabled;
    if (!cJSON_AddBoolToObject(h, "enabled", on))
        return -1;
    if (!on)
        return 0;
    sqlite3_stmt *st = db_stmt(db, SQL_BACKLOG);
    if (!st)
        return -1;
    long long backlog = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    db_release(st);
    if (backlog < 0)
        return -1;
    pthread_mutex_lock(&pub->mu);
    bool ok = (pub->reachable < 0 ? cJSON_AddNullToObject(h, "reachable")
                                  : cJSON_AddBoolToObject(h, "reachable", pub->reachable == 1)) &&
              cJSON_AddNumberToObject(h, "backlog", (double)backlog) &&
              (pub->last_error[0] ? cJSON_AddStringToObject(h, "last_error", pub->last_error)
                                  : cJSON_AddNullToObject(h, "last_error")) &&
              (pub->checked_at[0] ? cJSON_AddStringToObject(h, "checked_at", pub->checked_at)
                                  : cJSON_AddNullToObject(h, "checked_at"));
    pthread_mutex_unlock(&pub->mu);
    return ok ? 0 : -1;
}
