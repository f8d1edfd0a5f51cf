/* Short forms of the rules' messages, for the mark beside a field as the user types ("needs a
 * trailing dot"); mx_code_message keeps the full sentence for status lines and the API. */
#include "api/mx_rules.h"

#include <stddef.h>

struct hint {
    enum mx_code code;
    const char *en, *de;
};

static const struct hint hints[] = {
    {MX_EMPTY, "enter a host name", "Hostname eingeben"},
    {MX_INPUT_TOO_LONG, "too long", "zu lang"},
    {MX_INVALID_UTF8, "not valid UTF-8", "kein gültiges UTF-8"},
    {MX_NUL_BYTE, "contains a NUL byte", "enthält ein NUL-Byte"},
    {MX_CONTROL_CHARACTER, "contains a control character", "enthält ein Steuerzeichen"},
    {MX_WHITESPACE, "no spaces allowed", "keine Leerzeichen erlaubt"},
    {MX_BIDI_CHARACTER, "contains a text-direction character",
     "enthält ein Schreibrichtungszeichen"},
    {MX_INVISIBLE_CHARACTER, "contains an invisible character", "enthält ein unsichtbares Zeichen"},
    {MX_NO_TRAILING_DOT, "needs a trailing dot", "braucht einen Punkt am Ende"},
    {MX_EMPTY_LABEL, "has an empty part (..)", "hat einen leeren Teil (..)"},
    {MX_LABEL_TOO_LONG, "a part is longer than 63", "ein Teil ist länger als 63"},
    {MX_NAME_TOO_LONG, "longer than 253 characters", "länger als 253 Zeichen"},
    {MX_INVALID_CHARACTER, "only letters, digits, hyphens and dots",
     "nur Buchstaben, Ziffern, Bindestriche und Punkte"},
    {MX_HYPHEN_EDGE, "a part begins or ends with a hyphen",
     "ein Teil beginnt oder endet mit Bindestrich"},
    {MX_NUMERIC_TLD, "top-level domain of digits only", "Top-Level-Domain nur aus Ziffern"},
    {MX_IP_LITERAL, "not a host name: IP address", "kein Hostname: IP-Adresse"},
    {MX_IDN_INVALID, "not a valid international name", "kein gültiger internationaler Name"},
    {MX_SINGLE_LABEL, "needs a name and a top-level domain", "braucht Name und Top-Level-Domain"},
    {MX_DUPLICATE_HOST, "entered twice: already above", "doppelt: steht schon weiter oben"},
    {MX_BACKUP_NOT_LOWER_PRIORITY, "must come after every primary (a higher number)",
     "muss nach allen primären kommen (höhere Zahl)"},
    {MX_PRIORITY_OUT_OF_RANGE, "priority 0 to 65535", "Priorität 0 bis 65535"},
    {MX_NO_ADDRESS, "no A record", "kein A-Record"},
    {MX_AAAA_ONLY, "only an AAAA record — the provider asks for an A record",
     "nur ein AAAA-Record — der Provider verlangt einen A-Record"},
    {MX_UNVERIFIABLE, "could not be checked", "konnte nicht geprüft werden"},
};

const char *mx_code_hint(enum mx_code code, enum mx_lang lang)
{
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (hints[i].code == code)
            return lang == MX_LANG_DE ? hints[i].de : hints[i].en;
    return mx_code_message(code, lang);
}
