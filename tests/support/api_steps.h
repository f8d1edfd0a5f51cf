/* api_steps: the steps the live-server API tests repeat — start a demo mxapid whose DNS checks
 * never leave the machine, log in, read and write MX configurations. */
#ifndef API_STEPS_H
#define API_STEPS_H

#include <stddef.h>

#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"

/* server_proc_start with --resolver 127.0.0.1:<a port nobody listens on> --dns-timeout 500
 * before extra_args, so hosts outside the demo zones are "unverifiable" at once and offline. */
int api_server_start(struct server_proc *sp, const char *const *extra_args);
/* server_proc_restart with the same resolver arguments. */
int api_server_restart(struct server_proc *sp, const char *const *extra_args);

/* Logs in and copies the token into tok. Returns 0 on 201, otherwise the HTTP status (-1 on a
 * transport error). */
int api_login(int port, const char *login, const char *password, char tok[128]);

/* GET /v1/domains/{name}/mx with token: fills etag (with quotes) and returns the version, or -1
 * when the reply was not 200 with an ETag. */
long long api_mx_version(int port, const char *token, const char *name, char etag[64]);

/* PUT /v1/domains/{name}/mx with If-Match etag (NULL: none) and body; fills out. Returns 0 or -1
 * on a transport error. */
int api_mx_put(int port, const char *token, const char *name, const char *etag, const char *body,
               struct http_response *out);

/* The TOTP code (6 digits) for a base32 secret at the current time, into code[7]. Returns 0. */
int api_totp_now(const char *base32_secret, char code[7]);

#endif
