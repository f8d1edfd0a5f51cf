/* bin/mxcheck as a user runs it: host names on stdin, --config FILE, exit statuses. Runs the
 * real program from $MXTUI_BINDIR. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/mx_rules.h"

static char dir[64];

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    (void)system(cmd);
}

/* A private directory per test (each test runs in its own process); removed at exit, also
 * when an assertion failed. */
static void make_dir(void)
{
    snprintf(dir, sizeof(dir), "/tmp/mxcheck-test-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    atexit(remove_dir);
}

/* Writes len bytes to dir/name and returns the path (static buffer per call site). */
static void write_file(const char *name, const char *data, size_t len, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Runs mxcheck with args and stdin from the file input (or /dev/null); stores stdout in out
 * and returns the exit status (-1 when it did not exit normally). */
static int run(const char *args, const char *input, char *out, size_t size)
{
    const char *bindir = getenv("MXTUI_BINDIR");
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "'%s/mxcheck' %s < '%s'", bindir ? bindir : "bin", args,
             input ? input : "/dev/null");
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int run_hosts(const char *data, size_t len, const char *args, char *out, size_t size)
{
    char path[128];
    write_file("in.txt", data, len, path, sizeof(path));
    return run(args, path, out, size);
}

Test(mxcheck, issue_example_accept_then_no_trailing_dot)
{
    make_dir();
    char out[4096], want[1024];
    const char in[] = "mail.example.de.\nmail.example.de\n";
    int rc = run_hosts(in, sizeof(in) - 1, "", out, sizeof(out));
    snprintf(want, sizeof(want), "accept\tok\tmail.example.de.\nreject\tno_trailing_dot\t%s\n",
             mx_code_message(MX_NO_TRAILING_DOT, MX_LANG_EN));
    cr_assert_str_eq(out, want);
    cr_assert_eq(rc, 1);
}

Test(mxcheck, all_accepted_exits_zero_and_shows_idn_forms)
{
    make_dir();
    char out[4096];
    const char in[] = "MX.Müller.de.\nmail.example.de.";
    int rc = run_hosts(in, sizeof(in) - 1, "", out, sizeof(out));
    cr_assert_str_eq(out, "accept\tok\tmx.xn--mller-kva.de.\tmx.müller.de.\n"
                          "accept\tok\tmail.example.de.\n");
    cr_assert_eq(rc, 0);
}

Test(mxcheck, raw_bytes_nul_control_and_cr)
{
    make_dir();
    char out[4096];
    const char in[] = "a\0b.example.de.\nmail\x1b[2J.de.\nmail.example.de.\r\n\n";
    int rc = run_hosts(in, sizeof(in) - 1, "", out, sizeof(out));
    char want[2048];
    snprintf(
        want, sizeof(want),
        "reject\tnul_byte\t%s\nreject\tcontrol_character\t%s\n"
        "reject\tcontrol_character\t%s\nreject\tempty\t%s\n",
        mx_code_message(MX_NUL_BYTE, MX_LANG_EN), mx_code_message(MX_CONTROL_CHARACTER, MX_LANG_EN),
        mx_code_message(MX_CONTROL_CHARACTER, MX_LANG_EN), mx_code_message(MX_EMPTY, MX_LANG_EN));
    cr_assert_str_eq(out, want);
    cr_assert_null(strchr(out, '\x1b'));
    cr_assert_eq(rc, 1);
}

Test(mxcheck, german_messages)
{
    make_dir();
    char out[4096], want[1024];
    const char in[] = "mail.example.de\n";
    run_hosts(in, sizeof(in) - 1, "--lang de", out, sizeof(out));
    snprintf(want, sizeof(want), "reject\tno_trailing_dot\t%s\n",
             mx_code_message(MX_NO_TRAILING_DOT, MX_LANG_DE));
    cr_assert_str_eq(out, want);
}

Test(mxcheck, long_line_is_refused_whole)
{
    make_dir();
    static char in[10001];
    memset(in, 'a', 10000);
    in[10000] = '\n';
    char out[4096], want[1024];
    run_hosts(in, sizeof(in), "", out, sizeof(out));
    snprintf(want, sizeof(want), "reject\tinput_too_long\t%s\n",
             mx_code_message(MX_INPUT_TOO_LONG, MX_LANG_EN));
    cr_assert_str_eq(out, want);
}

static int run_config(const char *json, char *out, size_t size)
{
    char path[128], args[256];
    write_file("cfg.json", json, strlen(json), path, sizeof(path));
    snprintf(args, sizeof(args), "--config '%s'", path);
    return run(args, NULL, out, size);
}

Test(mxcheck, config_valid_exits_zero_silently)
{
    make_dir();
    char out[4096];
    int rc = run_config("{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de.\","
                        "\"priority\":10}],\"backup\":[],\"provider_backup\":true}",
                        out, sizeof(out));
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(out, "");
}

Test(mxcheck, config_problems_one_line_each_exit_one)
{
    make_dir();
    char out[4096], want[2048];
    int rc = run_config("{\"mode\":\"custom\",\"primary\":[{\"host\":\"mail.example.de\","
                        "\"priority\":50}],\"backup\":[{\"host\":\"mx2.example.de.\","
                        "\"priority\":20}]}",
                        out, sizeof(out));
    snprintf(want, sizeof(want),
             "primary[0].host\tno_trailing_dot\t%s\nbackup[0].priority\t"
             "backup_not_lower_priority\t%s\n",
             mx_code_message(MX_NO_TRAILING_DOT, MX_LANG_EN),
             mx_code_message(MX_BACKUP_NOT_LOWER_PRIORITY, MX_LANG_EN));
    cr_assert_str_eq(out, want);
    cr_assert_eq(rc, 1);
}

Test(mxcheck, config_json_faults_exit_one)
{
    make_dir();
    char out[4096], want[1024];
    int rc = run_config("{\"mode\":\"own\"}", out, sizeof(out));
    snprintf(want, sizeof(want), "mode\tbad_value\t%s\n",
             mx_code_message(MX_JSON_BAD_VALUE, MX_LANG_EN));
    cr_assert_str_eq(out, want);
    cr_assert_eq(rc, 1);
}

Test(mxcheck, config_full_reply_accepted)
{
    make_dir();
    char out[4096];
    int rc = run_config(
        "{\"domain\":\"example.de\",\"display_name\":\"example.de\",\"kind\":\"domain\","
        "\"mode\":\"none\",\"primary\":[],\"backup\":[],\"provider_backup\":false,"
        "\"records\":[{\"priority\":0,\"host\":\".\"}],\"version\":3,\"updated_at\":null,"
        "\"updated_by\":null,\"publication\":{\"state\":\"pending\",\"version\":3,\"at\":null,"
        "\"error\":null}}",
        out, sizeof(out));
    cr_assert_str_eq(out, "");
    cr_assert_eq(rc, 0);
}

Test(mxcheck, config_missing_file_exits_two)
{
    make_dir();
    char out[4096], args[256];
    snprintf(args, sizeof(args), "--config '%s/nope.json' 2>/dev/null", dir);
    cr_assert_eq(run(args, NULL, out, sizeof(out)), 2);
    cr_assert_str_eq(out, "");
}

Test(mxcheck, help_and_bad_arguments)
{
    make_dir();
    char out[4096];
    cr_assert_eq(run("--help", NULL, out, sizeof(out)), 0);
    cr_assert_not_null(strstr(out, "usage: mxcheck"));
    cr_assert_eq(run("--frobnicate 2>/dev/null", NULL, out, sizeof(out)), 2);
}

/* Names people could take for others are printed as warn with both forms; they do not fail
 * the run. A label with "--" at 3 and 4 is refused. */
Test(mxcheck, lookalikes_warn_with_both_forms)
{
    make_dir();
    char out[4096];
    const char in[] = "m\xd0\xb0il.example.de.\n"
                      "\xd0\xbc\xd0\xb0\xd0\xb8\xd0\xbb\xce\xb1.example.\n"
                      "m\xc3\xbcller.de.\n";
    int rc = run_hosts(in, sizeof(in) - 1, "", out, sizeof(out));
    cr_assert_eq(rc, 0, "%s", out);
    char want[512];
    snprintf(want, sizeof want,
             "warn\tconfusable\t%s\txn--mil-6cd.example.de.\tm\xd0\xb0il.example.de.\n",
             mx_code_message(MX_CONFUSABLE, MX_LANG_EN));
    cr_assert_eq(strncmp(out, want, strlen(want)), 0, "%s", out);
    cr_assert_not_null(strstr(out, "\nwarn\tmixed_script\t"), "%s", out);
    cr_assert_not_null(strstr(out, "\naccept\tok\txn--mller-kva.de.\tm\xc3\xbcller.de.\n"), "%s",
                       out);
    const char bad[] = "ab--cd.example.de.\n";
    rc = run_hosts(bad, sizeof(bad) - 1, "--lang de", out, sizeof(out));
    cr_assert_eq(rc, 1);
    snprintf(want, sizeof want, "reject\thyphen_3_4\t%s\n",
             mx_code_message(MX_HYPHEN_3_4, MX_LANG_DE));
    cr_assert_str_eq(out, want);
}
