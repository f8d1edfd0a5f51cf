/* Saving in the MX editor: the rules first (the focus goes to the first field that breaks one,
 * and the status line says why), then a confirmation with before and after, the warnings to
 * confirm and the consequences, then the PUT with the version the edit is based on. A stale
 * save (409) shows what changed meanwhile and offers to reload or to apply the edit again on
 * the new version; nothing is overwritten silently. After saving, the publication state is
 * followed while it is pending. */
#include "tui/i18n.h"
#include "tui/mxedit.h"
#include "tui/mxsummary.h"
#include "tui/ui.h"
#include "tui/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How often, and how long, a pending publication is asked for again. */
enum { POLL_MS = 1000, POLL_MAX = 60 };

void mxe_outcome(struct mxedit *e, enum role role, const char *text)
{
    ui_copy(e->outcome, sizeof e->outcome, text ? text : "");
    e->outcome_role = role;
    mxe_relayout(e);
}

bool mxe_dirty(struct mxedit *e)
{
    if (!e->base_cfg)
        return false;
    struct mx_config now = {0};
    if (mxe_build(e, &now))
        return true;
    bool dirty = mxs_changes(e->base_cfg, &now) != 0;
    mx_config_clear(&now);
    return dirty;
}

/* Leaves the editor the way the "unsaved changes" question was asked for: F10 quits, Esc goes
 * back one screen. Frees e. */
static void leave(struct mxedit *e)
{
    struct app *a = e->base.app;
    e->leave_after_save = false;
    if (e->leave_why == LEAVE_QUIT)
        app_quit(a);
    else if (app_top(a) == &e->base)
        app_pop(a);
}

bool mxe_save(struct mxedit *e)
{
    struct app *a = e->base.app;
    e->show_empty = true;
    mxe_validate(e);
    char why[1200];
    struct widget *w = mxe_first_problem(e, why, sizeof why);
    if (w) {
        form_focus(e->base.form, w);
        mxe_relayout(e);
        app_status(a, ROLE_ERROR, _("Not saved: %s"), why);
        e->leave_after_save = false;
        return false;
    }
    if (app_top(a) != &e->base)
        return false; /* a confirmation is open already */
    if (!mxe_dirty(e)) {
        app_status(a, ROLE_STATUS, "%s", _("Nothing to save: the MX record is as it was loaded."));
        if (e->leave_after_save) {
            leave(e);
            return true;
        }
        return false;
    }
    mx_config_free(&e->pending_after);
    e->pending_after = mx_config_new();
    if (!e->pending_after || mxe_build(e, e->pending_after)) {
        app_status(a, ROLE_ERROR, "%s", _("Out of memory."));
        return false;
    }
    char warns[MXE_MAX_ROWS][300];
    const char *wp[MXE_MAX_ROWS];
    size_t nw = mxe_warnings(e, warns, MXE_MAX_ROWS);
    for (size_t i = 0; i < nw; i++)
        wp[i] = warns[i];
    struct mxs_context ctx = {.display = e->display,
                              .profile = app_profile(a),
                              .mailboxes = e->facts.mailboxes,
                              .forwards = e->facts.forwards,
                              .warnings = wp,
                              .n_warnings = nw,
                              .width = e->area.w - 10};
    static char text[8192];
    mxs_confirm_text(text, sizeof text, e->base_cfg, e->pending_after, &ctx);
    int n = mxs_changes(e->base_cfg, e->pending_after);
    char action[128];
    snprintf(action, sizeof action, P_("Save %d change", "Save %d changes", n), n);
    char title[1200];
    ui_format(title, sizeof title, _("Save the MX record of %s?"), e->display);
    app_push(a, confirm_view_new(a, &e->base, MXE_DLG_CONFIRM, title, text, action, true,
                                 app_is_staff(a), e->reason, sizeof e->reason));
    return false;
}

static void send_put(struct mxedit *e)
{
    struct app_call call = {.call = API_CALL_MX_PUT,
                            .str = e->name,
                            .cfg = e->pending_after,
                            .version = e->version,
                            .reason = e->reason,
                            .label = _("Saving the MX record…")};
    app_request(&e->base, MXE_TAG_PUT, &call);
}

static void show_stale(struct mxedit *e)
{
    char theirs[1024], mine[1024], text[3000];
    const struct mx_profile *p = app_profile(e->base.app);
    mxs_one_line(theirs, sizeof theirs, e->stale, p);
    mxs_one_line(mine, sizeof mine, e->pending_after, p);
    snprintf(text, sizeof text,
             _("The MX record of %s was changed while you edited it: version %lld, by %s at "
               "%s.\n\nNow: %s\n\nYour edit (not saved): %s\n\nNothing was overwritten. Reload "
               "to drop your edit, or apply your edit again on top of version %lld (you confirm "
               "it once more)."),
             e->display, e->stale->version, e->stale->updated_by, e->stale->updated_at, theirs,
             mine, e->stale->version);
    const char *buttons[] = {_("Keep editing"), _("Reload (drop mine)"), _("Apply mine again")};
    app_dialog(&e->base, MXE_DLG_STALE, _("Changed meanwhile"), text, buttons, 3, 0);
}

void mxe_save_dialog(struct mxedit *e, int tag, int choice)
{
    struct app *a = e->base.app;
    if (tag == MXE_DLG_CONFIRM) {
        if (choice == 1) {
            send_put(e);
        } else {
            app_status(a, ROLE_STATUS, "%s", _("Not saved: your edit is still here."));
            e->leave_after_save = false;
        }
        return;
    }
    if (tag != MXE_DLG_STALE || !e->stale)
        return;
    if (choice != 2)
        e->leave_after_save = false; /* the question to leave is answered by staying */
    if (choice == 1) {
        /* Reload: the server's version becomes the form. */
        mxe_loaded(e, e->stale);
        mx_config_free(&e->stale);
        mxe_outcome(e, ROLE_STATUS, _("Reloaded: your edit was dropped."));
    } else if (choice == 2) {
        /* Apply mine again: the edit stays, based on the new version. */
        mx_config_free(&e->base_cfg);
        e->base_cfg = e->stale;
        e->stale = NULL;
        e->version = e->base_cfg->version;
        mxe_outcome(e, ROLE_STATUS, "");
        mxe_save(e); /* dirty (the edit stays): never frees e */
    } else {
        app_status(a, ROLE_STATUS, "%s",
                   _("Not saved. F2 shows the choice again (the save meets the newer version)."));
    }
}

/* What a support person recognises a server detail by: the host name of the row it names
 * ("v6.example.de."), not the API's field path ("backup[0].host"), which stays for details no
 * row shows. */
static const char *detail_label(struct mxedit *e, const char *field)
{
    bool prio = false;
    struct mxe_row *row = field ? mxe_row_by_field(e, field, &prio) : NULL;
    const char *host = row ? field_text(row->host) : NULL;
    return host && *host ? host : field ? field : "";
}

/* A detail's message in the user's language when its code is one we know. */
static const char *detail_message(const struct api_detail *d)
{
    return d->code_value >= 0 ? mx_code_message((enum mx_code)d->code_value, i18n_lang())
                              : d->message;
}

/* A 422: the server's details on the rows they name. */
static void show_refusal(struct mxedit *e, const struct api_error *err)
{
    char text[1200];
    size_t o = (size_t)snprintf(text, sizeof text, "%s", _("The server refused the save:"));
    struct widget *first = NULL;
    for (size_t i = 0; i < err->n_details && o < sizeof text; i++) {
        const struct api_detail *d = &err->details[i];
        const char *msg = detail_message(d);
        o +=
            (size_t)snprintf(text + o, sizeof text - o, " %s: %s.", detail_label(e, d->field), msg);
        bool prio = false;
        struct mxe_row *row = mxe_row_by_field(e, d->field, &prio);
        if (!row)
            continue;
        if (prio) {
            dropdown_set_state(row->prio, FIELD_ERROR);
            if (!first)
                first = dropdown_widget(row->prio);
        } else {
            field_set_state(row->host, FIELD_ERROR, msg);
            if (!first)
                first = field_widget(row->host);
        }
    }
    if (first)
        form_focus(e->base.form, first);
    mxe_outcome(e, ROLE_ERROR, text);
}

static void saved(struct mxedit *e, const struct api_mx *mx)
{
    struct app *a = e->base.app;
    struct mx_config *copy = mx_config_new();
    if (!copy || mx_config_copy(copy, &mx->config)) {
        mx_config_free(&copy);
        return;
    }
    e->reason[0] = 0;
    app_draft_drop(a);
    mxe_loaded(e, copy); /* the form shows what was stored (A-label forms, the server's order) */
    mx_config_free(&copy);
    copy = e->base_cfg;
    char text[1200];
    size_t o = (size_t)snprintf(text, sizeof text,
                                _("Saved as version %lld. DNS can take up to %d hours to be "
                                  "active everywhere."),
                                copy->version, app_profile(a)->propagation_hours);
    for (size_t i = 0; i < mx->n_warnings && o < sizeof text; i++)
        o += (size_t)snprintf(text + o, sizeof text - o, " %s %s: %s", draw_symbol(SYM_WARNING),
                              detail_label(e, mx->warnings[i].field),
                              detail_message(&mx->warnings[i]));
    /* The focus goes to the buttons, beside the outcome and the publication state. */
    form_focus(e->base.form, button_widget(e->save_btn));
    mxe_outcome(e, ROLE_OK, text);
    app_status(a, ROLE_OK, _("Saved: version %lld."), copy->version);
    e->polls = 0;
    if (!strcmp(copy->publication.state, "pending"))
        app_timer(&e->base, MXE_TIMER_POLL, POLL_MS);
    if (e->leave_after_save)
        leave(e); /* frees e */
}

void mxe_save_result(struct mxedit *e, int tag, struct api_result *res)
{
    struct app *a = e->base.app;
    if (tag == MXE_TAG_POLL) {
        if (res->status != API_OK || !e->base_cfg)
            return;
        /* A deep copy: the result and its publication.dns go when this callback returns. */
        if (res->mx->config.version == e->version &&
            mx_publication_copy(&e->base_cfg->publication, &res->mx->config.publication) == 0)
            app_dirty(a);
        if (strcmp(res->mx->config.publication.state, "pending") != 0)
            return;
        if (++e->polls < POLL_MAX)
            app_timer(&e->base, MXE_TIMER_POLL, POLL_MS);
        else
            app_status(a, ROLE_WARNING, "%s",
                       _("The publication is still pending: opening the MX record again shows its "
                         "state later."));
        return;
    }
    if (tag != MXE_TAG_PUT)
        return;
    switch (res->status) {
    case API_OK:
        saved(e, res->mx);
        break;
    case API_ERR_CONFLICT:
        mx_config_free(&e->stale);
        /* Leaving waits for the answer to what changed meanwhile. */
        e->stale = mx_config_new();
        if (e->stale && res->error.current && mx_config_copy(e->stale, res->error.current) == 0)
            show_stale(e);
        else
            mxe_outcome(e, ROLE_ERROR, res->error.message);
        break;
    case API_ERR_VALIDATION:
        show_refusal(e, &res->error);
        e->leave_after_save = false;
        break;
    case API_ERR_CANCELLED:
        /* The request may have reached the server before it was cancelled: ask it. */
        mxe_outcome(e, ROLE_WARNING,
                    _("Cancelled: the save may have reached the server; the MX record is loaded "
                      "again to show what it holds."));
        e->leave_after_save = false;
        if (!mxe_dirty(e))
            mxe_load(e);
        break;
    default: {
        char text[800];
        snprintf(text, sizeof text, _("Not saved: %s (your edit is still here; F5 tries again)"),
                 res->error.message);
        mxe_outcome(e, ROLE_ERROR, text);
        e->leave_after_save = false;
        break;
    }
    }
}

void mxe_poll_timer(struct mxedit *e)
{
    struct app_call call = {.call = API_CALL_MX_GET, .str = e->name, .quiet = true};
    app_request(&e->base, MXE_TAG_POLL, &call);
}
