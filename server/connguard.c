/* connguard: the request deadline and the connection reserve. Every open connection is in one
 * list under one mutex; the request phases are atomics the MHD threads set without it. The
 * watchdog cuts an overdue connection with shutdown(2): libmicrohttpd then reads EOF and
 * closes it itself. The mutex also orders that shutdown before the connection's
 * MHD_CONNECTION_NOTIFY_CLOSED, which libmicrohttpd calls before it closes the socket, so the
 * watchdog never touches a descriptor that was closed and reused meanwhile. */
#define _DEFAULT_SOURCE /* struct tcp_info (Linux): when a waiting connection last received */

#include "server/connguard.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/netaddr.h"

/* How often the watchdog looks. */
#define TICK_MS      200
#define ADDR_BUCKETS 256

enum phase { PH_WAIT, PH_HEAD, PH_BUSY };

struct gconn {
    int fd;
    char key[NETADDR_KEY_SIZE];
    atomic_int phase;
    atomic_llong ready_ms; /* when it became ready for a request (accept, end of the last) */
    atomic_llong start_ms; /* when its request began arriving; 0: not yet seen */
    atomic_bool cut;
    struct gconn *prev, *next;
};

struct addr_count {
    char key[NETADDR_KEY_SIZE];
    int n;
    struct addr_count *next;
};

struct connguard {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    pthread_t thread;
    bool running, stop;
    long long timeout_ms;
    int max, reserve;
    int n;
    struct gconn *head;
    struct addr_count *addrs[ADDR_BUCKETS];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t addr_bucket(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % ADDR_BUCKETS;
}

/* The count of key, created when create is set (callers hold mu). */
static struct addr_count *addr_find(struct connguard *g, const char *key, bool create)
{
    size_t b = addr_bucket(key);
    for (struct addr_count *a = g->addrs[b]; a; a = a->next)
        if (strcmp(a->key, key) == 0)
            return a;
    if (!create)
        return NULL;
    struct addr_count *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    memcpy(a->key, key, sizeof a->key);
    a->next = g->addrs[b];
    g->addrs[b] = a;
    return a;
}

static void addr_drop(struct connguard *g, const char *key)
{
    for (struct addr_count **pp = &g->addrs[addr_bucket(key)]; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->key, key) == 0) {
            struct addr_count *a = *pp;
            if (--a->n <= 0) {
                *pp = a->next;
                free(a);
            }
            return;
        }
    }
}

/* When fd last received data, in now_ms() time, or -1 when the kernel does not say. */
static long long last_receive_ms(int fd, long long now)
{
#ifdef TCP_INFO
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0)
        return now - (long long)ti.tcpi_last_data_recv;
#else
    (void)fd;
    (void)now;
#endif
    return -1;
}

static void *watchdog_main(void *arg)
{
    struct connguard *g = arg;
    pthread_mutex_lock(&g->mu);
    while (!g->stop) {
        long long now = now_ms();
        for (struct gconn *c = g->head; c; c = c->next) {
            int ph = atomic_load(&c->phase);
            if (ph == PH_BUSY || atomic_load(&c->cut))
                continue;
            long long start = atomic_load(&c->start_ms);
            if (start == 0) {
                /* Waiting: a byte received since it became ready starts the clock (the
                 * margin keeps the handshake's own segments out). */
                long long rx = last_receive_ms(c->fd, now);
                if (rx > atomic_load(&c->ready_ms) + 50) {
                    long long zero = 0;
                    atomic_compare_exchange_strong(&c->start_ms, &zero, rx);
                }
                start = atomic_load(&c->start_ms);
            }
            if (start != 0 && now - start > g->timeout_ms) {
                atomic_store(&c->cut, true);
                shutdown(c->fd, SHUT_RDWR);
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&g->wake, &g->mu, &until);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

struct connguard *connguard_new(const struct server_opts *opts)
{
    struct connguard *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->wake, NULL);
    g->timeout_ms = (long long)opts->request_timeout * 1000;
    g->max = (int)opts->max_connections;
    g->reserve = opts->conn_reserve;
    if (pthread_create(&g->thread, NULL, watchdog_main, g) != 0) {
        connguard_free(&g);
        return NULL;
    }
    g->running = true;
    return g;
}

void connguard_free(struct connguard **pg)
{
    struct connguard *g = pg ? *pg : NULL;
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = true;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->mu);
    if (g->running)
        pthread_join(g->thread, NULL);
    for (struct gconn *c = g->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    for (size_t i = 0; i < ADDR_BUCKETS; i++) {
        for (struct addr_count *a = g->addrs[i], *n; a; a = n) {
            n = a->next;
            free(a);
        }
    }
    pthread_cond_destroy(&g->wake);
    pthread_mutex_destroy(&g->mu);
    free(g);
    *pg = NULL;
}

enum MHD_Result connguard_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addrlen;
    struct connguard *g = cls;
    char key[NETADDR_KEY_SIZE];
    netaddr_key_sockaddr(addr, key);
    pthread_mutex_lock(&g->mu);
    bool ok = g->n < g->max;
    struct addr_count *a = ok ? addr_find(g, key, true) : NULL;
    /* The last slots are for clients that hold few: a handful of addresses trickling bytes
     * into many connections must not lock everyone else out. */
    if (!a || (g->n >= g->max - g->reserve && a->n >= CONNGUARD_RESERVE_PER_ADDRESS))
        ok = false;
    if (ok) {
        /* Counted here, not when libmicrohttpd reports the connection started: two workers
         * accepting at once must not both take the last slot. */
        g->n++;
        a->n++;
    } else if (a && a->n == 0) {
        addr_drop(g, key);
    }
    pthread_mutex_unlock(&g->mu);
    return ok ? MHD_YES : MHD_NO;
}

void connguard_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode what)
{
    struct connguard *g = cls;
    if (what == MHD_CONNECTION_NOTIFY_STARTED) {
        struct gconn *c = calloc(1, sizeof *c);
        const union MHD_ConnectionInfo *fd =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ad =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (!c || !fd) {
            free(c);
            /* Still counted by connguard_accept: give its slot back. */
            char key[NETADDR_KEY_SIZE];
            netaddr_key_sockaddr(ad ? ad->client_addr : NULL, key);
            pthread_mutex_lock(&g->mu);
            g->n--;
            addr_drop(g, key);
            pthread_mutex_unlock(&g->mu);
            return;
        }
        c->fd = fd->connect_fd;
        netaddr_key_sockaddr(ad ? ad->client_addr : NULL, c->key);
        atomic_store(&c->phase, PH_WAIT);
        atomic_store(&c->ready_ms, now_ms());
        pthread_mutex_lock(&g->mu);
        c->next = g->head;
        if (g->head)
            g->head->prev = c;
        g->head = c;
        pthread_mutex_unlock(&g->mu);
        *socket_context = c;
    } else if (what == MHD_CONNECTION_NOTIFY_CLOSED) {
        struct gconn *c = *socket_context;
        if (!c)
            return;
        pthread_mutex_lock(&g->mu);
        if (c->prev)
            c->prev->next = c->next;
        else
            g->head = c->next;
        if (c->next)
            c->next->prev = c->prev;
        g->n--;
        addr_drop(g, c->key);
        pthread_mutex_unlock(&g->mu);
        free(c);
        *socket_context = NULL;
    }
}

static struct gconn *gconn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* Starts the clock at now unless a byte started it earlier. */
static void start_clock(struct gconn *c)
{
    long long zero = 0;
    atomic_compare_exchange_strong(&c->start_ms, &zero, now_ms());
}

void connguard_request_line(struct MHD_Connection *conn)
{
    struct gconn *c = gconn_of(conn);
    if (c)
        start_clock(c);
}

void connguard_head_done(struct MHD_Connection *conn)
{
    struct gconn *c = gconn_of(conn);
    if (!c)
        return;
    start_clock(c);
    atomic_store(&c->phase, PH_HEAD);
}

void connguard_body_done(struct MHD_Connection *conn)
{
    struct gconn *c = gconn_of(conn);
    if (c)
        atomic_store(&c->phase, PH_BUSY);
}

bool connguard_request_done(struct MHD_Connection *conn)
{
    struct gconn *c = gconn_of(conn);
    if (!c)
        return false;
    atomic_store(&c->ready_ms, now_ms());
    atomic_store(&c->start_ms, 0);
    atomic_store(&c->phase, PH_WAIT);
    return atomic_load(&c->cut);
}
