/* http: the libmicrohttpd glue of mxapid — the daemon, routing, request bodies and their
 * limits, authentication before the body is read, the request log. Replies: reply.h. */
#ifndef HTTP_H
#define HTTP_H

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
    /* Written by reply.c: the status of the queued reply (0: none yet) and extra headers. */
    unsigned status;
    int retry_after; /* Retry-After seconds when > 0 */
    char allow[64];  /* Allow for a 405 */
    bool close;      /* send Connection: close: the rest of the connection cannot be trusted */
};

/* A route handler: produces exactly one reply through the reply_* functions of reply.h and
 * returns what they return (libmicrohttpd's MHD_YES / MHD_NO). */
typedef int (*http_handler_fn)(struct request *rq);

/* What a parked request runs when it resumes: like a handler, it replies (or parks again). */
typedef int (*http_resume_fn)(struct request *rq, void *state);

/* Parks rq from inside its handler: the connection is suspended (no worker waits for it) until
 * request_resume; then fn(rq, state) runs on a worker thread and replies. free_state (may be
 * NULL) frees state when the request ends. The handler returns MHD_YES without a reply. */
void request_suspend(struct request *rq, http_resume_fn fn, void *state,
                     void (*free_state)(void *));
/* Wakes a parked request; safe from any thread, once per request_suspend. */
void request_resume(struct request *rq);

struct http;

/* Binds, starts the worker threads and returns the daemon; *port gets the bound port. NULL on
 * error (logged). srv must outlive the daemon. */
struct http *http_start(struct server *srv, int *port);
/* Stops accepting new connections (in-flight requests go on). */
void http_quiesce(struct http *h);
/* Waits until no request is in flight, at most timeout_ms. Returns true when none is. */
bool http_drain(struct http *h, int timeout_ms);
/* Finishes in-flight requests, stops the threads and frees; sets *h to NULL. NULL-safe. */
void http_stop(struct http **h);

#endif
