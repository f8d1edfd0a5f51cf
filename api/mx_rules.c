/* mx_rules: codes and messages, problem lists, validation of a whole configuration and the
 * effective record set. Host names are checked in mx_host.c. */
#include "api/mx_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct code_info {
    const char *name;
    const char *en;
    const char *de;
};

/* Indexed by enum mx_code; the _Static_assert below keeps it complete. */
static const struct code_info codes[] = {
    [MX_OK] = {"ok", "OK.", "In Ordnung."},
    [MX_EMPTY] = {"empty", "Enter a host name.", "Bitte einen Hostnamen eingeben."},
    [MX_INPUT_TOO_LONG] = {"input_too_long", "The input is far too long for a host name.",
                           "Die Eingabe ist viel zu lang für einen Hostnamen."},
    [MX_INVALID_UTF8] = {"invalid_utf8", "The input is not valid UTF-8 text.",
                         "Die Eingabe ist kein gültiger UTF-8-Text."},
    [MX_NUL_BYTE] = {"nul_byte", "The input contains a NUL byte.",
                     "Die Eingabe enthält ein NUL-Byte."},
    [MX_CONTROL_CHARACTER] = {"control_character", "The host name contains a control character.",
                              "Der Hostname enthält ein Steuerzeichen."},
    [MX_WHITESPACE] = {"whitespace", "The host name contains a space or other blank.",
                       "Der Hostname enthält ein Leerzeichen oder einen anderen Leerraum."},
    [MX_BIDI_CHARACTER] = {"bidi_character",
                           "The host name contains a text direction control character.",
                           "Der Hostname enthält ein Steuerzeichen für die Schreibrichtung."},
    [MX_INVISIBLE_CHARACTER] = {"invisible_character",
                                "The host name contains an invisible character.",
                                "Der Hostname enthält ein unsichtbares Zeichen."},
    [MX_NO_TRAILING_DOT] = {"no_trailing_dot",
                            "Enter the host name fully qualified, with a dot at the end "
                            "(mail.example.de.).",
                            "Bitte den Hostnamen vollständig mit einem Punkt am Ende angeben "
                            "(mail.example.de.)."},
    [MX_EMPTY_LABEL] = {"empty_label",
                        "The host name has an empty part (two dots in a row or a leading dot).",
                        "Der Hostname hat einen leeren Teil (zwei Punkte hintereinander oder "
                        "ein Punkt am Anfang)."},
    [MX_LABEL_TOO_LONG] = {"label_too_long",
                           "A part of the host name is longer than 63 characters.",
                           "Ein Teil des Hostnamens ist länger als 63 Zeichen."},
    [MX_NAME_TOO_LONG] = {"name_too_long", "The host name is longer than 253 characters.",
                          "Der Hostname ist länger als 253 Zeichen."},
    [MX_INVALID_CHARACTER] = {"invalid_character",
                              "Only letters, digits, hyphens and dots are allowed.",
                              "Erlaubt sind nur Buchstaben, Ziffern, Bindestriche und Punkte."},
    [MX_HYPHEN_EDGE] = {"hyphen_at_label_edge",
                        "A part of the host name begins or ends with a hyphen.",
                        "Ein Teil des Hostnamens beginnt oder endet mit einem Bindestrich."},
    [MX_NUMERIC_TLD] = {"numeric_tld", "The last part of the host name consists of digits only.",
                        "Der letzte Teil des Hostnamens besteht nur aus Ziffern."},
    [MX_IP_LITERAL] = {"ip_literal",
                       "Enter a host name, not an IP address; the host needs an A record.",
                       "Bitte einen Hostnamen statt einer IP-Adresse angeben; der Host braucht "
                       "einen A-Record."},
    [MX_IDN_INVALID] = {"idn_invalid", "The international domain name is not valid.",
                        "Der internationale Domainname ist ungültig."},
    [MX_SINGLE_LABEL] = {"single_label",
                         "The host name needs at least a name and a top-level domain.",
                         "Der Hostname braucht mindestens einen Namen und eine Top-Level-Domain."},
    [MX_NO_PRIMARY] = {"no_primary", "An own mail server needs at least one primary server.",
                       "Ein eigener Mailserver braucht mindestens einen primären Server."},
    [MX_TOO_MANY_PRIMARY] = {"too_many_primary", "There are more primary servers than allowed.",
                             "Es sind mehr primäre Server eingetragen als erlaubt."},
    [MX_TOO_MANY_BACKUP] = {"too_many_backup", "There are more backup servers than allowed.",
                            "Es sind mehr Backup-Server eingetragen als erlaubt."},
    [MX_PRIORITY_OUT_OF_RANGE] = {"priority_out_of_range",
                                  "The priority must be a whole number from 0 to 65535.",
                                  "Die Priorität muss eine ganze Zahl von 0 bis 65535 sein."},
    [MX_BACKUP_NOT_LOWER_PRIORITY] = {"backup_not_lower_priority",
                                      "A backup server must have a lower priority (higher "
                                      "number) than every primary server.",
                                      "Ein Backup-Server muss eine niedrigere Priorität (höhere "
                                      "Zahl) haben als jeder primäre Server."},
    [MX_DUPLICATE_HOST] = {"duplicate_host", "This host name is already entered.",
                           "Dieser Hostname ist bereits eingetragen."},
    [MX_NULL_MX_NOT_ALONE] = {"null_mx_not_alone",
                              "Without mail reception no mail servers can be entered.",
                              "Ohne E-Mail-Empfang können keine Mailserver eingetragen werden."},
    [MX_ENTRIES_NOT_ALLOWED] = {"entries_not_allowed",
                                "With the provider's mail system no own servers can be entered.",
                                "Mit dem Mailsystem des Providers können keine eigenen Server "
                                "eingetragen werden."},
    [MX_PROVIDER_BACKUP_NOT_ALLOWED] = {"provider_backup_not_allowed",
                                        "The provider's backup server can only be used with an "
                                        "own mail server.",
                                        "Der Backup-Server des Providers ist nur mit einem "
                                        "eigenen Mailserver nutzbar."},
    [MX_SUBDOMAIN_FOREIGN_NS] = {"subdomain_foreign_ns",
                                 "The subdomain's name servers are not the provider's.",
                                 "Die Nameserver der Subdomain sind nicht die des Providers."},
    [MX_DYNDNS_ENABLED] = {"dyndns_enabled",
                           "DynDNS is switched on for this name; switch it off first.",
                           "Für diesen Namen ist DynDNS eingeschaltet; bitte zuerst "
                           "ausschalten."},
    [MX_CNAME_ON_NAME] = {"cname_on_name", "A name with a CNAME record cannot carry MX records.",
                          "Ein Name mit CNAME-Record kann keine MX-Records tragen."},
    [MX_NO_ADDRESS] = {"no_address", "The host has no A record.", "Der Host hat keinen A-Record."},
    [MX_CNAME_TARGET] = {"cname_target",
                         "The host is an alias (CNAME); an MX must name the real host.",
                         "Der Host ist ein Alias (CNAME); ein MX muss den echten Host nennen."},
    [MX_AAAA_ONLY] = {"aaaa_only", "The host has only an IPv6 address (AAAA), no A record.",
                      "Der Host hat nur eine IPv6-Adresse (AAAA), keinen A-Record."},
    [MX_UNVERIFIABLE] = {"unverifiable",
                         "The host could not be checked in DNS right now; please confirm.",
                         "Der Host konnte gerade nicht im DNS geprüft werden; bitte "
                         "bestätigen."},
    [MX_REASON_REQUIRED] = {"reason_required",
                            "Please give a reason for the change: a ticket number or a few words.",
                            "Bitte geben Sie einen Grund für die Änderung an: eine Ticketnummer "
                            "oder ein paar Worte."},
    [MX_REASON_INVALID] = {"reason_invalid",
                           "The reason must be plain text of at most 200 characters, without "
                           "control, text direction or invisible characters.",
                           "Der Grund muss einfacher Text mit höchstens 200 Zeichen sein, ohne "
                           "Steuerzeichen, Schreibrichtungszeichen oder unsichtbare Zeichen."},
    [MX_JSON_SYNTAX] = {"json_syntax", "The data is not valid JSON.",
                        "Die Daten sind kein gültiges JSON."},
    [MX_JSON_TOO_LARGE] = {"json_too_large", "The data is too large.", "Die Daten sind zu groß."},
    [MX_JSON_TOO_DEEP] = {"json_too_deep", "The data is nested too deeply.",
                          "Die Daten sind zu tief verschachtelt."},
    [MX_JSON_WRONG_TYPE] = {"wrong_type", "The value has the wrong type.",
                            "Der Wert hat den falschen Typ."},
    [MX_JSON_UNKNOWN_FIELD] = {"unknown_field", "This field is not known.",
                               "Dieses Feld ist unbekannt."},
    [MX_JSON_MISSING_FIELD] = {"missing_field", "This field is required.",
                               "Dieses Feld ist erforderlich."},
    [MX_JSON_NOT_INTEGER] = {"not_integer", "The value must be a whole number.",
                             "Der Wert muss eine ganze Zahl sein."},
    [MX_JSON_OUT_OF_RANGE] = {"out_of_range", "The number is out of range.",
                              "Die Zahl liegt außerhalb des erlaubten Bereichs."},
    [MX_JSON_HIDDEN_NUL] = {"hidden_nul", "The text contains a hidden NUL character (\\u0000).",
                            "Der Text enthält ein verstecktes NUL-Zeichen (\\u0000)."},
    [MX_JSON_BAD_VALUE] = {"bad_value", "The value is not one of the allowed words.",
                           "Der Wert ist keines der erlaubten Wörter."},
};
_Static_assert(sizeof(codes) / sizeof(codes[0]) == MX_CODE_COUNT,
               "every mx_code needs a name and messages");

static const struct code_info *code_info(enum mx_code code)
{
    static const struct code_info unknown = {"unknown", "Unknown problem.", "Unbekanntes Problem."};
    if ((unsigned)code >= MX_CODE_COUNT || codes[code].name == NULL)
        return &unknown;
    return &codes[code];
}

const char *mx_code_name(enum mx_code code)
{
    return code_info(code)->name;
}

int mx_code_from_name(const char *name)
{
    for (int i = 0; name != NULL && i < MX_CODE_COUNT; i++)
        if (codes[i].name != NULL && strcmp(codes[i].name, name) == 0)
            return i;
    return -1;
}

const char *mx_code_message(enum mx_code code, enum mx_lang lang)
{
    const struct code_info *ci = code_info(code);
    return lang == MX_LANG_DE ? ci->de : ci->en;
}

enum mx_severity mx_code_severity(enum mx_code code)
{
    if (code == MX_OK)
        return MX_SEV_OK;
    if (code == MX_AAAA_ONLY || code == MX_UNVERIFIABLE)
        return MX_SEV_WARN;
    return MX_SEV_REJECT;
}

enum mx_lang mx_lang_from_string(const char *s)
{
    if (s == NULL)
        return MX_LANG_EN;
    while (*s == ' ' || *s == '\t')
        s++;
    /* "de", "de_DE.UTF-8", "de-AT,en;q=0.5": German only when it comes first. */
    if ((s[0] == 'd' || s[0] == 'D') && (s[1] == 'e' || s[1] == 'E') &&
        !((s[2] >= 'a' && s[2] <= 'z') || (s[2] >= 'A' && s[2] <= 'Z')))
        return MX_LANG_DE;
    return MX_LANG_EN;
}

int mx_problems_add(struct mx_problems *list, const char *field, enum mx_code code)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        struct mx_problem *grown = realloc(list->items, cap * sizeof(*grown));
        if (grown == NULL)
            return -1;
        list->items = grown;
        list->cap = cap;
    }
    struct mx_problem *p = &list->items[list->count++];
    snprintf(p->field, sizeof(p->field), "%s", field ? field : "");
    p->code = code;
    return 0;
}

void mx_problems_clear(struct mx_problems *list)
{
    list->count = 0;
}

void mx_problems_free(struct mx_problems *list)
{
    free(list->items);
    memset(list, 0, sizeof(*list));
}

bool mx_problems_reject(const struct mx_problems *list)
{
    for (size_t i = 0; i < list->count; i++)
        if (mx_code_severity(list->items[i].code) == MX_SEV_REJECT)
            return true;
    return false;
}

/* Appends a problem about "<group>[i].<member>" and counts it. */
static void add_entry_problem(struct mx_problems *out, size_t *added, const char *group, size_t i,
                              const char *member, enum mx_code code)
{
    char field[48];
    snprintf(field, sizeof(field), "%s[%zu].%s", group, i, member);
    if (mx_problems_add(out, field, code) == 0)
        (*added)++;
}

static void add_problem(struct mx_problems *out, size_t *added, const char *field,
                        enum mx_code code)
{
    if (mx_problems_add(out, field, code) == 0)
        (*added)++;
}

static bool priority_valid(long p)
{
    return p >= 0 && p <= 65535;
}

/* Normalises the hosts of one group in place; marks the valid ones in ok[]. */
static void validate_group(struct mx_entry *e, size_t n, const char *group, bool *ok,
                           struct mx_problems *out, size_t *added)
{
    for (size_t i = 0; i < n; i++) {
        struct mx_host h;
        size_t len = strnlen(e[i].host, sizeof(e[i].host));
        enum mx_code code = mx_host_normalize(e[i].host, len, &h);
        ok[i] = code == MX_OK;
        if (ok[i])
            memcpy(e[i].host, h.ascii, strlen(h.ascii) + 1);
        else
            add_entry_problem(out, added, group, i, "host", code);
        if (!priority_valid(e[i].priority))
            add_entry_problem(out, added, group, i, "priority", MX_PRIORITY_OUT_OF_RANGE);
    }
}

/* Lowercase trailing-dot form of a profile host for comparisons. */
static void profile_host_key(const char *host, char *key, size_t size)
{
    struct mx_host h;
    if (mx_host_normalize(host, strnlen(host, MX_HOST_SIZE), &h) == MX_OK)
        snprintf(key, size, "%s", h.ascii);
    else
        snprintf(key, size, "%s", host);
}

static void validate_custom(struct mx_config *cfg, const struct mx_profile *profile,
                            struct mx_problems *out, size_t *added)
{
    if (cfg->n_primary == 0)
        add_problem(out, added, "primary", MX_NO_PRIMARY);
    if (profile->max_primary > 0 && cfg->n_primary > (size_t)profile->max_primary)
        add_problem(out, added, "primary", MX_TOO_MANY_PRIMARY);
    if (profile->max_backup >= 0 && cfg->n_backup > (size_t)profile->max_backup)
        add_problem(out, added, "backup", MX_TOO_MANY_BACKUP);

    bool *pok = calloc(cfg->n_primary + 1, sizeof(bool));
    bool *bok = calloc(cfg->n_backup + 1, sizeof(bool));
    if (pok == NULL || bok == NULL)
        goto out;
    validate_group(cfg->primary, cfg->n_primary, "primary", pok, out, added);
    validate_group(cfg->backup, cfg->n_backup, "backup", bok, out, added);

    /* The highest primary preference that is itself valid decides the order. */
    long worst_primary = -1;
    for (size_t i = 0; i < cfg->n_primary; i++)
        if (priority_valid(cfg->primary[i].priority) && cfg->primary[i].priority > worst_primary)
            worst_primary = cfg->primary[i].priority;
    for (size_t j = 0; j < cfg->n_backup; j++)
        if (priority_valid(cfg->backup[j].priority) && cfg->backup[j].priority <= worst_primary)
            add_entry_problem(out, added, "backup", j, "priority", MX_BACKUP_NOT_LOWER_PRIORITY);
    if (cfg->provider_backup && profile->backup_priority <= worst_primary)
        add_problem(out, added, "provider_backup", MX_BACKUP_NOT_LOWER_PRIORITY);

    /* Duplicates after normalisation: the later field is the one to fix. */
    char pkey[MX_HOST_SIZE] = "";
    if (cfg->provider_backup)
        profile_host_key(profile->backup_host, pkey, sizeof(pkey));
    size_t total = cfg->n_primary + cfg->n_backup;
    for (size_t k = 0; k < total; k++) {
        bool is_backup = k >= cfg->n_primary;
        size_t idx = is_backup ? k - cfg->n_primary : k;
        if (!(is_backup ? bok[idx] : pok[idx]))
            continue;
        const char *host = is_backup ? cfg->backup[idx].host : cfg->primary[idx].host;
        bool dup = pkey[0] != '\0' && strcmp(host, pkey) == 0;
        for (size_t m = 0; m < k && !dup; m++) {
            bool mb = m >= cfg->n_primary;
            size_t mi = mb ? m - cfg->n_primary : m;
            if ((mb ? bok[mi] : pok[mi]) &&
                strcmp(host, mb ? cfg->backup[mi].host : cfg->primary[mi].host) == 0)
                dup = true;
        }
        if (dup)
            add_entry_problem(out, added, is_backup ? "backup" : "primary", idx, "host",
                              MX_DUPLICATE_HOST);
    }
out:
    free(pok);
    free(bok);
}

size_t mx_config_validate(struct mx_config *cfg, const struct mx_profile *profile,
                          struct mx_problems *out)
{
    size_t added = 0;
    if (profile == NULL)
        profile = mx_profile_default();
    switch (cfg->mode) {
    case MX_MODE_CUSTOM:
        validate_custom(cfg, profile, out, &added);
        break;
    case MX_MODE_PROVIDER:
    case MX_MODE_NONE: {
        enum mx_code code =
            cfg->mode == MX_MODE_NONE ? MX_NULL_MX_NOT_ALONE : MX_ENTRIES_NOT_ALLOWED;
        if (cfg->n_primary > 0)
            add_problem(out, &added, "primary", code);
        if (cfg->n_backup > 0)
            add_problem(out, &added, "backup", code);
        if (cfg->provider_backup)
            add_problem(out, &added, "provider_backup", MX_PROVIDER_BACKUP_NOT_ALLOWED);
        break;
    }
    default:
        add_problem(out, &added, "mode", MX_JSON_BAD_VALUE);
        break;
    }
    return added;
}

struct ranked {
    struct mx_entry e;
    int group; /* 0 primary, 1 backup, 2 provider backup: breaks ties */
    size_t seq;
};

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->e.priority != y->e.priority)
        return x->e.priority < y->e.priority ? -1 : 1;
    if (x->group != y->group)
        return x->group - y->group;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

int mx_config_derive_records(struct mx_config *cfg, const struct mx_profile *profile)
{
    if (profile == NULL)
        profile = mx_profile_default();
    size_t n = 0;
    struct ranked *r = NULL;
    struct mx_entry *rec = NULL;
    switch (cfg->mode) {
    case MX_MODE_PROVIDER:
        n = profile->n_mail_hosts;
        break;
    case MX_MODE_CUSTOM:
        n = cfg->n_primary + cfg->n_backup + (cfg->provider_backup ? 1 : 0);
        break;
    default:
        n = 1;
        break;
    }
    /* One slot at least, so that no branch below ever sees a NULL array. */
    r = calloc(n + 1, sizeof(*r));
    rec = calloc(n + 1, sizeof(*rec));
    if (r == NULL || rec == NULL) {
        free(r);
        free(rec);
        return -1;
    }
    size_t k = 0;
    if (cfg->mode == MX_MODE_PROVIDER) {
        for (size_t i = 0; i < profile->n_mail_hosts; i++, k++) {
            memcpy(r[k].e.host, profile->mail_hosts[i].host, sizeof(r[k].e.host));
            r[k].e.priority = profile->mail_hosts[i].priority;
            r[k].seq = k;
        }
    } else if (cfg->mode == MX_MODE_CUSTOM) {
        for (size_t i = 0; i < cfg->n_primary; i++, k++)
            r[k] = (struct ranked){cfg->primary[i], 0, k};
        for (size_t i = 0; i < cfg->n_backup; i++, k++)
            r[k] = (struct ranked){cfg->backup[i], 1, k};
        if (cfg->provider_backup) {
            memcpy(r[k].e.host, profile->backup_host, sizeof(r[k].e.host));
            r[k].e.priority = profile->backup_priority;
            r[k].group = 2;
            r[k].seq = k;
            k++;
        }
    } else {
        memcpy(r[0].e.host, ".", 2);
        r[0].e.priority = 0;
        k = 1;
    }
    if (k > 1)
        qsort(r, k, sizeof(*r), ranked_cmp);
    for (size_t i = 0; i < k; i++)
        rec[i] = r[i].e;
    free(r);
    free(cfg->records);
    cfg->records = rec;
    cfg->n_records = k;
    return 0;
}

enum mx_code mx_dns_verdict(bool has_a, bool has_aaaa, bool has_cname, bool timed_out)
{
    if (timed_out)
        return MX_UNVERIFIABLE;
    if (has_cname)
        return MX_CNAME_TARGET;
    if (has_a)
        return MX_OK;
    if (has_aaaa)
        return MX_AAAA_ONLY;
    return MX_NO_ADDRESS;
}
