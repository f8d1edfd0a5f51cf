/* mxctl_report: exit statuses, the message language and error reports of mxctl. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"
#include "cli/mxctl.h"
#include "cli/mxctl_out.h"

static enum mx_lang lang = MX_LANG_EN;

enum mx_lang mxctl_lang(void)
{
    return lang;
}

void mxctl_set_lang(enum mx_lang l)
{
    lang = l;
}

const char *mxctl_tr(const char *en, const char *de)
{
    return lang == MX_LANG_DE ? de : en;
}

int mxctl_exit_for(enum api_status st)
{
    switch (st) {
    case API_OK:
        return MXCTL_EXIT_OK;
    case API_ERR_NETWORK:
    case API_ERR_TLS:
    case API_ERR_TIMEOUT:
    case API_ERR_INSECURE:
        return MXCTL_EXIT_NETWORK;
    case API_ERR_UNAUTHORIZED:
    case API_ERR_SESSION_EXPIRED:
    case API_ERR_INVALID_CREDENTIALS:
    case API_ERR_OTP_REQUIRED:
        return MXCTL_EXIT_AUTH;
    case API_ERR_FORBIDDEN:
    case API_ERR_NOT_FOUND:
        return MXCTL_EXIT_NOT_FOUND;
    case API_ERR_CONFLICT:
        return MXCTL_EXIT_CONFLICT;
    case API_ERR_VALIDATION:
        return MXCTL_EXIT_VALIDATION;
    case API_ERR_RATE_LIMITED:
        return MXCTL_EXIT_RATE_LIMITED;
    default:
        return MXCTL_EXIT_SERVER;
    }
}

void mxctl_print_details(const struct api_detail *d, size_t n)
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

void mxctl_print_config(FILE *f, const struct mx_config *cfg)
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

void mxctl_print_publication(FILE *f, const struct mx_config *cfg)
{
    const struct mx_publication *p = &cfg->publication;
    fputs(mxctl_tr("publication: ", "Veröffentlichung: "), f);
    out_text(f, p->state[0] ? p->state : "disabled");
    fprintf(f, mxctl_tr(", version %lld", ", Version %lld"), p->version);
    if (p->at[0]) {
        fputs(mxctl_tr(", at ", ", am "), f);
        out_text(f, p->at);
    }
    if (p->error[0]) {
        fputs(": ", f);
        out_text(f, p->error);
    }
    fputc('\n', f);
    if (strcmp(p->state, "disabled") == 0 || !p->state[0])
        return;
    fputs(mxctl_tr("DNS answers: ", "DNS antwortet: "), f);
    if (!p->has_dns)
        fputs(mxctl_tr("(no answer from the name server)", "(keine Antwort vom Nameserver)"), f);
    else if (p->n_dns == 0)
        fputs(mxctl_tr("(no MX records)", "(keine MX-Einträge)"), f);
    for (size_t i = 0; p->has_dns && i < p->n_dns; i++) {
        fprintf(f, "%s%ld ", i ? ", " : "", p->dns[i].priority);
        out_text(f, p->dns[i].host);
    }
    fputc('\n', f);
}

/* Prints a failed result to stderr with every detail; returns its exit status. */
int mxctl_report(const struct api_result *res)
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
    mxctl_print_details(res->error.details, res->error.n_details);
    if (res->status == API_ERR_RATE_LIMITED && res->error.retry_after >= 0)
        fprintf(stderr, mxctl_tr("  retry after %ld s\n", "  erneut versuchen in %ld s\n"),
                res->error.retry_after);
    if (res->status == API_ERR_CONFLICT && res->error.current) {
        fputs(mxctl_tr("  the configuration on the server now:\n",
                       "  die Konfiguration auf dem Server ist jetzt:\n"),
              stderr);
        mxctl_print_config(stderr, res->error.current);
    }
    return mxctl_exit_for(res->status);
}
