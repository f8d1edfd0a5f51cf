/* mxcheck's output goes through mxctl's sanitiser: a configuration file (say, a ticket's
 * attachment) whose field names hide terminal controls, bidi overrides or invisible characters
 * prints them as escapes. Runs the real program from $MXTUI_BINDIR. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/support/test_util.h"

static char dir[256];

static void down(void)
{
    if (dir[0])
        test_rmtree(dir);
}

TestSuite(mxcheck_out, .fini = down, .timeout = 30);

/* mxcheck --config FILE with FILE holding json; stdout into out. Returns the exit status. */
static int check_config(const char *json, char *out, size_t size)
{
    char path[320], cmd[1024];
    if (!dir[0])
        cr_assert_eq(test_mkdtemp(dir, sizeof(dir), "mxtui-mxcheck"), 0);
    snprintf(path, sizeof(path), "%s/config.json", dir);
    cr_assert_eq(test_write_file(path, json, strlen(json)), 0);
    const char *bindir = getenv("MXTUI_BINDIR");
    snprintf(cmd, sizeof(cmd), "'%s/mxcheck' --config '%s'", bindir ? bindir : "bin", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(mxcheck_out, hostile_field_names_are_escaped)
{
    static const struct {
        const char *json, *raw, *shown;
    } cases[] = {
        /* C1 CSI: an 8-bit escape sequence introducer for terminals that take it */
        {"{\"mode\":\"none\",\"a\\u009b31mb\":1}", "\xc2\x9b", "a\\u{009b}31mb\tunknown_field"},
        /* right-to-left override */
        {"{\"mode\":\"none\",\"a\\u202eb\":1}", "\xe2\x80\xae", "a\\u{202e}b\tunknown_field"},
        /* zero-width space */
        {"{\"mode\":\"none\",\"a\\u200bb\":1}", "\xe2\x80\x8b", "a\\u{200b}b\tunknown_field"},
        /* ESC */
        {"{\"mode\":\"none\",\"a\\u001b[2Jb\":1}", "\x1b", "a\\x1b[2Jb\tunknown_field"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[4096];
        int rc = check_config(cases[i].json, out, sizeof(out));
        cr_expect_eq(rc, 1, "%s: exit %d", cases[i].shown, rc);
        cr_expect_null(strstr(out, cases[i].raw), "%s: raw in the output", cases[i].shown);
        cr_expect(strstr(out, cases[i].shown), "want %s in: %s", cases[i].shown, out);
    }
}
