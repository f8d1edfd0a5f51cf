/* publish_zone: what PowerDNS must hold for mxapid's names, built from the database — the MX
 * rrset of a name, a delegation, and whole zones (SOA, NS, the A/AAAA/CNAME/TXT data, every
 * name's MX) for creation. Names go out canonical (trailing dot); TTLs come from the profile.
 * Internal to the publisher (publish.c). */
#ifndef PUBLISH_ZONE_H
#define PUBLISH_ZONE_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "api/mx_model.h"
#include "server/db.h"
#include "server/store.h"

/* The PowerDNS account mxapid creates its zones with: a zone of another account is not
 * mxapid's, and mxapid never touches it. */
#define PZ_ACCOUNT "mxapid"

/* Why a name's MX is not in DNS although mxapid serves its zone. */
enum pz_skip {
    PZ_PUBLISH = 0, /* its MX rrset goes out */
    PZ_CNAME,       /* the name has a CNAME: no MX may stand beside it */
    PZ_DELEGATED,   /* a subdomain with its own name servers: a delegation, MX served there */
};

/* One name of a zone: which configuration version its rrsets carry, or why none. */
struct pz_name {
    char domain[MX_HOST_SIZE];
    long long version;
    enum pz_skip skip;
};

/* A zone to create: name (A-label, no trailing dot), the POST body and the names it covers. */
struct pz_zone {
    char name[MX_HOST_SIZE];
    cJSON *body;
    struct pz_name *names;
    size_t n_names;
};

/* The zone holding dom's records: dom itself for a domain, its parent for a subdomain. */
const char *pz_zone_of(const struct store_domain *dom);

/* Appends to rrsets what dom needs in its zone (REPLACE changes when patch is true): its MX set,
 * or for a delegated subdomain its NS set and no MX; a name with a CNAME gets nothing. *out gets
 * the version and the reason. Returns 0, or -1 on a database error. */
int pz_name_rrsets(struct db *db, const struct store_domain *dom, const struct mx_profile *prof,
                   bool patch, cJSON *rrsets, struct pz_name *out);

/* The sentence stored and shown for a name whose MX cannot be published (static). */
const char *pz_skip_message(enum pz_skip skip);

/* Builds body and names of each zone (names filled in, sorted by name, unique) from one pass over
 * the database. Returns 0, or -1 on a database error or out of memory (bodies then partial: the
 * caller frees them with pz_zones_free either way). */
int pz_zones_build(struct db *db, const struct mx_profile *prof, struct pz_zone *zones, size_t n);
/* Frees bodies and name lists of n zones (the array stays the caller's). */
void pz_zones_free(struct pz_zone *zones, size_t n);

#endif
