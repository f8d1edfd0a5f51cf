/* The MX editor (MX-Record verwalten): the view, its layout on a tall canvas and its keys. The
 * canvas is a curses pad as wide as the screen; the part around the focus is copied onto the
 * screen, so the editor scrolls and the focused row stays in view however many rows there are.
 * Rows and rules are in mxedit_rows.c, saving in mxedit_save.c. */
#include "tui/mxedit.h"

#include "tui/i18n.h"
#include "tui/mxsummary.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct key_binding mxedit_keys[] = {
    {WK_F2, MXE_ACT_SAVE, N_("Save"), N_("save the MX record (asks for confirmation first)")},
    {WK_INSERT, MXE_ACT_ADD, N_("Add"), N_("add a server to the block of the focused row (+ too)")},
    {WK_DELETE, MXE_ACT_REMOVE, N_("Remove"),
     N_("remove the focused server row (on its priority, or when its host is empty; - too)")},
    {WK_F4, MXE_ACT_HISTORY, N_("History"), N_("show the earlier versions and restore one")},
    {WK_TAB, 0, NULL, N_("move to the next field (Shift-Tab: back); Space toggles, Enter opens")},
    {WK_PGDN, 0, NULL, N_("a page down, the focus to its first field (PgUp: up)")},
};

static struct mxedit *ev(struct view *v)
{
    return (struct mxedit *)v;
}

void mxe_load(struct mxedit *e)
{
    struct app_call call = {
        .call = API_CALL_MX_GET, .str = e->name, .label = _("Loading the MX record…")};
    app_request(&e->base, MXE_TAG_LOAD, &call);
}

static void mxedit_enter(struct view *v)
{
    struct mxedit *e = ev(v);
    if (!app_profile_known(v->app)) {
        struct app_call p = {.call = API_CALL_PROVIDER, .quiet = true};
        app_request(v, MXE_TAG_PROFILE, &p);
    } else {
        e->profile_loaded = true;
    }
    mxe_load(e);
}

/* Builds the rows of cfg (the loaded configuration, a draft, the server's current one). */
static void show_config(struct mxedit *e, const struct mx_config *cfg)
{
    while (e->n_rows)
        mxe_row_remove(e, e->rows[e->n_rows - 1]);
    toggle_select(e->mode, cfg->mode == MX_MODE_CUSTOM ? 1 : cfg->mode == MX_MODE_NONE ? 2 : 0);
    e->mode_shown = toggle_selected(e->mode);
    for (size_t i = 0; i < cfg->n_primary; i++) {
        struct mxe_row *r = mxe_row_new(e, false, cfg->primary[i].host, cfg->primary[i].priority);
        if (r)
            mxe_row_insert(e, r);
    }
    for (size_t i = 0; i < cfg->n_backup; i++) {
        struct mxe_row *r = mxe_row_new(e, true, cfg->backup[i].host, cfg->backup[i].priority);
        if (r)
            mxe_row_insert(e, r);
    }
    checkbox_set(e->pbackup, cfg->provider_backup);
    e->show_empty = false;
    mxe_validate(e);
    mxe_relayout(e);
}

static void refresh_labels(struct mxedit *e)
{
    const struct mx_profile *p = app_profile(e->base.app);
    char title[512];
    ui_format(title, sizeof title, _("%s, priority %ld"), p->backup_host, p->backup_priority);
    infopanel_set_title(e->pinfo, title);
    char info[2048];
    infopanel_set_text(e->pinfo, mxe_backup_info(p, info, sizeof info));
}

void mxe_loaded(struct mxedit *e, const struct mx_config *cfg)
{
    struct mx_config *copy = mx_config_new();
    if (!copy || mx_config_copy(copy, cfg)) {
        mx_config_free(&copy);
        app_status(e->base.app, ROLE_ERROR, "%s", _("Out of memory."));
        return;
    }
    /* cfg may be e->base_cfg itself (shown again with a new profile): use the copy from here. */
    mx_config_free(&e->base_cfg);
    e->base_cfg = copy;
    e->version = copy->version;
    refresh_labels(e);
    show_config(e, copy);
    long long dv = 0;
    if (app_draft(e->base.app, e->name, &dv)) {
        static const char *buttons[2];
        buttons[0] = _("Discard it");
        buttons[1] = _("Restore my edit");
        char text[512];
        snprintf(text, sizeof text,
                 _("You had unsaved changes to the MX record of %s when your session ended "
                   "(based on version %lld). Restore them into the editor?"),
                 e->display, dv);
        app_dialog(&e->base, MXE_DLG_DRAFT, _("Unsaved edit"), text, buttons, 2, 1);
    }
}

static void mode_changed(struct mxedit *e)
{
    size_t m = toggle_selected(e->mode);
    if (m == 1 && !e->facts.own_possible) {
        toggle_select(e->mode, e->mode_shown);
        ui_format(e->banner, sizeof e->banner, "%s %s",
                  _("An own mail server is not possible for this name:"), e->facts.reasons);
        app_status(e->base.app, ROLE_WARNING, "%s",
                   _("An own mail server is not possible here: see above what to change first."));
        mxe_relayout(e);
        return;
    }
    e->mode_shown = m;
    if (m == 1 && !e->n_rows) {
        struct mxe_row *r = mxe_row_new(e, false, "", mxe_next_priority(e, false));
        if (r)
            mxe_row_insert(e, r);
    }
    mxe_validate(e);
    mxe_relayout(e);
}

static void add_row(struct mxedit *e)
{
    struct app *a = e->base.app;
    if (!mxe_custom(e)) {
        app_status(a, ROLE_STATUS, "%s",
                   _("Servers are added with \"Own mail server\" chosen above."));
        return;
    }
    struct mxe_row *at = mxe_row_of(e, form_focused(e->base.form));
    bool backup = at ? at->backup
                     : form_focused(e->base.form) == checkbox_widget(e->pbackup) ||
                           form_focused(e->base.form) == infopanel_widget(e->pinfo);
    const struct mx_profile *p = app_profile(a);
    int max = backup ? p->max_backup : p->max_primary;
    if ((int)mxe_count(e, backup) >= max) {
        app_status(a, ROLE_WARNING,
                   backup ? _("At most %d backup servers: the provider's limit is reached.")
                          : _("At most %d primary servers: the provider's limit is reached."),
                   max);
        return;
    }
    struct mxe_row *r = mxe_row_new(e, backup, "", mxe_next_priority(e, backup));
    if (!r || mxe_row_insert(e, r)) {
        app_status(a, ROLE_ERROR, "%s", _("Out of memory."));
        return;
    }
    form_focus(e->base.form, field_widget(r->host));
    mxe_validate(e);
    mxe_relayout(e);
}

static void remove_row(struct mxedit *e)
{
    struct mxe_row *r = mxe_row_of(e, form_focused(e->base.form));
    if (!r) {
        app_status(e->base.app, ROLE_STATUS, "%s",
                   _("Del removes a server row: put the focus on the row first."));
        return;
    }
    if (field_len(r->host)) {
        e->removing_id = r->id;
        char text[600];
        snprintf(text, sizeof text,
                 _("Remove the server %s from the MX record? (Nothing is "
                   "saved before you save.)"),
                 field_text(r->host));
        const char *buttons[] = {_("Keep it"), _("Remove")};
        app_dialog(&e->base, MXE_DLG_REMOVE, _("Remove server"), text, buttons, 2, 0);
        return;
    }
    mxe_row_remove(e, r);
    mxe_validate(e);
    mxe_relayout(e);
}

static void open_history(struct mxedit *e)
{
    if (!e->base_cfg)
        return;
    app_push(e->base.app, history_view_new(e->base.app, e->name, e->display, e->version,
                                           e->facts.mailboxes, e->facts.forwards));
}

/* PgDn / PgUp: the view moves a page and the focus goes to the first field in it. */
static void page(struct mxedit *e, int dir)
{
    int step = e->area.h > 4 ? e->area.h - 2 : 1;
    int target = e->scroll + dir * step, max = e->content_h - e->area.h;
    if (target > max)
        target = max;
    if (target < 0)
        target = 0;
    struct widget *pick = NULL, *last = NULL;
    for (size_t i = 0; i < form_count(e->base.form); i++) {
        struct widget *w = form_at(e->base.form, i);
        if (!w->focusable || w->hidden)
            continue;
        last = w;
        if (!pick && w->rect.y >= target)
            pick = w;
    }
    if (!pick || (dir > 0 && target == max && pick->rect.y >= target + e->area.h))
        pick = last;
    e->scroll = target;
    if (pick)
        form_focus(e->base.form, pick);
}

static int mxedit_key(struct view *v, int key)
{
    struct mxedit *e = ev(v);
    if (!e->base_cfg)
        return WIDGET_IGNORED;
    struct widget *f = form_focused(v->form);
    struct mxe_row *row = mxe_row_of(e, f);
    bool on_prio = row && f == dropdown_widget(row->prio);
    bool open = on_prio && dropdown_is_open(row->prio);
    if (!open) {
        if (key == '+' || (key == '-' && (on_prio || f == toggle_widget(e->mode)))) {
            if (key == '+')
                add_row(e);
            else
                remove_row(e);
            return WIDGET_HANDLED;
        }
        if (key == WK_DELETE && (on_prio || (row && !field_len(row->host)))) {
            remove_row(e);
            return WIDGET_HANDLED;
        }
        if (key == WK_PGDN || key == WK_PGUP) {
            page(e, key == WK_PGDN ? 1 : -1);
            mxe_keep_focus_visible(e);
            app_dirty(v->app);
            return WIDGET_HANDLED;
        }
    }
    int flags = form_key(v->form, key);
    if (flags & WIDGET_CHANGED) {
        if (f == toggle_widget(e->mode))
            mode_changed(e);
        else {
            if (f == checkbox_widget(e->pbackup) || on_prio)
                mxe_relayout(e);
            mxe_validate(e);
        }
    }
    if (flags & WIDGET_ACTIVATE) {
        if (f == button_widget(e->save_btn)) {
            if (mxe_save(e))
                return WIDGET_HANDLED; /* the editor is gone */
        } else if (f == button_widget(e->history_btn)) {
            open_history(e);
        }
    }
    mxe_keep_focus_visible(e);
    if (flags & (WIDGET_HANDLED | WIDGET_REDRAW))
        app_dirty(v->app);
    /* Text typed into a host field is the field's, '?' included. */
    if (row && f == field_widget(row->host) && widget_key_is_text(key))
        flags |= WIDGET_HANDLED;
    return flags;
}

static void mxedit_action(struct view *v, int action)
{
    struct mxedit *e = ev(v);
    if (!e->base_cfg)
        return;
    switch (action) {
    case MXE_ACT_SAVE:
        mxe_save(e); /* may free e: nothing follows */
        break;
    case MXE_ACT_ADD:
        add_row(e);
        break;
    case MXE_ACT_REMOVE:
        remove_row(e);
        break;
    case MXE_ACT_HISTORY:
        open_history(e);
        break;
    default:
        break;
    }
}

static void mxedit_result(struct view *v, int tag, struct api_result *res)
{
    struct mxedit *e = ev(v);
    if (tag >= MXE_TAG_CHECK) {
        mxe_check_result(e, tag, res);
        return;
    }
    switch (tag) {
    case MXE_TAG_PROFILE:
        if (res->status == API_OK)
            app_set_profile(v->app, res->profile);
        e->profile_loaded = true;
        if (e->base_cfg && !mxe_dirty(e))
            mxe_loaded(e, e->base_cfg); /* the drop-downs follow the profile's options */
        break;
    case MXE_TAG_LOAD:
        if (res->status == API_OK && e->base_cfg && mxe_dirty(e)) {
            /* Typed meanwhile: the edit stays; a save meets what changed on the server. */
            app_status(v->app, ROLE_WARNING, "%s",
                       _("The MX record was loaded again while you typed: your edit stays."));
        } else if (res->status == API_OK) {
            mxe_loaded(e, &res->mx->config);
        } else if (res->status == API_ERR_NOT_FOUND)
            app_status(v->app, ROLE_ERROR, _("%s was not found (or is not yours)."), e->display);
        break;
    default:
        mxe_save_result(e, tag, res);
        break;
    }
}

static void mxedit_timer(struct view *v, int tag)
{
    struct mxedit *e = ev(v);
    if (tag >= MXE_TIMER_CHECK)
        mxe_check_timer(e, tag);
    else if (tag == MXE_TIMER_POLL)
        mxe_poll_timer(e);
}

static void mxedit_dialog(struct view *v, int tag, int choice)
{
    struct mxedit *e = ev(v);
    switch (tag) {
    case MXE_DLG_REMOVE: {
        struct mxe_row *r = mxe_row_by_id(e, e->removing_id);
        e->removing_id = -1;
        if (choice == 1 && r) {
            mxe_row_remove(e, r);
            mxe_validate(e);
            mxe_relayout(e);
        }
        break;
    }
    case MXE_DLG_DRAFT: {
        long long dv = 0;
        const struct mx_config *d = app_draft(v->app, e->name, &dv);
        if (choice < 0)
            break; /* not answered: offered again next time */
        if (choice == 1 && d) {
            struct mx_config copy = {0};
            if (mx_config_copy(&copy, d) == 0) {
                show_config(e, &copy);
                mx_config_clear(&copy);
                /* Based on the version it was typed on: a save meets what changed since. */
                e->version = dv;
                const char *back =
                    _("Your unsaved edit is back. It is not saved yet: F2 saves it.");
                mxe_outcome(e, ROLE_WARNING, back);
                app_status(v->app, ROLE_WARNING, "%s", back);
            }
        }
        app_draft_drop(v->app);
        break;
    }
    case MXE_DLG_LEAVE:
        if (choice == 1) { /* discard */
            struct app *a = v->app;
            show_config(e, e->base_cfg);
            if (e->leave_why == LEAVE_QUIT)
                app_quit(a);
            else
                app_pop(a); /* frees e: nothing of it may be touched after this */
            app_dirty(a);
            return;
        } else if (choice == 2) { /* save, then leave */
            e->leave_after_save = true;
            if (mxe_save(e))
                return; /* nothing to save: the editor is gone */
        }
        break;
    default:
        mxe_save_dialog(e, tag, choice);
        break;
    }
    app_dirty(v->app);
}

static bool mxedit_may_leave(struct view *v, enum leave_reason why)
{
    struct mxedit *e = ev(v);
    if (!e->base_cfg || !mxe_dirty(e) || why == LEAVE_LOGOUT)
        return true;
    e->leave_why = why;
    const char *buttons[] = {_("Stay"), _("Discard changes"), _("Save")};
    char text[600];
    snprintf(text, sizeof text,
             _("The MX record of %s has changes that are not saved. Save them, discard them, or "
               "stay in the editor?"),
             e->display);
    app_dialog(v, MXE_DLG_LEAVE, _("Unsaved changes"), text, buttons, 3, 0);
    return false;
}

static void mxedit_stash(struct view *v)
{
    struct mxedit *e = ev(v);
    if (!e->base_cfg || !mxe_dirty(e))
        return;
    struct mx_config cfg = {0};
    if (mxe_build(e, &cfg) == 0)
        app_stash(v->app, e->name, &cfg, e->version);
    mx_config_clear(&cfg);
}

static void mxedit_resume(struct view *v)
{
    struct mxedit *e = ev(v);
    /* A restore in the history writes a new version: load it, unless there is an edit. */
    if (!mxe_dirty(e))
        mxe_load(e);
}

static const char *mxedit_help(struct view *v)
{
    (void)v;
    return _("Choose who receives the mail: the provider's mail system, your own mail server, "
             "or nobody (null MX). Own mail server: enter each host name fully qualified with a "
             "trailing dot (mail.example.de.); it needs an A record. Every primary server must "
             "have a lower priority number than every backup server. The marks beside the "
             "fields say what the rules and the DNS check found. F2 saves, after a "
             "confirmation; changes can take up to 24 hours to be active everywhere.");
}

static void mxedit_free(struct view *v)
{
    struct mxedit *e = ev(v);
    for (size_t i = 0; i < e->n_rows; i++)
        free(e->rows[i]); /* the form frees their widgets */
    mx_config_free(&e->base_cfg);
    mx_config_free(&e->pending_after);
    mx_config_free(&e->stale);
    if (e->pad)
        delwin(e->pad);
    view_clear(v);
    free(e);
}

static const struct view_ops mxedit_ops = {
    .name = "mxedit",
    .enter = mxedit_enter,
    .layout = mxe_layout_view,
    .draw = mxe_draw_view,
    .key = mxedit_key,
    .action = mxedit_action,
    .result = mxedit_result,
    .timer = mxedit_timer,
    .dialog = mxedit_dialog,
    .resume = mxedit_resume,
    .may_leave = mxedit_may_leave,
    .stash = mxedit_stash,
    .help = mxedit_help,
    .free = mxedit_free,
};

struct view *mxedit_view_new(struct app *a, const char *name, const char *display,
                             const struct api_dns *dns)
{
    struct mxedit *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    if (view_init(&e->base, a, &mxedit_ops, mxedit_keys,
                  sizeof mxedit_keys / sizeof mxedit_keys[0])) {
        free(e);
        return NULL;
    }
    ui_copy(e->name, sizeof e->name, name);
    ui_copy(e->display, sizeof e->display, display ? display : name);
    ui_copy(e->base.crumb, sizeof e->base.crumb, "MX");
    e->removing_id = -1;
    e->base.own_cursor = true; /* its widgets live on the canvas, in the canvas's rows */
    e->facts.own_possible = dns ? dns->own_mail_possible : true;
    e->facts.mailboxes = dns ? dns->mailboxes : -1;
    e->facts.forwards = dns ? dns->forwards : -1;
    e->facts.kind = dns ? dns->kind : MX_KIND_DOMAIN;
    size_t o = 0;
    for (size_t i = 0; dns && i < dns->n_reasons && o < sizeof e->facts.reasons; i++)
        o += (size_t)snprintf(e->facts.reasons + o, sizeof e->facts.reasons - o, "%s%s",
                              i ? " " : "", dns->reasons[i].message);
    if (!e->facts.own_possible)
        ui_format(e->banner, sizeof e->banner, "%s %s",
                  _("An own mail server is not possible for this name:"), e->facts.reasons);
    const char *modes[] = {_("Provider mail"), _("Own mail server"), _("No mail")};
    e->mode = toggle_new(modes, 3, 0);
    bool ok = view_add(&e->base, e->mode ? toggle_widget(e->mode) : NULL);
    e->pbackup = ok ? checkbox_new(_("Use the provider's backup server"), false) : NULL;
    ok = ok && view_add(&e->base, e->pbackup ? checkbox_widget(e->pbackup) : NULL);
    e->pinfo = ok ? infopanel_new(_("The provider's backup server"), "") : NULL;
    ok = ok && view_add(&e->base, e->pinfo ? infopanel_widget(e->pinfo) : NULL);
    e->save_btn = ok ? button_new(_("Save")) : NULL;
    ok = ok && view_add(&e->base, e->save_btn ? button_widget(e->save_btn) : NULL);
    e->history_btn = ok ? button_new(_("History")) : NULL;
    ok = ok && view_add(&e->base, e->history_btn ? button_widget(e->history_btn) : NULL);
    if (!ok) {
        mxedit_free(&e->base);
        return NULL;
    }
    toggle_widget(e->mode)->name = _("Mail for this name");
    return &e->base;
}
