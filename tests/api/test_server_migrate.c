/* The schema migration (PRAGMA user_version): a database of the first layout (no
 * publish_jobs.next_at) is brought up to date on start and keeps its data; a database of a newer
 * mxapid is refused with a clear message. A live mxapid on its own database file. */
#include <criterion/criterion.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;

static void down(void)
{
    server_proc_cleanup(&sp);
}

static void sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    cr_assert_eq(sqlite3_exec(db, text, NULL, NULL, &err), SQLITE_OK, "%s", err ? err : "");
    sqlite3_close(db);
}

static long long scalar(const char *path, const char *query)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_prepare_v2(db, query, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

Test(migrate, first_layout_is_brought_up_to_date_and_keeps_its_data, .fini = down, .timeout = 60)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    char token[128], etag[64];
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", token), 0);
    cr_assert_eq(api_mx_version(sp.port, token, "example.de", etag), 1);
    struct http_response r;
    cr_assert_eq(api_mx_put(sp.port, token, "example.de", etag, "{\"mode\":\"none\"}", &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_response_free(&r);
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(scalar(sp.db, "PRAGMA user_version"), 2);
    /* Back to what the first mxapid wrote: no next_at, user_version 1. */
    sql(sp.db, "DROP INDEX publish_jobs_due; ALTER TABLE publish_jobs DROP COLUMN next_at;"
               " PRAGMA user_version = 1;");
    cr_assert_eq(scalar(sp.db, "SELECT count(*) FROM pragma_table_info('publish_jobs')"
                               " WHERE name = 'next_at'"),
                 0);

    cr_assert_eq(api_server_restart(&sp, NULL), 0, "mxapid did not start on the old layout");
    cr_assert_eq(api_login(sp.port, "10001", "demo-10001", token), 0);
    /* The data survived: the saved version is there, and the next save works. */
    cr_assert_eq(api_mx_version(sp.port, token, "example.de", etag), 2);
    cr_assert_eq(api_mx_put(sp.port, token, "example.de", etag, "{\"mode\":\"provider\"}", &r), 0);
    cr_assert_eq(r.status, 200, "%s", r.body);
    http_response_free(&r);
    cr_assert_eq(server_proc_stop(&sp), 0);
    cr_assert_eq(scalar(sp.db, "PRAGMA user_version"), 2);
    cr_assert_eq(scalar(sp.db, "SELECT count(*) FROM publish_jobs WHERE next_at = 0"), 2);
}

Test(migrate, a_newer_schema_is_refused, .fini = down, .timeout = 60)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0);
    cr_assert_eq(server_proc_stop(&sp), 0);
    sql(sp.db, "PRAGMA user_version = 99;");
    cr_assert_neq(api_server_restart(&sp, NULL), 0, "mxapid started on a newer schema");
    char *log = test_read_file(sp.log, NULL);
    cr_assert(log && strstr(log, "mxapid: the database is of a newer mxapid (schema 99, this one"
                                 " knows 2)"),
              "%s", log ? log : "");
    free(log);
}
