/* mxctl: the parts of bin/mxctl its files share — exit statuses, the message language, error
 * reports, and the commands. main, options and the login live in cli/mxctl.c. */
#ifndef MXCTL_H
#define MXCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "api/client.h"

/* Exit statuses, one per error class (documented in --help and docs/mxctl.md). */
enum mxctl_exit {
    MXCTL_EXIT_OK = 0,
    MXCTL_EXIT_USAGE = 1,
    MXCTL_EXIT_NETWORK = 2,   /* network, TLS, timeout, insecure URL */
    MXCTL_EXIT_AUTH = 3,      /* invalid credentials, OTP, session expired, unauthorized */
    MXCTL_EXIT_NOT_FOUND = 4, /* not found or forbidden */
    MXCTL_EXIT_CONFLICT = 5,
    MXCTL_EXIT_VALIDATION = 6, /* rule errors; a rejected host in mx check */
    MXCTL_EXIT_RATE_LIMITED = 7,
    MXCTL_EXIT_SERVER = 8, /* server error, protocol error, bad request, out of memory */
};

/* The language of mxctl's own messages and of Accept-Language (default English). */
enum mx_lang mxctl_lang(void);
void mxctl_set_lang(enum mx_lang lang);
/* en or de, by the chosen language. */
const char *mxctl_tr(const char *en, const char *de);
/* The exit status of an error class. */
int mxctl_exit_for(enum api_status st);
/* Prints detail lines "  field: message (code)" to stderr, sanitised. */
void mxctl_print_details(const struct api_detail *d, size_t n);
/* Prints a configuration as indented JSON, sanitised. */
void mxctl_print_config(FILE *f, const struct mx_config *cfg);
/* Prints the publication of cfg for people, sanitised: "publication: STATE, version V, at T[:
 * ERROR]" and "DNS answers: PRIO HOST, ..." (or that DNS was not asked / gave no answer). */
void mxctl_print_publication(FILE *f, const struct mx_config *cfg);
/* Prints a failed result to stderr with every detail; returns its exit status. */
int mxctl_report(const struct api_result *res);
/* Whether argv (argc words from the command on) is a known command with the right arity. */
bool mxctl_command_ok(int argc, char **argv);
/* What the commands take besides their words; strings may be NULL. */
struct mxctl_args {
    const char *filter;   /* domains --filter */
    const char *customer; /* the actor's own customer number ("" for staff) */
    const char *reason;   /* mx set, restore: --reason */
};
/* Runs a checked command on a logged-in client. Prints the result and returns the exit
 * status. */
int mxctl_dispatch(struct api_client *c, int argc, char **argv, const struct mxctl_args *a);

#endif
