/* netaddr: the key per-address limits count by — an IPv6 client by its /64, IPv4 (also mapped
 * into IPv6) by its address. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "server/netaddr.h"

/* Linked directly, as the dnscheck tests do: server/ packs no library. */
#include "server/netaddr.c" /* NOLINT(bugprone-suspicious-include): deliberate */

static const char *key(const char *ip)
{
    static char out[NETADDR_KEY_SIZE];
    netaddr_key_text(ip, out);
    return out;
}

Test(netaddr, ipv6_counts_by_its_64)
{
    char a[NETADDR_KEY_SIZE];
    cr_assert(netaddr_key_text("2001:db8:1:2::5", a));
    cr_assert_str_eq(a, "2001:db8:1:2::/64");
    cr_assert_str_eq(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    cr_assert_str_eq(key("2001:DB8:1:2:0:0:0:1"), "2001:db8:1:2::/64");
    cr_assert_str_neq(key("2001:db8:1:3::5"), "2001:db8:1:2::/64");
    cr_assert_str_eq(key("::1"), "::/64");
}

Test(netaddr, ipv4_and_mapped_ipv4_count_by_address)
{
    cr_assert_str_eq(key("192.0.2.7"), "192.0.2.7");
    cr_assert_str_eq(key("::ffff:192.0.2.7"), "192.0.2.7");
    cr_assert_str_neq(key("192.0.2.8"), "192.0.2.7");
}

Test(netaddr, socket_addresses)
{
    char out[NETADDR_KEY_SIZE];
    struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
    cr_assert_eq(inet_pton(AF_INET6, "2001:db8:aa:bb:1:2:3:4", &s6.sin6_addr), 1);
    cr_assert(netaddr_key_sockaddr((struct sockaddr *)&s6, out));
    cr_assert_str_eq(out, "2001:db8:aa:bb::/64");
    struct sockaddr_in s4 = {.sin_family = AF_INET};
    cr_assert_eq(inet_pton(AF_INET, "198.51.100.1", &s4.sin_addr), 1);
    cr_assert(netaddr_key_sockaddr((struct sockaddr *)&s4, out));
    cr_assert_str_eq(out, "198.51.100.1");
    cr_assert_not(netaddr_key_sockaddr(NULL, out));
    cr_assert_not(netaddr_key_text("not an address", out));
    cr_assert_str_eq(out, "not an address");
}
