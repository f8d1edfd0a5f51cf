/* mxtui's settings: defaults, the config file, the environment and flags in that order of
 * precedence, and a clear error (with file and line) for anything it cannot use. */
#include "tests/support/test_util.h"
#include "tui/options.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char home[256];

/* A private XDG_CONFIG_HOME holding text as mxtui/config (NULL: no file). */
static void config(const char *text)
{
    cr_assert_eq(test_mkdtemp(home, sizeof home, "mxtui-opts"), 0);
    setenv("XDG_CONFIG_HOME", home, 1);
    unsetenv("MXTUI_API");
    unsetenv("NO_COLOR");
    if (!text)
        return;
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/mxtui", home);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/config", dir);
    cr_assert_eq(test_write_file(path, text, strlen(text)), 0);
}

static enum options_outcome load(struct tui_options *o, char *err, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"mxtui";
    for (size_t i = 0; args && args[i]; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    FILE *out = fopen("/dev/null", "w");
    enum options_outcome r = options_load(o, argc, argv, out, err, 512);
    fclose(out);
    return r;
}

static void done(void)
{
    test_rmtree(home);
}

Test(tui_options, defaults_and_the_api_from_the_environment, .fini = done)
{
    config(NULL);
    setenv("MXTUI_API", "https://api.example:8443", 1);
    struct tui_options o;
    char err[512];
    cr_assert_eq(load(&o, err, NULL), OPTIONS_RUN, "%s", err);
    cr_assert_str_eq(o.api, "https://api.example:8443");
    cr_assert_float_eq(o.idle_minutes, 15.0, 1e-9);
    cr_assert_str_eq(o.lang, "");
    cr_assert_not(o.mono);
    cr_assert_not(o.insecure_http);
}

Test(tui_options, flags_beat_the_environment_which_beats_the_file, .fini = done)
{
    config("# mxtui settings\n"
           "api = https://from-file.example\n"
           "lang = de\n"
           "login = 10001\n"
           "theme = mono\n"
           "idle_minutes = 0.5\n"
           "cacert = /etc/ssl/ours.pem\n");
    struct tui_options o;
    char err[512];
    cr_assert_eq(load(&o, err, NULL), OPTIONS_RUN, "%s", err);
    cr_assert_str_eq(o.api, "https://from-file.example");
    cr_assert_str_eq(o.lang, "de");
    cr_assert_str_eq(o.login, "10001");
    cr_assert(o.mono);
    cr_assert_float_eq(o.idle_minutes, 0.5, 1e-9);
    cr_assert_str_eq(o.cacert, "/etc/ssl/ours.pem");
    setenv("MXTUI_API", "https://from-env.example", 1);
    cr_assert_eq(load(&o, err, NULL), OPTIONS_RUN, "%s", err);
    cr_assert_str_eq(o.api, "https://from-env.example");
    const char *flags[] = {
        "--api", "https://from-flag.example", "--lang=en", "--login", "support", "--theme", "auto",
        NULL};
    cr_assert_eq(load(&o, err, flags), OPTIONS_RUN, "%s", err);
    cr_assert_str_eq(o.api, "https://from-flag.example");
    cr_assert_str_eq(o.lang, "en");
    cr_assert_str_eq(o.login, "support");
    cr_assert_not(o.mono);
}

Test(tui_options, no_color_gives_monochrome, .fini = done)
{
    config("api = https://a.example\n");
    setenv("NO_COLOR", "1", 1);
    struct tui_options o;
    char err[512];
    cr_assert_eq(load(&o, err, NULL), OPTIONS_RUN);
    cr_assert(o.mono);
}

static void expect_error(const char *file, const char *const *flags, const char *want)
{
    config(file);
    struct tui_options o;
    char err[512];
    cr_assert_eq(load(&o, err, flags), OPTIONS_ERROR, "accepted: %s", file ? file : "");
    cr_assert(strstr(err, want), "error \"%s\" does not say \"%s\"", err, want);
}

Test(tui_options, a_bad_config_line_names_the_file_and_line, .fini = done)
{
    expect_error("api = https://a.example\n\nidle_minutes = soon\n", NULL,
                 "/mxtui/config:3: idle_minutes must be a number");
    expect_error("api = https://a.example\ncolour = blue\n", NULL,
                 "/mxtui/config:2: unknown key \"colour\"");
    expect_error("just words\n", NULL, "/mxtui/config:1: expected \"key = value\"");
    expect_error("lang = fr\n", NULL, "/mxtui/config:1: language must be de or en");
    expect_error("theme = pink\n", NULL, "/mxtui/config:1: theme must be auto or mono");
    expect_error("idle_minutes = 0\n", NULL, "config:1: idle_minutes");
    expect_error("idle_minutes = 99999\n", NULL, "config:1: idle_minutes");
    expect_error("password = secret\n", NULL, "config:1: a password is never read from a file");
}

Test(tui_options, bad_flags_are_errors, .fini = done)
{
    const char *pw[] = {"--api", "https://a.example", "--password", "x", NULL};
    expect_error(NULL, pw, "never taken from the command line");
    const char *unknown[] = {"--api", "https://a.example", "--colour", NULL};
    expect_error(NULL, unknown, "unknown option \"--colour\"");
    const char *missing[] = {"--api", NULL};
    expect_error(NULL, missing, "--api needs a value");
    const char *lang[] = {"--api", "https://a.example", "--lang", "fr", NULL};
    expect_error(NULL, lang, "language must be de or en");
    expect_error(NULL, NULL, "no API address");
}

Test(tui_options, help_and_version_ask_to_exit, .fini = done)
{
    config("this line is bad\n"); /* --help answers whatever else is wrong */
    struct tui_options o;
    char err[512];
    const char *help[] = {"--help", NULL};
    cr_assert_eq(load(&o, err, help), OPTIONS_EXIT);
    const char *version[] = {"--version", NULL};
    cr_assert_eq(load(&o, err, version), OPTIONS_EXIT);
}

Test(tui_options, insecure_http_is_a_flag_only, .fini = done)
{
    expect_error("insecure_http = yes\n", NULL, "unknown key \"insecure_http\"");
    config(NULL);
    struct tui_options o;
    char err[512];
    const char *flags[] = {"--api", "http://api.example", "--insecure-http", NULL};
    cr_assert_eq(load(&o, err, flags), OPTIONS_RUN, "%s", err);
    cr_assert(o.insecure_http);
}
