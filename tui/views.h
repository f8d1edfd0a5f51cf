/* views: the constructors of mxtui's screens, one file each in tui/. Each returns a view the
 * caller hands to app_push or app_reset (which then own it), or NULL out of memory. Strings
 * are copied. */
#ifndef TUI_VIEWS_H
#define TUI_VIEWS_H

#include "tui/app.h"

/* login.c: customer number or staff login, password, one-time code when asked for. login
 * prefills the first field (may be NULL); why is shown above the fields (idle logout; may be
 * NULL). */
struct view *login_view_new(struct app *a, const char *login, const char *why);
/* login.c: the password asked for again over the current screen after the session expired;
 * login is fixed (the person stays who they were). */
struct view *relogin_view_new(struct app *a, const char *login);
/* customers.c: staff only — find a customer by number, name or domain. */
struct view *customers_view_new(struct app *a);
/* packages.c: a customer's packages (one package goes straight on to its domains). */
struct view *packages_view_new(struct app *a, const char *customer_id, const char *customer_name);
/* domains.c: a package's domains and subdomains, paged from the server, filtered as typed. */
struct view *domains_view_new(struct app *a, long long package_id, const char *package_name);
/* dns.c: the DNS settings of one name; the MX row opens the MX editor. name is the A-label
 * form, display the U-label form. */
struct view *dns_view_new(struct app *a, const char *name, const char *display);

/* confirm.c: a confirmation over the current screen with text, an optional ticket/reason field
 * (required: it must be given) and the buttons Cancel (focused first) and action. The answer
 * reaches owner->ops->dialog(owner, tag, 1) for the action, with the reason copied into
 * reason_out, or (owner, tag, 0) for Cancel and Esc. reason_out prefills the field. */
struct view *confirm_view_new(struct app *a, struct view *owner, int tag, const char *title,
                              const char *text, const char *action, bool ask_reason,
                              bool reason_required, char *reason_out, size_t reason_size);
/* mxedit.c: the MX editor of one name. dns holds the name's DNS overview (preconditions,
 * mailbox and forward counts); copied. */
struct view *mxedit_view_new(struct app *a, const char *name, const char *display,
                             const struct api_dns *dns);
/* history.c: the versions of one name's MX configuration; restore writes a new version.
 * version is the current one (If-Match of a restore); mailboxes/forwards for the confirmation
 * (-1 unknown). */
struct view *history_view_new(struct app *a, const char *name, const char *display,
                              long long version, long mailboxes, long forwards);

#endif
