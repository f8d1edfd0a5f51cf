/* routes: the handlers of API v1, one file per resource group; the table in http.c maps
 * method + path to them. Each produces exactly one reply (see http.h). */
#ifndef ROUTES_H
#define ROUTES_H

#include "server/http.h"
#include "server/reply.h"

/* routes_session.c: POST /v1/sessions, DELETE /v1/sessions/current, GET /healthz,
 * GET /v1/provider */
int route_session_create(struct request *rq);
int route_session_delete(struct request *rq);
int route_health(struct request *rq);
int route_provider(struct request *rq);

/* routes_account.c: GET /v1/customers, /v1/customers/{cid}/packages,
 * /v1/packages/{pid}/domains */
int route_customers(struct request *rq);
int route_packages(struct request *rq);
int route_domains(struct request *rq);
/* GET /v1/customers/{cid}/access-log (staff only) */
int route_access_log(struct request *rq);

/* routes_dns.c: GET /v1/domains/{name}/dns */
int route_dns(struct request *rq);

/* routes_check.c: POST /v1/domains/{name}/mx/check */
int route_mx_check(struct request *rq);
/* The DNS check of every primary and backup host of cfg (normalised already): appends a
 * problem on "primary[i].host" / "backup[i].host" to rejects or warns by the verdict's
 * severity. Returns 0, or -1 on internal error. */
int route_check_config(struct server *srv, const struct mx_config *cfg, struct mx_problems *rejects,
                       struct mx_problems *warns);

/* routes_mx.c: GET and PUT /v1/domains/{name}/mx, its history and restore */
int route_mx_get(struct request *rq);
int route_mx_put(struct request *rq);
int route_mx_history(struct request *rq);
int route_mx_restore(struct request *rq);

#endif
