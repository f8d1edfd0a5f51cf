/* netaddr: the key under which per-address limits count a client (login throttling, the
 * connection reserve): an IPv4 address as it is, an IPv4-mapped IPv6 address as its IPv4
 * address, any other IPv6 address as its /64, which one customer line or host usually has
 * whole (counting single IPv6 addresses would let it try 2^64 times). */
#ifndef NETADDR_H
#define NETADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/* Any IPv6 text with "/64" and a NUL fits. */
#define NETADDR_KEY_SIZE 64

/* The key of an address in presentation form into out. Returns false when ip is no address
 * (out is then ip itself, cut to fit). */
bool netaddr_key_text(const char *ip, char out[NETADDR_KEY_SIZE]);
/* The same for a socket address; "-" and false for other families. */
bool netaddr_key_sockaddr(const struct sockaddr *sa, char out[NETADDR_KEY_SIZE]);

#endif
