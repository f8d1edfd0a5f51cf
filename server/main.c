/* mxapid: the provider API server of mxtui — options, startup, orderly shutdown. */
#include <curl/curl.h>
#include <errno.h>
#include <liboath/oath.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"
#include "server/auth.h"
#include "server/connguard.h"
#include "server/db.h"
#include "server/dnscheck.h"
#include "server/http.h"
#include "server/publish.h"
#include "server/seed.h"
#include "server/server.h"
#include "server/store.h"

#define MXAPID_VERSION "0.1.0"

static const char USAGE[] =
    "usage: mxapid --listen ADDR:PORT --db FILE [options]\n"
    "\n"
    "The provider API (v1) for mxtui: accounts, packages, domains, DNS overview, MX settings.\n"
    "Prints \"mxapid listening on http(s)://ADDR:PORT\" as its first line on stdout; logs one\n"
    "line per request on stderr. SIGTERM/SIGINT finish in-flight requests and exit 0.\n"
    "\n"
    "  --listen ADDR:PORT       address to bind (port 0: any free port) (required)\n"
    "  --db FILE                SQLite database, created when missing (required)\n"
    "  --seed demo|bulk:N       fill an empty database with the demo data (bulk:N adds\n"
    "                           customer 20001 with N domains and subdomains)\n"
    "  --profile FILE           provider profile (JSON); default: the built-in profile\n"
    "  --resolver HOST:PORT     DNS resolver for MX checks; default: the system's\n"
    "  --dns-timeout MS         deadline of one DNS check (default 2000)\n"
    "  --checks-per-session N   DNS checks in flight per session (default 4) ...\n"
    "  --checks-total N         ... and in all (default 64); beyond: 429\n"
    "  --tls-cert FILE          serve HTTPS with this PEM certificate ...\n"
    "  --tls-key FILE           ... and this PEM key\n"
    "  --hash-cost LEVEL        argon2id cost: min, interactive (default), moderate\n"
    "  --session-idle SECONDS   sessions end after this idle time (default 900)\n"
    "  --sessions-per-account N  live sessions per account; the oldest ends first (default 20)\n"
    "  --login-attempts N       failed logins allowed per login and per address (default 5)\n"
    "  --login-window SECONDS   ... within this window (default 300)\n"
    "  --max-body BYTES         request body cap (default 65536)\n"
    "  --max-connections N      concurrent connections (default 256)\n"
    "  --per-ip N               concurrent connections per client address (default 64)\n"
    "  --conn-timeout SECONDS   idle connection timeout (default 30)\n"
    "  --request-timeout SECONDS  a request's head and body must arrive within this\n"
    "                           time of its first byte (default 10)\n"
    "  --conn-reserve N         the last N connection slots only for addresses holding\n"
    "                           fewer than 4 (default: --max-connections / 8)\n"
    "  --conn-memory BYTES      memory per connection for the request head (default 32768)\n"
    "  --request-limit N        requests per session per window (default 600)\n"
    "  --request-window SECONDS ... window length (default 60)\n"
    "  --threads N              worker threads (default 4)\n"
    "  --db-busy-timeout MS     wait for another process's database lock (default 10000)\n"
    "  --pdns-url URL           publish to PowerDNS through its HTTP API at URL\n"
    "                           (http(s)://HOST:PORT); without it publishing is off\n"
    "  --pdns-key-file FILE     the PowerDNS API key (one line; never on the command line)\n"
    "  --pdns-server-id ID      the server in the API's paths (default localhost)\n"
    "  --pdns-dns HOST:PORT     where PowerDNS answers DNS, for the records the MX resource\n"
    "                           shows (default: the URL's host, port 53)\n"
    "  --pdns-timeout MS        deadline of one PowerDNS call (default 5000)\n"
    "  --pdns-retry-max SECONDS longest wait between retries (default 60)\n"
    "  --help                   this text\n"
    "  --version                the version\n";

static int bad_option(const char *fmt, const char *what)
{
    fprintf(stderr, "mxapid: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, " (see mxapid --help)\n");
    return 2;
}

/* A decimal integer within [min, max]. */
static bool parse_long(const char *s, long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max)
        return false;
    *out = v;
    return true;
}

enum opt_kind { OPT_STR, OPT_INT, OPT_UINT, OPT_SIZE };

struct opt_spec {
    const char *name;
    enum opt_kind kind;
    size_t offset;
    long long min, max;
};

#define OFF(field) offsetof(struct server_opts, field)
static const struct opt_spec OPTS[] = {
    {"--listen", OPT_STR, OFF(listen), 0, 0},
    {"--db", OPT_STR, OFF(db_path), 0, 0},
    {"--seed", OPT_STR, OFF(seed), 0, 0},
    {"--profile", OPT_STR, OFF(profile_path), 0, 0},
    {"--resolver", OPT_STR, OFF(resolver), 0, 0},
    {"--dns-timeout", OPT_INT, OFF(dns_timeout_ms), 1, 60000},
    {"--tls-cert", OPT_STR, OFF(tls_cert), 0, 0},
    {"--tls-key", OPT_STR, OFF(tls_key), 0, 0},
    {"--session-idle", OPT_INT, OFF(session_idle), 1, 86400LL * 30},
    {"--sessions-per-account", OPT_INT, OFF(sessions_per_account), 1, 10000},
    {"--login-attempts", OPT_INT, OFF(login_attempts), 1, 1000000},
    {"--login-window", OPT_INT, OFF(login_window), 1, 86400},
    {"--max-body", OPT_SIZE, OFF(max_body), 64, 1024LL * 1024},
    {"--max-connections", OPT_UINT, OFF(max_connections), 1, 100000},
    {"--per-ip", OPT_UINT, OFF(per_ip), 1, 100000},
    {"--conn-timeout", OPT_UINT, OFF(conn_timeout), 1, 3600},
    {"--conn-memory", OPT_SIZE, OFF(conn_memory), 8192, 64LL * 1024 * 1024},
    {"--request-limit", OPT_INT, OFF(request_limit), 1, 1000000000},
    {"--request-window", OPT_INT, OFF(request_window), 1, 86400},
    {"--threads", OPT_UINT, OFF(threads), 1, 64},
    {"--db-busy-timeout", OPT_INT, OFF(db_busy_timeout), 1, 600000},
    {"--checks-per-session", OPT_INT, OFF(checks_per_session), 1, 1000},
    {"--checks-total", OPT_INT, OFF(checks_total), 1, 4096},
    {"--request-timeout", OPT_INT, OFF(request_timeout), 1, 3600},
    {"--conn-reserve", OPT_INT, OFF(conn_reserve), 0, 100000},
    {"--pdns-url", OPT_STR, OFF(pdns_url), 0, 0},
    {"--pdns-key-file", OPT_STR, OFF(pdns_key_file), 0, 0},
    {"--pdns-server-id", OPT_STR, OFF(pdns_server_id), 0, 0},
    {"--pdns-dns", OPT_STR, OFF(pdns_dns), 0, 0},
    {"--pdns-timeout", OPT_INT, OFF(pdns_timeout_ms), 100, 600000},
    {"--pdns-retry-max", OPT_INT, OFF(pdns_retry_max), 1, 86400},
};

static int set_hash_cost(struct server_opts *o, const char *level)
{
    if (strcmp(level, "min") == 0) {
        o->hash_ops = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        o->hash_mem = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    } else if (strcmp(level, "interactive") == 0) {
        o->hash_ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
        o->hash_mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
    } else if (strcmp(level, "moderate") == 0) {
        o->hash_ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
        o->hash_mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
    } else {
        return -1;
    }
    return 0;
}

/* Returns -1 to go on, or the exit code (0 after --help/--version, 2 on a bad option). */
static int parse_args(int argc, char **argv, struct server_opts *o)
{
    *o = (struct server_opts){
        .dns_timeout_ms = 2000,
        .session_idle = 900,
        .sessions_per_account = 20,
        .login_attempts = 5,
        .login_window = 300,
        .max_body = 65536,
        .max_connections = 256,
        .per_ip = 64,
        .conn_timeout = 30,
        .conn_memory = 32768,
        .request_limit = 600,
        .request_window = 60,
        .threads = 4,
        .db_busy_timeout = 10000,
        .checks_per_session = 4,
        .checks_total = 64,
        .request_timeout = 10,
        .conn_reserve = -1,
        .pdns_timeout_ms = 5000,
        .pdns_retry_max = 60,
    };
    set_hash_cost(o, "interactive");
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("mxapid %s\n", MXAPID_VERSION);
            return 0;
        }
        if (i + 1 >= argc)
            return bad_option(strncmp(arg, "--", 2) == 0 ? "option %s needs a value"
                                                         : "unexpected argument %s",
                              arg);
        const char *val = argv[++i];
        if (strcmp(arg, "--hash-cost") == 0) {
            if (set_hash_cost(o, val) != 0)
                return bad_option("--hash-cost must be min, interactive or moderate, not %s", val);
            continue;
        }
        const struct opt_spec *spec = NULL;
        for (size_t k = 0; k < sizeof OPTS / sizeof OPTS[0]; k++) {
            if (strcmp(OPTS[k].name, arg) == 0)
                spec = &OPTS[k];
        }
        if (!spec)
            return bad_option("unknown option %s", arg);
        char *field = (char *)o + spec->offset;
        long long v = 0;
        if (spec->kind != OPT_STR && !parse_long(val, spec->min, spec->max, &v)) {
            fprintf(stderr, "mxapid: %s needs a number from %lld to %lld, not %s\n", arg, spec->min,
                    spec->max, val);
            return 2;
        }
        switch (spec->kind) {
        case OPT_STR:
            memcpy(field, &val, sizeof val);
            break;
        case OPT_INT: {
            int iv = (int)v;
            memcpy(field, &iv, sizeof iv);
            break;
        }
        case OPT_UINT: {
            unsigned uv = (unsigned)v;
            memcpy(field, &uv, sizeof uv);
            break;
        }
        case OPT_SIZE: {
            size_t sv = (size_t)v;
            memcpy(field, &sv, sizeof sv);
            break;
        }
        }
    }
    if (!o->listen)
        return bad_option("%s is required", "--listen ADDR:PORT");
    if (!o->db_path)
        return bad_option("%s is required", "--db FILE");
    long n;
    if (o->seed && !seed_parse(o->seed, &n))
        return bad_option("--seed must be demo or bulk:N (1..1000000), not %s", o->seed);
    if (o->conn_reserve < 0)
        o->conn_reserve = (int)(o->max_connections / 8);
    if (o->conn_reserve >= (int)o->max_connections)
        return bad_option("%s must be less than --max-connections", "--conn-reserve");
    if (!o->tls_cert != !o->tls_key)
        return bad_option("%s must be given together", "--tls-cert and --tls-key");
    if (!o->pdns_url != !o->pdns_key_file)
        return bad_option("%s must be given together", "--pdns-url and --pdns-key-file");
    if (!o->pdns_url && (o->pdns_server_id || o->pdns_dns))
        return bad_option("%s", "--pdns-server-id and --pdns-dns need --pdns-url");
    return -1;
}

static int load_profile(const char *path, struct mx_profile *out)
{
    if (!path) {
        *out = *mx_profile_default();
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mxapid: cannot open --profile %s: %s\n", path, strerror(errno));
        return -1;
    }
    static char buf[MX_JSON_MAX_BYTES + 1];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (len > MX_JSON_MAX_BYTES) {
        fprintf(stderr, "mxapid: --profile %s is too large\n", path);
        return -1;
    }
    struct mx_problems errs = {0};
    enum mx_code rc = mx_profile_from_json(buf, len, out, &errs);
    if (rc != MX_OK) {
        fprintf(stderr, "mxapid: --profile %s: %s%s%s\n", path, mx_code_name(rc),
                errs.count ? " at " : "", errs.count ? errs.items[0].field : "");
        mx_problems_free(&errs);
        return -1;
    }
    mx_problems_free(&errs);
    return 0;
}

int main(int argc, char **argv)
{
    static struct server srv;
    int code = parse_args(argc, argv, &srv.opts);
    if (code >= 0)
        return code;
    struct http *http = NULL;
    int ret = 1;
    signal(SIGPIPE, SIG_IGN);
    /* Blocked before any thread starts (the DNS event thread, the watchdog, the workers), so
     * they inherit the mask and only sigwait sees them: a SIGTERM taken by another thread
     * would end the process at once instead of in order. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (sodium_init() < 0 || oath_init() != OATH_OK ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "mxapid: cannot initialise libsodium / liboath / libcurl\n");
        return 1;
    }
    if (load_profile(srv.opts.profile_path, &srv.profile) != 0)
        goto out;
    if (db_init(srv.opts.db_path, srv.opts.db_busy_timeout) != 0)
        goto out;
    srv.auth = auth_new(&srv.opts);
    if (!srv.auth) {
        fprintf(stderr, "mxapid: out of memory\n");
        goto out;
    }
    struct db *db = db_get();
    if (!db || seed_run(db, srv.opts.seed, srv.auth) != 0) {
        fprintf(stderr, "mxapid: seeding the database failed\n");
        goto out;
    }
    if (auth_load(srv.auth, db) != 0) {
        fprintf(stderr, "mxapid: cannot read the stored sessions\n");
        goto out;
    }
    srv.dns = dnscheck_new(srv.opts.resolver, srv.opts.dns_timeout_ms, store_zone_lookup, NULL);
    if (!srv.dns) {
        fprintf(stderr, "mxapid: cannot set up DNS checks (--resolver %s)\n",
                srv.opts.resolver ? srv.opts.resolver : "system");
        goto out;
    }
    dnscheck_set_limits(srv.dns, srv.opts.checks_per_session, srv.opts.checks_total);
    const struct publish_opts popts = {
        .url = srv.opts.pdns_url,
        .key_file = srv.opts.pdns_key_file,
        .server_id = srv.opts.pdns_server_id,
        .dns = srv.opts.pdns_dns,
        .timeout_ms = srv.opts.pdns_timeout_ms,
        .retry_max_s = srv.opts.pdns_retry_max,
    };
    srv.pub = publish_new(&popts, &srv.profile);
    if (!srv.pub)
        goto out;
    if (publish_start(srv.pub) != 0) {
        fprintf(stderr, "mxapid: cannot start the publisher\n");
        goto out;
    }
    srv.guard = connguard_new(&srv.opts);
    if (!srv.guard) {
        fprintf(stderr, "mxapid: cannot start the connection watchdog\n");
        goto out;
    }
    int port = 0;
    http = http_start(&srv, &port);
    if (!http)
        goto out;
    const char *colon = strrchr(srv.opts.listen, ':');
    printf("mxapid listening on %s://%.*s:%d\n", srv.opts.tls_cert ? "https" : "http",
           (int)(colon - srv.opts.listen), srv.opts.listen, port);
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
    fprintf(stderr, "mxapid: signal %d, finishing in-flight requests\n", sig);
    http_quiesce(http);
    /* Parked requests must be resumed before the daemon stops (libmicrohttpd's rule): ending
     * the checks answers them, and then they finish like any other request. */
    dnscheck_stop(srv.dns);
    http_drain(http, 5000);
    ret = 0;
out:
    http_stop(&http);
    connguard_free(&srv.guard);
    publish_free(&srv.pub);
    dnscheck_free(&srv.dns);
    auth_free(&srv.auth);
    db_close_thread();
    db_shutdown();
    oath_done();
    curl_global_cleanup();
    return ret;
}
