/* mx_json: strict decoding helpers shared by the codec files (api/mx_codec*.c). Internal to
 * api/; other modules use api/mx_codec.h. */
#ifndef MX_JSON_H
#define MX_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <cJSON.h>

#include "api/mx_rules.h"

/* Size of a field path such as "primary[1].priority" (struct mx_problem's field). */
#define MX_JSON_PATH_SIZE 48

/* The state of one decode: where faults go and the first fault's code. */
struct mx_json_dec {
    struct mx_problems *errs; /* may be NULL; borrowed */
    enum mx_code first;       /* MX_OK until the first fault */
};

/* Records a fault at field path. */
void mx_json_fail(struct mx_json_dec *d, const char *path, enum mx_code code);

/* Writes "prefix.key" (or "key" when prefix is empty) into out. */
void mx_json_path_key(char *out, const char *prefix, const char *key);
/* Writes "prefix[i]" into out. */
void mx_json_path_index(char *out, const char *prefix, size_t i);

/* Checks the size cap, nesting depth, raw control bytes and hidden \u0000 in the raw text,
 * then parses len bytes (trailing garbage is a syntax error) and demands an object at the
 * root. Returns the tree (caller frees with cJSON_Delete) or NULL after recording the fault. */
cJSON *mx_json_parse_object(struct mx_json_dec *d, const char *json, size_t len);

/* Reports every member of obj whose name is not in allowed (NULL-terminated) as
 * unknown_field, and a repeated name as json_syntax. */
void mx_json_check_fields(struct mx_json_dec *d, const cJSON *obj, const char *path,
                          const char *const *allowed);

/* Field getters: look key up in obj (path is obj's own path). A missing field is recorded as
 * missing_field when required and otherwise leaves *out untouched. Return true when a valid
 * value was stored. */
bool mx_json_get_string(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                        bool required, bool nullable, char *out, size_t size,
                        enum mx_code too_long);
bool mx_json_get_int(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                     bool required, long long min, long long max, long long *out);
bool mx_json_get_bool(struct mx_json_dec *d, const cJSON *obj, const char *path, const char *key,
                      bool required, bool *out);
/* Checks that item (at path) is an integral number within min..max; stores it. */
bool mx_json_int_value(struct mx_json_dec *d, const cJSON *item, const char *path, long long min,
                       long long max, long long *out);
/* Looks up an array member; wrong type or missing (when required) is recorded. */
const cJSON *mx_json_get_array(struct mx_json_dec *d, const cJSON *obj, const char *path,
                               const char *key, bool required);

#endif
