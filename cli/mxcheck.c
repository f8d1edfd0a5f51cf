/* mxcheck: the MX rules from the command line. Reads host names from standard input, one per
 * line, and prints a verdict per line; or validates a whole configuration file (--config).
 * Uses exactly the code the server and the TUI use (api/mx_rules, api/mx_codec). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"
#include "api/mx_rules.h"
#include "cli/mxctl_out.h"

#define MXCHECK_VERSION "0.1"

static const char usage[] =
    "usage: mxcheck [--lang de|en] [--profile FILE]            (host names on stdin)\n"
    "       mxcheck [--lang de|en] [--profile FILE] --config FILE.json\n"
    "\n"
    "Without --config: reads host names from standard input, one per line, and prints\n"
    "  accept<TAB>ok<TAB>host[<TAB>display form]   or   reject<TAB>code<TAB>message\n"
    "  or, for a valid name people could take for another (confusable, mixed_script),\n"
    "  warn<TAB>code<TAB>message<TAB>host<TAB>display form\n"
    "per line; exit status 0 when no line was rejected, 1 otherwise.\n"
    "With --config: validates a whole MX configuration (the PUT body or the GET reply of\n"
    "API v1) and prints field<TAB>code<TAB>message per problem or warning; exit status 0\n"
    "when nothing rejects, 1 when something does, 2 when the file cannot be read.\n";

/* Writes s through mxctl's sanitiser: C0, DEL and invalid UTF-8 as \xNN, C1 controls, bidi and
 * invisible characters as \u{XXXX}. Field names come from the file as they are (an unknown
 * key), so well-formed UTF-8 is not enough to let them reach the terminal. */
static void put_clean(const char *s, FILE *out)
{
    out_text(out, s);
}

static int check_hosts(enum mx_lang lang)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int status = 0;
    while ((got = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)got;
        if (len > 0 && line[len - 1] == '\n')
            len--; /* only the newline: a "\r" before it is part of the input and refused */
        struct mx_host h;
        enum mx_code code = mx_host_normalize(line, len, &h);
        enum mx_code look = code == MX_OK ? mx_host_lookalike(&h) : MX_OK;
        if (look != MX_OK) {
            /* Both forms, so that the person sees what the name really is. */
            printf("warn\t%s\t", mx_code_name(look));
            put_clean(mx_code_message(look, lang), stdout);
            fputc('\t', stdout);
            put_clean(h.ascii, stdout);
            fputc('\t', stdout);
            put_clean(h.display, stdout);
        } else if (code == MX_OK) {
            fputs("accept\tok\t", stdout);
            put_clean(h.ascii, stdout);
            if (strcmp(h.ascii, h.display) != 0) {
                fputc('\t', stdout);
                put_clean(h.display, stdout);
            }
        } else {
            status = mx_code_severity(code) == MX_SEV_REJECT ? 1 : status;
            printf("%s\t%s\t", mx_code_severity(code) == MX_SEV_WARN ? "warn" : "reject",
                   mx_code_name(code));
            put_clean(mx_code_message(code, lang), stdout);
        }
        fputc('\n', stdout);
    }
    free(line);
    return status;
}

/* Reads a whole file of at most MX_JSON_MAX_BYTES + 1 bytes (one more than the codec takes,
 * so that an oversized file is reported as such). Returns a malloc'd buffer or NULL. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (f == NULL)
        return NULL;
    buf = malloc(MX_JSON_MAX_BYTES + 2);
    if (buf != NULL) {
        *len = fread(buf, 1, MX_JSON_MAX_BYTES + 1, f);
        if (ferror(f)) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static void print_problems(const struct mx_problems *list, enum mx_lang lang)
{
    for (size_t i = 0; i < list->count; i++) {
        put_clean(list->items[i].field, stdout);
        printf("\t%s\t", mx_code_name(list->items[i].code));
        put_clean(mx_code_message(list->items[i].code, lang), stdout);
        fputc('\n', stdout);
    }
}

/* Decodes a configuration: the PUT body first; a file with the GET reply's fields is read
 * with the full decoder. */
static enum mx_code decode_config(const char *json, size_t len, struct mx_config *cfg,
                                  struct mx_problems *errs)
{
    enum mx_code code = mx_config_request_from_json(json, len, cfg, errs);
    if (code != MX_JSON_UNKNOWN_FIELD)
        return code;
    struct mx_problems full = {0};
    code = mx_config_from_json(json, len, cfg, &full);
    if (code == MX_OK) {
        mx_problems_clear(errs);
    }
    mx_problems_free(&full);
    return code == MX_OK ? MX_OK : MX_JSON_UNKNOWN_FIELD;
}

static int check_config(const char *path, const struct mx_profile *profile, enum mx_lang lang)
{
    size_t len = 0;
    int status = 2;
    struct mx_config cfg = {0};
    struct mx_problems problems = {0};
    char *json = read_file(path, &len);
    if (json == NULL) {
        fprintf(stderr, "mxcheck: %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (decode_config(json, len, &cfg, &problems) == MX_OK)
        mx_config_validate(&cfg, profile, &problems);
    print_problems(&problems, lang);
    status = mx_problems_reject(&problems) ? 1 : 0;
out:
    free(json);
    mx_config_clear(&cfg);
    mx_problems_free(&problems);
    return status;
}

static int load_profile(const char *path, struct mx_profile *profile, enum mx_lang lang)
{
    size_t len = 0;
    struct mx_problems problems = {0};
    char *json = read_file(path, &len);
    if (json == NULL) {
        fprintf(stderr, "mxcheck: %s: %s\n", path, strerror(errno));
        return -1;
    }
    enum mx_code code = mx_profile_from_json(json, len, profile, &problems);
    free(json);
    if (code != MX_OK) {
        fprintf(stderr, "mxcheck: %s: not a valid profile:\n", path);
        for (size_t i = 0; i < problems.count; i++) {
            fputs("  ", stderr);
            put_clean(problems.items[i].field, stderr);
            fprintf(stderr, "\t%s\t%s\n", mx_code_name(problems.items[i].code),
                    mx_code_message(problems.items[i].code, lang));
        }
    }
    mx_problems_free(&problems);
    return code == MX_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *config = NULL, *profile_path = NULL;
    enum mx_lang lang = MX_LANG_EN; /* the same output everywhere unless asked */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(a, "--version") == 0) {
            puts("mxcheck " MXCHECK_VERSION);
            return 0;
        } else if (strcmp(a, "--lang") == 0 && i + 1 < argc) {
            lang = mx_lang_from_string(argv[++i]);
        } else if (strcmp(a, "--config") == 0 && i + 1 < argc) {
            config = argv[++i];
        } else if (strcmp(a, "--profile") == 0 && i + 1 < argc) {
            profile_path = argv[++i];
        } else {
            fprintf(stderr, "mxcheck: unknown argument: %s\n%s", a, usage);
            return 2;
        }
    }
    static struct mx_profile loaded;
    const struct mx_profile *profile = mx_profile_default();
    if (profile_path != NULL) {
        if (load_profile(profile_path, &loaded, lang) != 0)
            return 2;
        profile = &loaded;
    }
    if (config != NULL)
        return check_config(config, profile, lang);
    return check_hosts(lang);
}
