/* The TUI's text of a configuration: the before/after columns of the confirmation and the
 * history fit the width they are given, each record on its row and under its column. */
#include "api/mx_model.h"
#include "tui/mxsummary.h"
#include "tui/ui.h"
#include "widgets/sanitize.h"

#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

static void utf8(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    sanitize_set_utf8(true);
}

/* Own server with the provider's backup after: its record is the longest of the right column. */
Test(tui_summary, before_after_columns_fit_and_keep_each_record_on_its_row, .init = utf8)
{
    const struct mx_profile *p = mx_profile_default();
    struct mx_config before = {.mode = MX_MODE_PROVIDER};
    struct mx_entry prim[] = {{.priority = 10, .host = "mail.example.de."}};
    struct mx_entry back[] = {{.priority = 80, .host = "v6.example.de."}};
    struct mx_config after = {.mode = MX_MODE_CUSTOM,
                              .primary = prim,
                              .n_primary = 1,
                              .backup = back,
                              .n_backup = 1,
                              .provider_backup = true};
    char buf[4096];
    /* 62 = the left column (27), two blanks, the right one (33): the narrowest that can fit. */
    for (int width = 62; width <= 76; width += 2) {
        mxs_before_after(buf, sizeof buf, &before, &after, p, "Before", "After", width);
        int rows = 0;
        bool seen = false;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"), rows++) {
            cr_assert_leq(sanitize_width(line, strlen(line)), width, "width %d: \"%s\"", width,
                          line);
            if (strstr(line, "backup-mx.provider.example.")) {
                seen = true;
                cr_assert(strstr(line, "90 backup-mx"), "its priority on its row: \"%s\"", line);
            }
        }
        cr_assert(seen, "width %d: the provider's backup is listed", width);
        cr_assert_eq(rows, 4, "width %d: the heading and three rows, none wrapped (%d)", width,
                     rows);
    }
}

Test(tui_summary, times_read_as_utc_minutes)
{
    char when[40];
    cr_assert_str_eq(ui_time(when, sizeof when, "2026-12-02T13:57:22Z"), "2026-12-02 13:57 UTC");
}

/* A null MX (no mail) is one record "0 ." that says what it is. */
Test(tui_summary, the_null_mx_says_what_it_is, .init = utf8)
{
    struct mx_config none = {.mode = MX_MODE_NONE}, provider = {.mode = MX_MODE_PROVIDER};
    char buf[2048];
    mxs_before_after(buf, sizeof buf, &none, &provider, mx_profile_default(), "Before", "After",
                     66);
    cr_assert(strstr(buf, "    0 .  (null MX: no mail)"), "%s", buf);
}
