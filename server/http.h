/* http: the libmicrohttpd glue of mxapid — the daemon, routing, request bodies and their
 * limits, authentication before the body is read, JSON replies and errors, the request log. */
#ifndef HTTP_H
#define HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "api/mx_rules.h"
#include "server/auth.h"
#include "server/server.h"

struct MHD_Connection;

/* Up to this many path segments are captured by '*' in a route pattern. */
#define HTTP_MAX_PARAMS 4

/* One request as a route handler sees it. Everything is owned by the http module and valid
 * for the duration of the handler call. */
struct request {
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body; /* NUL-terminated; body_len bytes (may contain NULs) */
    size_t body_len;
    enum mx_lang lang;              /* from Accept-Language */
    const struct auth_actor *actor; /* NULL on routes without authentication */
    const char *client_ip;
    const char *params[HTTP_MAX_PARAMS]; /* the '*' segments of the route, URL-decoded */
    size_t n_params;
};

/* A route handler: produces exactly one reply through the reply_* functions and returns what
 * they return (libmicrohttpd's MHD_YES / MHD_NO). */
typedef int (*http_handler_fn)(struct request *rq);

struct http;

/* Binds, starts the worker threads and returns the daemon; *port gets the bound port. NULL on
 * error (logged). srv must outlive the daemon. */
struct http *http_start(struct server *srv, int *port);
/* Stops accepting new connections (in-flight requests go on). */
void http_quiesce(struct http *h);
/* Finishes in-flight requests, stops the threads and frees; sets *h to NULL. NULL-safe. */
void http_stop(struct http **h);

/* Replies status with json as body (taken over: freed here; NULL means out of memory, which
 * becomes a 500). etag (may be NULL) is sent as ETag: "<etag>". */
int reply_json(struct request *rq, unsigned status, char *json, const char *etag);
/* Replies status with the cJSON tree printed (the tree stays the caller's). */
int reply_cjson(struct request *rq, unsigned status, const cJSON *root, const char *etag);
/* Replies the error envelope: code (an API error code), its message in rq->lang, details (may
 * be NULL). extra_key/extra (may be NULL) add one member to the error object; extra is taken
 * over. */
int reply_error_ex(struct request *rq, unsigned status, const char *code,
                   const struct mx_problems *details, const char *extra_key, cJSON *extra);
/* reply_error_ex without the extra member. */
int reply_error(struct request *rq, unsigned status, const char *code,
                const struct mx_problems *details);
/* 400 with a single detail (field, codec code). */
int reply_bad_request(struct request *rq, const char *field, enum mx_code code);
/* 204 without a body. */
int reply_no_content(struct request *rq);
/* Adds Retry-After: seconds to the reply this request will send (for 429). */
void request_set_retry_after(struct request *rq, int seconds);

/* A request header (case-insensitive) or NULL. */
const char *request_header(struct request *rq, const char *name);
/* A query-string argument or NULL. */
const char *request_arg(struct request *rq, const char *name);
/* Parses the body as a JSON object with strict limits (depth, size, no NUL). Returns the tree
 * (caller frees with cJSON_Delete) or NULL after replying 400 itself (*replied holds the
 * reply's result). */
cJSON *request_json_object(struct request *rq, int *replied);

#endif
