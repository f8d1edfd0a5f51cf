/* mxtui-gallery: shows every widget, for the harness tests, the screenshots and the benchmarks.
 * Not installed. One page per widget (--page NAME) or all input widgets in one form (the
 * default page "form"); --mono forces the monochrome theme; --still stops the spinner from
 * turning (for screenshots); --rows N sets the list's length.
 * The "evil" page shows a hostile string (terminal escapes, bidi override, NUL) in a field, a
 * list row, the status line and a dialog. */
#include "widgets/button.h"
#include "widgets/checkbox.h"
#include "widgets/dialog.h"
#include "widgets/dropdown.h"
#include "widgets/field.h"
#include "widgets/form.h"
#include "widgets/infopanel.h"
#include "widgets/keybar.h"
#include "widgets/keys.h"
#include "widgets/list.h"
#include "widgets/screen.h"
#include "widgets/spinner.h"
#include "widgets/statusline.h"
#include "widgets/theme.h"
#include "widgets/toggle.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum action { ACT_HELP, ACT_QUIT, ACT_NEXT, ACT_PREV, ACT_FILTER, ACT_BACK };

static const struct key_binding gallery_keys[] = {
    {WK_F1, ACT_HELP, "Help", "show this help"},
    {WK_TAB, ACT_NEXT, "Next", "move to the next field"},
    {WK_BACKTAB, ACT_PREV, "Prev", "move to the previous field"},
    {'/', ACT_FILTER, NULL, "filter the list (type to narrow, Esc clears)"},
    {WK_ESC, ACT_BACK, NULL, "close a drop-down or dialog without change"},
    {WK_F10, ACT_QUIT, "Quit", "leave the gallery"},
};
enum { NKEYS = sizeof gallery_keys / sizeof gallery_keys[0] };

/* Terminal escapes (set title, clear screen), a right-to-left override and a NUL. */
static const char evil[] = "A\033]0;pwned\007B\033[2JC\u202ED\0E";
enum { EVIL_LEN = sizeof evil - 1 };

struct gallery {
    const char *page;
    struct form *form;
    struct field *host, *host_ok, *host_under, *pass, *evil_field;
    struct dropdown *prio;
    struct toggle *mode;
    struct checkbox *backup;
    struct button *save, *cancel;
    struct list *list;
    struct infopanel *info;
    struct spinner *spin;
    struct statusline *status;
    struct keybar *keybar;
    struct dialog *dialog; /* open modal, or NULL; not in the form */
    size_t list_rows;
};

static const char backup_text[] =
    "The provider's backup server accepts mail while your server is down. Whitelist its "
    "addresses 192.0.2.53 and 2001:db8::53, never blacklist them. HELO names: "
    "backup1.provider.example, backup2.provider.example. After an outage it may take up to "
    "4 hours before it delivers; it keeps mail at most 5 days.";

static void add(struct gallery *g, struct widget *w)
{
    if (!w || !form_add(g->form, w)) {
        fprintf(stderr, "mxtui-gallery: out of memory\n");
        exit(1);
    }
}

static bool page_is(const struct gallery *g, const char *name)
{
    return !strcmp(g->page, name);
}

/* Same judgement the MX editor makes, reduced to what a gallery needs: a trailing dot. */
static void validate_host(struct field *f)
{
    size_t n = field_len(f);
    const char *s = field_text(f);
    if (n == 0)
        field_set_state(f, FIELD_NEUTRAL, NULL);
    else if (s[n - 1] != '.')
        field_set_state(f, FIELD_ERROR, "needs a trailing dot");
    else
        field_set_state(f, FIELD_OK, "looks fine");
}

static void fill_list(struct gallery *g)
{
    static const char *const kinds[] = {"", "shop.", "mail.", "dyn."};
    static const char *const modes[] = {"provider", "own server", "provider", "none"};
    char name[64];
    for (size_t i = 0; i < g->list_rows; i++) {
        snprintf(name, sizeof name, "%skunde-%06zu.de", kinds[i % 4], i / 4);
        const char *cells[] = {name, i % 4 ? "subdomain" : "domain", modes[i % 4]};
        list_append(g->list, i % 4 ? 1 : 0, cells);
    }
}

static void build(struct gallery *g)
{
    static const char *const prios[] = {"10", "20", "30", "40", "50"};
    static const char *const modes[] = {"Provider mail", "Own mail server"};
    static const struct list_column cols[] = {{"Name", 0}, {"Type", 10}, {"MX mode", 12}};
    bool all = page_is(g, "form");
    g->form = form_new();
    if (!g->form)
        exit(1);
    if (all || page_is(g, "field")) {
        g->host = field_new("Host name", 12, 30, 253, 0);
        add(g, field_widget(g->host));
        field_set_text(g->host, "mail.example.de");
        validate_host(g->host);
    }
    if (page_is(g, "field")) {
        g->host_ok = field_new("Backup", 12, 30, 253, 0);
        add(g, field_widget(g->host_ok));
        field_set_text(g->host_ok, "mx2.example.de.");
        validate_host(g->host_ok);
        g->host_under = field_new("Long name", 12, 30, 253, 0);
        add(g, field_widget(g->host_under));
        field_set_text(g->host_under, "a-very-long-host-name-that-scrolls.mail.example.de");
        field_set_state(g->host_under, FIELD_WARNING, "no A record found (yet)");
    }
    if (all || page_is(g, "password")) {
        g->pass = field_new("Password", 12, 20, 128, FIELD_MASKED);
        add(g, field_widget(g->pass));
        if (page_is(g, "password"))
            field_set_text(g->pass, "demo-10001");
    }
    if (all || page_is(g, "dropdown")) {
        g->prio = dropdown_new("Priority", 12, 8, prios, 5, 0);
        add(g, dropdown_widget(g->prio));
    }
    if (all || page_is(g, "toggle")) {
        g->mode = toggle_new(modes, 2, 0);
        add(g, toggle_widget(g->mode));
        toggle_widget(g->mode)->name = "Mail";
    }
    if (all || page_is(g, "checkbox")) {
        g->backup = checkbox_new("Use the provider's backup server", false);
        add(g, checkbox_widget(g->backup));
    }
    if (all || page_is(g, "button")) {
        g->save = button_new("Save");
        g->cancel = button_new("Cancel");
        add(g, button_widget(g->save));
        add(g, button_widget(g->cancel));
    }
    if (all || page_is(g, "list") || page_is(g, "evil")) {
        g->list = list_new(cols, 3);
        if (!g->list)
            exit(1);
        add(g, list_widget(g->list));
        if (page_is(g, "evil")) {
            const char *cells[] = {evil, "domain", "evil"};
            list_append(g->list, 0, cells);
            const char *plain[] = {"example.de", "domain", "provider"};
            list_append(g->list, 0, plain);
        } else {
            fill_list(g);
        }
    }
    if (page_is(g, "evil")) {
        g->evil_field = field_new("Foreign", 12, 60, 256, 0);
        add(g, field_widget(g->evil_field));
        field_set_text_n(g->evil_field, evil, EVIL_LEN);
        form_focus(g->form, field_widget(g->evil_field));
    }
    if (all || page_is(g, "infopanel")) {
        g->info = infopanel_new("Provider backup server", backup_text);
        add(g, infopanel_widget(g->info));
        if (page_is(g, "infopanel"))
            infopanel_widget(g->info)->focusable = true;
    }
    if (all || page_is(g, "spinner")) {
        g->spin = spinner_new("Checking mx2.example.de. ...");
        add(g, spinner_widget(g->spin));
        spinner_set_active(g->spin, true);
    }
    g->status = statusline_new();
    add(g, statusline_widget(g->status));
    g->keybar = keybar_new(gallery_keys, NKEYS);
    add(g, keybar_widget(g->keybar));
    if (page_is(g, "evil"))
        statusline_set_n(g->status, ROLE_STATUS, evil, EVIL_LEN);
    else if (page_is(g, "statusline"))
        statusline_set(g->status, ROLE_ERROR,
                       "Saving failed: the server did not answer (try again)");
    else
        statusline_set(g->status, ROLE_STATUS, "Ready.");
    if (page_is(g, "dialog") || page_is(g, "evil")) {
        static const char *const buttons[] = {"Save", "Cancel"};
        const char *text = page_is(g, "evil")
                               ? evil
                               : "Mail for example.de will go to your own servers. The provider's "
                                 "mail system no longer stores, filters or forwards it.\n"
                                 "Changes can take up to 24 hours to be active everywhere.";
        g->dialog =
            dialog_new(page_is(g, "evil") ? "Foreign text" : "Save changes?", text, buttons, 2, 1);
    }
    if (page_is(g, "help")) {
        char help[2048];
        keys_help_text(gallery_keys, NKEYS, help, sizeof help);
        static const char *const close[] = {"Close"};
        g->dialog = dialog_new("Help", help, close, 1, 0);
    }
}

static void place(struct widget *w, int y, int x, int h, int width)
{
    if (w)
        widget_resize(w, (struct rect){y, x, h, width});
}

/* Lays the page out for the current terminal size: wider terminals get a wider list and
 * panel, taller ones a longer list. */
static void layout(struct gallery *g)
{
    int W = COLS, H = LINES, y = 2;
    int fw = W - 4;
    if (g->host) {
        place(field_widget(g->host), y++, 2, 1, fw);
    }
    if (g->host_ok)
        place(field_widget(g->host_ok), y++, 2, 1, fw);
    if (g->host_under) {
        place(field_widget(g->host_under), y, 2, 2, fw);
        y += 2;
    }
    if (g->pass)
        place(field_widget(g->pass), y++, 2, 1, fw);
    if (g->prio)
        place(dropdown_widget(g->prio), y++, 2, 1, 12 + 8);
    if (g->mode)
        place(toggle_widget(g->mode), y++, 14, 1, W - 16);
    if (g->backup)
        place(checkbox_widget(g->backup), y++, 14, 1, W - 16);
    if (g->save) {
        place(button_widget(g->save), y, 14, 1, button_width(g->save));
        place(button_widget(g->cancel), y, 14 + button_width(g->save) + 2, 1,
              button_width(g->cancel));
        y++;
    }
    if (g->spin)
        place(spinner_widget(g->spin), y++, 2, 1, W - 4);
    if (g->evil_field)
        place(field_widget(g->evil_field), y++, 2, 1, fw);
    y++;
    int bottom = H - 3; /* last row for content: the status line and key bar follow */
    bool list_and_info = g->list && g->info;
    int info_w = list_and_info ? (W >= 120 ? 50 : 32) : W - 4;
    if (g->list)
        place(list_widget(g->list), y, 2, bottom - y + 1,
              list_and_info ? W - 4 - info_w - 1 : W - 4);
    if (g->info) {
        int ih = page_is(g, "infopanel") ? 9 : bottom - y + 1;
        place(infopanel_widget(g->info), y, list_and_info ? W - 2 - info_w : 2, ih, info_w);
    }
    place(statusline_widget(g->status), H - 2, 0, 1, W);
    place(keybar_widget(g->keybar), H - 1, 0, 1, W);
    if (g->dialog)
        place(dialog_widget(g->dialog), 0, 0, H, W);
    form_touch(g->form);
}

static void draw(struct gallery *g)
{
    if (screen_too_small()) {
        screen_draw_too_small();
        screen_flush();
        return;
    }
    werase(stdscr);
    char title[128], size[32];
    snprintf(title, sizeof title, " mxtui widget gallery - %s", g->page);
    snprintf(size, sizeof size, "%dx%d ", COLS, LINES);
    draw_fill(stdscr, 0, 0, COLS, theme_attr(ROLE_HEADER));
    draw_str(stdscr, 0, 0, COLS - 10, title, theme_attr(ROLE_HEADER));
    draw_str(stdscr, 0, COLS - (int)strlen(size), (int)strlen(size), size, theme_attr(ROLE_HEADER));
    form_draw(g->form, stdscr);
    if (g->dialog) {
        struct widget *d = dialog_widget(g->dialog);
        widget_draw(d, stdscr, true);
        if (d->cur_y >= 0) {
            wmove(stdscr, d->cur_y, d->cur_x);
            curs_set(1);
        }
    }
    screen_flush();
}

static void report(struct gallery *g, struct widget *w, int flags)
{
    char msg[512];
    if (!w)
        return;
    if ((flags & WIDGET_CHANGED) && g->host && w == field_widget(g->host))
        validate_host(g->host);
    if (flags & WIDGET_CHANGED) {
        if (g->prio && w == dropdown_widget(g->prio))
            snprintf(msg, sizeof msg, "Priority: %s", dropdown_text(g->prio));
        else if (g->mode && w == toggle_widget(g->mode))
            snprintf(msg, sizeof msg, "Mail: %s",
                     toggle_selected(g->mode) ? "own mail server" : "provider mail");
        else if (g->backup && w == checkbox_widget(g->backup))
            snprintf(msg, sizeof msg, "Backup server: %s",
                     checkbox_checked(g->backup) ? "on" : "off");
        else if (g->list && w == list_widget(g->list))
            snprintf(msg, sizeof msg, "Filter: %zu of %zu rows", list_visible(g->list),
                     list_count(g->list));
        else
            return;
        statusline_set(g->status, ROLE_STATUS, msg);
    } else if (flags & WIDGET_ACTIVATE) {
        if (g->list && w == list_widget(g->list) && list_selected(g->list) != (size_t)-1)
            snprintf(msg, sizeof msg, "Opened %s", list_cell(g->list, list_selected(g->list), 0));
        else
            snprintf(msg, sizeof msg, "Pressed %s", w->name ? w->name : w->ops->kind);
        statusline_set(g->status, ROLE_OK, msg);
    } else if (flags & (WIDGET_FOCUS_NEXT | WIDGET_FOCUS_PREV)) {
        struct widget *f = form_focused(g->form);
        snprintf(msg, sizeof msg, "Focus: %s", f && f->name ? f->name : "-");
        statusline_set(g->status, ROLE_STATUS, msg);
    }
}

static void usage(FILE *out)
{
    fputs("usage: mxtui-gallery [--page form|field|password|list|dropdown|toggle|checkbox|"
          "button|dialog|help|keybar|statusline|spinner|infopanel|evil] [--mono] [--still]\n"
          "       [--rows N]\n",
          out);
}

int main(int argc, char **argv)
{
    struct gallery g = {.page = "form", .list_rows = 0};
    struct screen_opts so = {.theme = THEME_AUTO};
    bool still = false; /* the spinner does not turn: screenshots stay the same run to run */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--page") && i + 1 < argc) {
            g.page = argv[++i];
        } else if (!strcmp(argv[i], "--still")) {
            still = true;
        } else if (!strcmp(argv[i], "--mono")) {
            so.theme = THEME_MONO;
        } else if (!strcmp(argv[i], "--rows") && i + 1 < argc) {
            g.list_rows = strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!g.list_rows)
        g.list_rows = page_is(&g, "list") ? 100000 : 200;
    setlocale(LC_ALL, "");
    if (screen_init(&so) != 0) {
        fprintf(stderr, "mxtui-gallery: no usable terminal\n");
        return 1;
    }
    build(&g);
    layout(&g);
    bool redraw = true;
    for (;;) {
        if (redraw || form_dirty(g.form) || (g.dialog && dialog_widget(g.dialog)->dirty))
            draw(&g);
        redraw = false;
        int key = screen_read_key(g.spin && !still ? SPINNER_INTERVAL_MS : -1);
        if (key == WK_NONE) {
            if (g.spin)
                spinner_tick(g.spin);
            continue;
        }
        if (key == WK_RESIZE) {
            layout(&g);
            redraw = true;
            continue;
        }
        if (key == WK_F10)
            break;
        if (screen_too_small())
            continue;
        if (g.dialog) {
            int flags = widget_key(dialog_widget(g.dialog), key);
            if (flags & WIDGET_CLOSE) {
                char msg[64];
                int choice = dialog_choice(g.dialog);
                snprintf(msg, sizeof msg, "Dialog closed: %s",
                         choice < 0    ? "cancelled"
                         : choice == 0 ? "first button"
                                       : "second button");
                statusline_set(g.status, ROLE_STATUS, msg);
                dialog_free(&g.dialog);
                form_touch(g.form);
            }
            redraw = true;
            continue;
        }
        struct widget *before = form_focused(g.form);
        int flags = form_key(g.form, key);
        if (flags & WIDGET_HANDLED) {
            report(&g, before, flags);
            continue;
        }
        if (keys_action(gallery_keys, NKEYS, key) == ACT_HELP) {
            char help[2048];
            keys_help_text(gallery_keys, NKEYS, help, sizeof help);
            static const char *const close[] = {"Close"};
            g.dialog = dialog_new("Help", help, close, 1, 0);
            if (g.dialog)
                place(dialog_widget(g.dialog), 0, 0, LINES, COLS);
            redraw = true;
        }
    }
    screen_end();
    dialog_free(&g.dialog);
    form_free(&g.form);
    return 0;
}
