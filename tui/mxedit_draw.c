/* The MX editor's canvas: where every part goes (the mode, the banner, the rows, the backup
 * panel, the delivery order, the publication, the buttons), keeping the focus in view, and
 * drawing the part of the canvas the screen shows. See mxedit.h. */
#include "tui/mxedit.h"

#include "tui/i18n.h"
#include "tui/mxsummary.h"
#include "tui/ui.h"
#include "widgets/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows below the content the pad keeps free, so an open drop-down has room. */
enum { PAD_SLACK = 24 };

static struct mxedit *ev(struct view *v)
{
    return (struct mxedit *)v;
}

char *mxe_backup_info(const struct mx_profile *p, char *buf, size_t size)
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
    bool c = mxe_custom(e);
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
        mxe_backup_info(p, info, sizeof info); /* the panel's text is set with the profile */
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
void mxe_keep_focus_visible(struct mxedit *e)
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
    if (need < e->area.h + 1)
        need = e->area.h + 1; /* copywin reads as many rows as the screen shows */
    if (!e->pad || e->pad_w != e->area.w || e->pad_h < need) {
        if (e->pad)
            delwin(e->pad);
        e->pad_h = need > 64 ? need : 64;
        e->pad_w = e->area.w;
        e->pad = newpad(e->pad_h, e->pad_w);
    }
    mxe_keep_focus_visible(e);
    app_dirty(e->base.app);
}

void mxe_layout_view(struct view *v, struct rect area)
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

void mxe_draw_view(struct view *v, WINDOW *win)
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
    int rows = e->area.h < e->pad_h - e->scroll ? e->area.h : e->pad_h - e->scroll;
    if (rows > 0)
        copywin(e->pad, win, e->scroll, 0, e->area.y, e->area.x, e->area.y + rows - 1,
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
