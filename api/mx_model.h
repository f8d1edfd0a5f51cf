/* mx_model: the MX configuration, its entries and the provider profile. Plain data, no I/O. */
#ifndef MX_MODEL_H
#define MX_MODEL_H

#include <stdbool.h>
#include <stddef.h>

/* Longest host name in presentation form: 253 octets, the final dot and a NUL. */
#define MX_HOST_SIZE 256
/* Longest display (U-label) form of a host, in UTF-8 bytes, with its NUL. */
#define MX_DISPLAY_SIZE 1024

/* Who receives mail for a name: the provider's mail system, an own server, or nobody (null MX). */
enum mx_mode { MX_MODE_PROVIDER, MX_MODE_CUSTOM, MX_MODE_NONE };

/* Whether a name is a registered domain or a subdomain of one. */
enum mx_kind { MX_KIND_DOMAIN, MX_KIND_SUBDOMAIN };

/* One MX entry as the dialog shows it: a host (A-label, lower case, trailing dot) and its
 * priority (the MX preference; lower is tried first). */
struct mx_entry {
    char host[MX_HOST_SIZE];
    long priority; /* valid: 0..65535; a decoded value outside that is kept for the validator */
};

/* Publication of a configuration to the authoritative DNS: state is "disabled", "pending",
 * "published" or "failed"; version is the configuration version the state refers to. dns is
 * what the authoritative server answers for the name's MX right now (an owned array, sorted by
 * priority, then host); has_dns is false when it was not asked or gave no answer. */
struct mx_publication {
    char state[16];
    long long version;
    char at[32];     /* RFC 3339 UTC, empty when never */
    char error[256]; /* empty when none */
    bool has_dns;
    struct mx_entry *dns;
    size_t n_dns;
};

/* An MX configuration. primary/backup are owned arrays (free with mx_config_free/clear);
 * records is the derived, read-only effective MX set (mx_config_derive_records). */
struct mx_config {
    char domain[MX_HOST_SIZE];          /* A-label form, no trailing dot */
    char display_name[MX_DISPLAY_SIZE]; /* U-label form for people */
    enum mx_kind kind;
    enum mx_mode mode;
    struct mx_entry *primary;
    size_t n_primary;
    struct mx_entry *backup;
    size_t n_backup;
    bool provider_backup;
    struct mx_entry *records;
    size_t n_records;
    long long version;
    char updated_at[32];
    char updated_by[64];
    struct mx_publication publication;
};

/* The provider's mail host set used in provider mode. */
struct mx_profile_host {
    char host[MX_HOST_SIZE];
    long priority;
};

/* The provider profile: every provider fact the dialog shows or the rules use. Loaded by the
 * server (default or JSON file) and served at GET /v1/provider. Arrays are fixed-size so the
 * profile is one flat, copyable struct. */
#define MX_PROFILE_MAX_ITEMS 16
struct mx_profile {
    char name[64];                                           /* provider name shown in the dialog */
    struct mx_profile_host mail_hosts[MX_PROFILE_MAX_ITEMS]; /* records in provider mode */
    size_t n_mail_hosts;
    char backup_host[MX_HOST_SIZE];            /* the provider's backup MX */
    long backup_priority;                      /* its preference when enabled */
    char backup_ips[MX_PROFILE_MAX_ITEMS][64]; /* source IPs to whitelist */
    size_t n_backup_ips;
    char backup_helo[MX_PROFILE_MAX_ITEMS][MX_HOST_SIZE]; /* HELO names of the backup server */
    size_t n_backup_helo;
    char backup_test_hosts[MX_PROFILE_MAX_ITEMS]
                          [MX_HOST_SIZE]; /* where test connections come from */
    size_t n_backup_test_hosts;
    int backup_delay_hours;    /* may take this long after an outage before it delivers */
    int backup_retention_days; /* keeps mail at most this long */
    char name_servers[MX_PROFILE_MAX_ITEMS][MX_HOST_SIZE]; /* the provider's NS set */
    size_t n_name_servers;
    long priority_options[MX_PROFILE_MAX_ITEMS]; /* what the priority drop-down offers */
    size_t n_priority_options;
    int max_primary; /* entry limits */
    int max_backup;
    int propagation_hours; /* changes may take this long to be active everywhere */
    int dns_ttl;           /* TTL in seconds of the records mxapid publishes */
};

/* Allocates an empty configuration (mode provider, no entries). NULL on out of memory. */
struct mx_config *mx_config_new(void);
/* Frees a configuration and its arrays; sets *cfg to NULL. NULL-safe. */
void mx_config_free(struct mx_config **cfg);
/* Releases the arrays of a configuration held by value and zeroes it. */
void mx_config_clear(struct mx_config *cfg);
/* Deep copy of src into dst (dst is cleared first). Returns 0, or -1 on out of memory. */
int mx_config_copy(struct mx_config *dst, const struct mx_config *src);
/* Replaces *dst with a deep copy of *src (its dns array duplicated, the old one freed): a plain
 * struct assignment would share the array. Returns 0, or -1 on out of memory (*dst unchanged). */
int mx_publication_copy(struct mx_publication *dst, const struct mx_publication *src);
/* Appends an entry to primary (backup == false) or backup. Returns 0, or -1 on out of memory.
 * host is copied (truncated to MX_HOST_SIZE-1 bytes is an error: returns -1). */
int mx_config_add_entry(struct mx_config *cfg, bool backup, const char *host, long priority);

/* The mode's wire name ("provider", "custom", "none"), and the reverse (-1 when unknown). */
const char *mx_mode_name(enum mx_mode mode);
int mx_mode_from_name(const char *name);
/* The kind's wire name ("domain", "subdomain"), and the reverse (-1 when unknown). */
const char *mx_kind_name(enum mx_kind kind);
int mx_kind_from_name(const char *name);

/* The built-in default profile: the values of the provider's help article. */
const struct mx_profile *mx_profile_default(void);

#endif
