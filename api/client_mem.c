/* The client's allocator for libcurl: every block curl frees is wiped first. curl builds a
 * login request (headers and the small JSON body with the password) in buffers of its own and
 * frees them without clearing; a session token passes through its header buffers on every
 * request. Handing curl these functions (curl_global_init_mem) means no such copy outlives
 * its use in freed memory. */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include "api/client_internal.h"

#include <stdlib.h>
#include <string.h>

/* Each block starts with its size, padded so the caller's part stays maximally aligned. */
#define HEADER_SIZE (sizeof(max_align_t))

static void *block_of(void *p)
{
    return (char *)p - HEADER_SIZE;
}

static size_t size_of(void *p)
{
    size_t n;
    memcpy(&n, block_of(p), sizeof n);
    return n;
}

static void *wipe_malloc(size_t size)
{
    if (size > (size_t)-1 - HEADER_SIZE)
        return NULL;
    char *b = malloc(HEADER_SIZE + size);
    if (!b)
        return NULL;
    memcpy(b, &size, sizeof size);
    return b + HEADER_SIZE;
}

static void wipe_free(void *p)
{
    if (!p)
        return;
    explicit_bzero(p, size_of(p));
    free(block_of(p));
}

static void *wipe_realloc(void *p, size_t size)
{
    if (!p)
        return wipe_malloc(size);
    if (!size) {
        wipe_free(p);
        return NULL;
    }
    /* Never realloc in place: the old block would be given back unwiped. */
    void *n = wipe_malloc(size);
    if (!n)
        return NULL;
    size_t old = size_of(p);
    memcpy(n, p, old < size ? old : size);
    wipe_free(p);
    return n;
}

static char *wipe_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = wipe_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void *wipe_calloc(size_t nmemb, size_t size)
{
    if (size && nmemb > (size_t)-1 / size)
        return NULL;
    void *p = wipe_malloc(nmemb * size);
    if (p)
        memset(p, 0, nmemb * size);
    return p;
}

CURLcode api_curl_global_init(void)
{
    /* Only the first initialisation of the process sets the functions; later ones count. */
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, wipe_malloc, wipe_free, wipe_realloc,
                                wipe_strdup, wipe_calloc);
}
