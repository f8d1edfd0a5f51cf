/* client_status: names and messages (German and English) of the client's status codes. */
#include "api/client.h"

static const char *const status_names[API_STATUS_COUNT] = {
    [API_OK] = "ok",
    [API_ERR_NETWORK] = "network",
    [API_ERR_TLS] = "tls",
    [API_ERR_TIMEOUT] = "timeout",
    [API_ERR_CANCELLED] = "cancelled",
    [API_ERR_INSECURE] = "insecure",
    [API_ERR_UNAUTHORIZED] = "unauthorized",
    [API_ERR_SESSION_EXPIRED] = "session_expired",
    [API_ERR_INVALID_CREDENTIALS] = "invalid_credentials",
    [API_ERR_OTP_REQUIRED] = "otp_required",
    [API_ERR_FORBIDDEN] = "forbidden",
    [API_ERR_NOT_FOUND] = "not_found",
    [API_ERR_CONFLICT] = "conflict",
    [API_ERR_VALIDATION] = "validation",
    [API_ERR_RATE_LIMITED] = "rate_limited",
    [API_ERR_BAD_REQUEST] = "bad_request",
    [API_ERR_SERVER] = "server",
    [API_ERR_PROTOCOL] = "protocol",
    [API_ERR_NO_MEMORY] = "no_memory",
};

/* [status][lang]: English first, then German. */
static const char *const status_messages[API_STATUS_COUNT][2] = {
    [API_OK] = {"Done.", "Erledigt."},
    [API_ERR_NETWORK] = {"The server cannot be reached. Check the address and the network.",
                         "Der Server ist nicht erreichbar. Bitte Adresse und Netzwerk prüfen."},
    [API_ERR_TLS] = {"The server's certificate could not be verified; the connection was refused.",
                     "Das Zertifikat des Servers ließ sich nicht prüfen; die Verbindung wurde "
                     "abgelehnt."},
    [API_ERR_TIMEOUT] = {"The server did not answer in time.",
                         "Der Server hat nicht rechtzeitig geantwortet."},
    [API_ERR_CANCELLED] = {"The request was cancelled.", "Die Anfrage wurde abgebrochen."},
    [API_ERR_INSECURE] = {"Plain http is only allowed to this computer (loopback); use https.",
                          "Unverschlüsseltes http ist nur zu diesem Rechner (Loopback) erlaubt; "
                          "bitte https verwenden."},
    [API_ERR_UNAUTHORIZED] = {"Not logged in. Please log in again.",
                              "Nicht angemeldet. Bitte erneut anmelden."},
    [API_ERR_SESSION_EXPIRED] = {"The session has expired. Please log in again.",
                                 "Die Sitzung ist abgelaufen. Bitte erneut anmelden."},
    [API_ERR_INVALID_CREDENTIALS] = {"Login or password is wrong.",
                                     "Kennung oder Passwort ist falsch."},
    [API_ERR_OTP_REQUIRED] = {"This account needs a one-time code.",
                              "Für dieses Konto ist ein Einmalcode nötig."},
    [API_ERR_FORBIDDEN] = {"This account may not do that.", "Dieses Konto darf das nicht."},
    [API_ERR_NOT_FOUND] = {"Not found (or not yours).", "Nicht gefunden (oder nicht Ihres)."},
    [API_ERR_CONFLICT] = {"Someone else changed this meanwhile; reload and try again.",
                          "Jemand anderes hat dies inzwischen geändert; bitte neu laden und "
                          "erneut versuchen."},
    [API_ERR_VALIDATION] = {"The configuration breaks the rules.",
                            "Die Konfiguration verstößt gegen die Regeln."},
    [API_ERR_RATE_LIMITED] = {"Too many attempts; please wait before trying again.",
                              "Zu viele Versuche; bitte warten und später erneut versuchen."},
    [API_ERR_BAD_REQUEST] = {"The server refused the request as malformed.",
                             "Der Server hat die Anfrage als fehlerhaft abgelehnt."},
    [API_ERR_SERVER] = {"The server had an internal error; please try again later.",
                        "Der Server hatte einen internen Fehler; bitte später erneut versuchen."},
    [API_ERR_PROTOCOL] = {"The server's reply is not what the API promises.",
                          "Die Antwort des Servers entspricht nicht der API."},
    [API_ERR_NO_MEMORY] = {"Out of memory.", "Nicht genug Arbeitsspeicher."},
};

const char *api_status_name(enum api_status status)
{
    if ((unsigned)status >= API_STATUS_COUNT)
        return "unknown";
    return status_names[status];
}

const char *api_status_message(enum api_status status, enum mx_lang lang)
{
    if ((unsigned)status >= API_STATUS_COUNT)
        status = API_ERR_PROTOCOL;
    return status_messages[status][lang == MX_LANG_DE ? 1 : 0];
}
