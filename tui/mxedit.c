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

/* Rows below the content the pad keeps free, so an open drop-down has room. */
enum { PAD_SLACK = 24 };

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

static bool custom(const struct mxedit *e)
{
    return toggle_selected(e->mode) == 1;
}

static char *backup_info(const struct mx_profile *p, char *buf, size_t size)
{
    char ips[1024] = "", helo[1024] = "", tests[1024] = "";
    size_t o = 0;
    for (size_t i = 0; i < p->n_backup_ips; i++)
        o += (size_t)snprintf(ips + o, o < sizeof ips ? sizeof ips - o : 0, "%s%s", i ? ", " : "",
                              p->backup_ips[i]);
    o = 0;
    for (size_t i = 0; i < p->n_backup_helo; i++)
        o += (size_t)snprintf(helo + o, o < sizeof helo ? sizeof helo - o : 0, "%s%s",
                              i ? ", " : "", p->backup_helo[i]);
    o = 0;
    for (size_t i = 0; i < p->n_backup_test_hosts; i++)
        o += (size_t)snprintf(tests + o, o < sizeof tests ? sizeof tests - o : 0, "%s%s",
                              i ? ", " : "", p->backup_test_hosts[i]);
    snprintf(buf, size,
             _("While your own servers cannot take mail, %s accepts it and delivers it later.\n"
               "Whitelist its source addresses %s — never blacklist them.\n"
               "It greets with the HELO names %s.\n"
               "It makes test connections (from %s): do not block them.\n"
               "After an outage it may take up to %d hours before it delivers, and it keeps "
               "mail at most %d days. Your server must then take a burst of mail."),
             p->backup_host, ips[0] ? ips : "—", helo[0] ? helo : "—", tests[0] ? tests : ips,
             p->backup_delay_hours, p->backup_retention_days);
    return buf;
}

static int text_rows(const char *text, int width)
{
    int n = ui_wrapped_rows(text, width);
    return n < 1 ? 1 : n;
}

/* Places every widget on the canvas, top to bottom, and records where the texts go. */
static void place(struct mxedit *e)
{
    int w = e->area.w, x = 2, y = 0;
    const struct mx_profile *p = app_profile(e->base.app);
    y += 3; /* heading, version line, blank */
    const char *label = _("Mail for this name:");
    int lw = sanitize_width(label, strlen(label)) + 2;
    e->y_toggle = y;
    /* The three choices side by side when they fit beside the label, else one per row. */
    int tw = 0;
    const char *modes[] = {_("Provider mail"), _("Own mail server"), _("No mail")};
    for (int i = 0; i < 3; i++)
        tw += 4 + sanitize_width(modes[i], strlen(modes[i])) + 3;
    if (x + lw + tw <= w) {
        widget_resize(toggle_widget(e->mode), (struct rect){y, x + lw, 1, w - x - lw - 1});
        y += 2;
    } else {
        widget_resize(toggle_widget(e->mode), (struct rect){y + 1, x + 2, 3, w - x - 3});
        y += 5;
    }
    e->y_banner = y;
    if (e->banner[0])
        y += text_rows(e->banner, w - 6) + 1;
    bool c = custom(e);
    for (size_t i = 0; i < e->n_rows; i++) {
        field_widget(e->rows[i]->host)->hidden = !c;
        dropdown_widget(e->rows[i]->prio)->hidden = !c;
    }
    checkbox_widget(e->pbackup)->hidden = !c;
    infopanel_widget(e->pinfo)->hidden = !c;
    e->y_primary = e->y_backup = e->y_provider = e->y_none = -1;
    if (c) {
        int hostw = 0;
        e->y_primary = y++;
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                y++;
                e->y_backup = y++;
            }
            for (size_t i = 0; i < e->n_rows; i++) {
                struct mxe_row *r = e->rows[i];
                if (r->backup != (pass == 1))
                    continue;
                r->y = y;
                /* The field's rectangle spans the line below too, for its message; the
                 * drop-down sits right of its input on the first line. */
                hostw = w - x - 1;
                int px = x + mxe_host_label_width() + 34 + 2;
                widget_resize(field_widget(r->host), (struct rect){y, x, 2, hostw});
                widget_resize(dropdown_widget(r->prio), (struct rect){y, px, 1, 20});
                y += 2;
            }
            if (pass == 0)
                e->y_primary_hint = y++;
            else
                e->y_backup_hint = y++;
        }
        y++;
        widget_resize(checkbox_widget(e->pbackup), (struct rect){y, x, 1, w - x - 1});
        y++;
        char info[2048];
        backup_info(p, info, sizeof info); /* the panel's text is set with the profile */
        int ih = text_rows(info, w - x - 5) + 2;
        widget_resize(infopanel_widget(e->pinfo), (struct rect){y, x + 2, ih, w - x - 3});
        y += ih;
    } else if (toggle_selected(e->mode) == 0) {
        e->y_provider = y;
        y += 1 + (int)p->n_mail_hosts;
    } else {
        e->y_none = y;
        y += 3;
    }
    y++;
    e->y_preview = y;
    char order[2048];
    struct mx_config cfg = {0};
    mxe_build(e, &cfg);
    mxs_delivery_order(order, sizeof order, &cfg, p);
    mx_config_clear(&cfg);
    y += text_rows(order, w - x - 2) + 1;
    e->y_publication = y;
    y += 2;
    if (e->outcome[0])
        y += text_rows(e->outcome, w - x - 4);
    e->y_buttons = y;
    int sw = button_width(e->save_btn);
    widget_resize(button_widget(e->save_btn), (struct rect){y, x, 1, sw});
    widget_resize(button_widget(e->history_btn),
                  (struct rect){y, x + sw + 2, 1, button_width(e->history_btn)});
    e->content_h = y + 1;
}

/* Keeps the focused widget (with an open drop-down's list, a host's message row) in view. */
static void keep_focus_visible(struct mxedit *e)
{
    struct widget *f = form_focused(e->base.form);
    int view = e->area.h;
    if (f) {
        int top = f->rect.y, bottom = f->rect.y + f->rect.h;
        struct mxe_row *r = mxe_row_of(e, f);
        if (r && dropdown_widget(r->prio) == f && dropdown_is_open(r->prio))
            bottom = f->rect.y + 1 + dropdown_open_rows(r->prio);
        if (r && r == e->rows[0] && e->y_primary >= 0)
            top = e->y_primary; /* the block's heading with its first row */
        if (f == toggle_widget(e->mode))
            top = 0;
        if (top < e->scroll)
            e->scroll = top;
        if (bottom > e->scroll + view)
            e->scroll = bottom - view;
    }
    int max = e->content_h - view;
    if (e->scroll > max)
        e->scroll = max;
    if (e->scroll < 0)
        e->scroll = 0;
}

void mxe_relayout(struct mxedit *e)
{
    if (e->area.w <= 0)
        return;
    place(e);
    int need = e->content_h + PAD_SLACK;
    if (!e->pad || e->pad_w != e->area.w || e->pad_h < need) {
        if (e->pad)
            delwin(e->pad);
        e->pad_h = need > 64 ? need : 64;
        e->pad_w = e->area.w;
        e->pad = newpad(e->pad_h, e->pad_w);
    }
    keep_focus_visible(e);
    app_dirty(e->base.app);
}

static void mxedit_layout(struct view *v, struct rect area)
{
    struct mxedit *e = ev(v);
    e->area = area;
    mxe_relayout(e);
}

static void draw_heading(struct mxedit *e, WINDOW *w)
{
    char head[1400], meta[512] = "", when[40];
    if (strcmp(e->name, e->display) != 0)
        ui_format(head, sizeof head, _("MX record of %s (%s)"), e->display, e->name);
    else
        ui_format(head, sizeof head, _("MX record of %s"), e->display);
    draw_text(w, 0, 1, e->area.w - 2, head, strlen(head), theme_attr(ROLE_NORMAL) | A_BOLD);
    if (e->base_cfg) {
        ui_format(meta, sizeof meta, _("Version %lld, saved %s by %s."), e->version,
                  ui_time(when, sizeof when, e->base_cfg->updated_at), e->base_cfg->updated_by);
        int mw = draw_text(w, 1, 1, e->area.w - 2, meta, strlen(meta), theme_attr(ROLE_NORMAL));
        if (mxe_dirty(e))
            ui_message(w, 1, 2 + mw, e->area.w - mw - 3, ROLE_WARNING,
                       _("Changed, not saved yet."));
    }
    const char *label = _("Mail for this name:");
    draw_str(w, e->y_toggle, 2, e->area.w - 4, label, theme_attr(ROLE_NORMAL));
    if (e->banner[0]) {
        int y = e->y_banner;
        draw_str(w, y, 1, 1, draw_symbol(SYM_WARNING), theme_attr(ROLE_WARNING));
        ui_wrapped(w, (struct rect){y, 3, text_rows(e->banner, e->area.w - 6), e->area.w - 6},
                   ROLE_WARNING, e->banner);
    }
}

static void draw_blocks(struct mxedit *e, WINDOW *w)
{
    const struct mx_profile *p = app_profile(e->base.app);
    char buf[1024];
    int x = 2, width = e->area.w - 4;
    if (e->y_primary >= 0) {
        draw_str(w, e->y_primary, x, width,
                 _("Primary mail servers — mail goes to them first, lowest priority number "
                   "first"),
                 theme_attr(ROLE_NORMAL) | A_BOLD);
        draw_str(w, e->y_backup, x, width,
                 _("Backup mail servers — they take the mail while no primary can"),
                 theme_attr(ROLE_NORMAL) | A_BOLD);
        for (int pass = 0; pass < 2; pass++) {
            bool backup = pass == 1;
            size_t n = mxe_count(e, backup);
            int max = backup ? p->max_backup : p->max_primary;
            if (n == 0)
                snprintf(buf, sizeof buf, "%s",
                         backup ? _("No backup server. Ins adds one (here, or on a backup row).")
                                : _("No primary server yet: Ins adds one."));
            else if ((int)n >= max)
                snprintf(buf, sizeof buf, _("%d of %d: the limit of the provider's profile."),
                         (int)n, max);
            else
                snprintf(buf, sizeof buf,
                         _("%d of %d. Ins adds a server, Del on its priority "
                           "removes one."),
                         (int)n, max);
            draw_str(w, backup ? e->y_backup_hint : e->y_primary_hint, x + 2, width - 2, buf,
                     theme_attr(ROLE_DISABLED));
        }
    }
    if (e->y_provider >= 0) {
        draw_str(w, e->y_provider, x, width,
                 _("The provider's mail system receives the mail for this name:"),
                 theme_attr(ROLE_NORMAL));
        for (size_t i = 0; i < p->n_mail_hosts; i++) {
            snprintf(buf, sizeof buf, "MX %5ld  %s", p->mail_hosts[i].priority,
                     p->mail_hosts[i].host);
            draw_str(w, e->y_provider + 1 + (int)i, x + 2, width - 2, buf, theme_attr(ROLE_NORMAL));
        }
    }
    if (e->y_none >= 0)
        ui_wrapped(w, (struct rect){e->y_none, x, 3, width}, ROLE_NORMAL,
                   _("No mail: the name announces that it receives no mail (a null MX, RFC "
                     "7505). Senders get an immediate bounce; nothing is received, nothing is "
                     "stored."));
    /* The delivery order, live. */
    struct mx_config cfg = {0};
    char order[2048];
    mxe_build(e, &cfg);
    mxs_delivery_order(order, sizeof order, &cfg, p);
    mx_config_clear(&cfg);
    const char *label = _("Delivery order:");
    int lw = sanitize_width(label, strlen(label)) + 1;
    draw_str(w, e->y_preview, x, lw, label, theme_attr(ROLE_NORMAL) | A_BOLD);
    ui_wrapped(w, (struct rect){e->y_preview, x + lw, 3, width - lw}, ROLE_NORMAL, order);
    /* The publication. */
    if (e->base_cfg) {
        const struct mx_publication *pub = &e->base_cfg->publication;
        enum role role = ROLE_NORMAL;
        if (!strcmp(pub->state, "published")) {
            char when[40];
            ui_format(buf, sizeof buf, _("DNS: version %lld published %s"), pub->version,
                      ui_time(when, sizeof when, pub->at));
            role = ROLE_OK;
        } else if (!strcmp(pub->state, "pending")) {
            snprintf(buf, sizeof buf, _("DNS: version %lld is being published…"), pub->version);
            role = ROLE_WARNING;
        } else if (!strcmp(pub->state, "failed")) {
            snprintf(buf, sizeof buf, _("DNS: publishing version %lld failed (it is retried): %s"),
                     pub->version, pub->error);
            role = ROLE_ERROR;
        } else {
            snprintf(buf, sizeof buf, "%s",
                     _("DNS: this server publishes to no DNS server (publication disabled)"));
        }
        ui_message(w, e->y_publication, x, width, role, buf);
        /* What the authoritative server answers now, asked over DNS by mxapid. */
        if (pub->has_dns) {
            char recs[1024];
            size_t o = 0;
            recs[0] = 0;
            for (size_t i = 0; i < pub->n_dns && o + 1 < sizeof recs; i++) {
                int k = snprintf(recs + o, sizeof recs - o, "%s%ld %s", i ? ", " : "",
                                 pub->dns[i].priority, pub->dns[i].host);
                if (k < 0)
                    break;
                o += (size_t)k < sizeof recs - o ? (size_t)k : sizeof recs - o - 1;
            }
            ui_format(buf, sizeof buf, _("DNS answers now: %s"), pub->n_dns ? recs : _("(none)"));
            draw_text(w, e->y_publication + 1, x + 2, width - 2, buf, strlen(buf),
                      theme_attr(ROLE_NORMAL));
        }
    }
    if (e->outcome[0])
        ui_message_wrapped(
            w, (struct rect){e->y_publication + 2, x, e->y_buttons - e->y_publication - 2, width},
            e->outcome_role, e->outcome);
}

static void mxedit_draw(struct view *v, WINDOW *win)
{
    struct mxedit *e = ev(v);
    if (!e->base_cfg || !e->pad) {
        char head[1100];
        snprintf(head, sizeof head, _("MX record of %s"), e->display);
        draw_text(win, e->area.y, e->area.x + 1, e->area.w - 2, head, strlen(head),
                  theme_attr(ROLE_NORMAL) | A_BOLD);
        view_draw_failure(v, win, (struct rect){e->area.y + 2, e->area.x, 2, e->area.w});
        return;
    }
    werase(e->pad);
    draw_heading(e, e->pad);
    draw_blocks(e, e->pad);
    form_draw(v->form, e->pad);
    struct widget *f = form_focused(v->form);
    int cy = f ? f->cur_y : -1, cx = f ? f->cur_x : -1;
    copywin(e->pad, win, e->scroll, 0, e->area.y, e->area.x, e->area.y + e->area.h - 1,
            e->area.x + e->area.w - 1, FALSE);
    /* More above or below: a mark on the right edge. */
    if (e->scroll > 0)
        draw_str(win, e->area.y, e->area.x + e->area.w - 1, 1, draw_symbol(SYM_UP),
                 theme_attr(ROLE_BORDER));
    if (e->scroll + e->area.h < e->content_h)
        draw_str(win, e->area.y + e->area.h - 1, e->area.x + e->area.w - 1, 1,
                 draw_symbol(SYM_DOWN), theme_attr(ROLE_BORDER));
    if (cy >= e->scroll && cy < e->scroll + e->area.h && cx >= 0) {
        wmove(win, e->area.y + cy - e->scroll, e->area.x + cx);
        curs_set(1);
    } else {
        curs_set(0);
    }
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
    infopanel_set_text(e->pinfo, backup_info(p, info, sizeof info));
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
    if (!custom(e)) {
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

static struct mxe_row *removing;

static void remove_row(struct mxedit *e)
{
    struct mxe_row *r = mxe_row_of(e, form_focused(e->base.form));
    if (!r) {
        app_status(e->base.app, ROLE_STATUS, "%s",
                   _("Del removes a server row: put the focus on the row first."));
        return;
    }
    if (field_len(r->host)) {
        removing = r;
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
            keep_focus_visible(e);
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
        if (f == button_widget(e->save_btn))
            mxe_save(e);
        else if (f == button_widget(e->history_btn))
            open_history(e);
    }
    keep_focus_visible(e);
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
        mxe_save(e);
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
        if (res->status == API_OK)
            mxe_loaded(e, &res->mx->config);
        else if (res->status == API_ERR_NOT_FOUND)
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

static enum leave_reason leave_why;

static void mxedit_dialog(struct view *v, int tag, int choice)
{
    struct mxedit *e = ev(v);
    switch (tag) {
    case MXE_DLG_REMOVE:
        if (choice == 1 && removing && mxe_row_of(e, field_widget(removing->host))) {
            mxe_row_remove(e, removing);
            mxe_validate(e);
            mxe_relayout(e);
        }
        removing = NULL;
        break;
    case MXE_DLG_DRAFT: {
        long long dv = 0;
        const struct mx_config *d = app_draft(v->app, e->name, &dv);
        if (choice == 1 && d) {
            struct mx_config copy = {0};
            if (mx_config_copy(&copy, d) == 0) {
                show_config(e, &copy);
                mx_config_clear(&copy);
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
            if (leave_why == LEAVE_QUIT)
                app_quit(a);
            else
                app_pop(a); /* frees e: nothing of it may be touched after this */
            app_dirty(a);
            return;
        } else if (choice == 2) { /* save, then leave */
            e->leave_after_save = true;
            mxe_save(e);
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
    leave_why = why;
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
    if (removing && mxe_row_of(e, field_widget(removing->host)))
        removing = NULL;
    view_clear(v);
    free(e);
}

static const struct view_ops mxedit_ops = {
    .name = "mxedit",
    .enter = mxedit_enter,
    .layout = mxedit_layout,
    .draw = mxedit_draw,
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
    e->pbackup = checkbox_new(_("Use the provider's backup server"), false);
    e->pinfo = infopanel_new(_("The provider's backup server"), "");
    e->save_btn = button_new(_("Save"));
    e->history_btn = button_new(_("History"));
    if (!e->mode || !e->pbackup || !e->pinfo || !e->save_btn || !e->history_btn ||
        !form_add(e->base.form, toggle_widget(e->mode)) ||
        !form_add(e->base.form, checkbox_widget(e->pbackup)) ||
        !form_add(e->base.form, infopanel_widget(e->pinfo)) ||
        !form_add(e->base.form, button_widget(e->save_btn)) ||
        !form_add(e->base.form, button_widget(e->history_btn))) {
        mxedit_free(&e->base);
        return NULL;
    }
    toggle_widget(e->mode)->name = _("Mail for this name");
    return &e->base;
}
