/* mxapid and slow clients: connections from a few addresses that trickle a byte now and then
 * into their request heads neither keep a connection forever (a request has --request-timeout
 * from its first byte, whatever trickles in) nor lock other clients out (the last
 * --conn-reserve slots are for addresses that hold few connections). */
#include <criterion/criterion.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(slow, .fini = down, .timeout = 90);

enum { ATTACKERS = 5, PER_ATTACKER = 10, N_SLOW = ATTACKERS * PER_ATTACKER };

struct slow {
    int fd;
    bool closed;
};

/* A GET /healthz from its own address; true when it was answered 200. */
static bool normal_client_served(const char *source)
{
    int fd = http_connect_from(sp.port, source, 2000);
    if (fd < 0)
        return false;
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct http_response r;
    bool ok = http_send_all(fd, req, sizeof req - 1, 2000) == 0 &&
              http_read_response(fd, false, 2000, &r) == 0 && r.status == 200;
    if (ok)
        http_response_free(&r);
    close(fd);
    return ok;
}

/* Sends one more byte on every slow connection still open and notes the ones the server
 * closed. Returns how many are still open. */
static int trickle(struct slow *s, int n)
{
    int open = 0;
    for (int i = 0; i < n; i++) {
        if (s[i].closed)
            continue;
        struct pollfd p = {.fd = s[i].fd, .events = POLLIN};
        char buf[256];
        if (poll(&p, 1, 0) == 1 && read(s[i].fd, buf, sizeof buf) <= 0) {
            s[i].closed = true;
            continue;
        }
        if (http_send_all(s[i].fd, "a", 1, 200) != 0) {
            s[i].closed = true;
            continue;
        }
        open++;
    }
    return open;
}

Test(slow, slow_heads_are_cut_off_and_others_are_served)
{
    /* The reserve must exceed what five addresses may still open in it (3 each). */
    const char *extra[] = {"--max-connections",
                           "40",
                           "--per-ip",
                           "20",
                           "--conn-reserve",
                           "20",
                           "--request-timeout",
                           "2",
                           "--conn-timeout",
                           "30",
                           "--threads",
                           "2",
                           NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    struct slow s[N_SLOW];
    int accepted = 0;
    for (int i = 0; i < N_SLOW; i++) {
        char src[32];
        snprintf(src, sizeof src, "127.0.0.%d", 2 + i / PER_ATTACKER);
        s[i].fd = http_connect_from(sp.port, src, 2000);
        s[i].closed = s[i].fd < 0;
        static const char head[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
        if (!s[i].closed && http_send_all(s[i].fd, head, sizeof head - 1, 2000) != 0)
            s[i].closed = true;
    }
    /* A normal client at another address is answered while they trickle. */
    long long t0 = test_now_ms();
    int served = 0, tries = 0;
    while (test_now_ms() - t0 < 1500) {
        trickle(s, N_SLOW);
        tries++;
        served += normal_client_served("127.0.0.100");
        test_pause_ms(100);
    }
    for (int i = 0; i < N_SLOW; i++)
        accepted += !s[i].closed;
    cr_assert_eq(served, tries,
                 "the normal client was answered %d of %d times next to %d slow "
                 "connections",
                 served, tries, accepted);
    /* Every slow connection is closed by the server within its deadline (2 s) and a margin,
     * although a byte arrives every 300 ms (which renews the idle timeout of 30 s). */
    int open = N_SLOW;
    while (open > 0 && test_now_ms() - t0 < 8000) {
        open = trickle(s, N_SLOW);
        test_pause_ms(300);
    }
    for (int i = 0; i < N_SLOW; i++)
        if (s[i].fd >= 0)
            close(s[i].fd);
    cr_assert_eq(open, 0, "%d of %d slow connections were still open after 8 s", open, accepted);
    cr_assert(normal_client_served("127.0.0.1"), "not served afterwards");
}

/* A request that trickles in fast enough to finish within the deadline is served: the clock
 * is the total time, and a normal slow line does not trip it. */
Test(slow, a_request_within_the_deadline_is_served)
{
    const char *extra[] = {"--request-timeout", "3", NULL};
    cr_assert_eq(api_server_start(&sp, extra), 0, "mxapid did not start");
    int fd = http_connect(sp.port, 2000);
    cr_assert_geq(fd, 0);
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (size_t i = 0; i < sizeof req - 1; i += 10) {
        size_t n = sizeof req - 1 - i < 10 ? sizeof req - 1 - i : 10;
        cr_assert_eq(http_send_all(fd, req + i, n, 1000), 0);
        test_pause_ms(200);
    }
    struct http_response r;
    cr_assert_eq(http_read_response(fd, false, 5000, &r), 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    close(fd);
}
