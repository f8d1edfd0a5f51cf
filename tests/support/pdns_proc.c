/* pdns_proc: starts pdns_server with a SQLite zone database for tests. */
#include "tests/support/pdns_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/dns_ask.h"
#include "tests/support/http_raw.h"
#include "tests/support/test_util.h"

#define PDNS_DEFAULT_BIN    "/usr/sbin/pdns_server"
#define PDNS_DEFAULT_SCHEMA "/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql"

static int make_db(struct pdns_proc *pp, const char *zone_sql)
{
    const char *schema_path = getenv("PDNS_SQLITE_SCHEMA");
    if (schema_path == NULL || schema_path[0] == '\0')
        schema_path = PDNS_DEFAULT_SCHEMA;
    char *schema = test_read_file(schema_path, NULL);
    if (schema == NULL) {
        fprintf(stderr, "pdns_proc: cannot read %s\n", schema_path);
        return -1;
    }
    sqlite3 *db = NULL;
    char *err = NULL;
    int rc = -1;
    if (sqlite3_open(pp->db, &db) != SQLITE_OK)
        goto out;
    if (sqlite3_exec(db, schema, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(db, zone_sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "pdns_proc: %s\n", err ? err : "sqlite error");
        goto out;
    }
    rc = 0;
out:
    sqlite3_free(err);
    sqlite3_close(db);
    free(schema);
    return rc;
}

/* True when the server answers probe_name/A with NOERROR and at least one answer. */
static bool answers(int port, const char *probe_name)
{
    struct dns_ask_reply r;
    return dns_ask(port, probe_name, DNS_ASK_A, 200, &r) == 0 && r.rcode == 0 && r.n_answer > 0;
}

/* True when the API answers GET /api/v1/servers/localhost with the key. */
static bool api_answers(const struct pdns_proc *pp)
{
    char hdr[100];
    snprintf(hdr, sizeof hdr, "X-API-Key: %s", pp->api_key);
    const char *headers[] = {hdr, NULL};
    struct http_response r;
    if (http_request(pp->api_port, "GET", "/api/v1/servers/localhost", headers, NULL, 0, &r) != 0)
        return false;
    bool ok = r.status == 200;
    http_response_free(&r);
    return ok;
}

/* The config file: the API's settings live here, so the key is on no command line. */
static int write_conf(struct pdns_proc *pp)
{
    char conf[300], text[600];
    snprintf(conf, sizeof conf, "%s/pdns.conf", pp->dir);
    int n = 0;
    if (pp->api_port)
        n = snprintf(text, sizeof text,
                     "api=yes\napi-key=%s\nwebserver=yes\nwebserver-address=127.0.0.1\n"
                     "webserver-port=%d\nwebserver-allow-from=127.0.0.0/8\n",
                     pp->api_key, pp->api_port);
    else
        text[0] = '\0';
    return n < 0 || (size_t)n >= sizeof text ? -1 : test_write_file(conf, text, strlen(text));
}

/* A random key in hex from /dev/urandom, also written to key_file. */
static int make_key(struct pdns_proc *pp)
{
    unsigned char raw[24];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, raw, sizeof raw) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)sizeof raw)
        return -1;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(pp->api_key + 2 * i, 3, "%02x", raw[i]);
    snprintf(pp->key_file, sizeof pp->key_file, "%s/api.key", pp->dir);
    char line[80];
    snprintf(line, sizeof line, "%s\n", pp->api_key);
    return test_write_file(pp->key_file, line, strlen(line));
}

static int spawn(struct pdns_proc *pp)
{
    const char *bin = getenv("PDNS_SERVER");
    if (bin == NULL || bin[0] == '\0')
        bin = PDNS_DEFAULT_BIN;
    char a_conf[300], a_port[32], a_db[340], a_sock[300];
    snprintf(a_conf, sizeof a_conf, "--config-dir=%s", pp->dir);
    snprintf(a_port, sizeof a_port, "--local-port=%d", pp->port);
    snprintf(a_db, sizeof a_db, "--gsqlite3-database=%s", pp->db);
    snprintf(a_sock, sizeof a_sock, "--socket-dir=%s", pp->dir);
    char *const argv[] = {(char *)bin,
                          a_conf,
                          (char *)"--local-address=127.0.0.1",
                          a_port,
                          (char *)"--launch=gsqlite3",
                          a_db,
                          a_sock,
                          (char *)"--daemon=no",
                          (char *)"--guardian=no",
                          (char *)"--disable-syslog=yes",
                          (char *)"--write-pid=no",
                          (char *)"--security-poll-suffix=",
                          (char *)"--loglevel=4",
                          NULL};
    int log_fd = open(pp->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (log_fd < 0)
        return -1;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0)
            _exit(127);
        for (int fd = 3; fd < 4096; fd++)
            close(fd);
        execv(bin, argv);
        _exit(127);
    }
    close(log_fd);
    if (pid < 0)
        return -1;
    pp->pid = pid;
    return 0;
}

/* Spawns on the ports in pp and waits until DNS (and the API, when on) answers. Returns 0, or -1
 * with the server stopped. */
static int run_and_wait(struct pdns_proc *pp)
{
    if (spawn(pp) != 0)
        return -1;
    long long deadline = test_now_ms() + 10000;
    bool dns_ok = false;
    while (test_now_ms() < deadline) {
        if (!dns_ok)
            dns_ok = answers(pp->port, pp->probe);
        if (dns_ok && (!pp->api_port || api_answers(pp)))
            return 0;
        int status;
        if (waitpid(pp->pid, &status, WNOHANG) == pp->pid) {
            pp->pid = 0;
            return -1;
        }
        test_pause_ms(20);
    }
    kill(pp->pid, SIGKILL);
    waitpid(pp->pid, NULL, 0);
    pp->pid = 0;
    return -1;
}

static int start(struct pdns_proc *pp, const char *zone_sql, const char *probe_name, bool api)
{
    memset(pp, 0, sizeof *pp);
    if (test_mkdtemp(pp->dir, sizeof pp->dir, "pdns-test") != 0)
        return -1;
    snprintf(pp->db, sizeof pp->db, "%s/pdns.db", pp->dir);
    snprintf(pp->log, sizeof pp->log, "%s/pdns.log", pp->dir);
    snprintf(pp->probe, sizeof pp->probe, "%s", probe_name);
    if ((api && make_key(pp) != 0) || make_db(pp, zone_sql) != 0)
        return -1;
    /* The free ports can be taken between probing and binding: try a few. */
    for (int attempt = 0; attempt < 3; attempt++) {
        pp->port = test_free_port(true);
        pp->api_port = api ? test_free_port(false) : 0;
        snprintf(pp->api_url, sizeof pp->api_url, "http://127.0.0.1:%d", pp->api_port);
        if (pp->port == 0 || (api && pp->api_port == 0) || write_conf(pp) != 0)
            return -1;
        if (run_and_wait(pp) == 0)
            return 0;
    }
    char *log = test_read_file(pp->log, NULL);
    fprintf(stderr, "pdns_proc: PowerDNS did not answer %s\n%s\n", probe_name, log ? log : "");
    free(log);
    return -1;
}

int pdns_proc_start(struct pdns_proc *pp, const char *zone_sql, const char *probe_name)
{
    return start(pp, zone_sql, probe_name, false);
}

int pdns_proc_start_api(struct pdns_proc *pp, const char *zone_sql, const char *probe_name)
{
    return start(pp, zone_sql, probe_name, true);
}

int pdns_proc_stop(struct pdns_proc *pp)
{
    if (pp->pid <= 0)
        return -1;
    kill(pp->pid, SIGTERM);
    long long deadline = test_now_ms() + 5000;
    int status;
    while (waitpid(pp->pid, &status, WNOHANG) == 0 && test_now_ms() < deadline)
        test_pause_ms(10);
    if (waitpid(pp->pid, &status, WNOHANG) == 0) {
        kill(pp->pid, SIGKILL);
        waitpid(pp->pid, &status, 0);
    }
    pp->pid = 0;
    return 0;
}

int pdns_proc_restart(struct pdns_proc *pp)
{
    if (pp->pid > 0 || !pp->dir[0])
        return -1;
    /* A port freed a moment ago may be in use for a moment more: retry within the deadline. */
    long long deadline = test_now_ms() + 10000;
    while (test_now_ms() < deadline) {
        if (run_and_wait(pp) == 0)
            return 0;
        test_pause_ms(100);
    }
    char *log = test_read_file(pp->log, NULL);
    fprintf(stderr, "pdns_proc: PowerDNS did not come back\n%s\n", log ? log : "");
    free(log);
    return -1;
}

void pdns_proc_cleanup(struct pdns_proc *pp)
{
    pdns_proc_stop(pp);
    if (pp->dir[0] != '\0')
        test_rmtree(pp->dir);
    pp->dir[0] = '\0';
}
