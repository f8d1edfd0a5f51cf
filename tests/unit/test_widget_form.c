/* Focus in a form: widgets that are hidden are neither focused nor sent keys, also when they
 * are hidden while they have the focus. No terminal needed: keys only. */
#include "widgets/button.h"
#include "widgets/form.h"
#include "widgets/widget.h"

#include <criterion/criterion.h>

struct three {
    struct form *f;
    struct widget *a, *b, *c;
};

static struct three three_buttons(void)
{
    struct three t = {.f = form_new()};
    cr_assert_not_null(t.f);
    t.a = form_add(t.f, button_widget(button_new("A")));
    t.b = form_add(t.f, button_widget(button_new("B")));
    t.c = form_add(t.f, button_widget(button_new("C")));
    cr_assert(t.a && t.b && t.c);
    return t;
}

Test(form, tab_skips_hidden_widgets)
{
    struct three t = three_buttons();
    t.b->hidden = true;
    cr_assert_eq(form_focused(t.f), t.a);
    form_key(t.f, WK_TAB);
    cr_assert_eq(form_focused(t.f), t.c);
    form_key(t.f, WK_BACKTAB);
    cr_assert_eq(form_focused(t.f), t.a);
    form_free(&t.f);
}

/* The focused widget is hidden (a row the screen no longer shows): the focus moves on, and the
 * key goes to the widget that has it now instead of vanishing. */
Test(form, hiding_the_focused_widget_moves_the_focus_on)
{
    struct three t = three_buttons();
    cr_assert(form_focus(t.f, t.b));
    t.b->hidden = true;
    cr_assert_neq(form_focused(t.f), t.b, "a hidden widget still has the focus");
    int flags = form_key(t.f, WK_ENTER);
    cr_assert(flags & WIDGET_ACTIVATE, "Enter went nowhere (flags %#x)", (unsigned)flags);
    cr_assert_eq(form_focused(t.f), t.c);
    form_free(&t.f);
}

/* Nothing focusable left: no focus at all, keys are ignored. */
Test(form, hiding_every_widget_leaves_no_focus)
{
    struct three t = three_buttons();
    t.a->hidden = t.b->hidden = t.c->hidden = true;
    cr_assert_null(form_focused(t.f));
    cr_assert_eq(form_key(t.f, WK_ENTER) & WIDGET_ACTIVATE, 0);
    t.b->hidden = false;
    form_key(t.f, WK_TAB);
    cr_assert_eq(form_focused(t.f), t.b);
    form_free(&t.f);
}
