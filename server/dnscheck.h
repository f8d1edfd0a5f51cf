/* dnscheck: what DNS says about MX target hosts: the server's own zones first, then a resolver
 * (c-ares). */
#ifndef DNSCHECK_H
#define DNSCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* What was found for one host. Addresses are in presentation form. */
struct dns_answer {
    bool has_a, has_aaaa, has_cname, timed_out; /* timed_out: no answer could be had */
    char a[8][46];
    size_t n_a; /* textual addresses */
    char aaaa[8][46];
    size_t n_aaaa;
    char cname[256]; /* target, "" when none */
};

/* Answers for host_ascii (A-label, trailing dot) from the server's own zone data. Returns 1 when
 * host lies inside a zone the server is authoritative for (out is then final), 0 otherwise. */
typedef int (*dnscheck_local_fn)(void *ctx, const char *host_ascii, struct dns_answer *out);

/* A checker: the resolver to ask and the local zone callback. Immutable after creation, so one
 * checker serves every thread. */
struct dnscheck;

/* resolver "HOST:PORT" or NULL for the system's; timeout_ms per check. local may be NULL; ctx is
 * passed to it and stays owned by the caller. NULL on error. */
struct dnscheck *dnscheck_new(const char *resolver, int timeout_ms, dnscheck_local_fn local,
                              void *ctx);
/* Frees the checker; sets *dc to NULL. NULL-safe. */
void dnscheck_free(struct dnscheck **dc);
/* Checks in flight at most, whatever the caps (the owners table is this large). */
#define DNSCHECK_MAX_TOTAL 4096
/* Longest owner key plus its NUL. */
#define DNSCHECK_OWNER_SIZE 48

/* Caps of the asynchronous checks: per owner (a session) and in total; 0 for none (the total
 * is never above DNSCHECK_MAX_TOTAL). */
void dnscheck_set_limits(struct dnscheck *dc, int per_owner, int total);

/* An asynchronous check of several hosts, run on the checker's event thread. */
struct dnscheck_job;
enum dnscheck_status {
    DNSCHECK_STARTED, /* *job is ready for dnscheck_job_start */
    DNSCHECK_DONE,    /* every host was answered from the local zones: answers are final */
    DNSCHECK_BUSY,    /* over a cap (or stopping): nothing started */
    DNSCHECK_ERROR    /* out of memory, bad arguments */
};
/* Called on the event thread once the answers are in (or the deadline passed); the job is
 * gone by then. arg is the one given to dnscheck_job_start. */
typedef void (*dnscheck_done_fn)(void *arg);
/* Answers hosts[i] from the local zones in the calling thread and prepares a job for the rest,
 * claiming one slot of owner (may be NULL: counted in the total only). hosts and answers stay
 * the caller's and must outlive the job (until done, or dnscheck_job_cancel). */
enum dnscheck_status dnscheck_job_new(struct dnscheck *dc, const char *owner,
                                      const char *const *hosts, size_t n,
                                      struct dns_answer *answers, struct dnscheck_job **job);
/* Hands the job to the event thread; done(arg) runs there within the checker's timeout, with
 * answers filled. The job belongs to the checker from here on. */
void dnscheck_job_start(struct dnscheck_job *job, dnscheck_done_fn done, void *arg);
/* Drops a job that was never started and gives its slot back; sets *job to NULL. */
void dnscheck_job_cancel(struct dnscheck_job **job);
/* Refuses new jobs, ends every job in flight now (their done callbacks run, answers as timed
 * out) and returns when none is left. dnscheck_free calls it; NULL-safe. */
void dnscheck_stop(struct dnscheck *dc);

/* Looks up n hosts concurrently, blocking the calling thread at most timeout_ms; fills answers[i].
 * Safe to call from several threads at once. Returns 0, or -1 on internal error. */
int dnscheck_run(struct dnscheck *dc, const char *const *hosts, size_t n,
                 struct dns_answer *answers);

/* One MX record as a server answered it: preference and target (trailing dot; "." for null MX). */
struct dns_mx {
    unsigned priority;
    char host[256];
};

/* Asks the checker's resolver (not the local zones) for the MX set of name (A-label, trailing
 * dot), blocking at most the checker's timeout. Fills up to max records into out, sorted by
 * priority, then host. Returns how many the answer held (0 for no MX or no such name; may exceed
 * max), or -1 when no answer could be had (timeout, refusal, server failure). */
int dnscheck_mx(struct dnscheck *dc, const char *name, struct dns_mx *out, size_t max);

#endif
