/* dnscheck: MX target lookups — local zones through a callback, the rest through c-ares with a
 * hard deadline: asynchronously on one event thread that owns one channel (the server's checks
 * never hold a worker), or blocking with a channel per call (dnscheck_run, for tools and
 * tests; c-ares channels are not shared between threads). */
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

#define DNS_TYPE_A     1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_AAAA  28
#define DNS_CLASS_IN   1

struct ajob;

/* How many checks one owner (a session) has in flight. */
struct owner_count {
    char key[DNSCHECK_OWNER_SIZE];
    int n;
};

struct dnscheck {
    char *resolver; /* NULL: the system's resolv.conf */
    int timeout_ms;
    dnscheck_local_fn local;
    void *ctx;
    /* The event thread and what it shares with the submitting threads, under mu. */
    pthread_mutex_t mu;
    pthread_cond_t idle; /* signalled when the last job ended (dnscheck_stop waits) */
    pthread_t thread;
    bool running;  /* the thread was started */
    bool stopping; /* no new jobs; the thread ends every job now and exits */
    int wake[2];   /* pipe: a byte wakes the thread for new jobs or the stop */
    struct ajob *queued;
    int per_owner, total; /* caps; 0: none */
    int in_flight;
    struct owner_count owners[DNSCHECK_MAX_TOTAL];
    size_t n_owners;
};

/* One outstanding query: which host, which type, and how it ended. */
struct query {
    struct dns_answer *answer;
    const char *host;
    int type;
    bool done;
    bool transient; /* timeout, refusal, server failure: the answer could not be had */
};

static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static int library_status = ARES_SUCCESS;

static void library_init(void)
{
    library_status = ares_library_init(ARES_LIB_INIT_ALL);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int channel_open(const struct dnscheck *dc, ares_channel *channel);
static void *event_main(void *arg);

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
    if (channel_open(dc, &probe) != 0) {
        dnscheck_free(&dc);
        return NULL;
    }
    ares_destroy(probe);
    if (pipe(dc->wake) != 0 || fcntl(dc->wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(dc->wake[1], F_SETFL, O_NONBLOCK) != 0 ||
        pthread_create(&dc->thread, NULL, event_main, dc) != 0) {
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

static void on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
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

static int channel_open(const struct dnscheck *dc, ares_channel *channel)
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

/* Drives the channel with poll() until every query ended or the deadline passed. */
static void channel_wait(ares_channel channel, const struct query *qs, size_t nq,
                         long long deadline)
{
    while (!all_done(qs, nq)) {
        long long left = deadline - now_ms();
        if (left <= 0)
            break;
        ares_socket_t socks[ARES_GETSOCK_MAXNUM];
        /* ARES_GETSOCK_WRITABLE shifts a signed 1 into bit 31 for the last socket (undefined
         * behaviour): read the bits unsigned instead. */
        unsigned bits = (unsigned)ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
        struct pollfd pfds[ARES_GETSOCK_MAXNUM];
        nfds_t npfd = 0;
        for (unsigned i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
            short ev = 0;
            if ((bits >> i) & 1u)
                ev |= POLLIN;
            if ((bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
                ev |= POLLOUT;
            if (ev == 0)
                continue;
            pfds[npfd].fd = socks[i];
            pfds[npfd].events = ev;
            pfds[npfd].revents = 0;
            npfd++;
        }
        struct timeval maxtv = {(time_t)(left / 1000), (suseconds_t)((left % 1000) * 1000)};
        struct timeval tv;
        struct timeval *tvp = ares_timeout(channel, &maxtv, &tv);
        int wait_ms = (int)(tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000);
        if (wait_ms > left)
            wait_ms = (int)left;
        int r = poll(pfds, npfd, wait_ms);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0) {
            /* Lets c-ares notice its own timeouts and retry or give up. */
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
            continue;
        }
        for (nfds_t i = 0; i < npfd; i++) {
            if (pfds[i].revents == 0)
                continue;
            ares_socket_t rfd =
                (pfds[i].revents & (POLLIN | POLLERR | POLLHUP)) ? pfds[i].fd : ARES_SOCKET_BAD;
            ares_socket_t wfd = (pfds[i].revents & POLLOUT) ? pfds[i].fd : ARES_SOCKET_BAD;
            ares_process_fd(channel, rfd, wfd);
        }
    }
}

/* ---- the event thread: every asynchronous check on one channel ---- */

/* One query of an asynchronous job; q first, so that parse_reply and on_reply serve both. */
struct aquery {
    struct query q;
    struct ajob *job;
};

/* An asynchronous check. Its queries write into ans (owned here), copied to the caller's
 * answers when the job ends; the job itself lives on until c-ares has called back for every
 * query it was given, so that a late answer never touches freed memory. */
struct ajob {
    struct dnscheck *dc;
    char owner[DNSCHECK_OWNER_SIZE];
    const char *const *hosts; /* the caller's, valid until done */
    struct dns_answer *out;   /* the caller's */
    bool *remote;             /* which hosts were not answered locally */
    size_t n;
    struct dns_answer *ans;
    struct aquery *qs;
    size_t nq, sent, open; /* open: sent and not called back yet */
    long long deadline;
    bool finished; /* done was called */
    dnscheck_done_fn done;
    void *arg;
    struct ajob *next;
};

static void ajob_free(struct ajob *j)
{
    if (j == NULL)
        return;
    free(j->remote);
    free(j->ans);
    free(j->qs);
    free(j);
}

static void on_async_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
    struct aquery *aq = arg;
    on_reply(&aq->q, status, timeouts, abuf, alen);
    aq->job->open--;
}

/* Gives an owner's slot back (callers hold mu). */
static void owner_release(struct dnscheck *dc, const char *owner)
{
    dc->in_flight--;
    for (size_t i = 0; owner[0] && i < dc->n_owners; i++) {
        if (strcmp(dc->owners[i].key, owner) == 0) {
            if (--dc->owners[i].n == 0)
                dc->owners[i] = dc->owners[--dc->n_owners];
            break;
        }
    }
    if (dc->in_flight == 0)
        pthread_cond_broadcast(&dc->idle);
}

/* The verdict inputs of every host from what the queries found, copied to the caller; then
 * done. Queries still open count as failed (their answers, should they come, are dropped). */
static void ajob_finish(struct ajob *j)
{
    for (size_t i = 0; i < j->nq; i++) {
        struct dns_answer *ans = j->qs[i].q.answer;
        if ((!j->qs[i].q.done || j->qs[i].q.transient) && !ans->has_a && !ans->has_cname)
            ans->timed_out = true;
    }
    for (size_t i = 0; i < j->n; i++) {
        if (!j->remote[i])
            continue;
        if (j->ans[i].has_a || j->ans[i].has_cname)
            j->ans[i].timed_out = false;
        j->out[i] = j->ans[i];
    }
    j->finished = true;
    pthread_mutex_lock(&j->dc->mu);
    owner_release(j->dc, j->owner);
    pthread_mutex_unlock(&j->dc->mu);
    j->done(j->arg);
}

static bool ajob_complete(const struct ajob *j)
{
    for (size_t i = 0; i < j->nq; i++)
        if (!j->qs[i].q.done)
            return false;
    return true;
}

/* Polls the channel and the wake pipe once, at most until the nearest deadline. */
static void event_wait(struct dnscheck *dc, ares_channel channel, const struct ajob *active)
{
    long long now = now_ms(), next = now + 1000;
    for (const struct ajob *j = active; j; j = j->next)
        if (!j->finished && j->deadline < next)
            next = j->deadline;
    long long left = next > now ? next - now : 0;
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    unsigned bits = (unsigned)ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    struct pollfd pfds[ARES_GETSOCK_MAXNUM + 1];
    nfds_t npfd = 0;
    pfds[npfd++] = (struct pollfd){.fd = dc->wake[0], .events = POLLIN};
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
    if (r > 0 && pfds[0].revents) {
        char buf[64];
        while (read(dc->wake[0], buf, sizeof buf) > 0) {
        }
    }
    bool any = false;
    for (nfds_t i = 1; r > 0 && i < npfd; i++) {
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
}

static void *event_main(void *arg)
{
    struct dnscheck *dc = arg;
    ares_channel channel = NULL;
    bool have_channel = channel_open(dc, &channel) == 0;
    struct ajob *active = NULL;
    for (;;) {
        pthread_mutex_lock(&dc->mu);
        struct ajob *fresh = dc->queued;
        dc->queued = NULL;
        bool stopping = dc->stopping;
        pthread_mutex_unlock(&dc->mu);
        while (fresh) {
            struct ajob *j = fresh;
            fresh = j->next;
            j->next = active;
            active = j;
            for (size_t i = 0; have_channel && !stopping && i < j->nq; i++) {
                j->sent++;
                j->open++;
                ares_query(channel, j->qs[i].q.host, DNS_CLASS_IN, j->qs[i].q.type, on_async_reply,
                           &j->qs[i]);
            }
        }
        long long now = now_ms();
        for (struct ajob **pp = &active; *pp;) {
            struct ajob *j = *pp;
            if (!j->finished &&
                (stopping || !have_channel || now >= j->deadline || ajob_complete(j)))
                ajob_finish(j);
            if (j->finished && j->open == 0) {
                *pp = j->next;
                ajob_free(j);
            } else {
                pp = &j->next;
            }
        }
        if (stopping) {
            /* A job claimed before the stop may still be on its way to dnscheck_job_start. */
            pthread_mutex_lock(&dc->mu);
            int left = dc->in_flight;
            pthread_mutex_unlock(&dc->mu);
            if (left == 0)
                break;
        }
        if (have_channel)
            event_wait(dc, channel, active);
        else {
            struct pollfd p = {.fd = dc->wake[0], .events = POLLIN};
            poll(&p, 1, 1000);
        }
    }
    /* Every job has ended; the queries still open end now (callbacks with ARES_EDESTRUCTION). */
    if (have_channel)
        ares_destroy(channel);
    while (active) {
        struct ajob *j = active;
        active = j->next;
        ajob_free(j);
    }
    return NULL;
}

void dnscheck_set_limits(struct dnscheck *dc, int per_owner, int total)
{
    pthread_mutex_lock(&dc->mu);
    dc->per_owner = per_owner;
    dc->total = total < DNSCHECK_MAX_TOTAL ? total : DNSCHECK_MAX_TOTAL;
    pthread_mutex_unlock(&dc->mu);
}

/* Claims a slot for owner within the caps (callers hold mu). */
static bool owner_claim(struct dnscheck *dc, const char *owner)
{
    int total = dc->total > 0 ? dc->total : DNSCHECK_MAX_TOTAL;
    if (dc->stopping || dc->in_flight >= total)
        return false;
    struct owner_count *oc = NULL;
    for (size_t i = 0; owner[0] && i < dc->n_owners && !oc; i++)
        if (strcmp(dc->owners[i].key, owner) == 0)
            oc = &dc->owners[i];
    if (owner[0] && !oc) {
        oc = &dc->owners[dc->n_owners++];
        snprintf(oc->key, sizeof oc->key, "%s", owner);
        oc->n = 0;
    }
    if (oc && dc->per_owner > 0 && oc->n >= dc->per_owner)
        return false;
    if (oc)
        oc->n++;
    dc->in_flight++;
    return true;
}

enum dnscheck_status dnscheck_job_new(struct dnscheck *dc, const char *owner,
                                      const char *const *hosts, size_t n,
                                      struct dns_answer *answers, struct dnscheck_job **out)
{
    *out = NULL;
    if (dc == NULL || (n > 0 && (hosts == NULL || answers == NULL)))
        return DNSCHECK_ERROR;
    size_t remote = 0;
    bool *is_remote = calloc(n + 1, sizeof *is_remote);
    if (is_remote == NULL)
        return DNSCHECK_ERROR;
    for (size_t i = 0; i < n; i++) {
        memset(&answers[i], 0, sizeof answers[i]);
        if (dc->local != NULL && dc->local(dc->ctx, hosts[i], &answers[i]) == 1)
            continue;
        memset(&answers[i], 0, sizeof answers[i]);
        is_remote[i] = true;
        remote++;
    }
    if (remote == 0) {
        free(is_remote);
        return DNSCHECK_DONE;
    }
    struct ajob *j = calloc(1, sizeof *j);
    if (j)
        j->ans = calloc(n, sizeof *j->ans);
    if (j && j->ans)
        j->qs = calloc(remote * 2, sizeof *j->qs);
    if (!j || !j->qs) {
        free(is_remote);
        ajob_free(j);
        return DNSCHECK_ERROR;
    }
    j->remote = is_remote;
    j->dc = dc;
    snprintf(j->owner, sizeof j->owner, "%s", owner ? owner : "");
    j->hosts = hosts;
    j->out = answers;
    j->n = n;
    /* A and AAAA only: an alias shows its CNAME in either answer. */
    for (size_t i = 0; i < n; i++) {
        if (!is_remote[i])
            continue;
        j->qs[j->nq++] =
            (struct aquery){{.answer = &j->ans[i], .host = hosts[i], .type = DNS_TYPE_A}, j};
        j->qs[j->nq++] =
            (struct aquery){{.answer = &j->ans[i], .host = hosts[i], .type = DNS_TYPE_AAAA}, j};
    }
    pthread_mutex_lock(&dc->mu);
    bool ok = owner_claim(dc, j->owner);
    pthread_mutex_unlock(&dc->mu);
    if (!ok) {
        ajob_free(j);
        return DNSCHECK_BUSY;
    }
    *out = (struct dnscheck_job *)j;
    return DNSCHECK_STARTED;
}

void dnscheck_job_start(struct dnscheck_job *job, dnscheck_done_fn done, void *arg)
{
    struct ajob *j = (struct ajob *)job;
    struct dnscheck *dc = j->dc;
    j->done = done;
    j->arg = arg;
    j->deadline = now_ms() + dc->timeout_ms;
    pthread_mutex_lock(&dc->mu);
    j->next = dc->queued;
    dc->queued = j;
    pthread_mutex_unlock(&dc->mu);
    ssize_t w = write(dc->wake[1], "j", 1);
    (void)w; /* a full pipe already holds a wake-up */
}

void dnscheck_job_cancel(struct dnscheck_job **job)
{
    struct ajob *j = job ? (struct ajob *)*job : NULL;
    if (!j)
        return;
    pthread_mutex_lock(&j->dc->mu);
    owner_release(j->dc, j->owner);
    pthread_mutex_unlock(&j->dc->mu);
    ajob_free(j);
    *job = NULL;
}

void dnscheck_stop(struct dnscheck *dc)
{
    if (dc == NULL)
        return;
    pthread_mutex_lock(&dc->mu);
    dc->stopping = true;
    pthread_mutex_unlock(&dc->mu);
    if (dc->wake[1] >= 0) {
        ssize_t w = write(dc->wake[1], "s", 1);
        (void)w;
    }
    /* The thread ends every job (their done callbacks run) before it exits. */
    pthread_mutex_lock(&dc->mu);
    while (dc->running && dc->in_flight > 0)
        pthread_cond_wait(&dc->idle, &dc->mu);
    pthread_mutex_unlock(&dc->mu);
}

int dnscheck_run(struct dnscheck *dc, const char *const *hosts, size_t n,
                 struct dns_answer *answers)
{
    if (dc == NULL || (n > 0 && (hosts == NULL || answers == NULL)))
        return -1;
    long long deadline = now_ms() + dc->timeout_ms;
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
    if (channel_open(dc, &channel) != 0)
        goto out;
    for (size_t i = 0; i < nq; i++)
        ares_query(channel, qs[i].host, DNS_CLASS_IN, qs[i].type, on_reply, &qs[i]);
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
