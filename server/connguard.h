/* connguard: mxapid's defence against slow clients — a total deadline for a request's head
 * and body (a byte now and then does not renew it, unlike libmicrohttpd's idle timeout), and
 * room kept for new clients when the connection limit is near. libmicrohttpd's hooks call it;
 * a watchdog thread closes what is overdue. */
#ifndef CONNGUARD_H
#define CONNGUARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "server/server.h"

struct connguard;

/* Starts the watchdog with opts' limits (copied). NULL on error. */
struct connguard *connguard_new(const struct server_opts *opts);
/* Stops the watchdog and frees; sets *g to NULL. NULL-safe. Call after the daemon stopped. */
void connguard_free(struct connguard **g);

/* MHD_AcceptPolicyCallback (cls: the guard): refuses a connection beyond --max-connections,
 * and, within the last --conn-reserve slots, one from an address (IPv6: its /64) that already
 * holds CONNGUARD_RESERVE_PER_ADDRESS connections. Returns MHD_YES / MHD_NO. */
enum MHD_Result connguard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* MHD_NotifyConnectionCallback (cls: the guard): registers and forgets connections. */
void connguard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode what);

/* The phases of a request, told by http.c: its request line was read; its head is complete;
 * its body is complete (no deadline while the server works on it, parked or not). */
void connguard_request_line(struct MHD_Connection *conn);
void connguard_head_done(struct MHD_Connection *conn);
void connguard_body_done(struct MHD_Connection *conn);
/* The request ended; the connection waits for the next one. Returns true when the watchdog cut
 * it off at its deadline. */
bool connguard_request_done(struct MHD_Connection *conn);

/* An address with fewer connections than this may still take a reserved slot. */
#define CONNGUARD_RESERVE_PER_ADDRESS 4

#endif
