/* i18n: the language of mxtui. Texts are written in English in the code and translated through
 * gettext (po/de.po, po/en.po; the catalogues are built into the build tree and installed under
 * PREFIX/share/locale). The language comes from --lang, else from the locale (de_* is German),
 * else English; api/'s messages follow the same choice through enum mx_lang. */
#ifndef TUI_I18N_H
#define TUI_I18N_H

#include "api/mx_rules.h"

#include <stdbool.h>

/* Marks a text for translation and translates it now (the gettext convention). */
#define _(s) i18n_text(s)
/* The singular or plural text for n (ngettext), translated. */
#define P_(s, p, n) i18n_ntext((s), (p), (n))
/* Marks a text for translation where it is stored (tables); translate it with _() when used. */
#define N_(s) (s)

/* Chooses the language: lang "de" or "en" (from --lang or the config), or NULL to follow the
 * locale (LC_ALL, LC_MESSAGES, LANG: de_* is German). exe is argv[0] or /proc/self/exe's
 * target: the catalogues are looked up beside it in the build tree, then in the installed
 * place. Call after setlocale(LC_ALL, ""). Returns the language chosen. */
enum mx_lang i18n_init(const char *lang, const char *exe);

/* Returns the language chosen by i18n_init (English before it). */
enum mx_lang i18n_lang(void);

/* Tells whether the terminal shows UTF-8; without it the translations are transliterated to
 * ASCII ("ü" -> "ue"). */
void i18n_set_utf8(bool utf8);

/* The translation of msgid in the chosen language (msgid itself when there is none). The
 * returned text is static or owned by the catalogue: never free it. */
const char *i18n_text(const char *msgid);

/* The translation of msgid or plural (by the language's rule for n); static, never free it. */
const char *i18n_ntext(const char *msgid, const char *plural, long n);

/* The directory the catalogues were found in ("" when none was found: English only). */
const char *i18n_dir(void);

#endif
