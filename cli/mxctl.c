/* mxctl: the MX dialog's API for scripts and tickets, over api/client (synchronous wrapper).
 * The password comes from a file or the terminal without echo, never from argv. Everything
 * from the network passes mxctl_out before it reaches the terminal. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the password and one-time code */

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "api/client.h"
#include "api/client_sync.h"
#include "api/mx_codec.h"
#include "cli/mxctl_out.h"

/* Exit statuses, one per error class (documented in --help and docs/mxctl.md). */
enum exit_code {
    EXIT_OK = 0,
    EXIT_USAGE = 1,
    EXIT_NETWORK = 2,   /* network, TLS, timeout, insecure URL */
    EXIT_AUTH = 3,      /* invalid credentials, OTP, session expired, unauthorized */
    EXIT_NOT_FOUND = 4, /* not found or forbidden */
    EXIT_CONFLICT = 5,
    EXIT_VALIDATION = 6, /* rule errors; a rejected host in mx check */
    EXIT_RATE_LIMITED = 7,
    EXIT_SERVER = 8, /* server error, protocol error, bad request, out of memory */
};

/* Longest stdin mx set accepts. */
#define INPUT_MAX MX_JSON_MAX_BYTES

static enum mx_lang lang = MX_LANG_EN;

static const char *tr(const char *en, const char *de)
{
    return lang == MX_LANG_DE ? de : en;
}

static void usage(FILE *f)
{
    fputs(tr("usage: mxctl [OPTIONS] --login ID COMMAND [ARGS]\n"
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
             "  provider                      Anbieterprofil als JSON\n"
             "\n"
             "Rückgabewert: 0 ok, 1 Aufruf oder Eingabe, 2 Netz/TLS/Zeitlimit, 3 Anmeldung/\n"
             "Sitzung, 4 nicht gefunden/verboten, 5 Konflikt (inzwischen geändert), 6 Regelfehler\n"
             "oder abgelehnter Host, 7 zu viele Versuche, 8 Server- oder Protokollfehler.\n"),
          f);
}

static int exit_for(enum api_status st)
{
    switch (st) {
    case API_OK:
        return EXIT_OK;
    case API_ERR_NETWORK:
    case API_ERR_TLS:
    case API_ERR_TIMEOUT:
    case API_ERR_INSECURE:
        return EXIT_NETWORK;
    case API_ERR_UNAUTHORIZED:
    case API_ERR_SESSION_EXPIRED:
    case API_ERR_INVALID_CREDENTIALS:
    case API_ERR_OTP_REQUIRED:
        return EXIT_AUTH;
    case API_ERR_FORBIDDEN:
    case API_ERR_NOT_FOUND:
        return EXIT_NOT_FOUND;
    case API_ERR_CONFLICT:
        return EXIT_CONFLICT;
    case API_ERR_VALIDATION:
        return EXIT_VALIDATION;
    case API_ERR_RATE_LIMITED:
        return EXIT_RATE_LIMITED;
    default:
        return EXIT_SERVER;
    }
}

static void print_details(const struct api_detail *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputs("  ", stderr);
        out_text(stderr, d[i].field[0] ? d[i].field : "-");
        fputs(": ", stderr);
        out_text(stderr, d[i].message);
        fputs(" (", stderr);
        out_text(stderr, d[i].code);
        fputs(")\n", stderr);
    }
}

static void print_config_json(FILE *f, const struct mx_config *cfg)
{
    char *json = mx_config_to_json(cfg);
    cJSON *tree = json ? cJSON_Parse(json) : NULL;
    char *pretty = tree ? cJSON_Print(tree) : NULL;
    if (pretty) {
        out_json(f, pretty);
        fputc('\n', f);
    }
    cJSON_free(pretty);
    cJSON_Delete(tree);
    free(json);
}

/* Prints a failed result to stderr with every detail; returns its exit status. */
static int report(const struct api_result *res)
{
    fputs("mxctl: ", stderr);
    out_text(stderr, res->error.message);
    if (res->error.code[0]) {
        fputs(" [", stderr);
        out_text(stderr, res->error.code);
        fputs("]", stderr);
    } else {
        fprintf(stderr, " [%s]", api_status_name(res->status));
    }
    fputc('\n', stderr);
    print_details(res->error.details, res->error.n_details);
    if (res->status == API_ERR_RATE_LIMITED && res->error.retry_after >= 0)
        fprintf(stderr, tr("  retry after %ld s\n", "  erneut versuchen in %ld s\n"),
                res->error.retry_after);
    if (res->status == API_ERR_CONFLICT && res->error.current) {
        fputs(tr("  the configuration on the server now:\n",
                 "  die Konfiguration auf dem Server ist jetzt:\n"),
              stderr);
        print_config_json(stderr, res->error.current);
    }
    return exit_for(res->status);
}

/* Reads the first line of a file (without its line end) into buf. 0 or -1. */
static int read_first_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int rc = fgets(buf, (int)size, f) ? 0 : -1;
    fclose(f);
    if (rc == 0)
        buf[strcspn(buf, "\r\n")] = '\0';
    return rc;
}

/* Asks on the terminal (not stdin, which may carry mx set's input); echo off when secret. */
static int ask_tty(const char *prompt, bool secret, char *buf, size_t size)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct termios old, quiet;
    bool restore = false;
    if (secret && tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    }
    int rc = -1;
    if (write(fd, prompt, strlen(prompt)) >= 0) {
        size_t n = 0;
        char ch;
        while (n + 1 < size && read(fd, &ch, 1) == 1 && ch != '\n')
            buf[n++] = ch;
        buf[n] = '\0';
        rc = 0;
    }
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
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
};

static int do_login(struct api_client *c, const struct opts *o, char *customer, size_t csize)
{
    char password[512] = "", otp[64] = "";
    char prompt[160];
    int rc = EXIT_USAGE;
    bool have_otp = false;
    if (o->password_file) {
        if (read_first_line(o->password_file, password, sizeof(password)) != 0) {
            fprintf(stderr, "mxctl: %s: %s\n", o->password_file, strerror(errno));
            goto out;
        }
    } else {
        snprintf(prompt, sizeof(prompt), tr("Password for %s: ", "Passwort für %s: "), o->login);
        if (ask_tty(prompt, true, password, sizeof(password)) != 0) {
            fputs(tr("mxctl: no terminal to ask the password on; use --password-file\n",
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
            rc = EXIT_SERVER;
            goto out;
        }
        if (res->status == API_ERR_OTP_REQUIRED && !have_otp &&
            ask_tty(tr("One-time code: ", "Einmalcode: "), false, otp, sizeof(otp)) == 0) {
            have_otp = true;
            api_result_free(&res);
            continue;
        }
        rc = res->status == API_OK ? EXIT_OK : report(res);
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

/* Waits for a call; on failure prints it and returns its exit status with *out NULL. */
static int run(struct api_client *c, uint64_t id, struct api_sync *s, struct api_result **out)
{
    *out = api_sync_wait(c, id, s);
    if (!*out) {
        fputs(tr("mxctl: the request could not be started\n",
                 "mxctl: die Anfrage konnte nicht gestartet werden\n"),
              stderr);
        return id == 0 ? EXIT_USAGE : EXIT_SERVER;
    }
    if ((*out)->status == API_OK)
        return EXIT_OK;
    int rc = report(*out);
    api_result_free(out);
    return rc;
}

static void print_entries(FILE *f, const struct mx_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        out_text(f, e[i].host);
        fprintf(f, " (%ld)", e[i].priority);
    }
    if (n == 0)
        fputs("-", f);
}

/* One line for an editable configuration: "custom primary: a (10) backup: b (50) +backup". */
static void print_summary(FILE *f, const struct mx_config *cfg)
{
    fputs(mx_mode_name(cfg->mode), f);
    if (cfg->mode == MX_MODE_CUSTOM) {
        fputs(" primary: ", f);
        print_entries(f, cfg->primary, cfg->n_primary);
        fputs(" backup: ", f);
        print_entries(f, cfg->backup, cfg->n_backup);
        if (cfg->provider_backup)
            fputs(" +provider_backup", f);
    }
}

static void print_list(const char *label, const char *const *items, size_t n)
{
    printf("%-18s", label);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? " " : "", stdout);
        out_text(stdout, items[i]);
    }
    fputs(n ? "\n" : "-\n", stdout);
}

static int cmd_customers(struct api_client *c, const char *query)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_customers(c, query, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    for (size_t i = 0; i < res->customers->count; i++) {
        const struct api_customer *x = &res->customers->items[i];
        out_text(stdout, x->id);
        fputc('\t', stdout);
        out_text(stdout, x->name);
        printf("\t%ld\n", x->packages);
    }
    api_result_free(&res);
    return EXIT_OK;
}

static int cmd_packages(struct api_client *c, const char *customer)
{
    struct api_sync s = {0};
    struct api_result *res;
    if (!customer || !*customer) {
        fputs(tr("mxctl: packages: a staff account names the customer\n",
                 "mxctl: packages: ein Mitarbeiterkonto muss den Kunden angeben\n"),
              stderr);
        return EXIT_USAGE;
    }
    int rc = run(c, api_start_packages(c, customer, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    for (size_t i = 0; i < res->packages->count; i++) {
        const struct api_package *x = &res->packages->items[i];
        printf("%lld\t", x->id);
        out_text(stdout, x->name);
        printf("\t%ld\n", x->domains);
    }
    api_result_free(&res);
    return EXIT_OK;
}

static int cmd_domains(struct api_client *c, const char *package, const char *filter)
{
    char *end = NULL;
    long long pid = strtoll(package, &end, 10);
    if (!*package || *end || pid < 0) {
        fputs(tr("mxctl: domains: PACKAGE is a package number\n",
                 "mxctl: domains: PAKET ist eine Paketnummer\n"),
              stderr);
        return EXIT_USAGE;
    }
    long offset = 0;
    for (;;) {
        struct api_sync s = {0};
        struct api_result *res;
        int rc =
            run(c, api_start_domains(c, pid, filter, offset, 500, api_sync_done, &s), &s, &res);
        if (rc)
            return rc;
        const struct api_domains *p = res->domains;
        for (size_t i = 0; i < p->count; i++) {
            const struct api_domain *d = &p->items[i];
            out_text(stdout, d->name);
            fputc('\t', stdout);
            out_text(stdout, d->display_name);
            printf("\t%s\t%s\n", mx_kind_name(d->kind), mx_mode_name(d->mx_mode));
        }
        offset += (long)p->count;
        bool more = p->count > 0 && offset < p->total;
        api_result_free(&res);
        if (!more)
            return EXIT_OK;
    }
}

static int cmd_dns(struct api_client *c, const char *name)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_dns(c, name, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    const struct api_dns *d = res->dns;
    fputs("name              ", stdout);
    out_text(stdout, d->display_name);
    if (strcmp(d->display_name, d->domain) != 0) {
        fputs(" (", stdout);
        out_text(stdout, d->domain);
        fputs(")", stdout);
    }
    printf("\nkind              %s\n", mx_kind_name(d->kind));
    printf("ns                %s: ", d->ns_own ? "own" : "provider");
    print_list("", d->ns_servers, d->n_ns_servers);
    print_list("a", d->a, d->n_a);
    print_list("aaaa", d->aaaa, d->n_aaaa);
    print_list("cname", &d->cname, d->cname ? 1 : 0);
    print_list("txt", d->txt, d->n_txt);
    printf("dyndns            %s\n", d->dyndns ? "on" : "off");
    printf("mx                %s:", mx_mode_name(d->mx_mode));
    for (size_t i = 0; i < d->n_mx_records; i++) {
        printf(" %ld ", d->mx_records[i].priority);
        out_text(stdout, d->mx_records[i].host);
    }
    printf("\nown mail server   %s\n",
           d->own_mail_possible ? tr("possible", "möglich") : tr("not possible", "nicht möglich"));
    for (size_t i = 0; i < d->n_reasons; i++) {
        fputs("  ", stdout);
        out_text(stdout, d->reasons[i].message);
        fputs(" (", stdout);
        out_text(stdout, d->reasons[i].code);
        fputs(")\n", stdout);
    }
    api_result_free(&res);
    return EXIT_OK;
}

static int cmd_mx_get(struct api_client *c, const char *name)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_mx_get(c, name, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    print_config_json(stdout, &res->mx->config);
    api_result_free(&res);
    return EXIT_OK;
}

/* Keys of a full `mx get` output that mx set accepts and leaves out of the request. */
static const char *const read_only_keys[] = {
    "domain",     "display_name", "kind",        "records",  "version",
    "updated_at", "updated_by",   "publication", "warnings", NULL};
static const char *const editable_keys[] = {"mode", "primary", "backup", "provider_backup", NULL};

static bool in_list(const char *key, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(key, *list) == 0)
            return true;
    return false;
}

static char *read_stdin(size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 == cap) {
            if (cap > INPUT_MAX) {
                free(buf);
                return NULL;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        n += got;
        if (got == 0)
            break;
    }
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* Turns stdin into the editable fields; *version gets the version a full `mx get` output
 * carried, or -1. Returns 0 or an exit status. */
static int read_request(struct mx_config *cfg, long long *version)
{
    size_t len = 0;
    int rc = EXIT_USAGE;
    char *text = read_stdin(&len), *request = NULL;
    cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL, *edit = NULL;
    struct mx_problems probs = {0};
    *version = -1;
    if (!cJSON_IsObject(root)) {
        fputs(tr("mxctl: mx set: stdin is not a JSON object\n",
                 "mxctl: mx set: die Eingabe ist kein JSON-Objekt\n"),
              stderr);
        goto out;
    }
    edit = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        if (in_list(it->string, editable_keys)) {
            cJSON_AddItemReferenceToObject(edit, it->string, (cJSON *)it);
        } else if (!in_list(it->string, read_only_keys)) {
            fputs(tr("mxctl: mx set: unknown field: ", "mxctl: mx set: unbekanntes Feld: "),
                  stderr);
            out_text(stderr, it->string);
            fputc('\n', stderr);
            goto out;
        } else if (strcmp(it->string, "version") == 0 && cJSON_IsNumber(it)) {
            *version = (long long)it->valuedouble;
        }
    }
    request = cJSON_PrintUnformatted(edit);
    if (!request)
        goto out;
    if (mx_config_request_from_json(request, strlen(request), cfg, &probs) != MX_OK) {
        for (size_t i = 0; i < probs.count; i++) {
            fputs("  ", stderr);
            out_text(stderr, probs.items[i].field[0] ? probs.items[i].field : "-");
            fprintf(stderr, ": %s (%s)\n", mx_code_message(probs.items[i].code, lang),
                    mx_code_name(probs.items[i].code));
        }
        fputs(tr("mxctl: mx set: the input is not a valid MX configuration\n",
                 "mxctl: mx set: die Eingabe ist keine gültige MX-Konfiguration\n"),
              stderr);
        goto out;
    }
    rc = EXIT_OK;
out:
    mx_problems_free(&probs);
    cJSON_free(request);
    cJSON_Delete(edit);
    cJSON_Delete(root);
    free(text);
    return rc;
}

static int cmd_mx_set(struct api_client *c, const char *name)
{
    struct mx_config cfg = {0};
    long long version = -1;
    struct api_result *res = NULL;
    int rc = read_request(&cfg, &version);
    if (rc)
        goto out;
    if (version < 0) {
        /* Editable fields alone: the version is the one on the server right now. */
        struct api_sync s = {0};
        rc = run(c, api_start_mx_get(c, name, api_sync_done, &s), &s, &res);
        if (rc)
            goto out;
        version = api_etag_version(res->mx->etag);
        if (version < 0)
            version = res->mx->config.version;
        api_result_free(&res);
    }
    struct api_sync s = {0};
    rc = run(c, api_start_mx_put(c, name, &cfg, version, api_sync_done, &s), &s, &res);
    if (rc)
        goto out;
    print_config_json(stdout, &res->mx->config);
    for (size_t i = 0; i < res->mx->n_warnings; i++) {
        fputs(tr("mxctl: warning: ", "mxctl: Warnung: "), stderr);
        print_details(&res->mx->warnings[i], 1);
    }
out:
    api_result_free(&res);
    mx_config_clear(&cfg);
    return rc;
}

static int cmd_mx_check(struct api_client *c, const char *name, char **hosts, size_t n)
{
    struct api_sync s = {0};
    struct api_result *res;
    if (n == 0 || n > 16) {
        fputs(tr("mxctl: mx check: name 1 to 16 hosts\n",
                 "mxctl: mx check: bitte 1 bis 16 Hosts angeben\n"),
              stderr);
        return EXIT_USAGE;
    }
    int rc = run(c, api_start_mx_check(c, name, (const char *const *)hosts, n, api_sync_done, &s),
                 &s, &res);
    if (rc)
        return rc;
    static const char *const verdicts[] = {"accept", "warn", "reject"};
    for (size_t i = 0; i < res->check->count; i++) {
        const struct api_check_result *x = &res->check->items[i];
        out_text(stdout, x->host);
        printf("\t%s\t", verdicts[x->verdict]);
        out_text(stdout, x->code);
        fputc('\t', stdout);
        out_text(stdout, x->message);
        fputc('\n', stdout);
        if (x->verdict == MX_SEV_REJECT)
            rc = EXIT_VALIDATION;
    }
    api_result_free(&res);
    return rc;
}

static int cmd_history(struct api_client *c, const char *name)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_history(c, name, 0, 500, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    for (size_t i = 0; i < res->history->count; i++) {
        const struct api_history_entry *e = &res->history->items[i];
        printf("#%lld v%lld ", e->id, e->version);
        out_text(stdout, e->at);
        fputc(' ', stdout);
        out_text(stdout, e->actor);
        if (e->on_behalf_of) {
            fputs(tr(" for ", " für "), stdout);
            out_text(stdout, e->on_behalf_of);
        }
        fputc(' ', stdout);
        out_text(stdout, e->action);
        fputs(": ", stdout);
        if (e->has_before)
            print_summary(stdout, &e->before);
        else
            fputs("-", stdout);
        fputs(" -> ", stdout);
        print_summary(stdout, &e->after);
        fputc('\n', stdout);
    }
    api_result_free(&res);
    return EXIT_OK;
}

static int cmd_provider(struct api_client *c)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_provider(c, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    char *json = mx_profile_to_json(res->profile);
    cJSON *tree = json ? cJSON_Parse(json) : NULL;
    char *pretty = tree ? cJSON_Print(tree) : NULL;
    if (pretty) {
        out_json(stdout, pretty);
        fputc('\n', stdout);
    }
    cJSON_free(pretty);
    cJSON_Delete(tree);
    free(json);
    api_result_free(&res);
    return pretty ? EXIT_OK : EXIT_SERVER;
}

/* Checks the command's arity before anything is asked or sent. */
static bool command_ok(int argc, char **argv)
{
    if (argc < 1)
        return false;
    const char *cmd = argv[0];
    if (strcmp(cmd, "customers") == 0 || strcmp(cmd, "domains") == 0 || strcmp(cmd, "dns") == 0 ||
        strcmp(cmd, "history") == 0)
        return argc == 2;
    if (strcmp(cmd, "packages") == 0)
        return argc <= 2;
    if (strcmp(cmd, "provider") == 0)
        return argc == 1;
    if (strcmp(cmd, "mx") == 0 && argc >= 3) {
        if (strcmp(argv[1], "get") == 0 || strcmp(argv[1], "set") == 0)
            return argc == 3;
        return strcmp(argv[1], "check") == 0 && argc >= 4;
    }
    return false;
}

static int dispatch(struct api_client *c, int argc, char **argv, const struct opts *o,
                    const char *customer)
{
    const char *cmd = argv[0];
    if (strcmp(cmd, "customers") == 0)
        return cmd_customers(c, argv[1]);
    if (strcmp(cmd, "packages") == 0)
        return cmd_packages(c, argc == 2 ? argv[1] : customer);
    if (strcmp(cmd, "domains") == 0)
        return cmd_domains(c, argv[1], o->filter);
    if (strcmp(cmd, "dns") == 0)
        return cmd_dns(c, argv[1]);
    if (strcmp(cmd, "history") == 0)
        return cmd_history(c, argv[1]);
    if (strcmp(cmd, "provider") == 0)
        return cmd_provider(c);
    if (strcmp(argv[1], "get") == 0)
        return cmd_mx_get(c, argv[2]);
    if (strcmp(argv[1], "set") == 0)
        return cmd_mx_set(c, argv[2]);
    return cmd_mx_check(c, argv[2], argv + 3, (size_t)argc - 3);
}

int main(int argc, char **argv)
{
    struct opts o = {.api = getenv("MXTUI_API"), .timeout_s = 30};
    const char *env_lang = getenv("LC_ALL");
    if (!env_lang || !*env_lang)
        env_lang = getenv("LC_MESSAGES");
    if (!env_lang || !*env_lang)
        env_lang = getenv("LANG");
    lang = mx_lang_from_string(env_lang);

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
                return EXIT_USAGE;
            }
            lang = mx_lang_from_string(optarg);
            break;
        case 't':
            o.timeout_s = strtol(optarg, NULL, 10);
            if (o.timeout_s <= 0 || o.timeout_s > 3600) {
                usage(stderr);
                return EXIT_USAGE;
            }
            break;
        case 'f':
            o.filter = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    /* `domains PACKAGE --filter TEXT`: the filter may follow the command too. */
    int n = argc - optind;
    char **args = argv + optind;
    if (n == 4 && strcmp(args[0], "domains") == 0 && strcmp(args[2], "--filter") == 0) {
        o.filter = args[3];
        n = 2;
    }
    if (!o.api || !o.login || !command_ok(n, args)) {
        usage(stderr);
        return EXIT_USAGE;
    }

    enum api_status st = API_OK;
    struct api_client_options co = {.base_url = o.api,
                                    .cacert = o.cacert,
                                    .allow_insecure_http = o.insecure_http,
                                    .timeout_ms = o.timeout_s * 1000,
                                    .lang = lang};
    struct api_client *c = api_client_new(&co, &st);
    if (!c) {
        fputs("mxctl: ", stderr);
        out_text(stderr, o.api);
        fprintf(stderr, ": %s\n", api_status_message(st, lang));
        return st == API_ERR_BAD_REQUEST ? EXIT_USAGE : exit_for(st);
    }
    char customer[128] = "";
    int rc = do_login(c, &o, customer, sizeof(customer));
    if (rc == EXIT_OK) {
        rc = dispatch(c, n, args, &o, customer);
        struct api_sync s = {0};
        struct api_result *res = api_sync_wait(c, api_start_logout(c, api_sync_done, &s), &s);
        api_result_free(&res);
    }
    api_client_free(&c);
    return rc;
}
