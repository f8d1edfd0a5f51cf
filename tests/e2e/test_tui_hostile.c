/* Data from the server that tries to drive the terminal: a customer name and a TXT record with
 * an OSC title, CSI sequences (7- and 8-bit), a bidi override and a zero-width space. mxtui shows
 * them as visible escapes; the title stays untouched, nothing moves the cursor or changes the
 * colours. Against a live mxapid whose database the test gave those strings. */
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HOSTILE_SQL[] =
    "UPDATE customers SET name = 'Erika' || char(27) || ']0;pwned' || char(7) || char(27) ||"
    " '[2J' || char(155) || '31m' || char(8238) || 'Mustermann' || char(8203) WHERE id = '10001';"
    "UPDATE records SET value = 'v=spf1' || char(27) || '[31mRED' || char(27) || '[H'"
    " WHERE name = 'example.de.' AND type = 'TXT';";

static void start(struct tui *u, const char *login, const char *password, const char *then)
{
    cr_assert_eq(tui_begin(u, NULL), 0);
    server_proc_stop(&u->sp);
    cr_assert_eq(server_proc_exec_sql(&u->sp, HOSTILE_SQL), 0);
    char port[64];
    snprintf(port, sizeof port, "127.0.0.1:%d", u->sp.port);
    const char *args[] = {"--listen", port, NULL};
    cr_assert_eq(server_proc_restart(&u->sp, args), 0);
    cr_assert(tui_login(u, login, password, then));
}

static void assert_untouched(struct tui *u)
{
    cr_assert_not(term_title_changed(u->t), "the title was set to \"%s\"", term_title(u->t));
    cr_assert_eq(term_unknown_sequences(u->t), 0, "an OSC/DCS sequence reached the terminal");
    cr_assert_eq(term_bells(u->t), 0, "the bell rang");
    char row[512];
    term_row_text(u->t, 0, row, sizeof row);
    cr_assert(strstr(row, "mxtui"), "the screen was not cleared or moved: %s", row);
}

Test(tui_hostile, a_customer_name_with_escapes_is_shown_escaped)
{
    struct tui u;
    start(&u, "10001", "demo-10001", "Packages of customer 10001");
    cr_assert(tui_wait(&u, "Erika\\e]0;pwned\\x07\\e[2J\\u{009B}31m\\u{202E}Muster", TUI_WAIT_MS));
    assert_untouched(&u);
    /* Staff see the same name in the customer search. */
    tui_end(&u);
    start(&u, "support", "demo-support", "Find customer");
    cr_assert(tui_wait(&u, "Erika\\e]0;pwned", TUI_WAIT_MS));
    assert_untouched(&u);
    tui_end(&u);
}

Test(tui_hostile, a_txt_record_with_escapes_is_shown_escaped)
{
    struct tui u;
    start(&u, "10001", "demo-10001", "Hosting Plus");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "example.de", TUI_WAIT_MS));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "v=spf1\\e[31mRED\\e[H", TUI_WAIT_MS));
    assert_untouched(&u);
    /* The escape did not colour what follows it. */
    int r, c;
    cr_assert(term_find(u.t, "RED", &r, &c));
    struct term_cell cell;
    term_cell(u.t, r, c, &cell);
    cr_assert_neq(cell.fg, 1, "RED is drawn in red");
    tui_end(&u);
}
