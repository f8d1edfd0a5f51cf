/* test_util: small helpers the tests share — clocks, deadline waits, temp dirs, files. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Monotonic clock in milliseconds. */
long long test_now_ms(void);
/* Calls cond(ctx) every few milliseconds until it returns true or timeout_ms passed.
 * Returns true when the condition came true. */
bool test_wait_until(bool (*cond)(void *ctx), void *ctx, int timeout_ms);
/* Creates a private temp dir "<TMPDIR or /tmp>/<prefix>-XXXXXX" into buf. Returns 0 or -1. */
int test_mkdtemp(char *buf, size_t size, const char *prefix);
/* Removes a directory tree (files and subdirectories). Returns 0 or -1. */
int test_rmtree(const char *path);
/* Reads a whole file into a malloc'd, NUL-terminated buffer (caller frees); *len gets its
 * length when len is non-NULL. NULL on error. */
char *test_read_file(const char *path, size_t *len);
/* Writes len bytes to path (created or truncated, mode 0600). Returns 0 or -1. */
int test_write_file(const char *path, const void *data, size_t len);
/* Sleeps for ms milliseconds: only for pacing inside a deadline loop, never to wait for a
 * condition. */
void test_pause_ms(int ms);
/* A free TCP or UDP port on 127.0.0.1 (bound to port 0 and released); 0 on error. The port is
 * free at return only: use it at once. */
int test_free_port(bool udp);

/* Makes a self-signed certificate with the openssl command (RSA 2048, valid 2 days): its paths
 * dir/NAME-cert.pem and dir/NAME-key.pem go into cert and key (size bytes each); subject
 * CN=cn, subjectAltName san (e.g. "IP:127.0.0.1,DNS:localhost"). Returns 0 or -1. */
int test_make_cert(const char *dir, const char *name, const char *cn, const char *san, char *cert,
                   char *key, size_t size);

#endif
