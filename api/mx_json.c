/* mx_json: the strict layer between raw JSON text and the codec. cJSON alone accepts trailing
 * garbage, raw control bytes in strings and \u0000 (which it turns into a silent truncation);
 * the pre-scan here refuses those before cJSON sees the text. */
#include "api/mx_json.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/mx_codec.h"

void mx_json_fail(struct mx_json_dec *d, const char *path, enum mx_code code)
{
    if (d->first == MX_OK)
        d->first = code;
    if (d->errs != NULL)
        (void)mx_problems_add(d->errs, path, code);
}

/* Appends src to out (size MX_JSON_PATH_SIZE) at *len; a path too long is cut, never
 * overrun: it only names a field for people. */
static void path_append(char *out, size_t *len, const char *src)
{
    size_t n = strlen(src);
    if (n > MX_JSON_PATH_SIZE - 1 - *len)
        n = MX_JSON_PATH_SIZE - 1 - *len;
    memmove(out + *len, src, n);
    *len += n;
    out[*len] = '\0';
}

void mx_json_path_key(char *out, const char *prefix, const char *key)
{
    size_t len = 0;
    char tmp[MX_JSON_PATH_SIZE];
    path_append(tmp, &len, prefix);
    if (len > 0)
        path_append(tmp, &len, ".");
    path_append(tmp, &len, key);
    memcpy(out, tmp, len + 1);
}

void mx_json_path_index(char *out, const char *prefix, size_t i)
{
    size_t len = 0;
    char tmp[MX_JSON_PATH_SIZE], num[32];
    tmp[0] = '\0';
    snprintf(num, sizeof(num), "[%zu]", i);
    path_append(tmp, &len, prefix);
    path_append(tmp, &len, num);
    memcpy(out, tmp, len + 1);
}

/* One open object or array during the pre-scan, to name the field a fault is in. */
struct frame {
    bool array;
    bool expect_key;
    size_t index;
    char key[MX_JSON_PATH_SIZE];
};

static void frames_path(const struct frame *f, int depth, char *out)
{
    char tmp[MX_JSON_PATH_SIZE];
    out[0] = '\0';
    for (int k = 0; k < depth; k++) {
        if (f[k].array)
            mx_json_path_index(tmp, out, f[k].index);
        else
            mx_json_path_key(tmp, out, f[k].key);
        memcpy(out, tmp, sizeof(tmp));
    }
}

/* Walks the raw text: bracket depth (outside strings), raw control bytes and bytes that are not
 * UTF-8 inside strings, and the escape \u0000. Returns MX_OK or the fault, with its field path
 * in path. */
static enum mx_code prescan(const char *s, size_t len, char *path)
{
    struct frame f[MX_JSON_MAX_DEPTH];
    int depth = 0;
    path[0] = '\0';
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '"') {
            bool is_key = depth > 0 && !f[depth - 1].array && f[depth - 1].expect_key;
            bool nul = false, ctrl = false;
            size_t j = i + 1;
            while (j < len && s[j] != '"') {
                unsigned char b = (unsigned char)s[j];
                if (b == '\\') {
                    if (j + 5 < len && s[j + 1] == 'u' && memcmp(s + j + 2, "0000", 4) == 0)
                        nul = true;
                    j += 2;
                    continue;
                }
                if (b >= 0x80) {
                    /* cJSON copies any byte: text that is not UTF-8 would go on into names,
                     * paths and replies. */
                    uint32_t cp;
                    size_t n = mx_utf8_decode(s + j, len - j, &cp);
                    if (n == 0) {
                        ctrl = true;
                        j++;
                    } else {
                        j += n;
                    }
                    continue;
                }
                if (b == 0)
                    nul = true;
                else if (b < 0x20)
                    ctrl = true;
                j++;
            }
            if (j >= len)
                return MX_JSON_SYNTAX;
            if (is_key) {
                size_t klen = j - i - 1;
                if (klen >= sizeof(f[0].key))
                    klen = sizeof(f[0].key) - 1;
                memcpy(f[depth - 1].key, s + i + 1, klen);
                f[depth - 1].key[klen] = '\0';
            }
            if (nul || ctrl) {
                frames_path(f, depth, path);
                return nul ? MX_JSON_HIDDEN_NUL : MX_JSON_SYNTAX;
            }
            i = j;
        } else if (c == '{' || c == '[') {
            if (depth == MX_JSON_MAX_DEPTH) {
                frames_path(f, depth, path);
                return MX_JSON_TOO_DEEP;
            }
            f[depth] = (struct frame){.array = c == '[', .expect_key = c == '{'};
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth > 0)
                depth--; /* a mismatch is left for the parser to refuse */
        } else if (c == ':') {
            if (depth > 0 && !f[depth - 1].array)
                f[depth - 1].expect_key = false;
        } else if (c == ',') {
            if (depth > 0) {
                if (f[depth - 1].array)
                    f[depth - 1].index++;
                else
                    f[depth - 1].expect_key = true;
            }
        } else if (c == '\0') {
            return MX_JSON_SYNTAX;
        }
    }
    return MX_OK;
}

cJSON *mx_json_parse_object(struct mx_json_dec *d, const char *json, size_t len)
{
    char path[MX_JSON_PATH_SIZE];
    if (len > MX_JSON_MAX_BYTES) {
        mx_json_fail(d, "", MX_JSON_TOO_LARGE);
        return NULL;
    }
    if (json == NULL || len == 0) {
        mx_json_fail(d, "", MX_JSON_SYNTAX);
        return NULL;
    }
    enum mx_code code = prescan(json, len, path);
    if (code != MX_OK) {
        mx_json_fail(d, path, code);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (root == NULL) {
        mx_json_fail(d, "", MX_JSON_SYNTAX);
        return NULL;
    }
    /* Only whitespace may follow the value. */
    size_t rest = (size_t)(end - json);
    while (rest < len &&
           (json[rest] == ' ' || json[rest] == '\t' || json[rest] == '\n' || json[rest] == '\r'))
        rest++;
    if (rest != len) {
        cJSON_Delete(root);
        mx_json_fail(d, "", MX_JSON_SYNTAX);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        mx_json_fail(d, "", MX_JSON_WRONG_TYPE);
        return NULL;
    }
    return root;
}

struct cJSON *mx_json_parse_strict(const char *json, size_t len, enum mx_code *code,
                                   struct mx_problems *errs)
{
    struct mx_json_dec d = {errs, MX_OK};
    cJSON *root = mx_json_parse_object(&d, json, len);
    *code = d.first;
    return root;
}

void mx_json_check_fields(struct mx_json_dec *d, const cJSON *obj, const char *path,
                          const char *const *allowed)
{
    char p[MX_JSON_PATH_SIZE];
    for (const cJSON *it = obj->child; it != NULL; it = it->next) {
        const char *name = it->string ? it->string : "";
        bool known = false;
        for (size_t k = 0; allowed[k] != NULL && !known; k++)
            known = strcmp(name, allowed[k]) == 0;
        mx_json_path_key(p, path, name);
        if (!known) {
            mx_json_fail(d, p, MX_JSON_UNKNOWN_FIELD);
            continue;
        }
        for (const cJSON *prev = obj->child; prev != it; prev = prev->next)
            if (prev->string != NULL && strcmp(prev->string, name) == 0) {
                mx_json_fail(d, p, MX_JSON_SYNTAX); /* a repeated member is ambiguous */
                break;
            }
    }
}

/* The member key of obj, or NULL after recording missing_field when required. */
static const cJSON *member(struct mx_json_dec *d, const cJSON *obj, const char *path,
                           const char *key, bool required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (it == NULL && required) {
        char p[MX_JSON_PATH_SIZE];
        mx_json_path_key(p, path, key);
        mx_json_fail(d, p, MX_JSON_MISSING_FIELD);
    }
    return it;
}

bool mx_json_get_string(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                        bool required, bool nullable, char *out, size_t size, enum mx_code too_long)
{
    char p[MX_JSON_PATH_SIZE];
    const cJSON *it = member(d, obj, path, key, required);
    if (it == NULL)
        return false;
    mx_json_path_key(p, path, key);
    if (nullable && cJSON_IsNull(it)) {
        out[0] = '\0';
        return true;
    }
    if (!cJSON_IsString(it) || it->valuestring == NULL) {
        mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
        return false;
    }
    size_t len = strlen(it->valuestring);
    if (len >= size) {
        mx_json_fail(d, p, too_long);
        return false;
    }
    memcpy(out, it->valuestring, len + 1);
    return true;
}

/* Numbers beyond 2^53 cannot be told apart from their neighbours in a double. */
#define EXACT_LIMIT 9007199254740992.0

bool mx_json_int_value(struct mx_json_dec *d, const cJSON *item, const char *path, long long min,
                       long long max, long long *out)
{
    if (!cJSON_IsNumber(item)) {
        mx_json_fail(d, path, MX_JSON_WRONG_TYPE);
        return false;
    }
    double v = item->valuedouble;
    /* The range test comes first: converting a huge or NaN double to an integer is undefined. */
    if (!(v >= -EXACT_LIMIT && v <= EXACT_LIMIT) || v != (double)(long long)v) {
        mx_json_fail(d, path, MX_JSON_NOT_INTEGER);
        return false;
    }
    long long n = (long long)v;
    if (n < min || n > max) {
        mx_json_fail(d, path, MX_JSON_OUT_OF_RANGE);
        return false;
    }
    *out = n;
    return true;
}

bool mx_json_get_int(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                     bool required, long long min, long long max, long long *out)
{
    char p[MX_JSON_PATH_SIZE];
    const cJSON *it = member(d, obj, path, key, required);
    if (it == NULL)
        return false;
    mx_json_path_key(p, path, key);
    return mx_json_int_value(d, it, p, min, max, out);
}

bool mx_json_get_bool(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                      bool required, bool *out)
{
    char p[MX_JSON_PATH_SIZE];
    const cJSON *it = member(d, obj, path, key, required);
    if (it == NULL)
        return false;
    if (!cJSON_IsBool(it)) {
        mx_json_path_key(p, path, key);
        mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
        return false;
    }
    *out = cJSON_IsTrue(it);
    return true;
}

const cJSON *mx_json_get_array(struct mx_json_dec *d, const cJSON *obj, const char *path,
                               const char *key, bool required)
{
    char p[MX_JSON_PATH_SIZE];
    const cJSON *it = member(d, obj, path, key, required);
    if (it == NULL)
        return NULL;
    if (!cJSON_IsArray(it)) {
        mx_json_path_key(p, path, key);
        mx_json_fail(d, p, MX_JSON_WRONG_TYPE);
        return NULL;
    }
    return it;
}
