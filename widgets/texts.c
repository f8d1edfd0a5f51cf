/* The widgets' own words and the application's replacements for them; see texts.h. */
#include "widgets/texts.h"

#include <stddef.h>

static const char *const english[WT_COUNT] = {
    [WT_FILTER_COUNT] = "%zu of %zu",
    [WT_TOO_SMALL] = "Terminal too small: %dx%d, needs at least %dx%d",
};

static const char *own[WT_COUNT];

void widget_text_set(enum widget_text t, const char *fmt)
{
    if ((unsigned)t < WT_COUNT)
        own[t] = fmt;
}

const char *widget_text(enum widget_text t)
{
    if ((unsigned)t >= WT_COUNT)
        return "";
    return own[t] ? own[t] : english[t];
}
