/* client_result: allocation, ownership and release of results. Every string and array of a
 * result lives in its chunk list, so freeing a result is one walk. */
#define _DEFAULT_SOURCE /* explicit_bzero: wipe the session token */

#include <stdlib.h>
#include <string.h>

#include "api/client_internal.h"

void api_result_clear(struct api_result *res)
{
    if (res->mx)
        mx_config_clear(&res->mx->config);
    if (res->history)
        for (size_t i = 0; i < res->history->count; i++) {
            mx_config_clear(&res->history->items[i].before);
            mx_config_clear(&res->history->items[i].after);
        }
    if (res->error.current)
        mx_config_clear(res->error.current);
    if (res->priv->token)
        explicit_bzero(res->priv->token, res->priv->token_len);
    res->priv->token = NULL;
    res->session = NULL;
    res->customers = NULL;
    res->packages = NULL;
    res->domains = NULL;
    res->dns = NULL;
    res->mx = NULL;
    res->check = NULL;
    res->history = NULL;
    res->profile = NULL;
    res->access_log = NULL;
    memset(&res->error, 0, sizeof(res->error));
    res->error.code = "";
    res->error.retry_after = -1;
}

struct api_result *api_result_new(enum api_call call)
{
    struct api_result *res = calloc(1, sizeof(*res));
    if (!res)
        return NULL;
    res->priv = calloc(1, sizeof(*res->priv));
    if (!res->priv) {
        free(res);
        return NULL;
    }
    res->call = call;
    res->error.code = "";
    res->error.retry_after = -1;
    return res;
}

void api_result_fail(struct api_result *res, enum api_status status, enum mx_lang lang)
{
    api_result_clear(res);
    res->status = status;
    res->http_status = 0;
    res->error.message = api_status_message(status, lang);
}

char *api_result_take_token(struct api_result *res)
{
    if (!res || !res->priv->token)
        return NULL;
    char *t = malloc(res->priv->token_len + 1);
    if (t)
        memcpy(t, res->priv->token, res->priv->token_len + 1);
    explicit_bzero(res->priv->token, res->priv->token_len);
    res->priv->token = NULL;
    return t;
}

struct api_result *api_result_keep(struct api_result *res)
{
    if (res)
        res->priv->kept = true;
    return res;
}

bool api_result_kept(const struct api_result *res)
{
    return res && res->priv->kept;
}

void api_result_free(struct api_result **res)
{
    if (!res || !*res)
        return;
    struct api_result *r = *res;
    api_result_clear(r);
    struct chunk *c = r->priv->chunks;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(r->priv);
    free(r);
    *res = NULL;
}
