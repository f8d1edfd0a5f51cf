/* Language choice and gettext glue; see i18n.h. */
#include "tui/i18n.h"

#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MXTUI_LOCALEDIR
#define MXTUI_LOCALEDIR "/usr/local/share/locale"
#endif
/* The catalogues of the build tree, relative to the directory of the binary. */
#ifndef MXTUI_TREE_LOCALEDIR
#define MXTUI_TREE_LOCALEDIR "../build/locale"
#endif

static const char DOMAIN[] = "mxtui";
static enum mx_lang lang_chosen = MX_LANG_EN;
static bool utf8 = true;
static char dir_found[PATH_MAX];

/* ASCII forms of the German translations for terminals without UTF-8; a catalogue string
 * lives as long as the process, so its transliteration is made once and kept. */
enum { TRANSLIT_MAX = 512 };
static struct {
    const char *from;
    char *to;
} translit[TRANSLIT_MAX];
static size_t n_translit;

static bool is_german(const char *s)
{
    return s && s[0] == 'd' && s[1] == 'e' && (s[2] == 0 || s[2] == '_' || s[2] == '.');
}

static bool has_catalogue(const char *dir)
{
    char path[PATH_MAX + 64];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/de/LC_MESSAGES/%s.mo", dir, DOMAIN) >= (int)sizeof path)
        return false;
    return stat(path, &st) == 0;
}

/* The directory of the running binary, from /proc/self/exe or argv[0]. */
static void exe_dir(const char *exe, char *out, size_t size)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = 0;
    } else if (exe && realpath(exe, buf)) {
        /* buf filled */
    } else {
        snprintf(out, size, ".");
        return;
    }
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = 0;
    snprintf(out, size, "%s", buf[0] ? buf : "/");
}

static void find_catalogues(const char *exe)
{
    char dir[PATH_MAX], cand[PATH_MAX + 64];
    const char *env = getenv("MXTUI_LOCALEDIR");
    if (env && env[0] && has_catalogue(env)) {
        snprintf(dir_found, sizeof dir_found, "%s", env);
        return;
    }
    exe_dir(exe, dir, sizeof dir);
    if (snprintf(cand, sizeof cand, "%s/%s", dir, MXTUI_TREE_LOCALEDIR) < (int)sizeof cand &&
        has_catalogue(cand)) {
        if (snprintf(dir_found, sizeof dir_found, "%s", cand) >= (int)sizeof dir_found)
            dir_found[0] = 0;
        return;
    }
    if (snprintf(cand, sizeof cand, "%s/../share/locale", dir) < (int)sizeof cand &&
        has_catalogue(cand)) {
        if (snprintf(dir_found, sizeof dir_found, "%s", cand) >= (int)sizeof dir_found)
            dir_found[0] = 0;
        return;
    }
    if (has_catalogue(MXTUI_LOCALEDIR))
        snprintf(dir_found, sizeof dir_found, "%s", MXTUI_LOCALEDIR);
}

enum mx_lang i18n_init(const char *lang, const char *exe)
{
    if (lang && lang[0]) {
        lang_chosen = is_german(lang) ? MX_LANG_DE : MX_LANG_EN;
    } else {
        const char *l = getenv("LC_ALL");
        if (!l || !l[0])
            l = getenv("LC_MESSAGES");
        if (!l || !l[0])
            l = getenv("LANG");
        lang_chosen = is_german(l) ? MX_LANG_DE : MX_LANG_EN;
    }
    /* gettext picks the catalogue from LANGUAGE, which it ignores in the plain C locale: the
     * messages category then uses C.UTF-8, which every glibc has, so --lang works in any
     * locale. The characters still follow LC_CTYPE. */
    setenv("LANGUAGE", lang_chosen == MX_LANG_DE ? "de" : "en", 1);
    const char *msgs = setlocale(LC_MESSAGES, NULL);
    if (!msgs || !strcmp(msgs, "C") || !strcmp(msgs, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    find_catalogues(exe);
    if (dir_found[0]) {
        bindtextdomain(DOMAIN, dir_found);
        bind_textdomain_codeset(DOMAIN, "UTF-8");
        textdomain(DOMAIN);
    }
    return lang_chosen;
}

enum mx_lang i18n_lang(void)
{
    return lang_chosen;
}

void i18n_set_utf8(bool on)
{
    utf8 = on;
}

const char *i18n_dir(void)
{
    return dir_found;
}

/* ASCII for the few non-ASCII characters our own texts use; anything else becomes '?'. */
static const char *ascii_of(unsigned cp)
{
    switch (cp) {
    case 0xE4:
        return "ae";
    case 0xF6:
        return "oe";
    case 0xFC:
        return "ue";
    case 0xC4:
        return "Ae";
    case 0xD6:
        return "Oe";
    case 0xDC:
        return "Ue";
    case 0xDF:
        return "ss";
    case 0x2013:
    case 0x2014:
        return "-";
    case 0x2018:
    case 0x2019:
    case 0x201A:
        return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
        return "\"";
    case 0x2026:
        return "...";
    case 0x2192:
        return "->";
    case 0x203A:
        return ">";
    case 0x2713:
        return "+";
    case 0x2717:
        return "x";
    case 0xA0:
        return " ";
    default:
        return "?";
    }
}

static char *transliterate(const char *s)
{
    size_t n = strlen(s), cap = n * 3 + 1, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        unsigned cp = 0;
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < len && i + k < n; k++)
            cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
        i += len;
        const char *a = ascii_of(cp);
        size_t al = strlen(a);
        if (o + al >= cap)
            break;
        memcpy(out + o, a, al);
        o += al;
    }
    out[o] = 0;
    return out;
}

static const char *ascii_form(const char *t);

const char *i18n_ntext(const char *msgid, const char *plural, long n)
{
    unsigned long k = n < 0 ? 0 : (unsigned long)n;
    const char *t = dir_found[0] ? dngettext(DOMAIN, msgid, plural, k) : (k == 1 ? msgid : plural);
    return ascii_form(t);
}

const char *i18n_text(const char *msgid)
{
    return ascii_form(dir_found[0] ? dgettext(DOMAIN, msgid) : msgid);
}

/* t itself on a UTF-8 terminal, else its ASCII transliteration (made once, kept). */
static const char *ascii_form(const char *t)
{
    if (utf8)
        return t;
    bool plain = true;
    for (const char *p = t; *p; p++)
        if ((unsigned char)*p >= 0x80) {
            plain = false;
            break;
        }
    if (plain)
        return t;
    for (size_t i = 0; i < n_translit; i++)
        if (translit[i].from == t)
            return translit[i].to;
    if (n_translit == TRANSLIT_MAX)
        return t;
    char *a = transliterate(t);
    if (!a)
        return t;
    translit[n_translit].from = t;
    translit[n_translit].to = a;
    n_translit++;
    return a;
}
