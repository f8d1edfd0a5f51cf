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

/* Builds a DNS query for name/A; returns its length. */
static size_t build_query(unsigned char *buf, size_t size, const char *name)
{
    size_t n = 0;
    const unsigned char head[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(buf, head, sizeof head);
    n = sizeof head;
    const char *p = name;
    while (*p != '\0' && n + 70 < size) {
        size_t l = strcspn(p, ".");
        if (l == 0 || l > 63)
            break;
        buf[n++] = (unsigned char)l;
        memcpy(buf + n, p, l);
        n += l;
        p += l;
        if (*p == '.')
            p++;
    }
    buf[n++] = 0;
    buf[n++] = 0;
    buf[n++] = 1; /* A */
    buf[n++] = 0;
    buf[n++] = 1; /* IN */
    return n;
}

/* True when the server answers probe_name with NOERROR and at least one answer. */
static bool answers(int port, const char *probe_name)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    unsigned char q[512], r[1500];
    size_t qlen = build_query(q, sizeof q, probe_name);
    bool ok = false;
    if (sendto(fd, q, qlen, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)qlen) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 200) == 1) {
            ssize_t got = recv(fd, r, sizeof r, 0);
            ok = got >= 12 && r[0] == 0x12 && r[1] == 0x34 && (r[3] & 0x0f) == 0 &&
                 (r[6] << 8 | r[7]) > 0;
        }
    }
    close(fd);
    return ok;
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

int pdns_proc_start(struct pdns_proc *pp, const char *zone_sql, const char *probe_name)
{
    memset(pp, 0, sizeof *pp);
    if (test_mkdtemp(pp->dir, sizeof pp->dir, "pdns-test") != 0)
        return -1;
    snprintf(pp->db, sizeof pp->db, "%s/pdns.db", pp->dir);
    snprintf(pp->log, sizeof pp->log, "%s/pdns.log", pp->dir);
    char conf[300];
    snprintf(conf, sizeof conf, "%s/pdns.conf", pp->dir);
    if (test_write_file(conf, "", 0) != 0 || make_db(pp, zone_sql) != 0)
        return -1;
    /* The free port can be taken between probing and binding: try a few. */
    for (int attempt = 0; attempt < 3; attempt++) {
        pp->port = test_free_port(true);
        if (pp->port == 0 || spawn(pp) != 0)
            return -1;
        long long deadline = test_now_ms() + 10000;
        while (test_now_ms() < deadline) {
            if (answers(pp->port, probe_name))
                return 0;
            int status;
            if (waitpid(pp->pid, &status, WNOHANG) == pp->pid) {
                pp->pid = 0;
                break;
            }
        }
        if (pp->pid > 0) {
            kill(pp->pid, SIGKILL);
            waitpid(pp->pid, NULL, 0);
            pp->pid = 0;
        }
    }
    char *log = test_read_file(pp->log, NULL);
    fprintf(stderr, "pdns_proc: PowerDNS did not answer %s\n%s\n", probe_name, log ? log : "");
    free(log);
    return -1;
}

void pdns_proc_cleanup(struct pdns_proc *pp)
{
    if (pp->pid > 0) {
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
    }
    if (pp->dir[0] != '\0')
        test_rmtree(pp->dir);
    pp->dir[0] = '\0';
}
