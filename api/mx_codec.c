/* mx_codec: the MX configuration as JSON (docs/api.md), strict in what it reads. The profile
 * and the error envelope are in mx_codec_profile.c; the strict helpers in mx_json.c. */
#include "api/mx_codec.h"

#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "api/mx_json.h"

/* More entries than this in one list cannot be a real configuration. */
#define ENTRIES_MAX 256
/* The decoder keeps out-of-range priorities for the validator, within these bounds. */
#define PRIORITY_DECODE_MIN (-2147483648LL)
#define PRIORITY_DECODE_MAX 2147483647LL
#define VERSION_MAX         9007199254740992LL

/* Decodes an array of {host, priority} at path into a malloc'd array. */
static void decode_entries(struct mx_json_dec *d, const cJSON *arr, const char *path,
                           const char *const *fields, struct mx_entry **out, size_t *n)
{
    char p[MX_JSON_PATH_SIZE];
    size_t count = (size_t)cJSON_GetArraySize(arr);
    *out = NULL;
    *n = 0;
    if (count > ENTRIES_MAX) {
        mx_json_fail(d, path, MX_JSON_OUT_OF_RANGE);
        return;
    }
    if (count == 0)
        return;
    struct mx_entry *e = calloc(count, sizeof(*e));
    if (e == NULL) {
        mx_json_fail(d, path, MX_JSON_TOO_LARGE);
        return;
    }
    size_t i = 0;
    for (const cJSON *it = arr->child; it != NULL; it = it->next, i++) {
        mx_json_path_index(p, path, i);
        if (!cJSON_IsObject(it)) {
            mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
            continue;
        }
        mx_json_check_fields(d, it, p, fields);
        long long prio = 0;
        mx_json_get_string(d, it, p, "host", true, false, e[i].host, sizeof(e[i].host),
                           MX_NAME_TOO_LONG);
        if (mx_json_get_int(d, it, p, "priority", true, PRIORITY_DECODE_MIN, PRIORITY_DECODE_MAX,
                            &prio))
            e[i].priority = (long)prio;
    }
    *out = e;
    *n = count;
}

static const char *const entry_fields[] = {"host", "priority", NULL};

/* mode, primary, backup, provider_backup: shared by both decoders. */
static void decode_editable(struct mx_json_dec *d, const cJSON *root, struct mx_config *cfg,
                            bool all_required)
{
    char mode[16];
    if (mx_json_get_string(d, root, "", "mode", true, false, mode, sizeof(mode),
                           MX_JSON_BAD_VALUE)) {
        int m = mx_mode_from_name(mode);
        if (m < 0)
            mx_json_fail(d, "mode", MX_JSON_BAD_VALUE);
        else
            cfg->mode = (enum mx_mode)m;
    }
    const cJSON *arr = mx_json_get_array(d, root, "", "primary", all_required);
    if (arr != NULL)
        decode_entries(d, arr, "primary", entry_fields, &cfg->primary, &cfg->n_primary);
    arr = mx_json_get_array(d, root, "", "backup", all_required);
    if (arr != NULL)
        decode_entries(d, arr, "backup", entry_fields, &cfg->backup, &cfg->n_backup);
    mx_json_get_bool(d, root, "", "provider_backup", all_required, &cfg->provider_backup);
}

static const char *const publication_fields[] = {"state", "version", "at", "error", "dns", NULL};
static const char *const warning_fields[] = {"field", "code", "message", NULL};

static void decode_publication(struct mx_json_dec *d, const cJSON *pub, struct mx_publication *out)
{
    static const char *const states[] = {"disabled", "pending", "published", "failed", NULL};
    if (!cJSON_IsObject(pub)) {
        mx_json_fail(d, "publication", MX_JSON_WRONG_TYPE);
        return;
    }
    mx_json_check_fields(d, pub, "publication", publication_fields);
    if (mx_json_get_string(d, pub, "publication", "state", true, false, out->state,
                           sizeof(out->state), MX_JSON_BAD_VALUE)) {
        bool known = false;
        for (size_t i = 0; states[i] != NULL && !known; i++)
            known = strcmp(states[i], out->state) == 0;
        if (!known)
            mx_json_fail(d, "publication.state", MX_JSON_BAD_VALUE);
    }
    mx_json_get_int(d, pub, "publication", "version", true, 0, VERSION_MAX, &out->version);
    mx_json_get_string(d, pub, "publication", "at", false, true, out->at, sizeof(out->at),
                       MX_JSON_OUT_OF_RANGE);
    mx_json_get_string(d, pub, "publication", "error", false, true, out->error, sizeof(out->error),
                       MX_JSON_OUT_OF_RANGE);
    /* Optional: null (or absent) when the authoritative server was not asked or gave no answer. */
    const cJSON *dns = cJSON_GetObjectItemCaseSensitive(pub, "dns");
    if (dns != NULL && !cJSON_IsNull(dns)) {
        if (!cJSON_IsArray(dns)) {
            mx_json_fail(d, "publication.dns", MX_JSON_WRONG_TYPE);
            return;
        }
        decode_entries(d, dns, "publication.dns", entry_fields, &out->dns, &out->n_dns);
        out->has_dns = true;
    }
}

/* "warnings" belong to a PUT reply; they are checked for shape and not kept. */
static void check_warnings(struct mx_json_dec *d, const cJSON *arr)
{
    char p[MX_JSON_PATH_SIZE], buf[MX_DISPLAY_SIZE];
    size_t i = 0;
    for (const cJSON *it = arr->child; it != NULL; it = it->next, i++) {
        mx_json_path_index(p, "warnings", i);
        if (!cJSON_IsObject(it)) {
            mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
            continue;
        }
        mx_json_check_fields(d, it, p, warning_fields);
        for (size_t k = 0; warning_fields[k] != NULL; k++)
            mx_json_get_string(d, it, p, warning_fields[k], true, false, buf, sizeof(buf),
                               MX_JSON_OUT_OF_RANGE);
    }
}

static const char *const config_fields[] = {
    "domain",     "display_name",    "kind",     "mode",    "primary",
    "backup",     "provider_backup", "records",  "version", "updated_at",
    "updated_by", "publication",     "warnings", NULL};

enum mx_code mx_config_from_json(const char *json, size_t len, struct mx_config *out,
                                 struct mx_problems *errs)
{
    struct mx_json_dec d = {errs, MX_OK};
    cJSON *root = mx_json_parse_object(&d, json, len);
    if (root == NULL)
        goto out;
    mx_json_check_fields(&d, root, "", config_fields);
    mx_json_get_string(&d, root, "", "domain", true, false, out->domain, sizeof(out->domain),
                       MX_NAME_TOO_LONG);
    if (!mx_json_get_string(&d, root, "", "display_name", false, false, out->display_name,
                            sizeof(out->display_name), MX_NAME_TOO_LONG))
        memcpy(out->display_name, out->domain, sizeof(out->domain));
    char kind[16];
    if (mx_json_get_string(&d, root, "", "kind", false, false, kind, sizeof(kind),
                           MX_JSON_BAD_VALUE)) {
        int k = mx_kind_from_name(kind);
        if (k < 0)
            mx_json_fail(&d, "kind", MX_JSON_BAD_VALUE);
        else
            out->kind = (enum mx_kind)k;
    }
    decode_editable(&d, root, out, true);
    const cJSON *arr = mx_json_get_array(&d, root, "", "records", false);
    if (arr != NULL)
        decode_entries(&d, arr, "records", entry_fields, &out->records, &out->n_records);
    mx_json_get_int(&d, root, "", "version", true, 0, VERSION_MAX, &out->version);
    mx_json_get_string(&d, root, "", "updated_at", false, true, out->updated_at,
                       sizeof(out->updated_at), MX_JSON_OUT_OF_RANGE);
    mx_json_get_string(&d, root, "", "updated_by", false, true, out->updated_by,
                       sizeof(out->updated_by), MX_JSON_OUT_OF_RANGE);
    const cJSON *pub = cJSON_GetObjectItemCaseSensitive(root, "publication");
    if (pub != NULL)
        decode_publication(&d, pub, &out->publication);
    arr = mx_json_get_array(&d, root, "", "warnings", false);
    if (arr != NULL)
        check_warnings(&d, arr);
out:
    cJSON_Delete(root);
    if (d.first != MX_OK)
        mx_config_clear(out);
    return d.first;
}

static const char *const request_fields[] = {"mode", "primary", "backup", "provider_backup", NULL};
static const char *const change_fields[] = {"mode",   "primary", "backup", "provider_backup",
                                            "reason", NULL};
static const char *const reason_fields[] = {"reason", NULL};

/* The optional "reason" member: a malloc'd copy, NULL when absent or null. */
static char *decode_reason(struct mx_json_dec *d, const cJSON *root)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(root, "reason");
    if (it == NULL || cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it) || it->valuestring == NULL) {
        mx_json_fail(d, "reason", MX_JSON_WRONG_TYPE);
        return NULL;
    }
    size_t n = strlen(it->valuestring);
    char *copy = malloc(n + 1);
    if (copy == NULL)
        mx_json_fail(d, "reason", MX_JSON_TOO_LARGE);
    else
        memcpy(copy, it->valuestring, n + 1);
    return copy;
}

/* The editable fields (and the reason, when reason is non-NULL) of a request body. */
static enum mx_code decode_request(const char *json, size_t len, struct mx_config *out,
                                   char **reason, struct mx_problems *errs)
{
    struct mx_json_dec d = {errs, MX_OK};
    struct mx_config tmp = {0};
    char *why = NULL;
    cJSON *root = mx_json_parse_object(&d, json, len);
    if (root == NULL)
        goto out;
    mx_json_check_fields(&d, root, "", reason ? change_fields : request_fields);
    decode_editable(&d, root, &tmp, false);
    if (reason)
        why = decode_reason(&d, root);
    if (d.first != MX_OK)
        goto out;
    if (reason) {
        *reason = why;
        why = NULL;
    }
    free(out->primary);
    free(out->backup);
    out->mode = tmp.mode;
    out->primary = tmp.primary;
    out->n_primary = tmp.n_primary;
    out->backup = tmp.backup;
    out->n_backup = tmp.n_backup;
    out->provider_backup = tmp.provider_backup;
    tmp.primary = tmp.backup = NULL;
out:
    cJSON_Delete(root);
    mx_config_clear(&tmp);
    free(why);
    return d.first;
}

enum mx_code mx_config_request_from_json(const char *json, size_t len, struct mx_config *out,
                                         struct mx_problems *errs)
{
    return decode_request(json, len, out, NULL, errs);
}

enum mx_code mx_change_from_json(const char *json, size_t len, struct mx_config *out, char **reason,
                                 struct mx_problems *errs)
{
    *reason = NULL;
    return decode_request(json, len, out, reason, errs);
}

enum mx_code mx_reason_from_json(const char *json, size_t len, char **reason,
                                 struct mx_problems *errs)
{
    struct mx_json_dec d = {errs, MX_OK};
    *reason = NULL;
    cJSON *root = mx_json_parse_object(&d, json, len);
    if (root != NULL) {
        mx_json_check_fields(&d, root, "", reason_fields);
        char *why = decode_reason(&d, root);
        if (d.first == MX_OK)
            *reason = why;
        else
            free(why);
    }
    cJSON_Delete(root);
    return d.first;
}

/* Adds an array of {host, priority} (or {priority, host} for records, as docs/api.md shows). */
static bool add_entries(cJSON *obj, const char *key, const struct mx_entry *e, size_t n,
                        bool priority_first)
{
    cJSON *arr = cJSON_AddArrayToObject(obj, key);
    if (arr == NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        cJSON *it = cJSON_CreateObject();
        if (it == NULL || !cJSON_AddItemToArray(arr, it))
            return cJSON_Delete(it), false;
        if (priority_first &&
            cJSON_AddNumberToObject(it, "priority", (double)e[i].priority) == NULL)
            return false;
        if (cJSON_AddStringToObject(it, "host", e[i].host) == NULL)
            return false;
        if (!priority_first &&
            cJSON_AddNumberToObject(it, "priority", (double)e[i].priority) == NULL)
            return false;
    }
    return true;
}

static bool add_editable(cJSON *root, const struct mx_config *cfg)
{
    return cJSON_AddStringToObject(root, "mode", mx_mode_name(cfg->mode)) != NULL &&
           add_entries(root, "primary", cfg->primary, cfg->n_primary, false) &&
           add_entries(root, "backup", cfg->backup, cfg->n_backup, false) &&
           cJSON_AddBoolToObject(root, "provider_backup", cfg->provider_backup) != NULL;
}

/* A string, or null when empty. */
static bool add_string_or_null(cJSON *obj, const char *key, const char *s)
{
    if (s[0] == '\0')
        return cJSON_AddNullToObject(obj, key) != NULL;
    return cJSON_AddStringToObject(obj, key, s) != NULL;
}

/* Prints and frees root; NULL when building failed or printing ran out of memory. */
static char *finish(cJSON *root, bool ok)
{
    char *s = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return s;
}

char *mx_config_to_json(const struct mx_config *cfg)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    bool ok =
        cJSON_AddStringToObject(root, "domain", cfg->domain) != NULL &&
        cJSON_AddStringToObject(root, "display_name",
                                cfg->display_name[0] ? cfg->display_name : cfg->domain) != NULL &&
        cJSON_AddStringToObject(root, "kind", mx_kind_name(cfg->kind)) != NULL &&
        add_editable(root, cfg) &&
        add_entries(root, "records", cfg->records, cfg->n_records, true) &&
        cJSON_AddNumberToObject(root, "version", (double)cfg->version) != NULL &&
        add_string_or_null(root, "updated_at", cfg->updated_at) &&
        add_string_or_null(root, "updated_by", cfg->updated_by);
    cJSON *pub = ok ? cJSON_AddObjectToObject(root, "publication") : NULL;
    ok = pub != NULL &&
         cJSON_AddStringToObject(pub, "state",
                                 cfg->publication.state[0] ? cfg->publication.state : "disabled") !=
             NULL &&
         cJSON_AddNumberToObject(pub, "version", (double)cfg->publication.version) != NULL &&
         add_string_or_null(pub, "at", cfg->publication.at) &&
         add_string_or_null(pub, "error", cfg->publication.error) &&
         (cfg->publication.has_dns
              ? add_entries(pub, "dns", cfg->publication.dns, cfg->publication.n_dns, true)
              : cJSON_AddNullToObject(pub, "dns") != NULL);
    return finish(root, ok);
}

char *mx_config_request_to_json(const struct mx_config *cfg)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    return finish(root, add_editable(root, cfg));
}

char *mx_change_to_json(const struct mx_config *cfg, const char *reason)
{
    cJSON *root = cJSON_CreateObject();
    if (root == NULL)
        return NULL;
    bool ok = add_editable(root, cfg);
    if (ok && reason != NULL && reason[0] != '\0')
        ok = cJSON_AddStringToObject(root, "reason", reason) != NULL;
    return finish(root, ok);
}
