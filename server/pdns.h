/* pdns: the HTTP API of PowerDNS Authoritative as the publisher uses it — list zones, create a
 * zone, patch rrsets, ping the server — over one reused libcurl handle. The API key comes from a
 * file and goes only into the X-API-Key header: it is never logged, and every error text is
 * sanitised (printable ASCII, the key cut out) before anyone sees it. One thread at a time. */
#ifndef PDNS_H
#define PDNS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* How one call ended. */
enum pdns_status {
    PDNS_OK,
    PDNS_UNREACHABLE,  /* no answer: connection refused or reset, timeout, name not resolved */
    PDNS_KEY_REFUSED,  /* 401 / 403: the API key is wrong */
    PDNS_SERVER_ERROR, /* 5xx */
    PDNS_NOT_FOUND,    /* 404: no such zone (or server id) */
    PDNS_REJECTED,     /* another 4xx, e.g. 422: PowerDNS refused the data */
    PDNS_BAD_REPLY,    /* an answer that is not what the API promises */
};

/* The outcome of one call. error is "" on success, else one sanitised line for people and logs
 * (never the key). json is the parsed body of a successful call that returns one (list, create);
 * the caller frees it with cJSON_Delete. */
struct pdns_reply {
    enum pdns_status status;
    long http_status; /* 0 when no HTTP answer came */
    bool timed_out;   /* no answer within the deadline: PowerDNS may still carry the call out */
    char error[256];
    cJSON *json;
};

struct pdns;

/* url is the API's base ("http://127.0.0.1:8081", http or https, no path beyond "/"); server_id
 * names the server in the API's paths ("localhost"); the key is read from key_file (one line,
 * printable ASCII without blanks). timeout_ms bounds every call. NULL with the reason on stderr
 * (never the key). */
struct pdns *pdns_new(const char *url, const char *server_id, const char *key_file, int timeout_ms);
/* Frees the client, wiping the key; sets *p to NULL. NULL-safe. */
void pdns_free(struct pdns **p);
/* Reads the key file again (an operator fixed a wrong key). Returns 0, or -1 keeping the old
 * key (reason on stderr). */
int pdns_reload_key(struct pdns *p);

/* GET /api/v1/servers/{id}/zones: out->json is the array of zones (name, account, ...). */
void pdns_list_zones(struct pdns *p, struct pdns_reply *out);
/* POST /api/v1/servers/{id}/zones with zone as the body (201 expected); out->json is the reply. */
void pdns_create_zone(struct pdns *p, const cJSON *zone, struct pdns_reply *out);
/* PATCH /api/v1/servers/{id}/zones/{zone} (zone canonical, trailing dot) with body {"rrsets":…}
 * (204 expected). */
void pdns_patch_zone(struct pdns *p, const char *zone, const cJSON *body, struct pdns_reply *out);
/* PUT /api/v1/servers/{id}/cache/flush?domain={zone}: forgets what PowerDNS cached for the zone
 * (answers given before it existed, such as REFUSED). */
void pdns_flush_cache(struct pdns *p, const char *zone, struct pdns_reply *out);
/* GET /api/v1/servers/{id}: whether PowerDNS answers with this key. */
void pdns_ping(struct pdns *p, struct pdns_reply *out);

/* The wire name of a status ("unreachable"), static. */
const char *pdns_status_name(enum pdns_status status);

#endif
