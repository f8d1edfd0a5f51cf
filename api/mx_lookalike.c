/* mx_lookalike: host names people could take for others, judged by ICU's spoof checker
 * (uspoof, UTS #39) rather than by tables of our own. Only labels outside ASCII reach ICU. */
#include "api/mx_rules.h"

#include <pthread.h>
#include <string.h>
#include <unicode/uspoof.h>

static USpoofChecker *g_checker;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

/* One checker for every thread: ICU's check functions are safe to share once it is set up. */
static void checker_open(void)
{
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker *sc = uspoof_open(&st);
    uspoof_setChecks(sc, USPOOF_RESTRICTION_LEVEL, &st);
    uspoof_setRestrictionLevel(sc, USPOOF_HIGHLY_RESTRICTIVE);
    if (U_FAILURE(st)) {
        uspoof_close(sc);
        return;
    }
    g_checker = sc;
}

/* True when s[0..len) is letters, digits and hyphens of ASCII only. */
static bool ldh_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-'))
            return false;
    }
    return true;
}

/* The verdict on one U-label (UTF-8, len bytes, not ASCII). */
static enum mx_code label_lookalike(const char *label, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    char skeleton[4 * MX_HOST_SIZE];
    int32_t n = uspoof_getSkeletonUTF8(g_checker, 0, label, (int32_t)len, skeleton,
                                       (int32_t)sizeof skeleton, &st);
    /* A skeleton all of ASCII: there is an ASCII label that looks just like this one. */
    if (U_SUCCESS(st) && n > 0 && ldh_ascii(skeleton, (size_t)n))
        return MX_CONFUSABLE;
    st = U_ZERO_ERROR;
    int32_t failed = uspoof_checkUTF8(g_checker, label, (int32_t)len, NULL, &st);
    if (U_SUCCESS(st) && (failed & USPOOF_RESTRICTION_LEVEL))
        return MX_MIXED_SCRIPT;
    return MX_OK;
}

enum mx_code mx_host_lookalike(const struct mx_host *h)
{
    if (strcmp(h->ascii, h->display) == 0)
        return MX_OK; /* no IDN label: nothing but ASCII */
    pthread_once(&g_once, checker_open);
    if (g_checker == NULL)
        return MX_OK;
    enum mx_code worst = MX_OK;
    const char *p = h->display;
    while (*p) {
        size_t len = strcspn(p, ".");
        bool ascii = true;
        for (size_t i = 0; i < len && ascii; i++)
            ascii = (unsigned char)p[i] < 0x80;
        if (!ascii) {
            enum mx_code c = label_lookalike(p, len);
            if (c == MX_CONFUSABLE)
                return c;
            if (c != MX_OK)
                worst = c;
        }
        p += len;
        if (*p == '.')
            p++;
    }
    return worst;
}
