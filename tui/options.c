/* mxtui's settings; see options.h. */
#include "tui/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef MXTUI_VERSION
#define MXTUI_VERSION "0.1.0"
#endif

static const char USAGE[] =
    "Usage: mxtui [OPTION]...\n"
    "Configure where a customer's domain receives mail (the MX-record dialog), over the\n"
    "provider API of mxapid.\n"
    "\n"
    "  --api URL         address of mxapid (https://host:port; http only to loopback)\n"
    "  --cacert FILE     trust the CAs in FILE (PEM) instead of the system's\n"
    "  --lang de|en      language (default: from the locale, else English)\n"
    "  --login ID        customer number or staff login to fill in\n"
    "  --theme auto|mono colours, or monochrome (NO_COLOR also gives monochrome)\n"
    "  --insecure-http   allow plain http to a host that is not loopback\n"
    "  --help            show this help and exit\n"
    "  --version         show the version and exit\n"
    "\n"
    "Environment: MXTUI_API (the address), NO_COLOR, XDG_CONFIG_HOME.\n"
    "Config file: $XDG_CONFIG_HOME/mxtui/config (else ~/.config/mxtui/config) with lines\n"
    "  key = value   for api, cacert, lang, login, theme and idle_minutes (default 15).\n"
    "Flags beat the environment, which beats the file. The password is always asked for on\n"
    "the screen, never taken from the command line, the environment or a file.\n";

static int set_str(char *dst, size_t size, const char *v, const char *what, char *err,
                   size_t err_size)
{
    size_t n = strlen(v);
    if (n >= size) {
        snprintf(err, err_size, "%s is too long (at most %zu bytes)", what, size - 1);
        return -1;
    }
    memcpy(dst, v, n + 1);
    return 0;
}

static int set_lang(struct tui_options *o, const char *v, char *err, size_t err_size)
{
    if (strcmp(v, "de") != 0 && strcmp(v, "en") != 0) {
        snprintf(err, err_size, "language must be de or en, not \"%.40s\"", v);
        return -1;
    }
    snprintf(o->lang, sizeof o->lang, "%s", v);
    return 0;
}

static int set_theme(struct tui_options *o, const char *v, char *err, size_t err_size)
{
    if (!strcmp(v, "mono"))
        o->mono = true;
    else if (!strcmp(v, "auto"))
        o->mono = false;
    else {
        snprintf(err, err_size, "theme must be auto or mono, not \"%.40s\"", v);
        return -1;
    }
    return 0;
}

static int set_idle(struct tui_options *o, const char *v, char *err, size_t err_size)
{
    char *end;
    errno = 0;
    double m = strtod(v, &end);
    /* Fractions are allowed (0.5 is half a minute); a day is the most that makes sense. */
    if (errno || end == v || *end || !(m > 0) || m > 1440) {
        snprintf(err, err_size,
                 "idle_minutes must be a number of minutes above 0 and at most "
                 "1440, not \"%.40s\"",
                 v);
        return -1;
    }
    o->idle_minutes = m;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

int options_read_file(struct tui_options *o, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        snprintf(err, err_size, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char line[2048], why[512];
    int ln = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            snprintf(err, err_size, "%s:%d: the line is too long", path, ln);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, err_size, "%s:%d: expected \"key = value\"", path, ln);
            rc = -1;
            break;
        }
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        int r;
        why[0] = 0;
        if (!strcmp(key, "api"))
            r = set_str(o->api, sizeof o->api, val, "api", why, sizeof why);
        else if (!strcmp(key, "cacert"))
            r = set_str(o->cacert, sizeof o->cacert, val, "cacert", why, sizeof why);
        else if (!strcmp(key, "lang"))
            r = set_lang(o, val, why, sizeof why);
        else if (!strcmp(key, "login"))
            r = set_str(o->login, sizeof o->login, val, "login", why, sizeof why);
        else if (!strcmp(key, "theme"))
            r = set_theme(o, val, why, sizeof why);
        else if (!strcmp(key, "idle_minutes"))
            r = set_idle(o, val, why, sizeof why);
        else if (!strcmp(key, "password")) {
            snprintf(why, sizeof why, "a password is never read from a file");
            r = -1;
        } else {
            snprintf(why, sizeof why,
                     "unknown key \"%.40s\" (known: api, cacert, lang, login, "
                     "theme, idle_minutes)",
                     key);
            r = -1;
        }
        if (r) {
            snprintf(err, err_size, "%s:%d: %s", path, ln, why);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

static void config_path(char *out, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        snprintf(out, size, "%s/mxtui/config", xdg);
    else if (home && home[0])
        snprintf(out, size, "%s/.config/mxtui/config", home);
    else
        out[0] = 0;
}

/* The value of a flag: "--name=value" or "--name value". */
static const char *flag_value(int argc, char **argv, int *i, const char *name, char *err,
                              size_t err_size)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (a[n] == '=')
        return a + n + 1;
    if (*i + 1 >= argc) {
        snprintf(err, err_size, "%s needs a value (see --help)", name);
        return NULL;
    }
    return argv[++*i];
}

static bool is_flag(const char *a, const char *name)
{
    size_t n = strlen(name);
    return !strncmp(a, name, n) && (a[n] == 0 || a[n] == '=');
}

enum options_outcome options_load(struct tui_options *o, int argc, char **argv, void *out,
                                  char *err, size_t err_size)
{
    FILE *fout = out;
    memset(o, 0, sizeof *o);
    o->idle_minutes = 15;
    err[0] = 0;
    /* --help and --version answer whatever else is wrong. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, fout);
            return OPTIONS_EXIT;
        }
        if (!strcmp(argv[i], "--version")) {
            fprintf(fout, "mxtui %s\n", MXTUI_VERSION);
            return OPTIONS_EXIT;
        }
    }
    config_path(o->config_path, sizeof o->config_path);
    if (o->config_path[0] && options_read_file(o, o->config_path, err, err_size))
        return OPTIONS_ERROR;
    const char *env = getenv("MXTUI_API");
    if (env && env[0] && set_str(o->api, sizeof o->api, env, "MXTUI_API", err, err_size))
        return OPTIONS_ERROR;
    env = getenv("NO_COLOR");
    if (env && env[0])
        o->mono = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int r = 0;
        if (is_flag(a, "--api")) {
            if (!(v = flag_value(argc, argv, &i, "--api", err, err_size)))
                return OPTIONS_ERROR;
            r = set_str(o->api, sizeof o->api, v, "--api", err, err_size);
        } else if (is_flag(a, "--cacert")) {
            if (!(v = flag_value(argc, argv, &i, "--cacert", err, err_size)))
                return OPTIONS_ERROR;
            r = set_str(o->cacert, sizeof o->cacert, v, "--cacert", err, err_size);
        } else if (is_flag(a, "--lang")) {
            if (!(v = flag_value(argc, argv, &i, "--lang", err, err_size)))
                return OPTIONS_ERROR;
            r = set_lang(o, v, err, err_size);
        } else if (is_flag(a, "--login")) {
            if (!(v = flag_value(argc, argv, &i, "--login", err, err_size)))
                return OPTIONS_ERROR;
            r = set_str(o->login, sizeof o->login, v, "--login", err, err_size);
        } else if (is_flag(a, "--theme")) {
            if (!(v = flag_value(argc, argv, &i, "--theme", err, err_size)))
                return OPTIONS_ERROR;
            r = set_theme(o, v, err, err_size);
        } else if (!strcmp(a, "--insecure-http")) {
            o->insecure_http = true;
        } else if (is_flag(a, "--password")) {
            snprintf(err, err_size,
                     "a password is never taken from the command line: mxtui "
                     "asks for it on the screen");
            return OPTIONS_ERROR;
        } else {
            snprintf(err, err_size, "unknown option \"%.60s\" (see --help)", a);
            return OPTIONS_ERROR;
        }
        if (r)
            return OPTIONS_ERROR;
    }
    if (!o->api[0]) {
        snprintf(err, err_size,
                 "no API address: give --api URL, set MXTUI_API, or write "
                 "\"api = URL\" into %s",
                 o->config_path[0] ? o->config_path : "the config file");
        return OPTIONS_ERROR;
    }
    return OPTIONS_RUN;
}
