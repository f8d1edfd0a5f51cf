/* mxe_steps: the steps the MX editor's end-to-end tests repeat: open the editor of a name from
 * the login, read the configuration back through the API, and count the keystrokes a flow
 * takes (the bench reports them). */
#ifndef MXE_STEPS_H
#define MXE_STEPS_H

#include <stdbool.h>

#include "tests/support/tui_steps.h"

/* Keys and typed characters sent so far through mxe_key / mxe_type (not mxe_type_host). */
extern int mxe_keystrokes;

/* A named key, counted. */
void mxe_key(struct tui *u, const char *name);
/* Typed text, counted per character. */
void mxe_type(struct tui *u, const char *text);
/* A host name typed into a field: not counted (the bench counts the keys around them). */
void mxe_type_host(struct tui *u, const char *host);

/* From the login screen: logs in as login (a customer with package "Hosting Plus" first, or
 * one package), opens the DNS settings of name and the MX editor; waits for `ready` there (the
 * editor's heading in the language used). Returns whether it got there. */
bool mxe_open(struct tui *u, const char *login, const char *password, const char *name,
              const char *ready);
/* The same when already logged in on the domain list. */
bool mxe_open_from_domains(struct tui *u, const char *name, const char *ready);

/* GET /v1/domains/{name}/mx as login: the JSON body (malloc'd, caller frees), or NULL. */
char *mxe_api_get(struct tui *u, const char *login, const char *password, const char *name);

#endif
