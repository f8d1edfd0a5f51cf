/* bench_publish: how fast a save reaches DNS. Starts its own PowerDNS (gsqlite3, API on) and a
 * mxapid publishing to it (tests/support/dns_stack), both on loopback, with --seed bulk:N, then:
 *   1. latency: SAVES saves of example.de one after another; for each, the time from the 200 of
 *      the PUT until PowerDNS answers the new MX set over DNS (asked every millisecond or so);
 *   2. throughput: every one of the N bulk names saved at once (CONNS threads), then the time
 *      until DNS answers the new set for all of them.
 * Prints the figures as Markdown table rows. Usage: bench_publish [SAVES [N [CONNS]]]
 * (defaults 100 1000 8); run with MXTUI_BINDIR pointing at the programs. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/dns_stack.h"
#include "tests/support/test_util.h"

static struct dns_stack st;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, size_t n, double p)
{
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return sorted[i < n ? i : n - 1];
}

static void body_for(int prio, char *out, size_t size)
{
    snprintf(out, size,
             "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":%d}]}",
             prio);
}

static int put(const char *token, const char *name, int prio)
{
    char etag[64], body[256];
    if (api_mx_version(st.api.port, token, name, etag) < 1)
        return -1;
    body_for(prio, body, sizeof body);
    struct http_response r;
    if (api_mx_put(st.api.port, token, name, etag, body, &r) != 0)
        return -1;
    int status = r.status;
    http_response_free(&r);
    return status == 200 ? 0 : -1;
}

/* ---- 1. latency ---- */

static int latency(int saves)
{
    char token[128];
    if (api_login(st.api.port, "10001", "demo-10001", token) != 0)
        return -1;
    double *ms = calloc((size_t)saves, sizeof *ms);
    if (!ms)
        return -1;
    int done = 0;
    for (int i = 0; i < saves; i++) {
        int prio = 1 + i % 1000;
        if (put(token, "example.de", prio) != 0) {
            fprintf(stderr, "bench_publish: save %d failed\n", i);
            break;
        }
        long long t0 = test_now_ms();
        struct timespec a;
        clock_gettime(CLOCK_MONOTONIC, &a);
        char want[64], got[512];
        snprintf(want, sizeof want, "%d mail.example.de.", prio);
        bool seen = false;
        while (!seen && test_now_ms() - t0 < 30000)
            seen = dns_stack_mx(&st, "example.de", got, sizeof got, 1000) == 0 &&
                   strcmp(got, want) == 0;
        struct timespec b;
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (!seen) {
            fprintf(stderr, "bench_publish: save %d never reached DNS\n", i);
            break;
        }
        ms[done++] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    }
    if (done == 0) {
        free(ms);
        return -1;
    }
    qsort(ms, (size_t)done, sizeof *ms, cmp_double);
    printf("| 200 of a save -> new MX answered by PowerDNS (example.de, %d saves one after another)"
           " | median **%.1f ms**, p90 %.1f ms, p99 **%.1f ms**, max %.1f ms, min %.1f ms |\n",
           done, pct(ms, (size_t)done, 0.5), pct(ms, (size_t)done, 0.9),
           pct(ms, (size_t)done, 0.99), ms[done - 1], ms[0]);
    free(ms);
    return done == saves ? 0 : -1;
}

/* ---- 2. throughput ---- */

struct slice {
    pthread_t t;
    const char *token;
    int first, step, n;
    int failed;
};

static void name_of(int i, char *out, size_t size)
{
    static const char *const subs[] = {"", "www.", "shop.", "mail."};
    snprintf(out, size, "%sbulk%07d.example", subs[i % 4], i / 4);
}

static void *save_slice(void *arg)
{
    struct slice *s = arg;
    for (int i = s->first; i < s->n; i += s->step) {
        char name[64];
        name_of(i, name, sizeof name);
        if (put(s->token, name, 1 + i % 60000) != 0)
            s->failed++;
    }
    return NULL;
}

static int throughput(int n, int conns)
{
    char token[128];
    if (api_login(st.api.port, "20001", "demo-20001", token) != 0)
        return -1;
    struct slice *sl = calloc((size_t)conns, sizeof *sl);
    bool *seen = calloc((size_t)n, sizeof *seen);
    if (!sl || !seen) {
        free(sl);
        free(seen);
        return -1;
    }
    long long t0 = test_now_ms();
    for (int c = 0; c < conns; c++) {
        sl[c] = (struct slice){.token = token, .first = c, .step = conns, .n = n};
        pthread_create(&sl[c].t, NULL, save_slice, &sl[c]);
    }
    int failed = 0;
    for (int c = 0; c < conns; c++) {
        pthread_join(sl[c].t, NULL);
        failed += sl[c].failed;
    }
    long long t_saved = test_now_ms();
    int left = n;
    while (left > 0 && test_now_ms() - t_saved < 120000) {
        for (int i = 0; i < n; i++) {
            if (seen[i])
                continue;
            char name[64], want[64], got[512];
            name_of(i, name, sizeof name);
            snprintf(want, sizeof want, "%d mail.example.de.", 1 + i % 60000);
            if (dns_stack_mx(&st, name, got, sizeof got, 1000) == 0 && strcmp(got, want) == 0) {
                seen[i] = true;
                left--;
            }
        }
    }
    long long t_done = test_now_ms();
    printf("| %d names saved at once (%d connections), until DNS answers the new MX for all |"
           " saves answered in %.2f s (%d failed); all %d in DNS after **%.2f s** from the first"
           " save = **%.0f names/s**, %.2f s after the last 200 |\n",
           n, conns, (double)(t_saved - t0) / 1e3, failed, n - left, (double)(t_done - t0) / 1e3,
           (double)(n - left) * 1e3 / (double)(t_done - t0 > 0 ? t_done - t0 : 1),
           (double)(t_done - t_saved) / 1e3);
    free(sl);
    free(seen);
    return left == 0 && failed == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    int saves = argc > 1 ? atoi(argv[1]) : 100;
    int n = argc > 2 ? atoi(argv[2]) : 1000;
    int conns = argc > 3 ? atoi(argv[3]) : 8;
    if (saves < 1 || n < 4 || conns < 1 || conns > 64) {
        fprintf(stderr, "usage: bench_publish [SAVES [N [CONNS]]]\n");
        return 2;
    }
    char seed[32];
    snprintf(seed, sizeof seed, "bulk:%d", n);
    const char *extra[] = {"--seed", seed, "--per-ip", "256", NULL};
    const struct dns_stack_opts o = {.mxapid_args = extra};
    long long t0 = test_now_ms();
    if (dns_stack_start(&st, &o) != 0) {
        fprintf(stderr, "bench_publish: the stack did not start\n");
        return 1;
    }
    printf("| start: seed bulk:%d, create its %d zones (and the demo's) in PowerDNS |"
           " %.2f s until every zone answered and no job waited |\n",
           n, (n + 3) / 4, (double)(test_now_ms() - t0) / 1e3);
    int rc = latency(saves) == 0 && throughput(n, conns) == 0 ? 0 : 1;
    dns_stack_cleanup(&st);
    return rc;
}
