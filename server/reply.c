/* reply: JSON replies and the error envelope of API v1, request headers and arguments, the
 * strict JSON body parser every route shares. */
#include "server/reply.h"

#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "api/mx_codec.h"

/* Messages of the API's own error codes; codec and rule codes take theirs from api/. */
static const struct {
    const char *code;
    const char *en;
    const char *de;
} MESSAGES[] = {
    {"bad_request", "The request is malformed.", "Die Anfrage ist fehlerhaft."},
    {"unauthorized", "Please log in.", "Bitte melden Sie sich an."},
    {"session_expired", "The session has expired; please log in again.",
     "Die Sitzung ist abgelaufen; bitte melden Sie sich neu an."},
    {"invalid_credentials", "Login or password is wrong.",
     "Kundennummer/Login oder Passwort ist falsch."},
    {"otp_required", "Please enter the one-time code of your authenticator app.",
     "Bitte geben Sie den Einmalcode Ihrer Authenticator-App ein."},
    {"forbidden", "Only support staff may do this.", "Das darf nur der Support."},
    {"not_found", "Not found.", "Nicht gefunden."},
    {"method_not_allowed", "This method is not allowed here.",
     "Diese Methode ist hier nicht erlaubt."},
    {"stale", "The configuration was changed in the meantime.",
     "Die Konfiguration wurde inzwischen geändert."},
    {"payload_too_large", "The request body is too large.", "Der Inhalt der Anfrage ist zu groß."},
    {"unsupported_media_type", "Please send JSON (Content-Type: application/json).",
     "Bitte senden Sie JSON (Content-Type: application/json)."},
    {"validation_failed", "The configuration breaks the rules.",
     "Die Konfiguration verletzt die Regeln."},
    {"if_match_required", "Please send If-Match with the version you edited.",
     "Bitte senden Sie If-Match mit der bearbeiteten Version."},
    {"too_many_requests", "Too many requests; please try again later.",
     "Zu viele Anfragen; bitte versuchen Sie es später erneut."},
    {"too_many_checks", "Too many DNS checks at once; please wait for the running ones.",
     "Zu viele DNS-Prüfungen gleichzeitig; bitte warten Sie auf die laufenden."},
    {"request_header_fields_too_large", "The request head is too large.",
     "Der Kopf der Anfrage ist zu groß."},
    {"internal", "Internal server error.", "Interner Serverfehler."},
};

static const char *message_for(const char *code, enum mx_lang lang)
{
    for (size_t i = 0; i < sizeof MESSAGES / sizeof MESSAGES[0]; i++) {
        if (strcmp(MESSAGES[i].code, code) == 0)
            return lang == MX_LANG_DE ? MESSAGES[i].de : MESSAGES[i].en;
    }
    int c = mx_code_from_name(code);
    if (c >= 0)
        return mx_code_message((enum mx_code)c, lang);
    return lang == MX_LANG_DE ? "Fehler." : "Error.";
}

static int queue(struct request *rq, unsigned status, char *body, size_t len, const char *etag)
{
    /* cJSON passes bytes >= 0x80 through as they are: a stray byte in stored data (an import
     * from elsewhere) would make the whole reply unreadable to a strict client. */
    if (body && !mx_utf8_valid(body, len)) {
        char *fixed = mx_utf8_repair(body, len, &len);
        free(body);
        body = fixed;
        if (!body) {
            rq->status = 500;
            return MHD_NO;
        }
    }
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    if (body)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (etag) {
        char quoted[48];
        snprintf(quoted, sizeof quoted, "\"%s\"", etag);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, quoted);
    }
    if (rq->retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", rq->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    if (rq->close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED && rq->allow[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rq->allow);
    enum MHD_Result r = MHD_queue_response(rq->conn, status, resp);
    MHD_destroy_response(resp);
    rq->status = status;
    return r;
}

int reply_json(struct request *rq, unsigned status, char *json, const char *etag)
{
    if (!json)
        return reply_error(rq, 500, "internal", NULL);
    return queue(rq, status, json, strlen(json), etag);
}

int reply_cjson(struct request *rq, unsigned status, const cJSON *root, const char *etag)
{
    return reply_json(rq, status, root ? cJSON_PrintUnformatted(root) : NULL, etag);
}

int reply_error_ex(struct request *rq, unsigned status, const char *code,
                   const struct mx_problems *details, const char *extra_key, cJSON *extra)
{
    char *json = mx_error_to_json(code, message_for(code, rq->lang), details, rq->lang);
    if (json && extra_key && extra) {
        cJSON *root = cJSON_Parse(json);
        cJSON *err = root ? cJSON_GetObjectItemCaseSensitive(root, "error") : NULL;
        if (err && cJSON_AddItemToObject(err, extra_key, extra)) {
            extra = NULL;
            char *with = cJSON_PrintUnformatted(root);
            if (with) {
                cJSON_free(json);
                json = with;
            }
        }
        cJSON_Delete(root);
    }
    cJSON_Delete(extra);
    if (!json) {
        static const char fallback[] = "{\"error\":{\"code\":\"internal\",\"message\":\"out of "
                                       "memory\",\"details\":[]}}";
        json = strdup(fallback);
        status = 500;
        if (!json)
            return queue(rq, status, NULL, 0, NULL);
    }
    return queue(rq, status, json, strlen(json), NULL);
}

int reply_error(struct request *rq, unsigned status, const char *code,
                const struct mx_problems *details)
{
    return reply_error_ex(rq, status, code, details, NULL, NULL);
}

int reply_bad_request(struct request *rq, const char *field, enum mx_code code)
{
    struct mx_problems p = {0};
    mx_problems_add(&p, field, code);
    int r = reply_error(rq, 400, "bad_request", &p);
    mx_problems_free(&p);
    return r;
}

int reply_no_content(struct request *rq)
{
    return queue(rq, MHD_HTTP_NO_CONTENT, NULL, 0, NULL);
}

void request_set_retry_after(struct request *rq, int seconds)
{
    rq->retry_after = seconds;
}

const char *request_header(struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *request_arg(struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The name of the first member of obj that an earlier member already has, or NULL. */
static const char *repeated_member(const cJSON *obj)
{
    for (const cJSON *it = obj->child; it; it = it->next) {
        for (const cJSON *prev = obj->child; it->string && prev != it; prev = prev->next) {
            if (prev->string && strcmp(prev->string, it->string) == 0)
                return it->string;
        }
    }
    return NULL;
}

cJSON *request_json_object(struct request *rq, int *replied)
{
    struct mx_problems p = {0};
    enum mx_code rc = MX_OK;
    /* The codec's front door for every body: size, depth, raw control bytes and strings that
     * hide \u0000 (cJSON would cut them short) are refused with the field they are in. */
    cJSON *root = mx_json_parse_strict(rq->body, rq->body_len, &rc, &p);
    if (root && cJSON_IsObject(root)) {
        /* A member given twice is ambiguous (cJSON finds the first, other parsers the last):
         * refused as the codec refuses it in a PUT body. */
        const char *twice = repeated_member(root);
        if (!twice)
            return root;
        rc = MX_JSON_SYNTAX;
        mx_problems_add(&p, twice, rc);
    }
    if (root) {
        cJSON_Delete(root);
        if (rc == MX_OK)
            rc = MX_JSON_WRONG_TYPE;
    }
    *replied = reply_decode_error(rq, rc, &p);
    mx_problems_free(&p);
    return NULL;
}

int reply_decode_error(struct request *rq, enum mx_code rc, struct mx_problems *errs)
{
    const char *code = rc == MX_JSON_SYNTAX || rc == MX_JSON_TOO_DEEP || rc == MX_JSON_TOO_LARGE
                           ? mx_code_name(rc)
                           : "bad_request";
    if (errs->count == 0)
        mx_problems_add(errs, "", rc);
    return reply_error(rq, 400, code, errs);
}

/* s as a decimal number of digits only (strtoll would also take blanks, a sign and clamp on
 * overflow). Returns false when s is empty, holds anything but digits, or exceeds max. */
static bool plain_decimal(const char *s, long long max, long long *out)
{
    long long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        int d = *s - '0';
        if (v > (max - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool request_int_arg(struct request *rq, const char *name, long def, long min, long max, long *out)
{
    const char *s = request_arg(rq, name);
    *out = def;
    if (!s)
        return true;
    long long v = 0;
    if (!plain_decimal(s, max, &v) || v < min)
        return false;
    *out = (long)v;
    return true;
}

long long request_path_id(const char *s)
{
    long long v = 0;
    if (s[0] == '0' || !plain_decimal(s, LLONG_MAX, &v))
        return 0;
    return v;
}

int reply_error_raw(struct request *rq, int fd, unsigned status, const char *reason,
                    const char *code)
{
    char *json = mx_error_to_json(code, message_for(code, rq->lang), NULL, rq->lang);
    if (!json)
        return -1;
    char head[256];
    size_t body_len = strlen(json);
    int hl = snprintf(head, sizeof head,
                      "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\n"
                      "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: %zu\r\n\r\n",
                      status, reason, body_len);
    int ret = -1;
    /* Small enough for an empty socket buffer: one try each, never a wait. */
    if (hl > 0 && (size_t)hl < sizeof head &&
        send(fd, head, (size_t)hl, MSG_NOSIGNAL | MSG_DONTWAIT) == hl &&
        send(fd, json, body_len, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)body_len) {
        shutdown(fd, SHUT_WR);
        rq->status = status;
        ret = 0;
    }
    cJSON_free(json);
    return ret;
}

/* application/json, any case, with or without parameters; RFC 9110 lets blanks (space or tab)
 * stand around the ';'. */
static bool content_type_json(const char *ct)
{
    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return false;
    ct += n;
    ct += strspn(ct, " \t");
    return *ct == '\0' || *ct == ';';
}

struct framing {
    int n_length, n_coding;
    const char *coding;
};

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
    (void)kind;
    struct framing *f = cls;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
        f->n_length++;
    else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->n_coding++;
        f->coding = value;
    }
    return MHD_YES;
}

/* libmicrohttpd reads the first Content-Length and lets Transfer-Encoding win. */
bool request_framing_refused(struct request *rq, int *result)
{
    struct framing f = {0};
    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, count_framing, &f);
    const char *field = NULL;
    if (f.n_coding > 1 ||
        (f.n_coding == 1 && (strcasecmp(f.coding, "chunked") != 0 || f.n_length > 0)))
        field = MHD_HTTP_HEADER_TRANSFER_ENCODING;
    else if (f.n_length > 1)
        field = MHD_HTTP_HEADER_CONTENT_LENGTH;
    if (!field)
        return false;
    rq->close = true;
    *result = reply_bad_request(rq, field, MX_JSON_BAD_VALUE);
    return true;
}

bool request_is_json(struct request *rq)
{
    return content_type_json(request_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE));
}
