/* The app's views and chrome: setting up a view (its key table merged with the common keys,
 * translated), the status line, the modal dialog and the help, and drawing one frame — the
 * breadcrumb, the status line with its spinner, the key bar, the views and the dialog, with the
 * cursor where the focus is. See app.h. */
#include "tui/app_internal.h"

#include "tui/i18n.h"
#include "tui/ui.h"
#include "widgets/dialog.h"
#include "widgets/keybar.h"
#include "widgets/keys.h"
#include "widgets/sanitize.h"
#include "widgets/screen.h"
#include "widgets/spinner.h"
#include "widgets/statusline.h"
#include "widgets/texts.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys every view has; a view's own table comes first and may take any of them over. */
static const struct key_binding common_keys[] = {
    {WK_F1, ACT_HELP, N_("Help"), N_("show the help of this screen")},
    {'?', ACT_HELP, NULL, N_("show the help (where nothing is typed)")},
    {WK_ESC, ACT_BACK, N_("Back"), N_("cancel what is loading, else go back one screen")},
    {WK_F5, ACT_RETRY, NULL, N_("send the request that failed again")},
    {WK_F10, ACT_QUIT, N_("Quit"), N_("log out and leave mxtui")},
};
enum { N_COMMON = sizeof common_keys / sizeof common_keys[0] };

int view_init(struct view *v, struct app *app, const struct view_ops *ops,
              const struct key_binding *keys, size_t n_keys)
{
    memset(v, 0, sizeof *v);
    v->ops = ops;
    v->app = app;
    v->keys = keys;
    v->n_own_keys = n_keys;
    v->form = form_new();
    v->keys_shown = calloc(n_keys + N_COMMON, sizeof *v->keys_shown);
    if (!v->form || !v->keys_shown) {
        view_clear(v);
        return -1;
    }
    size_t n = 0;
    /* F1 first, then the view's keys, then the rest of the common ones. */
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1) {
            for (size_t i = 0; i < n_keys; i++) {
                v->keys_shown[n] = keys[i];
                v->keys_shown[n].label = keys[i].label ? _(keys[i].label) : NULL;
                v->keys_shown[n].description = _(keys[i].description);
                n++;
            }
            continue;
        }
        for (size_t i = 0; i < N_COMMON; i++) {
            if ((pass == 0) != (common_keys[i].key == WK_F1))
                continue;
            if (keys_action(keys, n_keys, common_keys[i].key) >= 0)
                continue;
            v->keys_shown[n] = common_keys[i];
            v->keys_shown[n].label = common_keys[i].label ? _(common_keys[i].label) : NULL;
            v->keys_shown[n].description = _(common_keys[i].description);
            n++;
        }
    }
    v->n_keys = n;
    return 0;
}

int view_draw_failure(struct view *v, WINDOW *win, struct rect r)
{
    if (!v->failed[0] || r.h < 1)
        return 0;
    ui_message(win, r.y, r.x + 2, r.w - 4, ROLE_ERROR, v->failed);
    if (r.h >= 2)
        draw_str(win, r.y + 1, r.x + 4, r.w - 6,
                 _("F5 tries again; Esc goes back to the screen before."), theme_attr(ROLE_NORMAL));
    return r.h >= 2 ? 2 : 1;
}

bool view_add(struct view *v, struct widget *w)
{
    return w && form_add(v->form, w) != NULL;
}

void view_place_cursor(struct view *v, WINDOW *win)
{
    struct widget *f = v->form ? form_focused(v->form) : NULL;
    if (f && f->cur_y >= 0) {
        wmove(win, f->cur_y, f->cur_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
}

void view_clear(struct view *v)
{
    form_free(&v->form);
    free(v->keys_shown);
    v->keys_shown = NULL;
}

void app_status(struct app *a, enum role role, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    statusline_set(a->status, role, buf);
    a->dirty = true;
}

void app_status_clear(struct app *a)
{
    statusline_set(a->status, ROLE_NORMAL, ""); /* an empty status line is no band of colour */
    a->dirty = true;
}

void close_dialog(struct app *a)
{
    dialog_free(&a->dlg);
    a->dlg_view = NULL;
    a->dirty = true;
}

/* Closes the dialog without an answer from the user and tells its owner so (choice -1, as for
 * Esc), so that no question stays pending in the owner's state. */
void dismiss_dialog(struct app *a)
{
    struct view *owner = a->dlg_view;
    int tag = a->dlg_tag;
    close_dialog(a);
    if (owner && owner->ops->dialog)
        owner->ops->dialog(owner, tag, -1);
}

void app_dialog(struct view *v, int tag, const char *title, const char *text,
                const char *const *buttons, size_t n, size_t focus)
{
    struct app *a = v->app;
    if (a->dlg)
        dismiss_dialog(a);
    a->dlg = dialog_new(title, text, buttons, n, focus);
    a->dlg_view = v;
    a->dlg_tag = tag;
    if (a->dlg)
        widget_resize(dialog_widget(a->dlg), (struct rect){0, 0, LINES, COLS});
    a->dirty = true;
}

bool app_dialog_open(const struct app *a)
{
    return a->dlg != NULL;
}

void show_help(struct app *a)
{
    struct view *v = app_top(a);
    char keys[4096], text[8192];
    keys_help_text_wrapped(v->keys_shown, v->n_keys, dialog_text_width(COLS), keys, sizeof keys);
    const char *extra = v->ops->help ? v->ops->help(v) : NULL;
    snprintf(text, sizeof text, "%s%s%s\n\n%s", extra ? extra : "", extra ? "\n\n" : "",
             _("Keys on this screen:"), keys);
    const char *ok[] = {_("Close")};
    app_dialog(v, -1, _("Help"), text, ok, 1, 0);
    a->dlg_view = NULL; /* nobody needs the answer */
}

/* Chrome: the breadcrumb on the first row, the status line and the key bar at the bottom. */
static void draw_header(struct app *a)
{
    char crumbs[1024];
    const char *sep = sanitize_utf8() ? " \u203A " : " > ";
    size_t o = (size_t)snprintf(crumbs, sizeof crumbs, "mxtui");
    for (size_t i = 0; i < a->depth && o < sizeof crumbs; i++) {
        const struct view *v = a->stack[i];
        if (v->overlay || !v->crumb[0])
            continue;
        /* A tab inside a crumb separates two parts of one view ("example.de", "DNS"). */
        size_t room = sizeof crumbs - 1;
        for (const char *c = sep; *c && o < room; c++)
            crumbs[o++] = *c;
        for (const char *c = v->crumb; *c && o < room; c++) {
            if (*c != '\t') {
                crumbs[o++] = *c;
                continue;
            }
            for (const char *d = sep; *d && o < room; d++)
                crumbs[o++] = *d;
        }
        crumbs[o] = 0;
    }
    attr_t h = theme_attr(ROLE_HEADER);
    draw_fill(stdscr, 0, 0, COLS, h);
    char who[512] = "";
    if (a->logged_in)
        snprintf(who, sizeof who, "%s%s%s ", a->actor_login, a->actor.staff ? " " : "",
                 a->actor.staff ? _("(staff)") : "");
    int ww = sanitize_width(who, strlen(who));
    if (ww > COLS / 3)
        ww = COLS / 3;
    draw_text(stdscr, 0, 1, COLS - ww - 2, crumbs, strlen(crumbs), h);
    if (ww > 0)
        draw_text(stdscr, 0, COLS - ww, ww, who, strlen(who), h);
}

void draw_all(struct app *a)
{
    werase(stdscr);
    if (screen_too_small()) {
        screen_draw_too_small();
        return;
    }
    struct view *top = app_top(a);
    const char *label = NULL;
    bool busy = top && req_busy_label(a, top, &label);
    /* A message longer than its row takes up to two more, and the screens give them up (laid out
     * again) rather than have it cut off or drawn over a field. */
    int sr = busy ? 1 : statusline_rows(a->status, COLS, 3);
    if (sr != a->status_rows) {
        a->status_rows = sr;
        layout_all(a);
    }
    draw_header(a);
    struct widget *sw = statusline_widget(a->status), *spw = spinner_widget(a->spinner);
    spinner_set_active(a->spinner, busy);
    if (busy) {
        char line[512];
        snprintf(line, sizeof line, "%s  (%s)", label ? label : _("Working…"), _("Esc cancels"));
        widget_resize(spw, (struct rect){LINES - 2, 0, 1, COLS});
        widget_draw(spw, stdscr, false);
        draw_str(stdscr, LINES - 2, 2, COLS - 2, line, theme_attr(ROLE_STATUS));
    } else {
        widget_resize(sw, (struct rect){LINES - 1 - a->status_rows, 0, a->status_rows, COLS});
        widget_draw(sw, stdscr, false);
    }
    if (top) {
        /* F5 shows in the key bar only while there is something to try again. */
        for (size_t i = 0; i < top->n_keys; i++)
            if (top->keys_shown[i].action == ACT_RETRY)
                top->keys_shown[i].label = a->retry ? _("Retry") : NULL;
        keybar_set_table(a->keybar, top->keys_shown, top->n_keys);
        widget_resize(keybar_widget(a->keybar), (struct rect){LINES - 1, 0, 1, COLS});
        widget_draw(keybar_widget(a->keybar), stdscr, false);
    }
    curs_set(0);
    /* An overlay is drawn over the view below it. */
    if (top && top->overlay && a->depth >= 2)
        a->stack[a->depth - 2]->ops->draw(a->stack[a->depth - 2], stdscr);
    if (top) {
        top->ops->draw(top, stdscr);
        /* Messages drawn after the form moved the curses cursor: screen readers and braille
         * displays follow it, so it goes back to the focused field or row. */
        if (!top->own_cursor)
            view_place_cursor(top, stdscr);
    }
    if (a->dlg) {
        struct widget *dw = dialog_widget(a->dlg);
        widget_draw(dw, stdscr, true);
        if (dw->cur_y >= 0) {
            wmove(stdscr, dw->cur_y, dw->cur_x);
            curs_set(1);
        } else {
            curs_set(0);
        }
    }
}

void layout_all(struct app *a)
{
    int status = a->status_rows > 1 ? a->status_rows : 1;
    struct rect body = {1, 0, LINES - 2 - status, COLS};
    for (size_t i = 0; i < a->depth; i++)
        a->stack[i]->ops->layout(a->stack[i], body);
    if (a->dlg)
        widget_resize(dialog_widget(a->dlg), (struct rect){0, 0, LINES, COLS});
}

/* The key bar and the help name the keys as the user's keyboard labels them: a German one says
 * Einfg, Entf, Pos1, Ende, BildAuf/BildAb where the English says Ins, Del, Home, End, PgUp/PgDn. */
void view_widget_words(void)
{
    static const struct {
        int key;
        const char *name;
    } names[] = {
        /* TRANSLATORS: the name of the Insert key on the user's keyboard, as short as possible. */
        {WK_INSERT, N_("Ins")},
        /* TRANSLATORS: the name of the Delete key. */
        {WK_DELETE, N_("Del")},
        /* TRANSLATORS: the name of the Home key. */
        {WK_HOME, N_("Home")},
        /* TRANSLATORS: the name of the End key. */
        {WK_END, N_("End")},
        /* TRANSLATORS: the name of the Page Up key. */
        {WK_PGUP, N_("PgUp")},
        /* TRANSLATORS: the name of the Page Down key. */
        {WK_PGDN, N_("PgDn")},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        keys_set_name(names[i].key, _(names[i].name));
    /* TRANSLATORS: a filtered list's count: rows shown, rows in all ("3 of 120"). */
    widget_text_set(WT_FILTER_COUNT, _("%zu of %zu"));
    /* TRANSLATORS: columns, rows of the terminal; then the columns, rows it needs at least. */
    widget_text_set(WT_TOO_SMALL, _("Terminal too small: %dx%d, needs at least %dx%d"));
}
