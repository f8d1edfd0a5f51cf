/* mx_model: allocation, copying and names of the MX model; the default provider profile. */
#include "api/mx_model.h"

#include <stdlib.h>
#include <string.h>

struct mx_config *mx_config_new(void)
{
    struct mx_config *cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL)
        return NULL;
    cfg->mode = MX_MODE_PROVIDER;
    cfg->kind = MX_KIND_DOMAIN;
    return cfg;
}

void mx_config_clear(struct mx_config *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->primary);
    free(cfg->backup);
    free(cfg->records);
    free(cfg->publication.dns);
    memset(cfg, 0, sizeof(*cfg));
}

void mx_config_free(struct mx_config **cfg)
{
    if (cfg == NULL || *cfg == NULL)
        return;
    mx_config_clear(*cfg);
    free(*cfg);
    *cfg = NULL;
}

/* Duplicates n entries; a zero count yields NULL, which is a valid empty array. */
static int entries_dup(struct mx_entry **dst, const struct mx_entry *src, size_t n)
{
    *dst = NULL;
    if (n == 0)
        return 0;
    *dst = malloc(n * sizeof(**dst));
    if (*dst == NULL)
        return -1;
    memcpy(*dst, src, n * sizeof(**dst));
    return 0;
}

int mx_config_copy(struct mx_config *dst, const struct mx_config *src)
{
    struct mx_config tmp = *src;
    tmp.primary = tmp.backup = tmp.records = tmp.publication.dns = NULL;
    if (entries_dup(&tmp.primary, src->primary, src->n_primary) != 0 ||
        entries_dup(&tmp.backup, src->backup, src->n_backup) != 0 ||
        entries_dup(&tmp.records, src->records, src->n_records) != 0 ||
        entries_dup(&tmp.publication.dns, src->publication.dns, src->publication.n_dns) != 0) {
        mx_config_clear(&tmp);
        return -1;
    }
    if (dst != src)
        mx_config_clear(dst);
    *dst = tmp;
    return 0;
}

int mx_publication_copy(struct mx_publication *dst, const struct mx_publication *src)
{
    struct mx_entry *dns = NULL;
    if (entries_dup(&dns, src->dns, src->n_dns) != 0)
        return -1;
    if (dst == src) {
        free(dns);
        return 0;
    }
    free(dst->dns);
    *dst = *src;
    dst->dns = dns;
    return 0;
}

int mx_config_add_entry(struct mx_config *cfg, bool backup, const char *host, long priority)
{
    size_t len = strlen(host);
    if (len >= MX_HOST_SIZE)
        return -1;
    struct mx_entry **arr = backup ? &cfg->backup : &cfg->primary;
    size_t *n = backup ? &cfg->n_backup : &cfg->n_primary;
    struct mx_entry *grown = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (grown == NULL)
        return -1;
    *arr = grown;
    struct mx_entry *e = &grown[*n];
    memset(e, 0, sizeof(*e));
    memcpy(e->host, host, len + 1);
    e->priority = priority;
    (*n)++;
    return 0;
}

static const char *const mode_names[] = {"provider", "custom", "none"};
static const char *const kind_names[] = {"domain", "subdomain"};

const char *mx_mode_name(enum mx_mode mode)
{
    if ((unsigned)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
        return "unknown";
    return mode_names[mode];
}

int mx_mode_from_name(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
        if (strcmp(name, mode_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *mx_kind_name(enum mx_kind kind)
{
    if ((unsigned)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
        return "unknown";
    return kind_names[kind];
}

int mx_kind_from_name(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
        if (strcmp(name, kind_names[i]) == 0)
            return (int)i;
    return -1;
}

/* The help article's values. Names and addresses are from the documentation ranges on
 * purpose: a real deployment loads its own profile (mxapid --profile FILE). */
static const struct mx_profile default_profile = {
    .name = "Provider",
    .mail_hosts = {{"mx1.provider.example.", 10}, {"mx2.provider.example.", 20}},
    .n_mail_hosts = 2,
    .backup_host = "backup-mx.provider.example.",
    .backup_priority = 90,
    .backup_ips = {"192.0.2.53", "198.51.100.53", "2001:db8:53::1"},
    .n_backup_ips = 3,
    .backup_helo = {"backup-mx1.provider.example", "backup-mx2.provider.example"},
    .n_backup_helo = 2,
    .backup_test_hosts = {"backup-test.provider.example"},
    .n_backup_test_hosts = 1,
    .backup_delay_hours = 4,
    .backup_retention_days = 5,
    .name_servers = {"ns1.provider.example.", "ns2.provider.example.", "ns3.provider.example."},
    .n_name_servers = 3,
    .priority_options = {0, 5, 10, 20, 30, 40, 50, 60, 70, 80},
    .n_priority_options = 10,
    .max_primary = 3,
    .max_backup = 3,
    .propagation_hours = 24,
    .dns_ttl = 3600,
};

const struct mx_profile *mx_profile_default(void)
{
    return &default_profile;
}
