/* DNS settings of one name: every row the API returns (NS, A, AAAA, CNAME, TXT, DynDNS, MX)
 * with its current value. The MX row opens the MX editor; the other rows say that this tool
 * does not edit them. When an own mail server is not possible here (a subdomain with its own
 * name servers, DynDNS on, a CNAME), a banner says why and what to change first. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_LOAD = 1 };
enum { ACT_OPEN = ACT_VIEW, ACT_RELOAD, ACT_MX };

static const struct key_binding dns_keys[] = {
    {WK_ENTER, ACT_OPEN, N_("Open"), N_("MX row: manage the MX record; other rows: what to do")},
    {'m', ACT_MX, N_("MX"), N_("manage the MX record (from any row)")},
    {'r', ACT_RELOAD, N_("Reload"), N_("load the DNS settings again")},
};

enum row_kind { ROW_NS, ROW_A, ROW_AAAA, ROW_CNAME, ROW_TXT, ROW_DYNDNS, ROW_MX, ROW_MAIL };

struct dns_view {
    struct view base;
    char name[MX_HOST_SIZE];
    char display[MX_DISPLAY_SIZE];
    struct list *list;
    enum row_kind *kinds;
    size_t n_kinds;
    struct api_result *dns; /* the last answer (kept), NULL before */
    char banner[2048];
    struct rect area;
};

static struct dns_view *nv(struct view *v)
{
    return (struct dns_view *)v;
}

/* quiet: a refresh nobody asked for (coming back from the editor) shows no spinner and is not
 * what Esc cancels. */
static void load(struct dns_view *d, bool quiet)
{
    struct app_call call = {
        .call = API_CALL_DNS, .str = d->name, .label = _("Loading DNS settings…"), .quiet = quiet};
    app_request(&d->base, TAG_LOAD, &call);
}

static void dns_enter(struct view *v)
{
    load(nv(v), false);
}

static int banner_rows(const struct dns_view *d, int width)
{
    return d->banner[0] ? ui_wrapped_rows(d->banner, width - 4) + 1 : 0;
}

static void dns_layout(struct view *v, struct rect area)
{
    struct dns_view *d = nv(v);
    d->area = area;
    int top = 2 + banner_rows(d, area.w);
    widget_resize(list_widget(d->list), (struct rect){area.y + top, area.x, area.h - top, area.w});
}

static void dns_draw(struct view *v, WINDOW *win)
{
    struct dns_view *d = nv(v);
    char head[1400];
    if (strcmp(d->name, d->display) != 0)
        snprintf(head, sizeof head, _("DNS settings of %s (%s)"), d->display, d->name);
    else
        snprintf(head, sizeof head, _("DNS settings of %s"), d->display);
    draw_text(win, d->area.y, d->area.x + 1, d->area.w - 2, head, strlen(head),
              theme_attr(ROLE_NORMAL) | A_BOLD);
    if (d->banner[0]) {
        struct rect r = {d->area.y + 2, d->area.x + 2, banner_rows(d, d->area.w) - 1,
                         d->area.w - 4};
        draw_str(win, r.y, d->area.x, 2, draw_symbol(SYM_WARNING), theme_attr(ROLE_WARNING));
        ui_wrapped(win, r, ROLE_WARNING, d->banner);
    }
    form_draw(v->form, win);
    if (!d->dns) {
        struct widget *lw = list_widget(d->list);
        view_draw_failure(v, win, (struct rect){lw->rect.y + 1, lw->rect.x, 2, lw->rect.w});
    }
}

static void add(struct dns_view *d, enum row_kind kind, const char *type, const char *value,
                const char *note)
{
    enum row_kind *k = realloc(d->kinds, (d->n_kinds + 1) * sizeof *k);
    if (!k)
        return;
    d->kinds = k;
    const char *cells[] = {type, value, note ? note : ""};
    if (list_append(d->list, 0, cells) == 0)
        d->kinds[d->n_kinds++] = kind;
}

/* One row per value: the type on the first, the note beside it. */
static void add_group(struct dns_view *d, enum row_kind kind, const char *type,
                      const char *const *values, size_t n, const char *note)
{
    if (!n) {
        add(d, kind, type, _("(none)"), note);
        return;
    }
    for (size_t i = 0; i < n; i++)
        add(d, kind, i ? "" : type, values[i], i ? "" : note);
}

static void fill(struct dns_view *d, const struct api_dns *dns)
{
    char buf[256];
    list_clear(d->list);
    free(d->kinds);
    d->kinds = NULL;
    d->n_kinds = 0;
    const char *read_only = _("not edited here");
    add_group(d, ROW_NS, "NS", dns->ns_servers, dns->n_ns_servers,
              dns->ns_own ? _("own name servers") : _("the provider's name servers"));
    add_group(d, ROW_A, "A", dns->a, dns->n_a, read_only);
    add_group(d, ROW_AAAA, "AAAA", dns->aaaa, dns->n_aaaa, read_only);
    add_group(d, ROW_CNAME, "CNAME", &dns->cname, dns->cname ? 1 : 0, read_only);
    add_group(d, ROW_TXT, "TXT", dns->txt, dns->n_txt, read_only);
    add(d, ROW_DYNDNS, "DynDNS", dns->dyndns ? _("on") : _("off"), read_only);
    const char *note =
        dns->own_mail_possible ? _("Enter: manage") : _("Enter: manage (no own server)");
    add(d, ROW_MX, "MX", ui_mode_name(dns->mx_mode), note);
    for (size_t i = 0; i < dns->n_mx_records; i++) {
        snprintf(buf, sizeof buf, "%5ld  %s", dns->mx_records[i].priority, dns->mx_records[i].host);
        add(d, ROW_MX, "", buf, "");
    }
    ui_mail_counts(buf, sizeof buf, dns->mailboxes, dns->forwards, false);
    add(d, ROW_MAIL, _("Mail"), buf, _("in the provider's mail system"));
}

static void make_banner(struct dns_view *d, const struct api_dns *dns)
{
    d->banner[0] = 0;
    if (dns->own_mail_possible)
        return;
    ui_copy(d->banner, sizeof d->banner, _("An own mail server is not possible for this name:"));
    size_t o = strlen(d->banner);
    for (size_t i = 0; i < dns->n_reasons && o < sizeof d->banner; i++)
        o += (size_t)snprintf(d->banner + o, sizeof d->banner - o, "\n%s %s",
                              draw_symbol(SYM_BULLET), dns->reasons[i].message);
}

static void dns_result(struct view *v, int tag, struct api_result *res)
{
    struct dns_view *d = nv(v);
    if (tag != TAG_LOAD || res->status != API_OK) {
        if (tag == TAG_LOAD && res->status == API_ERR_NOT_FOUND)
            app_status(v->app, ROLE_ERROR, _("%s was not found (or is not yours)."), d->display);
        return;
    }
    api_result_free(&d->dns);
    d->dns = api_result_keep(res);
    fill(d, res->dns);
    make_banner(d, res->dns);
    app_relayout(v->app);
}

static void open_row(struct dns_view *d)
{
    size_t row = list_selected(d->list);
    if (!d->dns || row == (size_t)-1 || row >= d->n_kinds)
        return;
    struct app *a = d->base.app;
    switch (d->kinds[row]) {
    case ROW_MX:
        app_push(a, mxedit_view_new(a, d->name, d->display, d->dns->dns));
        break;
    case ROW_NS:
        app_status(a, ROLE_STATUS, "%s",
                   _("Name servers are not edited here: the customer changes them in the DNS "
                     "settings of the customer login."));
        break;
    case ROW_DYNDNS:
        app_status(a, ROLE_STATUS, "%s",
                   _("DynDNS is not switched here: the customer does it in the customer "
                     "login."));
        break;
    case ROW_MAIL:
        app_status(a, ROLE_STATUS, "%s",
                   _("Mailboxes and forwards are managed in the customer login; with an own "
                     "mail server the provider's mail system no longer receives mail for "
                     "this name."));
        break;
    default:
        app_status(a, ROLE_STATUS, "%s",
                   _("This record is not edited here: mxtui edits only the MX record."));
        break;
    }
}

static int dns_key(struct view *v, int key)
{
    struct dns_view *d = nv(v);
    if (key == '?' || key == 'r' || key == 'm')
        return WIDGET_IGNORED;
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE)
        open_row(d);
    if (flags & (WIDGET_REDRAW | WIDGET_HANDLED))
        app_dirty(v->app);
    return flags;
}

static void dns_action(struct view *v, int action)
{
    struct dns_view *d = nv(v);
    if (action == ACT_OPEN)
        open_row(d);
    else if (action == ACT_RELOAD)
        load(d, false);
    else if (action == ACT_MX && d->dns)
        app_push(v->app, mxedit_view_new(v->app, d->name, d->display, d->dns->dns));
}

static void dns_resume(struct view *v)
{
    load(nv(v), true); /* the MX editor may have changed the MX row */
}

static const char *dns_help(struct view *v)
{
    (void)v;
    return _("The DNS settings of the name as the provider's DNS holds them. mxtui edits only "
             "the MX record: choose its row and press Enter. An own mail server needs the "
             "provider's name servers (for a subdomain), DynDNS switched off and no CNAME on "
             "the name.");
}

static void dns_free(struct view *v)
{
    struct dns_view *d = nv(v);
    api_result_free(&d->dns);
    free(d->kinds);
    view_clear(v);
    free(d);
}

static const struct view_ops dns_ops = {
    .name = "dns",
    .enter = dns_enter,
    .layout = dns_layout,
    .draw = dns_draw,
    .key = dns_key,
    .action = dns_action,
    .result = dns_result,
    .resume = dns_resume,
    .help = dns_help,
    .free = dns_free,
};

struct view *dns_view_new(struct app *a, const char *name, const char *display)
{
    struct dns_view *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (view_init(&d->base, a, &dns_ops, dns_keys, sizeof dns_keys / sizeof dns_keys[0])) {
        free(d);
        return NULL;
    }
    ui_copy(d->name, sizeof d->name, name);
    ui_copy(d->display, sizeof d->display, display ? display : name);
    /* The name, cut to what the crumb holds (the heading shows it whole), then "DNS". */
    char shown[sizeof d->base.crumb - 8];
    ui_copy(shown, sizeof shown, d->display);
    ui_format(d->base.crumb, sizeof d->base.crumb, "%s\tDNS", shown);
    struct list_column cols[] = {{_("Type"), 7}, {_("Value"), 0}, {_("Note"), 32}};
    d->list = list_new(cols, 3);
    if (!d->list || !form_add(d->base.form, list_widget(d->list))) {
        dns_free(&d->base);
        return NULL;
    }
    return &d->base;
}
