/* A package of 100,000 names in mxtui: the first page shows at once, scrolling pages more in,
 * and a typed filter narrows the rows held at once and then asks the server, which finds names
 * far beyond the pages held. Against a live mxapid with --seed bulk:100000. */
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Test(tui_bulk, a_hundred_thousand_names_page_in_and_filter_on_the_server)
{
    const char *args[] = {"--seed", "bulk:100000", NULL};
    struct tui_opts o = {.server_args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    /* One package: straight to its domains; the count line knows the whole package. */
    cr_assert(tui_login(&u, "20001", "demo-20001", "Domains in package Bulk"));
    cr_assert(tui_wait(&u, "1/100000", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "bulk0000000.example", TUI_WAIT_MS));
    cr_assert_eq(tui_server_log_count(&u, "GET /v1/packages/5/domains 200"), 1, "one page");
    /* Scrolling to the end of what is held pages the next rows in. */
    tui_key(&u, "End");
    cr_assert(tui_wait(&u, "200/100000", TUI_WAIT_MS));
    cr_assert(tui_wait_logged_n(&u, "GET /v1/packages/5/domains 200", 2, TUI_WAIT_MS));
    tui_key(&u, "End");
    cr_assert(tui_wait(&u, "400/100000", TUI_WAIT_MS));
    tui_key(&u, "Home");
    cr_assert(tui_wait(&u, "1/100000", TUI_WAIT_MS));
    /* A filter: the rows held narrow at once (none of them match), the server finds them. */
    tui_type(&u, "www.bulk001234");
    cr_assert(tui_wait(&u, "/www.bulk001234", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "asking the server", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "www.bulk0012340.example", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "www.bulk0012349.example", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "(10 of 10)", TUI_WAIT_MS));
    /* Typing on narrows the ten at once, without asking again. */
    int asked = tui_server_log_count(&u, "GET /v1/packages/5/domains 200");
    tui_type(&u, "5");
    cr_assert(tui_wait(&u, "(1 of 10)", TUI_WAIT_MS));
    term_wait_idle(u.t, 400, TUI_WAIT_MS); /* longer than the pause: a query would be out */
    cr_assert_eq(tui_server_log_count(&u, "GET /v1/packages/5/domains 200"), asked,
                 "the rows held were all there is");
    /* Enter opens the one that shows. */
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS settings of www.bulk0012345.example", TUI_WAIT_MS));
    tui_end(&u);
}
