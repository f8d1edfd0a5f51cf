/* mx_codec_profile: the provider profile as JSON (docs/profile.md) and the API's error
 * envelope. Every profile field is required; hosts must pass the host rules. */
#include "api/mx_codec.h"

#include <arpa/inet.h>
#include <string.h>

#include <cJSON.h>

#include "api/mx_json.h"

static const char *const profile_fields[] = {"name",
                                             "mail_hosts",
                                             "backup_host",
                                             "backup_priority",
                                             "backup_ips",
                                             "backup_helo",
                                             "backup_test_hosts",
                                             "backup_delay_hours",
                                             "backup_retention_days",
                                             "name_servers",
                                             "priority_options",
                                             "max_primary",
                                             "max_backup",
                                             "propagation_hours",
                                             "dns_ttl",
                                             NULL};

/* A host that must satisfy the MX host rules; stored in its A-label form. */
static void check_host(struct mx_json_dec *d, const char *path, char *host)
{
    struct mx_host h;
    enum mx_code code = mx_host_normalize(host, strlen(host), &h);
    if (code != MX_OK)
        mx_json_fail(d, path, code);
    else
        memcpy(host, h.ascii, strlen(h.ascii) + 1);
}

/* The items of a string array; kind says what each string must be. */
enum item_kind { ITEM_HOST, ITEM_NAME, ITEM_IP };

static size_t decode_strings(struct mx_json_dec *d, const cJSON *root, const char *key,
                             enum item_kind kind, char (*out)[MX_HOST_SIZE], size_t size)
{
    char p[MX_JSON_PATH_SIZE];
    const cJSON *arr = mx_json_get_array(d, root, "", key, true);
    if (arr == NULL)
        return 0;
    if (cJSON_GetArraySize(arr) > MX_PROFILE_MAX_ITEMS) {
        mx_json_fail(d, key, MX_JSON_OUT_OF_RANGE);
        return 0;
    }
    size_t n = 0;
    for (const cJSON *it = arr->child; it != NULL; it = it->next, n++) {
        mx_json_path_index(p, key, n);
        if (!cJSON_IsString(it)) {
            mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
            continue;
        }
        size_t len = strlen(it->valuestring);
        if (len >= size || len == 0) {
            mx_json_fail(d, p, len == 0 ? MX_EMPTY : MX_JSON_OUT_OF_RANGE);
            continue;
        }
        memcpy(out[n], it->valuestring, len + 1);
        if (kind == ITEM_HOST) {
            check_host(d, p, out[n]);
        } else if (kind == ITEM_IP) {
            unsigned char addr[16];
            if (inet_pton(AF_INET, out[n], addr) != 1 && inet_pton(AF_INET6, out[n], addr) != 1)
                mx_json_fail(d, p, MX_JSON_BAD_VALUE);
        }
    }
    return n;
}

/* backup_ips has narrower rows than the host arrays: decode through a host-sized buffer. */
static size_t decode_ips(struct mx_json_dec *d, const cJSON *root, struct mx_profile *out)
{
    char tmp[MX_PROFILE_MAX_ITEMS][MX_HOST_SIZE];
    size_t n = decode_strings(d, root, "backup_ips", ITEM_IP, tmp, sizeof(out->backup_ips[0]));
    for (size_t i = 0; i < n; i++)
        memcpy(out->backup_ips[i], tmp[i], sizeof(out->backup_ips[i]));
    return n;
}

static void decode_mail_hosts(struct mx_json_dec *d, const cJSON *root, struct mx_profile *out)
{
    static const char *const fields[] = {"host", "priority", NULL};
    char p[MX_JSON_PATH_SIZE], hp[MX_JSON_PATH_SIZE];
    const cJSON *arr = mx_json_get_array(d, root, "", "mail_hosts", true);
    if (arr == NULL)
        return;
    if (cJSON_GetArraySize(arr) > MX_PROFILE_MAX_ITEMS) {
        mx_json_fail(d, "mail_hosts", MX_JSON_OUT_OF_RANGE);
        return;
    }
    size_t n = 0;
    for (const cJSON *it = arr->child; it != NULL; it = it->next, n++) {
        mx_json_path_index(p, "mail_hosts", n);
        if (!cJSON_IsObject(it)) {
            mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
            continue;
        }
        mx_json_check_fields(d, it, p, fields);
        struct mx_profile_host *h = &out->mail_hosts[n];
        long long prio = 0;
        if (mx_json_get_string(d, it, p, "host", true, false, h->host, sizeof(h->host),
                               MX_NAME_TOO_LONG)) {
            mx_json_path_key(hp, p, "host");
            check_host(d, hp, h->host);
        }
        if (mx_json_get_int(d, it, p, "priority", true, 0, 65535, &prio))
            h->priority = (long)prio;
    }
    out->n_mail_hosts = n;
}

/* An int field in 0..max. */
static void get_small(struct mx_json_dec *d, const cJSON *root, const char *key, long long max,
                      int *out)
{
    long long v;
    if (mx_json_get_int(d, root, "", key, true, 0, max, &v))
        *out = (int)v;
}

enum mx_code mx_profile_from_json(const char *json, size_t len, struct mx_profile *out,
                                  struct mx_problems *errs)
{
    struct mx_json_dec d = {errs, MX_OK};
    char p[MX_JSON_PATH_SIZE];
    memset(out, 0, sizeof(*out));
    cJSON *root = mx_json_parse_object(&d, json, len);
    if (root == NULL)
        goto out;
    mx_json_check_fields(&d, root, "", profile_fields);
    mx_json_get_string(&d, root, "", "name", true, false, out->name, sizeof(out->name),
                       MX_JSON_OUT_OF_RANGE);
    decode_mail_hosts(&d, root, out);
    if (mx_json_get_string(&d, root, "", "backup_host", true, false, out->backup_host,
                           sizeof(out->backup_host), MX_NAME_TOO_LONG))
        check_host(&d, "backup_host", out->backup_host);
    long long v;
    if (mx_json_get_int(&d, root, "", "backup_priority", true, 0, 65535, &v))
        out->backup_priority = (long)v;
    out->n_backup_ips = decode_ips(&d, root, out);
    out->n_backup_helo = decode_strings(&d, root, "backup_helo", ITEM_NAME, out->backup_helo,
                                        sizeof(out->backup_helo[0]));
    out->n_backup_test_hosts =
        decode_strings(&d, root, "backup_test_hosts", ITEM_NAME, out->backup_test_hosts,
                       sizeof(out->backup_test_hosts[0]));
    get_small(&d, root, "backup_delay_hours", 24LL * 365, &out->backup_delay_hours);
    get_small(&d, root, "backup_retention_days", 3650, &out->backup_retention_days);
    out->n_name_servers = decode_strings(&d, root, "name_servers", ITEM_HOST, out->name_servers,
                                         sizeof(out->name_servers[0]));
    const cJSON *arr = mx_json_get_array(&d, root, "", "priority_options", true);
    if (arr != NULL && cJSON_GetArraySize(arr) > MX_PROFILE_MAX_ITEMS) {
        mx_json_fail(&d, "priority_options", MX_JSON_OUT_OF_RANGE);
    } else if (arr != NULL) {
        size_t n = 0;
        for (const cJSON *it = arr->child; it != NULL; it = it->next, n++) {
            mx_json_path_index(p, "priority_options", n);
            if (mx_json_int_value(&d, it, p, 0, 65535, &v))
                out->priority_options[n] = (long)v;
        }
        out->n_priority_options = n;
    }
    get_small(&d, root, "max_primary", MX_PROFILE_MAX_ITEMS, &out->max_primary);
    get_small(&d, root, "max_backup", MX_PROFILE_MAX_ITEMS, &out->max_backup);
    get_small(&d, root, "propagation_hours", 24LL * 365, &out->propagation_hours);
    get_small(&d, root, "dns_ttl", 604800, &out->dns_ttl);
    if (d.first == MX_OK && out->max_primary < 1)
        mx_json_fail(&d, "max_primary", MX_JSON_OUT_OF_RANGE);
    if (d.first == MX_OK && out->dns_ttl < 1)
        mx_json_fail(&d, "dns_ttl", MX_JSON_OUT_OF_RANGE);
out:
    cJSON_Delete(root);
    if (d.first != MX_OK)
        memset(out, 0, sizeof(*out));
    return d.first;
}

static bool add_string_array(cJSON *obj, const char *key, const char *first, size_t stride,
                             size_t n)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, key);
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        cJSON *s = cJSON_CreateString(first + i * stride);
        if (s == NULL || !cJSON_AddItemToArray(arr, s))
            return cJSON_Delete(s), false;
    }
    return true;
}

static bool add_profile_fields(cJSON *root, const struct mx_profile *pr)
{
    if (cJSON_AddStringToObject(root, "name", pr->name) == NULL)
        return false;
    cJSON *hosts = cJSON_AddArrayToObject(root, "mail_hosts");
    if (hosts == NULL)
        return false;
    for (size_t i = 0; i < pr->n_mail_hosts; i++) {
        cJSON *h = cJSON_CreateObject();
        if (h == NULL || !cJSON_AddItemToArray(hosts, h))
            return cJSON_Delete(h), false;
        if (cJSON_AddStringToObject(h, "host", pr->mail_hosts[i].host) == NULL ||
            cJSON_AddNumberToObject(h, "priority", (double)pr->mail_hosts[i].priority) == NULL)
            return false;
    }
    cJSON *opts = NULL;
    bool ok =
        cJSON_AddStringToObject(root, "backup_host", pr->backup_host) != NULL &&
        cJSON_AddNumberToObject(root, "backup_priority", (double)pr->backup_priority) != NULL &&
        add_string_array(root, "backup_ips", pr->backup_ips[0], sizeof(pr->backup_ips[0]),
                         pr->n_backup_ips) &&
        add_string_array(root, "backup_helo", pr->backup_helo[0], sizeof(pr->backup_helo[0]),
                         pr->n_backup_helo) &&
        add_string_array(root, "backup_test_hosts", pr->backup_test_hosts[0],
                         sizeof(pr->backup_test_hosts[0]), pr->n_backup_test_hosts) &&
        cJSON_AddNumberToObject(root, "backup_delay_hours", pr->backup_delay_hours) != NULL &&
        cJSON_AddNumberToObject(root, "backup_retention_days", pr->backup_retention_days) != NULL &&
        add_string_array(root, "name_servers", pr->name_servers[0], sizeof(pr->name_servers[0]),
                         pr->n_name_servers) &&
        (opts = cJSON_AddArrayToObject(root, "priority_options")) != NULL;
    for (size_t i = 0; ok && i < pr->n_priority_options; i++) {
        cJSON *n = cJSON_CreateNumber((double)pr->priority_options[i]);
        ok = n != NULL && cJSON_AddItemToArray(opts, n);
        if (!ok)
            cJSON_Delete(n);
    }
    return ok && cJSON_AddNumberToObject(root, "max_primary", pr->max_primary) != NULL &&
           cJSON_AddNumberToObject(root, "max_backup", pr->max_backup) != NULL &&
           cJSON_AddNumberToObject(root, "propagation_hours", pr->propagation_hours) != NULL &&
           cJSON_AddNumberToObject(root, "dns_ttl", pr->dns_ttl) != NULL;
}

char *mx_profile_to_json(const struct mx_profile *profile)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    bool ok = add_profile_fields(root, profile);
    char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}

char *mx_error_to_json(const char *code, const char *message, const struct mx_problems *details,
                       enum mx_lang lang)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = root ? cJSON_AddObjectToObject(root, "error") : NULL;
    bool ok = err != NULL && cJSON_AddStringToObject(err, "code", code ? code : "") != NULL &&
              cJSON_AddStringToObject(err, "message", message ? message : "") != NULL;
    cJSON *arr = ok ? cJSON_AddArrayToObject(err, "details") : NULL;
    ok = arr != NULL;
    for (size_t i = 0; ok && details != NULL && i < details->count; i++) {
        const struct mx_problem *p = &details->items[i];
        cJSON *it = cJSON_CreateObject();
        ok = it != NULL && cJSON_AddItemToArray(arr, it);
        if (!ok) {
            cJSON_Delete(it);
            break;
        }
        ok = cJSON_AddStringToObject(it, "field", p->field) != NULL &&
             cJSON_AddStringToObject(it, "code", mx_code_name(p->code)) != NULL &&
             cJSON_AddStringToObject(it, "message", mx_code_message(p->code, lang)) != NULL;
    }
    char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}
