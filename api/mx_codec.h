/* mx_codec: strict JSON (cJSON) for the MX configuration, the provider profile and the error
 * envelope of API v1. Decoders reject wrong types, non-integers, out-of-range numbers,
 * unknown fields and strings hiding \u0000; they never crash and never truncate silently. */
#ifndef MX_CODEC_H
#define MX_CODEC_H

#include <stddef.h>

#include "api/mx_model.h"
#include "api/mx_rules.h"

/* Bodies and replies larger than this are refused before parsing. */
#define MX_JSON_MAX_BYTES ((size_t)1024 * 1024)
/* Nesting deeper than this is refused. */
#define MX_JSON_MAX_DEPTH 16

/* Decodes a full configuration as GET /v1/domains/{name}/mx returns it. On failure returns a
 * codec code and appends one problem per fault (field path + code) to errs when non-NULL; *out
 * is then cleared. out must be zero-initialised or cleared. */
enum mx_code mx_config_from_json(const char *json, size_t len, struct mx_config *out,
                                 struct mx_problems *errs);

/* Decodes the body of PUT /v1/domains/{name}/mx: exactly the editable fields "mode" (required),
 * "primary", "backup" (arrays of {host, priority}) and "provider_backup" (bool); anything else
 * is unknown_field. Only those fields of *out are set. Host strings are kept as given (the
 * validator normalises them). On failure *out is left unchanged. A host longer than the model
 * holds (MX_HOST_SIZE - 1 bytes) is name_too_long, never truncated. */
enum mx_code mx_config_request_from_json(const char *json, size_t len, struct mx_config *out,
                                         struct mx_problems *errs);

/* Decodes the body of PUT /v1/domains/{name}/mx as mx_config_request_from_json does, with one
 * more optional member "reason" (a string or null). *reason gets a malloc'd copy as sent,
 * unchecked (see mx_reason_check), or NULL when absent or null; the caller frees it. On failure
 * *reason is NULL and *out unchanged. */
enum mx_code mx_change_from_json(const char *json, size_t len, struct mx_config *out, char **reason,
                                 struct mx_problems *errs);
/* Decodes the body of POST .../mx/history/{id}/restore: an object with at most the member
 * "reason" (a string or null); anything else is unknown_field. *reason as for
 * mx_change_from_json. */
enum mx_code mx_reason_from_json(const char *json, size_t len, char **reason,
                                 struct mx_problems *errs);

/* Encodes a full configuration (server reply). Returns a malloc'd string, NULL on OOM. */
char *mx_config_to_json(const struct mx_config *cfg);
/* Encodes the editable fields only (client PUT body). Returns a malloc'd string, NULL on OOM. */
char *mx_config_request_to_json(const struct mx_config *cfg);
/* Encodes the editable fields and, when reason is neither NULL nor "", "reason" (client PUT
 * body). Returns a malloc'd string, NULL on OOM. */
char *mx_change_to_json(const struct mx_config *cfg, const char *reason);

/* Decodes / encodes the provider profile (GET /v1/provider, --profile FILE). The decoder
 * starts from nothing: every field is required. The fields are described in docs/profile.md;
 * mail hosts, backup_host and name_servers must pass the host rules and are stored in A-label
 * form. On failure *out is zeroed. */
enum mx_code mx_profile_from_json(const char *json, size_t len, struct mx_profile *out,
                                  struct mx_problems *errs);
char *mx_profile_to_json(const struct mx_profile *profile);

/* The strict front door of every decoder above, for other JSON bodies (POST /v1/sessions,
 * /mx/check, client replies): refuses text over MX_JSON_MAX_BYTES, nesting over
 * MX_JSON_MAX_DEPTH, raw control bytes in strings, a string hiding \u0000 (which cJSON would
 * silently cut short; the fault names its field path), trailing garbage, and a root that is
 * not an object. Returns the parsed tree (the caller frees it with cJSON_Delete) and sets
 * *code to MX_OK; or returns NULL, sets *code and appends the fault to errs when non-NULL. */
struct cJSON;
struct cJSON *mx_json_parse_strict(const char *json, size_t len, enum mx_code *code,
                                   struct mx_problems *errs);

/* Encodes the error envelope {"error":{"code","message","details":[{field,code,message}]}}
 * with messages in lang. details may be NULL. Returns a malloc'd string, NULL on OOM. */
char *mx_error_to_json(const char *code, const char *message, const struct mx_problems *details,
                       enum mx_lang lang);

#endif
