/* dnscheck_wire: what dnscheck.c (blocking lookups, the reply parser) and dnscheck_async.c
 * (the event thread) share. Internal to the dnscheck module: nothing else includes it. */
#ifndef DNSCHECK_WIRE_H
#define DNSCHECK_WIRE_H

#include <sys/select.h> /* ares.h uses fd_set and struct timeval without including it */
#include <sys/time.h>

#include <ares.h>
#include <pthread.h>
#include <stdbool.h>

#include "server/dnscheck.h"

#define DNS_TYPE_A     1
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_MX    15
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

/* Monotonic milliseconds. */
long long dnscheck_now_ms(void);
/* A channel with the checker's resolver and a retry ladder that fits its deadline. Returns 0,
 * or -1 (nothing to destroy). */
int dnscheck_channel_open(const struct dnscheck *dc, ares_channel *channel);
/* The c-ares callback of one A or AAAA query (arg: its struct query): marks it done and fills
 * its answer. */
void dnscheck_on_reply(void *arg, int status, int timeouts, unsigned char *abuf, int alen);
/* Polls the channel's sockets (and extra_fd when >= 0) at most left ms or until c-ares's own
 * next timeout, and hands what became ready to c-ares. Returns 1 when extra_fd became
 * readable, 0 otherwise, -1 on a poll error. */
int dnscheck_poll_once(ares_channel channel, int extra_fd, long long left);
/* The event thread (arg: the checker); started by dnscheck_new, ends after dnscheck_stop. */
void *dnscheck_event_main(void *arg);

#endif
