/* The confirmation over the current screen that a save or a restore asks for: the text (before
 * and after, the warnings, the consequences) in a panel that scrolls, a field for a ticket or
 * reason, and two buttons — Cancel, which has the focus first, and the action, which says what
 * it does ("Save 3 changes"). Enter on a fresh confirmation never saves. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/button.h"
#include "widgets/field.h"
#include "widgets/infopanel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACT_DO = ACT_VIEW };

static const struct key_binding confirm_keys[] = {
    {WK_TAB, 0, NULL, N_("move between the text, the reason and the buttons")},
    {WK_ESC, ACT_BACK, N_("Cancel"), N_("close without doing anything")},
};

struct confirm_view {
    struct view base;
    struct view *owner;
    int tag;
    bool ask_reason, reason_required;
    char *reason_out;
    size_t reason_size;
    struct infopanel *text;
    struct field *reason;
    struct button *cancel, *act;
    struct rect box;
    char message[256];
};

static struct confirm_view *fv(struct view *v)
{
    return (struct confirm_view *)v;
}

static void confirm_layout(struct view *v, struct rect area)
{
    struct confirm_view *c = fv(v);
    int w = area.w - 4 < 96 ? area.w - 4 : 96;
    c->box = ui_centre(area, w, area.h);
    struct rect b = c->box;
    int bottom = b.y + b.h - 2; /* the buttons' row */
    int reason_rows = c->ask_reason ? 2 : 0;
    widget_resize(infopanel_widget(c->text), (struct rect){b.y, b.x, b.h - 3 - reason_rows, b.w});
    if (c->ask_reason)
        widget_resize(field_widget(c->reason), (struct rect){bottom - 2, b.x + 2, 1, b.w - 4});
    int aw = button_width(c->act), cw = button_width(c->cancel);
    widget_resize(button_widget(c->cancel), (struct rect){bottom, b.x + b.w - aw - cw - 4, 1, cw});
    widget_resize(button_widget(c->act), (struct rect){bottom, b.x + b.w - aw - 2, 1, aw});
}

static void confirm_draw(struct view *v, WINDOW *win)
{
    struct confirm_view *c = fv(v);
    /* A blank column each side first: a frame of the screen below that ends right beside the
     * box (the MX editor's backup panel) looked like a second, shifted frame of this one. */
    draw_clear_beside(win, c->box, (struct rect){0, 0, getmaxy(win), getmaxx(win)},
                      theme_attr(ROLE_NORMAL));
    /* The text's panel is the frame; below it the reason and the buttons on the same ground. */
    for (int y = c->box.y; y < c->box.y + c->box.h; y++)
        draw_fill(win, y, c->box.x, c->box.w, theme_attr(ROLE_DIALOG));
    if (c->message[0])
        ui_message(win, c->box.y + c->box.h - 2, c->box.x + 2, c->box.w / 2, ROLE_ERROR,
                   c->message);
    form_draw(v->form, win);
}

/* Answers the owner and closes: the owner may open the next step at once. */
static void answer(struct confirm_view *c, int choice)
{
    struct app *a = c->base.app;
    struct view *owner = c->owner;
    int tag = c->tag;
    if (choice == 1 && c->reason_out)
        ui_copy(c->reason_out, c->reason_size, c->ask_reason ? field_text(c->reason) : "");
    app_pop(a); /* frees c */
    if (owner && owner->ops->dialog)
        owner->ops->dialog(owner, tag, choice);
}

static void try_act(struct confirm_view *c)
{
    if (c->ask_reason) {
        enum mx_code rc =
            mx_reason_check(field_text(c->reason), field_len(c->reason), c->reason_required);
        if (rc != MX_OK) {
            ui_copy(c->message, sizeof c->message, mx_code_message(rc, i18n_lang()));
            field_set_state(c->reason, FIELD_ERROR, NULL);
            form_focus(c->base.form, field_widget(c->reason));
            app_dirty(c->base.app);
            return;
        }
    }
    answer(c, 1);
}

static int confirm_key(struct view *v, int key)
{
    struct confirm_view *c = fv(v);
    struct widget *f = form_focused(v->form);
    int flags = form_key(v->form, key);
    if (flags & WIDGET_ACTIVATE) {
        if (f == button_widget(c->act)) {
            try_act(c);
            return WIDGET_HANDLED;
        }
        if (f == button_widget(c->cancel)) {
            answer(c, 0);
            return WIDGET_HANDLED;
        }
    }
    if (flags & WIDGET_CHANGED && f == field_widget(c->reason)) {
        c->message[0] = 0;
        field_set_state(c->reason, FIELD_NEUTRAL, NULL);
    }
    if (flags & (WIDGET_HANDLED | WIDGET_REDRAW))
        app_dirty(v->app);
    /* '?' would otherwise open the help over a typed reason. */
    if (f == field_widget(c->reason) && widget_key_is_text(key))
        return WIDGET_HANDLED;
    return flags;
}

static void confirm_action(struct view *v, int action)
{
    if (action == ACT_BACK)
        answer(fv(v), 0);
}

static const char *confirm_help(struct view *v)
{
    struct confirm_view *c = fv(v);
    if (c->reason_required)
        return _("Read what will change, enter the ticket or the reason (support staff must "
                 "give one: it is kept with the change), then choose the button on the right. "
                 "Cancel keeps everything as it is.");
    return _("Read what will change, then choose the button on the right; the reason is "
             "optional and kept with the change. Cancel keeps everything as it is.");
}

static void confirm_free(struct view *v)
{
    view_clear(v);
    free(v);
}

static const struct view_ops confirm_ops = {
    .name = "confirm",
    .layout = confirm_layout,
    .draw = confirm_draw,
    .key = confirm_key,
    .action = confirm_action,
    .help = confirm_help,
    .free = confirm_free,
};

struct view *confirm_view_new(struct app *a, struct view *owner, int tag, const char *title,
                              const char *text, const char *action, bool ask_reason,
                              bool reason_required, char *reason_out, size_t reason_size)
{
    struct confirm_view *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (view_init(&c->base, a, &confirm_ops, confirm_keys,
                  sizeof confirm_keys / sizeof confirm_keys[0])) {
        free(c);
        return NULL;
    }
    c->base.overlay = true;
    c->owner = owner;
    c->tag = tag;
    c->ask_reason = ask_reason;
    c->reason_required = reason_required;
    c->reason_out = reason_out;
    c->reason_size = reason_size;
    const char *label =
        reason_required ? _("Ticket or reason (required)") : _("Ticket or reason (optional)");
    int lw = ui_label_width(&label, 1) + 1;
    c->text = infopanel_new(title, text);
    bool ok = view_add(&c->base, c->text ? infopanel_widget(c->text) : NULL);
    c->reason = ok ? field_new(label, lw, 0, 800, 0) : NULL;
    ok = ok && view_add(&c->base, c->reason ? field_widget(c->reason) : NULL);
    c->cancel = ok ? button_new(_("Cancel")) : NULL;
    ok = ok && view_add(&c->base, c->cancel ? button_widget(c->cancel) : NULL);
    c->act = ok ? button_new(action) : NULL;
    ok = ok && view_add(&c->base, c->act ? button_widget(c->act) : NULL);
    if (!ok) {
        confirm_free(&c->base);
        return NULL;
    }
    infopanel_widget(c->text)->focusable = true; /* Up/Down scroll a long text */
    field_widget(c->reason)->hidden = !ask_reason;
    if (reason_out && reason_out[0])
        field_set_text(c->reason, reason_out);
    form_focus(c->base.form, reason_required ? field_widget(c->reason) : button_widget(c->cancel));
    return &c->base;
}
