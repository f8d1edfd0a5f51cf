/* store: domain lookup with ownership, zone records, MX configurations. */
#include "server/store.h"

#include <stdio.h>
#include <string.h>

#include "api/mx_codec.h"
#include "server/dnscheck.h"

static const char SQL_DOMAIN[] =
    "SELECT d.name, d.display_name, d.kind, coalesce(d.parent,''), d.package_id, p.customer_id,"
    " d.ns_mode, d.ns_servers, d.dyndns FROM domains d JOIN packages p ON p.id = d.package_id"
    " WHERE d.name = ?1";

/* True when s is already what the database keys by: lower-case LDH labels, so the common
 * case skips the IDN conversion. */
static bool plain_ascii_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* The A-label key of a path segment into key (no trailing dot). Returns false when the
 * segment cannot be a name. */
static bool domain_key(const char *path_name, char key[MX_HOST_SIZE])
{
    size_t len = strlen(path_name);
    if (len == 0 || len >= MX_HOST_INPUT_MAX)
        return false;
    if (plain_ascii_name(path_name) && len < MX_HOST_SIZE) {
        memcpy(key, path_name, len + 1);
        if (key[len - 1] == '.')
            key[len - 1] = '\0';
        return key[0] != '\0';
    }
    char with_dot[MX_HOST_INPUT_MAX + 2];
    memcpy(with_dot, path_name, len + 1);
    if (path_name[len - 1] != '.') {
        with_dot[len++] = '.';
        with_dot[len] = '\0';
    }
    struct mx_host host;
    if (mx_host_normalize(with_dot, len, &host) != MX_OK)
        return false;
    size_t al = strlen(host.ascii);
    memcpy(key, host.ascii, al + 1);
    if (al && key[al - 1] == '.')
        key[al - 1] = '\0';
    return true;
}

int store_domain_find(struct db *db, const struct auth_actor *actor, const char *path_name,
                      struct store_domain *out)
{
    char key[MX_HOST_SIZE];
    if (!domain_key(path_name, key))
        return 0;
    sqlite3_stmt *st = db_stmt(db, SQL_DOMAIN);
    if (!st)
        return -1;
    db_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        char kind[16], ns_mode[16];
        db_col_text(st, 0, out->name, sizeof out->name);
        db_col_text(st, 1, out->display, sizeof out->display);
        db_col_text(st, 2, kind, sizeof kind);
        out->kind = strcmp(kind, "subdomain") == 0 ? MX_KIND_SUBDOMAIN : MX_KIND_DOMAIN;
        db_col_text(st, 3, out->parent, sizeof out->parent);
        out->package_id = sqlite3_column_int64(st, 4);
        db_col_text(st, 5, out->customer, sizeof out->customer);
        db_col_text(st, 6, ns_mode, sizeof ns_mode);
        out->ns_own = strcmp(ns_mode, "own") == 0;
        db_col_text(st, 7, out->ns_servers, sizeof out->ns_servers);
        out->dyndns = sqlite3_column_int(st, 8) != 0;
        ret = 1;
        if (actor && actor->role != AUTH_ROLE_STAFF && strcmp(actor->customer, out->customer) != 0)
            ret = 0;
    } else if (rc != SQLITE_DONE) {
        ret = -1;
    }
    db_release(st);
    return ret;
}

static const char SQL_HAS_CNAME[] =
    "SELECT 1 FROM records WHERE name = ?1 AND type = 'CNAME' LIMIT 1";

bool store_has_cname(struct db *db, const char *name)
{
    char fq[MX_HOST_SIZE + 1];
    snprintf(fq, sizeof fq, "%s.", name);
    sqlite3_stmt *st = db_stmt(db, SQL_HAS_CNAME);
    if (!st)
        return false;
    db_bind_text(st, 1, fq);
    bool has = sqlite3_step(st) == SQLITE_ROW;
    db_release(st);
    return has;
}

void store_preconditions(struct db *db, const struct store_domain *dom, struct mx_problems *out)
{
    if (dom->kind == MX_KIND_SUBDOMAIN && dom->ns_own)
        mx_problems_add(out, "mode", MX_SUBDOMAIN_FOREIGN_NS);
    if (dom->dyndns)
        mx_problems_add(out, "mode", MX_DYNDNS_ENABLED);
    if (store_has_cname(db, dom->name))
        mx_problems_add(out, "mode", MX_CNAME_ON_NAME);
}

static const char SQL_MX[] =
    "SELECT version, config, updated_at, updated_by, pub_state, pub_version, pub_at, pub_error"
    " FROM mx_configs WHERE domain = ?1";

int store_mx_load(struct db *db, const struct store_domain *dom, const struct mx_profile *profile,
                  struct mx_config *cfg)
{
    mx_config_clear(cfg);
    sqlite3_stmt *st = db_stmt(db, SQL_MX);
    if (!st)
        return -1;
    db_bind_text(st, 1, dom->name);
    int ret = -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *json = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (!json || mx_config_request_from_json(json, len, cfg, NULL) != MX_OK) {
            fprintf(stderr, "mxapid: stored MX configuration of %s is unreadable\n", dom->name);
            goto out;
        }
        cfg->version = sqlite3_column_int64(st, 0);
        db_col_text(st, 2, cfg->updated_at, sizeof cfg->updated_at);
        db_col_text(st, 3, cfg->updated_by, sizeof cfg->updated_by);
        db_col_text(st, 4, cfg->publication.state, sizeof cfg->publication.state);
        cfg->publication.version = sqlite3_column_int64(st, 5);
        db_col_text(st, 6, cfg->publication.at, sizeof cfg->publication.at);
        db_col_text(st, 7, cfg->publication.error, sizeof cfg->publication.error);
    } else if (rc == SQLITE_DONE) {
        cfg->mode = MX_MODE_PROVIDER;
        cfg->version = 1;
        snprintf(cfg->publication.state, sizeof cfg->publication.state, "disabled");
        cfg->publication.version = 1;
    } else {
        goto out;
    }
    snprintf(cfg->domain, sizeof cfg->domain, "%s", dom->name);
    snprintf(cfg->display_name, sizeof cfg->display_name, "%s", dom->display);
    cfg->kind = dom->kind;
    if (mx_config_derive_records(cfg, profile) != 0)
        goto out;
    ret = 0;
out:
    db_release(st);
    return ret;
}

static const char SQL_ZONE_DOMAIN[] = "SELECT ns_mode FROM domains WHERE name = ?1";
static const char SQL_ZONE_RECORDS[] =
    "SELECT type, value FROM records WHERE name = ?1 AND type IN ('A','AAAA','CNAME')";

int store_zone_lookup(void *ctx, const char *host_ascii, struct dns_answer *out)
{
    (void)ctx;
    struct db *db = db_get();
    if (!db)
        return 0;
    size_t len = strlen(host_ascii);
    if (len < 2 || len >= MX_HOST_SIZE || host_ascii[len - 1] != '.')
        return 0;
    char name[MX_HOST_SIZE];
    memcpy(name, host_ascii, len - 1);
    name[len - 1] = '\0';
    /* The closest enclosing name we keep decides: served by us, or delegated elsewhere. */
    int authoritative = -1;
    sqlite3_stmt *st = db_stmt(db, SQL_ZONE_DOMAIN);
    if (!st)
        return 0;
    for (const char *p = name; p && *p && authoritative < 0;) {
        sqlite3_reset(st);
        db_bind_text(st, 1, p);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *mode = (const char *)sqlite3_column_text(st, 0);
            authoritative = mode && strcmp(mode, "provider") == 0;
        }
        p = strchr(p, '.');
        if (p)
            p++;
    }
    db_release(st);
    if (authoritative != 1)
        return 0;
    memset(out, 0, sizeof *out);
    st = db_stmt(db, SQL_ZONE_RECORDS);
    if (!st)
        return 0;
    db_bind_text(st, 1, host_ascii);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *value = (const char *)sqlite3_column_text(st, 1);
        if (!type || !value)
            continue;
        if (strcmp(type, "A") == 0 && out->n_a < 8) {
            snprintf(out->a[out->n_a++], sizeof out->a[0], "%s", value);
            out->has_a = true;
        } else if (strcmp(type, "AAAA") == 0 && out->n_aaaa < 8) {
            snprintf(out->aaaa[out->n_aaaa++], sizeof out->aaaa[0], "%s", value);
            out->has_aaaa = true;
        } else if (strcmp(type, "CNAME") == 0) {
            snprintf(out->cname, sizeof out->cname, "%s", value);
            out->has_cname = true;
        }
    }
    db_release(st);
    return 1;
}
