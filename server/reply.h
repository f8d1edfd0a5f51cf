/* reply: what a route answers — JSON bodies, the error envelope of API v1 with messages in the
 * request's language — and what it reads: headers, query arguments, a strict JSON body. */
#ifndef REPLY_H
#define REPLY_H

#include <cjson/cJSON.h>

#include "api/mx_rules.h"
#include "server/http.h"

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
/* 400 for a body the codec refused with code rc: faults of the text itself (json_syntax,
 * json_too_deep, json_too_large) are the error code, faults of fields are bad_request; details
 * are errs (may be empty: then one detail with rc). */
int reply_decode_error(struct request *rq, enum mx_code rc, struct mx_problems *errs);
/* Writes status with the error envelope of code straight to the socket fd and closes its
 * sending side, for the one case libmicrohttpd has no way to answer: a body that must be cut
 * off while it is still being received (plain HTTP only; TLS would need the library's
 * session). Returns 0 when all of it was written (rq->status is then status), -1 otherwise. */
int reply_error_raw(struct request *rq, int fd, unsigned status, const char *reason,
                    const char *code);
/* 204 without a body. */
int reply_no_content(struct request *rq);
/* Adds Retry-After: seconds to the reply this request will send (for 429). */
void request_set_retry_after(struct request *rq, int seconds);

/* A request header (case-insensitive) or NULL. */
const char *request_header(struct request *rq, const char *name);
/* A query-string argument or NULL. */
const char *request_arg(struct request *rq, const char *name);
/* An integer query argument within [min, max] (min >= 0) into *out; def when absent. Returns
 * false when present but not such a number (digits only: no sign, blank or prefix). */
bool request_int_arg(struct request *rq, const char *name, long def, long min, long max, long *out);
/* An id of a path segment: digits without a leading zero, 1..LLONG_MAX. Returns 0 when s is no
 * such number (the caller answers 404: "+1", " 1" or "01" name nothing). */
long long request_path_id(const char *s);
/* True when Content-Type is application/json (any case, parameters after ';' allowed). */
bool request_is_json(struct request *rq);
/* RFC 9112 6.3: a body whose end two readers could see in different places (Content-Length
 * twice, beside Transfer-Encoding, or a coding other than chunked) is answered 400 on that
 * header with Connection: close, so that no part of it can run as another request. Returns
 * true when it replied (*result holds the reply's result). */
bool request_framing_refused(struct request *rq, int *result);
/* Parses the body as a JSON object with strict limits (depth, size, no NUL). Returns the tree
 * (caller frees with cJSON_Delete) or NULL after replying 400 itself (*replied holds the
 * reply's result). */
cJSON *request_json_object(struct request *rq, int *replied);

#endif
