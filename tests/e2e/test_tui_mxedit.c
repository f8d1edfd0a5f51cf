/* The MX editor as a person uses it: choosing an own mail server for example.de, the rules as
 * you type (a missing trailing dot, a CNAME, an AAAA-only host, a backup priority that is not
 * after the primary), the DNS check, the confirmation with its consequences, and what the API
 * then holds — in English and in German, at 80x24 and 132x43, and without colours. Also IDNs,
 * subdomains, the preconditions, null MX, a resolver that never answers, and old check answers
 * that must not land on a new text. Against a live mxapid, through the pty harness. */
#include "tests/support/mxe_steps.h"
#include "tests/support/relay.h"
#include "tests/support/test_util.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* What the flow expects to read, per language. */
struct words {
    const char *lang, *heading, *primary1, *backup1, *trailing_dot, *cname, *aaaa, *not_after,
        *not_saved, *mailboxes, *hours, *confirm_title, *action, *saved, *keybar;
};

static const struct words EN = {"en",
                                "MX record of example.de",
                                "Primary 1",
                                "Backup 1",
                                "needs a trailing dot",
                                "alias of mail.example.de. — an MX target must not be a CNAME",
                                "only an AAAA record — the provider asks for an A record",
                                "must come after every primary",
                                "Not saved: Backup 1",
                                "3 mailboxes and 2 forwards",
                                "DNS can take up to 24 hours",
                                "Save the MX record of example.de?",
                                "Save 3 changes",
                                "Saved as version 2",
                                "Ins Add  Del Remove"};
static const struct words DE = {"de",
                                "MX-Record von example.de",
                                "Primär 1",
                                "Backup 1",
                                "braucht einen Punkt am Ende",
                                "Alias von mail.example.de. — ein MX-Ziel darf kein CNAME sein",
                                "nur ein AAAA-Record — der Provider verlangt einen A-Record",
                                "muss nach allen primären kommen",
                                "Nicht gespeichert: Backup 1",
                                "3 Postfächer und 2",
                                "bis zu 24 Stunden",
                                "MX-Record von example.de speichern?",
                                "3 Änderungen speichern",
                                "Gespeichert als Version 2",
                                "Einfg Neu Entf Entfernen"};

static void own_server_flow(const struct words *w, int rows, int cols, const char *const *env)
{
    struct tui_opts o = {.lang = w->lang, .rows = rows, .cols = cols, .env = env};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    mxe_keystrokes = 0;
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", w->heading));
    mxe_key(&u, "Right"); /* own mail server */
    cr_assert(tui_wait(&u, w->primary1, TUI_WAIT_MS));
    /* The key bar names the keys as the user's keyboard does (Einfg/Entf on a German one). */
    cr_assert(tui_wait(&u, w->keybar, TUI_WAIT_MS), "key bar: %s", w->keybar);
    cr_assert(tui_wait(&u, "F10 ", TUI_WAIT_MS), "the way out is in the key bar");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.example.de");
    cr_assert(tui_wait(&u, w->trailing_dot, TUI_WAIT_MS), "said on the keystroke itself");
    mxe_type_host(&u, ".");
    cr_assert(tui_wait_gone(&u, w->trailing_dot, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS), "the DNS check's address");
    /* A backup row: from the check box below the primaries, Ins adds to the backups. */
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Insert");
    cr_assert(tui_wait(&u, w->backup1, TUI_WAIT_MS));
    mxe_type_host(&u, "alias.example.de.");
    cr_assert(tui_wait(&u, w->cname, TUI_WAIT_MS));
    mxe_key(&u, "C-u");
    mxe_type_host(&u, "v6.example.de.");
    cr_assert(tui_wait(&u, w->aaaa, TUI_WAIT_MS));
    /* Its priority before the primary's: the drop-down is marked and Save says why. */
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    mxe_key(&u, "Home");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, w->not_after, TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, w->not_saved, TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, w->confirm_title), "no confirmation while a rule fails");
    /* The focus went to the drop-down: choose the last option there. */
    mxe_key(&u, "Enter");
    mxe_key(&u, "End");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait_gone(&u, w->not_after, TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, w->confirm_title, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, w->mailboxes, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, w->hours, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, w->action, TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "v6.example.de.:", TUI_WAIT_MS), "the AAAA warning to confirm");
    /* Enter on the fresh confirmation cancels (Cancel has the focus). */
    mxe_key(&u, "Enter");
    cr_assert(tui_wait_gone(&u, w->confirm_title, TUI_WAIT_MS));
    char *before = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(before && strstr(before, "\"version\":1"), "nothing was saved: %s", before);
    free(before);
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, w->confirm_title, TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, w->saved, TUI_WAIT_MS));
    /* The server's warning beside the outcome names the host, not the API's field path. */
    cr_assert(tui_wait(&u, "v6.example.de.:", TUI_WAIT_MS), "the saved warning names its host");
    cr_assert_not(term_has_text(u.t, "backup[0]"), "an API field path on the screen");
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert_not_null(body);
    cr_assert(strstr(body, "\"mode\":\"custom\""), "%s", body);
    cr_assert(strstr(body, "\"records\":[{\"priority\":10,\"host\":\"mail.example.de.\"},"
                           "{\"priority\":80,\"host\":\"v6.example.de.\"}]"),
              "exactly the records entered: %s", body);
    free(body);
    fprintf(stderr,
            "tui_mxedit: %d keystrokes from the login screen to the saved configuration "
            "(%s, %dx%d), host names not counted\n",
            mxe_keystrokes, w->lang, cols ? cols : 80, rows ? rows : 24);
    tui_end(&u);
}

Test(tui_mxedit, own_mail_server_in_english_at_80x24)
{
    own_server_flow(&EN, 24, 80, NULL);
}

Test(tui_mxedit, own_mail_server_in_german_at_80x24)
{
    own_server_flow(&DE, 24, 80, NULL);
}

Test(tui_mxedit, own_mail_server_at_132x43_without_colour)
{
    const char *env[] = {"NO_COLOR=1", NULL};
    own_server_flow(&EN, 43, 132, env);
}

Test(tui_mxedit, an_idn_host_shows_both_forms_and_saves_the_a_label)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "müller.de", "MX record of müller.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.müller.de.");
    cr_assert(tui_wait(&u, "\u2192 mail.xn--mller-kva.de.", TUI_WAIT_MS), "both forms");
    cr_assert(tui_wait(&u, "192.0.2.41", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Save the MX record of müller.de?", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved as version 2", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "xn--mller-kva.de");
    cr_assert(body && strstr(body, "\"host\":\"mail.xn--mller-kva.de.\""), "%s", body);
    free(body);
    tui_end(&u);
}

Test(tui_mxedit, a_subdomain_saves_and_the_preconditions_refuse_an_own_server)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "shop.example.de", "MX record of shop"));
    cr_assert(tui_wait(&u, "mail.example.de.", TUI_WAIT_MS)); /* stored: own server */
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS));
    /* A backup below it (priority after the primary by default), then save. */
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Insert");
    mxe_type_host(&u, "mx2.example.de.");
    cr_assert(tui_wait(&u, "192.0.2.26", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Save 1 change", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved as version 2", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "shop.example.de");
    cr_assert(body && strstr(body, "\"backup\":[{\"host\":\"mx2.example.de.\""), "%s", body);
    free(body);
    /* DynDNS on and own name servers: the banner, and the choice does not move. */
    const char *names[] = {"dyn.example.de", "delegated.example.de"};
    for (int i = 0; i < 2; i++) {
        mxe_key(&u, "Esc");
        cr_assert(tui_wait(&u, "DNS settings of", TUI_WAIT_MS));
        mxe_key(&u, "Esc");
        cr_assert(tui_wait(&u, "Domains in package", TUI_WAIT_MS));
        mxe_key(&u, "Esc"); /* the filter */
        cr_assert(tui_wait_gone(&u, "(1 of 6)", TUI_WAIT_MS));
        term_wait_idle(u.t, 60, TUI_WAIT_MS);
        char head[128];
        snprintf(head, sizeof head, "MX record of %s", names[i]);
        cr_assert(mxe_open_from_domains(&u, names[i], head));
        cr_assert(tui_wait(&u, "An own mail server is not possible for this name", TUI_WAIT_MS));
        mxe_key(&u, "Right");
        cr_assert(tui_wait(&u, "not possible here", TUI_WAIT_MS));
        cr_assert(term_has_text(u.t, "(\u2022) Provider mail"), "the choice stays");
        cr_assert_not(term_has_text(u.t, "Primary 1"));
    }
    tui_end(&u);
}

Test(tui_mxedit, no_mail_and_back_to_provider_mail)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    cr_assert(tui_wait(&u, "immediate bounce", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "null MX, RFC 7505", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved as version 2", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"mode\":\"none\"") &&
                  strstr(body, "\"records\":[{\"priority\":0,\"host\":\".\"}]"),
              "%s", body);
    free(body);
    mxe_key(&u, "BackTab"); /* from the Save button, where saving left the focus */
    mxe_key(&u, "Left");
    mxe_key(&u, "Left");
    cr_assert(tui_wait(&u, "(\u2022) Provider mail", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "receives the mail for this name again", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved as version 3", TUI_WAIT_MS));
    body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"mode\":\"provider\""), "%s", body);
    free(body);
    tui_end(&u);
}

/* A UDP port that takes queries and never answers them. */
static int silent_resolver(int *port)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

Test(tui_mxedit, a_resolver_that_never_answers_leaves_the_keyboard_live)
{
    int port, fd = silent_resolver(&port);
    char resolver[32];
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", port);
    const char *args[] = {"--resolver", resolver, "--dns-timeout", "3000", NULL};
    struct tui_opts o = {.server_args = args};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mx.example.net.");
    cr_assert(tui_wait(&u, "checking DNS", TUI_WAIT_MS));
    cr_assert(tui_wait_logged(&u, "POST /v1/domains/example.de/mx/check", TUI_WAIT_MS) || true);
    /* While the check waits, typing goes on: another row, its text. */
    mxe_key(&u, "Insert");
    mxe_type_host(&u, "mail.example.de");
    cr_assert(tui_wait(&u, "needs a trailing dot", 1500), "the keyboard waited for the check");
    mxe_key(&u, "C-u");
    cr_assert(tui_wait(&u, "could not be checked", TUI_WAIT_MS));
    mxe_key(&u, "Delete"); /* the empty second row goes */
    cr_assert(tui_wait_gone(&u, "Primary 2", TUI_WAIT_MS));
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Please confirm:", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "mx.example.net.: could not be checked", TUI_WAIT_MS));
    tui_end(&u);
    close(fd);
}

Test(tui_mxedit, an_answer_for_an_older_text_never_lands_on_the_new_one)
{
    struct relay *relay = NULL;
    struct tui_opts o = {.relay = &relay};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    relay_set_delay_ms(relay, 1500);
    mxe_type_host(&u, "mail.example.de.");
    cr_assert(tui_wait_logged(&u, "POST /v1/domains/example.de/mx/check", TUI_WAIT_MS));
    /* The answer for mail.example.de. is on its way: the text changes meanwhile. */
    mxe_key(&u, "C-u");
    mxe_type_host(&u, "v6.example.de.");
    long long end = test_now_ms() + TUI_WAIT_MS;
    bool aaaa = false;
    while (!aaaa && test_now_ms() < end) {
        term_pump(u.t, 20);
        cr_assert_not(term_has_text(u.t, "192.0.2.25"), "the old answer landed on the new text");
        aaaa = term_has_text(u.t, "only an AAAA record");
    }
    cr_assert(aaaa, "the new text got its own answer");
    tui_end(&u);
}

Test(tui_mxedit, rows_within_the_limits_duplicates_and_removal_that_asks)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.example.de.");
    /* Two more primaries (the profile allows three), the last one a duplicate. */
    mxe_key(&u, "Insert");
    mxe_type_host(&u, "mx2.example.de.");
    mxe_key(&u, "Insert");
    mxe_type_host(&u, "MAIL.example.de.");
    cr_assert(tui_wait(&u, "entered twice: already above", TUI_WAIT_MS), "the second is marked");
    cr_assert(tui_wait(&u, "3 of 3: the limit", TUI_WAIT_MS));
    /* At the limit, Ins says why it does nothing. */
    mxe_key(&u, "Insert");
    cr_assert(tui_wait(&u, "At most 3 primary servers", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "Primary 4"));
    /* Removing a filled row asks first; Keep it keeps it, Remove removes it. */
    mxe_key(&u, "Tab"); /* to its priority */
    mxe_key(&u, "Delete");
    cr_assert(tui_wait(&u, "Remove the server MAIL.example.de.", TUI_WAIT_MS));
    mxe_key(&u, "Enter"); /* Keep it */
    cr_assert(tui_wait(&u, "Primary 3", TUI_WAIT_MS));
    mxe_key(&u, "Delete");
    cr_assert(tui_wait(&u, "Remove the server", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Remove */
    cr_assert(tui_wait_gone(&u, "Primary 3", TUI_WAIT_MS));
    cr_assert_not(term_has_text(u.t, "entered twice"));
    /* Two primaries of equal priority share a place in the delivery order (further down). */
    mxe_key(&u, "PageDown");
    mxe_key(&u, "PageDown");
    cr_assert(tui_wait(&u, "1. mail.example.de. + mx2.example.de.", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_mxedit, a_tall_terminal_shows_the_whole_editor)
{
    struct tui_opts o = {.rows = 70, .cols = 100};
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    cr_assert(tui_wait(&u, "Primary 1", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Delivery order:", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "[ Save ]", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_mxedit, back_to_a_checked_text_and_on_again_is_checked)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.example.de.");
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS));
    /* Away from the checked text and back before its check goes out, then away again. */
    mxe_key(&u, "Home");
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Delete");  /* "mai.example.de." */
    mxe_type_host(&u, "l"); /* "mail.example.de." again */
    cr_assert(tui_wait(&u, "192.0.2.25", TUI_WAIT_MS));
    mxe_key(&u, "Left");
    mxe_key(&u, "Delete"); /* "mai.example.de." */
    cr_assert(tui_wait(&u, "no A record", TUI_WAIT_MS), "the new text was never checked");
    tui_end(&u);
}

Test(tui_mxedit, a_signal_while_a_question_is_open_ends_cleanly)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "Right");
    mxe_key(&u, "Tab");
    mxe_type_host(&u, "mail.example.de.");
    mxe_key(&u, "Tab");
    mxe_type(&u, "-"); /* remove the filled row? */
    cr_assert(tui_wait(&u, "Remove the server mail.example.de.", TUI_WAIT_MS));
    kill(term_pid(u.t), SIGTERM);
    int status = 0;
    cr_assert(term_wait_exit(u.t, TUI_WAIT_MS, &status));
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
              "mxtui ended with status %d, not by its SIGTERM", status);
    tui_end(&u);
}
