/* client_sync: a small synchronous wrapper over api/client for tests and simple tools (mxctl).
 * It runs the same asynchronous code and waits in api_client_poll until the one request is done;
 * the TUI never uses it. */
#ifndef API_CLIENT_SYNC_H
#define API_CLIENT_SYNC_H

#include <stdint.h>

#include "api/client.h"

/* What the callback api_sync_done fills in; zero-initialise one per request. */
struct api_sync {
    struct api_result *res;
    bool done;
};

/* The callback to pass to any api_* call together with a struct api_sync *: keeps the result. */
void api_sync_done(struct api_result *res, void *user);

/* Waits until request id (started with api_sync_done and s) has completed, letting every other
 * request of the client progress too. Returns the result, now owned by the caller (free with
 * api_result_free), or NULL when id is 0 (the call could not be started) or polling failed.
 * Bounded by the client's timeouts. */
struct api_result *api_sync_wait(struct api_client *c, uint64_t id, struct api_sync *s);

#endif
