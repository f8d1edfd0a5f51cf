/* test_util: clocks, deadline waits, temp dirs and files for the tests. */
#include "tests/support/test_util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long test_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void test_pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

bool test_wait_until(bool (*cond)(void *ctx), void *ctx, int timeout_ms)
{
    long long deadline = test_now_ms() + timeout_ms;
    for (;;) {
        if (cond(ctx))
            return true;
        if (test_now_ms() >= deadline)
            return false;
        test_pause_ms(10);
    }
}

int test_mkdtemp(char *buf, size_t size, const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0')
        tmp = "/tmp";
    int n = snprintf(buf, size, "%s/%s-XXXXXX", tmp, prefix);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(buf) != NULL ? 0 : -1;
}

int test_rmtree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
        return unlink(path);
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[1024];
        int n = snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (n < 0 || (size_t)n >= sizeof child) {
            rc = -1;
            continue;
        }
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (test_rmtree(child) != 0)
                rc = -1;
        } else if (unlink(child) != 0) {
            rc = -1;
        }
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

char *test_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t got = read(fd, buf + n, cap - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    if (buf == NULL)
        return NULL;
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

int test_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return close(fd);
}

int test_free_port(bool udp)
{
    int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    int port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &alen) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

int test_make_cert(const char *dir, const char *name, const char *cn, const char *san, char *cert,
                   char *key, size_t size)
{
    int a = snprintf(cert, size, "%s/%s-cert.pem", dir, name);
    int b = snprintf(key, size, "%s/%s-key.pem", dir, name);
    if (a < 0 || b < 0 || (size_t)a >= size || (size_t)b >= size)
        return -1;
    char cmd[2048];
    int n = snprintf(cmd, sizeof cmd,
                     "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=%s' -addext "
                     "'subjectAltName=%s' -keyout '%s' -out '%s' >/dev/null 2>&1",
                     cn, san, key, cert);
    if (n < 0 || (size_t)n >= sizeof cmd)
        return -1;
    int rc = system(cmd);
    return WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? 0 : -1;
}
