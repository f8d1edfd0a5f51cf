/* The walk a support person makes with mxtui, from the login to a domain's DNS settings:
 * packages, domains (subdomains indented, IDNs in both forms), the DNS rows, the banners that
 * say why an own mail server is not possible, and what a customer can never see. Against a
 * live mxapid with the demo data, through the pty harness. */
#include "tests/support/tui_steps.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void start_as(struct tui *u, const char *login, const char *password, const char *then)
{
    cr_assert_eq(tui_begin(u, NULL), 0);
    cr_assert(tui_login(u, login, password, then));
}

/* Filters the domain list down to name and opens its DNS settings. */
static void open_dns(struct tui *u, const char *name)
{
    tui_type(u, name);
    char want[128];
    snprintf(want, sizeof want, "/%s", name);
    cr_assert(tui_wait(u, want, TUI_WAIT_MS));
    tui_key(u, "Enter");
    snprintf(want, sizeof want, "DNS settings of %s", name);
    cr_assert(tui_wait(u, want, TUI_WAIT_MS));
}

Test(tui_walk, customer_walks_from_packages_to_the_dns_settings)
{
    struct tui u;
    start_as(&u, "10001", "demo-10001", "Packages of customer 10001");
    cr_assert(tui_wait(&u, "Hosting Plus", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Mail Basic", TUI_WAIT_MS));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains in package Hosting Plus", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "shop.example.de", TUI_WAIT_MS));
    /* Subdomains stand indented under their domain. */
    int r_dom, c_dom, r_sub, c_sub;
    cr_assert(term_find(u.t, "example.de ", &r_dom, &c_dom));
    cr_assert(term_find(u.t, "shop.example.de", &r_sub, &c_sub));
    cr_assert_gt(r_sub, r_dom, "shop.example.de comes after example.de");
    cr_assert_eq(c_sub, c_dom + 2, "shop.example.de is indented by two (%d vs %d)", c_sub, c_dom);
    /* müller.de in its readable form with the A-label beside it, on one row. */
    int r_u, c_u, r_a, c_a;
    cr_assert(term_find(u.t, "müller.de", &r_u, &c_u));
    cr_assert(term_find(u.t, "xn--mller-kva.de", &r_a, &c_a));
    cr_assert_eq(r_u, r_a, "both forms on one row");
    cr_assert(tui_wait(&u, "Own server", TUI_WAIT_MS)); /* shop.example.de's MX mode */
    open_dns(&u, "example.de");
    cr_assert(tui_wait(&u, "mxtui \u203A 10001 \u203A Hosting Plus \u203A example.de \u203A DNS",
                       TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "192.0.2.10", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "v=spf1 mx -all", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "ns1.provider.example.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "mx1.provider.example.", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "not possible"), "example.de may have an own server");
    /* A row this tool does not edit says so when chosen. */
    tui_key(&u, "Down");
    tui_key(&u, "Down");
    tui_key(&u, "Down");
    tui_key(&u, "Down");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "not edited here: mxtui edits only the MX record", TUI_WAIT_MS));
    /* A message longer than the status row takes two rows, whole, and the key bar stays the
     * last row (the mail row's was cut off after 79 characters). */
    tui_key(&u, "End");
    tui_key(&u, "Enter");
    cr_assert(
        tui_wait(&u, "Mailboxes and forwards are managed in the customer login", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "receives mail for this name.", TUI_WAIT_MS), "the end of it");
    char last[512];
    term_row_text(u.t, 23, last, sizeof last);
    cr_assert(strstr(last, "F1 Help"), "the key bar on the last row: %s", last);
    /* Esc goes back one screen at a time. */
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Domains in package Hosting Plus", TUI_WAIT_MS));
    tui_key(&u, "Esc"); /* clears the filter */
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Packages of customer 10001", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_walk, dyndns_and_own_name_servers_and_cname_say_why_no_own_mail_server)
{
    struct tui u;
    start_as(&u, "10001", "demo-10001", "Hosting Plus");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "dyn.example.de", TUI_WAIT_MS));
    open_dns(&u, "dyn.example.de");
    cr_assert(tui_wait(&u, "An own mail server is not possible for this name", TUI_WAIT_MS));
    cr_assert(
        tui_wait(&u, "DynDNS is switched on for this name; switch it off first.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "198.51.100.7", TUI_WAIT_MS));
    tui_key(&u, "Esc");
    tui_key(&u, "Esc");
    cr_assert(tui_wait_gone(&u, "/dyn.example.de", TUI_WAIT_MS));
    open_dns(&u, "delegated.example.de");
    cr_assert(tui_wait(&u, "ns1.delegated-dns.example.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "own name servers", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "An own mail server is not possible for this name", TUI_WAIT_MS));
    tui_key(&u, "Esc");
    tui_key(&u, "Esc");
    cr_assert(tui_wait_gone(&u, "/delegated", TUI_WAIT_MS));
    open_dns(&u, "www.example.de");
    cr_assert(tui_wait(&u, "CNAME", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "An own mail server is not possible for this name", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_walk, one_package_goes_straight_to_its_domains_and_esc_shows_the_packages)
{
    struct tui u;
    start_as(&u, "10002", "demo-10002", "Domains in package Starter");
    cr_assert(tui_wait(&u, "beispiel.de", TUI_WAIT_MS));
    tui_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Packages of customer 10002", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Starter", TUI_WAIT_MS));
    /* Coming back does not jump forward again. */
    term_wait_idle(u.t, 100, TUI_WAIT_MS);
    cr_assert(term_has_text(u.t, "Packages of customer 10002"));
    tui_end(&u);
}

Test(tui_walk, a_customer_never_sees_another_customers_names)
{
    struct tui u;
    start_as(&u, "10001", "demo-10001", "Hosting Plus");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "example.de", TUI_WAIT_MS));
    tui_type(&u, "beispiel");
    cr_assert(tui_wait(&u, "No name matches the filter.", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "beispiel.de"));
    tui_end(&u);
}

Test(tui_walk, the_mx_row_opens_the_mx_editor_with_the_current_records)
{
    struct tui u;
    start_as(&u, "10001", "demo-10001", "Hosting Plus");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "shop.example.de", TUI_WAIT_MS));
    open_dns(&u, "shop.example.de");
    cr_assert(tui_wait(&u, "mail.example.de.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "1 mailbox, 0 forwards", TUI_WAIT_MS));
    /* The MX row (the one before the mailbox row at the end) opens the editor. */
    tui_key(&u, "End");
    tui_key(&u, "Up");
    tui_key(&u, "Up");
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "MX record of shop.example.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "(\u2022) Own mail server", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS));
    cr_assert(tui_wait(&u,
                       "mxtui \u203A 10001 \u203A Hosting Plus \u203A shop.example.de \u203A DNS "
                       "\u203A MX",
                       TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_walk, the_walk_in_german_from_the_flag_and_from_the_locale)
{
    struct tui_opts o = {.lang = "de"};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(tui_wait(&u, "Kundennummer oder Support-Login", TUI_WAIT_MS));
    cr_assert(tui_login(&u, "10001", "falsch", "Login oder Passwort"));
    cr_assert(tui_login(&u, NULL, "demo-10001", "Pakete von Kunde 10001"));
    cr_assert(tui_wait(&u, "Hosting Plus", TUI_WAIT_MS));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Domains im Paket Hosting Plus", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Eigener Server", TUI_WAIT_MS));

    tui_type(&u, "dyn.example.de");
    cr_assert(tui_wait(&u, "/dyn.example.de", TUI_WAIT_MS));
    tui_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS-Einstellungen von dyn.example.de", TUI_WAIT_MS));
    cr_assert(
        tui_wait(&u, "Ein eigener Mailserver ist für diesen Namen nicht möglich", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "F1 Hilfe", TUI_WAIT_MS));
    tui_end(&u);
    /* No flag: a German locale chooses German (here without UTF-8, as the locale is not
     * installed: the umlauts are written out). */
    struct tui_opts ol = {.lang = "", .locale = "de_DE.UTF-8"};
    cr_assert_eq(tui_begin(&u, &ol), 0);
    cr_assert(tui_wait(&u, "Kundennummer oder Support-Login", TUI_WAIT_MS));
    tui_end(&u);
}
