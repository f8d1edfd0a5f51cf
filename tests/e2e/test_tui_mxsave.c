/* Saving safely with the MX editor: a change made through the API while the editor is open
 * (the stale-save dialog, both ways on), leaving with unsaved changes, the history with before
 * and after and a restore, a support person's change with a ticket reference that the history
 * shows, and an unsaved edit kept across an idle logout. Against a live mxapid. */
#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/mxe_steps.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A PUT through the API behind the editor's back; returns the new version. */
static long long api_put(struct tui *u, const char *name, const char *body)
{
    char tok[128], etag[64];
    cr_assert_eq(api_login(u->sp.port, "10001", "demo-10001", tok), 0);
    long long v = api_mx_version(u->sp.port, tok, name, etag);
    cr_assert_geq(v, 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(u->sp.port, tok, name, etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    long long nv = (long long)http_json_number(&r, "version", -1);
    http_response_free(&r);
    return nv;
}

static void start_editing(struct tui *u, const char *name, const char *heading)
{
    cr_assert_eq(tui_begin(u, NULL), 0);
    cr_assert(mxe_open(u, "10001", "demo-10001", name, heading));
}

static void own_server_edit(struct tui *u, const char *host)
{
    mxe_key(u, "Right");
    mxe_key(u, "Tab");
    mxe_type_host(u, host);
    cr_assert(tui_wait(u, "192.0.2.25", TUI_WAIT_MS));
}

static void confirm_save(struct tui *u)
{
    mxe_key(u, "F2");
    cr_assert(tui_wait(u, "Save the MX record of", TUI_WAIT_MS));
    mxe_key(u, "Tab");
    mxe_key(u, "Enter");
}

Test(tui_mxsave, a_change_meanwhile_can_be_applied_again_on_top)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    long long v = api_put(&u, "example.de", "{\"mode\":\"none\"}");
    cr_assert_eq(v, 2);
    confirm_save(&u);
    cr_assert(tui_wait(&u, "Changed meanwhile", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "version 2, by 10001", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Now: No mail", TUI_WAIT_MS));
    /* Nothing was overwritten: the server still holds version 2. */
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"mode\":\"none\"") && strstr(body, "\"version\":2"), "%s",
              body);
    free(body);
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Apply mine again */
    cr_assert(tui_wait(&u, "Now (version 2)", TUI_WAIT_MS), "confirmed once more, against v2");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved: version 3", TUI_WAIT_MS));
    body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"mode\":\"custom\"") && strstr(body, "mail.example.de."), "%s",
              body);
    free(body);
    tui_end(&u);
}

Test(tui_mxsave, a_change_meanwhile_can_be_reloaded_dropping_mine)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    api_put(&u, "example.de", "{\"mode\":\"none\"}");
    confirm_save(&u);
    cr_assert(tui_wait(&u, "Changed meanwhile", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Reload (drop mine) */
    cr_assert(tui_wait(&u, "Reloaded: your edit was dropped.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "(\u2022) No mail", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Version 2", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"version\":2"), "%s", body);
    free(body);
    tui_end(&u);
}

Test(tui_mxsave, esc_with_unsaved_changes_asks_and_stay_is_the_default)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Unsaved changes", TUI_WAIT_MS));
    mxe_key(&u, "Enter"); /* Stay */
    cr_assert(tui_wait_gone(&u, "Unsaved changes", TUI_WAIT_MS));
    cr_assert(term_has_text(u.t, "MX record of example.de"), "still in the editor");
    mxe_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Unsaved changes", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Discard changes */
    cr_assert(tui_wait(&u, "DNS settings of example.de", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"version\":1") && strstr(body, "\"mode\":\"provider\""),
              "nothing was saved: %s", body);
    free(body);
    /* Save from the question saves and then leaves. */
    mxe_type(&u, "m");
    cr_assert(tui_wait(&u, "MX record of example.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Version 1", TUI_WAIT_MS));
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Unsaved changes", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Save */
    cr_assert(tui_wait(&u, "Save the MX record of", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "DNS settings of example.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Own mail server", TUI_WAIT_MS), "the DNS screen shows the new MX");
    tui_end(&u);
}

Test(tui_mxsave, history_shows_before_and_after_and_restores_a_version)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    api_put(&u, "xn--mller-kva.de", "{\"mode\":\"none\",\"reason\":\"TICKET-1 no mail wanted\"}");
    api_put(&u, "xn--mller-kva.de",
            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}");
    cr_assert(mxe_open(&u, "10001", "demo-10001", "müller.de", "MX record of müller.de"));
    cr_assert(tui_wait(&u, "Version 3", TUI_WAIT_MS));
    mxe_key(&u, "F4");
    cr_assert(tui_wait(&u, "History of the MX record of müller.de", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "TICKET-1", TUI_WAIT_MS)); /* the column shows its start */
    mxe_key(&u, "Down");                              /* version 2: no mail */
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Before and after", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Reason: TICKET-1 no mail wanted", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Before: Provider mail", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "After: No mail", TUI_WAIT_MS));
    mxe_key(&u, "Esc");
    cr_assert(tui_wait_gone(&u, "Before and after", TUI_WAIT_MS));
    mxe_key(&u, "F6");
    cr_assert(tui_wait(&u, "Restore an earlier version?", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "Restore version 2", TUI_WAIT_MS));
    mxe_key(&u, "Enter"); /* Cancel has the focus: nothing happens */
    cr_assert(tui_wait_gone(&u, "Restore an earlier version?", TUI_WAIT_MS));
    mxe_key(&u, "F6");
    cr_assert(tui_wait(&u, "Restore version 2", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Restored: the MX record is now version 4.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "MX record of müller.de", TUI_WAIT_MS), "back in the editor");
    cr_assert(tui_wait(&u, "(\u2022) No mail", TUI_WAIT_MS));
    char *body = mxe_api_get(&u, "10001", "demo-10001", "xn--mller-kva.de");
    cr_assert(body && strstr(body, "\"version\":4") && strstr(body, "\"mode\":\"none\""), "%s",
              body);
    free(body);
    tui_end(&u);
}

Test(tui_mxsave, staff_change_another_customer_with_a_ticket_the_history_shows)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(tui_login(&u, "support", "demo-support", "Find customer"));
    cr_assert(tui_wait(&u, "Max Beispiel", TUI_WAIT_MS));
    tui_type(&u, "10002");
    cr_assert(tui_wait_gone(&u, "Erika", TUI_WAIT_MS));
    tui_key(&u, "Enter"); /* the one match opens */
    cr_assert(tui_wait(&u, "Domains in package Starter", TUI_WAIT_MS));
    cr_assert(mxe_open_from_domains(&u, "beispiel.de", "MX record of beispiel.de"));
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Ticket or reason (required)", TUI_WAIT_MS));
    /* Without a reason the save is refused, with the reason why. */
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "reason", TUI_WAIT_MS));
    cr_assert(term_has_text(u.t, "Ticket or reason (required)"), "the confirmation stays open");
    mxe_type(&u, "TICKET-4711 customer asked by phone");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved: version 2", TUI_WAIT_MS));
    mxe_key(&u, "F4");
    cr_assert(tui_wait(&u, "TICKET-4711", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "support (10002)", TUI_WAIT_MS));
    /* The API's history says the same. */
    char tok[128];
    cr_assert_eq(api_login(u.sp.port, "support", "demo-support", tok), 0);
    struct http_response r;
    cr_assert_eq(
        http_call(u.sp.port, "GET", "/v1/domains/beispiel.de/mx/history", tok, NULL, NULL, &r), 0);
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"),
                     "TICKET-4711 customer asked by phone");
    cr_assert_str_eq(http_json_string(&r, "entries.0.actor"), "support");
    http_response_free(&r);
    tui_end(&u);
}

Test(tui_mxsave, an_idle_logout_keeps_the_unsaved_edit_for_the_next_login)
{
    struct tui_opts o = {.config = "idle_minutes = 0.1\n"}; /* six seconds */
    struct tui u;
    cr_assert_eq(tui_begin(&u, &o), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    own_server_edit(&u, "mail.example.de.");
    cr_assert(tui_wait(&u, "You were logged out after 6 seconds without input.", 15000));
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "Unsaved edit"));
    cr_assert(tui_wait(&u, "Restore my edit", TUI_WAIT_MS));
    mxe_key(&u, "Enter"); /* Restore my edit (the focused button) */
    cr_assert(tui_wait(&u, "Your unsaved edit is back", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "mail.example.de.", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "(\u2022) Own mail server", TUI_WAIT_MS));
    tui_end(&u);
}

Test(tui_mxsave, f10_with_unsaved_changes_saves_then_quits)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "F10");
    cr_assert(tui_wait(&u, "Unsaved changes", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Save */
    cr_assert(tui_wait(&u, "Save the MX record of", TUI_WAIT_MS));
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    int status = -1;
    cr_assert(term_wait_exit(u.t, TUI_WAIT_MS, &status), "mxtui did not quit after saving");
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    char *body = mxe_api_get(&u, "10001", "demo-10001", "example.de");
    cr_assert(body && strstr(body, "\"version\":2") && strstr(body, "mail.example.de."), "%s",
              body);
    free(body);
    tui_end(&u);
}

Test(tui_mxsave, leaving_with_save_meets_a_change_meanwhile_and_stays_alive)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "Esc");
    cr_assert(tui_wait(&u, "Unsaved changes", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Save, then leave */
    cr_assert(tui_wait(&u, "Save the MX record of", TUI_WAIT_MS));
    api_put(&u, "example.de", "{\"mode\":\"none\"}");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Changed meanwhile", TUI_WAIT_MS));
    mxe_key(&u, "Right");
    mxe_key(&u, "Enter"); /* Reload (drop mine): the question to leave is answered by staying */
    cr_assert(tui_wait(&u, "Reloaded", TUI_WAIT_MS));
    cr_assert(term_has_text(u.t, "MX record of example.de"), "still in the editor");
    /* Saving now (nothing changed) stays in the editor too, and mxtui lives on. */
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Nothing to save", TUI_WAIT_MS));
    cr_assert(term_has_text(u.t, "MX record of example.de"));
    tui_end(&u);
}

Test(tui_mxsave, a_long_reason_is_kept_whole)
{
    struct tui u;
    start_editing(&u, "example.de", "MX record of example.de");
    own_server_edit(&u, "mail.example.de.");
    mxe_key(&u, "F2");
    cr_assert(tui_wait(&u, "Ticket or reason (optional)", TUI_WAIT_MS));
    mxe_key(&u, "BackTab"); /* from Cancel to the reason */
    char reason[1024] = "";
    for (int i = 0; i < 150; i++)
        strcat(reason, "\xc3\xbc"); /* ü: 150 characters, 300 bytes */
    tui_type(&u, reason);
    mxe_key(&u, "Tab");
    mxe_key(&u, "Tab");
    mxe_key(&u, "Enter");
    cr_assert(tui_wait(&u, "Saved: version 2", TUI_WAIT_MS));
    char tok[128];
    cr_assert_eq(api_login(u.sp.port, "10001", "demo-10001", tok), 0);
    struct http_response r;
    cr_assert_eq(
        http_call(u.sp.port, "GET", "/v1/domains/example.de/mx/history", tok, NULL, NULL, &r), 0);
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"), reason);
    http_response_free(&r);
    tui_end(&u);
}

/* A record nobody has saved yet has no history entry: the screen says so (an empty table with
 * "0/0" looked like a failed load), and Esc goes back to the editor. */
Test(tui_mxsave, an_unsaved_record_has_a_history_that_says_it_is_empty)
{
    struct tui u;
    cr_assert_eq(tui_begin(&u, NULL), 0);
    cr_assert(mxe_open(&u, "10001", "demo-10001", "example.de", "MX record of example.de"));
    mxe_key(&u, "F4");
    cr_assert(tui_wait(&u, "History of the MX record of example.de (now version 1)", TUI_WAIT_MS));
    cr_assert(tui_wait(&u, "No saved change yet: version 1 is the first.", TUI_WAIT_MS));
    mxe_key(&u, "Esc");
    cr_assert(tui_wait(&u, "MX record of example.de", TUI_WAIT_MS));
    cr_assert(tui_wait_gone(&u, "No saved change yet", TUI_WAIT_MS));
    tui_end(&u);
}
