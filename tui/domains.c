/* Domains verwalten: a package's domains and subdomains (subdomains indented under their
 * domain), with the U-label form and, where it differs, the A-label, the kind and the MX mode.
 * Big packages are paged from the server: the first page shows at once, more are loaded while
 * scrolling, and a typed filter narrows the rows held at once and goes to the server after a
 * short pause (unless the rows held are already all that can match). */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_PAGE = 1 };
enum { TIMER_FILTER = 1 };
enum { PAGE_SIZE = 200, FILTER_PAUSE_MS = 250, LOAD_AHEAD = 40 };
enum { ACT_OPEN = ACT_VIEW };

static const struct key_binding domains_keys[] = {
    {WK_ENTER, ACT_OPEN, N_("DNS"), N_("open the DNS settings of the selected name")},
    {'/', 0, N_("Filter"), N_("filter by name: type to narrow the list, Esc clears the filter")},
};

/* What opening a row needs; a package may hold 100,000 rows, so the strings are as long as
 * they are, not as long as they may be. */
struct domain_row {
    char *name;    /* A-label form */
    char *display; /* U-label form */
};

struct domains_view {
    struct view base;
    long long package_id;
    char package_name[256];
    struct list *list;
    struct domain_row *rows;
    size_t n_rows, cap_rows;
    long total;         /* matches of loaded_q on the server */
    char loaded_q[160]; /* the query the rows held answer */
    char asking_q[160]; /* the query of the request in flight */
    long asking_offset;
    bool loaded;
    bool searching; /* a filter waits for its pause before it goes to the server */
    struct rect area;
};

static struct domains_view *dv(struct view *v)
{
    return (struct domains_view *)v;
}

static void ask(struct domains_view *d, const char *q, long offset)
{
    app_cancel(&d->base, TAG_PAGE);
    ui_copy(d->asking_q, sizeof d->asking_q, q);
    d->asking_offset = offset;
    struct app_call call = {.call = API_CALL_DOMAINS,
                            .num = d->package_id,
                            .query = q,
                            .offset = offset,
                            .limit = PAGE_SIZE,
                            .label = offset ? _("Loading more domains…") : _("Loading domains…")};
    app_request(&d->base, TAG_PAGE, &call);
}

static void domains_enter(struct view *v)
{
    ask(dv(v), "", 0);
}

static void domains_layout(struct view *v, struct rect area)
{
    struct domains_view *d = dv(v);
    d->area = area;
    widget_resize(list_widget(d->list), (struct rect){area.y + 2, area.x, area.h - 2, area.w});
}

static void domains_draw(struct view *v, WINDOW *win)
{
    struct domains_view *d = dv(v);
    char head[512];
    snprintf(head, sizeof head, _("Domains in package %s"), d->package_name);
    draw_text(win, d->area.y, d->area.x + 1, d->area.w - 2, head, strlen(head),
              theme_attr(ROLE_NORMAL) | A_BOLD);
    form_draw(v->form, win);
    struct widget *lw = list_widget(d->list);
    if (list_visible(d->list))
        return;
    if (view_draw_failure(v, win, (struct rect){lw->rect.y + 1, lw->rect.x, 2, lw->rect.w}))
        return;
    /* Nothing shows: the server may still find something, or there is nothing. */
    if (d->searching || app_busy(v, TAG_PAGE))
        ui_message(win, lw->rect.y + 1, lw->rect.x + 2, lw->rect.w - 4, ROLE_STATUS,
                   _("None of the rows loaded so far matches; asking the server…"));
    else if (d->loaded)
        ui_message(win, lw->rect.y + 1, lw->rect.x + 2, lw->rect.w - 4, ROLE_WARNING,
                   list_filter(d->list)[0] ? _("No name matches the filter.")
                                           : _("This package has no domains."));
}

/* Whether the rows held are all that can match filter: then the local narrowing is exact. */
static bool rows_complete_for(const struct domains_view *d, const char *filter)
{
    return d->loaded && (long)d->n_rows >= d->total && strstr(filter, d->loaded_q) != NULL;
}

static void maybe_load_more(struct domains_view *d)
{
    if (!d->loaded || (long)d->n_rows >= d->total || app_busy(&d->base, TAG_PAGE))
        return;
    if (strcmp(list_filter(d->list), d->loaded_q) != 0)
        return; /* a new query is on its way */
    size_t pos = list_position(d->list), vis = list_visible(d->list);
    if (pos + LOAD_AHEAD >= vis)
        ask(d, d->loaded_q, (long)d->n_rows);
}

static void open_selected(struct domains_view *d)
{
    size_t row = list_selected(d->list);
    if (row == (size_t)-1 || row >= d->n_rows)
        return;
    app_push(d->base.app, dns_view_new(d->base.app, d->rows[row].name,
                                       ui_name(d->rows[row].display, d->rows[row].name)));
}

static int domains_key(struct view *v, int key)
{
    struct domains_view *d = dv(v);
    if (key == '?')
        return WIDGET_IGNORED;
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE)
        open_selected(d);
    if (flags & WIDGET_CHANGED) {
        /* The filter changed: the rows held narrow at once; the server is asked after a pause
         * unless they are all there is. */
        d->searching = !rows_complete_for(d, list_filter(d->list));
        if (d->searching)
            app_timer(v, TIMER_FILTER, FILTER_PAUSE_MS);
        else
            app_timer_cancel(v, TIMER_FILTER);
    }
    if (flags & (WIDGET_REDRAW | WIDGET_HANDLED))
        app_dirty(v->app);
    maybe_load_more(d);
    return flags;
}

static void domains_action(struct view *v, int action)
{
    if (action == ACT_OPEN)
        open_selected(dv(v));
}

static void domains_timer(struct view *v, int tag)
{
    struct domains_view *d = dv(v);
    if (tag != TIMER_FILTER)
        return;
    d->searching = false;
    const char *f = list_filter(d->list);
    if (!rows_complete_for(d, f) || strcmp(f, d->loaded_q) != 0)
        ask(d, f, 0);
}

static void clear_rows(struct domains_view *d)
{
    for (size_t i = 0; i < d->n_rows; i++) {
        free(d->rows[i].name);
        free(d->rows[i].display);
    }
    d->n_rows = 0;
}

static int add_row(struct domains_view *d, const struct api_domain *it)
{
    if (d->n_rows == d->cap_rows) {
        size_t cap = d->cap_rows ? d->cap_rows * 2 : PAGE_SIZE;
        struct domain_row *r = realloc(d->rows, cap * sizeof *r);
        if (!r)
            return -1;
        d->rows = r;
        d->cap_rows = cap;
    }
    struct domain_row *r = &d->rows[d->n_rows];
    r->name = strdup(it->name);
    r->display = strdup(it->display_name);
    if (!r->name || !r->display) {
        free(r->name);
        free(r->display);
        return -1;
    }
    bool idn = strcmp(it->name, it->display_name) != 0;
    const char *shown = ui_name(it->display_name, it->name);
    const char *alabel = idn && shown != it->name ? it->name : "";
    const char *cells[] = {shown, alabel, ui_kind_name(it->kind), ui_mode_short(it->mx_mode)};
    if (list_append(d->list, it->kind == MX_KIND_SUBDOMAIN ? 1 : 0, cells)) {
        free(r->name);
        free(r->display);
        return -1;
    }
    d->n_rows++;
    return 0;
}

static void domains_result(struct view *v, int tag, struct api_result *res)
{
    struct domains_view *d = dv(v);
    if (tag == TAG_PAGE && res->status == API_ERR_CANCELLED) {
        /* Esc stops the loading, also the query a typed filter still waits to send. */
        app_timer_cancel(v, TIMER_FILTER);
        d->searching = false;
        return;
    }
    if (tag != TAG_PAGE || res->status != API_OK)
        return;
    const struct api_domains *ds = res->domains;
    if (ds->offset == 0) {
        list_clear(d->list);
        clear_rows(d);
        ui_copy(d->loaded_q, sizeof d->loaded_q, d->asking_q);
    } else if (ds->offset != (long)d->n_rows || strcmp(d->asking_q, d->loaded_q) != 0) {
        return; /* an answer for rows we no longer hold */
    }
    for (size_t i = 0; i < ds->count; i++)
        if (add_row(d, &ds->items[i])) {
            app_status(v->app, ROLE_ERROR, "%s", _("Out of memory: not every domain is shown."));
            break;
        }
    d->total = ds->total;
    list_set_total(d->list, (size_t)ds->total);
    d->loaded = true;
    app_dirty(v->app);
    /* The filter may have moved on while this page was on its way. */
    const char *f = list_filter(d->list);
    if (strcmp(f, d->loaded_q) != 0 && !rows_complete_for(d, f)) {
        d->searching = true;
        app_timer(v, TIMER_FILTER, 0);
    } else
        maybe_load_more(d);
}

static const char *domains_help(struct view *v)
{
    (void)v;
    return _("The domains and subdomains of the package; subdomains stand indented under their "
             "domain. Internationalised names show in their readable form, with the A-label "
             "(xn--…) beside it. Typing filters the list; big packages load more rows while "
             "you scroll.");
}

static void domains_free(struct view *v)
{
    struct domains_view *d = dv(v);
    clear_rows(d);
    free(d->rows);
    view_clear(v);
    free(d);
}

static const struct view_ops domains_ops = {
    .name = "domains",
    .enter = domains_enter,
    .layout = domains_layout,
    .draw = domains_draw,
    .key = domains_key,
    .action = domains_action,
    .result = domains_result,
    .timer = domains_timer,
    .help = domains_help,
    .free = domains_free,
};

struct view *domains_view_new(struct app *a, long long package_id, const char *package_name)
{
    struct domains_view *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    if (view_init(&d->base, a, &domains_ops, domains_keys,
                  sizeof domains_keys / sizeof domains_keys[0])) {
        free(d);
        return NULL;
    }
    d->package_id = package_id;
    ui_copy(d->package_name, sizeof d->package_name, package_name ? package_name : "");
    ui_copy(d->base.crumb, sizeof d->base.crumb, d->package_name);
    struct list_column cols[] = {
        {_("Name"), 0}, {_("A-label"), 22}, {_("Kind"), 10}, {_("MX"), 16}};
    d->list = list_new(cols, 4);
    if (!d->list || !form_add(d->base.form, list_widget(d->list))) {
        domains_free(&d->base);
        return NULL;
    }
    return &d->base;
}
