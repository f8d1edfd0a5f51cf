/* mxapid with a real resolver: MX targets outside the server's own zones are looked up through
 * --resolver (a live PowerDNS on loopback), and a resolver that never answers costs at most
 * --dns-timeout before the verdict "unverifiable". */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/pdns_proc.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static const char ZONE_SQL[] =
    "INSERT INTO domains(id,name,type) VALUES (1,'elsewhere.test','NATIVE');"
    "INSERT INTO records(domain_id,name,type,content,ttl,prio,disabled,auth) VALUES"
    " (1,'elsewhere.test','SOA','ns1.elsewhere.test. hostmaster.elsewhere.test. 1 3600 600 86400 "
    "60',60,0,0,1),"
    " (1,'mx.elsewhere.test','A','198.51.100.5',60,0,0,1),"
    " (1,'alias.elsewhere.test','CNAME','mx.elsewhere.test',60,0,0,1),"
    " (1,'six.elsewhere.test','AAAA','2001:db8::5',60,0,0,1);";

static struct pdns_proc pdns;
static struct server_proc sp;
static char tok[128];

static void up(void)
{
    cr_assert_eq(pdns_proc_start(&pdns, ZONE_SQL, "mx.elsewhere.test"), 0,
                 "PowerDNS did not start");
    char resolver[32];
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", pdns.port);
    const char *extra[] = {"--resolver", resolver, "--dns-timeout", "2000", NULL};
    cr_assert_eq(server_proc_start(&sp, extra), 0, "mxapid did not start");
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", tok), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
    pdns_proc_cleanup(&pdns);
}

TestSuite(resolver, .init = up, .fini = down, .timeout = 60);

Test(resolver, verdicts_from_the_resolver)
{
    struct http_response r;
    cr_assert_eq(
        http_call(sp.port, "POST", "/v1/domains/example.de/mx/check", tok, NULL,
                  "{\"hosts\":[\"mx.elsewhere.test.\",\"alias.elsewhere.test.\","
                  "\"six.elsewhere.test.\",\"none.elsewhere.test.\",\"mail.example.de.\"]}",
                  &r),
        0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "results.0.verdict"), "accept");
    cr_assert_str_eq(http_json_string(&r, "results.0.a.0"), "198.51.100.5");
    cr_assert_str_eq(http_json_string(&r, "results.1.code"), "cname_target");
    cr_assert_str_eq(http_json_string(&r, "results.1.cname"), "mx.elsewhere.test.");
    cr_assert_str_eq(http_json_string(&r, "results.2.code"), "aaaa_only");
    cr_assert_str_eq(http_json_string(&r, "results.2.aaaa.0"), "2001:db8::5");
    cr_assert_str_eq(http_json_string(&r, "results.3.code"), "no_address");
    /* Our own zone is answered locally, not by PowerDNS (which does not serve example.de). */
    cr_assert_str_eq(http_json_string(&r, "results.4.code"), "ok");
    cr_assert_str_eq(http_json_string(&r, "results.4.a.0"), "192.0.2.25");
    http_response_free(&r);
}

Test(resolver, save_with_a_resolved_host_has_no_warning)
{
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag,
                            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mx.elsewhere.test.\","
                            "\"priority\":10}]}",
                            &r),
                 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_assert_eq(cJSON_GetArraySize(http_json_item(&r, "warnings")), 0, "%s", r.body);
    http_response_free(&r);
    cr_assert_geq(api_mx_version(sp.port, tok, "example.de", etag), 1);
    cr_assert_eq(api_mx_put(sp.port, tok, "example.de", etag,
                            "{\"mode\":\"custom\",\"primary\":[{\"host\":\"none.elsewhere.test.\","
                            "\"priority\":10}]}",
                            &r),
                 0);
    cr_assert_eq(r.status, 422);
    cr_assert_str_eq(http_json_string(&r, "error.details.0.code"), "no_address");
    http_response_free(&r);
}

/* A resolver that swallows every query: the check gives up after --dns-timeout. */
TestSuite(silent, .fini = down, .timeout = 60);

Test(silent, check_returns_within_dns_timeout)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    cr_assert_geq(fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    char resolver[32];
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", ntohs(a.sin_port));
    const char *extra[] = {"--resolver", resolver, "--dns-timeout", "1000", NULL};
    cr_assert_eq(server_proc_start(&sp, extra), 0);
    char t[128];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", t), 0);
    long long t0 = test_now_ms();
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "POST", "/v1/domains/example.de/mx/check", t, NULL,
                           "{\"hosts\":[\"a.elsewhere.test.\",\"b.elsewhere.test.\","
                           "\"mail.example.de.\"]}",
                           &r),
                 0);
    long long took = test_now_ms() - t0;
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(http_json_string(&r, "results.0.code"), "unverifiable");
    cr_assert_str_eq(http_json_string(&r, "results.0.verdict"), "warn");
    cr_assert_str_eq(http_json_string(&r, "results.1.code"), "unverifiable");
    cr_assert_str_eq(http_json_string(&r, "results.2.code"), "ok");
    /* Both lookups run at once: one timeout, not two. */
    cr_assert_lt(took, 1000 + 700, "the check took %lld ms with --dns-timeout 1000", took);
    http_response_free(&r);
    close(fd);
}
