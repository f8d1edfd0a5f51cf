/* mxctl_cmd: the commands of mxctl — one synchronous call each, output sanitised. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client_sync.h"
#include "api/mx_codec.h"
#include "cli/mxctl.h"
#include "cli/mxctl_out.h"

/* Longest stdin mx set accepts. */
#define INPUT_MAX MX_JSON_MAX_BYTES
/* Waits for a call; on failure prints it and returns its exit status with *out NULL. */
static int run(struct api_client *c, uint64_t id, struct api_sync *s, struct api_result **out)
{
    *out = api_sync_wait(c, id, s);
    if (!*out) {
        fputs(mxctl_tr("mxctl: the request could not be started\n",
                       "mxctl: die Anfrage konnte nicht gestartet werden\n"),
              stderr);
        return id == 0 ? MXCTL_EXIT_USAGE : MXCTL_EXIT_SERVER;
    }
    if ((*out)->status == API_OK)
        return MXCTL_EXIT_OK;
    int rc = mxctl_report(*out);
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
        printf("\t%ld\t", x->packages);
        out_text(stdout, x->matched_domain); /* "-" when the number or name matched */
        fputc('\n', stdout);
    }
    api_result_free(&res);
    return MXCTL_EXIT_OK;
}

static int cmd_packages(struct api_client *c, const char *customer)
{
    struct api_sync s = {0};
    struct api_result *res;
    if (!customer || !*customer) {
        fputs(mxctl_tr("mxctl: packages: a staff account names the customer\n",
                       "mxctl: packages: ein Mitarbeiterkonto muss den Kunden angeben\n"),
              stderr);
        return MXCTL_EXIT_USAGE;
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
    return MXCTL_EXIT_OK;
}

static int cmd_domains(struct api_client *c, const char *package, const char *filter)
{
    char *end = NULL;
    long long pid = strtoll(package, &end, 10);
    if (!*package || *end || pid < 0) {
        fputs(mxctl_tr("mxctl: domains: PACKAGE is a package number\n",
                       "mxctl: domains: PAKET ist eine Paketnummer\n"),
              stderr);
        return MXCTL_EXIT_USAGE;
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
            return MXCTL_EXIT_OK;
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
    printf("\nmailboxes         %ld\nforwards          %ld", d->mailboxes, d->forwards);
    printf("\nown mail server   %s\n", d->own_mail_possible
                                           ? mxctl_tr("possible", "möglich")
                                           : mxctl_tr("not possible", "nicht möglich"));
    for (size_t i = 0; i < d->n_reasons; i++) {
        fputs("  ", stdout);
        out_text(stdout, d->reasons[i].message);
        fputs(" (", stdout);
        out_text(stdout, d->reasons[i].code);
        fputs(")\n", stdout);
    }
    api_result_free(&res);
    return MXCTL_EXIT_OK;
}

static int cmd_mx_get(struct api_client *c, const char *name)
{
    struct api_sync s = {0};
    struct api_result *res;
    int rc = run(c, api_start_mx_get(c, name, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    mxctl_print_config(stdout, &res->mx->config);
    /* For people, beside the JSON that mx set takes back. */
    mxctl_print_publication(stderr, &res->mx->config);
    api_result_free(&res);
    return MXCTL_EXIT_OK;
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
    if (!buf)
        return NULL;
    for (;;) {
        if (n + 1 == cap) {
            char *p = cap > INPUT_MAX ? NULL : realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, stdin);
        if (got == 0)
            break;
        n += got;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Turns stdin into the editable fields; *version gets the version a full `mx get` output
 * carried, or -1. Returns 0 or an exit status. */
static int read_request(struct mx_config *cfg, long long *version)
{
    size_t len = 0;
    int rc = MXCTL_EXIT_USAGE;
    char *text = read_stdin(&len), *request = NULL;
    cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL, *edit = NULL;
    struct mx_problems probs = {0};
    *version = -1;
    if (!cJSON_IsObject(root)) {
        fputs(mxctl_tr("mxctl: mx set: stdin is not a JSON object\n",
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
            fputs(mxctl_tr("mxctl: mx set: unknown field: ", "mxctl: mx set: unbekanntes Feld: "),
                  stderr);
            out_text(stderr, it->string);
            fputc('\n', stderr);
            goto out;
        } else if (strcmp(it->string, "version") == 0) {
            /* Anything but a whole number >= 0 here is no `mx get` output; ignoring it would
             * save over the server's current version, i.e. over a change made meanwhile. */
            double v = cJSON_IsNumber(it) ? it->valuedouble : -1;
            if (!(v >= 0 && v <= 9007199254740992.0) || (double)(long long)v != v) {
                fputs(mxctl_tr("mxctl: mx set: version is not a version number\n",
                               "mxctl: mx set: version ist keine Versionsnummer\n"),
                      stderr);
                goto out;
            }
            *version = (long long)v;
        }
    }
    request = cJSON_PrintUnformatted(edit);
    if (!request)
        goto out;
    if (mx_config_request_from_json(request, strlen(request), cfg, &probs) != MX_OK) {
        for (size_t i = 0; i < probs.count; i++) {
            fputs("  ", stderr);
            out_text(stderr, probs.items[i].field[0] ? probs.items[i].field : "-");
            fprintf(stderr, ": %s (%s)\n", mx_code_message(probs.items[i].code, mxctl_lang()),
                    mx_code_name(probs.items[i].code));
        }
        fputs(mxctl_tr("mxctl: mx set: the input is not a valid MX configuration\n",
                       "mxctl: mx set: die Eingabe ist keine gültige MX-Konfiguration\n"),
              stderr);
        goto out;
    }
    rc = MXCTL_EXIT_OK;
out:
    mx_problems_free(&probs);
    cJSON_free(request);
    cJSON_Delete(edit);
    cJSON_Delete(root);
    free(text);
    return rc;
}

/* The version on the server right now (its ETag), for a save that names none. Returns 0 or
 * an exit status. */
static int current_version(struct api_client *c, const char *name, long long *version)
{
    struct api_sync s = {0};
    struct api_result *res = NULL;
    int rc = run(c, api_start_mx_get(c, name, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    *version = api_etag_version(res->mx->etag);
    if (*version < 0)
        *version = res->mx->config.version;
    api_result_free(&res);
    return MXCTL_EXIT_OK;
}

/* Prints a saved configuration to stdout and its warnings to stderr. */
static void print_saved(const struct api_mx *mx)
{
    mxctl_print_config(stdout, &mx->config);
    mxctl_print_publication(stderr, &mx->config);
    for (size_t i = 0; i < mx->n_warnings; i++) {
        const struct api_detail *w = &mx->warnings[i];
        fputs(mxctl_tr("mxctl: warning: ", "mxctl: Warnung: "), stderr);
        out_text(stderr, w->field[0] ? w->field : "-");
        fputs(": ", stderr);
        out_text(stderr, w->message);
        fputs(" (", stderr);
        out_text(stderr, w->code);
        fputs(")\n", stderr);
    }
}

static int cmd_mx_set(struct api_client *c, const char *name, const char *reason)
{
    struct mx_config cfg = {0};
    long long version = -1;
    struct api_result *res = NULL;
    int rc = read_request(&cfg, &version);
    if (rc)
        goto out;
    /* Editable fields alone: the version is the one on the server right now. */
    if (version < 0 && (rc = current_version(c, name, &version)) != 0)
        goto out;
    struct api_sync s = {0};
    rc = run(c, api_start_mx_put(c, name, &cfg, version, reason, api_sync_done, &s), &s, &res);
    if (rc)
        goto out;
    print_saved(res->mx);
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
        fputs(mxctl_tr("mxctl: mx check: name 1 to 16 hosts\n",
                       "mxctl: mx check: bitte 1 bis 16 Hosts angeben\n"),
              stderr);
        return MXCTL_EXIT_USAGE;
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
            rc = MXCTL_EXIT_VALIDATION;
    }
    api_result_free(&res);
    return rc;
}

static int cmd_restore(struct api_client *c, const char *name, const char *id_text,
                       const char *reason)
{
    char *end = NULL;
    long long id = strtoll(id_text, &end, 10);
    if (!*id_text || *end || id <= 0) {
        fputs(mxctl_tr("mxctl: restore: ID is the number of a history entry\n",
                       "mxctl: restore: ID ist die Nummer eines Verlaufseintrags\n"),
              stderr);
        return MXCTL_EXIT_USAGE;
    }
    long long version = -1;
    int rc = current_version(c, name, &version);
    if (rc)
        return rc;
    struct api_sync s = {0};
    struct api_result *res = NULL;
    rc = run(c, api_start_restore(c, name, id, version, reason, api_sync_done, &s), &s, &res);
    if (rc)
        return rc;
    print_saved(res->mx);
    api_result_free(&res);
    return MXCTL_EXIT_OK;
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
            fputs(mxctl_tr(" for ", " für "), stdout);
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
        if (e->reason) {
            fputs(mxctl_tr("  reason: ", "  Grund: "), stdout);
            out_text(stdout, e->reason);
        }
        fputc('\n', stdout);
    }
    api_result_free(&res);
    return MXCTL_EXIT_OK;
}

static int cmd_access_log(struct api_client *c, const char *customer)
{
    long offset = 0;
    for (;;) {
        struct api_sync s = {0};
        struct api_result *res;
        int rc =
            run(c, api_start_access_log(c, customer, offset, 500, api_sync_done, &s), &s, &res);
        if (rc)
            return rc;
        const struct api_access_log *l = res->access_log;
        for (size_t i = 0; i < l->count; i++) {
            const struct api_access_entry *e = &l->items[i];
            printf("#%lld\t", e->id);
            const char *cols[] = {e->at, e->staff, e->staff_name, e->address, e->via};
            for (size_t k = 0; k < 5; k++) {
                out_text(stdout, cols[k]);
                fputc(k < 4 ? '\t' : '\n', stdout);
            }
        }
        offset += (long)l->count;
        bool more = l->count > 0 && offset < l->total;
        api_result_free(&res);
        if (!more)
            return MXCTL_EXIT_OK;
    }
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
    return pretty ? MXCTL_EXIT_OK : MXCTL_EXIT_SERVER;
}

/* Checks the command's arity before anything is asked or sent. */
bool mxctl_command_ok(int argc, char **argv)
{
    if (argc < 1)
        return false;
    const char *cmd = argv[0];
    if (strcmp(cmd, "customers") == 0 || strcmp(cmd, "domains") == 0 || strcmp(cmd, "dns") == 0 ||
        strcmp(cmd, "history") == 0)
        return argc == 2;
    if (strcmp(cmd, "packages") == 0)
        return argc <= 2;
    if (strcmp(cmd, "restore") == 0)
        return argc == 3;
    if (strcmp(cmd, "access-log") == 0)
        return argc == 2;
    if (strcmp(cmd, "provider") == 0)
        return argc == 1;
    if (strcmp(cmd, "mx") == 0 && argc >= 3) {
        if (strcmp(argv[1], "get") == 0 || strcmp(argv[1], "set") == 0)
            return argc == 3;
        return strcmp(argv[1], "check") == 0 && argc >= 4;
    }
    return false;
}

int mxctl_dispatch(struct api_client *c, int argc, char **argv, const struct mxctl_args *a)
{
    const char *filter = a->filter, *customer = a->customer;
    const char *cmd = argv[0];
    if (strcmp(cmd, "customers") == 0)
        return cmd_customers(c, argv[1]);
    if (strcmp(cmd, "packages") == 0)
        return cmd_packages(c, argc == 2 ? argv[1] : customer);
    if (strcmp(cmd, "domains") == 0)
        return cmd_domains(c, argv[1], filter);
    if (strcmp(cmd, "dns") == 0)
        return cmd_dns(c, argv[1]);
    if (strcmp(cmd, "history") == 0)
        return cmd_history(c, argv[1]);
    if (strcmp(cmd, "restore") == 0)
        return cmd_restore(c, argv[1], argv[2], a->reason);
    if (strcmp(cmd, "access-log") == 0)
        return cmd_access_log(c, argv[1]);
    if (strcmp(cmd, "provider") == 0)
        return cmd_provider(c);
    if (strcmp(argv[1], "get") == 0)
        return cmd_mx_get(c, argv[2]);
    if (strcmp(argv[1], "set") == 0)
        return cmd_mx_set(c, argv[2], a->reason);
    return cmd_mx_check(c, argv[2], argv + 3, (size_t)argc - 3);
}
