/* Helpers the screens share; see ui.h. */
#include "tui/ui.h"

#include "tui/i18n.h"
#include "widgets/sanitize.h"
#include "widgets/wrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *ui_copy(char *dst, size_t size, const char *src)
{
    if (!size)
        return dst;
    size_t n = src ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = 0;
    return dst;
}

char *ui_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return buf;
}

char *ui_time(char *buf, size_t size, const char *iso)
{
    if (iso && strlen(iso) >= 17 && iso[10] == 'T')
        ui_format(buf, size, "%.10s %.5s UTC", iso, iso + 11);
    else
        ui_copy(buf, size, iso ? iso : "");
    return buf;
}

const char *ui_name(const char *display, const char *alabel)
{
    return sanitize_utf8() || !alabel ? display : alabel;
}

const char *ui_mode_name(enum mx_mode mode)
{
    switch (mode) {
    case MX_MODE_PROVIDER:
        return _("Provider mail");
    case MX_MODE_CUSTOM:
        return _("Own mail server");
    case MX_MODE_NONE:
        return _("No mail");
    }
    return "?";
}

char *ui_mail_counts(char *buf, size_t size, long mailboxes, long forwards, bool prose)
{
    char m[64], f[64];
    snprintf(m, sizeof m, P_("%ld mailbox", "%ld mailboxes", mailboxes), mailboxes);
    snprintf(f, sizeof f, P_("%ld forward", "%ld forwards", forwards), forwards);
    /* TRANSLATORS: the mailboxes, then the forwards: "2 mailboxes, 1 forward". */
    snprintf(buf, size, prose ? _("%s and %s") : _("%s, %s"), m, f);
    return buf;
}

const char *ui_mode_short(enum mx_mode mode)
{
    switch (mode) {
    case MX_MODE_PROVIDER:
        return _("Provider");
    case MX_MODE_CUSTOM:
        return _("Own server");
    case MX_MODE_NONE:
        return _("No mail");
    }
    return "?";
}

const char *ui_kind_name(enum mx_kind kind)
{
    return kind == MX_KIND_SUBDOMAIN ? _("Subdomain") : _("Domain");
}

void ui_message(WINDOW *win, int y, int x, int width, enum role role, const char *text)
{
    if (width <= 0)
        return;
    const char *mark = role == ROLE_ERROR     ? draw_symbol(SYM_ERROR)
                       : role == ROLE_WARNING ? draw_symbol(SYM_WARNING)
                       : role == ROLE_OK      ? draw_symbol(SYM_OK)
                                              : "";
    int used = 0;
    if (mark[0]) {
        used = draw_str(win, y, x, width, mark, theme_attr(role));
        used += draw_str(win, y, x + used, width - used, " ", theme_attr(role));
    }
    draw_text(win, y, x + used, width - used, text ? text : "", text ? strlen(text) : 0,
              theme_attr(role));
}

void ui_message_wrapped(WINDOW *win, struct rect r, enum role role, const char *text)
{
    const char *mark = role == ROLE_ERROR     ? draw_symbol(SYM_ERROR)
                       : role == ROLE_WARNING ? draw_symbol(SYM_WARNING)
                       : role == ROLE_OK      ? draw_symbol(SYM_OK)
                                              : "";
    if (r.w < 4 || r.h < 1)
        return;
    if (mark[0])
        draw_str(win, r.y, r.x, 2, mark, theme_attr(role));
    ui_wrapped(win, (struct rect){r.y, r.x + 2, r.h, r.w - 2}, role, text);
}

int ui_wrapped_rows(const char *text, int width)
{
    if (width <= 0 || !text)
        return 0;
    struct wrap_line lines[64];
    return (int)wrap_text(text, width, lines, 64);
}

int ui_wrapped(WINDOW *win, struct rect r, enum role role, const char *text)
{
    if (r.w <= 0 || r.h <= 0 || !text)
        return 0;
    struct wrap_line lines[64];
    size_t n = wrap_text(text, r.w, lines, 64);
    if (n > 64)
        n = 64;
    int rows = 0;
    for (size_t i = 0; i < n && rows < r.h; i++, rows++)
        draw_text(win, r.y + rows, r.x, r.w, text + lines[i].start, lines[i].len, theme_attr(role));
    return rows;
}

struct rect ui_centre(struct rect area, int w, int h)
{
    if (w > area.w)
        w = area.w;
    if (h > area.h)
        h = area.h;
    return (struct rect){area.y + (area.h - h) / 2, area.x + (area.w - w) / 2, h, w};
}

int ui_label_width(const char *const *labels, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        int lw = sanitize_width(labels[i], strlen(labels[i]));
        if (lw > w)
            w = lw;
    }
    return w + 1;
}
