/* Key handling of the widgets without a terminal: what each kind answers (the flags) and what
 * it holds afterwards. Drawing is covered by the gallery tests in tests/e2e/. */
#include "widgets/button.h"
#include "widgets/checkbox.h"
#include "widgets/dialog.h"
#include "widgets/dropdown.h"
#include "widgets/field.h"
#include "widgets/form.h"
#include "widgets/list.h"
#include "widgets/sanitize.h"
#include "widgets/toggle.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

static void utf8(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    sanitize_set_utf8(true);
}

Test(widget_keys, field_edits_and_reports_changes, .init = utf8)
{
    struct field *f = field_new("Host", 6, 20, 16, 0);
    cr_assert_not_null(f);
    struct widget *w = field_widget(f);
    cr_assert_eq(widget_key(w, 'm'), WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED);
    widget_key(w, 0xFC); /* ü */
    widget_key(w, 'x');
    cr_assert_str_eq(field_text(f), "müx");
    cr_assert_eq(widget_key(w, WK_LEFT), WIDGET_HANDLED | WIDGET_REDRAW);
    cr_assert_eq(widget_key(w, WK_BACKSPACE), WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED);
    cr_assert_str_eq(field_text(f), "mx");
    cr_assert_eq(widget_key(w, WK_HOME), WIDGET_HANDLED | WIDGET_REDRAW);
    cr_assert_eq(widget_key(w, WK_HOME), WIDGET_HANDLED, "nothing moved, no redraw");
    cr_assert_eq(widget_key(w, WK_TAB), WIDGET_IGNORED, "Tab is the form's");
    cr_assert_eq(widget_key(w, WK_F1), WIDGET_IGNORED);
    cr_assert_eq(widget_key(w, WK_ESC), WIDGET_IGNORED);
    cr_assert(widget_key(w, WK_ENTER) & WIDGET_FOCUS_NEXT);
    widget_key(w, WK_END);
    cr_assert_eq(widget_key(w, WK_CTRL_U), WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED);
    cr_assert_eq(field_len(f), 0);
    for (int i = 0; i < 20; i++)
        widget_key(w, 'a');
    cr_assert_eq(field_len(f), 16, "max_bytes holds");
    field_set_state(f, FIELD_ERROR, "bad");
    cr_assert_eq(field_state(f), FIELD_ERROR);
    field_free(&f);
    cr_assert_null(f);
    field_free(&f); /* a second free is a no-op */
}

Test(widget_keys, dropdown_picks_with_enter_and_esc_keeps, .init = utf8)
{
    const char *opts[] = {"10", "20", "30"};
    struct dropdown *d = dropdown_new("Priority", 10, 8, opts, 3, 0);
    struct widget *w = dropdown_widget(d);
    cr_assert_eq(widget_key(w, WK_DOWN), WIDGET_IGNORED, "closed: arrows are not its");
    cr_assert(widget_key(w, WK_ENTER) & WIDGET_HANDLED);
    cr_assert(dropdown_is_open(d));
    widget_key(w, WK_DOWN);
    widget_key(w, WK_DOWN);
    widget_key(w, WK_DOWN); /* stops at the last */
    cr_assert_eq(widget_key(w, WK_ENTER), WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED);
    cr_assert_not(dropdown_is_open(d));
    cr_assert_str_eq(dropdown_text(d), "30");
    cr_assert_not(widget_holds_esc(w), "closed: Esc is the application's");
    widget_key(w, WK_SPACE);
    cr_assert(widget_holds_esc(w), "open: Esc closes it, before it cancels a request");
    widget_key(w, WK_UP);
    cr_assert_eq(widget_key(w, WK_ESC), WIDGET_HANDLED | WIDGET_REDRAW);
    cr_assert_not(widget_holds_esc(w));
    cr_assert_eq(dropdown_selected(d), 2, "Esc keeps the old value");
    widget_key(w, WK_ENTER);
    cr_assert_eq(widget_key(w, WK_TAB), WIDGET_REDRAW, "Tab closes and lets the form move");
    cr_assert_not(dropdown_is_open(d));
    widget_key(w, WK_ENTER);
    cr_assert_eq(widget_key(w, WK_ENTER), WIDGET_HANDLED | WIDGET_REDRAW, "same value: no change");
    widget_free(&w);
}

Test(widget_keys, toggle_checkbox_button_dialog, .init = utf8)
{
    const char *modes[] = {"Provider", "Own"};
    struct toggle *t = toggle_new(modes, 2, 0);
    struct widget *tw = toggle_widget(t);
    cr_assert_eq(widget_key(tw, WK_LEFT), WIDGET_HANDLED, "already first");
    cr_assert(widget_key(tw, WK_RIGHT) & WIDGET_CHANGED);
    cr_assert_eq(toggle_selected(t), 1);
    cr_assert(widget_key(tw, WK_SPACE) & WIDGET_CHANGED);
    cr_assert_eq(toggle_selected(t), 0);
    widget_free(&tw);

    struct checkbox *c = checkbox_new("Backup", false);
    struct widget *cw = checkbox_widget(c);
    cr_assert(widget_key(cw, WK_SPACE) & WIDGET_CHANGED);
    cr_assert(checkbox_checked(c));
    cr_assert_eq(widget_key(cw, 'x'), WIDGET_IGNORED);
    widget_free(&cw);

    struct button *b = button_new("Save");
    struct widget *bw = button_widget(b);
    cr_assert_eq(widget_key(bw, WK_ENTER), WIDGET_HANDLED | WIDGET_ACTIVATE);
    cr_assert_eq(button_width(b), 8);
    widget_free(&bw);

    const char *buttons[] = {"Save", "Cancel"};
    struct dialog *d = dialog_new("Save?", "text", buttons, 2, 1);
    struct widget *dw = dialog_widget(d);
    cr_assert_eq(widget_key(dw, 'q'), WIDGET_HANDLED, "modal: swallows other keys");
    widget_key(dw, WK_RIGHT); /* wraps to Save */
    cr_assert_eq(widget_key(dw, WK_ENTER), WIDGET_HANDLED | WIDGET_ACTIVATE | WIDGET_CLOSE);
    cr_assert_eq(dialog_choice(d), 0);
    cr_assert_eq(widget_key(dw, WK_ESC), WIDGET_HANDLED | WIDGET_CLOSE);
    cr_assert_eq(dialog_choice(d), -1);
    dialog_free(&d);
    cr_assert_null(d);
}

Test(widget_keys, list_filters_and_moves, .init = utf8)
{
    struct list_column cols[] = {{"Name", 0}, {"Type", 10}};
    struct list *l = list_new(cols, 2);
    struct widget *w = list_widget(l);
    widget_resize(w, (struct rect){0, 0, 12, 60}); /* 10 rows of body */
    char name[32];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "host%03d.example", i);
        const char *cells[] = {name, i % 2 ? "odd" : "even"};
        cr_assert_eq(list_append(l, 0, cells), 0);
    }
    cr_assert_eq(list_selected(l), 0);
    widget_key(w, WK_PGDN);
    cr_assert_eq(list_selected(l), 10);
    widget_key(w, WK_END);
    cr_assert_eq(list_selected(l), 99);
    cr_assert_eq(widget_key(w, WK_DOWN), WIDGET_HANDLED, "at the end: nothing to redraw");
    cr_assert_eq(widget_key(w, WK_ENTER), WIDGET_HANDLED | WIDGET_ACTIVATE);
    cr_assert(widget_key(w, '4') & WIDGET_CHANGED);
    widget_key(w, '2');
    cr_assert_eq(list_visible(l), 1);
    cr_assert_str_eq(list_cell(l, list_selected(l), 0), "host042.example");
    widget_key(w, WK_BACKSPACE);
    cr_assert_eq(list_visible(l), 19, "host004, host014..host094 and host040..host049");
    cr_assert_eq(widget_key(w, WK_ESC), WIDGET_HANDLED | WIDGET_REDRAW | WIDGET_CHANGED);
    cr_assert_eq(list_visible(l), 100);
    cr_assert_eq(widget_key(w, WK_ESC), WIDGET_IGNORED, "nothing to clear");
    cr_assert_eq(widget_key(w, ' '), WIDGET_IGNORED, "Space does not start a filter");
    cr_assert(widget_key(w, '/') & WIDGET_HANDLED);
    cr_assert(widget_key(w, ' ') & WIDGET_CHANGED, "but goes into one");
    widget_key(w, WK_ESC);
    widget_key(w, '4');
    widget_key(w, '2');
    cr_assert_eq(list_visible(l), 1);
    cr_assert(widget_key(w, WK_CTRL_U) & WIDGET_CHANGED, "Ctrl-U clears the filter at once");
    cr_assert_eq(list_visible(l), 100);
    cr_assert_str_eq(list_filter(l), "");
    cr_assert_eq(widget_key(w, WK_CTRL_U), WIDGET_IGNORED, "nothing to clear");
    widget_free(&w);
}

Test(widget_keys, form_tab_order_skips_what_cannot_take_focus, .init = utf8)
{
    struct form *f = form_new();
    struct widget *a = form_add(f, field_widget(field_new("A", 2, 10, 0, 0)));
    struct widget *b = form_add(f, button_widget(button_new("B")));
    struct widget *c = form_add(f, checkbox_widget(checkbox_new("C", false)));
    cr_assert_eq(form_focused(f), a);
    b->hidden = true;
    cr_assert(form_key(f, WK_TAB) & WIDGET_HANDLED);
    cr_assert_eq(form_focused(f), c, "hidden B skipped");
    form_key(f, WK_TAB);
    cr_assert_eq(form_focused(f), a, "wraps around");
    form_key(f, WK_BACKTAB);
    cr_assert_eq(form_focused(f), c);
    b->hidden = false;
    form_key(f, WK_BACKTAB);
    cr_assert_eq(form_focused(f), b);
    cr_assert(form_key(f, WK_RIGHT) & WIDGET_FOCUS_NEXT, "a button passes arrows on as moves");
    cr_assert_eq(form_focused(f), c);
    cr_assert(form_dirty(f));
    form_free(&f);
    cr_assert_null(f);
}

Test(widget_keys, form_insert_and_remove_keep_the_focus_sensible, .init = utf8)
{
    struct form *f = form_new();
    struct widget *a = form_add(f, button_widget(button_new("A")));
    struct widget *c = form_add(f, button_widget(button_new("C")));
    struct widget *b = form_insert(f, 1, button_widget(button_new("B")));
    cr_assert_eq(form_index(f, b), 1);
    cr_assert_eq(form_index(f, c), 2);
    cr_assert_eq(form_focused(f), a, "inserting does not move the focus");
    form_key(f, WK_TAB);
    cr_assert_eq(form_focused(f), b, "the new row is in the Tab order");
    cr_assert(form_remove(f, b));
    cr_assert_eq(form_focused(f), c, "the focus goes on to the next one");
    cr_assert_eq(form_count(f), 2);
    b = NULL; /* freed by form_remove */
    cr_assert_eq(form_index(f, b), (size_t)-1);
    cr_assert(form_remove(f, a));
    cr_assert(form_remove(f, c));
    cr_assert_null(form_focused(f));
    cr_assert_eq(form_count(f), 0);
    form_free(&f);
}

Test(widget_keys, list_select_finds_a_row_through_the_filter, .init = utf8)
{
    struct list_column cols[] = {{NULL, 0}};
    struct list *l = list_new(cols, 1);
    widget_resize(list_widget(l), (struct rect){0, 0, 6, 40});
    const char *names[] = {"alpha", "beta", "gamma", "delta"};
    for (int i = 0; i < 4; i++)
        list_append(l, 0, &names[i]);
    cr_assert(list_select(l, 2));
    cr_assert_eq(list_selected(l), 2);
    list_set_filter(l, "ta");
    cr_assert_eq(list_visible(l), 2);
    cr_assert_not(list_select(l, 2), "gamma is filtered out");
    cr_assert(list_select(l, 3));
    cr_assert_str_eq(list_cell(l, list_selected(l), 0), "delta");
    list_free(&l);
    cr_assert_null(l);
}
