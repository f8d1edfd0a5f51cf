/* mxctl_out: terminal-safe output of network strings for mxctl. Anything from the network may
 * carry control, bidi or invisible characters; these print as visible escapes instead. */
#ifndef MXCTL_OUT_H
#define MXCTL_OUT_H

#include <stdio.h>

/* Writes s with C0/C1 controls, DEL and invalid UTF-8 bytes as \xNN and bidi / invisible
 * characters as \u{XXXX}; NULL prints as "-". */
void out_text(FILE *f, const char *s);
/* Writes JSON text (as cJSON prints it) with DEL, C1, bidi and invisible characters turned into
 * \uXXXX escapes and invalid UTF-8 into \ufffd, so the output stays valid, equal JSON. */
void out_json(FILE *f, const char *json);

#endif
