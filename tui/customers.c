/* Customer search (staff only): a query field and the customers found by number, name or one
 * of their domain names; the server is asked a moment after typing stops. Opening a customer is
 * recorded by mxapid in that customer's access log. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/field.h"
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_SEARCH = 1 };
enum { TIMER_DEBOUNCE = 1 };
enum { DEBOUNCE_MS = 300 };
enum { ACT_OPEN = ACT_VIEW, ACT_FOCUS_QUERY };

static const struct key_binding customers_keys[] = {
    {WK_ENTER, ACT_OPEN, N_("Open"), N_("open the selected customer")},
    {'/', ACT_FOCUS_QUERY, NULL, N_("back to the search field")},
    {WK_TAB, 0, NULL, N_("move between the search field and the list")},
};

struct customer_row {
    char id[64];
    char name[256];
};

struct customers_view {
    struct view base;
    struct field *query;
    struct list *list;
    struct customer_row *rows;
    size_t n_rows;
    char asked[256]; /* the query of the last answer */
    bool loaded;
};

static struct customers_view *cv(struct view *v)
{
    return (struct customers_view *)v;
}

static void search(struct customers_view *c)
{
    app_cancel(&c->base, TAG_SEARCH);
    struct app_call call = {.call = API_CALL_CUSTOMERS,
                            .query = field_text(c->query),
                            .label = _("Searching customers…")};
    app_request(&c->base, TAG_SEARCH, &call);
}

static void customers_enter(struct view *v)
{
    search(cv(v));
}

static void customers_layout(struct view *v, struct rect area)
{
    struct customers_view *c = cv(v);
    widget_resize(field_widget(c->query), (struct rect){area.y + 1, area.x + 1, 1, area.w - 2});
    widget_resize(list_widget(c->list), (struct rect){area.y + 3, area.x, area.h - 3, area.w});
}

static void customers_draw(struct view *v, WINDOW *win)
{
    struct customers_view *c = cv(v);
    struct widget *flw = list_widget(c->list);
    if (!c->loaded && v->failed[0]) {
        form_draw(v->form, win);
        view_draw_failure(v, win, (struct rect){flw->rect.y + 1, flw->rect.x, 2, flw->rect.w});
        return;
    }
    if (c->loaded && !list_count(c->list)) {
        char buf[512];
        snprintf(buf, sizeof buf, _("No customer matches \"%s\"."), c->asked);
        struct widget *lw = list_widget(c->list);
        form_draw(v->form, win);
        ui_message(win, lw->rect.y + 1, lw->rect.x + 2, lw->rect.w - 4, ROLE_WARNING, buf);
        return;
    }
    form_draw(v->form, win);
}

static void open_selected(struct customers_view *c)
{
    size_t row = list_selected(c->list);
    if (row == (size_t)-1 || row >= c->n_rows) {
        app_status(c->base.app, ROLE_STATUS, "%s", _("No customer is selected."));
        return;
    }
    app_push(c->base.app, packages_view_new(c->base.app, c->rows[row].id, c->rows[row].name));
}

static int customers_key(struct view *v, int key)
{
    struct customers_view *c = cv(v);
    struct widget *focused = form_focused(v->form);
    if (focused == field_widget(c->query)) {
        if (key == WK_DOWN || (key == WK_ENTER && list_count(c->list))) {
            form_focus(v->form, list_widget(c->list));
            if (key == WK_ENTER && list_count(c->list) == 1)
                open_selected(c);
            app_dirty(v->app);
            return WIDGET_HANDLED;
        }
        int flags = form_key(v->form, key);
        if (flags & WIDGET_CHANGED)
            app_timer(v, TIMER_DEBOUNCE, DEBOUNCE_MS);
        if (flags & (WIDGET_REDRAW | WIDGET_HANDLED))
            app_dirty(v->app);
        return flags & WIDGET_ACTIVATE ? WIDGET_HANDLED : flags;
    }
    /* In the list, typed text and the editing keys (Backspace, Ctrl-U) go to the search field
     * (the list has no filter of its own here: the server searches more than the rows show). */
    if ((widget_key_is_text(key) && key != '?' && key != '/') || key == WK_BACKSPACE ||
        key == WK_CTRL_U) {
        form_focus(v->form, field_widget(c->query));
        return customers_key(v, key);
    }
    if (key == WK_UP && list_position(c->list) == 0) {
        form_focus(v->form, field_widget(c->query));
        app_dirty(v->app);
        return WIDGET_HANDLED;
    }
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE) {
        open_selected(c);
        return WIDGET_HANDLED;
    }
    if (flags & (WIDGET_REDRAW | WIDGET_HANDLED))
        app_dirty(v->app);
    return flags;
}

static void customers_action(struct view *v, int action)
{
    struct customers_view *c = cv(v);
    if (action == ACT_OPEN)
        open_selected(c);
    else if (action == ACT_FOCUS_QUERY)
        form_focus(v->form, field_widget(c->query));
    app_dirty(v->app);
}

static void customers_timer(struct view *v, int tag)
{
    if (tag == TIMER_DEBOUNCE)
        search(cv(v));
}

static void customers_result(struct view *v, int tag, struct api_result *res)
{
    struct customers_view *c = cv(v);
    if (tag != TAG_SEARCH || res->status != API_OK) {
        if (res->status == API_ERR_FORBIDDEN)
            app_status(v->app, ROLE_ERROR, "%s", res->error.message);
        return;
    }
    const struct api_customers *cs = res->customers;
    struct customer_row *rows = calloc(cs->count ? cs->count : 1, sizeof *rows);
    if (!rows) {
        app_status(v->app, ROLE_ERROR, "%s", _("Out of memory."));
        return;
    }
    free(c->rows);
    c->rows = rows;
    c->n_rows = cs->count;
    list_clear(c->list);
    for (size_t i = 0; i < cs->count; i++) {
        const struct api_customer *it = &cs->items[i];
        ui_copy(rows[i].id, sizeof rows[i].id, it->id);
        ui_copy(rows[i].name, sizeof rows[i].name, it->name);
        char pk[32];
        snprintf(pk, sizeof pk, "%ld", it->packages);
        const char *cells[] = {it->id, it->name, pk, it->matched_domain ? it->matched_domain : ""};
        list_append(c->list, 0, cells);
    }
    ui_copy(c->asked, sizeof c->asked, field_text(c->query));
    c->loaded = true;
    app_dirty(v->app);
}

static const char *customers_help(struct view *v)
{
    (void)v;
    return _("Find a customer by customer number, by name, or by one of the customer's domain "
             "names; the list follows as you type. Opening a customer is recorded in the "
             "customer's access log.");
}

static void customers_free(struct view *v)
{
    struct customers_view *c = cv(v);
    free(c->rows);
    view_clear(v);
    free(c);
}

static const struct view_ops customers_ops = {
    .name = "customers",
    .enter = customers_enter,
    .layout = customers_layout,
    .draw = customers_draw,
    .key = customers_key,
    .action = customers_action,
    .result = customers_result,
    .timer = customers_timer,
    .help = customers_help,
    .free = customers_free,
};

struct view *customers_view_new(struct app *a)
{
    struct customers_view *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (view_init(&c->base, a, &customers_ops, customers_keys,
                  sizeof customers_keys / sizeof customers_keys[0])) {
        free(c);
        return NULL;
    }
    ui_copy(c->base.crumb, sizeof c->base.crumb, _("Customers"));
    const char *label = _("Find customer (number, name or domain)");
    int lw = ui_label_width(&label, 1) + 1;
    struct list_column cols[] = {
        {_("Number"), 10}, {_("Name"), 0}, {_("Packages"), 9}, {_("Matching domain"), 24}};
    c->query = field_new(label, lw, 30, 200, 0);
    if (!view_add(&c->base, c->query ? field_widget(c->query) : NULL)) {
        customers_free(&c->base);
        return NULL;
    }
    c->list = list_new(cols, 4);
    if (!view_add(&c->base, c->list ? list_widget(c->list) : NULL)) {
        customers_free(&c->base);
        return NULL;
    }
    return &c->base;
}
