/* The history of one name's MX configuration: every version with when, who, the reason and a
 * one-line summary; Enter shows before and after; F6 restores the selected version with the
 * same confirmation as a save (the restore writes a new version). */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/mxsummary.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/dialog.h"
#include "widgets/list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_LOAD = 1, TAG_RESTORE };
enum { DLG_DETAIL = 1, DLG_CONFIRM };
enum { ACT_SHOW = ACT_VIEW, ACT_RESTORE };

static const struct key_binding history_keys[] = {
    {WK_ENTER, ACT_SHOW, N_("Show"), N_("show the selected version: before and after")},
    {WK_FN | KEY_F(6), ACT_RESTORE, N_("Restore"),
     N_("restore the selected version (asks first; writes a new version)")},
};

struct history_view {
    struct view base;
    char name[MX_HOST_SIZE], display[MX_DISPLAY_SIZE];
    long long version; /* the current one: If-Match of a restore */
    long mailboxes, forwards;
    struct list *list;
    struct api_result *hist; /* kept */
    long long restoring_id;  /* the entry the confirmation is about (its id, not a row) */
    char reason[MX_REASON_MAX_CHARS * 4 + 1];
    struct rect area;
};

static struct history_view *hv(struct view *v)
{
    return (struct history_view *)v;
}

static void load(struct history_view *h)
{
    struct app_call call = {
        .call = API_CALL_HISTORY, .str = h->name, .limit = 200, .label = _("Loading the history…")};
    app_request(&h->base, TAG_LOAD, &call);
}

static void history_enter(struct view *v)
{
    load(hv(v));
}

static void history_layout(struct view *v, struct rect area)
{
    struct history_view *h = hv(v);
    h->area = area;
    widget_resize(list_widget(h->list), (struct rect){area.y + 2, area.x, area.h - 2, area.w});
}

static void history_draw(struct view *v, WINDOW *win)
{
    struct history_view *h = hv(v);
    char head[1200];
    snprintf(head, sizeof head, _("History of the MX record of %s (now version %lld)"), h->display,
             h->version);
    draw_text(win, h->area.y, h->area.x + 1, h->area.w - 2, head, strlen(head),
              theme_attr(ROLE_NORMAL) | A_BOLD);
    form_draw(v->form, win);
    struct widget *lw = list_widget(h->list);
    /* A record nobody has saved yet (the demo's, an imported one) has no entry: an empty
     * table with "0/0" looked like a failed load. */
    if (h->hist && !h->hist->history->count) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 _("No saved change yet: version %lld is the first. Every save and restore "
                   "from now on is listed here."),
                 h->version);
        ui_message_wrapped(win, (struct rect){lw->rect.y + 1, lw->rect.x + 2, 3, lw->rect.w - 4},
                           ROLE_NORMAL, buf);
    }
    view_draw_failure(v, win, (struct rect){lw->rect.y + 1, lw->rect.x, 2, lw->rect.w});
}

static const char *action_name(const char *action)
{
    if (!strcmp(action, "restore"))
        return _("restore");
    if (!strcmp(action, "create"))
        return _("create");
    return _("change");
}

static void fill(struct history_view *h)
{
    const struct api_history *hs = h->hist->history;
    const struct mx_profile *p = app_profile(h->base.app);
    list_clear(h->list);
    for (size_t i = 0; i < hs->count; i++) {
        const struct api_history_entry *it = &hs->items[i];
        char ver[32], who[200], line[1200];
        snprintf(ver, sizeof ver, "%lld", it->version);
        if (it->on_behalf_of && strcmp(it->on_behalf_of, it->actor) != 0)
            ui_format(who, sizeof who, "%s (%s)", it->actor, it->on_behalf_of);
        else
            ui_copy(who, sizeof who, it->actor);
        char summary[1024];
        mxs_one_line(summary, sizeof summary, &it->after, p);
        ui_format(line, sizeof line, "%s: %s", action_name(it->action), summary);
        char when[40];
        ui_time(when, sizeof when, it->at);
        when[16] = 0; /* "2026-12-02 07:01": the column says it; UTC is in the details */
        const char *cells[] = {ver, when, who, it->reason ? it->reason : "", line};
        list_append(h->list, 0, cells);
    }
}

static const struct api_history_entry *selected(struct history_view *h)
{
    size_t row = list_selected(h->list);
    if (!h->hist || row == (size_t)-1 || row >= h->hist->history->count)
        return NULL;
    return &h->hist->history->items[row];
}

/* Whether the entry was made by someone for another (staff for a customer). */
static bool staff_for(const struct api_history_entry *it)
{
    return it->on_behalf_of && strcmp(it->on_behalf_of, it->actor) != 0;
}

static void show_detail(struct history_view *h)
{
    const struct api_history_entry *it = selected(h);
    if (!it)
        return;
    const struct mx_profile *p = app_profile(h->base.app);
    static char text[8192];
    char cols[4096], before[1024], after[1024];
    struct mx_config none = {.mode = MX_MODE_PROVIDER};
    const struct mx_config *b = it->has_before ? &it->before : &none;
    mxs_one_line(before, sizeof before, b, p);
    mxs_one_line(after, sizeof after, &it->after, p);
    /* The columns fit the dialog's text: built for 70 they wrapped, and a host fell under the
     * wrong column. */
    int text_w = dialog_text_width(COLS);
    mxs_before_after(cols, sizeof cols, b, &it->after, p, _("Before"), _("After"), text_w);
    char when[40];
    ui_time(when, sizeof when, it->at);
    ui_format(text, sizeof text,
              _("Version %lld, %s, by %s%s%s (%s)\nReason: %s\n\nBefore: %s\nAfter: %s\n\n%s"),
              it->version, when, it->actor, staff_for(it) ? _(" for ") : "",
              staff_for(it) ? it->on_behalf_of : "", action_name(it->action),
              it->reason ? it->reason : _("(none given)"), before, after, cols);
    const char *ok[] = {_("Close")};
    app_dialog(&h->base, DLG_DETAIL, _("Before and after"), text, ok, 1, 0);
}

static void ask_restore(struct history_view *h)
{
    const struct api_history_entry *it = selected(h);
    if (!it)
        return;
    const struct api_history *hs = h->hist->history;
    const struct mx_config *current = hs->count ? &hs->items[0].after : NULL;
    if (it->version == h->version || !current) {
        app_status(h->base.app, ROLE_STATUS, "%s",
                   _("This is the current version: nothing to "
                     "restore."));
        return;
    }
    if (app_busy(&h->base, TAG_RESTORE))
        return;
    h->restoring_id = it->id;
    struct mxs_context ctx = {.display = h->display,
                              .profile = app_profile(h->base.app),
                              .mailboxes = h->mailboxes,
                              .forwards = h->forwards,
                              .width = h->area.w - 10};
    static char text[8192];
    struct mx_config now = {0};
    if (mx_config_copy(&now, current))
        return;
    now.version = h->version;
    mxs_confirm_text(text, sizeof text, &now, &it->after, &ctx);
    mx_config_clear(&now);
    char action[96];
    snprintf(action, sizeof action, _("Restore version %lld"), it->version);
    app_push(h->base.app, confirm_view_new(h->base.app, &h->base, DLG_CONFIRM,
                                           _("Restore an earlier version?"), text, action, true,
                                           app_is_staff(h->base.app), h->reason, sizeof h->reason));
}

static void history_dialog(struct view *v, int tag, int choice)
{
    struct history_view *h = hv(v);
    if (tag != DLG_CONFIRM || choice != 1 || h->restoring_id <= 0)
        return;
    struct app_call call = {.call = API_CALL_RESTORE,
                            .str = h->name,
                            .num = h->restoring_id,
                            .version = h->version,
                            .reason = h->reason,
                            .label = _("Restoring…")};
    app_request(v, TAG_RESTORE, &call);
}

static int history_key(struct view *v, int key)
{
    if (key == '?')
        return WIDGET_IGNORED;
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE)
        show_detail(hv(v));
    if (flags & (WIDGET_HANDLED | WIDGET_REDRAW))
        app_dirty(v->app);
    return flags;
}

static void history_action(struct view *v, int action)
{
    if (action == ACT_SHOW)
        show_detail(hv(v));
    else if (action == ACT_RESTORE)
        ask_restore(hv(v));
}

static void history_result(struct view *v, int tag, struct api_result *res)
{
    struct history_view *h = hv(v);
    if (tag == TAG_LOAD && res->status == API_OK) {
        api_result_free(&h->hist);
        h->hist = api_result_keep(res);
        if (h->hist->history->count)
            h->version = h->hist->history->items[0].version;
        fill(h);
        app_dirty(v->app);
        return;
    }
    if (tag != TAG_RESTORE)
        return;
    if (res->status == API_OK) {
        app_status(v->app, ROLE_OK, _("Restored: the MX record is now version %lld."),
                   res->mx->config.version);
        h->reason[0] = 0;
        app_pop(v->app); /* back to the editor, which loads the new version */
        return;
    }
    if (res->status == API_ERR_CONFLICT) {
        app_status(v->app, ROLE_WARNING, "%s",
                   _("The MX record changed meanwhile: the history is loaded again."));
        load(h);
        return;
    }
    if (res->status != API_ERR_CANCELLED)
        app_status(v->app, ROLE_ERROR, _("Not restored: %s"), res->error.message);
}

static const char *history_help(struct view *v)
{
    (void)v;
    return _("Every saved version of the MX record, newest first: when, who (and for which "
             "customer), the reason given, and what it set. Enter shows before and after; F6 "
             "restores the selected version as a new version, after the same confirmation as "
             "a save.");
}

static void history_free(struct view *v)
{
    struct history_view *h = hv(v);
    api_result_free(&h->hist);
    view_clear(v);
    free(h);
}

static const struct view_ops history_ops = {
    .name = "history",
    .enter = history_enter,
    .layout = history_layout,
    .draw = history_draw,
    .key = history_key,
    .action = history_action,
    .result = history_result,
    .dialog = history_dialog,
    .help = history_help,
    .free = history_free,
};

struct view *history_view_new(struct app *a, const char *name, const char *display,
                              long long version, long mailboxes, long forwards)
{
    struct history_view *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    if (view_init(&h->base, a, &history_ops, history_keys,
                  sizeof history_keys / sizeof history_keys[0])) {
        free(h);
        return NULL;
    }
    ui_copy(h->name, sizeof h->name, name);
    ui_copy(h->display, sizeof h->display, display ? display : name);
    h->version = version;
    h->mailboxes = mailboxes;
    h->forwards = forwards;
    ui_copy(h->base.crumb, sizeof h->base.crumb, _("History"));
    struct list_column cols[] = {
        {_("Version"), 7}, {_("When"), 16}, {_("Who"), 16}, {_("Reason"), 18}, {_("Change"), 0}};
    h->list = list_new(cols, 5);
    if (!h->list || !form_add(h->base.form, list_widget(h->list))) {
        history_free(&h->base);
        return NULL;
    }
    return &h->base;
}
