/* bench_hosts: how long mx_host_normalize takes for one million varied host names (mostly
 * ASCII, some IDN in both forms, some invalid), the mix the server and the TUI see. The names
 * are generated first; only the validation is timed. Usage: bench_hosts [COUNT] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/mx_rules.h"

/* A small deterministic generator, so every run validates the same names. */
static unsigned long long rng_state = 0x9E3779B97F4A7C15ULL;
static unsigned rng(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(rng_state >> 33);
}

/* Writes name number i into buf; returns its length. */
static size_t make_name(char *buf, size_t size, size_t i)
{
    static const char *const tlds[] = {"de", "com", "net", "org", "example", "co.uk"};
    unsigned r = rng();
    unsigned kind = (unsigned)(i % 100);
    int n;
    if (kind < 88) {
        n = snprintf(buf, size, "%s%u.%s-%u.%s.", (r & 1) ? "mail" : "MX", r % 1000,
                     (r & 2) ? "example" : "Kunden-Server", (r >> 8) % 100000, tlds[r % 6]);
    } else if (kind < 93) {
        n = snprintf(buf, size, "mail.m\xc3\xbcller-%u.de.", r % 100000);
    } else if (kind < 95) {
        n = snprintf(buf, size, "mx%u.xn--mller-kva.de.", r % 1000);
    } else if (kind == 95) {
        n = snprintf(buf, size, "mail%u.example.de", r % 1000); /* no trailing dot */
    } else if (kind == 96) {
        n = snprintf(buf, size, "192.0.2.%u.", r % 256);
    } else if (kind == 97) {
        n = snprintf(buf, size, "mail_%u.example.de.", r % 1000);
    } else if (kind == 98) {
        n = snprintf(buf, size, "mail %u.example.de.", r % 1000);
    } else {
        n = snprintf(buf, size, "-mail%u.example.de.", r % 1000);
    }
    return n > 0 ? (size_t)n : 0;
}

#define PASSES 3

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    if (count == 0)
        count = 1;
    char *text = malloc(count * 48);
    size_t *off = malloc((count + 1) * sizeof(*off));
    if (text == NULL || off == NULL) {
        free(text);
        free(off);
        fprintf(stderr, "bench_hosts: out of memory\n");
        return 1;
    }
    size_t pos = 0;
    for (size_t i = 0; i < count; i++) {
        off[i] = pos;
        pos += make_name(text + pos, 48, i);
    }
    off[count] = pos;

    /* Three passes over the same names: the median is the figure, the spread shows the noise
     * of other work on the machine. */
    double secs[PASSES], cpu[PASSES];
    size_t accepted = 0, idn = 0;
    for (int pass = 0; pass < PASSES; pass++) {
        struct mx_host h;
        struct timespec t0, t1, c0, c1;
        accepted = idn = 0;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (size_t i = 0; i < count; i++) {
            if (mx_host_normalize(text + off[i], off[i + 1] - off[i], &h) == MX_OK) {
                accepted++;
                idn += strcmp(h.display, h.ascii) != 0;
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        secs[pass] = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        cpu[pass] = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    }
    qsort(secs, PASSES, sizeof(secs[0]), cmp_double);
    qsort(cpu, PASSES, sizeof(cpu[0]), cmp_double);
    printf("bench_hosts: %zu host names (%zu accepted, %zu of them IDN; %zu rejected)\n", count,
           accepted, idn, count - accepted);
    printf("bench_hosts: wall clock: median %.3f s per pass (%.0f ns per name); fastest %.3f s, "
           "slowest %.3f s of %d passes\n",
           secs[PASSES / 2], secs[PASSES / 2] * 1e9 / (double)count, secs[0], secs[PASSES - 1],
           PASSES);
    /* On a shared machine the CPU time is the steadier figure: waiting for a core is not
     * validation work. */
    printf("bench_hosts: CPU time:   median %.3f s per pass (%.0f ns per name); fastest %.3f s\n",
           cpu[PASSES / 2], cpu[PASSES / 2] * 1e9 / (double)count, cpu[0]);
    free(text);
    free(off);
    return 0;
}
