/* client_json: the strict cJSON readers the reply decoders share — typed getters that record
 * any fault in struct api_dec instead of failing one by one, and the bridge to the api/ codec
 * for MX configurations (unknown fields cut away first, see client.h). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api/client_internal.h"
#include "api/mx_codec.h"

void *api_dec_alloc(struct api_dec *d, size_t n, size_t size)
{
    if (d->bad || d->oom)
        return NULL;
    if (n == 0)
        n = 1;
    if (size != 0 && n > (SIZE_MAX - sizeof(struct chunk)) / size) {
        d->oom = true;
        return NULL;
    }
    struct chunk *c = calloc(1, sizeof(*c) + n * size);
    if (!c) {
        d->oom = true;
        return NULL;
    }
    c->size = n * size;
    c->next = d->res->priv->chunks;
    d->res->priv->chunks = c;
    return c->data;
}

const char *api_dec_strdup(struct api_dec *d, const char *s)
{
    size_t len = strlen(s);
    char *p = api_dec_alloc(d, len + 1, 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

const cJSON *api_dec_item(struct api_dec *d, const cJSON *obj, const char *key)
{
    if (d->bad || !cJSON_IsObject(obj)) {
        d->bad = true;
        return NULL;
    }
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!it)
        d->bad = true;
    return it;
}

/* A required string, or NULL for JSON null when nullable. */
const char *api_dec_str(struct api_dec *d, const cJSON *obj, const char *key, bool nullable)
{
    const cJSON *it = api_dec_item(d, obj, key);
    if (!it)
        return NULL;
    if (nullable && cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it) || !it->valuestring) {
        d->bad = true;
        return NULL;
    }
    return api_dec_strdup(d, it->valuestring);
}

long long api_dec_int_value(struct api_dec *d, const cJSON *it, long long min, long long max)
{
    if (d->bad || !cJSON_IsNumber(it)) {
        d->bad = true;
        return 0;
    }
    double v = it->valuedouble;
    /* 2^53: beyond it a double no longer holds every integer exactly. */
    if (!(v >= -9007199254740992.0 && v <= 9007199254740992.0) || (double)(long long)v != v ||
        (long long)v < min || (long long)v > max) {
        d->bad = true;
        return 0;
    }
    return (long long)v;
}

long long api_dec_int(struct api_dec *d, const cJSON *obj, const char *key, long long min,
                      long long max)
{
    const cJSON *it = api_dec_item(d, obj, key);
    return it ? api_dec_int_value(d, it, min, max) : 0;
}

bool api_dec_bool(struct api_dec *d, const cJSON *obj, const char *key)
{
    const cJSON *it = api_dec_item(d, obj, key);
    if (!it)
        return false;
    if (!cJSON_IsBool(it)) {
        d->bad = true;
        return false;
    }
    return cJSON_IsTrue(it);
}

/* A required array; *n gets its length. */
const cJSON *api_dec_arr(struct api_dec *d, const cJSON *obj, const char *key, size_t *n)
{
    *n = 0;
    const cJSON *it = api_dec_item(d, obj, key);
    if (!it)
        return NULL;
    if (!cJSON_IsArray(it)) {
        d->bad = true;
        return NULL;
    }
    *n = (size_t)cJSON_GetArraySize(it);
    return it;
}

const cJSON *api_dec_obj(struct api_dec *d, const cJSON *obj, const char *key)
{
    const cJSON *it = api_dec_item(d, obj, key);
    if (it && !cJSON_IsObject(it)) {
        d->bad = true;
        return NULL;
    }
    return it;
}

int api_dec_word(struct api_dec *d, const char *s, int (*from_name)(const char *))
{
    if (d->bad || d->oom || !s) {
        d->bad = true;
        return 0;
    }
    int v = from_name(s);
    if (v < 0) {
        d->bad = true;
        return 0;
    }
    return v;
}

/* An array of strings. */
const char **api_dec_strings(struct api_dec *d, const cJSON *obj, const char *key, size_t *n)
{
    const cJSON *arr = api_dec_arr(d, obj, key, n);
    const char **out = api_dec_alloc(d, *n, sizeof(*out));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!out || !cJSON_IsString(it)) {
            d->bad = true;
            break;
        }
        out[i++] = api_dec_strdup(d, it->valuestring);
    }
    return out;
}

struct api_detail *api_dec_details(struct api_dec *d, const cJSON *arr, size_t *n)
{
    *n = cJSON_IsArray(arr) ? (size_t)cJSON_GetArraySize(arr) : 0;
    if (!cJSON_IsArray(arr)) {
        d->bad = true;
        return NULL;
    }
    struct api_detail *out = api_dec_alloc(d, *n, sizeof(*out));
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (!out)
            break;
        struct api_detail *x = &out[i++];
        x->field = api_dec_str(d, it, "field", false);
        x->code = api_dec_str(d, it, "code", false);
        x->message = api_dec_str(d, it, "message", false);
        x->code_value = x->code ? mx_code_from_name(x->code) : -1;
    }
    return out;
}

/* Known fields of the MX objects: the codec is strict about unknown fields (right for
 * requests), so replies are cut down to what this client knows before it decodes them. */
static const char *const mx_full_keys[] = {
    "domain",     "display_name",    "kind",    "mode",    "primary",
    "backup",     "provider_backup", "records", "version", "updated_at",
    "updated_by", "publication",     NULL};
static const char *const mx_edit_keys[] = {"mode", "primary", "backup", "provider_backup", NULL};
static const char *const mx_entry_keys[] = {"host", "priority", NULL};
static const char *const mx_pub_keys[] = {"state", "version", "at", "error", "dns", NULL};
static const char *const profile_keys[] = {"name",
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

static bool key_known(const char *key, const char *const *keys)
{
    for (; *keys; keys++)
        if (strcmp(key, *keys) == 0)
            return true;
    return false;
}

/* A copy of obj holding only known keys; entry arrays, publication and its dns entries filtered
 * too. Non-objects are copied as they are so the codec reports their type. */
static cJSON *filter_mx(const cJSON *obj, const char *const *keys)
{
    if (!cJSON_IsObject(obj))
        return cJSON_Duplicate(obj, true);
    cJSON *out = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        if (!out)
            return NULL;
        if (!it->string || !key_known(it->string, keys))
            continue;
        cJSON *copy = NULL;
        /* Members of an entry or of the publication are kept whole; only the top level filters. */
        bool top = keys != mx_entry_keys && keys != mx_pub_keys;
        bool entries = strcmp(it->string, "primary") == 0 || strcmp(it->string, "backup") == 0 ||
                       strcmp(it->string, "records") == 0 || strcmp(it->string, "mail_hosts") == 0;
        /* The records DNS answers (publication.dns) are entries too. */
        bool pub_entries = keys == mx_pub_keys && strcmp(it->string, "dns") == 0;
        if (((top && entries) || pub_entries) && cJSON_IsArray(it)) {
            copy = cJSON_CreateArray();
            const cJSON *e;
            cJSON_ArrayForEach(e, it)
            {
                cJSON *fe = copy ? filter_mx(e, mx_entry_keys) : NULL;
                if (!fe || !cJSON_AddItemToArray(copy, fe)) {
                    cJSON_Delete(fe);
                    cJSON_Delete(copy);
                    copy = NULL;
                    break;
                }
            }
        } else if (top && strcmp(it->string, "publication") == 0) {
            copy = filter_mx(it, mx_pub_keys);
        } else {
            copy = cJSON_Duplicate(it, true);
        }
        if (!copy || !cJSON_AddItemToObject(out, it->string, copy)) {
            cJSON_Delete(copy);
            cJSON_Delete(out);
            return NULL;
        }
    }
    return out;
}

/* Decodes an MX object (full form, or editable fields when edit) with the api/ codec. */
void api_dec_mx_config(struct api_dec *d, const cJSON *obj, bool edit, struct mx_config *out)
{
    if (d->bad || d->oom)
        return;
    if (!cJSON_IsObject(obj)) {
        d->bad = true;
        return;
    }
    cJSON *filtered = filter_mx(obj, edit ? mx_edit_keys : mx_full_keys);
    char *text = filtered ? cJSON_PrintUnformatted(filtered) : NULL;
    cJSON_Delete(filtered);
    if (!text) {
        d->oom = true;
        return;
    }
    enum mx_code rc = edit ? mx_config_request_from_json(text, strlen(text), out, NULL)
                           : mx_config_from_json(text, strlen(text), out, NULL);
    cJSON_free(text);
    if (rc != MX_OK)
        d->bad = true;
}

void api_dec_profile(struct api_dec *d, const cJSON *obj, struct mx_profile *out)
{
    if (d->bad || d->oom)
        return;
    cJSON *filtered = filter_mx(obj, profile_keys);
    char *text = filtered ? cJSON_PrintUnformatted(filtered) : NULL;
    cJSON_Delete(filtered);
    if (!text) {
        d->oom = true;
        return;
    }
    if (mx_profile_from_json(text, strlen(text), out, NULL) != MX_OK)
        d->bad = true;
    cJSON_free(text);
}
