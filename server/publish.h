/* publish: the seam to the authoritative DNS (PowerDNS). Every saved MX change records a
 * publication job in the same transaction. Without a PowerDNS URL (today's only setting) the
 * job's state is "disabled" and nothing else happens; a publisher worker would take jobs in
 * state "pending", PATCH the MX rrset and set "published" or "failed". */
#ifndef PUBLISH_H
#define PUBLISH_H

#include "server/db.h"

/* Inserts the job for domain at version (inside the caller's open transaction). Returns the
 * state the job starts in (static string), or NULL on a database error. */
const char *publish_enqueue(struct db *db, const char *domain, long long version, const char *now);

#endif
