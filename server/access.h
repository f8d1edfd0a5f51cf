/* access: the access log — which staff login opened or reached which customer's data, when and
 * from which address — so that support tools that open customer data stay accountable. */
#ifndef ACCESS_H
#define ACCESS_H

#include <stdbool.h>

#include "server/db.h"
#include "server/http.h"
#include "server/store.h"

/* Records that rq's staff session opened customer_id (GET /v1/customers/{cid}/packages); every
 * opening is one entry. Nothing for a customer's own session. Returns 0, or -1 on a database
 * error (the caller answers 500: no access goes unrecorded). */
int access_open(struct request *rq, struct db *db, const char *customer_id);
/* Notes that rq reaches customer_id's data (domains, DNS, MX): a staff session that has not
 * opened that customer is recorded once per session, so the log cannot be walked around.
 * Nothing for a customer's own session. Returns 0, or -1 on a database error. */
int access_reach(struct request *rq, struct db *db, const char *customer_id);
/* The domain of rq's first path segment as rq's actor may see it (store_domain_find), its
 * access noted (access_reach). Returns true when found; otherwise it has replied 404 or 500
 * itself and *r holds the reply's result. */
bool access_domain(struct request *rq, struct db *db, struct store_domain *dom, int *r);

#endif
