/* publish_round: jobs in the database and one round of the worker — the due names, grouped by
 * zone, one PATCH per zone, each outcome written back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/publish_int.h"
#include "server/store.h"

/* Names taken per round; a round patches zone by zone. */
#define BATCH 256
/* A zone whose PATCH timed out gets its current records again this often, for this long. */
#define REASSERT_EVERY_MS 5000
#define REASSERT_FOR_MS   (10LL * 60 * 1000)

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

/* One outcome for a name: error NULL for published. Inside the caller's transaction. */
int publish_job_finish(struct publisher *pub, struct db *db, const char *domain, long long version,
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
                sqlite3_bind_int64(st, 6, publish_epoch_ms());
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

/* ---- zones whose PATCH timed out ---- */

static void suspect_add(struct publisher *pub, const char *zone)
{
    long long now = publish_now_ms();
    size_t i = 0;
    while (i < pub->n_suspects && strcmp(pub->suspects[i].zone, zone) != 0)
        i++;
    if (i == pub->n_suspects) {
        struct suspect *g = realloc(pub->suspects, (pub->n_suspects + 1) * sizeof *g);
        if (!g)
            return;
        pub->suspects = g;
        snprintf(g[i].zone, sizeof g->zone, "%s", zone);
        pub->n_suspects++;
    }
    pub->suspects[i].until = now + REASSERT_FOR_MS;
    pub->suspects[i].next = now + REASSERT_EVERY_MS;
}

static const char SQL_ZONE_NAMES[] =
    "SELECT name FROM domains WHERE name = ?1 OR (kind = 'subdomain' AND parent = ?1)";

/* One PATCH with the current records of every name of zone; outcomes are not recorded (the
 * jobs did that), only a failure is logged. */
static void reassert(struct publisher *pub, struct db *db, const char *zone)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *rrsets = body ? cJSON_AddArrayToObject(body, "rrsets") : NULL;
    sqlite3_stmt *st = rrsets ? db_stmt(db, SQL_ZONE_NAMES) : NULL;
    if (!st) {
        cJSON_Delete(body);
        return;
    }
    db_bind_text(st, 1, zone);
    /* The other lookups use statements of their own: this one stays open meanwhile. */
    while (sqlite3_step(st) == SQLITE_ROW) {
        char name[MX_HOST_SIZE];
        struct store_domain dom;
        struct pz_name pn;
        if (db_col_text(st, 0, name, sizeof name) && store_domain_find(db, NULL, name, &dom) == 1)
            pz_name_rrsets(db, &dom, pub->profile, true, rrsets, &pn);
    }
    db_release(st);
    if (cJSON_GetArraySize(rrsets) > 0) {
        char fq[MX_HOST_SIZE + 1];
        snprintf(fq, sizeof fq, "%s.", zone);
        struct pdns_reply r;
        pdns_patch_zone(pub->api, fq, body, &r);
        if (r.status == PDNS_OK)
            publish_flush_later(pub, zone);
        else
            fprintf(stderr, "mxapid: publish: zone %s. not sent again: %s\n", zone, r.error);
    }
    cJSON_Delete(body);
}

long long publish_reassert_due(struct publisher *pub, struct db *db)
{
    long long next = -1;
    for (size_t i = 0; i < pub->n_suspects;) {
        struct suspect *s = &pub->suspects[i];
        long long now = publish_now_ms();
        if (now >= s->until) {
            *s = pub->suspects[--pub->n_suspects];
            continue;
        }
        if (now >= s->next) {
            reassert(pub, db, s->zone);
            s->next = publish_now_ms() + REASSERT_EVERY_MS;
        }
        if (next < 0 || s->next < next)
            next = s->next;
        i++;
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
    if (db_write_begin(db) != 0)
        return;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (names[i].skip != PZ_PUBLISH)
            rc = publish_job_finish(pub, db, names[i].domain, names[i].version,
                                    pz_skip_message(names[i].skip), FAIL_GIVE_UP);
        else
            rc = publish_job_finish(pub, db, names[i].domain, names[i].version, error, mode);
    }
    if (rc != 0)
        db_write_rollback(db);
    else
        db_write_commit(db);
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
    const struct foreign_zone *f = publish_zone_foreign(pub, zone);
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
    if (!publish_zone_owned(pub, zone)) {
        /* Missing in PowerDNS (never created, or deleted meanwhile): create it whole, which
         * carries every name's current MX. */
        struct pz_zone *one = calloc(1, sizeof *one);
        if (!one)
            goto out;
        snprintf(one->name, sizeof one->name, "%s", zone);
        ret = publish_zones_create(pub, db, one, 1, fail);
        free(one);
        if (ret == 0 && !publish_zone_owned(pub, zone))
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
        publish_global_ok(pub, &r);
        publish_flush_later(pub, zone);
        group_finish(pub, db, names, n, NULL, FAIL_KEEP);
        break;
    case PDNS_REJECTED:
        publish_note_contact(pub, &r);
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
        publish_note_contact(pub, &r);
        publish_zone_forget(pub, zone);
        group_finish(pub, db, names, n, r.error, FAIL_BACKOFF);
        break;
    default:
        group_finish(pub, db, names, n, r.error, FAIL_KEEP);
        if (r.timed_out)
            suspect_add(pub, zone);
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
int publish_round_run(struct publisher *pub, struct db *db, struct pdns_reply *fail)
{
    struct due *ds = calloc(BATCH, sizeof *ds);
    sqlite3_stmt *st = ds ? db_stmt(db, SQL_DUE) : NULL;
    if (!st) {
        free(ds);
        return 0;
    }
    sqlite3_bind_int64(st, 1, publish_epoch_ms());
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
        if (db_write_begin(db) != 0)
            continue;
        sqlite3_stmt *g = db_stmt(db, SQL_GONE);
        int grc = SQLITE_ERROR;
        if (g) {
            db_bind_text(g, 1, names[i]);
            db_bind_text(g, 2, now);
            grc = sqlite3_step(g);
            db_release(g);
        }
        if (grc == SQLITE_DONE)
            db_write_commit(db);
        else
            db_write_rollback(db);
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
long long publish_next_due(struct db *db)
{
    sqlite3_stmt *st = db_stmt(db, SQL_NEXT_DUE);
    if (!st)
        return -1;
    long long at = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        long long in = sqlite3_column_int64(st, 0) - publish_epoch_ms();
        at = publish_now_ms() + (in > 0 ? in : 0);
    }
    db_release(st);
    return at;
}
