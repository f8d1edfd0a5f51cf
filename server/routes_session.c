/* routes_session: log in and out, liveness, the provider profile. */
#include <stdlib.h>
#include <string.h>

#include "api/mx_codec.h"
#include "server/publish.h"
#include "server/routes.h"

static const char *role_name(enum auth_role role)
{
    return role == AUTH_ROLE_STAFF ? "staff" : "customer";
}

/* A string member of a login body: NULL when absent or bad; a bad one adds its problem. */
static const char *login_field(cJSON *root, const char *name, bool required, struct mx_problems *p)
{
    cJSON *it = cJSON_GetObjectItemCaseSensitive(root, name);
    if (!it) {
        if (required)
            mx_problems_add(p, name, MX_JSON_MISSING_FIELD);
        return NULL;
    }
    if (!cJSON_IsString(it) || !it->valuestring) {
        mx_problems_add(p, name, MX_JSON_WRONG_TYPE);
        return NULL;
    }
    /* Nobody's login, password or code is this long; argon2 need not see it. */
    if (strlen(it->valuestring) > 256) {
        mx_problems_add(p, name, MX_JSON_OUT_OF_RANGE);
        return NULL;
    }
    return it->valuestring;
}

int route_session_create(struct request *rq)
{
    /* request_json_object refuses a string hiding \u0000: "10001\u0000x" must not log in as
     * 10001 after cJSON cut it short. */
    int r = 0;
    cJSON *root = request_json_object(rq, &r);
    if (!root)
        return r;
    cJSON *reply = NULL;
    struct mx_problems p = {0};
    for (cJSON *it = root->child; it; it = it->next) {
        if (!it->string || (strcmp(it->string, "login") != 0 &&
                            strcmp(it->string, "password") != 0 && strcmp(it->string, "otp") != 0))
            mx_problems_add(&p, it->string ? it->string : "", MX_JSON_UNKNOWN_FIELD);
    }
    const char *login = login_field(root, "login", true, &p);
    const char *password = login_field(root, "password", true, &p);
    const char *otp = login_field(root, "otp", false, &p);
    if (p.count) {
        r = reply_error(rq, 400, "bad_request", &p);
        goto out;
    }
    struct db *db = db_get();
    if (!db) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    char token[AUTH_TOKEN_SIZE];
    struct auth_actor actor;
    int retry = 0;
    switch (
        auth_login(rq->srv->auth, db, rq->client_ip, login, password, otp, token, &actor, &retry)) {
    case AUTH_LOGIN_OK:
        break;
    case AUTH_LOGIN_INVALID:
        r = reply_error(rq, 401, "invalid_credentials", NULL);
        goto out;
    case AUTH_LOGIN_OTP_REQUIRED:
        r = reply_error(rq, 401, "otp_required", NULL);
        goto out;
    case AUTH_LOGIN_THROTTLED:
        request_set_retry_after(rq, retry);
        r = reply_error(rq, 429, "too_many_requests", NULL);
        goto out;
    default:
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    reply = cJSON_CreateObject();
    cJSON *a = cJSON_AddObjectToObject(reply, "actor");
    if (!cJSON_AddStringToObject(reply, "token", token) ||
        !cJSON_AddNumberToObject(reply, "expires_in", auth_idle_seconds(rq->srv->auth)) || !a ||
        !cJSON_AddStringToObject(a, "login", actor.login) ||
        !cJSON_AddStringToObject(a, "role", role_name(actor.role)) ||
        !(actor.role == AUTH_ROLE_STAFF ? cJSON_AddNullToObject(a, "customer")
                                        : cJSON_AddStringToObject(a, "customer", actor.customer)) ||
        !cJSON_AddStringToObject(a, "name", actor.name)) {
        r = reply_error(rq, 500, "internal", NULL);
        goto out;
    }
    sodium_memzero(token, sizeof token);
    r = reply_cjson(rq, 201, reply, NULL);
out:
    mx_problems_free(&p);
    cJSON_Delete(reply);
    cJSON_Delete(root);
    return r;
}

int route_session_delete(struct request *rq)
{
    auth_logout(rq->srv->auth, request_header(rq, "Authorization"));
    return reply_no_content(rq);
}

int route_health(struct request *rq)
{
    cJSON *root = cJSON_CreateObject();
    struct db *db = db_get();
    int r;
    if (!root || !db || !cJSON_AddStringToObject(root, "status", "ok") ||
        publish_health(rq->srv->pub, db, root) != 0)
        r = reply_error(rq, 500, "internal", NULL);
    else
        r = reply_cjson(rq, 200, root, NULL);
    cJSON_Delete(root);
    return r;
}

int route_provider(struct request *rq)
{
    return reply_json(rq, 200, mx_profile_to_json(&rq->srv->profile), NULL);
}
