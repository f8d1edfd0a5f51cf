/* mxtui-shoot-tui: walks mxtui through every screen and dialog against a live demo mxapid and
 * writes each as NAME.txt, NAME.svg and NAME.png into a folder, in German (the provider's
 * customers' language). `make screenshots` runs it:
 *     MXTUI_BINDIR=bin mxtui-shoot-tui OUTDIR
 * A scene that does not reach its state is reported and the tool exits 1. A second argument
 * runs only the scene of that name. */
#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/tui_steps.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *outdir;
static int failures;

static void save(struct tui *u, const char *name)
{
    char txt[512], svg[512], png[512];
    term_wait_idle(u->t, 120, TUI_WAIT_MS);
    snprintf(txt, sizeof txt, "%s/%s.txt", outdir, name);
    snprintf(svg, sizeof svg, "%s/%s.svg", outdir, name);
    snprintf(png, sizeof png, "%s/%s.png", outdir, name);
    if (term_write_txt(u->t, txt) || term_write_png(u->t, svg, png)) {
        fprintf(stderr, "mxtui-shoot-tui: cannot write %s\n", png);
        failures++;
    }
}

/* Each scene returns false when a wait failed (tui_wait dumps the screen). */

static bool begin(struct tui *u, const char *const *server_args, int rows, int cols)
{
    struct tui_opts o = {.lang = "de", .server_args = server_args, .rows = rows, .cols = cols};
    return tui_begin(u, &o) == 0;
}

static bool login(struct tui *u, const char *who, const char *pw, const char *then)
{
    return tui_login(u, who, pw, then);
}

static bool scene_login(struct tui *u)
{
    if (!(begin(u, NULL, 0, 0)))
        return false;
    if (!(tui_wait(u, "Kundennummer oder Support-Login", TUI_WAIT_MS)))
        return false;
    save(u, "login");
    if (!(login(u, "10001", "falsch", "Login oder Passwort")))
        return false;
    save(u, "login-error");
    return true;
}

static bool scene_otp(struct tui *u)
{
    if (!(begin(u, NULL, 0, 0)))
        return false;
    if (!(login(u, "10003", "demo-10003", "Einmalcode")))
        return false;
    save(u, "login-otp");
    return true;
}

static bool scene_throttled(struct tui *u)
{
    const char *args[] = {"--login-attempts", "1", NULL};
    if (!(begin(u, args, 0, 0)))
        return false;
    if (!(login(u, "10002", "falsch", "Login oder Passwort")))
        return false;
    tui_type(u, "falsch");
    tui_key(u, "Enter");
    if (!(tui_wait(u, "Nächster Versuch in", TUI_WAIT_MS)))
        return false;
    save(u, "login-throttled");
    return true;
}

static bool scene_walk(struct tui *u)
{
    if (!(begin(u, NULL, 0, 0)))
        return false;
    if (!(login(u, "10001", "demo-10001", "Pakete von Kunde 10001")))
        return false;
    if (!(tui_wait(u, "Hosting Plus", TUI_WAIT_MS)))
        return false;
    save(u, "packages");
    tui_key(u, "Enter");
    if (!(tui_wait(u, "xn--mller-kva.de", TUI_WAIT_MS)))
        return false;
    save(u, "domains");
    tui_key(u, "F1");
    if (!(tui_wait(u, "Tasten auf dieser Seite", TUI_WAIT_MS)))
        return false;
    save(u, "help");
    tui_key(u, "Esc");
    tui_type(u, "example");
    if (!(tui_wait(u, "/example", TUI_WAIT_MS)))
        return false;
    save(u, "domains-filter");
    tui_key(u, "Enter");
    if (!(tui_wait(u, "DNS-Einstellungen von example.de", TUI_WAIT_MS)))
        return false;
    if (!(tui_wait(u, "v=spf1", TUI_WAIT_MS)))
        return false;
    save(u, "dns");
    tui_key(u, "Esc");
    if (!tui_wait(u, "/example", TUI_WAIT_MS))
        return false;
    tui_key(u, "Esc");
    if (!(tui_wait_gone(u, "/example", TUI_WAIT_MS)))
        return false;
    tui_type(u, "dyn.example.de");
    if (!(tui_wait(u, "/dyn.example.de", TUI_WAIT_MS)))
        return false;
    tui_key(u, "Enter");
    if (!(tui_wait(u, "nicht möglich", TUI_WAIT_MS)))
        return false;
    save(u, "dns-dyndns");
    tui_key(u, "Esc");
    tui_key(u, "Esc");
    if (!(tui_wait_gone(u, "/dyn", TUI_WAIT_MS)))
        return false;
    tui_type(u, "delegated.example.de");
    if (!(tui_wait(u, "/delegated", TUI_WAIT_MS)))
        return false;
    tui_key(u, "Enter");
    if (!(tui_wait(u, "ns1.delegated-dns.example.", TUI_WAIT_MS)))
        return false;
    save(u, "dns-delegated");
    /* The server goes away: the next request says where and why, F5 tries again. */
    server_proc_stop(&u->sp);
    tui_type(u, "r");
    if (!(tui_wait(u, "F5", TUI_WAIT_MS)))
        return false;
    save(u, "error-unreachable");
    return true;
}

static bool scene_staff(struct tui *u)
{
    if (!(begin(u, NULL, 0, 0)))
        return false;
    if (!(login(u, "support", "demo-support", "Kunde suchen")))
        return false;
    if (!(tui_wait(u, "10002", TUI_WAIT_MS)))
        return false;
    save(u, "customers");
    tui_type(u, "beispiel");
    if (!(tui_wait_gone(u, "10001", TUI_WAIT_MS)))
        return false;
    save(u, "customers-search");
    return true;
}

static bool scene_bulk(struct tui *u)
{
    const char *args[] = {"--seed", "bulk:100000", NULL};
    if (!(begin(u, args, 0, 0)))
        return false;
    if (!(login(u, "20001", "demo-20001", "Domains im Paket Bulk")))
        return false;
    if (!(tui_wait(u, "/100000", TUI_WAIT_MS)))
        return false;
    save(u, "domains-bulk");
    tui_type(u, "bulk0012");
    if (!(tui_wait(u, "bulk0012000.example", TUI_WAIT_MS)))
        return false;
    save(u, "domains-bulk-filter");
    return true;
}

static bool scene_relogin(struct tui *u)
{
    const char *args[] = {"--session-idle", "1", NULL};
    if (!(begin(u, args, 0, 0)))
        return false;
    if (!(login(u, "10001", "demo-10001", "Hosting Plus")))
        return false;
    /* Let the session run out on the server, then ask for something. */
    if (!(tui_wait_logged(u, "GET /v1/customers/10001/packages 200", TUI_WAIT_MS)))
        return false;
    struct timespec ts = {2, 300000000};
    nanosleep(&ts, NULL); /* only for the picture: the server's idle time must pass */
    tui_key(u, "Enter");
    if (!(tui_wait(u, "Sitzung abgelaufen", TUI_WAIT_MS)))
        return false;
    save(u, "relogin");
    return true;
}

static bool scene_idle(struct tui *u)
{
    struct tui_opts o = {.lang = "de", .config = "idle_minutes = 0.05\n"};
    if (!(tui_begin(u, &o) == 0))
        return false;
    if (!(login(u, "10001", "demo-10001", "Hosting Plus")))
        return false;
    if (!(tui_wait(u, "ohne Eingabe abgemeldet", TUI_WAIT_MS)))
        return false;
    save(u, "login-idle-logout");
    return true;
}

static bool scene_sizes(struct tui *u)
{
    if (!(begin(u, NULL, 43, 132)))
        return false;
    if (!(login(u, "10001", "demo-10001", "Hosting Plus")))
        return false;
    tui_key(u, "Enter");
    if (!(tui_wait(u, "xn--mller-kva.de", TUI_WAIT_MS)))
        return false;
    save(u, "domains-132x43");
    term_resize(u->t, 20, 60);
    if (!(tui_wait(u, "Terminal zu klein", TUI_WAIT_MS)))
        return false;
    save(u, "too-small");
    return true;
}

static bool scene_mono(struct tui *u)
{
    const char *env[] = {"NO_COLOR=1", NULL};
    struct tui_opts o = {.lang = "de", .env = env};
    if (!(tui_begin(u, &o) == 0))
        return false;
    if (!(login(u, "10001", "demo-10001", "Hosting Plus")))
        return false;
    tui_key(u, "Enter");
    if (!(tui_wait(u, "xn--mller-kva.de", TUI_WAIT_MS)))
        return false;
    save(u, "domains-mono");
    return true;
}

/* To the MX editor of name as 10001 (German). */
static bool to_editor(struct tui *u, const char *name, const char *const *server_args)
{
    if (!begin(u, server_args, 0, 0))
        return false;
    if (!login(u, "10001", "demo-10001", "Hosting Plus"))
        return false;
    tui_key(u, "Enter");
    if (!tui_wait(u, "1/6", TUI_WAIT_MS))
        return false;
    tui_type(u, name);
    tui_key(u, "Enter");
    if (!tui_wait(u, "DynDNS", TUI_WAIT_MS))
        return false;
    tui_type(u, "m");
    return tui_wait(u, "Version ", TUI_WAIT_MS);
}

static bool scene_editor(struct tui *u)
{
    if (!to_editor(u, "example.de", NULL))
        return false;
    save(u, "mx-provider");
    tui_key(u, "Right");
    if (!tui_wait(u, "Primär 1", TUI_WAIT_MS))
        return false;
    save(u, "mx-own-empty");
    tui_key(u, "Tab");
    tui_type(u, "mail.example.de");
    if (!tui_wait(u, "braucht einen Punkt am Ende", TUI_WAIT_MS))
        return false;
    save(u, "mx-inline-error");
    tui_type(u, ".");
    if (!tui_wait(u, "192.0.2.25", TUI_WAIT_MS))
        return false;
    tui_key(u, "Tab");
    tui_key(u, "Tab");
    tui_key(u, "Insert");
    tui_type(u, "alias.example.de.");
    if (!tui_wait(u, "kein CNAME", TUI_WAIT_MS))
        return false;
    save(u, "mx-check-cname");
    tui_key(u, "C-u");
    tui_type(u, "v6.example.de.");
    if (!tui_wait(u, "nur ein AAAA", TUI_WAIT_MS))
        return false;
    save(u, "mx-check-aaaa");
    tui_key(u, "Tab");
    tui_key(u, "Enter");
    if (!tui_wait(u, "80", TUI_WAIT_MS))
        return false;
    save(u, "mx-priority-open");
    tui_key(u, "Home");
    tui_key(u, "Enter");
    if (!tui_wait(u, "muss nach allen", TUI_WAIT_MS))
        return false;
    save(u, "mx-priority-error");
    tui_key(u, "Enter");
    tui_key(u, "End");
    tui_key(u, "Enter");
    tui_key(u, "Tab");
    tui_key(u, "Space"); /* the provider's backup server */
    if (!tui_wait(u, "[x]", TUI_WAIT_MS))
        return false;
    save(u, "mx-backup-panel");
    tui_key(u, "Tab");
    tui_key(u, "Tab"); /* the Save button: the page shows the order and the publication */
    if (!tui_wait(u, "Zustellreihenfolge", TUI_WAIT_MS))
        return false;
    save(u, "mx-preview");
    tui_key(u, "F2");
    if (!tui_wait(u, "speichern?", TUI_WAIT_MS))
        return false;
    save(u, "mx-confirm");
    tui_key(u, "Tab");
    tui_key(u, "Enter");
    if (!tui_wait(u, "Gespeichert", TUI_WAIT_MS))
        return false;
    save(u, "mx-saved");
    /* A change through the API meanwhile: the stale dialog. */
    tui_key(u, "BackTab"); /* from the Save button to the check box */
    tui_key(u, "Space");   /* the backup server off again */
    char tok[128], etag[64];
    if (api_login(u->sp.port, "10001", "demo-10001", tok) != 0 ||
        api_mx_version(u->sp.port, tok, "example.de", etag) < 0)
        return false;
    struct http_response r;
    if (api_mx_put(u->sp.port, tok, "example.de", etag, "{\"mode\":\"none\"}", &r) != 0)
        return false;
    http_response_free(&r);
    tui_key(u, "F2");
    if (!tui_wait(u, "speichern?", TUI_WAIT_MS))
        return false;
    tui_key(u, "Tab");
    tui_key(u, "Enter");
    if (!tui_wait(u, "Inzwischen geändert", TUI_WAIT_MS))
        return false;
    save(u, "mx-stale");
    tui_key(u, "Right");
    tui_key(u, "Enter"); /* reload */
    if (!tui_wait(u, "Neu geladen", TUI_WAIT_MS))
        return false;
    tui_key(u, "F4");
    if (!tui_wait(u, "Verlauf des MX-Records", TUI_WAIT_MS))
        return false;
    save(u, "mx-history");
    tui_key(u, "Down");
    tui_key(u, "Enter");
    if (!tui_wait(u, "Vorher und nachher", TUI_WAIT_MS))
        return false;
    save(u, "mx-history-detail");
    tui_key(u, "Esc");
    tui_key(u, "F6");
    if (!tui_wait(u, "wiederherstellen?", TUI_WAIT_MS))
        return false;
    save(u, "mx-restore");
    return true;
}

static bool scene_editor_more(struct tui *u)
{
    if (!to_editor(u, "müller.de", NULL))
        return false;
    tui_key(u, "Right");
    tui_key(u, "Tab");
    tui_type(u, "mail.müller.de.");
    if (!tui_wait(u, "192.0.2.41", TUI_WAIT_MS))
        return false;
    save(u, "mx-idn");
    tui_key(u, "BackTab");
    tui_key(u, "Right");
    if (!tui_wait(u, "sofort eine", TUI_WAIT_MS))
        return false;
    save(u, "mx-null");
    tui_key(u, "Esc");
    if (!tui_wait(u, "Ungespeicherte", TUI_WAIT_MS))
        return false;
    save(u, "mx-leave");
    tui_key(u, "Right");
    tui_key(u, "Enter"); /* discard: back to the DNS settings */
    if (!tui_wait(u, "DynDNS", TUI_WAIT_MS))
        return false;
    tui_key(u, "Esc");
    if (!tui_wait(u, "/müller", TUI_WAIT_MS))
        return false;
    tui_key(u, "Esc");
    if (!tui_wait_gone(u, "/müller", TUI_WAIT_MS))
        return false;
    tui_type(u, "dyn.example.de");
    if (!tui_wait(u, "(1 von 6)", TUI_WAIT_MS))
        return false;
    tui_key(u, "Enter");
    if (!tui_wait(u, "DynDNS", TUI_WAIT_MS))
        return false;
    tui_type(u, "m");
    if (!tui_wait(u, "Version ", TUI_WAIT_MS))
        return false;
    tui_key(u, "Right");
    if (!tui_wait(u, "nicht möglich", TUI_WAIT_MS))
        return false;
    save(u, "mx-banner");
    return true;
}

static bool scene_staff_save(struct tui *u)
{
    if (!begin(u, NULL, 0, 0) || !login(u, "support", "demo-support", "Kunde suchen") ||
        !tui_wait(u, "Erika Mustermann", TUI_WAIT_MS))
        return false;
    tui_type(u, "10002");
    if (!tui_wait_gone(u, "Erika", TUI_WAIT_MS))
        return false;
    tui_key(u, "Enter");
    if (!tui_wait(u, "Domains im Paket Starter", TUI_WAIT_MS) || !tui_wait(u, "1/1", TUI_WAIT_MS))
        return false;
    tui_key(u, "Enter");
    if (!tui_wait(u, "DynDNS", TUI_WAIT_MS))
        return false;
    tui_type(u, "m");
    if (!tui_wait(u, "Version ", TUI_WAIT_MS))
        return false;
    tui_key(u, "Right");
    tui_key(u, "Tab");
    tui_type(u, "mail.example.de.");
    if (!tui_wait(u, "192.0.2.25", TUI_WAIT_MS))
        return false;
    tui_key(u, "F2");
    if (!tui_wait(u, "Ticket oder Grund (Pflicht)", TUI_WAIT_MS))
        return false;
    tui_type(u, "TICKET-4711");
    save(u, "mx-confirm-staff");
    return true;
}

static const struct {
    const char *name;
    bool (*run)(struct tui *u);
} scenes[] = {
    {"editor", scene_editor},
    {"editor-more", scene_editor_more},
    {"staff-save", scene_staff_save},
    {"login", scene_login},
    {"otp", scene_otp},
    {"throttled", scene_throttled},
    {"walk", scene_walk},
    {"staff", scene_staff},
    {"bulk", scene_bulk},
    {"relogin", scene_relogin},
    {"idle", scene_idle},
    {"sizes", scene_sizes},
    {"mono", scene_mono},
};

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: MXTUI_BINDIR=bin mxtui-shoot-tui OUTDIR [SCENE]\n");
        return 2;
    }
    outdir = argv[1];
    signal(SIGPIPE, SIG_IGN);
    for (size_t i = 0; i < sizeof scenes / sizeof scenes[0]; i++) {
        if (argc == 3 && strcmp(argv[2], scenes[i].name) != 0)
            continue;
        struct tui u;
        memset(&u, 0, sizeof u);
        if (!scenes[i].run(&u)) {
            fprintf(stderr, "mxtui-shoot-tui: scene %s did not reach its state\n", scenes[i].name);
            failures++;
        }
        tui_end(&u);
    }
    return failures ? 1 : 0;
}
