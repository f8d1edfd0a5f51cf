/* The reason of a change: the rule both mxapid and the terminal app call (mx_reason_check,
 * mx_reason_trim) and the codec of the bodies that carry it (PUT, restore). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"

static enum mx_code check(const char *s, bool required)
{
    return mx_reason_check(s, s ? strlen(s) : 0, required);
}

Test(reason_rule, empty_is_required_only_for_staff)
{
    cr_assert_eq(check(NULL, true), MX_REASON_REQUIRED);
    cr_assert_eq(check("", true), MX_REASON_REQUIRED);
    cr_assert_eq(check(" \t\r\n ", true), MX_REASON_REQUIRED);
    cr_assert_eq(check(NULL, false), MX_OK);
    cr_assert_eq(check("  ", false), MX_OK);
    cr_assert_eq(check("T-4711", true), MX_OK);
    cr_assert_eq(check("  Ticket #4711: Kunde bat darum  \n", true), MX_OK);
    cr_assert_str_eq(mx_code_name(MX_REASON_REQUIRED), "reason_required");
    cr_assert_str_eq(mx_code_name(MX_REASON_INVALID), "reason_invalid");
    cr_assert_eq(mx_code_from_name("reason_invalid"), MX_REASON_INVALID);
    cr_assert_eq(mx_code_severity(MX_REASON_REQUIRED), MX_SEV_REJECT);
    cr_assert(strstr(mx_code_message(MX_REASON_REQUIRED, MX_LANG_DE), "Grund"));
    cr_assert(strstr(mx_code_message(MX_REASON_INVALID, MX_LANG_EN), "200"));
}

Test(reason_rule, hostile_characters_are_invalid)
{
    const char *bad[] = {
        "a\x1b]0;t\x07", "a\x1b[2J", "a \302\23331m", "a \xe2\x80\xae", "a\xe2\x80\x8b",
        "a\tb",          "a\nb",     "a\x7f",         "a \xe2\x80\xa8", "a \xe2\x80\xa9",
        "a \xff",        "a \xc3",   "\xc0\xaf",      "a\xef\xbb\xbf",  "a\xcc\x8f\xe2\x81\xa6",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_expect_eq(check(bad[i], false), MX_REASON_INVALID, "case %zu", i);
    /* A NUL inside the length is a control character too. */
    cr_assert_eq(mx_reason_check("a\0b", 3, false), MX_REASON_INVALID);
    /* Blanks that are not line breaks are words' separators. */
    cr_assert_eq(check("a\xc2\xa0"
                       "b\xe3\x80\x80"
                       "c",
                       true),
                 MX_OK);
    cr_assert_eq(check("m\xc3\xbcller.de \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac", true), MX_OK);
}

Test(reason_rule, at_most_200_characters_not_bytes)
{
    char s[1024];
    for (size_t i = 0; i < 200; i++)
        memcpy(s + 2 * i, "\xc3\xbc", 2);
    s[400] = '\0';
    cr_assert_eq(check(s, true), MX_OK);
    memcpy(s + 400, "x", 2);
    cr_assert_eq(check(s, true), MX_REASON_INVALID);
    /* Blanks around do not count. */
    char t[300];
    memset(t, ' ', 50);
    memset(t + 50, 'x', 200);
    memset(t + 250, ' ', 49);
    t[299] = '\0';
    cr_assert_eq(check(t, true), MX_OK);
}

Test(reason_rule, trim)
{
    const char *s = " \t T-1 x \r\n";
    size_t len = strlen(s);
    mx_reason_trim(&s, &len);
    cr_assert_eq(len, 5);
    cr_assert_eq(strncmp(s, "T-1 x", 5), 0);
    const char *none = NULL;
    len = 3;
    mx_reason_trim(&none, &len);
    cr_assert_eq(len, 0);
}

Test(reason_codec, put_body_with_and_without_reason)
{
    struct mx_config cfg = {0};
    char *why = (char *)"untouched";
    const char *body = "{\"mode\":\"none\",\"reason\":\"T-1 \\u00fc\"}";
    cr_assert_eq(mx_change_from_json(body, strlen(body), &cfg, &why, NULL), MX_OK);
    cr_assert_str_eq(why, "T-1 \xc3\xbc");
    cr_assert_eq(cfg.mode, MX_MODE_NONE);
    free(why);
    body = "{\"mode\":\"provider\",\"reason\":null}";
    cr_assert_eq(mx_change_from_json(body, strlen(body), &cfg, &why, NULL), MX_OK);
    cr_assert_null(why);
    body = "{\"mode\":\"provider\"}";
    cr_assert_eq(mx_change_from_json(body, strlen(body), &cfg, &why, NULL), MX_OK);
    cr_assert_null(why);

    struct mx_problems errs = {0};
    body = "{\"mode\":\"provider\",\"reason\":[1]}";
    cr_assert_eq(mx_change_from_json(body, strlen(body), &cfg, &why, &errs), MX_JSON_WRONG_TYPE);
    cr_assert_null(why);
    cr_assert_str_eq(errs.items[0].field, "reason");
    mx_problems_clear(&errs);
    /* A bad member elsewhere: the reason is not handed out. */
    body = "{\"mode\":\"sometimes\",\"reason\":\"T-1\"}";
    cr_assert_eq(mx_change_from_json(body, strlen(body), &cfg, &why, &errs), MX_JSON_BAD_VALUE);
    cr_assert_null(why);
    mx_problems_clear(&errs);
    /* The stored form (and the plain request decoder) knows no reason. */
    body = "{\"mode\":\"provider\",\"reason\":\"T-1\"}";
    cr_assert_eq(mx_config_request_from_json(body, strlen(body), &cfg, &errs),
                 MX_JSON_UNKNOWN_FIELD);
    cr_assert_str_eq(errs.items[0].field, "reason");
    mx_problems_free(&errs);
    mx_config_clear(&cfg);
}

Test(reason_codec, restore_body)
{
    char *why = NULL;
    struct mx_problems errs = {0};
    const char *body = "{\"reason\":\"T-2\"}";
    cr_assert_eq(mx_reason_from_json(body, strlen(body), &why, NULL), MX_OK);
    cr_assert_str_eq(why, "T-2");
    free(why);
    cr_assert_eq(mx_reason_from_json("{}", 2, &why, NULL), MX_OK);
    cr_assert_null(why);
    body = "{\"reason\":\"T-2\",\"mode\":\"none\"}";
    cr_assert_eq(mx_reason_from_json(body, strlen(body), &why, &errs), MX_JSON_UNKNOWN_FIELD);
    cr_assert_null(why);
    cr_assert_str_eq(errs.items[0].field, "mode");
    mx_problems_clear(&errs);
    body = "{\"reason\":\"a\\u0000b\"}";
    cr_assert_eq(mx_reason_from_json(body, strlen(body), &why, &errs), MX_JSON_HIDDEN_NUL);
    cr_assert_null(why);
    cr_assert_eq(mx_reason_from_json("[]", 2, &why, NULL), MX_JSON_WRONG_TYPE);
    mx_problems_free(&errs);
}

Test(reason_codec, encode_put_body)
{
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_NONE;
    char *json = mx_change_to_json(&cfg, "T-3 \"q\"");
    cr_assert_str_eq(json, "{\"mode\":\"none\",\"primary\":[],\"backup\":[],\"provider_backup\":"
                           "false,\"reason\":\"T-3 \\\"q\\\"\"}");
    free(json);
    json = mx_change_to_json(&cfg, "");
    cr_assert_null(strstr(json, "reason"));
    free(json);
    json = mx_change_to_json(&cfg, NULL);
    cr_assert_null(strstr(json, "reason"));
    free(json);
}
