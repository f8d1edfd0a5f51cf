/* http_raw: a minimal HTTP/1.1 client over a plain TCP socket to 127.0.0.1, so tests see exactly
 * what the server sends (no libcurl). Every call has a deadline on connect, send and receive. */
#ifndef HTTP_RAW_H
#define HTTP_RAW_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* Default deadline of one whole request, in milliseconds. */
#define HTTP_RAW_TIMEOUT_MS 10000

/* One response header; name and value are owned by the response. */
struct http_header {
    char *name;
    char *value;
};

/* A parsed response. status is 0 when nothing parseable came back (connection closed, timeout);
 * body is NUL-terminated (body_len excludes the NUL) and never NULL after a successful call.
 * Release with http_response_free. */
struct http_response {
    int status;
    char reason[64];
    struct http_header *headers;
    size_t n_headers;
    char *body;
    size_t body_len;
    cJSON *json; /* body parsed lazily by http_json; owned */
};

/* Connects to 127.0.0.1:port within timeout_ms. Returns a blocking-free socket fd (caller
 * closes) or -1. */
int http_connect(int port, int timeout_ms);
/* Same from a given source address on the loopback network ("127.0.0.5"; NULL: any). */
int http_connect_from(int port, const char *source, int timeout_ms);
/* Reads everything the server sends on fd until it closes the connection. Returns 0 when it
 * closed before the deadline, -1 when it stayed open (or on error); *out gets a malloc'd,
 * NUL-terminated copy of the bytes (caller frees) and *len their count, in both cases. */
int http_read_until_close(int fd, int timeout_ms, char **out, size_t *len);
/* Sends all len bytes on fd before the deadline. Returns 0 or -1. */
int http_send_all(int fd, const void *data, size_t len, int timeout_ms);
/* Reads one full response from fd (Content-Length, chunked, or until close) before the deadline;
 * head_only: the request was HEAD (no body follows). Returns 0 and fills *out (free it), or -1
 * (out is then empty, status 0). */
int http_read_response(int fd, bool head_only, int timeout_ms, struct http_response *out);

/* Sends method path with the given extra header lines ("Name: value", NULL-terminated, may be
 * NULL) and body (may be NULL; Content-Length is added when body is non-NULL), on a fresh
 * connection with Connection: close. Returns 0 and fills *out, or -1. */
int http_request(int port, const char *method, const char *path, const char *const *headers,
                 const char *body, size_t body_len, struct http_response *out);
/* Sends raw bytes on a fresh connection and reads what comes back until the deadline, a full
 * response, or close. Returns 0 when a response was parsed, -1 otherwise (out then has status
 * 0: the server closed the connection or stayed silent). */
int http_raw_exchange(int port, const void *bytes, size_t len, int timeout_ms,
                      struct http_response *out);
/* The usual API call: Authorization: Bearer token (when non-NULL), If-Match (when non-NULL,
 * sent as given), Content-Type: application/json when body is non-NULL. Returns 0 or -1. */
int http_call(int port, const char *method, const char *path, const char *token,
              const char *if_match, const char *body, struct http_response *out);

/* Value of the first header with this name (case-insensitive), or NULL. Owned by r. */
const char *http_header_get(const struct http_response *r, const char *name);
/* The body parsed as JSON (cached in r->json), or NULL when it is not JSON. Owned by r. */
cJSON *http_json(struct http_response *r);
/* error.code of an error body, or NULL. Owned by r. */
const char *http_error_code(struct http_response *r);
/* The string at a dotted path in the JSON body ("actor.role", "error.details.0.field"), or NULL.
 * Numeric segments index arrays. Owned by r. */
const char *http_json_string(struct http_response *r, const char *path);
/* The number at a dotted path, or def when absent or not a number. */
double http_json_number(struct http_response *r, const char *path, double def);
/* The JSON item at a dotted path, or NULL. Owned by r. */
cJSON *http_json_item(struct http_response *r, const char *path);
/* Releases a response and zeroes it. */
void http_response_free(struct http_response *r);

/* POST /v1/sessions {login,password[,otp]}; copies the token into token_out. Returns the HTTP
 * status (201 on success), or -1 on a transport error. otp may be NULL. */
int http_login_otp(int port, const char *login, const char *password, const char *otp,
                   char *token_out, size_t token_size);
/* Same without otp. */
int http_login(int port, const char *login, const char *password, char *token_out,
               size_t token_size);
/* The ETag of GET /v1/domains/{name}/mx, with its quotes, into etag_out. Returns the status. */
int http_get_etag(int port, const char *token, const char *name, char *etag_out, size_t etag_size);

#endif
