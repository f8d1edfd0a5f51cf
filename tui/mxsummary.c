/* Texts about MX configurations; see mxsummary.h. */
#include "tui/mxsummary.h"

#include "api/mx_rules.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "widgets/sanitize.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends to buf[size] at *o (printf-style), never past the end. */
static void put(char *buf, size_t size, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
    if (*o + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *o, size - *o, fmt, ap);
    va_end(ap);
    if (k > 0)
        *o += (size_t)k < size - *o ? (size_t)k : size - *o - 1;
}

/* A copy of cfg with its effective records derived; NULL out of memory. */
static struct mx_config *derived(const struct mx_config *cfg, const struct mx_profile *profile)
{
    struct mx_config *c = mx_config_new();
    if (!c || mx_config_copy(c, cfg) || mx_config_derive_records(c, profile)) {
        mx_config_free(&c);
        return NULL;
    }
    return c;
}

char *mxs_one_line(char *buf, size_t size, const struct mx_config *cfg,
                   const struct mx_profile *profile)
{
    size_t o = 0;
    buf[0] = 0;
    put(buf, size, &o, "%s", ui_mode_name(cfg->mode));
    if (cfg->mode != MX_MODE_CUSTOM)
        return buf;
    for (size_t i = 0; i < cfg->n_primary; i++)
        put(buf, size, &o, "%s%ld %s", i ? ", " : ": ", cfg->primary[i].priority,
            cfg->primary[i].host);
    for (size_t i = 0; i < cfg->n_backup; i++)
        put(buf, size, &o, ", %s %ld %s", _("backup"), cfg->backup[i].priority,
            cfg->backup[i].host);
    if (cfg->provider_backup)
        put(buf, size, &o, ", %s (%s)", _("provider backup"), profile->backup_host);
    return buf;
}

static void columns(char *buf, size_t size, size_t *o, const struct mx_config *b,
                    const struct mx_config *a, const char *lhead, const char *rhead, int width);

/* Whether host is one of cfg's backups (or the provider's backup host). */
static int group_of(const struct mx_config *cfg, const struct mx_profile *profile,
                    const struct mx_entry *rec)
{
    if (cfg->provider_backup && !strcmp(rec->host, profile->backup_host))
        return 2;
    for (size_t i = 0; i < cfg->n_backup; i++)
        if (!strcmp(cfg->backup[i].host, rec->host) && cfg->backup[i].priority == rec->priority)
            return 1;
    return 0;
}

char *mxs_delivery_order(char *buf, size_t size, const struct mx_config *cfg,
                         const struct mx_profile *profile)
{
    size_t o = 0;
    buf[0] = 0;
    if (cfg->mode == MX_MODE_NONE) {
        put(buf, size, &o, "%s", _("nobody: senders get an immediate bounce (null MX)"));
        return buf;
    }
    struct mx_config *d = derived(cfg, profile);
    if (!d)
        return buf;
    const char *arrow = sanitize_utf8() ? " \u2192 " : " -> ";
    int place = 0;
    for (size_t i = 0; i < d->n_records; i++) {
        const struct mx_entry *r = &d->records[i];
        if (!r->host[0])
            continue;
        bool same = i > 0 && d->records[i - 1].priority == r->priority;
        int g = cfg->mode == MX_MODE_CUSTOM ? group_of(cfg, profile, r) : 0;
        if (same) {
            put(buf, size, &o, " + ");
        } else {
            if (o)
                put(buf, size, &o, "%s", arrow);
            place++;
            if (g == 0)
                put(buf, size, &o, "%d. ", place);
            else if (g == 1)
                put(buf, size, &o, "%s: ", _("backup"));
        }
        if (g == 2)
            put(buf, size, &o, "%s (%s)", _("provider backup"), r->host);
        else
            put(buf, size, &o, "%s", r->host);
    }
    if (!o)
        put(buf, size, &o, "%s", _("no mail server yet: enter a primary server"));
    mx_config_free(&d);
    return buf;
}

static bool same_entries(const struct mx_entry *a, size_t na, const struct mx_entry *b, size_t nb,
                         int *changes)
{
    size_t n = na > nb ? na : nb;
    bool same = na == nb;
    for (size_t i = 0; i < n; i++) {
        bool diff = i >= na || i >= nb || strcmp(a[i].host, b[i].host) != 0 ||
                    a[i].priority != b[i].priority;
        if (diff) {
            same = false;
            (*changes)++;
        }
    }
    return same;
}

char *mxs_before_after(char *buf, size_t size, const struct mx_config *before,
                       const struct mx_config *after, const struct mx_profile *profile,
                       const char *left, const char *right, int width)
{
    size_t o = 0;
    buf[0] = 0;
    struct mx_config *b = derived(before, profile), *a = derived(after, profile);
    if (b && a)
        columns(buf, size, &o, b, a, left, right, width);
    mx_config_free(&b);
    mx_config_free(&a);
    return buf;
}

int mxs_changes(const struct mx_config *before, const struct mx_config *after)
{
    int n = 0;
    if (before->mode != after->mode)
        n++;
    if (after->mode == MX_MODE_CUSTOM) {
        const struct mx_config *b = before->mode == MX_MODE_CUSTOM ? before : NULL;
        same_entries(b ? b->primary : NULL, b ? b->n_primary : 0, after->primary, after->n_primary,
                     &n);
        same_entries(b ? b->backup : NULL, b ? b->n_backup : 0, after->backup, after->n_backup, &n);
        if ((b ? b->provider_backup : false) != after->provider_backup)
            n++;
    }
    return n;
}

/* One record as a column shows it: "   10 mail.example.de.", the null MX said in words. */
static void record_text(char *buf, size_t size, const struct mx_entry *r)
{
    if (!strcmp(r->host, "."))
        ui_format(buf, size, "%5ld .  (%s)", r->priority, _("null MX: no mail"));
    else
        ui_format(buf, size, "%5ld %s", r->priority, r->host);
}

/* Two columns of records: "before" left, "after" right. */
static void columns(char *buf, size_t size, size_t *o, const struct mx_config *b,
                    const struct mx_config *a, const char *lhead, const char *rhead, int width)
{
    char left[300], right[300];
    size_t n = b->n_records > a->n_records ? b->n_records : a->n_records;
    /* The left column as wide as its widest line, so the right one keeps the rest: halves cut
     * "   90 backup-mx.provider.example." and wrapped the host under the left column. */
    int lmax = sanitize_width(lhead, strlen(lhead)), rmax = sanitize_width(rhead, strlen(rhead));
    for (size_t i = 0; i < n; i++) {
        if (i < b->n_records) {
            record_text(left, sizeof left, &b->records[i]);
            int w = sanitize_width(left, strlen(left));
            lmax = w > lmax ? w : lmax;
        }
        if (i < a->n_records) {
            record_text(right, sizeof right, &a->records[i]);
            int w = sanitize_width(right, strlen(right));
            rmax = w > rmax ? w : rmax;
        }
    }
    int half = lmax + 2 + rmax <= width ? lmax : (width - 2) / 2;
    if (half < 20)
        half = 20;
    ui_copy(left, sizeof left, lhead);
    ui_copy(right, sizeof right, rhead);
    int lw = sanitize_width(left, strlen(left));
    put(buf, size, o, "%s%*s  %s\n", left, half > lw ? half - lw : 0, "", right);
    for (size_t i = 0; i < n; i++) {
        left[0] = right[0] = 0;
        if (i < b->n_records)
            record_text(left, sizeof left, &b->records[i]);
        if (i < a->n_records)
            record_text(right, sizeof right, &a->records[i]);
        lw = sanitize_width(left, strlen(left));
        if (lw > half) {
            put(buf, size, o, "%s\n%*s  %s\n", left, half, "", right);
            continue;
        }
        put(buf, size, o, "%s%*s  %s\n", left, half - lw, "", right);
    }
}

char *mxs_confirm_text(char *buf, size_t size, const struct mx_config *before,
                       const struct mx_config *after, const struct mxs_context *ctx)
{
    size_t o = 0;
    buf[0] = 0;
    struct mx_config *b = derived(before, ctx->profile), *a = derived(after, ctx->profile);
    if (!b || !a) {
        mx_config_free(&b);
        mx_config_free(&a);
        return buf;
    }
    char lhead[160];
    snprintf(lhead, sizeof lhead, _("Now (version %lld)"), b->version);
    columns(buf, size, &o, b, a, lhead, _("After saving"), ctx->width);
    if (a->mode == MX_MODE_NONE)
        put(buf, size, &o, "\n%s\n",
            _("No mail: senders get an immediate bounce (null MX, RFC 7505); nothing is "
              "received for this name."));
    if (ctx->n_warnings) {
        put(buf, size, &o, "\n%s\n", _("Please confirm:"));
        for (size_t i = 0; i < ctx->n_warnings; i++)
            put(buf, size, &o, "%s %s\n", draw_symbol(SYM_WARNING), ctx->warnings[i]);
    }
    put(buf, size, &o, "\n");
    const char *dot = draw_symbol(SYM_BULLET);
    if (b->mode == MX_MODE_PROVIDER && a->mode != MX_MODE_PROVIDER) {
        if (ctx->mailboxes >= 0) {
            char counts[128];
            ui_mail_counts(counts, sizeof counts, ctx->mailboxes, ctx->forwards, true);
            put(buf, size, &o,
                _("%s The provider's mail system no longer stores, filters or forwards mail for "
                  "%s, even though %s exist for it."),
                dot, ctx->display, counts);
        } else {
            put(buf, size, &o,
                _("%s The provider's mail system no longer stores, filters or forwards mail for "
                  "%s, even where mailboxes or forwards exist."),
                dot, ctx->display);
        }
        put(buf, size, &o, "\n%s %s\n", dot,
            _("Existing mailboxes and the mail in them stay readable."));
    } else if (a->mode == MX_MODE_PROVIDER && b->mode != MX_MODE_PROVIDER) {
        put(buf, size, &o, "%s %s\n", dot,
            _("The provider's mail system receives the mail for this name again."));
    }
    char hours[160];
    snprintf(hours, sizeof hours, _("DNS can take up to %d hours to be active everywhere."),
             ctx->profile->propagation_hours);
    put(buf, size, &o, "%s %s\n", dot, hours);
    mx_config_free(&b);
    mx_config_free(&a);
    return buf;
}
