/* mx_host: normalisation and validation of one host name (DESIGN section 5), and the check of
 * a change's reason, which shares its character classes. Works on explicit lengths and raw
 * bytes; libidn2 only sees labels that need it, so plain ASCII stays fast. */
#include "api/mx_rules.h"

#include <idn2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest label and name in octets (RFC 1035), the name without its final dot. */
#define LABEL_MAX       63
#define NAME_MAX_OCTETS 253
/* At most this many labels fit into 253 octets. */
#define LABELS_MAX 128

/* Decodes one UTF-8 sequence at s[0..len). Stores the code point and returns its length in
 * bytes, or 0 when the bytes are not well-formed UTF-8 (overlong, surrogate, beyond U+10FFFF,
 * truncated, stray continuation). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        n = 2, c = b & 0x1Fu, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, c = b & 0x0Fu, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, c = b & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* The class of a code point that may never appear in a host, or MX_OK. */
static enum mx_code codepoint_class(uint32_t c)
{
    if (c == 0)
        return MX_NUL_BYTE;
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
        return MX_CONTROL_CHARACTER;
    if (c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
        c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000)
        return MX_WHITESPACE;
    if (c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
        (c >= 0x2066 && c <= 0x2069) || c == 0x061C)
        return MX_BIDI_CHARACTER;
    /* Zero-width and default-ignorable characters: they change the bytes, not the picture. */
    if ((c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || c == 0xAD ||
        c == 0x34F || (c >= 0x180B && c <= 0x180E) || c == 0x115F || c == 0x1160 || c == 0x3164 ||
        c == 0xFFA0 || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0000 && c <= 0xE0FFF))
        return MX_INVISIBLE_CHARACTER;
    return MX_OK;
}

/* Scans the raw input once; returns the first forbidden byte or character class found and
 * sets *ascii_only. */
static enum mx_code scan_bytes(const unsigned char *s, size_t len, bool *ascii_only)
{
    *ascii_only = true;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        size_t n;
        if (s[i] >= 0x21 && s[i] < 0x7F) {
            i++; /* the common case: printable ASCII */
            continue;
        }
        n = utf8_decode(s + i, len - i, &c);
        if (n == 0)
            return MX_INVALID_UTF8;
        if (n > 1)
            *ascii_only = false;
        enum mx_code code = codepoint_class(c);
        if (code != MX_OK)
            return code;
        i += n;
    }
    return MX_OK;
}

/* True for an IPv4 dotted quad (four labels of 1-3 digits) or anything shaped like an IPv6
 * literal (a colon or brackets). s has no trailing dot. */
static bool is_ip_literal(const char *s, size_t len)
{
    if (memchr(s, ':', len) || memchr(s, '[', len) || memchr(s, ']', len))
        return true;
    int parts = 0, digits = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (digits == 0)
                return false;
            parts++, digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9' && digits < 3) {
            digits++;
        } else {
            return false;
        }
    }
    return digits > 0 && parts == 3;
}

static bool label_is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Maps a libidn2 failure to our code: a label or name that got too long keeps its own code. */
static enum mx_code idn_error(int rc)
{
    /* libidn2's Punycode encoder stops at a 63-octet output: that is a label too long too. */
    if (rc == IDN2_TOO_BIG_LABEL || rc == IDN2_PUNYCODE_BIG_OUTPUT)
        return MX_LABEL_TOO_LONG;
    if (rc == IDN2_TOO_BIG_DOMAIN)
        return MX_NAME_TOO_LONG;
    if (rc == IDN2_2HYPHEN)
        return MX_HYPHEN_3_4;
    return MX_IDN_INVALID;
}

/* U-label to A-label. Strict IDNA2008 first: it costs a third of the UTS #46 mapping, and a
 * label it accepts is one that UTS #46 (non-transitional) leaves unchanged, so the result is
 * the same. Only labels that need mapping (upper case, compatibility forms, not NFC) take the
 * slow path. Returns the libidn2 code of the last attempt. */
static int idn_to_ascii(const char *in, char **out)
{
    int rc = idn2_to_ascii_8z(in, out, IDN2_NO_TR46);
    if (rc == IDN2_OK)
        return rc;
    *out = NULL;
    return idn2_to_ascii_8z(in, out, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
}

/* Converts one U-label (len bytes, UTF-8) to its A-label in out (size outsz). */
static enum mx_code label_to_ascii(const char *s, size_t len, char *out, size_t outsz,
                                   size_t *outlen)
{
    char buf[MX_HOST_INPUT_MAX + 1];
    char *a = NULL;
    memcpy(buf, s, len);
    buf[len] = '\0';
    int rc = idn_to_ascii(buf, &a);
    if (rc != IDN2_OK)
        return idn_error(rc);
    size_t alen = strlen(a);
    enum mx_code code = MX_OK;
    if (alen > LABEL_MAX)
        code = MX_LABEL_TOO_LONG;
    else if (alen >= outsz)
        code = MX_NAME_TOO_LONG;
    else if (memchr(a, '.', alen) != NULL)
        code = MX_INVALID_CHARACTER; /* a character that TR46 maps to a dot, e.g. U+3002 */
    else
        memcpy(out, a, alen + 1), *outlen = alen;
    idn2_free(a);
    return code;
}

/* An "xn--" label must be valid punycode of a valid U-label: decode and encode again and
 * demand the same bytes. */
static enum mx_code check_alabel(const char *s, size_t len)
{
    char buf[LABEL_MAX + 1];
    char *u = NULL, *a = NULL;
    enum mx_code code = MX_IDN_INVALID;
    if (len > LABEL_MAX)
        return MX_LABEL_TOO_LONG;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (idn2_to_unicode_8z8z(buf, &u, 0) != IDN2_OK)
        goto out;
    if (idn_to_ascii(u, &a) != IDN2_OK)
        goto out;
    if (strlen(a) == len && memcmp(a, buf, len) == 0)
        code = MX_OK;
out:
    idn2_free(u);
    idn2_free(a);
    return code;
}

struct label {
    size_t off, len; /* in the A-label buffer */
};

/* Checks the A-label form name[0..len) split into labels, in the order of DESIGN section 5. */
static enum mx_code check_alabels(const char *name, size_t len, const struct label *lab, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lab[i].len == 0)
            return MX_EMPTY_LABEL;
        if (lab[i].len > LABEL_MAX)
            return MX_LABEL_TOO_LONG;
    }
    if (len > NAME_MAX_OCTETS)
        return MX_NAME_TOO_LONG;
    for (size_t i = 0; i < n; i++) {
        const char *p = name + lab[i].off;
        for (size_t j = 0; j < lab[i].len; j++) {
            char c = p[j];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return MX_INVALID_CHARACTER;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *p = name + lab[i].off;
        if (p[0] == '-' || p[lab[i].len - 1] == '-')
            return MX_HYPHEN_EDGE;
    }
    /* RFC 5891 4.2.3.1: "--" at 3 and 4 marks an ACE prefix; only xn-- is one, and an xn--
     * label has been checked as an A-label already. */
    for (size_t i = 0; i < n; i++) {
        const char *p = name + lab[i].off;
        if (lab[i].len >= 4 && p[2] == '-' && p[3] == '-' && !(p[0] == 'x' && p[1] == 'n'))
            return MX_HYPHEN_3_4;
    }
    const struct label *tld = &lab[n - 1];
    bool numeric = true;
    for (size_t j = 0; j < tld->len && numeric; j++)
        numeric = name[tld->off + j] >= '0' && name[tld->off + j] <= '9';
    if (numeric)
        return MX_NUMERIC_TLD;
    if (n < 2)
        return MX_SINGLE_LABEL;
    return MX_OK;
}

enum mx_code mx_host_normalize(const char *input, size_t len, struct mx_host *out)
{
    if (len > MX_HOST_INPUT_MAX)
        return MX_INPUT_TOO_LONG;
    if (len == 0 || input == NULL)
        return MX_EMPTY;
    bool ascii_only;
    enum mx_code code = scan_bytes((const unsigned char *)input, len, &ascii_only);
    if (code != MX_OK)
        return code;

    /* ASCII-only case folding into a private copy; other bytes pass unchanged. */
    char low[MX_HOST_INPUT_MAX + 1];
    for (size_t i = 0; i < len; i++) {
        char c = input[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        low[i] = c;
    }
    low[len] = '\0';
    /* An address is the likelier mistake than the missing dot: say so first. */
    size_t bare = low[len - 1] == '.' ? len - 1 : len;
    if (is_ip_literal(low, bare))
        return MX_IP_LITERAL;
    if (low[len - 1] != '.')
        return MX_NO_TRAILING_DOT;
    len = bare;

    /* Build the A-label form label by label. */
    char name[MX_HOST_INPUT_MAX + 4 * LABELS_MAX];
    struct label lab[LABELS_MAX];
    size_t n = 0, pos = 0, start = 0;
    bool idn = false;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && low[i] != '.')
            continue;
        if (n == LABELS_MAX)
            return MX_NAME_TOO_LONG;
        const char *l = low + start;
        size_t llen = i - start, alen = llen;
        if (pos + 1 >= sizeof(name))
            return MX_NAME_TOO_LONG;
        if (!ascii_only && !label_is_ascii(l, llen)) {
            code = label_to_ascii(l, llen, name + pos, sizeof(name) - pos, &alen);
            /* UTS #46 mapping can turn a U-label into an "xn--" one that is no valid Punycode
             * (a compatibility form of "s" before "xn--..."): it must pass as an A-label too,
             * or the host would not normalise to itself again. */
            if (code == MX_OK && alen >= 4 && memcmp(name + pos, "xn--", 4) == 0)
                code = check_alabel(name + pos, alen);
            if (code != MX_OK)
                return code;
            idn = true;
        } else {
            if (llen >= 4 && memcmp(l, "xn--", 4) == 0) {
                code = check_alabel(l, llen);
                if (code != MX_OK)
                    return code;
                idn = true;
            }
            if (pos + llen + 1 >= sizeof(name))
                return MX_NAME_TOO_LONG;
            memcpy(name + pos, l, llen);
        }
        lab[n].off = pos;
        lab[n].len = alen;
        n++;
        pos += alen;
        if (i < len)
            name[pos++] = '.';
        start = i + 1;
    }
    code = check_alabels(name, pos, lab, n);
    if (code != MX_OK)
        return code;

    memcpy(out->ascii, name, pos);
    out->ascii[pos] = '.';
    out->ascii[pos + 1] = '\0';
    if (!idn) {
        memcpy(out->display, out->ascii, pos + 2);
        return MX_OK;
    }
    name[pos] = '\0';
    char *u = NULL;
    if (idn2_to_unicode_8z8z(name, &u, 0) != IDN2_OK)
        return MX_IDN_INVALID;
    size_t ulen = strlen(u);
    if (ulen + 2 > sizeof(out->display)) {
        idn2_free(u);
        return MX_NAME_TOO_LONG;
    }
    memcpy(out->display, u, ulen);
    out->display[ulen] = '.';
    out->display[ulen + 1] = '\0';
    idn2_free(u);
    return MX_OK;
}

/* ---- UTF-8 for the other modules: the same decoder and classes as the host rules ---- */

size_t mx_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    return len == 0 ? 0 : utf8_decode((const unsigned char *)s, len, cp);
}

enum mx_code mx_codepoint_class(uint32_t cp)
{
    return codepoint_class(cp);
}

bool mx_utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_decode(u + i, len - i, &c);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

char *mx_utf8_repair(const char *s, size_t len, size_t *out_len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t bad = 0;
    uint32_t c;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : utf8_decode(u + i, len - i, &c);
        bad += n == 0;
        i += n ? n : 1;
    }
    /* Each stray byte becomes the three bytes of U+FFFD. */
    char *out = malloc(len + 2 * bad + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : utf8_decode(u + i, len - i, &c);
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    out[o] = '\0';
    if (out_len != NULL)
        *out_len = o;
    return out;
}

/* ---- the reason of a change: free text, checked with the same character classes ---- */

static bool reason_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void mx_reason_trim(const char **s, size_t *len)
{
    if (*s == NULL) {
        *len = 0;
        return;
    }
    while (*len > 0 && reason_blank(**s))
        (*s)++, (*len)--;
    while (*len > 0 && reason_blank((*s)[*len - 1]))
        (*len)--;
}

enum mx_code mx_reason_check(const char *s, size_t len, bool required)
{
    mx_reason_trim(&s, &len);
    if (len == 0)
        return required ? MX_REASON_REQUIRED : MX_OK;
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    for (size_t i = 0; i < len; chars++) {
        uint32_t c;
        size_t n = utf8_decode(u + i, len - i, &c);
        if (n == 0 || chars == MX_REASON_MAX_CHARS)
            return MX_REASON_INVALID;
        /* Blanks are words' separators here; only the ones that break lines are refused. */
        enum mx_code cls = codepoint_class(c);
        if (cls != MX_OK && !(cls == MX_WHITESPACE && c != 0x2028 && c != 0x2029))
            return MX_REASON_INVALID;
        i += n;
    }
    return MX_OK;
}

/* ---- search texts for names ---- */

void mx_search_forms(const char *q, size_t len, char *ascii, char *display, size_t size)
{
    if (size == 0)
        return;
    size_t n = len < size - 1 ? len : size - 1;
    bool plain = true;
    for (size_t i = 0; i < n; i++) {
        char c = q[i];
        plain = plain && (unsigned char)c < 0x80;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        ascii[i] = c;
    }
    ascii[n] = '\0';
    memcpy(display, ascii, n + 1);
    /* Only text beyond ASCII needs IDNA: its case (Ü) and its A-label form differ from it. */
    if (plain || n != len || memchr(ascii, '\0', n))
        return;
    char *a = NULL, *u = NULL;
    if (idn_to_ascii(ascii, &a) == IDN2_OK && idn2_to_unicode_8z8z(a, &u, 0) == IDN2_OK &&
        strlen(a) < size && strlen(u) < size) {
        memcpy(ascii, a, strlen(a) + 1);
        memcpy(display, u, strlen(u) + 1);
    }
    idn2_free(a);
    idn2_free(u);
}
