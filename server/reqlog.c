/* reqlog: the request log line and the escaping of the client's text in it. */
#include "server/reqlog.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/mx_rules.h"
#include "server/db.h"

/* Client text (len bytes) as the log may show it, into out (size bytes, NUL-terminated; cut
 * with "..." when longer): every control (C0, DEL, C1), blank, bidi or invisible character and
 * every byte that is not UTF-8 becomes '?', so that a line can neither be forged nor recolour
 * or reorder the terminal that reads it. */
static void log_clean(const char *s, size_t len, char *out, size_t size)
{
    size_t n = 0, i = 0;
    while (i < len && n + 4 < size) {
        uint32_t cp = 0;
        size_t k = (unsigned char)s[i] < 0x80 ? 1 : mx_utf8_decode(s + i, len - i, &cp);
        if (k == 1)
            cp = (unsigned char)s[i];
        if (k == 0 || cp == ' ' || mx_codepoint_class(cp) != MX_OK || n + k + 4 > size) {
            out[n++] = '?';
            i += k ? k : 1;
            continue;
        }
        memcpy(out + n, s + i, k);
        n += k;
        i += k;
    }
    if (i < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

void reqlog_write(const char *ip, const char *method, const char *path, unsigned status, double ms,
                  bool aborted)
{
    char when[32];
    db_time_iso(time(NULL), when);
    /* The path came URL-decoded, and libmicrohttpd takes any bytes but space as the method. */
    char p[256], m[32];
    log_clean(path, strlen(path), p, sizeof p);
    log_clean(method, strlen(method), m, sizeof m);
    char line[512];
    int len = snprintf(line, sizeof line, "%s %s %s %s %u %.2f%s\n", when, ip, m, p, status, ms,
                       aborted ? " aborted" : "");
    if (len > 0) {
        ssize_t w =
            write(STDERR_FILENO, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
        (void)w;
    }
}
