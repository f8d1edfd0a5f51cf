/* publish_zone: rrsets and zone bodies for PowerDNS from mxapid's database. */
#include "server/publish_zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_rules.h"

const char *pz_zone_of(const struct store_domain *dom)
{
    return dom->kind == MX_KIND_SUBDOMAIN && dom->parent[0] ? dom->parent : dom->name;
}

const char *pz_skip_message(enum pz_skip skip)
{
    switch (skip) {
    case PZ_CNAME:
        return "the name has a CNAME record: no MX records can be published beside it";
    case PZ_DELEGATED:
        return "the name is delegated to its own name servers: its MX records are served there";
    case PZ_PUBLISH:
        break;
    }
    return "";
}

/* name + "." into out (names are stored without the final dot). */
static void canonical(const char *name, char out[MX_HOST_SIZE + 1])
{
    size_t n = strlen(name);
    snprintf(out, MX_HOST_SIZE + 1, "%s%s", name, n && name[n - 1] == '.' ? "" : ".");
}

/* A new rrset {name, type, ttl, [changetype], records: []} appended to arr; returns its records
 * array (NULL on out of memory). */
static cJSON *rrset_add(cJSON *arr, const char *fqdn, const char *type, int ttl, bool patch)
{
    cJSON *rr = cJSON_CreateObject();
    if (!rr || !cJSON_AddItemToArray(arr, rr)) {
        cJSON_Delete(rr);
        return NULL;
    }
    if (!cJSON_AddStringToObject(rr, "name", fqdn) || !cJSON_AddStringToObject(rr, "type", type) ||
        !cJSON_AddNumberToObject(rr, "ttl", ttl) ||
        (patch && !cJSON_AddStringToObject(rr, "changetype", "REPLACE")))
        return NULL;
    return cJSON_AddArrayToObject(rr, "records");
}

static bool record_add(cJSON *records, const char *content)
{
    cJSON *r = cJSON_CreateObject();
    if (!r || !cJSON_AddItemToArray(records, r)) {
        cJSON_Delete(r);
        return false;
    }
    return cJSON_AddStringToObject(r, "content", content) && cJSON_AddFalseToObject(r, "disabled");
}

/* The delegation NS set: the stored servers, space-separated, each made canonical. */
static int delegation_add(cJSON *rrsets, const struct store_domain *dom, int ttl, bool patch)
{
    char fq[MX_HOST_SIZE + 1];
    canonical(dom->name, fq);
    cJSON *recs = rrset_add(rrsets, fq, "NS", ttl, patch);
    if (!recs)
        return -1;
    const char *p = dom->ns_servers;
    while (*p) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (len == 0)
            break;
        char ns[MX_HOST_SIZE + 1];
        if (len < MX_HOST_SIZE) {
            snprintf(ns, sizeof ns, "%.*s%s", (int)len, p, p[len - 1] == '.' ? "" : ".");
            if (!record_add(recs, ns))
                return -1;
        }
        p += len;
    }
    return 0;
}

int pz_name_rrsets(struct db *db, const struct store_domain *dom, const struct mx_profile *prof,
                   bool patch, cJSON *rrsets, struct pz_name *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->domain, sizeof out->domain, "%s", dom->name);
    struct mx_config cfg = {0};
    int ret = -1;
    if (store_mx_load(db, dom, prof, &cfg) != 0)
        goto done;
    out->version = cfg.version;
    if (dom->kind == MX_KIND_SUBDOMAIN && dom->ns_own) {
        out->skip = PZ_DELEGATED;
        ret = delegation_add(rrsets, dom, prof->dns_ttl, patch);
        goto done;
    }
    if (store_has_cname(db, dom->name)) {
        out->skip = PZ_CNAME;
        ret = 0;
        goto done;
    }
    char fq[MX_HOST_SIZE + 1];
    canonical(dom->name, fq);
    cJSON *recs = rrset_add(rrsets, fq, "MX", prof->dns_ttl, patch);
    if (!recs)
        goto done;
    for (size_t i = 0; i < cfg.n_records; i++) {
        char content[MX_HOST_SIZE + 16];
        snprintf(content, sizeof content, "%ld %s", cfg.records[i].priority, cfg.records[i].host);
        if (!record_add(recs, content))
            goto done;
    }
    ret = 0;
done:
    mx_config_clear(&cfg);
    return ret;
}

/* ---- whole zones ---- */

static int zone_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const struct pz_zone *)elem)->name);
}

/* The zone among zones (sorted) that holds name (no trailing dot): the name itself or the
 * closest enclosing one. */
static struct pz_zone *zone_find(struct pz_zone *zones, size_t n, const char *name)
{
    for (const char *p = name; p && *p; p = strchr(p, '.'), p = p ? p + 1 : NULL) {
        struct pz_zone *z = bsearch(p, zones, n, sizeof *zones, zone_cmp);
        if (z)
            return z;
    }
    return NULL;
}

static int name_add(struct pz_zone *z, const char *domain)
{
    struct pz_name *grown = realloc(z->names, (z->n_names + 1) * sizeof *grown);
    if (!grown)
        return -1;
    z->names = grown;
    memset(&grown[z->n_names], 0, sizeof *grown);
    snprintf(grown[z->n_names].domain, sizeof grown->domain, "%s", domain);
    z->n_names++;
    return 0;
}

/* The records array of rrset (owner, type) in z's body, made when new. */
static cJSON *rrset_of(struct pz_zone *z, const char *owner, const char *type, int ttl)
{
    cJSON *rrsets = cJSON_GetObjectItemCaseSensitive(z->body, "rrsets");
    const cJSON *rr;
    cJSON_ArrayForEach(rr, rrsets)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(rr, "name");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(rr, "type");
        if (cJSON_IsString(n) && cJSON_IsString(t) && strcmp(n->valuestring, owner) == 0 &&
            strcmp(t->valuestring, type) == 0)
            return cJSON_GetObjectItemCaseSensitive(rr, "records");
    }
    return rrset_add(rrsets, owner, type, ttl, false);
}

/* A TXT value as DNS presentation: one quoted string, quotes and backslashes escaped. */
static void txt_quote(const char *v, char *out, size_t size)
{
    size_t n = 0;
    out[n++] = '"';
    for (; *v && n + 3 < size; v++) {
        if (*v == '"' || *v == '\\')
            out[n++] = '\\';
        out[n++] = *v;
    }
    out[n++] = '"';
    out[n] = '\0';
}

static const char SQL_ALL_DOMAINS[] = "SELECT name, kind, coalesce(parent, '') FROM domains";
static const char SQL_ALL_RECORDS[] = "SELECT name, type, value FROM records"
                                      " WHERE type IN ('A','AAAA','CNAME','TXT') ORDER BY rowid";

/* SOA and apex NS, the empty skeleton of a zone body. */
static int zone_start(struct pz_zone *z, const struct mx_profile *prof)
{
    char fq[MX_HOST_SIZE + 1];
    canonical(z->name, fq);
    z->body = cJSON_CreateObject();
    cJSON *rrsets = z->body ? cJSON_CreateArray() : NULL;
    if (!rrsets || !cJSON_AddItemToObject(z->body, "rrsets", rrsets)) {
        cJSON_Delete(rrsets);
        return -1;
    }
    if (!cJSON_AddStringToObject(z->body, "name", fq) ||
        !cJSON_AddStringToObject(z->body, "kind", "Native") ||
        !cJSON_AddStringToObject(z->body, "account", PZ_ACCOUNT) ||
        /* Every change through the API raises the serial by one. */
        !cJSON_AddStringToObject(z->body, "soa_edit_api", "INCREASE") ||
        !cJSON_AddArrayToObject(z->body, "nameservers"))
        return -1;
    const char *primary = prof->n_name_servers ? prof->name_servers[0] : fq;
    char soa[2 * MX_HOST_SIZE + 64];
    snprintf(soa, sizeof soa, "%s hostmaster.%s 1 10800 3600 604800 %d", primary, fq,
             prof->dns_ttl);
    cJSON *recs = rrset_add(rrsets, fq, "SOA", prof->dns_ttl, false);
    if (!recs || !record_add(recs, soa))
        return -1;
    if (prof->n_name_servers) {
        recs = rrset_add(rrsets, fq, "NS", prof->dns_ttl, false);
        for (size_t i = 0; recs && i < prof->n_name_servers; i++)
            if (!record_add(recs, prof->name_servers[i]))
                return -1;
        if (!recs)
            return -1;
    }
    return 0;
}

static int zone_records(struct db *db, const struct mx_profile *prof, struct pz_zone *zones,
                        size_t n)
{
    sqlite3_stmt *st = db_stmt(db, SQL_ALL_RECORDS);
    if (!st)
        return -1;
    int ret = 0;
    while (ret == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        const char *value = (const char *)sqlite3_column_text(st, 2);
        if (!name || !type || !value)
            continue;
        char bare[MX_HOST_SIZE];
        snprintf(bare, sizeof bare, "%s", name);
        size_t bl = strlen(bare);
        if (bl && bare[bl - 1] == '.')
            bare[bl - 1] = '\0';
        struct pz_zone *z = zone_find(zones, n, bare);
        if (!z)
            continue;
        char fq[MX_HOST_SIZE + 1], content[1024];
        canonical(bare, fq);
        if (strcmp(type, "TXT") == 0)
            txt_quote(value, content, sizeof content);
        else
            snprintf(content, sizeof content, "%s", value);
        cJSON *recs = rrset_of(z, fq, type, prof->dns_ttl);
        if (!recs || !record_add(recs, content))
            ret = -1;
    }
    db_release(st);
    return ret;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const struct pz_name *)a)->domain, ((const struct pz_name *)b)->domain);
}

int pz_zones_build(struct db *db, const struct mx_profile *prof, struct pz_zone *zones, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (zone_start(&zones[i], prof) != 0)
            return -1;
    /* Which names each zone holds: the domain and its subdomains. */
    sqlite3_stmt *st = db_stmt(db, SQL_ALL_DOMAINS);
    if (!st)
        return -1;
    int ret = 0;
    while (ret == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        const char *parent = (const char *)sqlite3_column_text(st, 2);
        if (!name || !kind || !parent)
            continue;
        const char *zone = strcmp(kind, "subdomain") == 0 && parent[0] ? parent : name;
        struct pz_zone *z = bsearch(zone, zones, n, sizeof *zones, zone_cmp);
        if (z && name_add(z, name) != 0)
            ret = -1;
    }
    db_release(st);
    if (ret != 0 || zone_records(db, prof, zones, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        struct pz_zone *z = &zones[i];
        if (z->n_names > 1)
            qsort(z->names, z->n_names, sizeof *z->names, name_cmp);
        cJSON *rrsets = cJSON_GetObjectItemCaseSensitive(z->body, "rrsets");
        for (size_t k = 0; k < z->n_names; k++) {
            struct store_domain dom;
            if (store_domain_find(db, NULL, z->names[k].domain, &dom) != 1 ||
                pz_name_rrsets(db, &dom, prof, false, rrsets, &z->names[k]) != 0)
                return -1;
        }
    }
    return 0;
}

void pz_zones_free(struct pz_zone *zones, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cJSON_Delete(zones[i].body);
        zones[i].body = NULL;
        free(zones[i].names);
        zones[i].names = NULL;
        zones[i].n_names = 0;
    }
}
