/* libFuzzer target: mx_host_normalize on arbitrary bytes. Beyond "no crash", it checks the
 * promises of the result: an accepted host is lower-case LDH A-label form with the final dot,
 * within the length limits, and normalising it again gives the same host. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mx_host h, again;
    enum mx_code code = mx_host_normalize((const char *)data, size, &h);
    if (code >= MX_CODE_COUNT)
        abort();
    if (code != MX_OK)
        return 0;
    size_t len = strlen(h.ascii);
    if (len < 2 || len > 254 || h.ascii[len - 1] != '.')
        abort();
    for (size_t i = 0; i + 1 < len; i++) {
        char c = h.ascii[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            abort();
    }
    if (mx_host_normalize(h.ascii, len, &again) != MX_OK || strcmp(again.ascii, h.ascii) != 0 ||
        strcmp(again.display, h.display) != 0)
        abort();
    return 0;
}
