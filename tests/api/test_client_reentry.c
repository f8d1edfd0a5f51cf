/* api/client re-entry: callbacks that cancel other requests or free the client while
 * api_client_perform is calling back a batch of ended transfers. The answering socket is a
 * fixture of the network (it holds replies back until the test says go, so two transfers end in
 * the same perform), not a stand-in for mxapid. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/client.h"
#include "tests/support/test_util.h"

/* Accepts connections; reads each request; the first `answer` connections get the reply, all at
 * once, when go is set; later ones are held open unanswered. */
struct batch {
    int lfd;
    int port;
    int answer;
    pthread_t thread;
    atomic_int stop, go, n_read, n_sent;
    int fds[8];
    int n_fds;
};

static struct batch bx;

static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: 15\r\nConnection: close\r\n\r\n{\"status\":\"ok\"}";

static bool read_head(int fd)
{
    char buf[4096];
    size_t n = 0;
    long long deadline = test_now_ms() + 5000;
    while (n + 1 < sizeof(buf) && test_now_ms() < deadline) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 20) <= 0)
            continue;
        ssize_t got = read(fd, buf + n, sizeof(buf) - 1 - n);
        if (got <= 0)
            return false;
        n += (size_t)got;
        buf[n] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            return true;
    }
    return false;
}

static void *batch_run(void *arg)
{
    struct batch *b = arg;
    bool sent = false;
    while (!b->stop) {
        if (b->go && !sent) {
            for (int i = 0; i < b->n_fds && i < b->answer; i++) {
                (void)!send(b->fds[i], reply, sizeof(reply) - 1, MSG_NOSIGNAL);
                shutdown(b->fds[i], SHUT_WR);
                b->n_sent++;
            }
            sent = true;
        }
        struct pollfd p = {.fd = b->lfd, .events = POLLIN};
        if (poll(&p, 1, 5) <= 0)
            continue;
        int fd = accept(b->lfd, NULL, NULL);
        if (fd < 0)
            continue;
        if (b->n_fds == 8 || !read_head(fd)) {
            close(fd);
            continue;
        }
        b->fds[b->n_fds++] = fd;
        b->n_read++;
    }
    return NULL;
}

static void batch_start(int answer)
{
    memset(&bx, 0, sizeof(bx));
    bx.answer = answer;
    bx.lfd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(bx.lfd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(bx.lfd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(bx.lfd, 16), 0);
    socklen_t alen = sizeof(a);
    cr_assert_eq(getsockname(bx.lfd, (struct sockaddr *)&a, &alen), 0);
    bx.port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&bx.thread, NULL, batch_run, &bx), 0);
}

static void batch_stop(void)
{
    if (bx.lfd <= 0)
        return;
    bx.stop = 1;
    pthread_join(bx.thread, NULL);
    for (int i = 0; i < bx.n_fds; i++)
        close(bx.fds[i]);
    close(bx.lfd);
    bx.lfd = 0;
}

static struct api_client *client(void)
{
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", bx.port);
    struct api_client_options o = {.base_url = url, .timeout_ms = 20000};
    enum api_status st;
    struct api_client *c = api_client_new(&o, &st);
    cr_assert_not_null(c, "api_client_new: %s", api_status_name(st));
    return c;
}

/* Runs the loop until the fixture has read n requests. */
static void until_read(struct api_client *c, int n)
{
    long long deadline = test_now_ms() + 10000;
    while (bx.n_read < n && test_now_ms() < deadline) {
        api_client_poll(c, NULL, 0, 20);
        api_client_perform(c);
    }
    cr_assert_eq(bx.n_read, n, "the fixture read %d of %d requests", bx.n_read, n);
}

/* Lets the fixture answer and waits (without letting the client read) until it has. */
static void release_replies(int n)
{
    bx.go = 1;
    long long deadline = test_now_ms() + 5000;
    while (bx.n_sent < n && test_now_ms() < deadline)
        poll(NULL, 0, 5);
    cr_assert_eq(bx.n_sent, n);
    /* Both replies (and their FINs) are on the loopback: let them land in the socket buffers. */
    poll(NULL, 0, 50);
}

struct slot {
    struct api_client **c;
    uint64_t id;
    int calls;
    enum api_status status;
    struct slot *other; /* cancel this one (or free the client) from the callback */
    bool free_client;
    bool cancel_ok;
    int other_calls_in_cancel;
};

static int first_calls;
static struct slot *first_slot;
static bool client_freed; /* set by the callback that frees the client */

static void on_done(struct api_result *res, void *user)
{
    struct slot *s = user;
    s->calls++;
    s->status = res->status;
    if (first_calls++ > 0 || !s->other)
        return;
    first_slot = s;
    if (s->free_client) {
        api_client_free(s->c);
        client_freed = true;
        return;
    }
    int before = s->other->calls;
    s->cancel_ok = api_request_cancel(*s->c, s->other->id);
    s->other_calls_in_cancel = s->other->calls - before;
}

static void run_until_called(struct api_client **c, struct slot *slots, size_t n)
{
    long long deadline = test_now_ms() + 10000;
    for (;;) {
        bool all = true;
        for (size_t i = 0; i < n; i++)
            all = all && slots[i].calls > 0;
        if (all || !*c || test_now_ms() >= deadline)
            break;
        api_client_perform(*c);
        if (*c)
            api_client_poll(*c, NULL, 0, 20);
    }
}

TestSuite(reentry, .fini = batch_stop, .timeout = 30);

/* Two transfers end in one perform; the first callback cancels the second, whose callback has not
 * run yet: the cancel must win at once (CANCELLED, synchronously) and never call it again. */
Test(reentry, cancel_of_an_ended_request_from_a_callback_wins)
{
    batch_start(2);
    first_calls = 0;
    first_slot = NULL;
    struct api_client *c = client();
    struct slot a = {.c = &c}, b = {.c = &c};
    a.id = api_start_health(c, on_done, &a);
    b.id = api_start_health(c, on_done, &b);
    cr_assert(a.id && b.id);
    a.other = &b;
    b.other = &a;
    until_read(c, 2);
    release_replies(2);
    run_until_called(&c, &a, 1);
    run_until_called(&c, &b, 1);
    cr_assert_not_null(first_slot);
    struct slot *first = first_slot, *second = first == &a ? &b : &a;
    cr_assert(first->cancel_ok, "the cancel of an ended, not yet called back request failed");
    cr_assert_eq(first->other_calls_in_cancel, 1, "called back inside the cancel");
    cr_assert_eq(second->calls, 1, "exactly once");
    cr_assert_eq(second->status, API_ERR_CANCELLED, "%s", api_status_name(second->status));
    cr_assert_eq(first->status, API_OK, "%s", api_status_name(first->status));
    cr_assert_eq(api_client_pending(c), 0);
    api_client_free(&c);
}

/* The first callback of a batch frees the client: the other ended transfer and the one still
 * waiting are each called back once with CANCELLED, and nothing touches the freed client. */
Test(reentry, free_from_a_callback_cancels_the_rest)
{
    batch_start(2);
    first_calls = 0;
    first_slot = NULL;
    struct api_client *c = client();
    struct slot a = {.c = &c, .free_client = true}, b = {.c = &c, .free_client = true};
    struct slot d = {.c = &c};
    a.id = api_start_health(c, on_done, &a);
    b.id = api_start_health(c, on_done, &b);
    a.other = &b;
    b.other = &a;
    until_read(c, 2);
    d.id = api_start_health(c, on_done, &d); /* held unanswered */
    until_read(c, 3);
    release_replies(2);
    long long deadline = test_now_ms() + 10000;
    /* A callback frees the client (and clears c) during perform. */
    while (!client_freed && test_now_ms() < deadline) {
        api_client_perform(c);
        if (!client_freed)
            api_client_poll(c, NULL, 0, 20);
    }
    cr_assert(client_freed, "no callback freed the client");
    cr_assert_null(c, "a callback freed the client");
    cr_assert_eq(a.calls, 1);
    cr_assert_eq(b.calls, 1);
    cr_assert_eq(d.calls, 1);
    cr_assert_eq(d.status, API_ERR_CANCELLED, "%s", api_status_name(d.status));
    struct slot *second = a.status == API_OK ? &b : &a;
    cr_assert_eq(a.status == API_OK || b.status == API_OK, true);
    cr_assert_eq(second->status, API_ERR_CANCELLED, "%s", api_status_name(second->status));
}
