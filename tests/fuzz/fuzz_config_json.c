/* libFuzzer target: the strict JSON decoders (full configuration, PUT body, provider profile)
 * on arbitrary bytes. An accepted configuration must survive encode -> decode -> encode
 * unchanged, and validation and record derivation must not crash on whatever was decoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Encodes cfg, decodes it with dec, encodes again: both texts must be equal. */
static void round_trip(const struct mx_config *cfg, bool request)
{
    char *first = request ? mx_config_request_to_json(cfg) : mx_config_to_json(cfg);
    struct mx_config back = {0};
    if (first == NULL)
        return;
    enum mx_code code = request ? mx_config_request_from_json(first, strlen(first), &back, NULL)
                                : mx_config_from_json(first, strlen(first), &back, NULL);
    if (code != MX_OK)
        abort();
    char *second = request ? mx_config_request_to_json(&back) : mx_config_to_json(&back);
    if (second == NULL || strcmp(first, second) != 0)
        abort();
    free(first);
    free(second);
    mx_config_clear(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *json = (const char *)data;
    struct mx_problems errs = {0};
    struct mx_config cfg = {0};

    if (mx_config_from_json(json, size, &cfg, &errs) == MX_OK) {
        round_trip(&cfg, false);
        mx_config_validate(&cfg, NULL, &errs);
        if (mx_config_derive_records(&cfg, NULL) != 0)
            abort();
    } else if (errs.count == 0) {
        abort(); /* a failure always names its fault */
    }
    mx_config_clear(&cfg);
    mx_problems_clear(&errs);

    if (mx_config_request_from_json(json, size, &cfg, &errs) == MX_OK) {
        round_trip(&cfg, true);
        mx_config_validate(&cfg, NULL, &errs);
        if (mx_config_derive_records(&cfg, NULL) != 0)
            abort();
    }
    mx_config_clear(&cfg);
    mx_problems_clear(&errs);

    struct mx_profile profile;
    if (mx_profile_from_json(json, size, &profile, &errs) == MX_OK) {
        char *s = mx_profile_to_json(&profile);
        struct mx_profile back;
        if (s == NULL || mx_profile_from_json(s, strlen(s), &back, NULL) != MX_OK)
            abort();
        free(s);
    }
    mx_problems_free(&errs);
    return 0;
}
