/* A support person with mxtui: the customer search by number, by name and by domain, opening a
 * customer (which mxapid records in that customer's access log) and walking to its DNS
 * settings. Against a live mxapid with the demo data, through the pty harness. */
#include "tests/support/http_raw.h"
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void staff_login(struct tui *u)
{
    cr_assert_eq(tui_begin(u, NULL), 0);
    cr_assert(tui_login(u, "support", "demo-support", "Find customer"));
    cr_assert(tui_wait(u, "Erika Mustermann", TUI_WAIT_MS)); /* all customers at first */
    cr_assert(tui_wait(u, "support (staff)", TUI_WAIT_MS));
}

static void search(struct tui *u, const char *q, const char *shows, const char *gone)
{
    tui_key(u, "C-u");
    tui_type(u, q);
    cr_assert(tui_wait(u, shows, TUI_WAIT_MS));
    if (gone)
        cr_assert(tui_wait_gone(u, gone, TUI_WAIT_MS));
    term_wait_idle(u->t, 60, TUI_WAIT_MS); /* the rest of the frame */
}

Test(tui_staff, search_by_number_name_and_domain_then_open_a_customer)
{
    struct tui u;
    staff_login(&u);
    search(&u, "10002", "Max Beispiel", "Erika Mustermann");
    search(&u, "muster", "Erika Mustermann", "Max Beispiel");
    /* By a domain: the column says which domain matched. */
    search(&u, "beispiel.de", "Max Beispiel", "Erika Mustermann");
    int r, c;
    cr_assert(term_find(u.t, "Max Beispiel", &r, &c));
    char row[512];
    term_row_text(u.t, r, row, sizeof row);
    cr_assert(strstr(row, "beispiel.de"), "the matching domain is shown: %s", row);
    search(&u, "müller", "Erika Mustermann", "Max Beispiel");
    /* Open 10002 and walk to beispiel.de's DNS settings. */
    search(&u, "10002", "Max Beispiel", "Erika Mustermann");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains in package Starter", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "mxtui \u203A Customers \u203A 10002 \u203A Starter", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "1/1", TUI_WAIT_MS)); /* the list is there before Enter */
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS settings of beispiel.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "192.0.2.30", TUI_WAIT_MS));
    /* The opening is in the customer's access log, for an administrator to read. */
    char tok[256];
    cr_assert_eq(http_login(u.sp.port, "support", "demo-support", tok, sizeof tok), 201);
    struct http_response res;
    cr_assert_eq(
        http_call(u.sp.port, "GET", "/v1/customers/10002/access-log", tok, NULL, NULL, &res), 0);
    cr_assert_eq(res.status, 200, "%s", res.body);
    cr_assert_str_eq(http_json_string(&res, "entries.0.staff"), "support");
    cr_assert_geq(http_json_number(&res, "total", 0), 1);
    http_response_free(&res);
    /* Back to the search, which kept its query. */
    tui_key(&u, "Esc");
    tui_key(&u, "Esc");
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Find customer", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Max Beispiel", TUI_WAIT_MS));
    /* The focus is on the list now; Ctrl-U still clears the search (it used to do nothing, and
     * the next number was typed onto the old one) and every customer shows again. */
    tui_key(&u, "C-u");
    cr_assert(tui_wait(&u, "Erika Mustermann", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "Find customer (number, name or domain)  10002"));
    tui_end(&u);
}

Test(tui_staff, a_search_that_finds_nobody_says_so)
{
    struct tui u;
    staff_login(&u);
    search(&u, "nobody-has-this", "No customer matches \"nobody-has-this\".", "Erika");
    /* The message does not take the cursor: it stays in the search field, after the text. */
    int fr, fc, cr_, cc;
    term_wait_idle(u.t, 80, TUI_WAIT_MS); /* the whole frame, with its last cursor move */
    cr_assert(term_find(u.t, "nobody-has-this", &fr, &fc));
    term_cursor(u.t, &cr_, &cc, NULL);
    cr_assert_eq(cr_, fr, "cursor row %d, the field's %d", cr_, fr);
    cr_assert_eq(cc, fc + (int)strlen("nobody-has-this"), "cursor column %d", cc);
    tui_end(&u);
}
