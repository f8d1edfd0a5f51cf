/* libFuzzer target: arbitrary bytes as the reply to every API call, with every HTTP status the
 * contract names (and some it does not), through the client's decoder. It must never crash,
 * leak or read out of bounds; anything off-contract is API_ERR_PROTOCOL. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {200, 201, 204, 302, 400, 401, 403, 404, 405, 409,
                                413, 415, 422, 428, 429, 500, 502, 503, 100, 999};
static const char *const etags[] = {NULL, "\"7\"", "W/\"12\"", "\"x\"", ""};
static const char *const retry[] = {NULL, "7", " 120 ", "Fri, 27 Nov 2026 20:00:00 GMT", "-1"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    enum api_call call = (enum api_call)(data[0] % API_CALL_COUNT);
    long http = statuses[data[1] % (sizeof(statuses) / sizeof(statuses[0]))];
    const char *etag = etags[data[2] % 5];
    const char *ra = retry[(data[2] / 5) % 5];
    enum mx_lang lang = (data[2] & 0x80) ? MX_LANG_DE : MX_LANG_EN;
    /* An exact-size copy, so reading past the body is caught by ASan. */
    size_t len = size - 3;
    char *body = malloc(len ? len : 1);
    if (!body)
        return 0;
    memcpy(body, data + 3, len);
    struct api_result *res = api_result_new(call);
    if (res) {
        enum api_status st = api_reply_decode(res, http, body, len, etag, ra, lang);
        if (!res->error.message || (st == API_OK && http >= 300))
            abort();
        /* Decoding twice into one result must not leak or double free. */
        api_reply_decode(res, http, body, len, etag, ra, lang);
        api_result_free(&res);
    }
    free(body);
    return 0;
}
