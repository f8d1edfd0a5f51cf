/* client: the non-blocking API v1 client of mxtui and mxctl — libcurl's multi interface, typed
 * results, one status enum. Every call starts a request and returns at once; the result arrives
 * through the request's callback from api_client_perform() (or api_request_cancel()), inside the
 * caller's loop. Never touches curses; single-threaded.
 *
 * Decoding is strict on types and required fields, but unknown fields in replies are IGNORED,
 * so a newer server (which may add fields) does not break an older client. Requests the client
 * sends carry only the fields the contract names (docs/api.md). */
#ifndef API_CLIENT_H
#define API_CLIENT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/mx_model.h"
#include "api/mx_rules.h"

/* Replies larger than this many bytes are aborted while they arrive: a protocol error. */
#define API_REPLY_MAX_BYTES ((size_t)4 * 1024 * 1024)

/* Connections to the server at once; further requests queue inside the client (still started,
 * still cancellable). */
#define API_MAX_CONNECTIONS 8

/* Every outcome of a call. */
enum api_status {
    API_OK = 0,
    API_ERR_NETWORK,             /* connection refused or reset, name not resolved */
    API_ERR_TLS,                 /* certificate or host name not verified, handshake failed */
    API_ERR_TIMEOUT,             /* connect or total timeout */
    API_ERR_CANCELLED,           /* api_request_cancel or api_client_free */
    API_ERR_INSECURE,            /* plain http to a non-loopback host without allow_insecure_http */
    API_ERR_UNAUTHORIZED,        /* 401 unauthorized: no or unknown token */
    API_ERR_SESSION_EXPIRED,     /* 401 session_expired */
    API_ERR_INVALID_CREDENTIALS, /* 401 invalid_credentials */
    API_ERR_OTP_REQUIRED,        /* 401 otp_required */
    API_ERR_FORBIDDEN,           /* 403 */
    API_ERR_NOT_FOUND,           /* 404: also another customer's object */
    API_ERR_CONFLICT,            /* 409 stale: error.current holds the server's configuration */
    API_ERR_VALIDATION,          /* 422: error.details holds every problem */
    API_ERR_RATE_LIMITED,        /* 429: error.retry_after in seconds */
    API_ERR_BAD_REQUEST,         /* 400, 405, 413, 415, 428: the client sent what it must not */
    API_ERR_SERVER,              /* 5xx */
    API_ERR_PROTOCOL,            /* a reply that is not what the API promises */
    API_ERR_NO_MEMORY,           /* out of memory while handling the reply */
    API_STATUS_COUNT
};

/* Stable snake_case name of a status ("conflict"); never NULL. */
const char *api_status_name(enum api_status status);
/* One sentence for a person in lang (German with umlauts, or English); static, never NULL. */
const char *api_status_message(enum api_status status, enum mx_lang lang);

/* Which call a result answers. */
enum api_call {
    API_CALL_LOGIN,
    API_CALL_LOGOUT,
    API_CALL_CUSTOMERS,
    API_CALL_PACKAGES,
    API_CALL_DOMAINS,
    API_CALL_DNS,
    API_CALL_MX_GET,
    API_CALL_MX_PUT,
    API_CALL_MX_CHECK,
    API_CALL_HISTORY,
    API_CALL_RESTORE,
    API_CALL_PROVIDER,
    API_CALL_HEALTH,
    API_CALL_ACCESS_LOG,
    API_CALL_COUNT
};

/* One field problem of a 400/422 reply, or one warning of a PUT: strings as the server sent
 * them (unsanitised). code_value is mx_code_from_name(code), -1 for a code this client does not
 * know. */
struct api_detail {
    const char *field;
    const char *code;
    const char *message;
    int code_value;
};

/* What went wrong, when status != API_OK. message is never NULL: the server's message when it
 * sent one, else api_status_message in the client's language. */
struct api_error {
    long http_status; /* 0 when no HTTP reply came */
    const char *code; /* the server's error.code, "" when none */
    const char *message;
    struct api_detail *details; /* 400/422 */
    size_t n_details;
    struct mx_config *current; /* 409: the server's current configuration, else NULL */
    long retry_after;          /* 429: seconds from Retry-After, -1 when absent */
};

/* The person behind a session. customer is NULL for staff. */
struct api_actor {
    const char *login;
    const char *role; /* "customer" or "staff" */
    const char *customer;
    const char *name;
    bool staff;
};

/* POST /v1/sessions. The token itself stays inside the client (memory only). */
struct api_session {
    long expires_in;
    struct api_actor actor;
};

struct api_customer {
    const char *id;
    const char *name;
    long packages;
    const char *matched_domain; /* U-label form of the first domain that matched the query; NULL
                                   when the customer matched by number or name */
};

/* GET /v1/customers?q= */
struct api_customers {
    struct api_customer *items;
    size_t count;
};

struct api_package {
    long long id;
    const char *name;
    long domains;
};

/* GET /v1/customers/{cid}/packages */
struct api_packages {
    const char *customer_id;
    const char *customer_name;
    struct api_package *items;
    size_t count;
};

struct api_domain {
    const char *name;         /* A-label form */
    const char *display_name; /* U-label form */
    enum mx_kind kind;
    const char *parent; /* NULL for a domain */
    enum mx_mode mx_mode;
};

/* GET /v1/packages/{pid}/domains */
struct api_domains {
    long long package_id;
    const char *package_name;
    long total;
    long offset;
    long limit;
    struct api_domain *items;
    size_t count;
};

/* An effective MX record as the DNS overview shows it. */
struct api_mx_record {
    long priority;
    const char *host;
};

/* Why an own mail server is not possible here (code as sent, message for people). */
struct api_reason {
    const char *code;
    const char *message;
};

/* GET /v1/domains/{name}/dns */
struct api_dns {
    const char *domain;
    const char *display_name;
    enum mx_kind kind;
    bool ns_own; /* ns.mode "own" (false: "provider") */
    const char **ns_servers;
    size_t n_ns_servers;
    const char **a;
    size_t n_a;
    const char **aaaa;
    size_t n_aaaa;
    const char *cname; /* NULL when none */
    const char **txt;
    size_t n_txt;
    bool dyndns;
    enum mx_mode mx_mode;
    struct api_mx_record *mx_records;
    size_t n_mx_records;
    long mailboxes; /* the provider's mail system holds this many for exactly this name */
    long forwards;
    bool own_mail_possible;
    struct api_reason *reasons;
    size_t n_reasons;
};

/* GET, PUT and restore of /v1/domains/{name}/mx. etag is the ETag header as sent (with its
 * quotes, "" when absent); warnings come with PUT/restore only. */
struct api_mx {
    struct mx_config config;
    char etag[64];
    struct api_detail *warnings;
    size_t n_warnings;
};

/* One host of POST /v1/domains/{name}/mx/check. */
struct api_check_result {
    const char *host;
    const char *display;
    const char **a;
    size_t n_a;
    const char **aaaa;
    size_t n_aaaa;
    const char *cname; /* NULL when none */
    enum mx_severity verdict;
    const char *code;
    int code_value; /* mx_code_from_name(code), -1 when unknown */
    const char *message;
};

struct api_check {
    struct api_check_result *items;
    size_t count;
};

/* One audit entry. before/after hold the editable fields only (mode, primary, backup,
 * provider_backup); has_before is false when the server sent null. */
struct api_history_entry {
    long long id;
    long long version;
    const char *at;
    const char *actor;
    const char *on_behalf_of; /* NULL when none */
    const char *action;       /* "create", "update" or "restore" */
    const char *reason;       /* the reason given with the change, NULL when none */
    bool has_before;
    struct mx_config before;
    struct mx_config after;
};

/* GET /v1/domains/{name}/mx/history */
struct api_history {
    long total;
    struct api_history_entry *items;
    size_t count;
};

/* One entry of a customer's access log: a staff session that opened the customer (via "open")
 * or reached its data without opening it first (via "direct", once per session). */
struct api_access_entry {
    long long id;
    const char *at;         /* RFC 3339 UTC */
    const char *staff;      /* the staff login */
    const char *staff_name; /* its display name */
    const char *address;    /* the client address the request came from */
    const char *via;        /* "open" or "direct" */
};

/* GET /v1/customers/{cid}/access-log, newest first. */
struct api_access_log {
    const char *customer_id;
    const char *customer_name;
    long total;
    long offset;
    long limit;
    struct api_access_entry *items;
    size_t count;
};

/* The outcome of one request. Exactly one of the payload pointers is set when status is API_OK
 * (none for logout and health); error is meaningful otherwise. All strings and arrays live as
 * long as the result. The result belongs to the client and is freed after the callback returns,
 * unless the callback keeps it with api_result_keep (then the caller frees it). */
struct api_result {
    uint64_t id;
    enum api_call call;
    enum api_status status;
    long http_status;
    struct api_error error;
    struct api_session *session;
    struct api_customers *customers;
    struct api_packages *packages;
    struct api_domains *domains;
    struct api_dns *dns;
    struct api_mx *mx; /* MX_GET, MX_PUT, RESTORE */
    struct api_check *check;
    struct api_history *history;
    struct mx_profile *profile;
    struct api_access_log *access_log;
    struct api_result_private *priv; /* the client's bookkeeping; do not touch */
};

/* The completion callback: called exactly once per started request, from api_client_perform,
 * api_request_cancel or api_client_free; never from the call that started the request. It may
 * start or cancel other requests (also ones that ended in the same api_client_perform but were
 * not called back yet: they get API_ERR_CANCELLED), and may free the client (every other request
 * is then called back with API_ERR_CANCELLED; the client itself goes when perform returns). */
typedef void api_done_fn(struct api_result *res, void *user);

/* Takes ownership of res inside its callback: the client will not free it. Returns res. */
struct api_result *api_result_keep(struct api_result *res);
/* Frees a kept result and everything it holds; sets *res to NULL. NULL-safe. */
void api_result_free(struct api_result **res);

/* How to reach the server. Zero values mean the defaults. */
struct api_client_options {
    const char *base_url;     /* "https://host[:port]" (a path prefix is allowed); copied */
    const char *cacert;       /* PEM file of CAs to trust instead of the system's; copied */
    bool allow_insecure_http; /* plain http to a host that is not loopback; off by default */
    long connect_timeout_ms;  /* default 10000 */
    long timeout_ms;          /* whole request, default 30000 */
    enum mx_lang lang;        /* Accept-Language and client-side messages */
    size_t max_reply_bytes;   /* default API_REPLY_MAX_BYTES */
};

struct api_client;

/* Creates a client. Checks the URL: NULL with *err = API_ERR_INSECURE for http:// to a host
 * that is not 127.0.0.0/8, ::1 or localhost (unless allow_insecure_http), API_ERR_BAD_REQUEST
 * for an unusable URL, API_ERR_NO_MEMORY. err may be NULL. */
struct api_client *api_client_new(const struct api_client_options *opt, enum api_status *err);
/* Cancels every request in flight (each callback gets API_ERR_CANCELLED), wipes the token,
 * frees the client and sets *c to NULL. NULL-safe. */
void api_client_free(struct api_client **c);

/* Waits until the network needs the client, one of fds (at most 16) is ready (revents filled
 * in, POLLIN / POLLPRI / POLLOUT only), api_client_wakeup is called, or timeout_ms passed (capped
 * by the client's own timers; negative: no limit of the caller's, as for poll(2)). Returns the
 * number of ready descriptors of fds, or -1 on error. This is the loop's only blocking call. */
int api_client_poll(struct api_client *c, struct pollfd *fds, size_t n_fds, int timeout_ms);
/* Lets the client work without waiting: moves transfers on and calls the callbacks of the ones
 * that finished. Returns the number of requests still in flight. */
size_t api_client_perform(struct api_client *c);
/* Milliseconds until the client wants api_client_perform called even without network activity,
 * -1 when it has no timer. */
long api_client_timeout_ms(struct api_client *c);
/* Requests in flight. */
size_t api_client_pending(const struct api_client *c);
/* Makes a running or the next api_client_poll return at once (curl_multi_wakeup; safe from
 * another thread). */
void api_client_wakeup(struct api_client *c);
/* Cancels a request in flight: its callback runs now, synchronously, with API_ERR_CANCELLED.
 * Returns true when the request was in flight (false: unknown or already completed). */
bool api_request_cancel(struct api_client *c, uint64_t id);

/* Whether the client holds a session token. */
bool api_client_logged_in(const struct api_client *c);
/* The language of Accept-Language and the client's own messages. */
void api_client_set_lang(struct api_client *c, enum mx_lang lang);

/* The calls. Each returns the request id (> 0) at once, or 0 when the request could not be
 * started (out of memory or a NULL/oversized argument; the callback is then never called).
 * Strings are copied; names may be A-label or UTF-8 U-label form (percent-encoded here). */

/* POST /v1/sessions; otp may be NULL. On success the client keeps the token (memory only). The
 * password is wiped from the client's buffers when the request ends. */
uint64_t api_start_login(struct api_client *c, const char *login, const char *password,
                         const char *otp, api_done_fn *done, void *user);
/* DELETE /v1/sessions/current; the client forgets (wipes) its token at once. */
uint64_t api_start_logout(struct api_client *c, api_done_fn *done, void *user);
/* GET /v1/customers?q= (staff only): customers whose number starts with query, whose name
 * contains it, or who own a domain or subdomain whose name contains it (either form, any case). */
uint64_t api_start_customers(struct api_client *c, const char *query, api_done_fn *done,
                             void *user);
/* GET /v1/customers/{cid}/packages */
uint64_t api_start_packages(struct api_client *c, const char *customer_id, api_done_fn *done,
                            void *user);
/* GET /v1/packages/{pid}/domains; filter may be NULL or ""; limit 0 means the server default. */
uint64_t api_start_domains(struct api_client *c, long long package_id, const char *filter,
                           long offset, long limit, api_done_fn *done, void *user);
/* GET /v1/domains/{name}/dns */
uint64_t api_start_dns(struct api_client *c, const char *name, api_done_fn *done, void *user);
/* GET /v1/domains/{name}/mx; the result carries the config and its ETag. */
uint64_t api_start_mx_get(struct api_client *c, const char *name, api_done_fn *done, void *user);
/* PUT /v1/domains/{name}/mx with the editable fields of cfg and If-Match: "<version>", where
 * version is the version of the configuration the caller read (its ETag): the caller, not the
 * client, remembers what it read, so two editors in one client cannot mix their versions.
 * reason (a ticket reference or a few words; NULL or "" sends none) goes into the audit entry;
 * staff must give one (422 reason_required), see mx_reason_check. */
uint64_t api_start_mx_put(struct api_client *c, const char *name, const struct mx_config *cfg,
                          long long version, const char *reason, api_done_fn *done, void *user);
/* POST /v1/domains/{name}/mx/check for n hosts (1..16). */
uint64_t api_start_mx_check(struct api_client *c, const char *name, const char *const *hosts,
                            size_t n, api_done_fn *done, void *user);
/* GET /v1/domains/{name}/mx/history; limit 0 means the server default. */
uint64_t api_start_history(struct api_client *c, const char *name, long offset, long limit,
                           api_done_fn *done, void *user);
/* POST /v1/domains/{name}/mx/history/{entry_id}/restore with If-Match: "<version>" and, when
 * reason is neither NULL nor "", the body {"reason": reason} (as for api_start_mx_put). */
uint64_t api_start_restore(struct api_client *c, const char *name, long long entry_id,
                           long long version, const char *reason, api_done_fn *done, void *user);
/* GET /v1/customers/{cid}/access-log (staff only: API_ERR_FORBIDDEN for customers,
 * API_ERR_NOT_FOUND for an unknown customer); limit 0 means the server default. */
uint64_t api_start_access_log(struct api_client *c, const char *customer_id, long offset,
                              long limit, api_done_fn *done, void *user);
/* GET /v1/provider */
uint64_t api_start_provider(struct api_client *c, api_done_fn *done, void *user);
/* GET /healthz */
uint64_t api_start_health(struct api_client *c, api_done_fn *done, void *user);

/* Decodes one HTTP reply of a call into res (status, error, payload), as the client does when a
 * transfer ends; used by the client and the fuzzer. body need not be NUL-terminated; etag and
 * retry_after are the header values or NULL. res must come from api_result_new. Never crashes
 * on any input; anything off-contract is API_ERR_PROTOCOL. Returns res->status. */
enum api_status api_reply_decode(struct api_result *res, long http_status, const char *body,
                                 size_t len, const char *etag, const char *retry_after,
                                 enum mx_lang lang);
/* The version in an ETag header value ("\"7\"" -> 7); -1 when it is not one. */
long long api_etag_version(const char *etag);
/* Allocates an empty result for call (status API_OK, no payload). NULL on out of memory. */
struct api_result *api_result_new(enum api_call call);
/* Sets res to a failure without HTTP reply (status, message from api_status_message). */
void api_result_fail(struct api_result *res, enum api_status status, enum mx_lang lang);

#endif
