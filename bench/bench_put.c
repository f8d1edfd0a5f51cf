/* bench_put: durable MX changes per second against a running mxapid. Each connection is one
 * thread on its own domain of the bulk data set (bulkNNNNNNN.example), sending PUTs with the
 * correct If-Match on a keep-alive connection for a fixed time. Prints changes/s and latency
 * percentiles of the PUTs answered 200.
 * Usage: bench_put PORT LOGIN PASSWORD CONNECTIONS SECONDS */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

#define MAX_SAMPLES 200000

struct worker {
    int port;
    int index;
    const char *token;
    long long until_ms;
    double *lat_ms; /* one per PUT answered 200 */
    size_t n_ok;
    size_t n_fail;
    int last_status;
};

/* One request on an open keep-alive connection; reconnects once when the server closed it. */
static int exchange(int *fd, int port, const char *req, size_t len, struct http_response *r)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        if (*fd < 0)
            *fd = http_connect(port, 5000);
        if (*fd < 0)
            return -1;
        if (http_send_all(*fd, req, len, 5000) == 0 &&
            http_read_response(*fd, false, 10000, r) == 0) {
            const char *conn = http_header_get(r, "Connection");
            if (conn != NULL && strcmp(conn, "close") == 0) {
                close(*fd);
                *fd = -1;
            }
            return 0;
        }
        close(*fd);
        *fd = -1;
    }
    return -1;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    char domain[64], req[1024], etag[64] = "";
    snprintf(domain, sizeof domain, "bulk%07d.example", w->index);
    int fd = -1;
    struct http_response r = {0};
    int n = snprintf(
        req, sizeof req,
        "GET /v1/domains/%s/mx HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n\r\n", domain,
        w->token);
    if (exchange(&fd, w->port, req, (size_t)n, &r) != 0 || r.status != 200 ||
        http_header_get(&r, "ETag") == NULL) {
        fprintf(stderr, "bench_put: GET %s failed (%d)\n", domain, r.status);
        http_response_free(&r);
        return NULL;
    }
    snprintf(etag, sizeof etag, "%s", http_header_get(&r, "ETag"));
    http_response_free(&r);
    for (unsigned i = 0; test_now_ms() < w->until_ms && w->n_ok < MAX_SAMPLES; i++) {
        char body[160];
        int blen = snprintf(body, sizeof body,
                            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\","
                            "\"priority\":%u}],\"backup\":[],\"provider_backup\":false}",
                            i % 60000 + 1);
        n = snprintf(
            req, sizeof req,
            "PUT /v1/domains/%s/mx HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\n"
            "If-Match: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
            domain, w->token, etag, blen, body);
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (exchange(&fd, w->port, req, (size_t)n, &r) != 0) {
            w->n_fail++;
            break;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        w->last_status = r.status;
        const char *e = http_header_get(&r, "ETag");
        if (r.status == 200 && e != NULL) {
            w->lat_ms[w->n_ok++] =
                (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
            snprintf(etag, sizeof etag, "%s", e);
        } else {
            w->n_fail++;
        }
        http_response_free(&r);
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-quantile (0..1) of n sorted samples; 0 when there are none. */
static double percentile(const double *sorted, size_t n, double p)
{
    return n == 0 ? 0.0 : sorted[(size_t)((double)(n - 1) * p)];
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_put PORT LOGIN PASSWORD CONNECTIONS SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int conns = atoi(argv[4]);
    int seconds = atoi(argv[5]);
    if (port <= 0 || conns <= 0 || conns > 64 || seconds <= 0)
        return 2;
    char token[128];
    int status = http_login(port, argv[2], argv[3], token, sizeof token);
    if (status != 201) {
        fprintf(stderr, "bench_put: login failed (%d)\n", status);
        return 1;
    }
    int rc = 1;
    int started = 0;
    double *all = NULL;
    struct worker *ws = calloc((size_t)conns, sizeof *ws);
    pthread_t *th = calloc((size_t)conns, sizeof *th);
    if (ws == NULL || th == NULL)
        goto out;
    long long start = test_now_ms();
    for (int i = 0; i < conns; i++) {
        ws[i] = (struct worker){
            .port = port, .index = i, .token = token, .until_ms = start + seconds * 1000LL};
        ws[i].lat_ms = malloc(MAX_SAMPLES * sizeof(double));
        if (ws[i].lat_ms == NULL || pthread_create(&th[i], NULL, worker_main, &ws[i]) != 0)
            break;
        started++;
    }
    size_t ok = 0, fail = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
        ok += ws[i].n_ok;
        fail += ws[i].n_fail;
    }
    if (started < conns)
        goto out;
    double elapsed = (double)(test_now_ms() - start) / 1000.0;
    all = malloc((ok + 1) * sizeof(double));
    if (all == NULL)
        goto out;
    size_t k = 0;
    for (int i = 0; i < conns; i++) {
        memcpy(all + k, ws[i].lat_ms, ws[i].n_ok * sizeof(double));
        k += ws[i].n_ok;
    }
    qsort(all, ok, sizeof(double), cmp_double);
    printf("connections=%d seconds=%.1f changes=%zu failed=%zu changes_per_s=%.0f "
           "p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
           conns, elapsed, ok, fail, (double)ok / elapsed, percentile(all, ok, 0.50),
           percentile(all, ok, 0.90), percentile(all, ok, 0.99), percentile(all, ok, 1.0));
    rc = fail > 0 && ok == 0 ? 1 : 0;
out:
    for (int i = 0; ws != NULL && i < conns; i++)
        free(ws[i].lat_ms);
    free(all);
    free(ws);
    free(th);
    return rc;
}
