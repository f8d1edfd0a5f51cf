/* A customer's packages with the number of domains in each. A customer with one package goes
 * straight on to its domains the first time; Esc from there comes back to this list. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_LOAD = 1 };
enum { ACT_OPEN = ACT_VIEW };

static const struct key_binding packages_keys[] = {
    {WK_ENTER, ACT_OPEN, N_("Open"), N_("show the domains of the selected package")},
};

struct package_row {
    long long id;
    char name[256];
};

struct packages_view {
    struct view base;
    char customer_id[64];
    char customer_name[256];
    struct list *list;
    struct package_row *rows;
    size_t n_rows;
    bool loaded, forwarded;
    struct rect area;
};

static struct packages_view *pv(struct view *v)
{
    return (struct packages_view *)v;
}

static void load(struct packages_view *p)
{
    struct app_call call = {
        .call = API_CALL_PACKAGES, .str = p->customer_id, .label = _("Loading packages…")};
    app_request(&p->base, TAG_LOAD, &call);
}

static void packages_enter(struct view *v)
{
    load(pv(v));
}

static void packages_layout(struct view *v, struct rect area)
{
    struct packages_view *p = pv(v);
    p->area = area;
    widget_resize(list_widget(p->list), (struct rect){area.y + 2, area.x, area.h - 2, area.w});
}

static void packages_draw(struct view *v, WINDOW *win)
{
    struct packages_view *p = pv(v);
    char head[512];
    snprintf(head, sizeof head, _("Packages of customer %s (%s)"), p->customer_id,
             p->customer_name[0] ? p->customer_name : "…");
    draw_text(win, p->area.y, p->area.x + 1, p->area.w - 2, head, strlen(head),
              theme_attr(ROLE_NORMAL) | A_BOLD);
    form_draw(v->form, win);
    struct widget *flw = list_widget(p->list);
    if (!p->loaded &&
        view_draw_failure(v, win, (struct rect){flw->rect.y + 1, flw->rect.x, 2, flw->rect.w}))
        return;
    if (p->loaded && !p->n_rows) {
        struct widget *lw = list_widget(p->list);
        ui_message(win, lw->rect.y + 1, lw->rect.x + 2, lw->rect.w - 4, ROLE_WARNING,
                   _("This customer has no packages."));
    }
}

static void open_row(struct packages_view *p, size_t row)
{
    if (row >= p->n_rows)
        return;
    app_push(p->base.app, domains_view_new(p->base.app, p->rows[row].id, p->rows[row].name));
}

static int packages_key(struct view *v, int key)
{
    struct packages_view *p = pv(v);
    if (key == '?')
        return WIDGET_IGNORED;
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE)
        open_row(p, list_selected(p->list));
    if (flags & (WIDGET_REDRAW | WIDGET_HANDLED))
        app_dirty(v->app);
    return flags;
}

static void packages_action(struct view *v, int action)
{
    struct packages_view *p = pv(v);
    if (action == ACT_OPEN)
        open_row(p, list_selected(p->list));
}

static void packages_result(struct view *v, int tag, struct api_result *res)
{
    struct packages_view *p = pv(v);
    if (tag != TAG_LOAD || res->status != API_OK) {
        if (res->status == API_ERR_NOT_FOUND)
            app_status(v->app, ROLE_ERROR, _("Customer %s was not found."), p->customer_id);
        return;
    }
    const struct api_packages *ps = res->packages;
    struct package_row *rows = calloc(ps->count ? ps->count : 1, sizeof *rows);
    if (!rows)
        return;
    free(p->rows);
    p->rows = rows;
    p->n_rows = ps->count;
    ui_copy(p->customer_name, sizeof p->customer_name, ps->customer_name ? ps->customer_name : "");
    list_clear(p->list);
    for (size_t i = 0; i < ps->count; i++) {
        rows[i].id = ps->items[i].id;
        ui_copy(rows[i].name, sizeof rows[i].name, ps->items[i].name);
        char n[32];
        snprintf(n, sizeof n, "%ld", ps->items[i].domains);
        const char *cells[] = {ps->items[i].name, n};
        list_append(p->list, 0, cells);
    }
    p->loaded = true;
    app_dirty(v->app);
    if (ps->count == 1 && !p->forwarded) {
        p->forwarded = true;
        open_row(p, 0);
    }
}

static const char *packages_help(struct view *v)
{
    (void)v;
    return _("The customer's packages. Enter shows the domains and subdomains of one.");
}

static void packages_free(struct view *v)
{
    struct packages_view *p = pv(v);
    free(p->rows);
    view_clear(v);
    free(p);
}

static const struct view_ops packages_ops = {
    .name = "packages",
    .enter = packages_enter,
    .layout = packages_layout,
    .draw = packages_draw,
    .key = packages_key,
    .action = packages_action,
    .result = packages_result,
    .help = packages_help,
    .free = packages_free,
};

struct view *packages_view_new(struct app *a, const char *customer_id, const char *customer_name)
{
    struct packages_view *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    if (view_init(&p->base, a, &packages_ops, packages_keys,
                  sizeof packages_keys / sizeof packages_keys[0])) {
        free(p);
        return NULL;
    }
    ui_copy(p->customer_id, sizeof p->customer_id, customer_id ? customer_id : "");
    ui_copy(p->customer_name, sizeof p->customer_name, customer_name ? customer_name : "");
    ui_copy(p->base.crumb, sizeof p->base.crumb, p->customer_id);
    struct list_column cols[] = {{_("Package"), 0}, {_("Domains"), 10}};
    p->list = list_new(cols, 2);
    if (!p->list || !form_add(p->base.form, list_widget(p->list))) {
        packages_free(&p->base);
        return NULL;
    }
    return &p->base;
}
