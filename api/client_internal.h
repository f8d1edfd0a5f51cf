/* client_internal: what the files of the client module (api/client*.c) share and nobody else
 * uses — the result's bookkeeping, the strict JSON readers of the decoders, the request
 * builder and the engine's entry. Not part of the public interface (that is api/client.h). */
#ifndef API_CLIENT_INTERNAL_H
#define API_CLIENT_INTERNAL_H

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/client.h"

/* curl_global_init with the client's allocator, which wipes every block curl frees (login
 * bodies, the token in request headers); client_mem.c. */
CURLcode api_curl_global_init(void);

/* One allocation of a result; the list is freed with the result. */
struct chunk {
    struct chunk *next;
    size_t size;
    max_align_t data[];
};

/* A result's bookkeeping: its allocations, whether the callback kept it, and (login only) the
 * session token until the engine takes it. */
struct api_result_private {
    struct chunk *chunks;
    bool kept;
    char *token;
    size_t token_len;
};

/* Moves the session token out of a successful login result (malloc'd; the result's copy is
 * wiped); NULL when there is none. */
char *api_result_take_token(struct api_result *res);
/* Whether the callback kept res (api_result_keep). */
bool api_result_kept(const struct api_result *res);
/* Releases a result's payload and error (wiping a token) and resets them; keeps the chunks. */
void api_result_clear(struct api_result *res);

/* A decoding in progress: any fault sets bad (a protocol error) or oom, after which every
 * reader does nothing and returns zero values. */
struct api_dec {
    struct api_result *res;
    bool bad;
    bool oom;
};

/* n zeroed elements of size bytes owned by the result, or NULL (oom set). */
void *api_dec_alloc(struct api_dec *d, size_t n, size_t size);
/* A copy of s owned by the result. */
const char *api_dec_strdup(struct api_dec *d, const char *s);
/* The member key of obj; missing or obj not an object is a fault. */
const cJSON *api_dec_item(struct api_dec *d, const cJSON *obj, const char *key);
/* A required string member (a copy), or NULL for JSON null when nullable. */
const char *api_dec_str(struct api_dec *d, const cJSON *obj, const char *key, bool nullable);
/* An integral number in min..max (exactly representable). */
long long api_dec_int_value(struct api_dec *d, const cJSON *it, long long min, long long max);
/* A required integral member in min..max. */
long long api_dec_int(struct api_dec *d, const cJSON *obj, const char *key, long long min,
                      long long max);
/* A required boolean member. */
bool api_dec_bool(struct api_dec *d, const cJSON *obj, const char *key);
/* A required array member; *n gets its length. */
const cJSON *api_dec_arr(struct api_dec *d, const cJSON *obj, const char *key, size_t *n);
/* A required object member. */
const cJSON *api_dec_obj(struct api_dec *d, const cJSON *obj, const char *key);
/* The enum value of a word via from_name (mx_mode_from_name, ...); unknown is a fault. */
int api_dec_word(struct api_dec *d, const char *s, int (*from_name)(const char *));
/* A required array of strings (copies); *n gets its length. */
const char **api_dec_strings(struct api_dec *d, const cJSON *obj, const char *key, size_t *n);
/* An array of {field, code, message}; *n gets its length. */
struct api_detail *api_dec_details(struct api_dec *d, const cJSON *arr, size_t *n);
/* An MX object, full (GET) or the editable fields (edit), through the api/ codec after
 * unknown fields are cut away. */
void api_dec_mx_config(struct api_dec *d, const cJSON *obj, bool edit, struct mx_config *out);
/* The provider profile through the api/ codec after unknown fields are cut away. */
void api_dec_profile(struct api_dec *d, const cJSON *obj, struct mx_profile *out);

/* A growable string for URLs and small JSON bodies; oom sticks. */
struct api_sbuf {
    char *p;
    size_t len;
    size_t cap;
    bool oom;
};

/* Appends n bytes / a string / a number / a JSON string literal / a percent-encoded path
 * segment. */
void api_sb_add(struct api_sbuf *b, const char *s, size_t n);
void api_sb_str(struct api_sbuf *b, const char *s);
void api_sb_long(struct api_sbuf *b, long long v);
void api_sb_json(struct api_sbuf *b, const char *s);
void api_sb_seg(struct api_sbuf *b, const char *s);
/* Wipes and frees the buffer (it may have held a password or the token). */
void api_sb_wipe(struct api_sbuf *b);

/* One request to start: path and body are taken (wiped and emptied) whatever happens. */
struct api_request_spec {
    enum api_call call;
    const char *method;    /* GET, POST, PUT, DELETE */
    struct api_sbuf *path; /* after the base URL, with its query */
    struct api_sbuf *body; /* NULL for none */
    bool wipe_body;        /* login: the body holds the password, the reply the token */
    long long if_match;    /* -1 for none */
};

/* Builds the easy handle and adds it to the multi handle; never touches the network. Returns
 * the request id, or 0 when it could not be started (no callback then). */
uint64_t api_request_start(struct api_client *c, struct api_request_spec *s, api_done_fn *done,
                           void *user);
/* What a transfer without a usable reply left to explain it (client_transport.c). */
struct api_transport {
    int rc;                /* the CURLcode */
    long os_errno;         /* CURLINFO_OS_ERRNO, 0 when none */
    bool connected;        /* the TCP connection was up (CURLINFO_CONNECT_TIME_T > 0) */
    const char *errbuf;    /* curl's error buffer: classified, never shown */
    const char *shown_url; /* the base URL as people may see it (no user or password) */
    long connect_timeout_ms;
    long timeout_ms;
};

/* The status of a transfer that ended with CURLcode rc (!= CURLE_OK). */
enum api_status api_status_for_curl(int rc);
/* Fails res with the status of t->rc; for network, timeout and TLS failures error.message names
 * t->shown_url and the cause in lang ("Cannot reach URL: connection refused"), owned by res. */
void api_transport_fail(struct api_result *res, const struct api_transport *t, enum mx_lang lang);
/* Wipes and forgets the client's session token. */
void api_client_forget_token(struct api_client *c);

#endif
