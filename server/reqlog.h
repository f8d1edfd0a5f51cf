/* reqlog: the request log of mxapid — one line per request on stderr, after the reply went
 * out: `<ISO time> <client ip> <method> <path> <status> <ms>[ aborted]`. Only method and path
 * (never the query string, which libmicrohttpd keeps apart), status and time: no header, no
 * body, and the client's text escaped. */
#ifndef REQLOG_H
#define REQLOG_H

#include <stdbool.h>

/* Writes the line of one request with one write(2), so lines of concurrent threads stay
 * whole. method and path are the client's text as received (escaped here). */
void reqlog_write(const char *ip, const char *method, const char *path, unsigned status, double ms,
                  bool aborted);

#endif
