/* Host name rules (api/mx_host.c via mx_host_normalize): every rule of DESIGN section 5 with
 * its boundaries; each test asserts the exact code. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_rules.h"

/* Shows input bytes readably in a failure message. */
static void escape(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, size - o, "\\x%02X", c);
    }
    out[o] = '\0';
}

/* Asserts the exact code for len bytes of input; returns the result for further checks. */
static struct mx_host expect_len(const char *s, size_t len, enum mx_code want)
{
    struct mx_host h;
    char shown[200];
    memset(&h, 0, sizeof(h));
    escape(s, len, shown, sizeof(shown));
    enum mx_code got = mx_host_normalize(s, len, &h);
    cr_assert_eq(got, want, "input \"%s\" (%zu bytes): got %s, want %s", shown, len,
                 mx_code_name(got), mx_code_name(want));
    return h;
}

static struct mx_host expect(const char *s, enum mx_code want)
{
    return expect_len(s, strlen(s), want);
}

/* Fills buf with n copies of c followed by suffix; returns buf. */
static char *repeat(char *buf, size_t size, char c, size_t n, const char *suffix)
{
    cr_assert(n + strlen(suffix) < size);
    memset(buf, c, n);
    memcpy(buf + n, suffix, strlen(suffix) + 1);
    return buf;
}

Test(host, accepts_plain_name_and_keeps_trailing_dot)
{
    struct mx_host h = expect("mail.example.de.", MX_OK);
    cr_assert_str_eq(h.ascii, "mail.example.de.");
    cr_assert_str_eq(h.display, "mail.example.de.");
}

Test(host, folds_ascii_case)
{
    struct mx_host h = expect("MAIL.Example.DE.", MX_OK);
    cr_assert_str_eq(h.ascii, "mail.example.de.");
}

Test(host, requires_trailing_dot)
{
    expect("mail.example.de", MX_NO_TRAILING_DOT);
}

Test(host, empty_input)
{
    expect_len("", 0, MX_EMPTY);
}

Test(host, empty_labels)
{
    expect(".", MX_EMPTY_LABEL);
    expect("..", MX_EMPTY_LABEL);
    expect(".example.de.", MX_EMPTY_LABEL);
    expect("mail..example.de.", MX_EMPTY_LABEL);
    expect("mail.example.de..", MX_EMPTY_LABEL);
}

Test(host, label_63_accepted_64_rejected)
{
    char buf[128];
    expect(repeat(buf, sizeof(buf), 'a', 63, ".example.de."), MX_OK);
    expect(repeat(buf, sizeof(buf), 'a', 64, ".example.de."), MX_LABEL_TOO_LONG);
}

/* Four labels of 63+63+63+61 octets and three dots: 253 before the final dot. */
static void build_name(char *buf, size_t last)
{
    char l[64];
    size_t o = 0;
    for (int i = 0; i < 3; i++) {
        memset(l, 'a' + i, 63);
        memcpy(buf + o, l, 63);
        o += 63;
        buf[o++] = '.';
    }
    memset(buf + o, 'd', last);
    o += last;
    memcpy(buf + o, ".", 2);
}

Test(host, name_253_accepted_254_rejected)
{
    char buf[300];
    build_name(buf, 61);
    cr_assert_eq(strlen(buf), 254u);
    struct mx_host h = expect(buf, MX_OK);
    cr_assert_eq(strlen(h.ascii), 254u);
    build_name(buf, 62);
    expect(buf, MX_NAME_TOO_LONG);
}

Test(host, many_short_labels_too_long)
{
    char buf[600];
    size_t o = 0;
    for (int i = 0; i < 200; i++)
        buf[o++] = 'a', buf[o++] = '.';
    memcpy(buf + o - 2, "de.", 4);
    expect(buf, MX_NAME_TOO_LONG);
}

Test(host, input_cap_is_checked_first)
{
    static char big[10000];
    memset(big, 'a', sizeof(big));
    /* Even with a NUL and invalid UTF-8 inside, the length decides first. */
    big[10] = '\0';
    big[20] = (char)0xFF;
    expect_len(big, sizeof(big), MX_INPUT_TOO_LONG);
    expect_len(big, MX_HOST_INPUT_MAX + 1, MX_INPUT_TOO_LONG);
}

Test(host, input_at_cap_is_parsed)
{
    static char big[MX_HOST_INPUT_MAX];
    memset(big, 'a', sizeof(big));
    big[sizeof(big) - 1] = '.';
    expect_len(big, sizeof(big), MX_LABEL_TOO_LONG);
}

Test(host, embedded_nul_is_error_not_end)
{
    expect_len("mail.example.de.\0evil", 21, MX_NUL_BYTE);
    expect_len("mail\0.example.de.", 17, MX_NUL_BYTE);
    expect_len("\0", 1, MX_NUL_BYTE);
}

Test(host, control_characters_c0_c1_del)
{
    expect("mail\x01.example.de.", MX_CONTROL_CHARACTER);
    expect("mail.example.de.\r", MX_CONTROL_CHARACTER);
    expect("mail\t.example.de.", MX_CONTROL_CHARACTER);
    expect("mail\x1b[31m.example.de.", MX_CONTROL_CHARACTER);
    expect("mail\x7f.example.de.", MX_CONTROL_CHARACTER);
    expect("mail\xc2\x80.example.de.", MX_CONTROL_CHARACTER); /* U+0080 */
    expect("mail\xc2\x9b.example.de.", MX_CONTROL_CHARACTER); /* U+009B CSI */
    expect("mail\xc2\x85.example.de.", MX_CONTROL_CHARACTER); /* U+0085 NEL */
}

Test(host, whitespace)
{
    expect("mail .example.de.", MX_WHITESPACE);
    expect(" mail.example.de.", MX_WHITESPACE);
    expect("mail.example.de. ", MX_WHITESPACE);
    expect("mail\xc2\xa0.example.de.", MX_WHITESPACE);     /* U+00A0 */
    expect("mail\xe2\x80\x80.example.de.", MX_WHITESPACE); /* U+2000 */
    expect("mail\xe2\x80\x8a.example.de.", MX_WHITESPACE); /* U+200A */
    expect("mail\xe3\x80\x80.example.de.", MX_WHITESPACE); /* U+3000 */
    expect("mail\xe2\x80\xa8.example.de.", MX_WHITESPACE); /* U+2028 */
}

Test(host, bidi_characters)
{
    expect("mail\xe2\x80\x8e.example.de.", MX_BIDI_CHARACTER); /* U+200E LRM */
    expect("mail\xe2\x80\x8f.example.de.", MX_BIDI_CHARACTER); /* U+200F RLM */
    expect("mail\xe2\x80\xae.example.de.", MX_BIDI_CHARACTER); /* U+202E RLO */
    expect("mail\xe2\x80\xaa.example.de.", MX_BIDI_CHARACTER); /* U+202A LRE */
    expect("mail\xe2\x81\xa6.example.de.", MX_BIDI_CHARACTER); /* U+2066 LRI */
    expect("mail\xe2\x81\xa9.example.de.", MX_BIDI_CHARACTER); /* U+2069 PDI */
    expect("mail\xd8\x9c.example.de.", MX_BIDI_CHARACTER);     /* U+061C ALM */
}

Test(host, invisible_characters)
{
    expect("mail\xe2\x80\x8b.example.de.", MX_INVISIBLE_CHARACTER); /* U+200B ZWSP */
    expect("mail\xe2\x80\x8c.example.de.", MX_INVISIBLE_CHARACTER); /* U+200C ZWNJ */
    expect("mail\xe2\x80\x8d.example.de.", MX_INVISIBLE_CHARACTER); /* U+200D ZWJ */
    expect("mail\xe2\x81\xa0.example.de.", MX_INVISIBLE_CHARACTER); /* U+2060 WJ */
    expect("\xef\xbb\xbfmail.example.de.", MX_INVISIBLE_CHARACTER); /* U+FEFF BOM */
    expect("ma\xc2\xadil.example.de.", MX_INVISIBLE_CHARACTER);     /* U+00AD SHY */
    expect("ma\xcd\x8fil.example.de.", MX_INVISIBLE_CHARACTER);     /* U+034F CGJ */
    expect("ma\xe1\xa0\x8eil.example.de.", MX_INVISIBLE_CHARACTER); /* U+180E */
}

Test(host, invalid_utf8)
{
    expect("mail\xff.example.de.", MX_INVALID_UTF8);
    expect("mail\xc3.example.de.", MX_INVALID_UTF8);                 /* truncated */
    expect("mail\x80.example.de.", MX_INVALID_UTF8);                 /* stray continuation */
    expect("mail\xc0\xae.example.de.", MX_INVALID_UTF8);             /* overlong "." */
    expect("mail\xe0\x80\xae.example.de.", MX_INVALID_UTF8);         /* overlong 3 bytes */
    expect("mail\xed\xa0\x80.example.de.", MX_INVALID_UTF8);         /* surrogate U+D800 */
    expect("mail\xf4\x90\x80\x80.example.de.", MX_INVALID_UTF8);     /* beyond U+10FFFF */
    expect("mail\xf8\x88\x80\x80\x80.example.de.", MX_INVALID_UTF8); /* 5-byte form */
    expect_len("mail.example.de.\xe2\x80", 18, MX_INVALID_UTF8);     /* cut at the end */
}

Test(host, ldh_only)
{
    expect("mail_1.example.de.", MX_INVALID_CHARACTER);
    expect("mail@example.de.", MX_INVALID_CHARACTER);
    expect("mail/x.example.de.", MX_INVALID_CHARACTER);
    expect("*.example.de.", MX_INVALID_CHARACTER);
    expect("mail-1.example-2.de.", MX_OK);
}

Test(host, hyphen_at_label_edge)
{
    expect("-mail.example.de.", MX_HYPHEN_EDGE);
    expect("mail-.example.de.", MX_HYPHEN_EDGE);
    expect("mail.example.-de.", MX_HYPHEN_EDGE);
    expect("-.example.de.", MX_HYPHEN_EDGE);
    expect("abc--d.example.de.", MX_OK); /* a double hyphen inside is fine (not at 3-4) */
}

Test(host, numeric_tld)
{
    expect("mail.example.123.", MX_NUMERIC_TLD);
    expect("1.2.3.", MX_NUMERIC_TLD);
    expect("mail.example.d3.", MX_OK);
    expect("123.example.de.", MX_OK); /* digits elsewhere are fine */
}

Test(host, ip_literals)
{
    expect("192.0.2.1.", MX_IP_LITERAL);
    expect("192.0.2.1", MX_IP_LITERAL); /* said before the missing dot */
    expect("[192.0.2.1].", MX_IP_LITERAL);
    expect("2001:db8::1", MX_IP_LITERAL);
    expect("[2001:db8::1].", MX_IP_LITERAL);
    expect("::1.", MX_IP_LITERAL);
}

Test(host, single_label)
{
    expect("localhost.", MX_SINGLE_LABEL);
    expect("de.", MX_SINGLE_LABEL);
}

Test(host, idn_u_label_converted_both_forms_kept)
{
    struct mx_host h = expect("mail.müller.de.", MX_OK);
    cr_assert_str_eq(h.ascii, "mail.xn--mller-kva.de.");
    cr_assert_str_eq(h.display, "mail.müller.de.");
}

Test(host, idn_a_label_accepted_display_decoded)
{
    struct mx_host h = expect("mail.xn--mller-kva.de.", MX_OK);
    cr_assert_str_eq(h.ascii, "mail.xn--mller-kva.de.");
    cr_assert_str_eq(h.display, "mail.müller.de.");
    h = expect("MAIL.XN--MLLER-KVA.DE.", MX_OK);
    cr_assert_str_eq(h.ascii, "mail.xn--mller-kva.de.");
}

Test(host, idn_non_ascii_uppercase_mapped)
{
    struct mx_host h = expect("MÜLLER.DE.", MX_OK);
    cr_assert_str_eq(h.ascii, "xn--mller-kva.de.");
    cr_assert_str_eq(h.display, "müller.de.");
}

Test(host, idn_invalid_punycode)
{
    expect("xn--abc.de.", MX_IDN_INVALID);
    expect("xn--.de.", MX_IDN_INVALID);
    expect("xn--mller-kva0.de.", MX_IDN_INVALID);
}

/* Found by fuzz_host: UTS #46 maps U+02E2 (modifier letter small s) to "s", which turns the
 * label into an "xn--" one that is no valid Punycode. Accepting it would give a host that does
 * not normalise to itself again. */
Test(host, mapping_that_yields_an_invalid_a_label)
{
    expect("x.xn--mller-r-v2ae\xcb\xa2xn--mller-r-v2ae.", MX_IDN_INVALID);
}

Test(host, idn_disallowed_code_point)
{
    expect("mail\xe2\x98\x83.example.de.", MX_IDN_INVALID); /* U+2603 snowman */
}

Test(host, u_label_whose_a_label_exceeds_63)
{
    char buf[128];
    /* 58 ASCII letters and one u-umlaut: 60 bytes, 59 characters, but 66 octets as A-label. */
    repeat(buf, sizeof(buf), 'a', 58, "\xc3\xbc.de.");
    expect(buf, MX_LABEL_TOO_LONG);
    repeat(buf, sizeof(buf), 'a', 50, "\xc3\xbc.de.");
    struct mx_host h = expect(buf, MX_OK);
    cr_assert(strncmp(h.ascii, "xn--", 4) == 0);
}

Test(host, ideographic_full_stop_is_not_a_separator)
{
    expect("mail\xe3\x80\x82"
           "example.de.",
           MX_INVALID_CHARACTER);
}

Test(codes, names_round_trip_and_messages_exist)
{
    for (int c = 0; c < MX_CODE_COUNT; c++) {
        const char *name = mx_code_name((enum mx_code)c);
        cr_assert_neq(strcmp(name, "unknown"), 0, "code %d has no name", c);
        cr_assert_eq(mx_code_from_name(name), c, "name %s does not map back", name);
        cr_assert_gt(strlen(mx_code_message((enum mx_code)c, MX_LANG_EN)), 2u);
        cr_assert_gt(strlen(mx_code_message((enum mx_code)c, MX_LANG_DE)), 2u);
        cr_assert_neq(strcmp(mx_code_message((enum mx_code)c, MX_LANG_EN),
                             mx_code_message((enum mx_code)c, MX_LANG_DE)),
                      0, "code %s has no German message", name);
    }
    cr_assert_eq(mx_code_from_name("no_such_code"), -1);
}

Test(codes, stable_names)
{
    cr_assert_str_eq(mx_code_name(MX_NO_TRAILING_DOT), "no_trailing_dot");
    cr_assert_str_eq(mx_code_name(MX_LABEL_TOO_LONG), "label_too_long");
    cr_assert_str_eq(mx_code_name(MX_IP_LITERAL), "ip_literal");
    cr_assert_str_eq(mx_code_name(MX_CONTROL_CHARACTER), "control_character");
    cr_assert_str_eq(mx_code_name(MX_BACKUP_NOT_LOWER_PRIORITY), "backup_not_lower_priority");
    cr_assert_str_eq(mx_code_name(MX_HYPHEN_EDGE), "hyphen_at_label_edge");
    cr_assert_str_eq(mx_code_name(MX_JSON_HIDDEN_NUL), "hidden_nul");
}

Test(codes, severity)
{
    cr_assert_eq(mx_code_severity(MX_OK), MX_SEV_OK);
    cr_assert_eq(mx_code_severity(MX_AAAA_ONLY), MX_SEV_WARN);
    cr_assert_eq(mx_code_severity(MX_UNVERIFIABLE), MX_SEV_WARN);
    cr_assert_eq(mx_code_severity(MX_NO_ADDRESS), MX_SEV_REJECT);
    cr_assert_eq(mx_code_severity(MX_NO_TRAILING_DOT), MX_SEV_REJECT);
}

Test(codes, german_messages_use_umlauts)
{
    cr_assert_not_null(strstr(mx_code_message(MX_NO_TRAILING_DOT, MX_LANG_DE), "vollständig"));
}

Test(codes, language_from_string)
{
    cr_assert_eq(mx_lang_from_string("de"), MX_LANG_DE);
    cr_assert_eq(mx_lang_from_string("de_DE.UTF-8"), MX_LANG_DE);
    cr_assert_eq(mx_lang_from_string("de-AT,en;q=0.5"), MX_LANG_DE);
    cr_assert_eq(mx_lang_from_string("en-US,de;q=0.5"), MX_LANG_EN);
    cr_assert_eq(mx_lang_from_string("dev"), MX_LANG_EN);
    cr_assert_eq(mx_lang_from_string(NULL), MX_LANG_EN);
}

Test(dns, verdicts)
{
    cr_assert_eq(mx_dns_verdict(true, false, false, false), MX_OK);
    cr_assert_eq(mx_dns_verdict(true, true, false, false), MX_OK);
    cr_assert_eq(mx_dns_verdict(false, true, false, false), MX_AAAA_ONLY);
    cr_assert_eq(mx_dns_verdict(false, false, false, false), MX_NO_ADDRESS);
    cr_assert_eq(mx_dns_verdict(true, false, true, false), MX_CNAME_TARGET);
    cr_assert_eq(mx_dns_verdict(false, false, false, true), MX_UNVERIFIABLE);
}

Test(codes, messages_are_printable_utf8_text)
{
    cr_assert_not_null(setlocale(LC_CTYPE, "C.UTF-8"));
    for (int c = 0; c < MX_CODE_COUNT; c++) {
        for (int l = 0; l < 2; l++) {
            const char *m = mx_code_message((enum mx_code)c, l ? MX_LANG_DE : MX_LANG_EN);
            size_t len = strlen(m);
            for (size_t i = 0; i < len; i++)
                cr_assert_geq((unsigned char)m[i], 0x20, "%s: control byte in message",
                              mx_code_name((enum mx_code)c));
            cr_assert_neq(mbstowcs(NULL, m, 0), (size_t)-1, "%s: message is not UTF-8",
                          mx_code_name((enum mx_code)c));
        }
    }
}

/* RFC 5891 4.2.3.1: "--" in the 3rd and 4th position is the mark of an ACE prefix; only xn--
 * is one, so any other such label is refused, also as a U-label. */
Test(host, hyphens_in_third_and_fourth_position)
{
    expect("ab--cd.example.de.", MX_HYPHEN_3_4);
    expect("mail.r3--x.example.", MX_HYPHEN_3_4);
    expect("AB--CD.example.de.", MX_HYPHEN_3_4);
    expect("ab--\xc3\xbc.de.", MX_HYPHEN_3_4);
    expect("a--b.example.de.", MX_OK);   /* positions 2 and 3 */
    expect("abc--d.example.de.", MX_OK); /* positions 4 and 5 */
    expect("ab-c-d.example.de.", MX_OK);
    expect("xn--mller-kva.de.", MX_OK); /* the A-label prefix itself */
    expect("xn--zz.example.", MX_IDN_INVALID);
    cr_assert_eq(mx_code_severity(MX_HYPHEN_3_4), MX_SEV_REJECT);
    cr_assert_str_eq(mx_code_name(MX_HYPHEN_3_4), "hyphen_3_4");
}

/* The look of a valid name (ICU's spoof checker): a label that looks like an ASCII one, or
 * that mixes scripts, is a warning; ordinary IDNs and ASCII are not. */
static enum mx_code look(const char *s)
{
    struct mx_host h = expect(s, MX_OK);
    return mx_host_lookalike(&h);
}

Test(lookalike, cyrillic_a_in_mail_is_confusable)
{
    cr_assert_eq(look("m\xd0\xb0il.example.de."), MX_CONFUSABLE); /* Cyrillic a */
    cr_assert_eq(look("xn--mil-6cd.example.de."), MX_CONFUSABLE); /* the same as an A-label */
    cr_assert_eq(look("\xd1\x95\xd1\x81\xd0\xbe\xd1\x80\xd0\xb5.example."), MX_CONFUSABLE);
    cr_assert_eq(look("\xce\xbf.example."), MX_CONFUSABLE); /* Greek omicron */
}

Test(lookalike, mixed_scripts_that_look_like_nothing_ascii)
{
    /* Cyrillic with a Greek alpha: not an ASCII look-alike, but two scripts in one label. */
    cr_assert_eq(look("\xd0\xbc\xd0\xb0\xd0\xb8\xd0\xbb\xce\xb1.example."), MX_MIXED_SCRIPT);
    cr_assert_eq(look("m\xc3\xbcller\xd0\xb6.de."), MX_MIXED_SCRIPT); /* Latin with Cyrillic zhe */
}

Test(lookalike, ordinary_names_pass)
{
    cr_assert_eq(look("mail.example.de."), MX_OK);
    cr_assert_eq(look("m\xc3\xbcller.de."), MX_OK);
    cr_assert_eq(look("stra\xc3\x9f"
                      "e.de."),
                 MX_OK);
    cr_assert_eq(look("b\xc3\xbc"
                      "cher.example."),
                 MX_OK);
    cr_assert_eq(look("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e.jp."), MX_OK); /* Han */
    cr_assert_eq(
        look("\xd0\xba\xd0\xb8\xd1\x80\xd0\xb8\xd0\xbb\xd0\xbb\xd0\xb8\xd1\x86\xd0\xb0.ru."),
        MX_OK); /* Cyrillic that looks like nothing Latin */
}

Test(lookalike, warnings_with_messages_in_both_languages)
{
    enum mx_code codes[] = {MX_CONFUSABLE, MX_MIXED_SCRIPT};
    for (size_t i = 0; i < 2; i++) {
        cr_assert_eq(mx_code_severity(codes[i]), MX_SEV_WARN);
        cr_assert_neq(
            strcmp(mx_code_message(codes[i], MX_LANG_DE), mx_code_message(codes[i], MX_LANG_EN)),
            0);
        cr_assert_eq(mx_code_from_name(mx_code_name(codes[i])), (int)codes[i]);
    }
    cr_assert_str_eq(mx_code_name(MX_CONFUSABLE), "confusable");
    cr_assert_str_eq(mx_code_name(MX_MIXED_SCRIPT), "mixed_script");
}
