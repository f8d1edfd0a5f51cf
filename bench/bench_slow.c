/* bench_slow: how many slow connections a running mxapid survives while a normal client is
 * still answered within 100 ms. Slow clients come from five loopback addresses (127.0.0.2-6),
 * send the start of a request head and then one byte per second, and connect again whenever
 * the server drops them; the normal client (127.0.0.100) sends GET /healthz on a fresh
 * connection every 50 ms and times each. For every level it prints the slow connections
 * attempted, those open at the end, and the normal client's median and maximum.
 * Usage: bench_slow PORT SECONDS_PER_LEVEL LEVEL... */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

#define MAX_SLOW  4000
#define ADDRESSES 5

static const char HEAD[] = "GET /healthz HTTP/1.1\r\nHost: bench\r\nX-Slow: ";

static int slow_open(int port, int i)
{
    char src[32];
    snprintf(src, sizeof src, "127.0.0.%d", 2 + i % ADDRESSES);
    int fd = http_connect_from(port, src, 1000);
    if (fd >= 0 && http_send_all(fd, HEAD, sizeof HEAD - 1, 1000) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/* True while the server keeps fd open. */
static bool still_open(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char buf[512];
    return !(poll(&p, 1, 0) == 1 && read(fd, buf, sizeof buf) <= 0);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_slow PORT SECONDS_PER_LEVEL LEVEL...\n");
        return 2;
    }
    int port = atoi(argv[1]), seconds = atoi(argv[2]);
    static int fds[MAX_SLOW];
    int have = 0;
    static double lat[100000];
    for (int a = 3; a < argc; a++) {
        int level = atoi(argv[a]);
        if (level < 0 || level > MAX_SLOW)
            return 2;
        for (; have < level; have++)
            fds[have] = slow_open(port, have);
        long long until = test_now_ms() + seconds * 1000LL, next_byte = 0;
        size_t n = 0, failed = 0;
        long reconnects = 0;
        while (test_now_ms() < until) {
            long long now = test_now_ms();
            if (now >= next_byte) {
                for (int i = 0; i < have; i++) {
                    if (fds[i] >= 0 &&
                        (!still_open(fds[i]) || http_send_all(fds[i], "a", 1, 100) != 0)) {
                        close(fds[i]);
                        fds[i] = -1;
                    }
                    if (fds[i] < 0) { /* an attacker connects again at once */
                        fds[i] = slow_open(port, i);
                        reconnects++;
                    }
                }
                next_byte = now + 1000;
            }
            static const char req[] =
                "GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            int fd = http_connect_from(port, "127.0.0.100", 2000);
            struct http_response r;
            bool ok = fd >= 0 && http_send_all(fd, req, sizeof req - 1, 2000) == 0 &&
                      http_read_response(fd, false, 2000, &r) == 0 && r.status == 200;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double ms =
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
            if (ok)
                http_response_free(&r);
            if (fd >= 0)
                close(fd);
            if (ok && n < sizeof lat / sizeof lat[0])
                lat[n++] = ms;
            else if (!ok)
                failed++;
            test_pause_ms(50);
        }
        int open = 0;
        for (int i = 0; i < have; i++)
            open += fds[i] >= 0 && still_open(fds[i]);
        qsort(lat, n, sizeof lat[0], cmp);
        printf("slow=%d open=%d reconnects=%ld normal_ok=%zu normal_failed=%zu p50_ms=%.2f "
               "max_ms=%.2f\n",
               level, open, reconnects, n, failed, n ? lat[n / 2] : 0.0, n ? lat[n - 1] : 0.0);
        fflush(stdout);
    }
    for (int i = 0; i < have; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    return 0;
}
