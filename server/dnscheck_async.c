/* dnscheck_async: the event thread of the DNS checks — every asynchronous check of the
 * server on one c-ares channel that only this thread touches, its deadlines, and the caps per
 * owner and in total. The blocking lookups and the reply parser are in dnscheck.c. */
#include "server/dnscheck.h"

#include <sys/select.h> /* ares.h uses fd_set and struct timeval without including it */
#include <sys/time.h>

#include <ares.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/dnscheck_wire.h"

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
    dnscheck_on_reply(&aq->q, status, timeouts, abuf, alen);
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
    long long now = dnscheck_now_ms(), next = now + 1000;
    for (const struct ajob *j = active; j; j = j->next)
        if (!j->finished && j->deadline < next)
            next = j->deadline;
    long long left = next > now ? next - now : 0;
    if (dnscheck_poll_once(channel, dc->wake[0], left) == 1) {
        char buf[64];
        while (read(dc->wake[0], buf, sizeof buf) > 0) {
        }
    }
}

void *dnscheck_event_main(void *arg)
{
    struct dnscheck *dc = arg;
    ares_channel channel = NULL;
    bool have_channel = dnscheck_channel_open(dc, &channel) == 0;
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
        long long now = dnscheck_now_ms();
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
    j->deadline = dnscheck_now_ms() + dc->timeout_ms;
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
