/* bench_checks: keeps N DNS checks waiting in a running mxapid (whose --resolver never answers)
 * for a fixed time, each sent again as soon as it is answered, so that N are always in
 * flight while another program measures the server. Sessions: one per 4 checks (the default
 * --checks-per-session). Prints how many checks were answered and how.
 * Usage: bench_checks PORT LOGIN PASSWORD N SECONDS */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

#define MAX_CHECKS  512
#define PER_SESSION 4

static int send_check(int port, const char *token, int i)
{
    int fd = http_connect(port, 5000);
    if (fd < 0)
        return -1;
    char body[96], req[512];
    int bl = snprintf(body, sizeof body, "{\"hosts\":[\"mx%d.elsewhere.example.\"]}", i);
    int n = snprintf(req, sizeof req,
                     "POST /v1/domains/example.de/mx/check HTTP/1.1\r\nHost: bench\r\n"
                     "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                     token, bl, body);
    if (http_send_all(fd, req, (size_t)n, 5000) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_checks PORT LOGIN PASSWORD N SECONDS\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[4]), seconds = atoi(argv[5]);
    if (port <= 0 || n <= 0 || n > MAX_CHECKS || seconds <= 0)
        return 2;
    static char tokens[MAX_CHECKS / PER_SESSION + 1][128];
    for (int s = 0; s <= (n - 1) / PER_SESSION; s++) {
        int st = http_login(port, argv[2], argv[3], tokens[s], sizeof tokens[s]);
        if (st != 201) {
            fprintf(stderr, "bench_checks: login failed (%d)\n", st);
            return 1;
        }
    }
    int fds[MAX_CHECKS];
    for (int i = 0; i < n; i++)
        fds[i] = send_check(port, tokens[i / PER_SESSION], i);
    long long until = test_now_ms() + seconds * 1000LL;
    long answered = 0, unverifiable = 0, other = 0;
    while (test_now_ms() < until) {
        struct pollfd p[MAX_CHECKS];
        for (int i = 0; i < n; i++)
            p[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
        if (poll(p, (nfds_t)n, 200) <= 0)
            continue;
        for (int i = 0; i < n; i++) {
            if (fds[i] >= 0 && !p[i].revents)
                continue;
            struct http_response r;
            if (fds[i] >= 0 && http_read_response(fds[i], false, 2000, &r) == 0) {
                answered++;
                const char *code = http_json_string(&r, "results.0.code");
                if (r.status == 200 && code && strcmp(code, "unverifiable") == 0)
                    unverifiable++;
                else
                    other++;
                http_response_free(&r);
            }
            if (fds[i] >= 0)
                close(fds[i]);
            fds[i] = send_check(port, tokens[i / PER_SESSION], i);
        }
    }
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    printf("checks=%d seconds=%d answered=%ld unverifiable=%ld other=%ld\n", n, seconds, answered,
           unverifiable, other);
    return 0;
}
