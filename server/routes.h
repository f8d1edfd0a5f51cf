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
/* More entries than this were refused by the validator (the profile's limits are lower). */
#define CHECK_MAX_ENTRIES 64
struct dns_answer;
/* The hosts the DNS check of cfg asks for (primaries, then backups; none unless custom) into
 * hosts[CHECK_MAX_ENTRIES]; returns their number. */
size_t route_check_hosts(const struct mx_config *cfg, const char **hosts);
/* The verdicts of answers[0..n) (in route_check_hosts' order): appends a problem on
 * "primary[i].host" / "backup[i].host" to rejects or warns by severity. Returns 0 or -1. */
int route_check_verdicts(const struct mx_config *cfg, const struct dns_answer *answers, size_t n,
                         struct mx_problems *rejects, struct mx_problems *warns);
/* Looks hosts up for rq without holding a worker: answers from the own zones at once, the rest
 * on the DNS event thread while the connection is parked; then fn(rq, state) replies (at once
 * when no lookup was needed). Over --checks-per-session / --checks-total: 429
 * too_many_checks. hosts and answers must live in state; free_state frees it after fn. Returns
 * what a handler returns. */
int route_dns_start(struct request *rq, const char *const *hosts, size_t n,
                    struct dns_answer *answers, http_resume_fn fn, void *state,
                    void (*free_state)(void *));

/* routes_mx.c: GET and PUT /v1/domains/{name}/mx, its history and restore */
int route_mx_get(struct request *rq);
int route_mx_put(struct request *rq);
int route_mx_history(struct request *rq);
int route_mx_restore(struct request *rq);

#endif
