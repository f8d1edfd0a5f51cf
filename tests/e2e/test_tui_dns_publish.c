/* The whole way: a support person's save in mxtui becomes what the authoritative DNS answers.
 * A live PowerDNS (gsqlite3) and an mxapid publishing to it (tests/support/dns_stack), mxtui in
 * the pty harness saving example.de's MX, then dig asks PowerDNS. */
#include "tests/support/dns_stack.h"
#include "tests/support/mxe_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dns_stack st;

static void up(void)
{
    cr_assert_eq(dns_stack_start(&st, NULL), 0, "PowerDNS and mxapid did not start");
}

static void down(void)
{
    dns_stack_cleanup(&st);
}

/* What dig prints for name's MX (+short, sorted), into out. */
static void dig_mx(const char *name, char *out, size_t size)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s +short +time=2 +tries=2 %s MX | sort", st.dig, name);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = 0;
    pclose(p);
}

Test(tui_dns_publish, a_save_in_mxtui_is_what_dig_sees, .init = up, .fini = down)
{
    struct tui_opts o = {.no_server = true, .url = st.api.url};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    cr_assert(tui_wait(&u, "DNS: version 1 published", TUI_WAIT_MS), "the start state");
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.example.de.");
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Insert");
    mxe_type_host(&u, "mx2.example.de.");
    cr_assert(tui_wait(&u, "192.0.2.26", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Save the MX record of example.de?", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved: version 2", TUI_WAIT_MS));
    /* The editor follows the publication until DNS has it. */
    cr_assert(tui_wait(&u, "DNS: version 2 published", TUI_WAIT_MS));
    cr_assert(
        tui_wait(&u, "DNS answers now: 10 mail.example.de., 20 mx2.example.de.", TUI_WAIT_MS));
    char mx[512];
    cr_assert(dns_stack_wait_mx(&st, "example.de", "10 mail.example.de.\n20 mx2.example.de.", 10000,
                                mx, sizeof mx),
              "DNS answers: %s", mx);
    dig_mx("example.de", mx, sizeof mx);
    cr_assert_str_eq(mx, "10 mail.example.de.\n20 mx2.example.de.\n", "dig: %s", mx);
    /* And back to provider mail: DNS follows again. */
    for (int i = 0; i < 6; i++) /* from the Save button back to the mode */
        mxe_key(&u, "BackTab");
    mxe_key(&u, "Left");
    cr_assert(tui_wait(&u, "(\u2022) Provider mail", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Save the MX record of example.de?", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS: version 3 published", TUI_WAIT_MS));
    cr_assert(dns_stack_wait_mx(&st, "example.de",
                                "10 mx1.provider.example.\n20 mx2.provider.example.", 10000, mx,
                                sizeof mx),
              "DNS answers: %s", mx);
    tui_end(&u);
}
