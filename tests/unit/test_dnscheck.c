/* dnscheck against a real PowerDNS on loopback, the local-zone callback, and resolvers that
 * refuse or never answer. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/dnscheck.h"
#include "tests/support/pdns_proc.h"
#include "tests/support/test_util.h"

/* The test links the module's object itself so it does not depend on how server/ packages its
 * objects into libraries. */
#include "server/dnscheck.c"       /* NOLINT(bugprone-suspicious-include): deliberate, see above */
#include "server/dnscheck_async.c" /* NOLINT(bugprone-suspicious-include): the same */

static const char ZONE_SQL[] =
    "INSERT INTO domains(id,name,type) VALUES (1,'zone.test','NATIVE');"
    "INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,auth) VALUES"
    " (1,'zone.test','SOA','ns1.zone.test. hostmaster.zone.test. 1 3600 600 86400 60',60,0,0,1),"
    " (1,'zone.test','NS','ns1.zone.test',60,0,0,1),"
    " (1,'mail.zone.test','A','192.0.2.25',60,0,0,1),"
    " (1,'multi.zone.test','A','192.0.2.31',60,0,0,1),"
    " (1,'multi.zone.test','A','192.0.2.32',60,0,0,1),"
    " (1,'multi.zone.test','AAAA','2001:db8::31',60,0,0,1),"
    " (1,'alias.zone.test','CNAME','mail.zone.test',60,0,0,1),"
    " (1,'away.zone.test','CNAME','mail.elsewhere.test',60,0,0,1),"
    " (1,'v6.zone.test','AAAA','2001:db8::25',60,0,0,1),"
    " (1,'txt.zone.test','TXT','\"no address here\"',60,0,0,1);";

static struct pdns_proc pdns;
static char resolver[64];

static void pdns_up(void)
{
    cr_assert_eq(pdns_proc_start(&pdns, ZONE_SQL, "mail.zone.test"), 0, "PowerDNS did not start");
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", pdns.port);
}

static void pdns_down(void)
{
    pdns_proc_cleanup(&pdns);
}

/* One answer for one host through a fresh checker. */
static struct dns_answer check_one(const char *res, int timeout_ms, const char *host)
{
    struct dns_answer ans;
    memset(&ans, 0xAB, sizeof ans);
    struct dnscheck *dc = dnscheck_new(res, timeout_ms, NULL, NULL);
    cr_assert_not_null(dc);
    const char *hosts[] = {host};
    cr_assert_eq(dnscheck_run(dc, hosts, 1, &ans), 0);
    dnscheck_free(&dc);
    cr_assert_null(dc);
    return ans;
}

TestSuite(dnscheck_pdns, .init = pdns_up, .fini = pdns_down, .timeout = 60);

Test(dnscheck_pdns, a_record)
{
    struct dns_answer a = check_one(resolver, 3000, "mail.zone.test.");
    cr_assert(a.has_a);
    cr_assert_not(a.has_aaaa);
    cr_assert_not(a.has_cname);
    cr_assert_not(a.timed_out);
    cr_assert_eq(a.n_a, 1);
    cr_assert_str_eq(a.a[0], "192.0.2.25");
    cr_assert_eq(a.n_aaaa, 0);
    cr_assert_str_eq(a.cname, "");
}

Test(dnscheck_pdns, several_addresses_both_families)
{
    struct dns_answer a = check_one(resolver, 3000, "MULTI.Zone.Test.");
    cr_assert(a.has_a && a.has_aaaa);
    cr_assert_eq(a.n_a, 2);
    bool s31 = strcmp(a.a[0], "192.0.2.31") == 0 || strcmp(a.a[1], "192.0.2.31") == 0;
    bool s32 = strcmp(a.a[0], "192.0.2.32") == 0 || strcmp(a.a[1], "192.0.2.32") == 0;
    cr_assert(s31 && s32, "got %s and %s", a.a[0], a.a[1]);
    cr_assert_eq(a.n_aaaa, 1);
    cr_assert_str_eq(a.aaaa[0], "2001:db8::31");
}

Test(dnscheck_pdns, cname_is_reported_with_its_target)
{
    struct dns_answer a = check_one(resolver, 3000, "alias.zone.test.");
    cr_assert(a.has_cname);
    cr_assert_str_eq(a.cname, "mail.zone.test.");
    cr_assert_not(a.timed_out);
}

Test(dnscheck_pdns, cname_out_of_zone)
{
    struct dns_answer a = check_one(resolver, 3000, "away.zone.test.");
    cr_assert(a.has_cname);
    cr_assert_str_eq(a.cname, "mail.elsewhere.test.");
    cr_assert_not(a.has_a);
    cr_assert_not(a.timed_out);
}

Test(dnscheck_pdns, aaaa_only)
{
    struct dns_answer a = check_one(resolver, 3000, "v6.zone.test.");
    cr_assert_not(a.has_a);
    cr_assert(a.has_aaaa);
    cr_assert_str_eq(a.aaaa[0], "2001:db8::25");
    cr_assert_not(a.timed_out);
}

Test(dnscheck_pdns, nxdomain_is_no_address_not_timeout)
{
    struct dns_answer a = check_one(resolver, 3000, "nothing.zone.test.");
    cr_assert_not(a.has_a || a.has_aaaa || a.has_cname);
    cr_assert_not(a.timed_out);
}

Test(dnscheck_pdns, nodata_is_no_address_not_timeout)
{
    struct dns_answer a = check_one(resolver, 3000, "txt.zone.test.");
    cr_assert_not(a.has_a || a.has_aaaa || a.has_cname);
    cr_assert_not(a.timed_out);
}

Test(dnscheck_pdns, refused_zone_is_unverifiable)
{
    /* PowerDNS is authoritative only: a name outside its zones is REFUSED. */
    long long t0 = test_now_ms();
    struct dns_answer a = check_one(resolver, 1500, "mail.other.test.");
    cr_assert(a.timed_out);
    cr_assert_not(a.has_a);
    cr_assert_lt(test_now_ms() - t0, 1500 + 500);
}

Test(dnscheck_pdns, many_hosts_in_one_call)
{
    const char *hosts[] = {"mail.zone.test.", "alias.zone.test.", "v6.zone.test.",
                           "nothing.zone.test.", "multi.zone.test."};
    struct dns_answer ans[5];
    struct dnscheck *dc = dnscheck_new(resolver, 3000, NULL, NULL);
    cr_assert_not_null(dc);
    cr_assert_eq(dnscheck_run(dc, hosts, 5, ans), 0);
    cr_assert(ans[0].has_a && !ans[0].has_cname);
    cr_assert(ans[1].has_cname);
    cr_assert(!ans[2].has_a && ans[2].has_aaaa);
    cr_assert(!ans[3].has_a && !ans[3].has_aaaa && !ans[3].timed_out);
    cr_assert_eq(ans[4].n_a, 2);
    dnscheck_free(&dc);
}

struct thread_job {
    struct dnscheck *dc;
    int ok;
};

static void *thread_main(void *arg)
{
    struct thread_job *job = arg;
    for (int i = 0; i < 20; i++) {
        const char *hosts[] = {"mail.zone.test.", "v6.zone.test."};
        struct dns_answer ans[2];
        if (dnscheck_run(job->dc, hosts, 2, ans) == 0 && ans[0].has_a &&
            strcmp(ans[0].a[0], "192.0.2.25") == 0 && !ans[1].has_a && ans[1].has_aaaa)
            job->ok++;
    }
    return NULL;
}

Test(dnscheck_pdns, one_checker_many_threads)
{
    struct dnscheck *dc = dnscheck_new(resolver, 3000, NULL, NULL);
    cr_assert_not_null(dc);
    pthread_t th[4];
    struct thread_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){.dc = dc};
        cr_assert_eq(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(jobs[i].ok, 20, "thread %d: %d of 20 right", i, jobs[i].ok);
    }
    dnscheck_free(&dc);
}

/* The server's own zone: example.de with one A and one CNAME; everything else is not ours. */
static int calls;
static int local_zone(void *ctx, const char *host, struct dns_answer *out)
{
    (void)ctx;
    calls++;
    size_t n = strlen(host);
    const char *suffix = ".example.de.";
    size_t sl = strlen(suffix);
    if (n < sl || strcmp(host + n - sl, suffix) != 0)
        return 0;
    if (strcmp(host, "mail.example.de.") == 0) {
        out->has_a = true;
        snprintf(out->a[0], sizeof out->a[0], "192.0.2.25");
        out->n_a = 1;
    } else if (strcmp(host, "alias.example.de.") == 0) {
        out->has_cname = true;
        snprintf(out->cname, sizeof out->cname, "mail.example.de.");
    }
    return 1;
}

Test(dnscheck_pdns, local_zone_first_then_resolver)
{
    calls = 0;
    struct dnscheck *dc = dnscheck_new(resolver, 3000, local_zone, NULL);
    cr_assert_not_null(dc);
    const char *hosts[] = {"mail.example.de.", "alias.example.de.", "gone.example.de.",
                           "mail.zone.test."};
    struct dns_answer ans[4];
    cr_assert_eq(dnscheck_run(dc, hosts, 4, ans), 0);
    cr_assert_eq(calls, 4);
    cr_assert(ans[0].has_a);
    cr_assert_str_eq(ans[0].a[0], "192.0.2.25");
    cr_assert(ans[1].has_cname);
    /* Inside our zone and not there: final, no resolver asked, not a timeout. */
    cr_assert(!ans[2].has_a && !ans[2].has_cname && !ans[2].timed_out);
    /* Not ours: the resolver answered. */
    cr_assert(ans[3].has_a);
    cr_assert_str_eq(ans[3].a[0], "192.0.2.25");
    dnscheck_free(&dc);
}

/* A UDP socket that is bound but never read: queries vanish, as with a dead resolver. */
Test(dnscheck_silent, silent_resolver_times_out_within_deadline, .timeout = 30)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert_geq(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    char res[64];
    snprintf(res, sizeof res, "127.0.0.1:%d", ntohs(a.sin_port));

    calls = 0;
    struct dnscheck *dc = dnscheck_new(res, 800, local_zone, NULL);
    cr_assert_not_null(dc);
    const char *hosts[] = {"mail.elsewhere.test.", "mail.example.de.", "other.elsewhere.test."};
    struct dns_answer ans[3];
    long long t0 = test_now_ms();
    cr_assert_eq(dnscheck_run(dc, hosts, 3, ans), 0);
    long long took = test_now_ms() - t0;
    cr_assert_lt(took, 800 + 500, "took %lld ms", took);
    cr_assert_geq(took, 700, "gave up after %lld ms, before the timeout", took);
    cr_assert(ans[0].timed_out && !ans[0].has_a);
    cr_assert(ans[2].timed_out);
    /* The local answer does not wait for the resolver and is not a timeout. */
    cr_assert(ans[1].has_a && !ans[1].timed_out);
    dnscheck_free(&dc);
    close(fd);
}

Test(dnscheck_silent, nothing_listening_is_unverifiable, .timeout = 30)
{
    char res[64];
    snprintf(res, sizeof res, "127.0.0.1:%d", test_free_port(true));
    long long t0 = test_now_ms();
    struct dns_answer a = check_one(res, 1000, "mail.elsewhere.test.");
    cr_assert(a.timed_out);
    cr_assert_lt(test_now_ms() - t0, 1000 + 300);
}

Test(dnscheck_silent, only_local_hosts_need_no_resolver)
{
    struct dnscheck *dc = dnscheck_new("127.0.0.1:9", 3000, local_zone, NULL);
    cr_assert_not_null(dc);
    const char *hosts[] = {"mail.example.de."};
    struct dns_answer ans[1];
    long long t0 = test_now_ms();
    cr_assert_eq(dnscheck_run(dc, hosts, 1, ans), 0);
    /* Far below the resolver timeout: no query was sent. */
    cr_assert_lt(test_now_ms() - t0, 1000);
    cr_assert(ans[0].has_a);
    cr_assert_eq(dnscheck_run(dc, hosts, 0, ans), 0);
    dnscheck_free(&dc);
}

Test(dnscheck_silent, bad_arguments)
{
    cr_assert_null(dnscheck_new("not a resolver", 500, NULL, NULL));
    cr_assert_null(dnscheck_new("127.0.0.1:53", 0, NULL, NULL));
    struct dnscheck *dc = NULL;
    dnscheck_free(&dc);
    cr_assert_eq(dnscheck_run(NULL, NULL, 0, NULL), -1);
}
