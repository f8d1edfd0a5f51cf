/* api_steps: shared steps of the live-server API tests. */
#include "tests/support/api_steps.h"

#include <liboath/oath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/support/test_util.h"

#define MAX_EXTRA 48

static int with_resolver(struct server_proc *sp, const char *const *extra_args, bool restart)
{
    /* Nothing listens on this UDP port: queries are refused at once ("unverifiable"). */
    char resolver[32];
    snprintf(resolver, sizeof resolver, "127.0.0.1:%d", test_free_port(true));
    const char *args[MAX_EXTRA + 5];
    size_t n = 0;
    args[n++] = "--resolver";
    args[n++] = resolver;
    args[n++] = "--dns-timeout";
    args[n++] = "500";
    for (size_t i = 0; extra_args != NULL && extra_args[i] != NULL; i++) {
        if (n >= MAX_EXTRA)
            return -1;
        args[n++] = extra_args[i];
    }
    args[n] = NULL;
    return restart ? server_proc_restart(sp, args) : server_proc_start(sp, args);
}

int api_server_start(struct server_proc *sp, const char *const *extra_args)
{
    return with_resolver(sp, extra_args, false);
}

int api_server_restart(struct server_proc *sp, const char *const *extra_args)
{
    return with_resolver(sp, extra_args, true);
}

int api_login(int port, const char *login, const char *password, char tok[128])
{
    int status = http_login(port, login, password, tok, 128);
    return status == 201 && tok[0] != '\0' ? 0 : (status == 201 ? -1 : status);
}

long long api_mx_version(int port, const char *token, const char *name, char etag[64])
{
    char path[512];
    snprintf(path, sizeof path, "/v1/domains/%s/mx", name);
    struct http_response r;
    if (http_call(port, "GET", path, token, NULL, NULL, &r) != 0)
        return -1;
    long long version = -1;
    const char *e = http_header_get(&r, "ETag");
    if (r.status == 200 && e != NULL && strlen(e) < 64) {
        memcpy(etag, e, strlen(e) + 1);
        version = (long long)http_json_number(&r, "version", -1);
    }
    http_response_free(&r);
    return version;
}

int api_mx_put(int port, const char *token, const char *name, const char *etag, const char *body,
               struct http_response *out)
{
    char path[512];
    snprintf(path, sizeof path, "/v1/domains/%s/mx", name);
    return http_call(port, "PUT", path, token, etag, body, out);
}

int api_totp_now(const char *base32_secret, char code[7])
{
    char *secret = NULL;
    size_t secret_len = 0;
    code[0] = '\0';
    oath_init();
    if (oath_base32_decode(base32_secret, strlen(base32_secret), &secret, &secret_len) != OATH_OK)
        return -1;
    int rc = oath_totp_generate(secret, secret_len, time(NULL), OATH_TOTP_DEFAULT_TIME_STEP_SIZE,
                                OATH_TOTP_DEFAULT_START_TIME, 6, code);
    free(secret);
    return rc == OATH_OK ? 0 : -1;
}
