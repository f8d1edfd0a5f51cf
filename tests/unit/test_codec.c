/* The strict JSON codec (api/mx_codec.h): configurations, PUT bodies, the provider profile and
 * the error envelope. Each failure case asserts the exact code and field path. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "api/mx_codec.h"

typedef enum mx_code (*decoder)(const char *, size_t, struct mx_config *, struct mx_problems *);

/* Decodes json with dec and asserts the returned code and, when field is not NULL, that the
 * first problem is exactly field/code. */
static void expect_cfg(decoder dec, const char *json, enum mx_code want, const char *field)
{
    struct mx_config cfg = {0};
    struct mx_problems errs = {0};
    enum mx_code got = dec(json, strlen(json), &cfg, &errs);
    cr_assert_eq(got, want, "%s: got %s, want %s (first field \"%s\")", json, mx_code_name(got),
                 mx_code_name(want), errs.count ? errs.items[0].field : "-");
    if (want != MX_OK) {
        cr_assert_geq(errs.count, 1u);
        cr_assert_eq(errs.items[0].code, want, "%s: first problem %s", json,
                     mx_code_name(errs.items[0].code));
        if (field != NULL)
            cr_assert_str_eq(errs.items[0].field, field, "%s", json);
        cr_assert_null(cfg.primary);
    }
    mx_config_clear(&cfg);
    mx_problems_free(&errs);
}

static void expect_req(const char *json, enum mx_code want, const char *field)
{
    expect_cfg(mx_config_request_from_json, json, want, field);
}

Test(request, decodes_editable_fields_and_keeps_hosts_as_given)
{
    const char *json = "{\"mode\":\"custom\",\"primary\":[{\"host\":\"MAIL.example.de.\","
                       "\"priority\":10}],\"backup\":[{\"host\":\"mx2.example.net\","
                       "\"priority\":50}],\"provider_backup\":true}";
    struct mx_config cfg = {0};
    cr_assert_eq(mx_config_request_from_json(json, strlen(json), &cfg, NULL), MX_OK);
    cr_assert_eq(cfg.mode, MX_MODE_CUSTOM);
    cr_assert_eq(cfg.n_primary, 1u);
    cr_assert_str_eq(cfg.primary[0].host, "MAIL.example.de.");
    cr_assert_eq(cfg.primary[0].priority, 10);
    cr_assert_str_eq(cfg.backup[0].host, "mx2.example.net");
    cr_assert_eq(cfg.backup[0].priority, 50);
    cr_assert(cfg.provider_backup);
    mx_config_clear(&cfg);
}

Test(request, optional_fields_default_to_empty)
{
    const char *json = "{\"mode\":\"none\"}";
    struct mx_config cfg = {0};
    cr_assert_eq(mx_config_request_from_json(json, strlen(json), &cfg, NULL), MX_OK);
    cr_assert_eq(cfg.mode, MX_MODE_NONE);
    cr_assert_eq(cfg.n_primary + cfg.n_backup, 0u);
    cr_assert(!cfg.provider_backup);
}

Test(request, field_rules)
{
    expect_req("{}", MX_JSON_MISSING_FIELD, "mode");
    expect_req("{\"mode\":\"Custom\"}", MX_JSON_BAD_VALUE, "mode");
    expect_req("{\"mode\":1}", MX_JSON_WRONG_TYPE, "mode");
    expect_req("{\"mode\":\"custom\",\"foo\":1}", MX_JSON_UNKNOWN_FIELD, "foo");
    expect_req("{\"mode\":\"custom\",\"records\":[]}", MX_JSON_UNKNOWN_FIELD, "records");
    expect_req("{\"mode\":\"custom\",\"Mode\":\"custom\"}", MX_JSON_UNKNOWN_FIELD, "Mode");
    expect_req("{\"mode\":\"custom\",\"mode\":\"none\"}", MX_JSON_SYNTAX, "mode");
    expect_req("{\"mode\":\"custom\",\"provider_backup\":\"true\"}", MX_JSON_WRONG_TYPE,
               "provider_backup");
    expect_req("{\"mode\":\"custom\",\"primary\":{}}", MX_JSON_WRONG_TYPE, "primary");
    expect_req("{\"mode\":\"custom\",\"primary\":[\"mail.example.de.\"]}", MX_JSON_WRONG_TYPE,
               "primary[0]");
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":1,"
               "\"weight\":2}]}",
               MX_JSON_UNKNOWN_FIELD, "primary[0].weight");
    expect_req("{\"mode\":\"custom\",\"backup\":[{\"priority\":1}]}", MX_JSON_MISSING_FIELD,
               "backup[0].host");
    expect_req("{\"mode\":\"custom\",\"backup\":[{\"host\":\"a.de.\",\"priority\":1},"
               "{\"host\":null,\"priority\":1}]}",
               MX_JSON_WRONG_TYPE, "backup[1].host");
}

Test(request, numbers_must_be_integers_in_range)
{
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":10.5}]}",
               MX_JSON_NOT_INTEGER, "primary[0].priority");
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":1e300}]}",
               MX_JSON_NOT_INTEGER, "primary[0].priority");
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":\"10\"}]}",
               MX_JSON_WRONG_TYPE, "primary[0].priority");
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":3000000000}]}",
               MX_JSON_OUT_OF_RANGE, "primary[0].priority");
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.de.\",\"priority\":true}]}",
               MX_JSON_WRONG_TYPE, "primary[0].priority");
}

Test(request, out_of_range_priority_is_kept_for_the_validator)
{
    const char *json =
        "{\"mode\":\"custom\",\"primary\":[{\"host\":\"a.example.de.\",\"priority\":70000}]}";
    struct mx_config cfg = {0};
    struct mx_problems p = {0};
    cr_assert_eq(mx_config_request_from_json(json, strlen(json), &cfg, NULL), MX_OK);
    cr_assert_eq(cfg.primary[0].priority, 70000);
    cr_assert_eq(mx_config_validate(&cfg, NULL, &p), 1u);
    cr_assert_str_eq(p.items[0].field, "primary[0].priority");
    cr_assert_eq(p.items[0].code, MX_PRIORITY_OUT_OF_RANGE);
    mx_problems_free(&p);
    mx_config_clear(&cfg);
}

Test(request, hidden_nul_is_refused_with_its_field)
{
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\\u0000evil\","
               "\"priority\":10}]}",
               MX_JSON_HIDDEN_NUL, "primary[0].host");
    expect_req("{\"mode\":\"custom\",\"backup\":[{\"host\":\"a.de.\",\"priority\":1},{\"host\":"
               "\"\\u0000\",\"priority\":2}]}",
               MX_JSON_HIDDEN_NUL, "backup[1].host");
    expect_req("{\"mo\\u0000de\":\"custom\"}", MX_JSON_HIDDEN_NUL, NULL);
    /* An escaped backslash followed by "u0000" is six harmless characters. */
    expect_req("{\"mode\":\"custom\",\"primary\":[{\"host\":\"a\\\\u0000.de.\","
               "\"priority\":10}]}",
               MX_OK, NULL);
}

Test(request, raw_nul_and_control_bytes)
{
    const char json[] = "{\"mode\":\"cus\0tom\"}";
    struct mx_config cfg = {0};
    struct mx_problems errs = {0};
    cr_assert_eq(mx_config_request_from_json(json, sizeof(json) - 1, &cfg, &errs),
                 MX_JSON_HIDDEN_NUL);
    cr_assert_str_eq(errs.items[0].field, "mode");
    mx_problems_free(&errs);
    expect_req("{\"mode\":\"cus\ttom\"}", MX_JSON_SYNTAX, "mode");
    const char outside[] = "{\"mode\":\"custom\"}\0";
    cr_assert_eq(mx_config_request_from_json(outside, sizeof(outside) - 1, &cfg, NULL),
                 MX_JSON_SYNTAX);
}

Test(request, syntax_size_depth_and_root)
{
    expect_req("", MX_JSON_SYNTAX, "");
    expect_req("{\"mode\":", MX_JSON_SYNTAX, "");
    expect_req("{\"mode\":\"custom\"} x", MX_JSON_SYNTAX, "");
    expect_req("{\"mode\":\"custom\"}{}", MX_JSON_SYNTAX, "");
    expect_req("{\"mode\":\"custom\"}  \n", MX_OK, NULL);
    expect_req("[]", MX_JSON_WRONG_TYPE, "");
    expect_req("\"custom\"", MX_JSON_WRONG_TYPE, "");
    expect_req("{\"mode\":\"unterminated}", MX_JSON_SYNTAX, "");

    char deep[64];
    memset(deep, '[', 17);
    memset(deep + 17, ']', 17);
    deep[34] = '\0';
    expect_req(deep, MX_JSON_TOO_DEEP, NULL);
    /* Brackets inside strings do not count. */
    expect_req("{\"mode\":\"[[[[[[[[[[[[[[[[[[[[[[[[[\"}", MX_JSON_BAD_VALUE, "mode");

    size_t big = MX_JSON_MAX_BYTES + 1;
    char *huge = malloc(big + 1);
    cr_assert_not_null(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = '\0';
    expect_req(huge, MX_JSON_TOO_LARGE, "");
    free(huge);
}

Test(request, host_longer_than_the_model_is_an_error_not_truncated)
{
    char json[600];
    char host[400];
    memset(host, 'a', 300);
    host[300] = '\0';
    snprintf(json, sizeof(json),
             "{\"mode\":\"custom\",\"primary\":[{\"host\":\"%s\","
             "\"priority\":1}]}",
             host);
    expect_req(json, MX_NAME_TOO_LONG, "primary[0].host");
}

Test(request, failure_leaves_out_untouched)
{
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "keep.example.de.", 5), 0);
    const char *json = "{\"mode\":\"none\",\"x\":1}";
    cr_assert_eq(mx_config_request_from_json(json, strlen(json), &cfg, NULL),
                 MX_JSON_UNKNOWN_FIELD);
    cr_assert_eq(cfg.mode, MX_MODE_CUSTOM);
    cr_assert_str_eq(cfg.primary[0].host, "keep.example.de.");
    mx_config_clear(&cfg);
}

Test(request, every_fault_is_listed)
{
    const char *json = "{\"mode\":\"x\",\"a\":1,\"primary\":[{\"host\":1,\"priority\":0.5}]}";
    struct mx_config cfg = {0};
    struct mx_problems errs = {0};
    cr_assert_eq(mx_config_request_from_json(json, strlen(json), &cfg, &errs),
                 MX_JSON_UNKNOWN_FIELD);
    cr_assert_eq(errs.count, 4u);
    cr_assert_str_eq(errs.items[0].field, "a");
    cr_assert_str_eq(errs.items[1].field, "mode");
    cr_assert_eq(errs.items[1].code, MX_JSON_BAD_VALUE);
    cr_assert_str_eq(errs.items[2].field, "primary[0].host");
    cr_assert_str_eq(errs.items[3].field, "primary[0].priority");
    cr_assert_eq(errs.items[3].code, MX_JSON_NOT_INTEGER);
    mx_problems_free(&errs);
}

Test(request, encoder_writes_exactly_the_editable_fields)
{
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "mail.example.de.", 10), 0);
    char *s = mx_config_request_to_json(&cfg);
    cr_assert_str_eq(s, "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\","
                        "\"priority\":10}],\"backup\":[],\"provider_backup\":false}");
    free(s);
    mx_config_clear(&cfg);
}

static const char api_example[] =
    "{\"domain\":\"example.de\",\"display_name\":\"example.de\",\"kind\":\"domain\","
    "\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}],"
    "\"backup\":[{\"host\":\"mx2.example.de.\",\"priority\":50}],\"provider_backup\":true,"
    "\"records\":[{\"priority\":10,\"host\":\"mail.example.de.\"},{\"priority\":50,"
    "\"host\":\"mx2.example.de.\"},{\"priority\":90,\"host\":\"backup-mx.provider.example.\"}],"
    "\"version\":7,\"updated_at\":\"2026-11-27T20:00:00Z\",\"updated_by\":\"support\","
    "\"publication\":{\"state\":\"disabled\",\"version\":7,\"at\":null,\"error\":null,"
    "\"dns\":null}}";

Test(config_json, decodes_the_api_example_and_encodes_it_back_identically)
{
    struct mx_config cfg = {0};
    cr_assert_eq(mx_config_from_json(api_example, strlen(api_example), &cfg, NULL), MX_OK);
    cr_assert_str_eq(cfg.domain, "example.de");
    cr_assert_eq(cfg.kind, MX_KIND_DOMAIN);
    cr_assert_eq(cfg.n_records, 3u);
    cr_assert_eq(cfg.records[2].priority, 90);
    cr_assert_eq(cfg.version, 7);
    cr_assert_str_eq(cfg.publication.state, "disabled");
    cr_assert_str_eq(cfg.publication.at, "");
    char *s = mx_config_to_json(&cfg);
    cr_assert_str_eq(s, api_example);
    free(s);
    mx_config_clear(&cfg);
}

Test(config_json, accepts_put_reply_warnings_and_checks_their_shape)
{
    char json[2048];
    snprintf(json, sizeof(json),
             "%.*s,\"warnings\":[{\"field\":\"backup[0].host\",\"code\":"
             "\"aaaa_only\",\"message\":\"m\"}]}",
             (int)strlen(api_example) - 1, api_example);
    expect_cfg(mx_config_from_json, json, MX_OK, NULL);
    snprintf(json, sizeof(json),
             "%.*s,\"warnings\":[{\"field\":1,\"code\":\"x\","
             "\"message\":\"m\"}]}",
             (int)strlen(api_example) - 1, api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_WRONG_TYPE, "warnings[0].field");
}

Test(config_json, strict_fields)
{
    expect_cfg(mx_config_from_json, "{\"mode\":\"custom\"}", MX_JSON_MISSING_FIELD, "domain");
    char json[2048];
    snprintf(json, sizeof(json), "%.*s,\"etag\":\"7\"}", (int)strlen(api_example) - 1, api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_UNKNOWN_FIELD, "etag");
    const char *pub = strstr(api_example, "\"publication\"");
    snprintf(json, sizeof(json), "%.*s\"publication\":{\"state\":\"sent\",\"version\":7}}",
             (int)(pub - api_example), api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_BAD_VALUE, "publication.state");
    snprintf(json, sizeof(json), "%.*s\"publication\":{\"state\":\"failed\",\"version\":-1}}",
             (int)(pub - api_example), api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_OUT_OF_RANGE, "publication.version");
    snprintf(json, sizeof(json),
             "%.*s\"publication\":{\"state\":\"failed\",\"version\":1,"
             "\"why\":1}}",
             (int)(pub - api_example), api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_UNKNOWN_FIELD, "publication.why");
}

/* publication.dns: what the authoritative server answers, a list of entries or null. */
Test(config_json, publication_dns_records)
{
    const char *pub = strstr(api_example, "\"publication\"");
    char json[2048];
    snprintf(json, sizeof(json),
             "%.*s\"publication\":{\"state\":\"published\",\"version\":7,"
             "\"at\":\"2026-11-27T20:00:01Z\",\"error\":null,\"dns\":[{\"priority\":0,"
             "\"host\":\".\"},{\"priority\":10,\"host\":\"mail.example.de.\"}]}}",
             (int)(pub - api_example), api_example);
    struct mx_config cfg = {0}, copy = {0};
    cr_assert_eq(mx_config_from_json(json, strlen(json), &cfg, NULL), MX_OK);
    cr_assert(cfg.publication.has_dns);
    cr_assert_eq(cfg.publication.n_dns, 2u);
    cr_assert_str_eq(cfg.publication.dns[0].host, ".");
    cr_assert_eq(cfg.publication.dns[1].priority, 10);
    cr_assert_eq(mx_config_copy(&copy, &cfg), 0);
    cr_assert_neq(copy.publication.dns, cfg.publication.dns);
    cr_assert_str_eq(copy.publication.dns[1].host, "mail.example.de.");
    char *s = mx_config_to_json(&copy);
    cr_assert_str_eq(s, json);
    free(s);
    /* The publication alone, as a screen refreshes it: its own array, the old one freed. */
    struct mx_publication pc = {0};
    cr_assert_eq(mx_publication_copy(&pc, &cfg.publication), 0);
    cr_assert_eq(mx_publication_copy(&pc, &cfg.publication), 0);
    cr_assert_neq(pc.dns, cfg.publication.dns);
    cr_assert_eq(pc.n_dns, 2u);
    cr_assert_str_eq(pc.dns[0].host, ".");
    free(pc.dns);
    mx_config_clear(&cfg);
    mx_config_clear(&copy);
    /* null and absent mean: not asked or no answer. */
    cr_assert_eq(mx_config_from_json(api_example, strlen(api_example), &cfg, NULL), MX_OK);
    cr_assert(!cfg.publication.has_dns);
    mx_config_clear(&cfg);
    snprintf(json, sizeof(json),
             "%.*s\"publication\":{\"state\":\"failed\",\"version\":1,"
             "\"dns\":{}}}",
             (int)(pub - api_example), api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_WRONG_TYPE, "publication.dns");
    snprintf(json, sizeof(json),
             "%.*s\"publication\":{\"state\":\"failed\",\"version\":1,"
             "\"dns\":[{\"host\":\"a.\",\"priority\":\"1\"}]}}",
             (int)(pub - api_example), api_example);
    expect_cfg(mx_config_from_json, json, MX_JSON_WRONG_TYPE, "publication.dns[0].priority");
}

Test(config_json, full_round_trip_of_a_filled_configuration)
{
    struct mx_config cfg = {0}, back = {0};
    snprintf(cfg.domain, sizeof(cfg.domain), "xn--mller-kva.de");
    snprintf(cfg.display_name, sizeof(cfg.display_name), "müller.de");
    cfg.kind = MX_KIND_SUBDOMAIN;
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "mail.example.de.", 10), 0);
    cr_assert_eq(mx_config_add_entry(&cfg, true, "mx2.example.de.", 20), 0);
    cfg.version = 123456789012LL;
    snprintf(cfg.publication.state, sizeof(cfg.publication.state), "failed");
    snprintf(cfg.publication.error, sizeof(cfg.publication.error), "PowerDNS said \"no\"");
    cr_assert_eq(mx_config_derive_records(&cfg, NULL), 0);
    char *s = mx_config_to_json(&cfg);
    cr_assert_eq(mx_config_from_json(s, strlen(s), &back, NULL), MX_OK, "%s", s);
    cr_assert_str_eq(back.display_name, "müller.de");
    cr_assert_eq(back.kind, MX_KIND_SUBDOMAIN);
    cr_assert_eq(back.version, 123456789012LL);
    cr_assert_str_eq(back.publication.error, "PowerDNS said \"no\"");
    cr_assert_eq(back.n_records, 2u);
    char *again = mx_config_to_json(&back);
    cr_assert_str_eq(again, s);
    free(s);
    free(again);
    mx_config_clear(&cfg);
    mx_config_clear(&back);
}

/* Reads a whole file of the repository (tests run from its root). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    char *buf = malloc(65536);
    *len = fread(buf, 1, 65535, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

Test(profile, default_round_trips)
{
    struct mx_profile p;
    char *s = mx_profile_to_json(mx_profile_default());
    cr_assert_not_null(s);
    cr_assert_eq(mx_profile_from_json(s, strlen(s), &p, NULL), MX_OK, "%s", s);
    char *again = mx_profile_to_json(&p);
    cr_assert_str_eq(again, s);
    cr_assert_eq(p.backup_retention_days, 5);
    cr_assert_str_eq(p.backup_ips[2], "2001:db8:53::1");
    free(s);
    free(again);
}

Test(profile, example_file_loads)
{
    size_t len;
    char *json = slurp("docs/profile.example.json", &len);
    struct mx_profile p;
    struct mx_problems errs = {0};
    enum mx_code code = mx_profile_from_json(json, len, &p, &errs);
    cr_assert_eq(code, MX_OK, "%s at %s", mx_code_name(code),
                 errs.count ? errs.items[0].field : "");
    cr_assert_str_eq(p.name, "Example Hosting");
    cr_assert_eq(p.n_mail_hosts, 2u);
    cr_assert_eq(p.max_backup, 3);
    free(json);
    mx_problems_free(&errs);
}

/* The default profile's JSON with one member replaced (or removed when value is NULL). */
static char *profile_with(const char *key, const char *value)
{
    char *s = mx_profile_to_json(mx_profile_default());
    char needle[64];
    snprintf(needle, sizeof(needle), "\"%s\":", key);
    char *at = strstr(s, needle);
    cr_assert_not_null(at);
    /* The member ends at the next top-level ',' or the final '}'. */
    char *end = at + strlen(needle);
    int depth = 0;
    while (*end != '\0' && !(depth == 0 && (*end == ',' || *end == '}'))) {
        if (*end == '[' || *end == '{')
            depth++;
        if (*end == ']' || *end == '}')
            depth--;
        end++;
    }
    size_t n = strlen(s) + (value ? strlen(value) : 0) + 64;
    char *out = malloc(n);
    if (value != NULL)
        snprintf(out, n, "%.*s%s%s%s", (int)(at - s), s, needle, value, end);
    else
        snprintf(out, n, "%.*s%s", (int)(at - s), s, *end == ',' ? end + 1 : end);
    free(s);
    return out;
}

static void expect_profile(const char *key, const char *value, enum mx_code want, const char *field)
{
    char *json = profile_with(key, value);
    struct mx_profile p;
    struct mx_problems errs = {0};
    enum mx_code got = mx_profile_from_json(json, strlen(json), &p, &errs);
    cr_assert_eq(got, want, "%s: got %s", json, mx_code_name(got));
    cr_assert_str_eq(errs.items[0].field, field, "%s", json);
    cr_assert_eq(p.n_mail_hosts, 0u); /* cleared on failure */
    mx_problems_free(&errs);
    free(json);
}

Test(profile, every_field_is_required_and_checked)
{
    expect_profile("max_backup", NULL, MX_JSON_MISSING_FIELD, "max_backup");
    expect_profile("name", "1", MX_JSON_WRONG_TYPE, "name");
    expect_profile("mail_hosts", "[{\"host\":\"mx1.provider.example\",\"priority\":10}]",
                   MX_NO_TRAILING_DOT, "mail_hosts[0].host");
    expect_profile("mail_hosts", "[{\"host\":\"mx1.p.example.\",\"priority\":70000}]",
                   MX_JSON_OUT_OF_RANGE, "mail_hosts[0].priority");
    expect_profile("backup_host", "\"backup mx.example.\"", MX_WHITESPACE, "backup_host");
    expect_profile("backup_ips", "[\"192.0.2.1\",\"192.0.2.300\"]", MX_JSON_BAD_VALUE,
                   "backup_ips[1]");
    expect_profile("priority_options", "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]",
                   MX_JSON_OUT_OF_RANGE, "priority_options");
    expect_profile("priority_options", "[0,1.5]", MX_JSON_NOT_INTEGER, "priority_options[1]");
    expect_profile("max_primary", "0", MX_JSON_OUT_OF_RANGE, "max_primary");
    expect_profile("propagation_hours", "24.0001", MX_JSON_NOT_INTEGER, "propagation_hours");
    expect_profile("dns_ttl", "0", MX_JSON_OUT_OF_RANGE, "dns_ttl");
    expect_profile("dns_ttl", "604801", MX_JSON_OUT_OF_RANGE, "dns_ttl");
    /* The last member: cut by hand (profile_with would leave its comma behind). */
    char *s = mx_profile_to_json(mx_profile_default());
    char *at = strstr(s, ",\"dns_ttl\":3600}");
    cr_assert_not_null(at, "%s", s);
    memcpy(at, "}", 2);
    struct mx_profile p;
    struct mx_problems errs = {0};
    cr_assert_eq(mx_profile_from_json(s, strlen(s), &p, &errs), MX_JSON_MISSING_FIELD);
    cr_assert_str_eq(errs.items[0].field, "dns_ttl");
    mx_problems_free(&errs);
    free(s);
    expect_profile("backup_helo", "[\"a\\u0000b\"]", MX_JSON_HIDDEN_NUL, "backup_helo[0]");
}

Test(profile, unknown_field)
{
    const char *json = "{\"name\":\"x\",\"colour\":\"red\"}";
    struct mx_profile p;
    struct mx_problems errs = {0};
    cr_assert_eq(mx_profile_from_json(json, strlen(json), &p, &errs), MX_JSON_UNKNOWN_FIELD);
    cr_assert_str_eq(errs.items[0].field, "colour");
    mx_problems_free(&errs);
}

Test(envelope, error_json_has_codes_and_messages_in_the_language)
{
    struct mx_problems p = {0};
    cr_assert_eq(mx_problems_add(&p, "primary[0].host", MX_NO_TRAILING_DOT), 0);
    char *s = mx_error_to_json("validation_failed", "Die Konfiguration verletzt die Regeln.", &p,
                               MX_LANG_DE);
    char want[1024];
    snprintf(want, sizeof(want),
             "{\"error\":{\"code\":\"validation_failed\",\"message\":\"Die Konfiguration "
             "verletzt die Regeln.\",\"details\":[{\"field\":\"primary[0].host\",\"code\":"
             "\"no_trailing_dot\",\"message\":\"%s\"}]}}",
             mx_code_message(MX_NO_TRAILING_DOT, MX_LANG_DE));
    cr_assert_str_eq(s, want);
    free(s);
    s = mx_error_to_json("unauthorized", "No valid token.", NULL, MX_LANG_EN);
    cr_assert_str_eq(s, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"No valid token.\","
                        "\"details\":[]}}");
    free(s);
    mx_problems_free(&p);
}

Test(strict, parse_strict_for_other_bodies)
{
    enum mx_code code;
    struct mx_problems errs = {0};
    const char ok[] = "{\"hosts\":[\"mail.example.de.\"]}";
    cJSON *root = mx_json_parse_strict(ok, sizeof(ok) - 1, &code, &errs);
    cr_assert_not_null(root);
    cr_assert_eq(code, MX_OK);
    cr_assert_eq(errs.count, 0u);
    cJSON_Delete(root);
    const char nul[] = "{\"hosts\":[\"a.de.\",\"mail.example.de.\\u0000x\"]}";
    cr_assert_null(mx_json_parse_strict(nul, sizeof(nul) - 1, &code, &errs));
    cr_assert_eq(code, MX_JSON_HIDDEN_NUL);
    cr_assert_str_eq(errs.items[0].field, "hosts[1]");
    cr_assert_null(mx_json_parse_strict("[1]", 3, &code, NULL));
    cr_assert_eq(code, MX_JSON_WRONG_TYPE);
    mx_problems_free(&errs);
}
