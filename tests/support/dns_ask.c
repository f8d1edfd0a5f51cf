/* dns_ask: a minimal DNS client over UDP for tests (queries by hand, names through c-ares). */
#include "tests/support/dns_ask.h"

#include <sys/select.h> /* ares.h uses fd_set and struct timeval without including it */
#include <sys/time.h>

#include <arpa/inet.h>
#include <ares.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/test_util.h"

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static unsigned rd32(const unsigned char *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* The query packet for name/type with id; returns its length, 0 when name does not fit. */
static size_t query_build(unsigned char *buf, size_t size, unsigned id, const char *name, int type)
{
    const unsigned char head[12] = {
        (unsigned char)(id >> 8), (unsigned char)id, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(buf, head, sizeof head);
    size_t n = sizeof head;
    for (const char *p = name; *p;) {
        size_t l = strcspn(p, ".");
        if (l == 0 || l > 63 || n + l + 6 > size)
            return 0;
        buf[n++] = (unsigned char)l;
        memcpy(buf + n, p, l);
        n += l;
        p += l;
        if (*p == '.')
            p++;
    }
    buf[n++] = 0;
    buf[n++] = (unsigned char)(type >> 8);
    buf[n++] = (unsigned char)type;
    buf[n++] = 0;
    buf[n++] = 1; /* IN */
    return n;
}

/* A name at p inside the packet, with its trailing dot, into out; *len gets its encoded size. */
static int name_read(const unsigned char *p, const unsigned char *pkt, size_t plen, char *out,
                     size_t size, long *len)
{
    char *name = NULL;
    if (ares_expand_name(p, pkt, (int)plen, &name, len) != ARES_SUCCESS)
        return -1;
    snprintf(out, size, "%s.", name[0] ? name : "");
    if (!name[0])
        snprintf(out, size, ".");
    ares_free_string(name);
    return 0;
}

static int rdata_text(const unsigned char *pkt, size_t plen, const unsigned char *rd,
                      unsigned rdlen, int type, char *out, size_t size)
{
    char a[256], b[256];
    long l1 = 0, l2 = 0;
    switch (type) {
    case DNS_ASK_A:
        if (rdlen != 4 || !inet_ntop(AF_INET, rd, out, (socklen_t)size))
            return -1;
        return 0;
    case DNS_ASK_AAAA:
        if (rdlen != 16 || !inet_ntop(AF_INET6, rd, out, (socklen_t)size))
            return -1;
        return 0;
    case DNS_ASK_NS:
    case DNS_ASK_CNAME:
        return name_read(rd, pkt, plen, out, size, &l1);
    case DNS_ASK_MX:
        if (rdlen < 3 || name_read(rd + 2, pkt, plen, a, sizeof a, &l1) != 0)
            return -1;
        snprintf(out, size, "%u %s", rd16(rd), a);
        return 0;
    case DNS_ASK_SOA:
        if (name_read(rd, pkt, plen, a, sizeof a, &l1) != 0 ||
            name_read(rd + l1, pkt, plen, b, sizeof b, &l2) != 0 ||
            (unsigned long)(l1 + l2 + 20) > rdlen)
            return -1;
        rd += l1 + l2;
        snprintf(out, size, "%s %s %u %u %u %u %u", a, b, rd32(rd), rd32(rd + 4), rd32(rd + 8),
                 rd32(rd + 12), rd32(rd + 16));
        return 0;
    default:
        snprintf(out, size, "\\# %u", rdlen);
        return 0;
    }
}

/* Reads count records from *p into rrs (up to DNS_ASK_MAX_RR kept). */
static int section_read(const unsigned char *pkt, size_t plen, const unsigned char **p,
                        unsigned count, struct dns_ask_rr *rrs, size_t *n)
{
    const unsigned char *end = pkt + plen;
    for (unsigned i = 0; i < count; i++) {
        struct dns_ask_rr rr;
        long l = 0;
        if (name_read(*p, pkt, plen, rr.owner, sizeof rr.owner, &l) != 0)
            return -1;
        *p += l;
        if (end - *p < 10)
            return -1;
        rr.type = (int)rd16(*p);
        rr.ttl = rd32(*p + 4);
        unsigned rdlen = rd16(*p + 8);
        *p += 10;
        if ((size_t)(end - *p) < rdlen)
            return -1;
        if (rdata_text(pkt, plen, *p, rdlen, rr.type, rr.data, sizeof rr.data) != 0)
            return -1;
        *p += rdlen;
        if (*n < DNS_ASK_MAX_RR)
            rrs[(*n)++] = rr;
    }
    return 0;
}

static int reply_parse(const unsigned char *pkt, size_t plen, struct dns_ask_reply *out)
{
    if (plen < 12)
        return -1;
    out->rcode = pkt[3] & 0x0f;
    out->aa = (pkt[2] & 0x04) != 0;
    unsigned qd = rd16(pkt + 4), an = rd16(pkt + 6), ns = rd16(pkt + 8);
    const unsigned char *p = pkt + 12;
    for (unsigned i = 0; i < qd; i++) {
        char skip[256];
        long l = 0;
        if (name_read(p, pkt, plen, skip, sizeof skip, &l) != 0)
            return -1;
        p += l + 4;
        if (p > pkt + plen)
            return -1;
    }
    if (section_read(pkt, plen, &p, an, out->answer, &out->n_answer) != 0 ||
        section_read(pkt, plen, &p, ns, out->authority, &out->n_authority) != 0)
        return -1;
    return 0;
}

int dns_ask(int port, const char *name, int type, int timeout_ms, struct dns_ask_reply *out)
{
    memset(out, 0, sizeof *out);
    static unsigned counter;
    unsigned id = (unsigned)(getpid() * 31u + (++counter) * 7919u) & 0xffff;
    unsigned char q[512], r[4096];
    size_t qlen = query_build(q, sizeof q, id, name, type);
    if (qlen == 0)
        return -1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ret = -1;
    long long deadline = test_now_ms() + timeout_ms;
    /* Resent every 200 ms: one lost datagram must not cost the whole deadline. */
    long long next_send = 0;
    while (ret != 0) {
        long long now = test_now_ms();
        if (now >= deadline)
            break;
        if (now >= next_send) {
            if (sendto(fd, q, qlen, 0, (struct sockaddr *)&a, sizeof a) != (ssize_t)qlen &&
                next_send == 0)
                break;
            next_send = now + 200;
        }
        long long until = next_send < deadline ? next_send : deadline;
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        if (poll(&pfd, 1, (int)(until - now)) != 1)
            continue;
        ssize_t got = recv(fd, r, sizeof r, 0);
        if (got < 12 || rd16(r) != id || !(r[2] & 0x80))
            continue;
        memset(out, 0, sizeof *out);
        if (reply_parse(r, (size_t)got, out) != 0)
            break;
        ret = 0;
    }
    close(fd);
    return ret;
}

/* By a leading number first (MX preferences: 5 before 10), then as text. */
static int line_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    long nx = strtol(x, NULL, 10), ny = strtol(y, NULL, 10);
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return strcmp(x, y);
}

/* Two names alike, ignoring ASCII case and a trailing dot. */
static bool same_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la && a[la - 1] == '.')
        la--;
    if (lb && b[lb - 1] == '.')
        lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

size_t dns_ask_join(const struct dns_ask_reply *r, const char *name, int type, char *out,
                    size_t size)
{
    const char *lines[DNS_ASK_MAX_RR];
    size_t n = 0;
    for (size_t i = 0; i < r->n_answer; i++)
        if (r->answer[i].type == type && same_name(r->answer[i].owner, name))
            lines[n++] = r->answer[i].data;
    if (n > 1)
        qsort(lines, n, sizeof lines[0], line_cmp);
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + used, size - used, "%s%s", i ? "\n" : "", lines[i]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
    return n;
}
