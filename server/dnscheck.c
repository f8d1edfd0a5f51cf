/* dnscheck: MX target lookups — local zones through a callback, the rest through c-ares with a
 * hard deadline: the checker, the reply parser, and the blocking lookups with a channel per
 * call (dnscheck_run, for tools and tests; c-ares channels are not shared between threads).
 * The server's asynchronous checks run on the event thread of dnscheck_async.c. */
#include "server/dnscheck.h"

#include <sys/select.h> /* ares.h uses fd_set and struct timeval without including it */
#include <sys/time.h>

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "server/dnscheck_wire.h"

static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_status = ARES_SUCCESS;

static void library_init(void)
{
    library_status = ares_library_init(ARES_LIB_INIT_ALL);
}

long long dnscheck_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct dnscheck *dnscheck_new(const char *resolver, int timeout_ms, dnscheck_local_fn local,
                              void *ctx)
{
    if (timeout_ms <= 0)
        return NULL;
    pthread_once(&library_once, library_init);
    if (library_status != ARES_SUCCESS)
        return NULL;
    struct dnscheck *dc = calloc(1, sizeof *dc);
    if (dc == NULL)
        return NULL;
    if (resolver != NULL && resolver[0] != '\0') {
        size_t len = strlen(resolver);
        dc->resolver = malloc(len + 1);
        if (dc->resolver == NULL) {
            free(dc);
            return NULL;
        }
        memcpy(dc->resolver, resolver, len + 1);
    }
    dc->timeout_ms = timeout_ms;
    dc->local = local;
    dc->ctx = ctx;
    dc->wake[0] = dc->wake[1] = -1;
    pthread_mutex_init(&dc->mu, NULL);
    pthread_cond_init(&dc->idle, NULL);
    /* A resolver string c-ares cannot use is a configuration error: report it at start-up,
     * not at the first check. */
    ares_channel probe = NULL;
    if (dnscheck_channel_open(dc, &probe) != 0) {
        dnscheck_free(&dc);
        return NULL;
    }
    ares_destroy(probe);
    if (pipe(dc->wake) != 0 || fcntl(dc->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(dc->wake[1], F_SETFL, O_NONBLOCK) != 0 ||
        pthread_create(&dc->thread, NULL, dnscheck_event_main, dc) != 0) {
        dnscheck_free(&dc);
        return NULL;
    }
    dc->running = true;
    return dc;
}

void dnscheck_free(struct dnscheck **dc)
{
    if (dc == NULL || *dc == NULL)
        return;
    dnscheck_stop(*dc);
    if ((*dc)->running)
        pthread_join((*dc)->thread, NULL);
    for (int i = 0; i < 2; i++)
        if ((*dc)->wake[i] >= 0)
            close((*dc)->wake[i]);
    pthread_cond_destroy(&(*dc)->idle);
    pthread_mutex_destroy(&(*dc)->mu);
    free((*dc)->resolver);
    free(*dc);
    *dc = NULL;
}

/* Compares two DNS names ignoring ASCII case and a trailing dot on either. */
static bool same_name(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 0 && a[la - 1] == '.')
        la--;
    if (lb > 0 && b[lb - 1] == '.')
        lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

static void add_address(struct dns_answer *ans, int type, const unsigned char *rdata)
{
    char text[INET6_ADDRSTRLEN];
    if (type == DNS_TYPE_A) {
        if (inet_ntop(AF_INET, rdata, text, sizeof text) == NULL)
            return;
        ans->has_a = true;
        for (size_t i = 0; i < ans->n_a; i++)
            if (strcmp(ans->a[i], text) == 0)
                return;
        if (ans->n_a < sizeof ans->a / sizeof ans->a[0])
            memcpy(ans->a[ans->n_a++], text, strlen(text) + 1);
    } else {
        if (inet_ntop(AF_INET6, rdata, text, sizeof text) == NULL)
            return;
        ans->has_aaaa = true;
        for (size_t i = 0; i < ans->n_aaaa; i++)
            if (strcmp(ans->aaaa[i], text) == 0)
                return;
        if (ans->n_aaaa < sizeof ans->aaaa / sizeof ans->aaaa[0])
            memcpy(ans->aaaa[ans->n_aaaa++], text, strlen(text) + 1);
    }
}

/* Reads 16 bits in network order. */
static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* Walks the answer section of a reply: addresses of the queried type (at the name or along its
 * CNAME chain) and a CNAME at the name itself. Returns 0, or -1 on a malformed reply. */
static int parse_reply(const unsigned char *abuf, int alen, const struct query *q)
{
    if (alen < 12)
        return -1;
    unsigned qdcount = rd16(abuf + 4), ancount = rd16(abuf + 6);
    const unsigned char *p = abuf + 12;
    const unsigned char *end = abuf + alen;
    for (unsigned i = 0; i < qdcount; i++) {
        char *name = NULL;
        long enclen = 0;
        if (ares_expand_name(p, abuf, alen, &name, &enclen) != ARES_SUCCESS)
            return -1;
        ares_free_string(name);
        p += enclen + 4;
        if (p > end)
            return -1;
    }
    for (unsigned i = 0; i < ancount; i++) {
        char *owner = NULL;
        long enclen = 0;
        if (ares_expand_name(p, abuf, alen, &owner, &enclen) != ARES_SUCCESS)
            return -1;
        p += enclen;
        if (end - p < 10) {
            ares_free_string(owner);
            return -1;
        }
        unsigned type = rd16(p), klass = rd16(p + 2), rdlen = rd16(p + 8);
        p += 10;
        if ((size_t)(end - p) < rdlen) {
            ares_free_string(owner);
            return -1;
        }
        if (klass == DNS_CLASS_IN) {
            if ((type == DNS_TYPE_A && rdlen == 4 && q->type == DNS_TYPE_A) ||
                (type == DNS_TYPE_AAAA && rdlen == 16 && q->type == DNS_TYPE_AAAA)) {
                add_address(q->answer, (int)type, p);
            } else if (type == DNS_TYPE_CNAME && same_name(owner, q->host)) {
                char *target = NULL;
                long tlen = 0;
                if (ares_expand_name(p, abuf, alen, &target, &tlen) == ARES_SUCCESS) {
                    struct dns_answer *ans = q->answer;
                    ans->has_cname = true;
                    size_t n = strlen(target);
                    if (n + 2 <= sizeof ans->cname) {
                        memcpy(ans->cname, target, n);
                        ans->cname[n] = '.';
                        ans->cname[n + 1] = '\0';
                    }
                    ares_free_string(target);
                }
            }
        }
        ares_free_string(owner);
        p += rdlen;
    }
    return 0;
}

void dnscheck_on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct query *q = arg;
    q->done = true;
    switch (status) {
    case ARES_SUCCESS:
        if (parse_reply(abuf, alen, q) != 0)
            q->transient = true;
        break;
    case ARES_ENODATA:   /* the name exists without records of this type */
    case ARES_ENOTFOUND: /* NXDOMAIN */
        break;
    default: /* timeout, refused, server failure, cancelled at the deadline, ... */
        q->transient = true;
        break;
    }
}

int dnscheck_channel_open(const struct dnscheck *dc, ares_channel *channel)
{
    struct ares_options opts;
    memset(&opts, 0, sizeof opts);
    /* Two tries, the second twice as long: the whole ladder fits the caller's deadline. */
    opts.timeout = dc->timeout_ms / 3 > 0 ? dc->timeout_ms / 3 : 1;
    opts.tries = 2;
    opts.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
    if (ares_init_options(channel, &opts, mask) != ARES_SUCCESS)
        return -1;
    if (dc->resolver != NULL &&
        ares_set_servers_ports_csv(*channel, dc->resolver) != ARES_SUCCESS) {
        ares_destroy(*channel);
        return -1;
    }
    return 0;
}

static bool all_done(const struct query *qs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!qs[i].done)
            return false;
    return true;
}

int dnscheck_poll_once(ares_channel channel, int extra_fd, long long left)
{
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    /* ARES_GETSOCK_WRITABLE shifts a signed 1 into bit 31 for the last socket (undefined
     * behaviour): read the bits unsigned instead. */
    unsigned bits = (unsigned)ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    struct pollfd pfds[ARES_GETSOCK_MAXNUM + 1];
    nfds_t npfd = 0, first = 0;
    if (extra_fd >= 0) {
        pfds[npfd++] = (struct pollfd){.fd = extra_fd, .events = POLLIN};
        first = 1;
    }
    for (unsigned i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
        short ev = 0;
        if ((bits >> i) & 1u)
            ev |= POLLIN;
        if ((bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
            ev |= POLLOUT;
        if (ev != 0)
            pfds[npfd++] = (struct pollfd){.fd = socks[i], .events = ev};
    }
    struct timeval maxtv = {(time_t)(left / 1000), (suseconds_t)((left % 1000) * 1000)};
    struct timeval tv;
    struct timeval *tvp = ares_timeout(channel, &maxtv, &tv);
    int wait_ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
    if (wait_ms > left)
        wait_ms = (int)left;
    int r = poll(pfds, npfd, wait_ms);
    if (r < 0 && errno != EINTR)
        return -1;
    bool any = false;
    for (nfds_t i = first; r > 0 && i < npfd; i++) {
        if (pfds[i].revents == 0)
            continue;
        any = true;
        ares_socket_t rfd =
            (pfds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? pfds[i].fd : ARES_SOCKET_BAD;
        ares_socket_t wfd = (pfds[i].revents & POLLOUT) ? pfds[i].fd : ARES_SOCKET_BAD;
        ares_process_fd(channel, rfd, wfd);
    }
    if (!any) /* lets c-ares notice its own timeouts and retry or give up */
        ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    return r > 0 && first && pfds[0].revents ? 1 : 0;
}

/* Drives the channel until every query ended or the deadline passed. */
static void channel_wait(ares_channel channel, const struct query *qs, size_t nq,
                         long long deadline)
{
    while (!all_done(qs, nq)) {
        long long left = deadline - dnscheck_now_ms();
        if (left <= 0 || dnscheck_poll_once(channel, -1, left) < 0)
            break;
    }
}

int dnscheck_run(struct dnscheck *dc, const char *const *hosts, size_t n,
                 struct dns_answer *answers)
{
    if (dc == NULL || (n > 0 && (hosts == NULL || answers == NULL)))
        return -1;
    long long deadline = dnscheck_now_ms() + dc->timeout_ms;
    struct query *qs = NULL;
    size_t nq = 0;
    int rc = -1;
    ares_channel channel = NULL;
    for (size_t i = 0; i < n; i++)
        memset(&answers[i], 0, sizeof answers[i]);

    /* A and AAAA only: an alias shows its CNAME in either answer, so no third query is needed. */
    qs = calloc(n * 2 + 1, sizeof *qs);
    if (qs == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        if (dc->local != NULL && dc->local(dc->ctx, hosts[i], &answers[i]) == 1)
            continue;
        memset(&answers[i], 0, sizeof answers[i]);
        qs[nq++] = (struct query){.answer = &answers[i], .host = hosts[i], .type = DNS_TYPE_A};
        qs[nq++] = (struct query){.answer = &answers[i], .host = hosts[i], .type = DNS_TYPE_AAAA};
    }
    if (nq == 0) {
        rc = 0;
        goto out;
    }
    if (dnscheck_channel_open(dc, &channel) != 0)
        goto out;
    for (size_t i = 0; i < nq; i++)
        ares_query(channel, qs[i].host, DNS_CLASS_IN, qs[i].type, dnscheck_on_reply, &qs[i]);
    channel_wait(channel, qs, nq, deadline);
    /* Whatever is still open ends now (callbacks run with ARES_ECANCELLED). */
    ares_cancel(channel);
    for (size_t i = 0; i < nq; i++) {
        if (!qs[i].done)
            qs[i].transient = true;
    }
    for (size_t i = 0; i < nq; i++) {
        struct dns_answer *ans = qs[i].answer;
        /* An address or an alias is a final answer even if the other query failed. */
        if (qs[i].transient && !ans->has_a && !ans->has_cname)
            ans->timed_out = true;
    }
    for (size_t i = 0; i < nq; i++) {
        struct dns_answer *ans = qs[i].answer;
        if (ans->has_a || ans->has_cname)
            ans->timed_out = false;
    }
    rc = 0;
out:
    if (channel != NULL)
        ares_destroy(channel);
    free(qs);
    return rc;
}

/* An MX query rides on struct query (first member) so channel_wait can drive it. */
struct mx_query {
    struct query q;
    struct dns_mx *out;
    size_t max;
    int count; /* -1: no answer */
};

static int mx_compare(const void *a, const void *b)
{
    const struct dns_mx *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    return strcmp(x->host, y->host);
}

static void on_mx_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    (void)timeouts;
    struct mx_query *mq = arg;
    mq->q.done = true;
    if (status == ARES_ENODATA || status == ARES_ENOTFOUND) {
        mq->count = 0;
        return;
    }
    struct ares_mx_reply *list = NULL;
    if (status != ARES_SUCCESS || ares_parse_mx_reply(abuf, alen, &list) != ARES_SUCCESS)
        return;
    int n = 0;
    for (struct ares_mx_reply *r = list; r != NULL; r = r->next, n++) {
        if ((size_t)n >= mq->max)
            continue;
        struct dns_mx *m = &mq->out[n];
        m->priority = r->priority;
        size_t len = strlen(r->host);
        if (len == 0 || len + 2 > sizeof m->host) {
            memcpy(m->host, ".", 2); /* the root: null MX (RFC 7505) */
        } else {
            memcpy(m->host, r->host, len);
            m->host[len] = '.';
            m->host[len + 1] = '\0';
        }
    }
    ares_free_data(list);
    mq->count = n;
}

int dnscheck_mx(struct dnscheck *dc, const char *name, struct dns_mx *out, size_t max)
{
    if (dc == NULL || name == NULL || (max > 0 && out == NULL))
        return -1;
    long long deadline = dnscheck_now_ms() + dc->timeout_ms;
    struct mx_query mq = {
        .q = {.host = name, .type = DNS_TYPE_MX}, .out = out, .max = max, .count = -1};
    ares_channel channel = NULL;
    if (dnscheck_channel_open(dc, &channel) != 0)
        return -1;
    ares_query(channel, name, DNS_CLASS_IN, DNS_TYPE_MX, on_mx_reply, &mq);
    channel_wait(channel, &mq.q, 1, deadline);
    ares_cancel(channel);
    ares_destroy(channel);
    size_t kept = mq.count > 0 ? ((size_t)mq.count < max ? (size_t)mq.count : max) : 0;
    if (kept > 1)
        qsort(out, kept, sizeof *out, mx_compare);
    return mq.count;
}
