/* bin/mxctl against a live mxapid: what it does for support work — the reason of a change
 * (mx set, restore), the history that shows it, the mail counts of `dns`, the customer search
 * by domain, the access log. mxctl runs without a terminal (prog_run). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/api_steps.h"
#include "tests/support/prog_run.h"
#include "tests/support/server_proc.h"
#include "tests/support/test_util.h"

static struct server_proc sp;
static char dir[256];

static void up(void)
{
    cr_assert_eq(api_server_start(&sp, NULL), 0, "mxapid did not start");
    cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxctl-support"), 0);
    char path[320];
    snprintf(path, sizeof(path), "%s/pw-10002", dir);
    cr_assert_eq(test_write_file(path, "demo-10002\n", 11), 0);
    snprintf(path, sizeof(path), "%s/pw-support", dir);
    cr_assert_eq(test_write_file(path, "demo-support\n", 13), 0);
}

static void down(void)
{
    server_proc_cleanup(&sp);
    if (dir[0])
        test_rmtree(dir);
}

TestSuite(mxctl_support, .init = up, .fini = down, .timeout = 120);

static struct prog_run as_lang(const char *lang, const char *login, const char *input,
                               const char *const *cmd)
{
    struct prog_run r;
    cr_assert_eq(prog_run_mxctl(dir, sp.url, lang, login, input, cmd, &r), 0);
    return r;
}

static struct prog_run as(const char *login, const char *input, const char *const *cmd)
{
    return as_lang("en", login, input, cmd);
}

static void expect_exit(const struct prog_run *r, int status)
{
    cr_assert_eq(r->status, status, "exit %d, expected %d\nstdout: %s\nstderr: %s", r->status,
                 status, r->out, r->err);
}

#define CUSTOM "{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\",\"priority\":10}]}"

/* The id of the newest history entry of beispiel.de, from `history` ("#ID v..."). */
static long long newest_entry(void)
{
    const char *hist[] = {"history", "beispiel.de", NULL};
    struct prog_run r = as("10002", NULL, hist);
    expect_exit(&r, 0);
    cr_assert_eq(r.out[0], '#', "%s", r.out);
    long long id = strtoll(r.out + 1, NULL, 10);
    prog_run_free(&r);
    return id;
}

Test(mxctl_support, staff_set_needs_a_reason_and_history_shows_it)
{
    const char *set[] = {"mx", "set", "beispiel.de", NULL};
    struct prog_run r = as("support", CUSTOM, set);
    expect_exit(&r, 6);
    cr_assert(strstr(r.err, "reason: Please give a reason"), "%s", r.err);
    cr_assert(strstr(r.err, "(reason_required)"), "%s", r.err);
    prog_run_free(&r);
    r = as_lang("de", "support", CUSTOM, set);
    expect_exit(&r, 6);
    cr_assert(strstr(r.err, "Bitte geben Sie einen Grund"), "%s", r.err);
    prog_run_free(&r);

    /* After the command, like --filter; or before it, as an option. */
    const char *after[] = {"mx", "set", "beispiel.de", "--reason", "T-4711 customer asked", NULL};
    r = as("support", CUSTOM, after);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\"updated_by\":\t\"support\""), "%s", r.out);
    prog_run_free(&r);
    const char *before[] = {"--reason", "T-4712", "mx", "set", "beispiel.de", NULL};
    r = as("support", "{\"mode\":\"none\"}", before);
    expect_exit(&r, 0);
    prog_run_free(&r);

    const char *hist[] = {"history", "beispiel.de", NULL};
    r = as("support", NULL, hist);
    expect_exit(&r, 0);
    char *second = strchr(r.out, '\n');
    cr_assert_not_null(second, "%s", r.out);
    *second++ = '\0';
    cr_assert(strstr(r.out, "support for 10002 update: custom "), "%s", r.out);
    cr_assert(strstr(r.out, "-> none  reason: T-4712"), "%s", r.out);
    cr_assert(strstr(second, "  reason: T-4711 customer asked\n"), "%s", second);
    prog_run_free(&r);
    r = as_lang("de", "support", NULL, hist);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "  Grund: T-4712\n"), "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl_support, restore_with_and_without_reason)
{
    const char *set[] = {"mx", "set", "beispiel.de", NULL};
    struct prog_run r = as("10002", CUSTOM, set);
    expect_exit(&r, 0);
    prog_run_free(&r);
    long long id = newest_entry();
    r = as("10002", "{\"mode\":\"provider\"}", set);
    expect_exit(&r, 0);
    prog_run_free(&r);

    char id_text[32];
    snprintf(id_text, sizeof(id_text), "%lld", id);
    const char *bare[] = {"restore", "beispiel.de", id_text, NULL};
    r = as("support", NULL, bare);
    expect_exit(&r, 6);
    cr_assert(strstr(r.err, "(reason_required)"), "%s", r.err);
    prog_run_free(&r);
    const char *why[] = {"restore", "beispiel.de", id_text, "--reason", "T-99 roll back", NULL};
    r = as("support", NULL, why);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\"mail.example.de.\""), "%s", r.out);
    prog_run_free(&r);
    /* A customer restores without one. */
    r = as("10002", NULL, bare);
    expect_exit(&r, 0);
    prog_run_free(&r);

    const char *hist[] = {"history", "beispiel.de", NULL};
    r = as("10002", NULL, hist);
    expect_exit(&r, 0);
    char *second = strchr(r.out, '\n');
    cr_assert_not_null(second);
    *second++ = '\0';
    cr_assert(strstr(r.out, "10002 for 10002 restore: "), "%s", r.out);
    cr_assert_null(strstr(r.out, "reason:"), "%s", r.out);
    cr_assert(strstr(second, "support for 10002 restore: "), "%s", second);
    cr_assert(strstr(second, "  reason: T-99 roll back\n"), "%s", second);
    prog_run_free(&r);

    const char *bad_id[] = {"restore", "beispiel.de", "x1", NULL};
    r = as("10002", NULL, bad_id);
    expect_exit(&r, 1);
    prog_run_free(&r);
}

/* A reason carrying terminal controls is refused by the server; mxctl's message stays safe. */
Test(mxctl_support, a_hostile_reason_is_refused)
{
    const char *set[] = {"mx", "set", "beispiel.de", "--reason", "T-1 \x1b]0;owned\x07", NULL};
    struct prog_run r = as("support", CUSTOM, set);
    expect_exit(&r, 6);
    cr_assert(strstr(r.err, "(reason_invalid)"), "%s", r.err);
    cr_assert_null(strchr(r.err, '\x1b'), "%s", r.err);
    prog_run_free(&r);
}

Test(mxctl_support, dns_shows_the_mail_counts)
{
    const char *cmd[] = {"dns", "beispiel.de", NULL};
    struct prog_run r = as("10002", NULL, cmd);
    expect_exit(&r, 0);
    cr_assert(strstr(r.out, "\nmailboxes         2\nforwards          1\n"), "%s", r.out);
    prog_run_free(&r);
}

Test(mxctl_support, customers_by_domain_shows_the_match)
{
    const char *by_domain[] = {"customers", "m\xc3\xbcller", NULL};
    struct prog_run r = as("support", NULL, by_domain);
    expect_exit(&r, 0);
    cr_assert_str_eq(r.out, "10001\tErika Mustermann\t2\tm\xc3\xbcller.de\n");
    prog_run_free(&r);
    const char *by_name[] = {"customers", "Beispiel", NULL};
    r = as("support", NULL, by_name);
    expect_exit(&r, 0);
    cr_assert_str_eq(r.out, "10002\tMax Beispiel\t1\t-\n");
    prog_run_free(&r);
}

Test(mxctl_support, access_log_lists_who_opened_the_customer)
{
    const char *open10002[] = {"packages", "10002", NULL};
    struct prog_run r = as("support", NULL, open10002);
    expect_exit(&r, 0);
    prog_run_free(&r);
    /* mx get through another session reaches the data without opening it. */
    const char *get[] = {"mx", "get", "beispiel.de", NULL};
    r = as("support", NULL, get);
    expect_exit(&r, 0);
    prog_run_free(&r);
    const char *log[] = {"access-log", "10002", NULL};
    r = as("support", NULL, log);
    expect_exit(&r, 0);
    char *second = strchr(r.out, '\n');
    cr_assert_not_null(second, "%s", r.out);
    *second++ = '\0';
    cr_assert_eq(r.out[0], '#', "%s", r.out);
    cr_assert(strstr(r.out, "Z\tsupport\tSupport\t127.0.0.1\tdirect"), "%s", r.out);
    cr_assert(strstr(second, "Z\tsupport\tSupport\t127.0.0.1\topen\n"), "%s", second);
    prog_run_free(&r);
    /* A customer may not read it. */
    r = as("10002", NULL, log);
    expect_exit(&r, 4);
    cr_assert(strstr(r.err, "forbidden"), "%s", r.err);
    prog_run_free(&r);
}
