/* store: the domains, their zone records and MX configurations in the database, with the
 * ownership check every route goes through. */
#ifndef STORE_H
#define STORE_H

#include <stdbool.h>

#include "api/mx_model.h"
#include "api/mx_rules.h"
#include "server/auth.h"
#include "server/db.h"

/* Name servers of a delegated name, space-separated, as stored. */
#define STORE_NS_SIZE 1024

/* A domain or subdomain as stored. */
struct store_domain {
    char name[MX_HOST_SIZE];       /* A-label, no trailing dot */
    char display[MX_DISPLAY_SIZE]; /* U-label form */
    enum mx_kind kind;
    char parent[MX_HOST_SIZE]; /* "" for a domain */
    long long package_id;
    char customer[32]; /* the owning customer */
    bool ns_own;       /* delegated to foreign name servers */
    char ns_servers[STORE_NS_SIZE];
    bool dyndns;
};

/* Looks up the name of a path segment (A- or U-label, any case, with or without trailing dot)
 * as actor may see it. Returns 1 when found and visible, 0 when missing or another customer's
 * (the caller answers both alike: 404), -1 on a database error. */
int store_domain_find(struct db *db, const struct auth_actor *actor, const char *path_name,
                      struct store_domain *out);

/* True when the zone data has a CNAME on the name itself (no MX may go there). */
bool store_has_cname(struct db *db, const char *name);

/* Appends one problem on field "mode" per precondition an own mail server breaks on dom. */
void store_preconditions(struct db *db, const struct store_domain *dom, struct mx_problems *out);

/* Loads the full MX configuration of dom into *cfg (cleared first): the editable fields,
 * version, update stamps, publication, and the derived records for profile. A name never
 * configured is version 1 in provider mode. Returns 0, or -1 on error. */
int store_mx_load(struct db *db, const struct store_domain *dom, const struct mx_profile *profile,
                  struct mx_config *cfg);

/* The local lookup dnscheck calls (dnscheck_local_fn): answers for host_ascii (A-label,
 * trailing dot) from the zone records when a provider-served domain of ours contains it.
 * Returns 1 when authoritative (out filled), 0 otherwise. ctx is unused. Thread-safe: uses the
 * calling thread's connection. */
struct dns_answer;
int store_zone_lookup(void *ctx, const char *host_ascii, struct dns_answer *out);

#endif
