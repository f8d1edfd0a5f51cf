/* mx_rules: the rules of the MX dialog — host name normalisation and validation, validation of
 * a whole configuration, the effective record set — with stable codes and messages in German
 * and English. Called by the TUI (inline validation) and the server (authoritative). */
#ifndef MX_RULES_H
#define MX_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "api/mx_model.h"

/* Inputs longer than this many bytes are refused before any parsing. */
#define MX_HOST_INPUT_MAX 1024

/* Every outcome the rules, the codec and the DNS check can report. The order is not stable;
 * the names (mx_code_name) are, and are what the API and mxcheck print. */
enum mx_code {
    MX_OK = 0,
    /* host name syntax */
    MX_EMPTY,               /* "empty" */
    MX_INPUT_TOO_LONG,      /* "input_too_long": over MX_HOST_INPUT_MAX bytes */
    MX_INVALID_UTF8,        /* "invalid_utf8" */
    MX_NUL_BYTE,            /* "nul_byte" */
    MX_CONTROL_CHARACTER,   /* "control_character": C0, C1, DEL */
    MX_WHITESPACE,          /* "whitespace" */
    MX_BIDI_CHARACTER,      /* "bidi_character" */
    MX_INVISIBLE_CHARACTER, /* "invisible_character": zero-width, soft hyphen, BOM, ... */
    MX_NO_TRAILING_DOT,     /* "no_trailing_dot" */
    MX_EMPTY_LABEL,         /* "empty_label": ".." or a leading dot */
    MX_LABEL_TOO_LONG,      /* "label_too_long": over 63 octets (A-label form) */
    MX_NAME_TOO_LONG,       /* "name_too_long": over 253 characters before the final dot */
    MX_INVALID_CHARACTER,   /* "invalid_character": not letter, digit or hyphen */
    MX_HYPHEN_EDGE,         /* "hyphen_at_label_edge" */
    MX_NUMERIC_TLD,         /* "numeric_tld" */
    MX_IP_LITERAL,          /* "ip_literal" */
    MX_IDN_INVALID,         /* "idn_invalid": libidn2 refused the U-label */
    MX_SINGLE_LABEL,        /* "single_label": a host needs a name below a TLD */
    /* the whole configuration */
    MX_NO_PRIMARY,                  /* "no_primary" */
    MX_TOO_MANY_PRIMARY,            /* "too_many_primary" */
    MX_TOO_MANY_BACKUP,             /* "too_many_backup" */
    MX_PRIORITY_OUT_OF_RANGE,       /* "priority_out_of_range": not 0..65535 */
    MX_BACKUP_NOT_LOWER_PRIORITY,   /* "backup_not_lower_priority" */
    MX_DUPLICATE_HOST,              /* "duplicate_host" */
    MX_NULL_MX_NOT_ALONE,           /* "null_mx_not_alone": mode none carries no entries */
    MX_ENTRIES_NOT_ALLOWED,         /* "entries_not_allowed": provider mode carries no entries */
    MX_PROVIDER_BACKUP_NOT_ALLOWED, /* "provider_backup_not_allowed": only with own servers */
    /* preconditions for an own mail server */
    MX_SUBDOMAIN_FOREIGN_NS, /* "subdomain_foreign_ns" */
    MX_DYNDNS_ENABLED,       /* "dyndns_enabled" */
    MX_CNAME_ON_NAME,        /* "cname_on_name" */
    /* DNS check verdicts */
    MX_NO_ADDRESS,   /* "no_address": reject */
    MX_CNAME_TARGET, /* "cname_target": reject (RFC 2181 10.3) */
    MX_AAAA_ONLY,    /* "aaaa_only": warning */
    MX_UNVERIFIABLE, /* "unverifiable": warning that needs confirmation */
    /* the reason given with a change */
    MX_REASON_REQUIRED, /* "reason_required": staff must say why they change a customer's MX */
    MX_REASON_INVALID,  /* "reason_invalid": too long, invalid UTF-8, control, bidi, invisible */
    /* JSON codec */
    MX_JSON_SYNTAX,        /* "json_syntax" */
    MX_JSON_TOO_LARGE,     /* "json_too_large" */
    MX_JSON_TOO_DEEP,      /* "json_too_deep" */
    MX_JSON_WRONG_TYPE,    /* "wrong_type" */
    MX_JSON_UNKNOWN_FIELD, /* "unknown_field" */
    MX_JSON_MISSING_FIELD, /* "missing_field" */
    MX_JSON_NOT_INTEGER,   /* "not_integer" */
    MX_JSON_OUT_OF_RANGE,  /* "out_of_range" */
    MX_JSON_HIDDEN_NUL,    /* "hidden_nul": a string with \u0000 */
    MX_JSON_BAD_VALUE,     /* "bad_value": a string that is not one of the allowed words */
    MX_CODE_COUNT
};

/* Languages of messages. */
enum mx_lang { MX_LANG_EN, MX_LANG_DE };

/* How a code weighs: OK, a warning the person may confirm, or a rejection. */
enum mx_severity { MX_SEV_OK, MX_SEV_WARN, MX_SEV_REJECT };

/* Stable snake_case name of a code ("no_trailing_dot"); never NULL. */
const char *mx_code_name(enum mx_code code);
/* Code for a stable name, or -1 when unknown. */
int mx_code_from_name(const char *name);
/* One-sentence message for a person, in the given language; static, never NULL. */
const char *mx_code_message(enum mx_code code, enum mx_lang lang);
/* A short form of the message for the mark beside a field ("needs a trailing dot"); the
 * message itself for codes without one. Static, never NULL. (api/mx_hints.c) */
const char *mx_code_hint(enum mx_code code, enum mx_lang lang);
/* Severity of a code. */
enum mx_severity mx_code_severity(enum mx_code code);
/* "de" or "en" from a locale or Accept-Language string (anything else: English). */
enum mx_lang mx_lang_from_string(const char *s);

/* A normalised host: ascii is the A-label form, lower case, with the trailing dot (what DNS
 * and the API carry); display is the U-label form for people (equal to ascii when no IDN). */
struct mx_host {
    char ascii[MX_HOST_SIZE];
    char display[MX_DISPLAY_SIZE];
};

/* Normalises and validates len bytes of input (not NUL-terminated; an embedded NUL is an
 * error). Returns MX_OK and fills *out, or the first failing code (out is then unspecified).
 * Never uses the locale. Order of the checks: input cap, empty, the raw bytes (UTF-8, NUL,
 * control, whitespace, bidi, invisible; the first offending character decides), IP literal
 * (said before a missing trailing dot: "192.0.2.1" is the likelier mistake), trailing dot,
 * IDN conversion, then on the A-label form: empty label, label length, name length, LDH,
 * hyphens, numeric TLD, single label. Thread-safe: no state. */
enum mx_code mx_host_normalize(const char *input, size_t len, struct mx_host *out);

/* A reason of a change holds at most this many characters (code points) after trimming. */
#define MX_REASON_MAX_CHARS 200

/* Narrows s[0..*len) to the reason without its surrounding blanks (space, tab, CR, LF, VT, FF);
 * *s may be NULL when *len is 0. */
void mx_reason_trim(const char **s, size_t *len);
/* Checks the reason of a change (a ticket reference or a few words), len bytes, not
 * NUL-terminated, s may be NULL when len is 0. Surrounding blanks do not count (mx_reason_trim).
 * Returns MX_OK, MX_REASON_REQUIRED when it is empty and required, or MX_REASON_INVALID when
 * it is not valid UTF-8, holds a NUL, a control (C0, C1, DEL: also a tab or line break inside),
 * a bidi or an invisible character or a line/paragraph separator, or is longer than
 * MX_REASON_MAX_CHARS. Other blanks inside (space, no-break space) are fine. Thread-safe. */
enum mx_code mx_reason_check(const char *s, size_t len, bool required);

/* The two forms of a search text for names, as the names are stored: ascii for A-labels (ASCII
 * letters lower-cased, other bytes as given) and display for U-labels. When q holds non-ASCII
 * text that IDNA (UTS #46) can map, ascii is its A-label form and display its lower-case
 * U-label form ("MÜLLER" gives "xn--mller-kva" and "müller"); otherwise both are the
 * lower-cased q. len bytes of q (no NUL needed); both outputs are NUL-terminated, cut to size.
 * Thread-safe. */
void mx_search_forms(const char *q, size_t len, char *ascii, char *display, size_t size);

/* One problem found in a configuration: the field it concerns ("primary[1].host", "mode",
 * "backup[0].priority", "" for the whole) and its code. */
struct mx_problem {
    char field[48];
    enum mx_code code;
};

/* A growable list of problems. Zero-initialise; release with mx_problems_free. */
struct mx_problems {
    struct mx_problem *items;
    size_t count;
    size_t cap;
};

/* Appends a problem; field is copied. Returns 0, or -1 on out of memory. */
int mx_problems_add(struct mx_problems *list, const char *field, enum mx_code code);
/* Empties the list, keeping its storage. */
void mx_problems_clear(struct mx_problems *list);
/* Releases the list's storage and zeroes it. */
void mx_problems_free(struct mx_problems *list);
/* True when any problem is a rejection (warnings alone do not count). */
bool mx_problems_reject(const struct mx_problems *list);

/* Validates a configuration against the rules and the profile's limits. Host names are
 * normalised in place (A-label form) when valid. Appends one problem per failure to out and
 * returns the number appended. */
size_t mx_config_validate(struct mx_config *cfg, const struct mx_profile *profile,
                          struct mx_problems *out);

/* Replaces cfg->records with the effective MX set DNS will carry for cfg's mode: the profile's
 * mail hosts (provider), the entries plus the provider backup when enabled, sorted by priority
 * with primaries first on ties (custom), or one record "." with preference 0 (none).
 * Returns 0, or -1 on out of memory. */
int mx_config_derive_records(struct mx_config *cfg, const struct mx_profile *profile);

/* The verdict of a DNS check for one host, from what was found. timed_out means the answer
 * could not be had. Returns MX_OK, MX_NO_ADDRESS, MX_CNAME_TARGET, MX_AAAA_ONLY or
 * MX_UNVERIFIABLE. */
enum mx_code mx_dns_verdict(bool has_a, bool has_aaaa, bool has_cname, bool timed_out);

#endif
