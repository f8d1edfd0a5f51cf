/* The app's requests and timers: every request is tied to the view that started it and keeps
 * a copy of what it sends, so that it can be sent again (Retry after a network failure, or
 * after a new login when the session expired) and so that leaving a view cancels its
 * requests. See app.h. */
#include "tui/app_internal.h"

#include "tui/i18n.h"
#include "tui/ui.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

long long app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void req_free(struct req *r)
{
    if (!r)
        return;
    free(r->str);
    free(r->query);
    free(r->reason);
    free(r->label);
    if (r->hosts) {
        for (size_t i = 0; i < r->call.n_hosts; i++)
            free(r->hosts[i]);
        free(r->hosts);
    }
    mx_config_free(&r->cfg);
    free(r);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        *oom = true;
    return d;
}

/* A request holding its own copy of call. */
static struct req *req_new(struct view *v, int tag, const struct app_call *call)
{
    struct req *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    bool oom = false;
    r->app = v->app;
    r->view = v;
    r->tag = tag;
    r->call = *call;
    r->str = dup_or_null(call->str, &oom);
    r->query = dup_or_null(call->query, &oom);
    r->reason = dup_or_null(call->reason, &oom);
    r->label = dup_or_null(call->label, &oom);
    r->call.str = r->str;
    r->call.query = r->query;
    r->call.reason = r->reason;
    r->call.label = r->label;
    if (call->cfg) {
        r->cfg = mx_config_new();
        if (!r->cfg || mx_config_copy(r->cfg, call->cfg))
            oom = true;
        r->call.cfg = r->cfg;
    }
    if (call->n_hosts) {
        r->hosts = calloc(call->n_hosts, sizeof *r->hosts);
        if (!r->hosts)
            oom = true;
        for (size_t i = 0; r->hosts && i < call->n_hosts; i++)
            r->hosts[i] = dup_or_null(call->hosts[i], &oom);
        r->call.hosts = (const char *const *)r->hosts;
    }
    if (oom) {
        req_free(r);
        return NULL;
    }
    return r;
}

static void unlink_req(struct req **list, struct req *r)
{
    for (struct req **p = list; *p; p = &(*p)->next)
        if (*p == r) {
            *p = r->next;
            r->next = NULL;
            return;
        }
}

static bool auth_lost(enum api_status s)
{
    return s == API_ERR_SESSION_EXPIRED || s == API_ERR_UNAUTHORIZED;
}

static bool retryable(enum api_status s)
{
    return s == API_ERR_NETWORK || s == API_ERR_TIMEOUT || s == API_ERR_TLS ||
           s == API_ERR_SERVER || s == API_ERR_RATE_LIMITED;
}

static void req_done(struct api_result *res, void *user)
{
    struct req *r = user;
    struct app *a = r->app;
    unlink_req(&a->inflight, r);
    r->id = 0;
    app_dirty(a);
    struct view *v = r->view;
    if (!v) {
        req_free(r);
        return;
    }
    if (res->status == API_ERR_CANCELLED && !r->deliver_cancel) {
        req_free(r);
        return;
    }
    if (!r->is_login && auth_lost(res->status)) {
        /* The session is gone: keep the request, ask for the password over the screen, and
         * send it again afterwards, so the user keeps their place. */
        r->next = a->parked;
        a->parked = r;
        app_open_relogin(a);
        return;
    }
    /* A request that succeeds, or is sent again, makes an older failure of it moot. */
    if (a->retry && a->retry->view == v && a->retry->tag == r->tag &&
        (res->status == API_OK || retryable(res->status))) {
        req_free(a->retry);
        a->retry = NULL;
    }
    if (res->status == API_OK) {
        v->failed[0] = 0;
    } else if (!r->is_login && !r->call.quiet) {
        /* Every failure is said: on the status line, and where the view's data would be. */
        app_status(a, ROLE_ERROR, "%s", res->error.message);
        ui_copy(v->failed, sizeof v->failed, res->error.message);
        if (retryable(res->status))
            a->retry = req_new(v, r->tag, &r->call); /* F5 sends it again */
    }
    if (v->ops->result)
        v->ops->result(v, r->tag, res);
    req_free(r);
}

uint64_t req_send(struct app *a, struct req *r)
{
    struct api_client *c = a->client;
    const struct app_call *k = &r->call;
    uint64_t id = 0;
    switch (k->call) {
    case API_CALL_CUSTOMERS:
        id = api_start_customers(c, k->query ? k->query : "", req_done, r);
        break;
    case API_CALL_PACKAGES:
        id = api_start_packages(c, k->str, req_done, r);
        break;
    case API_CALL_DOMAINS:
        id = api_start_domains(c, k->num, k->query, k->offset, k->limit, req_done, r);
        break;
    case API_CALL_DNS:
        id = api_start_dns(c, k->str, req_done, r);
        break;
    case API_CALL_MX_GET:
        id = api_start_mx_get(c, k->str, req_done, r);
        break;
    case API_CALL_MX_PUT:
        id = api_start_mx_put(c, k->str, k->cfg, k->version, k->reason, req_done, r);
        break;
    case API_CALL_MX_CHECK:
        id = api_start_mx_check(c, k->str, k->hosts, k->n_hosts, req_done, r);
        break;
    case API_CALL_HISTORY:
        id = api_start_history(c, k->str, k->offset, k->limit, req_done, r);
        break;
    case API_CALL_RESTORE:
        id = api_start_restore(c, k->str, k->num, k->version, k->reason, req_done, r);
        break;
    case API_CALL_PROVIDER:
        id = api_start_provider(c, req_done, r);
        break;
    case API_CALL_HEALTH:
        id = api_start_health(c, req_done, r);
        break;
    default:
        break;
    }
    if (id) {
        r->id = id;
        r->next = a->inflight;
        a->inflight = r;
        if (!k->quiet)
            app_timer_own(a, TIMER_SPINNER, 0);
        app_dirty(a);
    }
    return id;
}

uint64_t app_request(struct view *v, int tag, const struct app_call *call)
{
    struct app *a = v->app;
    if (a->retry && a->retry->view == v && a->retry->tag == tag) {
        req_free(a->retry); /* the same request, sent anew: nothing old to try again */
        a->retry = NULL;
    }
    struct req *r = req_new(v, tag, call);
    uint64_t id = r ? req_send(a, r) : 0;
    if (!id) {
        req_free(r);
        app_status(a, ROLE_ERROR, "%s", _("The request could not be started (out of memory)."));
    }
    return id;
}

uint64_t app_login(struct view *v, int tag, const char *login, const char *password,
                   const char *otp)
{
    struct app *a = v->app;
    static const struct app_call none = {.call = API_CALL_LOGIN};
    struct req *r = req_new(v, tag, &none);
    if (!r)
        return 0;
    r->is_login = true;
    uint64_t id = api_start_login(a->client, login, password, otp, req_done, r);
    if (!id) {
        req_free(r);
        return 0;
    }
    r->id = id;
    r->next = a->inflight;
    a->inflight = r;
    app_timer_own(a, TIMER_SPINNER, 0);
    app_dirty(a);
    return id;
}

/* Cancels the requests of v matching tag; deliver says whether the view hears of it. */
static size_t cancel_matching(struct app *a, struct view *v, int tag, bool deliver)
{
    size_t n = 0;
    for (;;) {
        struct req *hit = NULL;
        for (struct req *r = a->inflight; r; r = r->next)
            if (r->view == v && (tag < 0 || r->tag == tag) && !(deliver && r->call.quiet)) {
                hit = r;
                break;
            }
        if (!hit)
            return n;
        hit->deliver_cancel = deliver;
        if (!api_request_cancel(a->client, hit->id)) {
            /* Not in the client's hands any more: forget it here. */
            unlink_req(&a->inflight, hit);
            req_free(hit);
        }
        n++;
    }
}

size_t app_cancel(struct view *v, int tag)
{
    return cancel_matching(v->app, v, tag, false);
}

size_t app_cancel_visible(struct app *a, struct view *v)
{
    return cancel_matching(a, v, -1, true);
}

bool app_busy(const struct view *v, int tag)
{
    for (const struct req *r = v->app->inflight; r; r = r->next)
        if (r->view == v && (tag < 0 || r->tag == tag))
            return true;
    return false;
}

bool req_busy_label(const struct app *a, const struct view *v, const char **label)
{
    for (const struct req *r = a->inflight; r; r = r->next)
        if (r->view == v && !r->call.quiet) {
            if (label)
                *label = r->label;
            return true;
        }
    return false;
}

static void drop_list_view(struct req **list, struct view *v)
{
    for (struct req **p = list; *p;) {
        if ((*p)->view == v) {
            struct req *r = *p;
            *p = r->next;
            req_free(r);
        } else {
            p = &(*p)->next;
        }
    }
}

void req_drop_view(struct app *a, struct view *v)
{
    for (struct req *r = a->inflight; r; r = r->next)
        if (r->view == v)
            r->view = NULL;
    /* Cancel the orphans; each callback runs now and frees its request (its view is NULL). */
    for (;;) {
        struct req *hit = NULL;
        for (struct req *r = a->inflight; r && !hit; r = r->next)
            if (!r->view)
                hit = r;
        if (!hit)
            break;
        if (!api_request_cancel(a->client, hit->id)) {
            unlink_req(&a->inflight, hit);
            req_free(hit);
        }
    }
    drop_list_view(&a->parked, v);
    if (a->retry && a->retry->view == v) {
        req_free(a->retry);
        a->retry = NULL;
    }
}

void req_resend_parked(struct app *a)
{
    struct req *list = a->parked;
    a->parked = NULL;
    /* Oldest first: they were pushed at the front. */
    struct req *rev = NULL;
    while (list) {
        struct req *n = list->next;
        list->next = rev;
        rev = list;
        list = n;
    }
    while (rev) {
        struct req *r = rev;
        rev = r->next;
        r->next = NULL;
        if (!req_send(a, r))
            req_free(r);
    }
}

void req_drop_parked(struct app *a)
{
    while (a->parked) {
        struct req *r = a->parked;
        a->parked = r->next;
        req_free(r);
    }
}

/* Timers. */

static struct timer *find_timer(struct app *a, struct view *v, int tag)
{
    for (size_t i = 0; i < a->n_timers; i++)
        if (a->timers[i].view == v && a->timers[i].tag == tag)
            return &a->timers[i];
    return NULL;
}

static void set_timer(struct app *a, struct view *v, int tag, long ms)
{
    struct timer *t = find_timer(a, v, tag);
    if (!t) {
        if (a->n_timers == TIMERS_MAX)
            return;
        t = &a->timers[a->n_timers++];
        t->view = v;
        t->tag = tag;
    }
    t->due_ms = app_now_ms() + (ms > 0 ? ms : 0);
}

static void remove_timer(struct app *a, size_t i)
{
    a->timers[i] = a->timers[--a->n_timers];
}

void app_timer(struct view *v, int tag, long ms)
{
    set_timer(v->app, v, tag, ms);
}

void app_timer_own(struct app *a, int tag, long ms)
{
    set_timer(a, NULL, tag, ms);
}

void app_timer_cancel(struct view *v, int tag)
{
    struct timer *t = find_timer(v->app, v, tag);
    if (t)
        remove_timer(v->app, (size_t)(t - v->app->timers));
}

void timers_drop_view(struct app *a, struct view *v)
{
    for (size_t i = 0; i < a->n_timers;)
        if (a->timers[i].view == v)
            remove_timer(a, i);
        else
            i++;
}

long timers_next_ms(struct app *a)
{
    if (!a->n_timers)
        return -1;
    long long now = app_now_ms(), next = a->timers[0].due_ms;
    for (size_t i = 1; i < a->n_timers; i++)
        if (a->timers[i].due_ms < next)
            next = a->timers[i].due_ms;
    return next <= now ? 0 : (long)(next - now);
}

void timers_fire(struct app *a)
{
    /* One due timer at a time: a handler may set, cancel or free (with its view) others. */
    for (int guard = 0; guard < TIMERS_MAX; guard++) {
        long long now = app_now_ms();
        size_t best = a->n_timers;
        for (size_t i = 0; i < a->n_timers; i++)
            if (a->timers[i].due_ms <= now &&
                (best == a->n_timers || a->timers[i].due_ms < a->timers[best].due_ms))
                best = i;
        if (best == a->n_timers)
            return;
        struct timer t = a->timers[best];
        remove_timer(a, best);
        if (!t.view)
            app_timer_fired(a, t.tag);
        else if (t.view->ops->timer)
            t.view->ops->timer(t.view, t.tag);
    }
}
