/* The MX editor's server rows: making and removing them, the rules of api/mx_rules on every
 * keystroke (the mark and the message under the host field, the mark on a priority drop-down),
 * and the DNS check a moment after typing stops in a valid field — an answer for a text that
 * has changed since is dropped, so an old answer never lands on a new text. */
#include "tui/i18n.h"
#include "tui/mxedit.h"
#include "tui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long typing must pause before a host is checked in DNS. */
enum { CHECK_PAUSE_MS = 400 };

static const char *row_label(bool backup)
{
    return backup ? _("Backup") : _("Primary");
}

int mxe_host_label_width(void)
{
    const char *labels[] = {_("Primary"), _("Backup")};
    return ui_label_width(labels, 2) + 3; /* "Primary 3 " */
}

static void relabel(struct mxedit *e)
{
    int np = 0, nb = 0;
    for (size_t i = 0; i < e->n_rows; i++) {
        struct mxe_row *r = e->rows[i];
        char label[64];
        snprintf(label, sizeof label, "%s %d", row_label(r->backup), r->backup ? ++nb : ++np);
        field_set_label(r->host, label);
    }
}

struct mxe_row *mxe_row_new(struct mxedit *e, bool backup, const char *host, long priority)
{
    struct mxe_row *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->id = e->next_id++;
    r->backup = backup;
    const struct mx_profile *p = app_profile(e->base.app);
    /* The drop-down offers the profile's options; a stored value that is not one of them is
     * shown and kept, in its place. */
    size_t n = 0;
    bool have = false;
    for (size_t i = 0; i < p->n_priority_options && n < MX_PROFILE_MAX_ITEMS; i++) {
        if (!have && priority < p->priority_options[i]) {
            r->prio_values[n++] = priority;
            have = true;
        }
        if (p->priority_options[i] == priority)
            have = true;
        r->prio_values[n++] = p->priority_options[i];
    }
    if (!have)
        r->prio_values[n++] = priority;
    r->n_prio = n;
    char texts[MX_PROFILE_MAX_ITEMS + 1][24];
    const char *opts[MX_PROFILE_MAX_ITEMS + 1];
    size_t sel = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(texts[i], sizeof texts[i], "%ld", r->prio_values[i]);
        opts[i] = texts[i];
        if (r->prio_values[i] == priority)
            sel = i;
    }
    const char *plabel = _("Priority");
    r->host = field_new(row_label(backup), mxe_host_label_width(), 34, MX_HOST_INPUT_MAX, 0);
    r->prio = dropdown_new(plabel, ui_label_width(&plabel, 1) + 1, 7, opts, n, sel);
    if (!r->host || !r->prio) {
        field_free(&r->host);
        dropdown_free(&r->prio);
        free(r);
        return NULL;
    }
    if (host)
        field_set_text(r->host, host);
    r->host_code = MX_EMPTY;
    return r;
}

struct mxe_row *mxe_row_of(struct mxedit *e, const struct widget *w)
{
    for (size_t i = 0; i < e->n_rows; i++)
        if (field_widget(e->rows[i]->host) == w || dropdown_widget(e->rows[i]->prio) == w)
            return e->rows[i];
    return NULL;
}

bool mxe_custom(const struct mxedit *e)
{
    return toggle_selected(e->mode) == 1;
}

size_t mxe_count(const struct mxedit *e, bool backup)
{
    size_t n = 0;
    for (size_t i = 0; i < e->n_rows; i++)
        n += e->rows[i]->backup == backup;
    return n;
}

long mxe_next_priority(const struct mxedit *e, bool backup)
{
    const struct mx_profile *p = app_profile(e->base.app);
    long highest = -1; /* the highest preference in use that the new row must follow */
    for (size_t i = 0; i < e->n_rows; i++) {
        const struct mxe_row *r = e->rows[i];
        long v = r->prio_values[dropdown_selected(r->prio)];
        if ((backup || !r->backup) && v > highest)
            highest = v;
    }
    for (size_t i = 0; i < p->n_priority_options; i++) {
        long v = p->priority_options[i];
        if (backup ? v > highest && v >= 10 : v >= (highest < 0 ? 10 : highest))
            return v;
    }
    return p->n_priority_options ? p->priority_options[p->n_priority_options - 1] : 10;
}

int mxe_row_insert(struct mxedit *e, struct mxe_row *r)
{
    if (e->n_rows == MXE_MAX_ROWS) {
        field_free(&r->host);
        dropdown_free(&r->prio);
        free(r);
        return -1;
    }
    /* In the array: primaries first, then backups. */
    size_t at = e->n_rows;
    if (!r->backup)
        for (at = 0; at < e->n_rows && !e->rows[at]->backup; at++)
            ;
    /* In the form: after the block's last row, or after what comes before the block. */
    struct widget *after = at > 0 ? dropdown_widget(e->rows[at - 1]->prio) : toggle_widget(e->mode);
    size_t fi = form_index(e->base.form, after) + 1;
    if (!form_insert(e->base.form, fi, field_widget(r->host))) {
        dropdown_free(&r->prio);
        free(r);
        return -1;
    }
    if (!form_insert(e->base.form, fi + 1, dropdown_widget(r->prio))) {
        form_remove(e->base.form, field_widget(r->host));
        free(r);
        return -1;
    }
    memmove(&e->rows[at + 1], &e->rows[at], (e->n_rows - at) * sizeof(struct mxe_row *));
    e->rows[at] = r;
    e->n_rows++;
    relabel(e);
    return 0;
}

void mxe_row_remove(struct mxedit *e, struct mxe_row *r)
{
    size_t at = 0;
    while (at < e->n_rows && e->rows[at] != r)
        at++;
    if (at == e->n_rows)
        return;
    app_cancel(&e->base, MXE_TAG_CHECK + r->id);
    app_timer_cancel(&e->base, MXE_TIMER_CHECK + r->id);
    memmove(&e->rows[at], &e->rows[at + 1], (e->n_rows - at - 1) * sizeof(struct mxe_row *));
    e->n_rows--;
    form_remove(e->base.form, field_widget(r->host));
    form_remove(e->base.form, dropdown_widget(r->prio));
    free(r);
    relabel(e);
}

static long row_priority(const struct mxe_row *r)
{
    return r->prio_values[dropdown_selected(r->prio)];
}

int mxe_build(struct mxedit *e, struct mx_config *cfg)
{
    mx_config_clear(cfg);
    if (e->base_cfg) {
        ui_copy(cfg->domain, sizeof cfg->domain, e->base_cfg->domain);
        ui_copy(cfg->display_name, sizeof cfg->display_name, e->base_cfg->display_name);
        cfg->kind = e->base_cfg->kind;
        cfg->version = e->version;
    }
    size_t m = toggle_selected(e->mode);
    cfg->mode = m == 1 ? MX_MODE_CUSTOM : m == 2 ? MX_MODE_NONE : MX_MODE_PROVIDER;
    if (cfg->mode != MX_MODE_CUSTOM)
        return 0;
    for (size_t i = 0; i < e->n_rows; i++) {
        const struct mxe_row *r = e->rows[i];
        char host[MX_HOST_SIZE];
        ui_copy(host, sizeof host, r->host_code == MX_OK ? r->norm.ascii : field_text(r->host));
        if (mx_config_add_entry(cfg, r->backup, host, row_priority(r)))
            return -1;
    }
    cfg->provider_backup = checkbox_checked(e->pbackup);
    return 0;
}

struct mxe_row *mxe_row_by_field(struct mxedit *e, const char *field, bool *prio)
{
    bool backup = !strncmp(field, "backup[", 7);
    if (!backup && strncmp(field, "primary[", 8) != 0)
        return NULL;
    const char *p = field + (backup ? 7 : 8);
    size_t idx = (size_t)strtoul(p, NULL, 10);
    *prio = strstr(field, ".priority") != NULL;
    size_t k = 0;
    for (size_t i = 0; i < e->n_rows; i++)
        if (e->rows[i]->backup == backup && k++ == idx)
            return e->rows[i];
    return NULL;
}

static void check_text(struct mxe_row *r, const struct api_check_result *c)
{
    enum mx_code code = c->code_value >= 0 ? (enum mx_code)c->code_value : MX_OK;
    switch (c->verdict) {
    case MX_SEV_OK:
        if (c->n_a)
            snprintf(r->verdict_text, sizeof r->verdict_text, "%s%s", c->a[0],
                     c->n_a > 1 ? " …" : "");
        else
            ui_copy(r->verdict_text, sizeof r->verdict_text, _("found in DNS"));
        break;
    case MX_SEV_REJECT:
        if (code == MX_CNAME_TARGET && c->cname)
            snprintf(r->verdict_text, sizeof r->verdict_text,
                     _("alias of %s — an MX target must not be a CNAME"), c->cname);
        else if (code == MX_NO_ADDRESS)
            ui_copy(r->verdict_text, sizeof r->verdict_text, _("no A record"));
        else
            ui_copy(r->verdict_text, sizeof r->verdict_text, c->message);
        break;
    case MX_SEV_WARN:
        if (code == MX_AAAA_ONLY)
            ui_copy(r->verdict_text, sizeof r->verdict_text,
                    _("only an AAAA record — the provider asks for an A record"));
        else if (code == MX_UNVERIFIABLE)
            ui_copy(r->verdict_text, sizeof r->verdict_text, _("could not be checked"));
        else
            ui_copy(r->verdict_text, sizeof r->verdict_text, c->message);
        break;
    }
    r->verdict = c->verdict;
}

/* The mark and the message under a row's host field, most urgent first. */
static void show_row(struct mxedit *e, struct mxe_row *r)
{
    enum mx_lang lang = i18n_lang();
    char msg[700];
    bool idn = r->host_code == MX_OK && strcmp(r->norm.ascii, r->norm.display) != 0;
    char forms[MX_HOST_SIZE + 8] = "";
    if (idn)
        snprintf(forms, sizeof forms, "%s %s · ", draw_symbol(SYM_ARROW), r->norm.ascii);
    dropdown_set_state(r->prio, r->prio_code != MX_OK ? FIELD_ERROR : FIELD_NEUTRAL);
    if (r->host_code == MX_EMPTY && !e->show_empty) {
        field_set_state(r->host, FIELD_NEUTRAL,
                        r->prio_code != MX_OK ? mx_code_hint(r->prio_code, lang) : NULL);
        return;
    }
    if (r->host_code != MX_OK) {
        field_set_state(r->host, FIELD_ERROR, mx_code_hint(r->host_code, lang));
    } else if (r->rule_code != MX_OK) {
        field_set_state(r->host, FIELD_ERROR, mx_code_hint(r->rule_code, lang));
    } else if (r->prio_code != MX_OK) {
        snprintf(msg, sizeof msg, "%s%s %s", forms, _("priority:"),
                 mx_code_hint(r->prio_code, lang));
        field_set_state(r->host, FIELD_ERROR, msg);
    } else if (r->look_code != MX_OK &&
               !(!strcmp(r->checked, r->norm.ascii) && r->verdict == MX_SEV_REJECT)) {
        /* Both forms beside the field: what it looks like and what it is. */
        snprintf(msg, sizeof msg, "%s%s", forms, mx_code_hint(r->look_code, lang));
        field_set_state(r->host, FIELD_WARNING, msg);
    } else if (!strcmp(r->checked, r->norm.ascii)) {
        snprintf(msg, sizeof msg, "%s%s", forms, r->verdict_text);
        field_set_state(r->host,
                        r->verdict == MX_SEV_OK     ? FIELD_OK
                        : r->verdict == MX_SEV_WARN ? FIELD_WARNING
                                                    : FIELD_ERROR,
                        msg);
    } else {
        snprintf(msg, sizeof msg, "%s%s", forms, _("checking DNS…"));
        field_set_state(r->host, FIELD_NEUTRAL, msg);
    }
}

/* Starts the pause before the check of a host whose text changed. */
static void schedule_check(struct mxedit *e, struct mxe_row *r)
{
    if (r->host_code != MX_OK) {
        if (r->asked[0]) {
            app_cancel(&e->base, MXE_TAG_CHECK + r->id);
            app_timer_cancel(&e->base, MXE_TIMER_CHECK + r->id);
            r->asked[0] = 0;
        }
        return;
    }
    if (!strcmp(r->norm.ascii, r->checked)) {
        /* Back to a text already answered: what was asked for another one no longer matters. */
        if (r->asked[0]) {
            app_cancel(&e->base, MXE_TAG_CHECK + r->id);
            app_timer_cancel(&e->base, MXE_TIMER_CHECK + r->id);
            r->asked[0] = 0;
        }
        return;
    }
    if (!strcmp(r->norm.ascii, r->asked))
        return;
    /* A new text: whatever was asked for the old one no longer matters. */
    app_cancel(&e->base, MXE_TAG_CHECK + r->id);
    ui_copy(r->asked, sizeof r->asked, r->norm.ascii);
    app_timer(&e->base, MXE_TIMER_CHECK + r->id, CHECK_PAUSE_MS);
}

void mxe_validate(struct mxedit *e)
{
    for (size_t i = 0; i < e->n_rows; i++) {
        struct mxe_row *r = e->rows[i];
        size_t len = field_len(r->host);
        r->host_code = len ? mx_host_normalize(field_text(r->host), len, &r->norm) : MX_EMPTY;
        r->rule_code = r->prio_code = r->look_code = MX_OK;
    }
    struct mx_config cfg = {0};
    struct mx_problems probs = {0};
    if (mxe_build(e, &cfg) == 0 && cfg.mode == MX_MODE_CUSTOM) {
        mx_config_validate(&cfg, app_profile(e->base.app), &probs);
        for (size_t i = 0; i < probs.count; i++) {
            bool prio = false;
            struct mxe_row *r = mxe_row_by_field(e, probs.items[i].field, &prio);
            if (!r)
                continue;
            if (prio)
                r->prio_code = probs.items[i].code;
            else if (mx_code_severity(probs.items[i].code) == MX_SEV_WARN)
                r->look_code = probs.items[i].code; /* a name to confirm, not to refuse */
            else if (r->host_code == MX_OK && r->rule_code == MX_OK)
                r->rule_code = probs.items[i].code; /* a duplicate: the later one is marked */
        }
    }
    for (size_t i = 0; i < e->n_rows; i++) {
        schedule_check(e, e->rows[i]);
        show_row(e, e->rows[i]);
    }
    mx_problems_free(&probs);
    mx_config_clear(&cfg);
    app_dirty(e->base.app);
}

struct mxe_row *mxe_row_by_id(struct mxedit *e, int id)
{
    for (size_t i = 0; i < e->n_rows; i++)
        if (e->rows[i]->id == id)
            return e->rows[i];
    return NULL;
}

void mxe_check_timer(struct mxedit *e, int tag)
{
    struct mxe_row *r = mxe_row_by_id(e, tag - MXE_TIMER_CHECK);
    if (!r || !r->asked[0])
        return;
    if (r->host_code != MX_OK || strcmp(r->asked, r->norm.ascii) != 0) {
        r->asked[0] = 0; /* the text moved on: the next change schedules its own check */
        return;
    }
    const char *hosts[] = {r->asked};
    struct app_call call = {
        .call = API_CALL_MX_CHECK, .str = e->name, .hosts = hosts, .n_hosts = 1, .quiet = true};
    app_request(&e->base, MXE_TAG_CHECK + r->id, &call);
}

void mxe_check_result(struct mxedit *e, int tag, struct api_result *res)
{
    struct mxe_row *r = mxe_row_by_id(e, tag - MXE_TAG_CHECK);
    if (!r || res->status == API_ERR_CANCELLED)
        return;
    /* Only an answer for the text the field holds now counts. */
    if (!r->asked[0] || r->host_code != MX_OK || strcmp(r->asked, r->norm.ascii) != 0)
        return;
    if (res->status == API_OK && res->check->count) {
        check_text(r, &res->check->items[0]);
    } else {
        r->verdict = MX_SEV_WARN;
        snprintf(r->verdict_text, sizeof r->verdict_text, "%s (%s)", _("could not be checked"),
                 res->error.message);
    }
    ui_copy(r->checked, sizeof r->checked, r->asked);
    r->asked[0] = 0;
    show_row(e, r);
    app_dirty(e->base.app);
}

struct widget *mxe_first_problem(struct mxedit *e, char *why, size_t size)
{
    enum mx_lang lang = i18n_lang();
    struct mx_config cfg = {0};
    struct widget *w = NULL;
    if (mxe_build(e, &cfg)) {
        ui_copy(why, size, _("Out of memory."));
        return toggle_widget(e->mode);
    }
    if (cfg.mode == MX_MODE_CUSTOM && !e->facts.own_possible) {
        snprintf(why, size, "%s %s", _("An own mail server is not possible for this name:"),
                 e->facts.reasons);
        w = toggle_widget(e->mode);
        goto out;
    }
    if (cfg.mode != MX_MODE_CUSTOM)
        goto out;
    if (!cfg.n_primary) {
        ui_copy(why, size,
                _("An own mail server needs at least one primary server (Ins adds "
                  "one)."));
        w = toggle_widget(e->mode);
        goto out;
    }
    for (size_t i = 0; i < e->n_rows && !w; i++) {
        struct mxe_row *r = e->rows[i];
        char label[64];
        snprintf(label, sizeof label, "%s", r->host ? field_widget(r->host)->name : "");
        enum mx_code c = r->host_code != MX_OK ? r->host_code : r->rule_code;
        if (c != MX_OK) {
            snprintf(why, size, "%s: %s", label, mx_code_message(c, lang));
            w = field_widget(r->host);
        } else if (r->prio_code != MX_OK) {
            snprintf(why, size, "%s: %s", label, mx_code_message(r->prio_code, lang));
            w = dropdown_widget(r->prio);
        } else if (r->verdict == MX_SEV_REJECT && !strcmp(r->checked, r->norm.ascii)) {
            snprintf(why, size, "%s: %s", label, r->verdict_text);
            w = field_widget(r->host);
        }
    }
    if (!w) {
        struct mx_problems probs = {0};
        mx_config_validate(&cfg, app_profile(e->base.app), &probs);
        for (size_t i = 0; i < probs.count && !w; i++) {
            if (mx_code_severity(probs.items[i].code) != MX_SEV_REJECT)
                continue; /* warnings are confirmed, not refused */
            snprintf(why, size, "%s", mx_code_message(probs.items[i].code, lang));
            w = !strcmp(probs.items[i].field, "provider_backup") ? checkbox_widget(e->pbackup)
                                                                 : toggle_widget(e->mode);
        }
        mx_problems_free(&probs);
    }
out:
    mx_config_clear(&cfg);
    return w;
}

size_t mxe_warnings(struct mxedit *e, char lines[][300], size_t max)
{
    size_t n = 0;
    if (!mxe_custom(e))
        return 0;
    for (size_t i = 0; i < e->n_rows && n < max; i++) {
        const struct mxe_row *r = e->rows[i];
        if (r->host_code != MX_OK)
            continue;
        if (r->look_code != MX_OK)
            ui_format(lines[n++], 300, "%s (%s): %s", r->norm.display, r->norm.ascii,
                      mx_code_message(r->look_code, i18n_lang()));
        if (n == max)
            break;
        if (!strcmp(r->checked, r->norm.ascii) && r->verdict == MX_SEV_WARN)
            ui_format(lines[n++], 300, "%s: %s", r->norm.ascii, r->verdict_text);
        else if (strcmp(r->checked, r->norm.ascii) != 0)
            ui_format(lines[n++], 300, "%s: %s", r->norm.ascii,
                      _("not checked yet: the server checks it when saving"));
    }
    return n;
}
