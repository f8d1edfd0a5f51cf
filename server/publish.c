/* publish: the publication jobs and the worker that takes them to PowerDNS. */
#include "server/publish.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/dnscheck.h"
#include "server/pdns.h"
#include "server/publish_zone.h"
#include "server/store.h"

/* How often an idle worker asks PowerDNS whether it is there (for /healthz). */
#define PING_MS 5000
/* Names taken per round; a round patches zone by zone. */
#define BATCH 256
/* The first retry waits this long; each further one twice as long, up to the cap. */
#define BACKOFF_BASE_MS 250LL
/* Records of one name asked back from DNS. */
#define LIVE_MAX 32
/* A zone's cache is flushed again these long after its last PATCH (see flush_later). */
#define FLUSH_DELAY_MS      50
#define FLUSH_LAST_DELAY_MS 1000

struct foreign_zone {
    char name[MX_HOST_SIZE];
    char account[64];
};

/* A zone whose cache PowerDNS must forget once more, at due (monotonic ms); last: no further
 * flush after this one. */
struct flush {
    char zone[MX_HOST_SIZE];
    long long due;
    bool last;
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
    struct flush *flushes;
    size_t n_flushes;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wall-clock milliseconds: next_at is stored, so it must mean the same after a restart. */
static long long epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- jobs in the database ---- */

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

static const char SQL_OK_JOBS[] =
    "UPDATE publish_jobs SET state = CASE WHEN version = ?2 THEN 'done' ELSE 'superseded' END,"
    " at = ?3, error = '' WHERE domain = ?1 AND state = 'pending' AND version <= ?2";
static const char SQL_OK_CONFIG[] =
    "UPDATE mx_configs SET pub_state = 'published', pub_version = ?2, pub_at = ?3, pub_error = ''"
    " WHERE domain = ?1 AND version = ?2";
static const char SQL_FAIL_OLDER[] = "UPDATE publish_jobs SET state = 'superseded', at = ?3"
                                     " WHERE domain = ?1 AND state = 'pending' AND version < ?2";
/* ?5: 0 keep next_at (PowerDNS as a whole failed: the global backoff governs), 1 back off this
 * job, 2 give it up (retrying cannot help). */
static const char SQL_FAIL_JOB[] =
    "UPDATE publish_jobs SET state = CASE WHEN ?5 = 2 THEN 'failed' ELSE 'pending' END,"
    " attempts = attempts + 1, at = ?3, error = ?4,"
    " next_at = CASE WHEN ?5 = 1 THEN ?6 + min(?7, ?8 << min(attempts, 20)) ELSE next_at END"
    " WHERE domain = ?1 AND state = 'pending' AND version = ?2";
static const char SQL_FAIL_CONFIG[] =
    "UPDATE mx_configs SET pub_state = 'failed', pub_version = ?2, pub_at = ?3, pub_error = ?4"
    " WHERE domain = ?1 AND version = ?2";

enum fail_mode { FAIL_KEEP = 0, FAIL_BACKOFF = 1, FAIL_GIVE_UP = 2 };

/* One outcome for a name: error NULL for published. Inside the caller's transaction. */
static int job_finish(struct publisher *pub, struct db *db, const char *domain, long long version,
                      const char *error, enum fail_mode mode)
{
    char now[32];
    db_time_iso(time(NULL), now);
    const char *sqls[3] = {SQL_OK_JOBS, SQL_OK_CONFIG, NULL};
    if (error) {
        sqls[0] = SQL_FAIL_OLDER;
        sqls[1] = SQL_FAIL_JOB;
        sqls[2] = SQL_FAIL_CONFIG;
    }
    for (size_t i = 0; i < 3 && sqls[i]; i++) {
        sqlite3_stmt *st = db_stmt(db, sqls[i]);
        if (!st)
            return -1;
        db_bind_text(st, 1, domain);
        sqlite3_bind_int64(st, 2, version);
        db_bind_text(st, 3, now);
        if (error && sqls[i] != SQL_FAIL_OLDER) {
            db_bind_text(st, 4, error);
            if (sqls[i] == SQL_FAIL_JOB) {
                sqlite3_bind_int(st, 5, (int)mode);
                sqlite3_bind_int64(st, 6, epoch_ms());
                sqlite3_bind_int64(st, 7, pub->retry_max_ms);
                sqlite3_bind_int64(st, 8, BACKOFF_BASE_MS * 4);
            }
        }
        int rc = sqlite3_step(st);
        db_release(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

/* ---- health and waiting ---- */

static void note_contact(struct publisher *pub, const struct pdns_reply *r)
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
    note_contact(pub, r);
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
    pub->next_try_ms = now_ms() + delay;
    fprintf(stderr, "mxapid: publish: %s (attempt %d, next in %.1f s)\n", r->error, pub->failures,
            (double)delay / 1000.0);
    if (r->status == PDNS_KEY_REFUSED && pdns_reload_key(pub->api) == 0)
        fprintf(stderr, "mxapid: publish: --pdns-key-file read again for the next attempt\n");
}

static void global_ok(struct publisher *pub, const struct pdns_reply *r)
{
    note_contact(pub, r);
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
        long long left = until - now_ms();
        if (left <= 0)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += (time_t)(left / 1000);
        ts.tv_nsec += (long)(left % 1000) * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&pub->cv, &pub->mu, &ts);
    }
    pub->wake = false;
    pthread_mutex_unlock(&pub->mu);
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

/* ---- zones ---- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int foreign_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct foreign_zone *)elem)->name);
}

static bool zone_owned(const struct publisher *pub, const char *zone)
{
    return pub->n_owned && bsearch(zone, pub->owned, pub->n_owned, sizeof *pub->owned, name_cmp);
}

static int owned_add(struct publisher *pub, const char *zone)
{
    if (zone_owned(pub, zone))
        return 0;
    if (pub->n_owned == pub->cap_owned) {
        size_t cap = pub->cap_owned ? pub->cap_owned * 2 : 64;
        char(*grown)[MX_HOST_SIZE] = realloc(pub->owned, cap * sizeof *grown);
        if (!grown)
            return -1;
        pub->owned = grown;
        pub->cap_owned = cap;
    }
    size_t i = pub->n_owned;
    while (i > 0 && strcmp(pub->owned[i - 1], zone) > 0) {
        memcpy(pub->owned[i], pub->owned[i - 1], sizeof pub->owned[i]);
        i--;
    }
    snprintf(pub->owned[i], sizeof pub->owned[i], "%s", zone);
    pub->n_owned++;
    return 0;
}

static void owned_remove(struct publisher *pub, const char *zone)
{
    char(*at)[MX_HOST_SIZE] =
        pub->n_owned ? bsearch(zone, pub->owned, pub->n_owned, sizeof *pub->owned, name_cmp) : NULL;
    if (!at)
        return;
    size_t i = (size_t)(at - pub->owned);
    memmove(pub->owned[i], pub->owned[i + 1], (pub->n_owned - i - 1) * sizeof *pub->owned);
    pub->n_owned--;
}

/* Marks what a created zone carried: published names, and names that cannot carry MX. */
static int zone_created(struct publisher *pub, struct db *db, const struct pz_zone *z)
{
    if (db_exec(db, "BEGIN IMMEDIATE") != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < z->n_names && rc == 0; i++) {
        const struct pz_name *n = &z->names[i];
        rc = n->skip == PZ_PUBLISH ? job_finish(pub, db, n->domain, n->version, NULL, FAIL_KEEP)
                                   : job_finish(pub, db, n->domain, n->version,
                                                pz_skip_message(n->skip), FAIL_GIVE_UP);
    }
    if (rc != 0 || db_exec(db, "COMMIT") != 0) {
        db_exec(db, "ROLLBACK");
        return -1;
    }
    return owned_add(pub, z->name);
}

/* Creates the n zones (sorted). Returns 0, or -1 when PowerDNS as a whole failed (*fail). */
static int zones_create(struct publisher *pub, struct db *db, struct pz_zone *zones, size_t n,
                        struct pdns_reply *fail)
{
    int ret = 0;
    if (pz_zones_build(db, pub->profile, zones, n) != 0) {
        fprintf(stderr, "mxapid: publish: cannot read the zone data from the database\n");
        pz_zones_free(zones, n);
        return 0;
    }
    for (size_t i = 0; i < n && ret == 0; i++) {
        struct pdns_reply r;
        pdns_create_zone(pub->api, zones[i].body, &r);
        cJSON_Delete(r.json);
        if (r.status == PDNS_OK) {
            global_ok(pub, &r);
            fprintf(stderr, "mxapid: publish: zone %s. created in PowerDNS\n", zones[i].name);
            /* Answers PowerDNS gave before the zone existed (REFUSED) would stay cached for its
             * cache-ttl; a PATCH purges by itself, a creation does not. */
            char fq[MX_HOST_SIZE + 1];
            snprintf(fq, sizeof fq, "%s.", zones[i].name);
            struct pdns_reply fr;
            pdns_flush_cache(pub->api, fq, &fr);
            if (fr.status != PDNS_OK)
                fprintf(stderr, "mxapid: publish: cache of zone %s not flushed: %s\n", fq,
                        fr.error);
            zone_created(pub, db, &zones[i]);
        } else if (r.status == PDNS_REJECTED || r.status == PDNS_NOT_FOUND) {
            /* This zone's data (or a zone made meanwhile: 409); the others go on. Its names'
             * jobs retry it when they are due. */
            note_contact(pub, &r);
            fprintf(stderr, "mxapid: publish: zone %s. not created: %s\n", zones[i].name, r.error);
        } else {
            *fail = r;
            ret = -1;
        }
    }
    pz_zones_free(zones, n);
    return ret;
}

static const char SQL_OUR_ZONES[] = "SELECT name FROM domains WHERE kind = 'domain' ORDER BY name";

/* Lists PowerDNS's zones, sorts ours into owned and foreign, creates the missing ones. Returns 0,
 * or -1 when PowerDNS as a whole failed (*fail). */
static int zones_sync(struct publisher *pub, struct db *db, struct pdns_reply *fail)
{
    struct pdns_reply r;
    pdns_list_zones(pub->api, &r);
    if (r.status != PDNS_OK) {
        *fail = r;
        return -1;
    }
    global_ok(pub, &r);
    pub->n_owned = 0;
    free(pub->foreign);
    pub->foreign = NULL;
    pub->n_foreign = 0;
    cJSON *seen = cJSON_CreateObject(); /* name -> account, for the lookups below */
    const cJSON *z;
    cJSON_ArrayForEach(z, r.json)
    {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(z, "name");
        const cJSON *acct = cJSON_GetObjectItemCaseSensitive(z, "account");
        if (!cJSON_IsString(name) || !name->valuestring[0])
            continue;
        char bare[MX_HOST_SIZE];
        snprintf(bare, sizeof bare, "%s", name->valuestring);
        size_t bl = strlen(bare);
        if (bare[bl - 1] == '.')
            bare[bl - 1] = '\0';
        cJSON_AddStringToObject(seen, bare, cJSON_IsString(acct) ? acct->valuestring : "");
    }
    cJSON_Delete(r.json);
    struct pz_zone *missing = NULL;
    size_t n_missing = 0;
    sqlite3_stmt *st = db_stmt(db, SQL_OUR_ZONES);
    int ret = st ? 0 : -1;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        const char *zone = (const char *)sqlite3_column_text(st, 0);
        const cJSON *acct = zone ? cJSON_GetObjectItemCaseSensitive(seen, zone) : NULL;
        if (!zone) {
            continue;
        } else if (acct && strcmp(acct->valuestring, PZ_ACCOUNT) == 0) {
            owned_add(pub, zone);
        } else if (acct) {
            struct foreign_zone *g =
                realloc(pub->foreign, (pub->n_foreign + 1) * sizeof *pub->foreign);
            if (!g)
                continue;
            pub->foreign = g;
            snprintf(g[pub->n_foreign].name, sizeof g->name, "%s", zone);
            snprintf(g[pub->n_foreign].account, sizeof g->account, "%s", acct->valuestring);
            pub->n_foreign++;
            fprintf(stderr,
                    "mxapid: publish: zone %s. in PowerDNS belongs to account \"%.60s\", not to"
                    " mxapid: left alone, its names are not published\n",
                    zone, acct->valuestring);
        } else {
            struct pz_zone *g = realloc(missing, (n_missing + 1) * sizeof *missing);
            if (!g)
                continue;
            missing = g;
            memset(&missing[n_missing], 0, sizeof *missing);
            snprintf(missing[n_missing].name, sizeof missing->name, "%s", zone);
            n_missing++;
        }
    }
    db_release(st);
    cJSON_Delete(seen);
    /* The foreign account names came from PowerDNS: the log shows them cut, and sanitised. */
    for (size_t i = 0; i < pub->n_foreign; i++)
        for (char *c = pub->foreign[i].account; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f || *c == '"')
                *c = '?';
    if (ret == 0 && n_missing)
        ret = zones_create(pub, db, missing, n_missing, fail);
    free(missing);
    if (ret == 0)
        pub->synced = true;
    return ret;
}

/* ---- the second cache flush ---- */

/* A PATCH purges the zone from PowerDNS's caches when it commits, but a question answered from
 * the old data while the PATCH ran puts the old answer back right after, where it would stay for
 * PowerDNS's cache-ttl (20 s by default). So the zone is flushed again at once, and twice more
 * (50 ms and a second after its last PATCH) for questions that were slower still. */
static void flush_later(struct publisher *pub, const char *zone)
{
    long long due = now_ms() + FLUSH_DELAY_MS;
    for (size_t i = 0; i < pub->n_flushes; i++) {
        if (strcmp(pub->flushes[i].zone, zone) == 0) {
            pub->flushes[i].due = due;
            pub->flushes[i].last = false;
            return;
        }
    }
    struct flush *g = realloc(pub->flushes, (pub->n_flushes + 1) * sizeof *g);
    if (!g)
        return;
    pub->flushes = g;
    snprintf(g[pub->n_flushes].zone, sizeof g->zone, "%s", zone);
    g[pub->n_flushes].due = due;
    g[pub->n_flushes].last = false;
    pub->n_flushes++;
}

static void flush_now(struct publisher *pub, const char *zone)
{
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", zone);
    struct pdns_reply r;
    pdns_flush_cache(pub->api, fq, &r);
    /* Not worth a retry: the stale answer ages out by itself. */
    if (r.status != PDNS_OK)
        fprintf(stderr, "mxapid: publish: cache of zone %s not flushed: %s\n", fq, r.error);
}

/* Flushes the zones that are due; returns the monotonic time of the next one, -1 when none. */
static long long flush_due(struct publisher *pub)
{
    long long next = -1, now = now_ms();
    for (size_t i = 0; i < pub->n_flushes;) {
        struct flush *f = &pub->flushes[i];
        if (f->due > now) {
            if (next < 0 || f->due < next)
                next = f->due;
            i++;
            continue;
        }
        flush_now(pub, f->zone);
        if (!f->last) {
            f->last = true;
            f->due = now + FLUSH_LAST_DELAY_MS;
            continue;
        }
        *f = pub->flushes[--pub->n_flushes];
    }
    return next;
}

/* ---- one round of jobs ---- */

struct due {
    struct store_domain dom;
    const char *zone; /* points into dom: set after sorting */
};

static int due_cmp(const void *a, const void *b)
{
    const struct due *x = a, *y = b;
    int c = strcmp(pz_zone_of(&x->dom), pz_zone_of(&y->dom));
    return c ? c : strcmp(x->dom.name, y->dom.name);
}

/* The outcome of one zone's PATCH for each of its names, in one transaction. */
static void group_finish(struct publisher *pub, struct db *db, const struct pz_name *names,
                         size_t n, const char *error, enum fail_mode mode)
{
    if (db_exec(db, "BEGIN IMMEDIATE") != 0)
        return;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (names[i].skip != PZ_PUBLISH)
            rc = job_finish(pub, db, names[i].domain, names[i].version,
                            pz_skip_message(names[i].skip), FAIL_GIVE_UP);
        else
            rc = job_finish(pub, db, names[i].domain, names[i].version, error, mode);
    }
    if (rc != 0 || db_exec(db, "COMMIT") != 0)
        db_exec(db, "ROLLBACK");
}

/* Publishes the names of one zone (ds[0..n) share ds->zone). Returns 0, or -1 when PowerDNS as
 * a whole failed (*fail). */
static int group_publish(struct publisher *pub, struct db *db, struct due *ds, size_t n,
                         struct pdns_reply *fail)
{
    const char *zone = ds[0].zone;
    struct pz_name *names = calloc(n, sizeof *names);
    cJSON *body = cJSON_CreateObject();
    cJSON *rrsets = body ? cJSON_AddArrayToObject(body, "rrsets") : NULL;
    int ret = 0;
    if (!names || !rrsets)
        goto out;
    char why[300] = "";
    const struct foreign_zone *f = pub->n_foreign ? bsearch(zone, pub->foreign, pub->n_foreign,
                                                            sizeof *pub->foreign, foreign_cmp)
                                                  : NULL;
    if (f)
        snprintf(why, sizeof why,
                 "the zone %s. in PowerDNS belongs to account \"%s\", not to mxapid: it is left"
                 " alone",
                 zone, f->account);
    /* For a foreign zone the rrsets are built only for the versions; they never go out. */
    for (size_t i = 0; i < n; i++) {
        if (pz_name_rrsets(db, &ds[i].dom, pub->profile, true, rrsets, &names[i]) != 0)
            goto out;
    }
    if (f) {
        group_finish(pub, db, names, n, why, FAIL_GIVE_UP);
        goto out;
    }
    if (!zone_owned(pub, zone)) {
        /* Missing in PowerDNS (never created, or deleted meanwhile): create it whole, which
         * carries every name's current MX. */
        struct pz_zone *one = calloc(1, sizeof *one);
        if (!one)
            goto out;
        snprintf(one->name, sizeof one->name, "%s", zone);
        ret = zones_create(pub, db, one, 1, fail);
        free(one);
        if (ret == 0 && !zone_owned(pub, zone))
            group_finish(pub, db, names, n, "PowerDNS did not create the zone (see the log)",
                         FAIL_BACKOFF);
        goto out;
    }
    if (cJSON_GetArraySize(rrsets) == 0) {
        group_finish(pub, db, names, n, NULL, FAIL_KEEP);
        goto out;
    }
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", zone);
    struct pdns_reply r;
    pdns_patch_zone(pub->api, fq, body, &r);
    switch (r.status) {
    case PDNS_OK:
        global_ok(pub, &r);
        flush_now(pub, zone);
        group_finish(pub, db, names, n, NULL, FAIL_KEEP);
        flush_later(pub, zone);
        break;
    case PDNS_REJECTED:
        note_contact(pub, &r);
        if (n > 1) {
            /* One name's data spoils the PATCH for all: try them one by one. */
            for (size_t i = 0; i < n && ret == 0; i++)
                ret = group_publish(pub, db, &ds[i], 1, fail);
            break;
        }
        fprintf(stderr, "mxapid: publish: %s v%lld: %s\n", names[0].domain, names[0].version,
                r.error);
        group_finish(pub, db, names, n, r.error, FAIL_BACKOFF);
        break;
    case PDNS_NOT_FOUND:
        note_contact(pub, &r);
        owned_remove(pub, zone);
        group_finish(pub, db, names, n, r.error, FAIL_BACKOFF);
        break;
    default:
        group_finish(pub, db, names, n, r.error, FAIL_KEEP);
        *fail = r;
        ret = -1;
        break;
    }
out:
    cJSON_Delete(body);
    free(names);
    return ret;
}

static const char SQL_DUE[] =
    "SELECT domain FROM publish_jobs WHERE state = 'pending' AND next_at <= ?1"
    " GROUP BY domain ORDER BY min(id) LIMIT ?2";
static const char SQL_GONE[] =
    "UPDATE publish_jobs SET state = 'failed', at = ?2, error = 'no such name'"
    " WHERE domain = ?1 AND state = 'pending'";

/* Takes the due jobs. Returns how many names it handled, or -1 when PowerDNS as a whole failed
 * (*fail). */
static int round_run(struct publisher *pub, struct db *db, struct pdns_reply *fail)
{
    struct due *ds = calloc(BATCH, sizeof *ds);
    sqlite3_stmt *st = ds ? db_stmt(db, SQL_DUE) : NULL;
    if (!st) {
        free(ds);
        return 0;
    }
    sqlite3_bind_int64(st, 1, epoch_ms());
    sqlite3_bind_int(st, 2, BATCH);
    size_t n = 0;
    char names[BATCH][MX_HOST_SIZE];
    while (n < BATCH && sqlite3_step(st) == SQLITE_ROW)
        db_col_text(st, 0, names[n++], sizeof names[0]);
    db_release(st);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (store_domain_find(db, NULL, names[i], &ds[kept].dom) == 1) {
            kept++;
            continue;
        }
        char now[32];
        db_time_iso(time(NULL), now);
        sqlite3_stmt *g = db_stmt(db, SQL_GONE);
        if (g) {
            db_bind_text(g, 1, names[i]);
            db_bind_text(g, 2, now);
            sqlite3_step(g);
            db_release(g);
        }
    }
    qsort(ds, kept, sizeof *ds, due_cmp);
    for (size_t i = 0; i < kept; i++)
        ds[i].zone = pz_zone_of(&ds[i].dom);
    int ret = (int)n;
    for (size_t i = 0; i < kept && ret >= 0;) {
        size_t j = i + 1;
        while (j < kept && strcmp(ds[j].zone, ds[i].zone) == 0)
            j++;
        if (group_publish(pub, db, &ds[i], j - i, fail) != 0)
            ret = -1;
        i = j;
    }
    free(ds);
    return ret;
}

static const char SQL_NEXT_DUE[] = "SELECT min(next_at) FROM publish_jobs WHERE state = 'pending'";

/* Monotonic time of the next job's retry, -1 when none waits. */
static long long next_due(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_NEXT_DUE);
    if (!st)
        return -1;
    long long at = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        long long in = sqlite3_column_int64(st, 0) - epoch_ms();
        at = now_ms() + (in > 0 ? in : 0);
    }
    db_release(st);
    return at;
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
        long long now = now_ms();
        struct pdns_reply fail = {0};
        if (now < pub->next_try_ms) {
            wait_until(pub, pub->next_try_ms);
            continue;
        }
        if (!pub->synced) {
            if (zones_sync(pub, db, &fail) != 0)
                global_fail(pub, db, &fail);
            continue;
        }
        long long flush_next = flush_due(pub);
        int did = round_run(pub, db, &fail);
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
                global_ok(pub, &r);
            else
                global_fail(pub, db, &r);
            continue;
        }
        long long until = pub->last_ping_ms + PING_MS;
        long long due = next_due(db);
        if (due >= 0 && due < until)
            until = due;
        if (flush_next >= 0 && flush_next < until)
            until = flush_next;
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
    pthread_condattr_destroy(&ca);
    if (!opts || !opts->url)
        return pub;
    pub->enabled = true;
    pub->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 5000;
    pub->retry_max_ms = (opts->retry_max_s > 0 ? opts->retry_max_s : 60) * 1000LL;
    pub->api = pdns_new(opts->url, opts->server_id ? opts->server_id : "localhost",
                        opts->key_file ? opts->key_file : "", pub->timeout_ms);
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
    if (!pub->api || !pub->live)
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
    if (!st || db_exec(db, "BEGIN IMMEDIATE") != 0)
        return -1;
    db_bind_text(st, 1, now);
    int rc = sqlite3_step(st);
    db_release(st);
    if (rc != SQLITE_DONE || db_exec(db, SQL_RECONCILE_STATE) != 0 || db_exec(db, "COMMIT") != 0) {
        db_exec(db, "ROLLBACK");
        return -1;
    }
    if (pthread_create(&pub->thread, NULL, worker, pub) != 0)
        return -1;
    pub->running = true;
    return 0;
}

void publish_free(struct publisher **pp)
{
    struct publisher *pub = pp ? *pp : NULL;
    if (!pub)
        return;
    if (pub->running) {
        pthread_mutex_lock(&pub->mu);
        pub->stop = true;
        pthread_cond_signal(&pub->cv);
        pthread_mutex_unlock(&pub->mu);
        pthread_join(pub->thread, NULL);
    }
    pdns_free(&pub->api);
    dnscheck_free(&pub->live);
    free(pub->owned);
    free(pub->foreign);
    free(pub->flushes);
    pthread_cond_destroy(&pub->cv);
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
