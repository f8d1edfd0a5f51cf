/* relay: one thread polls the listening socket, a wake-up pipe and every connection pair; the
 * controls change shared settings under a mutex and wait until the thread has applied them. */
/* accept4, pipe2, SOCK_CLOEXEC: a program the test forks meanwhile (mxctl, mxtui in a pty)
 * must not inherit the relay's sockets, or a cut connection would stay open in the child. */
#define _GNU_SOURCE
#include "tests/support/relay.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/test_util.h"

#define PAIRS_MAX  64
#define CHUNK_SIZE 4096
/* A control waits this long for the thread at most. */
#define APPLY_DEADLINE_MS 5000

/* Bytes on their way in one direction; due is when they may go on (ms, monotonic). */
struct chunk {
    struct chunk *next;
    long long due;
    size_t len, off;
    char data[];
};

struct pair {
    int cfd, sfd; /* client side, server side (-1: none) */
    struct chunk *up, *up_tail, *down, *down_tail;
    bool client_eof, server_eof;
    unsigned long long passed_down;
};

/* What the controls set; the thread copies it at the top of each turn. */
struct settings {
    int delay_ms;
    bool blackhole;
    bool refuse;
    unsigned long long limit_down;
    unsigned cut; /* incremented by relay_cut */
};

struct relay {
    int target_port, port;
    int lfd;
    int wake[2];
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t applied_cv;
    struct settings want;
    unsigned seq, applied; /* control requests made / applied by the thread */
    bool stop;
    struct relay_stats stats;
    /* the thread's own */
    struct pair pairs[PAIRS_MAX];
    size_t n_pairs;
    unsigned cut_seen;
};

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof a;
    if (getsockname(fd, (struct sockaddr *)&a, &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

static void chunks_free(struct chunk **head, struct chunk **tail)
{
    for (struct chunk *c = *head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    *head = *tail = NULL;
}

static unsigned long long chunks_bytes(const struct chunk *c)
{
    unsigned long long n = 0;
    for (; c; c = c->next)
        n += c->len - c->off;
    return n;
}

static void pair_close(struct relay *r, size_t i)
{
    struct pair *p = &r->pairs[i];
    if (p->cfd >= 0)
        close(p->cfd);
    if (p->sfd >= 0)
        close(p->sfd);
    chunks_free(&p->up, &p->up_tail);
    chunks_free(&p->down, &p->down_tail);
    r->pairs[i] = r->pairs[--r->n_pairs];
}

static void close_all(struct relay *r)
{
    while (r->n_pairs)
        pair_close(r, r->n_pairs - 1);
}

static int connect_target(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Blocking, since on loopback the connect is answered at once (accepted or refused). */
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static void accept_new(struct relay *r, const struct settings *s)
{
    for (;;) {
        int cfd = accept4(r->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0)
            return;
        int sfd = s->blackhole ? -1 : connect_target(r->target_port);
        if ((!s->blackhole && sfd < 0) || r->n_pairs == PAIRS_MAX) {
            close(cfd);
            if (sfd >= 0)
                close(sfd);
            continue;
        }
        r->pairs[r->n_pairs++] = (struct pair){.cfd = cfd, .sfd = sfd};
        pthread_mutex_lock(&r->mu);
        r->stats.accepted++;
        pthread_mutex_unlock(&r->mu);
    }
}

/* Reads what fd has into a chunk due at due. Returns the chunk (NULL: nothing now), and sets
 * *eof on end of stream or error. */
static struct chunk *read_chunk(int fd, long long due, bool *eof)
{
    struct chunk *c = malloc(sizeof *c + CHUNK_SIZE);
    if (!c) {
        *eof = true;
        return NULL;
    }
    ssize_t n = recv(fd, c->data, CHUNK_SIZE, 0);
    if (n <= 0) {
        free(c);
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            *eof = true;
        return NULL;
    }
    c->next = NULL;
    c->due = due;
    c->len = (size_t)n;
    c->off = 0;
    return c;
}

static void push(struct chunk **head, struct chunk **tail, struct chunk *c)
{
    if (*tail)
        (*tail)->next = c;
    else
        *head = c;
    *tail = c;
}

/* Sends the due part of a queue to fd, at most *budget bytes (0: unlimited). Returns bytes
 * sent, or -1 when the peer is gone. */
static long long flush(int fd, struct chunk **head, struct chunk **tail, long long now,
                       unsigned long long budget)
{
    long long sent = 0;
    while (*head && (*head)->due <= now) {
        struct chunk *c = *head;
        size_t len = c->len - c->off;
        if (budget && len > budget - (unsigned long long)sent)
            len = (size_t)(budget - (unsigned long long)sent);
        if (len == 0)
            break;
        ssize_t n = send(fd, c->data + c->off, len, MSG_NOSIGNAL);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? sent : -1;
        c->off += (size_t)n;
        sent += n;
        if (c->off < c->len)
            break;
        *head = c->next;
        if (!*head)
            *tail = NULL;
        free(c);
    }
    return sent;
}

/* One turn of a pair after poll; returns false when the pair is done and must close. */
static bool pair_turn(struct relay *r, struct pair *p, const struct pollfd *cp,
                      const struct pollfd *sp, const struct settings *s, long long now)
{
    if (cp->revents & (POLLIN | POLLHUP | POLLERR)) {
        struct chunk *c = read_chunk(p->cfd, 0, &p->client_eof);
        if (c && (s->blackhole || p->sfd < 0))
            free(c);
        else if (c)
            push(&p->up, &p->up_tail, c);
    }
    if (sp && (sp->revents & (POLLIN | POLLHUP | POLLERR))) {
        struct chunk *c = read_chunk(p->sfd, now + s->delay_ms, &p->server_eof);
        if (c && s->blackhole)
            free(c);
        else if (c)
            push(&p->down, &p->down_tail, c);
    }
    if (s->blackhole) {
        chunks_free(&p->up, &p->up_tail);
        chunks_free(&p->down, &p->down_tail);
        return !p->client_eof;
    }
    long long up = p->sfd >= 0 ? flush(p->sfd, &p->up, &p->up_tail, now, 0) : 0;
    unsigned long long left = 0;
    if (s->limit_down) {
        if (p->passed_down >= s->limit_down)
            return false;
        left = s->limit_down - p->passed_down;
    }
    long long down = flush(p->cfd, &p->down, &p->down_tail, now, left);
    if (up < 0 || down < 0)
        return false;
    p->passed_down += (unsigned long long)down;
    pthread_mutex_lock(&r->mu);
    r->stats.bytes_up += (unsigned long long)up;
    r->stats.bytes_down += (unsigned long long)down;
    pthread_mutex_unlock(&r->mu);
    if (s->limit_down && p->passed_down >= s->limit_down)
        return false;
    if (p->client_eof && !p->up && p->sfd >= 0)
        shutdown(p->sfd, SHUT_WR);
    /* The server is done and everything it said went on: so is the client's side. */
    if (p->server_eof && !p->down)
        return false;
    return !(p->client_eof && p->sfd < 0);
}

static void *relay_run(void *arg)
{
    struct relay *r = arg;
    struct pollfd fds[2 + 2 * PAIRS_MAX];
    for (;;) {
        pthread_mutex_lock(&r->mu);
        struct settings s = r->want;
        unsigned seq = r->seq;
        bool stop = r->stop;
        pthread_mutex_unlock(&r->mu);
        if (stop)
            break;
        if (s.cut != r->cut_seen) {
            close_all(r);
            r->cut_seen = s.cut;
        }
        if (s.refuse && r->lfd >= 0) {
            close(r->lfd);
            r->lfd = -1;
        } else if (!s.refuse && r->lfd < 0) {
            r->lfd = listen_on(r->port);
        }
        if (s.blackhole)
            for (size_t i = 0; i < r->n_pairs; i++) {
                chunks_free(&r->pairs[i].up, &r->pairs[i].up_tail);
                chunks_free(&r->pairs[i].down, &r->pairs[i].down_tail);
            }
        long long now = test_now_ms();
        unsigned long long held = 0;
        int timeout = 1000;
        for (size_t i = 0; i < r->n_pairs; i++) {
            const struct chunk *d = r->pairs[i].down;
            held += chunks_bytes(d);
            if (d && d->due > now && d->due - now < timeout)
                timeout = (int)(d->due - now);
            else if (d && d->due <= now)
                timeout = 0;
        }
        pthread_mutex_lock(&r->mu);
        r->stats.open = r->n_pairs;
        r->stats.held = held;
        r->applied = seq;
        pthread_cond_broadcast(&r->applied_cv);
        pthread_mutex_unlock(&r->mu);

        size_t n = 0;
        fds[n++] = (struct pollfd){.fd = r->wake[0], .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = r->lfd, .events = POLLIN};
        for (size_t i = 0; i < r->n_pairs; i++) {
            const struct pair *p = &r->pairs[i];
            bool due = p->down && p->down->due <= now;
            fds[n++] = (struct pollfd){
                .fd = p->cfd,
                .events = (short)((p->client_eof ? 0 : POLLIN) | (due ? POLLOUT : 0))};
            fds[n++] = (struct pollfd){
                .fd = p->sfd,
                .events = (short)((p->server_eof ? 0 : POLLIN) | (p->up ? POLLOUT : 0))};
        }
        if (poll(fds, n, timeout) < 0 && errno != EINTR)
            break;
        if (fds[0].revents & POLLIN) {
            char buf[64];
            while (read(r->wake[0], buf, sizeof buf) > 0) {
            }
        }
        now = test_now_ms();
        /* Pairs first, by the indices poll saw; new ones are appended after. */
        for (size_t i = r->n_pairs; i-- > 0;) {
            struct pollfd *cp = &fds[2 + 2 * i], *sp = &fds[3 + 2 * i];
            if (!pair_turn(r, &r->pairs[i], cp, r->pairs[i].sfd >= 0 ? sp : NULL, &s, now))
                pair_close(r, i);
        }
        if (r->lfd >= 0 && (fds[1].revents & POLLIN))
            accept_new(r, &s);
    }
    close_all(r);
    if (r->lfd >= 0)
        close(r->lfd);
    r->lfd = -1;
    return NULL;
}

/* Changes the settings with fn and waits until the thread has applied them. */
static void control(struct relay *r, void (*fn)(struct settings *, const void *), const void *arg)
{
    pthread_mutex_lock(&r->mu);
    fn(&r->want, arg);
    unsigned mine = ++r->seq;
    pthread_mutex_unlock(&r->mu);
    (void)!write(r->wake[1], "x", 1);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += APPLY_DEADLINE_MS / 1000;
    pthread_mutex_lock(&r->mu);
    while (r->running && (int)(r->applied - mine) < 0) {
        if (pthread_cond_timedwait(&r->applied_cv, &r->mu, &until) == ETIMEDOUT) {
            fprintf(stderr, "relay: control not applied within %d ms\n", APPLY_DEADLINE_MS);
            break;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

static void set_delay(struct settings *s, const void *arg)
{
    s->delay_ms = *(const int *)arg;
}

static void set_blackhole(struct settings *s, const void *arg)
{
    s->blackhole = *(const bool *)arg;
}

static void set_refuse(struct settings *s, const void *arg)
{
    s->refuse = *(const bool *)arg;
}

static void set_limit(struct settings *s, const void *arg)
{
    s->limit_down = *(const unsigned long long *)arg;
}

static void set_cut(struct settings *s, const void *arg)
{
    (void)arg;
    s->cut++;
}

void relay_set_delay_ms(struct relay *r, int ms)
{
    int v = ms < 0 ? 0 : ms;
    control(r, set_delay, &v);
}

void relay_set_blackhole(struct relay *r, bool on)
{
    control(r, set_blackhole, &on);
}

void relay_set_refuse(struct relay *r, bool on)
{
    control(r, set_refuse, &on);
}

void relay_set_limit_down(struct relay *r, unsigned long long bytes)
{
    control(r, set_limit, &bytes);
}

void relay_cut(struct relay *r)
{
    control(r, set_cut, NULL);
}

void relay_stats(struct relay *r, struct relay_stats *out)
{
    pthread_mutex_lock(&r->mu);
    *out = r->stats;
    pthread_mutex_unlock(&r->mu);
}

int relay_port(const struct relay *r)
{
    return r->port;
}

void relay_url(const struct relay *r, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%d", r->port);
}

struct relay *relay_start(int target_port)
{
    struct relay *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->target_port = target_port;
    r->wake[0] = r->wake[1] = -1;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->applied_cv, NULL);
    r->lfd = listen_on(0);
    if (r->lfd < 0 || pipe2(r->wake, O_NONBLOCK | O_CLOEXEC) != 0)
        goto fail;
    r->port = bound_port(r->lfd);
    if (r->port == 0 || pthread_create(&r->thread, NULL, relay_run, r) != 0)
        goto fail;
    r->running = true;
    return r;
fail:
    fprintf(stderr, "relay: cannot start: %s\n", strerror(errno));
    relay_free(&r);
    return NULL;
}

void relay_stop(struct relay *r)
{
    if (!r || !r->running)
        return;
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_mutex_unlock(&r->mu);
    (void)!write(r->wake[1], "x", 1);
    pthread_join(r->thread, NULL);
    pthread_mutex_lock(&r->mu);
    r->running = false;
    r->stats.open = 0;
    pthread_cond_broadcast(&r->applied_cv);
    pthread_mutex_unlock(&r->mu);
}

void relay_free(struct relay **rp)
{
    struct relay *r = rp ? *rp : NULL;
    if (!r)
        return;
    relay_stop(r);
    if (r->lfd >= 0)
        close(r->lfd);
    for (int i = 0; i < 2; i++)
        if (r->wake[i] >= 0)
            close(r->wake[i]);
    pthread_cond_destroy(&r->applied_cv);
    pthread_mutex_destroy(&r->mu);
    free(r);
    *rp = NULL;
}
