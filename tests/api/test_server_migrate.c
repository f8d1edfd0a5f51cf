/* mxapid, live on loopback: a database of the first schema (user_version 1: no reason column,
 * no mail counts, no access log, no publish_jobs.next_at) holding data is brought up to date when
 * the server starts, keeps its data, and the new parts work on it. The old database is made from a
 * current one by taking the later parts away again (server_proc_exec_sql while the server is
 * stopped). */
#include <criterion/criterion.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/http_raw.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static char cust[128], staff[128];

static void down(void)
{
    server_proc_cleanup(&sp);
}

TestSuite(migrate, .fini = down, .timeout = 60);

/* What version 1 of the schema did not have. */
static const char DOWNGRADE[] = "DROP TABLE sessions;"
                                "DROP TABLE login_throttle;"
                                "DROP TABLE access_log;"
                                "DROP TABLE mail_counts;"
                                "ALTER TABLE mx_audit DROP COLUMN reason;"
                                "DROP INDEX publish_jobs_due;"
                                "ALTER TABLE publish_jobs DROP COLUMN next_at;"
                                "PRAGMA user_version = 1;";

static void login_both(void)
{
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", cust), 0);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
}

static struct http_response get(const char *path, const char *token)
{
    struct http_response r;
    cr_assert_eq(http_call(sp.port, "GET", path, token, NULL, NULL, &r), 0);
    cr_assert_eq(r.status, 200, "GET %s: %d %s", path, r.status, r.body);
    return r;
}

static void put(const char *token, const char *body)
{
    char etag[64];
    cr_assert_geq(api_mx_version(sp.port, token, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, token, "example.de", etag, body, &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_response_free(&r);
}

Test(migrate, a_version_1_database_is_brought_up_to_date)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    login_both();
    put(cust, "{\"mode\":\"none\"}");
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(server_proc_exec_sql(&sp, DOWNGRADE), 0);

    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    login_both();
    /* The old data is there; what it did not record reads as nothing. */
    struct http_response r = get("/v1/domains/example.de/mx/history", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 1, "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "entries.0.after.mode"), "none");
    cr_assert(cJSON_IsNull(http_json_item(&r, "entries.0.reason")), "%s", r.body);
    http_response_free(&r);
    r = get("/v1/domains/example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 0, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "forwards", -1), 0, "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "mx.mode"), "none");
    http_response_free(&r);
    /* The new parts work on it. */
    put(staff, "{\"mode\":\"provider\",\"reason\":\"T-3 after the upgrade\"}");
    r = get("/v1/domains/example.de/mx/history", cust);
    cr_assert_str_eq(http_json_string(&r, "entries.0.reason"), "T-3 after the upgrade");
    http_response_free(&r);
    cr_assert_eq(
        server_proc_exec_sql(
            &sp, "INSERT INTO mail_counts(name, mailboxes, forwards) VALUES('example.de', 4, 1)"),
        0);
    r = get("/v1/domains/example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 4, "%s", r.body);
    cr_assert_eq(http_json_number(&r, "forwards", -1), 1, "%s", r.body);
    http_response_free(&r);
    r = get("/v1/customers/10001/packages", staff);
    http_response_free(&r);
    /* Staff's PUT above reached 10001 without opening it; now staff open it too. */
    r = get("/v1/customers/10001/access-log", staff);
    cr_assert_eq(http_json_number(&r, "total", -1), 2, "%s", r.body);
    cr_assert_str_eq(http_json_string(&r, "entries.0.via"), "open");
    cr_assert_str_eq(http_json_string(&r, "entries.1.via"), "direct");
    http_response_free(&r);

    /* A database already up to date starts as it is, its data kept. */
    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    login_both();
    r = get("/v1/domains/example.de/mx/history", cust);
    cr_assert_eq(http_json_number(&r, "total", -1), 2);
    http_response_free(&r);
    r = get("/v1/domains/example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 4, "%s", r.body);
    http_response_free(&r);
    cr_assert_eq(api_login(sp.port, "support", "demo-support", staff), 0);
    r = get("/v1/customers/10001/access-log", staff);
    cr_assert_eq(http_json_number(&r, "total", -1), 2, "%s", r.body);
    http_response_free(&r);
}

/* A step that cannot run leaves the database as it was and the server does not start. */
Test(migrate, a_failing_step_changes_nothing)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(server_proc_stop(&sp), 0);
    /* Version 1 again, but with a table in the way of step 3. */
    cr_assert_eq(server_proc_exec_sql(&sp, "DROP TABLE sessions;"
                                           "DROP TABLE login_throttle;"
                                           "DROP TABLE access_log;"
                                           "ALTER TABLE mx_audit DROP COLUMN reason;"
                                           "DROP INDEX publish_jobs_due;"
                                           "ALTER TABLE publish_jobs DROP COLUMN next_at;"
                                           "PRAGMA user_version = 1;"),
                 0);
    cr_assert_neq(api_server_restart(&sp, NULL), 0, "started over a half-migrated database");
    /* Step 2 ran and stays (its own transaction); step 3 did not: user_version says 2. */
    cr_assert_eq(server_proc_exec_sql(&sp, "DROP TABLE mail_counts;"), 0);
    cr_assert_eq(api_server_restart(&sp, NULL), 0);
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", cust), 0);
    struct http_response r = get("/v1/domains/example.de/dns", cust);
    cr_assert_eq(http_json_number(&r, "mailboxes", -1), 0, "%s", r.body);
    http_response_free(&r);
}

static long long scalar(const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_open(sp.db, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Step 5 (the publisher's publish_jobs.next_at) on a database of version 4 with jobs in it. */
Test(migrate, the_publishers_retry_time_is_added_to_existing_jobs)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    login_both();
    put(cust, "{\"mode\":\"none\"}");
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(scalar("PRAGMA user_version"), 6);
    cr_assert_eq(server_proc_exec_sql(&sp, "DROP TABLE sessions;"
                                           "DROP TABLE login_throttle;"
                                           "DROP INDEX publish_jobs_due;"
                                           "ALTER TABLE publish_jobs DROP COLUMN next_at;"
                                           "PRAGMA user_version = 4;"),
                 0);
    cr_assert_eq(api_server_restart(&sp, NULL), 0, "mxapid did not start on version 4");
    login_both();
    put(cust, "{\"mode\":\"provider\"}");
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(scalar("PRAGMA user_version"), 6);
    /* The job from before the step and the one after: both there, both due at once. */
    cr_assert_eq(scalar("SELECT count(*) FROM publish_jobs WHERE next_at = 0"), 2);
}

/* An older mxapid never works on a newer one's database: it might misread or break it. */
Test(migrate, a_newer_schema_is_refused)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(server_proc_exec_sql(&sp, "PRAGMA user_version = 99;"), 0);
    cr_assert_neq(api_server_restart(&sp, NULL), 0, "mxapid started on a newer schema");
    char *log = test_read_file(sp.log, NULL);
    cr_assert(log && strstr(log, "mxapid: the database is of a newer mxapid (schema 99, this one"
                                 " knows 6)"),
              "%s", log ? log : "");
    free(log);
    cr_assert_eq(scalar("PRAGMA user_version"), 99);
}
