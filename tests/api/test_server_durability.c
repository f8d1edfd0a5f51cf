/* mxapid, live on loopback: every change answered 200 survives a SIGKILL, with its audit
 * entry. Two writers stream PUTs with correct If-Match; the server is killed mid-stream,
 * restarted on the same database, and the history is compared with what was acknowledged. */
#include <criterion/criterion.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

#define MAX_WRITES 20000

static struct server_proc sp;

static void down(void)
{
    server_proc_cleanup(&sp);
}

/* One writer: its domain, and every (version, priority) the server acknowledged with 200. */
struct writer {
    int port;
    const char *name;
    char tok[128];
    long long version[MAX_WRITES];
    int priority[MAX_WRITES];
    atomic_int acked;
    char last_error[256];
};

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    char etag[64];
    if (api_mx_version(w->port, w->tok, w->name, etag) < 1) {
        snprintf(w->last_error, sizeof w->last_error, "first GET failed");
        return NULL;
    }
    for (int i = 0; i < MAX_WRITES; i++) {
        /* Each version carries its own priority, so the history shows which write it was. */
        int prio = i + 1;
        char body[200];
        snprintf(
            body, sizeof body,
            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":%d}]}",
            prio);
        struct http_response r;
        if (api_mx_put(w->port, w->tok, w->name, etag, body, &r) != 0) {
            snprintf(w->last_error, sizeof w->last_error, "transport error after %d", i);
            return NULL; /* the server is gone */
        }
        const char *e = http_header_get(&r, "ETag");
        if (r.status != 200 || e == NULL || strlen(e) >= sizeof etag) {
            snprintf(w->last_error, sizeof w->last_error, "status %d after %d", r.status, i);
            http_response_free(&r);
            return NULL;
        }
        int n = atomic_load(&w->acked);
        w->version[n] = (long long)http_json_number(&r, "version", -1);
        w->priority[n] = prio;
        memcpy(etag, e, strlen(e) + 1);
        http_response_free(&r);
        atomic_store(&w->acked, n + 1);
    }
    return NULL;
}

static bool enough(void *ctx)
{
    struct writer **ws = ctx;
    return atomic_load(&ws[0]->acked) >= 30 && atomic_load(&ws[1]->acked) >= 30;
}

/* Reads the whole history of name into a cJSON array (caller deletes). */
static cJSON *whole_history(int port, const char *tok, const char *name)
{
    cJSON *all = cJSON_CreateArray();
    for (int offset = 0;; offset += 500) {
        char path[256];
        snprintf(path, sizeof path, "/v1/domains/%s/mx/history?offset=%d&limit=500", name, offset);
        struct http_response r;
        cr_assert_eq(http_call(port, "GET", path, tok, NULL, NULL, &r), 0);
        cr_assert_eq(r.status, 200, "%s", r.body);
        cJSON *entries = http_json_item(&r, "entries");
        cr_assert(cJSON_IsArray(entries));
        int n = cJSON_GetArraySize(entries);
        cJSON *e;
        cJSON_ArrayForEach(e, entries) cJSON_AddItemToArray(all, cJSON_Duplicate(e, true));
        int total = (int)http_json_number(&r, "total", -1);
        http_response_free(&r);
        if (n == 0 || offset + n >= total)
            break;
    }
    return all;
}

static void verify(struct writer *w, int port, const char *tok)
{
    int acked = atomic_load(&w->acked);
    cJSON *hist = whole_history(port, tok, w->name);
    int found = 0;
    for (int i = 0; i < acked; i++) {
        cJSON *match = NULL, *e;
        cJSON_ArrayForEach(e, hist)
        {
            cJSON *v = cJSON_GetObjectItem(e, "version");
            if (cJSON_IsNumber(v) && (long long)v->valuedouble == w->version[i])
                match = e;
        }
        cr_assert_not_null(match, "%s: version %lld was answered 200 but is not in the history",
                           w->name, w->version[i]);
        cJSON *after = cJSON_GetObjectItem(match, "after");
        cJSON *prio = cJSON_GetObjectItem(
            cJSON_GetArrayItem(cJSON_GetObjectItem(after, "primary"), 0), "priority");
        cr_assert(cJSON_IsNumber(prio) && (int)prio->valuedouble == w->priority[i],
                  "%s: version %lld has the wrong configuration", w->name, w->version[i]);
        cr_assert_str_eq(cJSON_GetObjectItem(match, "actor")->valuestring, "10001");
        cr_assert_str_eq(cJSON_GetObjectItem(match, "action")->valuestring, "update");
        found++;
    }
    cJSON_Delete(hist);
    cr_assert_eq(found, acked);

    char etag[64];
    long long cur = api_mx_version(port, tok, w->name, etag);
    cr_assert_geq(cur, w->version[acked - 1], "%s: current version %lld < last answered %lld",
                  w->name, cur, w->version[acked - 1]);
    /* Acknowledged versions are consecutive: no write was lost between two answers. */
    for (int i = 1; i < acked; i++)
        cr_assert_eq(w->version[i], w->version[i - 1] + 1);
}

Test(durability, acknowledged_changes_survive_sigkill, .fini = down, .timeout = 120)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    static struct writer w1, w2;
    w1 = (struct writer){.port = sp.port, .name = "example.de"};
    w2 = (struct writer){.port = sp.port, .name = "example.org"};
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", w1.tok), 0);
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", w2.tok), 0);
    pthread_t t1, t2;
    cr_assert_eq(pthread_create(&t1, NULL, writer_main, &w1), 0);
    cr_assert_eq(pthread_create(&t2, NULL, writer_main, &w2), 0);
    struct writer *ws[2] = {&w1, &w2};
    bool got = test_wait_until(enough, ws, 30000);
    /* Mid-stream: the writers are still sending when the server dies. */
    server_proc_kill(&sp);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    cr_assert(got, "writers did not get 30 answers each in 30 s (%d, %d; %s / %s)",
              atomic_load(&w1.acked), atomic_load(&w2.acked), w1.last_error, w2.last_error);
    cr_log_info("acknowledged before the kill: %d and %d", atomic_load(&w1.acked),
                atomic_load(&w2.acked));

    cr_assert_eq(api_server_restart(&sp, NULL), 0, "mxapid did not restart on the same database");
    char tok[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    verify(&w1, sp.port, tok);
    verify(&w2, sp.port, tok);
    /* The restarted server takes writes again. */
    char etag[64];
    long long cur = api_mx_version(sp.port, tok, "example.de", etag);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, "{\"mode\":\"provider\"}", &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(http_json_number(&r, "version", -1), cur + 1);
    http_response_free(&r);
}

Test(durability, restart_keeps_data_and_sigterm_exits_0, .fini = down, .timeout = 60)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    char tok[128], etag[64];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    long long v = api_mx_version(sp.port, tok, "example.de", etag);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag, "{\"mode\":\"none\"}", &r), 0);
    cr_assert_eq(r.status, 200);
    http_response_free(&r);
    int status = server_proc_stop(&sp);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "SIGTERM: wait status %d", status);
    /* Seeding again is a no-op: the change is still there. */
    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    cr_assert_eq(api_mx_version(sp.port, tok, "example.de", etag), v + 1);
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_str_eq(http_json_string(&r, "mode"), "none");
    http_response_free(&r);
}

/* Several clients save on the same ETag at the same moment: exactly one wins, the others get
 * 409 stale with the winner's configuration. */
struct racer {
    int port;
    char tok[128];
    char etag[64];
    int prio;
    pthread_barrier_t *start;
    int status;
    long long current_version;
};

static void *racer_main(void *arg)
{
    struct racer *r = arg;
    char body[200];
    snprintf(body, sizeof body,
             "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":%d}]}",
             r->prio);
    pthread_barrier_wait(r->start);
    struct http_response resp;
    if (api_mx_put(r->port, r->tok, "example.de", r->etag, body, &resp) == 0) {
        r->status = resp.status;
        r->current_version = (long long)http_json_number(&resp, "error.current.version", -1);
        http_response_free(&resp);
    }
    return NULL;
}

Test(durability, same_etag_race_has_one_winner, .fini = down, .timeout = 60)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    enum { N = 6 };
    static struct racer rs[N];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, N);
    char tok[128], etag[64];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
    long long v = api_mx_version(sp.port, tok, "example.de", etag);
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        rs[i] = (struct racer){.port = sp.port, .prio = 10 + i, .start = &start};
        memcpy(rs[i].tok, tok, sizeof tok);
        memcpy(rs[i].etag, etag, sizeof etag);
        cr_assert_eq(pthread_create(&th[i], NULL, racer_main, &rs[i]), 0);
    }
    int wins = 0, stale = 0, winner = -1;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        if (rs[i].status == 200) {
            wins++;
            winner = i;
        } else if (rs[i].status == 409) {
            stale++;
            cr_assert_eq(rs[i].current_version, v + 1);
        }
    }
    pthread_barrier_destroy(&start);
    cr_assert_eq(wins, 1, "%d writers won with the same ETag", wins);
    cr_assert_eq(stale, N - 1);
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", "/v1/domains/example.de/mx", tok, NULL, NULL, &r), 0);
    cr_assert_eq(http_json_number(&r, "version", -1), v + 1);
    cr_assert_eq(http_json_number(&r, "primary.0.priority", -1), rs[winner].prio);
    http_response_free(&r);
}
