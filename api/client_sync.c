/* client_sync: waits for one request of the asynchronous client. */
#include <stddef.h>

#include "api/client_sync.h"

void api_sync_done(struct api_result *res, void *user)
{
    struct api_sync *s = user;
    s->res = api_result_keep(res);
    s->done = true;
}

struct api_result *api_sync_wait(struct api_client *c, uint64_t id, struct api_sync *s)
{
    if (id == 0)
        return NULL;
    while (!s->done) {
        api_client_perform(c);
        if (s->done)
            break;
        /* curl's own timers cap the wait; 1 s only bounds a turn without any. */
        if (api_client_poll(c, NULL, 0, 1000) < 0) {
            api_request_cancel(c, id);
            break;
        }
    }
    struct api_result *res = s->res;
    s->res = NULL;
    return res;
}
