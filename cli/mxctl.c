/* mxctl: the MX dialog's API for scripts and tickets, over api/client (synchronous wrapper).
 * The password comes from a file or the terminal without echo, never from argv. Everything
 * from the network passes mxctl_out before it reaches the terminal. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the password and one-time code */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "cli/mxctl.h"
#include "cli/mxctl_out.h"

static void usage(FILE *f)
{
    fputs(
        mxctl_tr(
            "usage: mxctl [OPTIONS] --login ID COMMAND [ARGS]\n"
            "\n"
            "Options:\n"
            "  --api URL             API address (default: $MXTUI_API)\n"
            "  --cacert FILE         trust the CA certificates in FILE (PEM)\n"
            "  --insecure-http       allow plain http to a host that is not loopback\n"
            "  --login ID            customer number or staff login\n"
            "  --password-file FILE  read the password from the first line of FILE\n"
            "                        (otherwise it is asked on the terminal, without echo)\n"
            "  --otp-file FILE       read the one-time code from FILE (otherwise asked when "
            "needed)\n"
            "  --lang de|en          language of messages (default from LC_ALL/LANG)\n"
            "  --timeout SECONDS     whole-request timeout (default 30)\n"
            "  --reason TEXT         why (mx set, restore): a ticket or a few words; staff\n"
            "                        must give one\n"
            "  --help                this text\n"
            "\n"
            "Commands:\n"
            "  customers QUERY               find customers (staff only)\n"
            "  packages [CUSTOMER]           the packages (staff: of CUSTOMER)\n"
            "  domains PACKAGE [--filter TEXT]\n"
            "  dns NAME                      the DNS overview of a name\n"
            "  mx get NAME                   the MX configuration as JSON\n"
            "  mx set NAME < FILE.json       save a configuration (editable fields, or a\n"
            "                                full 'mx get' output)\n"
            "  mx check NAME HOST...         DNS check of host names\n"
            "  history NAME                  the MX changes of a name\n"
            "  restore NAME ID               save history entry ID again as a new version\n"
            "  access-log CUSTOMER           who opened the customer's data (staff only)\n"
            "  provider                      the provider profile as JSON\n"
            "\n"
            "Exit status: 0 ok, 1 usage or input, 2 network/TLS/timeout, 3 login/session,\n"
            "4 not found/forbidden, 5 conflict (changed meanwhile), 6 rule errors or a rejected\n"
            "host, 7 rate limited, 8 server or protocol error.\n",
            "Aufruf: mxctl [OPTIONEN] --login KENNUNG BEFEHL [ARGUMENTE]\n"
            "\n"
            "Optionen:\n"
            "  --api URL             Adresse der API (Vorgabe: $MXTUI_API)\n"
            "  --cacert DATEI        den CA-Zertifikaten in DATEI (PEM) vertrauen\n"
            "  --insecure-http       unverschlüsseltes http auch zu anderen Rechnern erlauben\n"
            "  --login KENNUNG       Kundennummer oder Mitarbeiterkennung\n"
            "  --password-file DATEI Passwort aus der ersten Zeile von DATEI lesen\n"
            "                        (sonst wird es am Terminal ohne Echo abgefragt)\n"
            "  --otp-file DATEI      Einmalcode aus DATEI lesen (sonst bei Bedarf abgefragt)\n"
            "  --lang de|en          Sprache der Meldungen (Vorgabe aus LC_ALL/LANG)\n"
            "  --timeout SEKUNDEN    Zeitlimit je Anfrage (Vorgabe 30)\n"
            "  --reason TEXT         Grund (mx set, restore): Ticket oder ein paar Worte;\n"
            "                        Pflicht für Mitarbeiter\n"
            "  --help                dieser Text\n"
            "\n"
            "Befehle:\n"
            "  customers SUCHE               Kunden finden (nur Mitarbeiter)\n"
            "  packages [KUNDE]              die Pakete (Mitarbeiter: von KUNDE)\n"
            "  domains PAKET [--filter TEXT]\n"
            "  dns NAME                      DNS-Übersicht eines Namens\n"
            "  mx get NAME                   MX-Konfiguration als JSON\n"
            "  mx set NAME < DATEI.json      Konfiguration speichern (änderbare Felder oder\n"
            "                                vollständige Ausgabe von 'mx get')\n"
            "  mx check NAME HOST...         DNS-Prüfung von Hostnamen\n"
            "  history NAME                  MX-Änderungen eines Namens\n"
            "  restore NAME ID               Verlaufseintrag ID als neue Version speichern\n"
            "  access-log KUNDE              wer die Daten des Kunden geöffnet hat (nur\n"
            "                                Mitarbeiter)\n"
            "  provider                      Anbieterprofil als JSON\n"
            "\n"
            "Rückgabewert: 0 ok, 1 Aufruf oder Eingabe, 2 Netz/TLS/Zeitlimit, 3 Anmeldung/\n"
            "Sitzung, 4 nicht gefunden/verboten, 5 Konflikt (inzwischen geändert), 6 Regelfehler\n"
            "oder abgelehnter Host, 7 zu viele Versuche, 8 Server- oder Protokollfehler.\n"),
        f);
}

/* Reads the first line of a file (without its line end) into buf. 0 or -1. */
static int read_first_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    /* Unbuffered: stdio's buffer would keep a copy of the password that nobody wipes. */
    setvbuf(f, NULL, _IONBF, 0);
    int rc = fgets(buf, (int)size, f) ? 0 : -1;
    fclose(f);
    if (rc == 0)
        buf[strcspn(buf, "\r\n")] = '\0';
    return rc;
}

static volatile sig_atomic_t prompt_signal;

static void on_prompt_signal(int sig)
{
    prompt_signal = sig;
}

/* Reads one line from the terminal into buf until Enter, end of input or a signal of the prompt.
 * The signals are blocked outside pselect, so one that comes just before the wait still ends it
 * (a plain read would miss it and wait on). */
static void read_line(int fd, char *buf, size_t size, const sigset_t *wait_mask)
{
    size_t n = 0;
    while (n + 1 < size && !prompt_signal) {
        fd_set rd;
        FD_ZERO(&rd);
        FD_SET(fd, &rd);
        if (pselect(fd + 1, &rd, NULL, NULL, NULL, wait_mask) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        char ch;
        if (read(fd, &ch, 1) != 1 || ch == '\n')
            break;
        buf[n++] = ch;
    }
    while (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
}

/* Asks on the terminal (not stdin, which may carry mx set's input); echo off when secret. A
 * signal while asking ends the read, the terminal gets its echo back, and the signal is raised
 * again: Ctrl-C never leaves the terminal silent. Ctrl-Z suspends with the echo back and asks
 * again from the start when the program runs on. */
static int ask_tty(const char *prompt, bool secret, char *buf, size_t size)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0 || fd >= FD_SETSIZE) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
    sigset_t block, wait_mask;
    sigemptyset(&block);
    for (size_t i = 0; i < 5; i++)
        sigaddset(&block, sigs[i]);
    int rc = -1;
    for (;;) {
        sigprocmask(SIG_BLOCK, &block, &wait_mask);
        struct sigaction sa = {.sa_handler = on_prompt_signal}, saved[5];
        sigemptyset(&sa.sa_mask);
        prompt_signal = 0;
        for (size_t i = 0; i < 5; i++)
            sigaction(sigs[i], &sa, &saved[i]);
        struct termios old, quiet;
        bool restore = false;
        if (secret && tcgetattr(fd, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            quiet.c_lflag |= ECHONL;
            restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
        }
        rc = -1;
        if (write(fd, prompt, strlen(prompt)) >= 0) {
            read_line(fd, buf, size, &wait_mask);
            rc = prompt_signal ? -1 : 0;
        }
        if (restore)
            tcsetattr(fd, TCSAFLUSH, &old);
        for (size_t i = 0; i < 5; i++)
            sigaction(sigs[i], &saved[i], NULL);
        sigprocmask(SIG_SETMASK, &wait_mask, NULL);
        if (!prompt_signal)
            break;
        int sig = prompt_signal;
        explicit_bzero(buf, size);
        if (sig == SIGTSTP) {
            (void)!write(fd, "\n", 1);
            raise(SIGTSTP); /* stops here (the usual handler); on SIGCONT, ask again */
            continue;
        }
        raise(sig);
        break;
    }
    close(fd);
    return rc;
}

struct opts {
    const char *api;
    const char *cacert;
    bool insecure_http;
    const char *login;
    const char *password_file;
    const char *otp_file;
    long timeout_s;
    const char *filter;
    const char *reason;
};

static int do_login(struct api_client *c, const struct opts *o, char *customer, size_t csize)
{
    char password[512] = "", otp[64] = "";
    char prompt[160];
    int rc = MXCTL_EXIT_USAGE;
    bool have_otp = false;
    if (o->password_file) {
        if (read_first_line(o->password_file, password, sizeof(password)) != 0) {
            fprintf(stderr, "mxctl: %s: %s\n", o->password_file, strerror(errno));
            goto out;
        }
    } else {
        snprintf(prompt, sizeof(prompt), mxctl_tr("Password for %s: ", "Passwort für %s: "),
                 o->login);
        if (ask_tty(prompt, true, password, sizeof(password)) != 0) {
            fputs(mxctl_tr("mxctl: no terminal to ask the password on; use --password-file\n",
                           "mxctl: kein Terminal für die Passwortabfrage; bitte --password-file "
                           "verwenden\n"),
                  stderr);
            goto out;
        }
    }
    if (o->otp_file) {
        if (read_first_line(o->otp_file, otp, sizeof(otp)) != 0) {
            fprintf(stderr, "mxctl: %s: %s\n", o->otp_file, strerror(errno));
            goto out;
        }
        have_otp = true;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        struct api_sync s = {0};
        struct api_result *res = api_sync_wait(
            c, api_start_login(c, o->login, password, have_otp ? otp : NULL, api_sync_done, &s),
            &s);
        if (!res) {
            rc = MXCTL_EXIT_SERVER;
            goto out;
        }
        if (res->status == API_ERR_OTP_REQUIRED && !have_otp &&
            ask_tty(mxctl_tr("One-time code: ", "Einmalcode: "), false, otp, sizeof(otp)) == 0) {
            have_otp = true;
            api_result_free(&res);
            continue;
        }
        rc = res->status == API_OK ? MXCTL_EXIT_OK : mxctl_report(res);
        if (res->status == API_OK && res->session->actor.customer)
            snprintf(customer, csize, "%s", res->session->actor.customer);
        api_result_free(&res);
        break;
    }
out:
    explicit_bzero(password, sizeof(password));
    explicit_bzero(otp, sizeof(otp));
    return rc;
}

int main(int argc, char **argv)
{
    struct opts o = {.api = getenv("MXTUI_API"), .timeout_s = 30};
    const char *env_lang = getenv("LC_ALL");
    if (!env_lang || !*env_lang)
        env_lang = getenv("LC_MESSAGES");
    if (!env_lang || !*env_lang)
        env_lang = getenv("LANG");
    mxctl_set_lang(mx_lang_from_string(env_lang));

    static const struct option longopts[] = {
        {"api", required_argument, NULL, 'a'},
        {"cacert", required_argument, NULL, 'c'},
        {"insecure-http", no_argument, NULL, 'I'},
        {"login", required_argument, NULL, 'l'},
        {"password-file", required_argument, NULL, 'p'},
        {"otp-file", required_argument, NULL, 'o'},
        {"lang", required_argument, NULL, 'L'},
        {"timeout", required_argument, NULL, 't'},
        {"filter", required_argument, NULL, 'f'},
        {"reason", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    /* "+": options end at the command, so host names starting with '-' stay arguments. */
    while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        switch (ch) {
        case 'a':
            o.api = optarg;
            break;
        case 'c':
            o.cacert = optarg;
            break;
        case 'I':
            o.insecure_http = true;
            break;
        case 'l':
            o.login = optarg;
            break;
        case 'p':
            o.password_file = optarg;
            break;
        case 'o':
            o.otp_file = optarg;
            break;
        case 'L':
            if (strcmp(optarg, "de") != 0 && strcmp(optarg, "en") != 0) {
                usage(stderr);
                return MXCTL_EXIT_USAGE;
            }
            mxctl_set_lang(mx_lang_from_string(optarg));
            break;
        case 't':
            o.timeout_s = strtol(optarg, NULL, 10);
            if (o.timeout_s <= 0 || o.timeout_s > 3600) {
                usage(stderr);
                return MXCTL_EXIT_USAGE;
            }
            break;
        case 'f':
            o.filter = optarg;
            break;
        case 'r':
            o.reason = optarg;
            break;
        case 'h':
            usage(stdout);
            return MXCTL_EXIT_OK;
        default:
            usage(stderr);
            return MXCTL_EXIT_USAGE;
        }
    }
    /* `domains PACKAGE --filter TEXT`: the filter may follow the command too. */
    int n = argc - optind;
    char **args = argv + optind;
    if (n == 4 && strcmp(args[0], "domains") == 0 && strcmp(args[2], "--filter") == 0) {
        o.filter = args[3];
        n = 2;
    }
    /* `mx set NAME --reason TEXT`, `restore NAME ID --reason TEXT`: likewise. */
    bool saves = (n >= 1 && strcmp(args[0], "restore") == 0) ||
                 (n >= 2 && strcmp(args[0], "mx") == 0 && strcmp(args[1], "set") == 0);
    if (saves && n >= 5 && strcmp(args[n - 2], "--reason") == 0) {
        o.reason = args[n - 1];
        n -= 2;
    }
    if (!o.api || !o.login || !mxctl_command_ok(n, args)) {
        usage(stderr);
        return MXCTL_EXIT_USAGE;
    }

    enum api_status st = API_OK;
    struct api_client_options co = {.base_url = o.api,
                                    .cacert = o.cacert,
                                    .allow_insecure_http = o.insecure_http,
                                    .timeout_ms = o.timeout_s * 1000,
                                    .lang = mxctl_lang()};
    struct api_client *c = api_client_new(&co, &st);
    if (!c) {
        fputs("mxctl: ", stderr);
        out_text(stderr, o.api);
        fprintf(stderr, ": %s\n", api_status_message(st, mxctl_lang()));
        return st == API_ERR_BAD_REQUEST ? MXCTL_EXIT_USAGE : mxctl_exit_for(st);
    }
    char customer[128] = "";
    int rc = do_login(c, &o, customer, sizeof(customer));
    if (rc == MXCTL_EXIT_OK) {
        struct mxctl_args a = {.filter = o.filter, .customer = customer, .reason = o.reason};
        rc = mxctl_dispatch(c, n, args, &a);
        struct api_sync s = {0};
        struct api_result *res = api_sync_wait(c, api_start_logout(c, api_sync_done, &s), &s);
        api_result_free(&res);
    }
    api_client_free(&c);
    return rc;
}
