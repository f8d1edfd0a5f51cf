/* netaddr: address keys for per-address limits. */
#include "server/netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* The key of an IPv6 address (16 bytes). */
static void key6(const unsigned char *b, char out[NETADDR_KEY_SIZE])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, mapped, sizeof mapped) == 0) {
        inet_ntop(AF_INET, b + 12, out, NETADDR_KEY_SIZE);
        return;
    }
    unsigned char net[16] = {0};
    memcpy(net, b, 8);
    char text[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, net, text, sizeof text);
    snprintf(out, NETADDR_KEY_SIZE, "%s/64", text);
}

bool netaddr_key_text(const char *ip, char out[NETADDR_KEY_SIZE])
{
    unsigned char b[16];
    if (inet_pton(AF_INET, ip, b) == 1) {
        inet_ntop(AF_INET, b, out, NETADDR_KEY_SIZE);
        return true;
    }
    if (inet_pton(AF_INET6, ip, b) == 1) {
        key6(b, out);
        return true;
    }
    snprintf(out, NETADDR_KEY_SIZE, "%s", ip);
    return false;
}

bool netaddr_key_sockaddr(const struct sockaddr *sa, char out[NETADDR_KEY_SIZE])
{
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, out, NETADDR_KEY_SIZE);
        return true;
    }
    if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        key6(in6->sin6_addr.s6_addr, out);
        return true;
    }
    snprintf(out, NETADDR_KEY_SIZE, "-");
    return false;
}
