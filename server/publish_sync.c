/* publish_sync: the publisher's view of PowerDNS's zones — which are mxapid's, which belong to
 * another account, creating the missing ones — and the flushes of PowerDNS's cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/publish_int.h"

/* A zone's cache is flushed again these long after its last PATCH (see publish_flush_later). */
#define FLUSH_DELAY_MS      50
#define FLUSH_LAST_DELAY_MS 1000

/* ---- zones ---- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int foreign_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct foreign_zone *)elem)->name);
}

bool publish_zone_owned(const struct publisher *pub, const char *zone)
{
    return pub->n_owned && bsearch(zone, pub->owned, pub->n_owned, sizeof *pub->owned, name_cmp);
}

static int owned_add(struct publisher *pub, const char *zone)
{
    if (publish_zone_owned(pub, zone))
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

void publish_zone_forget(struct publisher *pub, const char *zone)
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
    if (db_write_begin(db) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < z->n_names && rc == 0; i++) {
        const struct pz_name *n = &z->names[i];
        rc = n->skip == PZ_PUBLISH
                 ? publish_job_finish(pub, db, n->domain, n->version, NULL, FAIL_KEEP)
                 : publish_job_finish(pub, db, n->domain, n->version, pz_skip_message(n->skip),
                                      FAIL_GIVE_UP);
    }
    if (rc != 0) {
        db_write_rollback(db);
        return -1;
    }
    if (db_write_commit(db) != 0)
        return -1;
    return owned_add(pub, z->name);
}

/* Creates the n zones (sorted). Returns 0, or -1 when PowerDNS as a whole failed (*fail). */
int publish_zones_create(struct publisher *pub, struct db *db, struct pz_zone *zones, size_t n,
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
            publish_global_ok(pub, &r);
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
            publish_note_contact(pub, &r);
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
int publish_zones_sync(struct publisher *pub, struct db *db, struct pdns_reply *fail)
{
    struct pdns_reply r;
    pdns_list_zones(pub->api, &r);
    if (r.status != PDNS_OK) {
        *fail = r;
        return -1;
    }
    publish_global_ok(pub, &r);
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
            /* The account name came from PowerDNS: it reaches the log and the API sanitised. */
            for (char *c = g[pub->n_foreign].account; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f || *c == '"')
                    *c = '?';
            fprintf(stderr,
                    "mxapid: publish: zone %s. in PowerDNS belongs to account \"%.60s\", not to"
                    " mxapid: left alone, its names are not published\n",
                    zone, g[pub->n_foreign].account);
            pub->n_foreign++;
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
    if (ret == 0 && n_missing)
        ret = publish_zones_create(pub, db, missing, n_missing, fail);
    free(missing);
    if (ret == 0)
        pub->synced = true;
    return ret;
}

const struct foreign_zone *publish_zone_foreign(const struct publisher *pub, const char *zone)
{
    return pub->n_foreign
               ? bsearch(zone, pub->foreign, pub->n_foreign, sizeof *pub->foreign, foreign_cmp)
               : NULL;
}

/* ---- cache flushes ---- */

/* A PATCH purges the zone from PowerDNS's caches when it commits, but a question answered from
 * the old data while the PATCH ran puts the old answer back right after, where it would stay for
 * PowerDNS's cache-ttl (20 s by default). So the zone is flushed again at once, and twice more
 * (50 ms and a second after its last PATCH) for questions that were slower still. The flushes
 * run on a thread of their own with their own connection, so they never hold up the next PATCH.
 * The list is under pub->mu. */
void publish_flush_later(struct publisher *pub, const char *zone)
{
    long long due = publish_now_ms();
    pthread_mutex_lock(&pub->mu);
    size_t i = 0;
    while (i < pub->n_flushes && strcmp(pub->flushes[i].zone, zone) != 0)
        i++;
    if (i == pub->n_flushes) {
        struct flush *g = realloc(pub->flushes, (pub->n_flushes + 1) * sizeof *g);
        if (!g) {
            pthread_mutex_unlock(&pub->mu);
            return;
        }
        pub->flushes = g;
        snprintf(g[i].zone, sizeof g->zone, "%s", zone);
        pub->n_flushes++;
    }
    pub->flushes[i].due = due;
    pub->flushes[i].stage = 0;
    pthread_cond_signal(&pub->flush_cv);
    pthread_mutex_unlock(&pub->mu);
}

/* Flushes zone through api (the worker's own or the flusher's). */
static void flush_with(struct pdns *api, const char *zone)
{
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", zone);
    struct pdns_reply r;
    pdns_flush_cache(api, fq, &r);
    /* Not worth a retry: a stale answer ages out by itself. */
    if (r.status != PDNS_OK)
        fprintf(stderr, "mxapid: publish: cache of zone %s not flushed: %s\n", fq, r.error);
    if (r.status == PDNS_KEY_REFUSED)
        pdns_reload_key(api);
}

void publish_flush_now(struct publisher *pub, const char *zone)
{
    flush_with(pub->api, zone);
}

void *publish_flusher(void *arg)
{
    struct publisher *pub = arg;
    pthread_mutex_lock(&pub->mu);
    while (!pub->stop) {
        long long now = publish_now_ms(), next = -1;
        size_t due = pub->n_flushes;
        for (size_t i = 0; i < pub->n_flushes; i++) {
            if (pub->flushes[i].due <= now) {
                due = i;
                break;
            }
            if (next < 0 || pub->flushes[i].due < next)
                next = pub->flushes[i].due;
        }
        if (due == pub->n_flushes) {
            if (next < 0) {
                pthread_cond_wait(&pub->flush_cv, &pub->mu);
                continue;
            }
            publish_timedwait(&pub->flush_cv, &pub->mu, next - now);
            continue;
        }
        char zone[MX_HOST_SIZE];
        struct flush *f = &pub->flushes[due];
        snprintf(zone, sizeof zone, "%s", f->zone);
        if (f->stage == 0) {
            f->stage = 1;
            f->due = now + FLUSH_DELAY_MS;
        } else if (f->stage == 1) {
            f->stage = 2;
            f->due = now + FLUSH_LAST_DELAY_MS;
        } else {
            *f = pub->flushes[--pub->n_flushes];
        }
        pthread_mutex_unlock(&pub->mu);
        flush_with(pub->flush_api, zone);
        pthread_mutex_lock(&pub->mu);
    }
    pthread_mutex_unlock(&pub->mu);
    return NULL;
}
