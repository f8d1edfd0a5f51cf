/* dns_ask: one DNS question over UDP to 127.0.0.1:PORT with a deadline, its reply decoded into
 * presentation text — how the tests see what an authoritative server answers (as dig would). */
#ifndef DNS_ASK_H
#define DNS_ASK_H

#include <stdbool.h>
#include <stddef.h>

#define DNS_ASK_A     1
#define DNS_ASK_NS    2
#define DNS_ASK_CNAME 5
#define DNS_ASK_SOA   6
#define DNS_ASK_MX    15
#define DNS_ASK_TXT   16
#define DNS_ASK_AAAA  28

/* One resource record: owner (trailing dot), type, and its data as dig prints it ("10
 * mail.example.de.", "ns1.provider.example.", "192.0.2.10"; SOA: "MNAME RNAME SERIAL REFRESH RETRY
 * EXPIRE MINIMUM"; other types: "\#LEN"). */
struct dns_ask_rr {
    char owner[256];
    int type;
    unsigned ttl;
    char data[600];
};

#define DNS_ASK_MAX_RR 32

/* A reply: rcode (0 NOERROR, 3 NXDOMAIN, 5 REFUSED, ...), the AA bit, answer and authority. */
struct dns_ask_reply {
    int rcode;
    bool aa;
    struct dns_ask_rr answer[DNS_ASK_MAX_RR];
    size_t n_answer;
    struct dns_ask_rr authority[DNS_ASK_MAX_RR];
    size_t n_authority;
};

/* Asks 127.0.0.1:port for name (with or without trailing dot) of type, class IN, without
 * recursion. Returns 0 with *out filled, or -1 when no reply came within timeout_ms (or it could
 * not be decoded). */
int dns_ask(int port, const char *name, int type, int timeout_ms, struct dns_ask_reply *out);

/* The data of every answer record of type whose owner is name, sorted (by a leading number,
 * then as text: "5 b.", "10 a."), one per line (no final newline) into out; "" when there is
 * none. Returns how many. */
size_t dns_ask_join(const struct dns_ask_reply *r, const char *name, int type, char *out,
                    size_t size);

#endif
