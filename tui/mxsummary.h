/* mxsummary: the words mxtui uses for MX configurations — one-line summaries (history rows),
 * the delivery order, and the text of the confirmation that a save or a restore asks for
 * (before and after side by side, the warnings to confirm, what changes for mail). Pure text,
 * translated; no terminal. */
#ifndef TUI_MXSUMMARY_H
#define TUI_MXSUMMARY_H

#include "api/mx_model.h"

#include <stdbool.h>
#include <stddef.h>

/* What the confirmation needs to know beyond the two configurations. */
struct mxs_context {
    const char *display;              /* the name as shown */
    const struct mx_profile *profile; /* for the effective records */
    long mailboxes, forwards;         /* of this name in the provider's mail system (-1: unknown) */
    const char *const *warnings;      /* lines to confirm ("v6.example.de.: only AAAA"), may be 0 */
    size_t n_warnings;
    int width; /* columns the text is wrapped to (for the two columns) */
};

/* "Own mail server: 10 mail.example.de., 50 mx2.example.de., provider backup" into buf. */
char *mxs_one_line(char *buf, size_t size, const struct mx_config *cfg,
                   const struct mx_profile *profile);

/* The delivery order of cfg: "1. mail.example.de. → 2. mx2.example.de. → backup: mx.example.net.
 * → provider backup"; equal priorities share a place ("1. a. + b."). Only hosts given are
 * listed (rows still empty are left out). */
char *mxs_delivery_order(char *buf, size_t size, const struct mx_config *cfg,
                         const struct mx_profile *profile);

/* The confirmation's text for changing before into after (either may have records derived or
 * not: they are derived here). */
char *mxs_confirm_text(char *buf, size_t size, const struct mx_config *before,
                       const struct mx_config *after, const struct mxs_context *ctx);

/* The effective records of before and after side by side, under the headings left and right,
 * wrapped to width columns. */
char *mxs_before_after(char *buf, size_t size, const struct mx_config *before,
                       const struct mx_config *after, const struct mx_profile *profile,
                       const char *left, const char *right, int width);

/* How many things change from before to after: the mode, each entry added, removed or changed,
 * the provider backup. */
int mxs_changes(const struct mx_config *before, const struct mx_config *after);

#endif
