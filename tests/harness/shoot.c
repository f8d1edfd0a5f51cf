/* mxtui-shoot: drives the widget gallery through the harness and writes one picture per widget
 * (NAME.txt, NAME.svg, NAME.png) into a folder. `make screenshots` runs it:
 *     mxtui-shoot GALLERY OUTDIR */
#include "tests/harness/harness.h"

#include <stdio.h>
#include <string.h>

struct shot {
    const char *name;      /* file name */
    const char *page;      /* gallery page */
    const char *mono;      /* "--mono" or NULL */
    const char *wait_for;  /* text that shows the page is up */
    const char *keys[6];   /* keys to send first (names or "text:…") */
    const char *then_wait; /* text to wait for after the keys, or NULL */
    int rows, cols;        /* 0: 24 x 80 */
    const char *locale;    /* NULL: C.UTF-8 */
};

static const struct shot shots[] = {
    {.name = "form", .page = "form", .wait_for = "Host name"},
    {.name = "form-mono", .page = "form", .mono = "--mono", .wait_for = "Host name"},
    {.name = "field", .page = "field", .wait_for = "Long name"},
    {.name = "password", .page = "password", .wait_for = "Password"},
    {.name = "list", .page = "list", .wait_for = "kunde-000000.de"},
    {.name = "list-filter",
     .page = "list",
     .wait_for = "kunde-000000.de",
     .keys = {"text:4242", NULL},
     .then_wait = "of 100000"},
    {.name = "dropdown", .page = "dropdown", .wait_for = "Priority"},
    {.name = "dropdown-open",
     .page = "dropdown",
     .wait_for = "Priority",
     .keys = {"Enter", "Down", NULL},
     .then_wait = "50"},
    {.name = "toggle", .page = "toggle", .wait_for = "Own mail server"},
    {.name = "checkbox",
     .page = "checkbox",
     .wait_for = "backup server",
     .keys = {"Space", NULL},
     .then_wait = "[x]"},
    {.name = "button", .page = "button", .wait_for = "Cancel"},
    {.name = "dialog", .page = "dialog", .wait_for = "Save changes?"},
    {.name = "help", .page = "help", .wait_for = "Help"},
    {.name = "keybar", .page = "keybar", .wait_for = "Quit"},
    {.name = "statusline", .page = "statusline", .wait_for = "Saving failed"},
    {.name = "spinner", .page = "spinner", .wait_for = "Checking"},
    {.name = "infopanel", .page = "infopanel", .wait_for = "Provider backup server"},
    {.name = "sanitizer", .page = "evil", .wait_for = "Foreign"},
    {.name = "too-small", .page = "form", .rows = 20, .cols = 60},
    {.name = "form-132x43", .page = "form", .wait_for = "Host name", .rows = 43, .cols = 132},
    {.name = "form-ascii", .page = "form", .wait_for = "Host name", .locale = "C"},
};

static int shoot(const char *gallery, const char *dir, const struct shot *s)
{
    const char *argv[] = {gallery, "--page", s->page, "--still", s->mono, NULL};
    struct term_opts o = {.argv = argv, .rows = s->rows, .cols = s->cols, .locale = s->locale};
    struct term *t = term_start(&o);
    int rc = -1;
    if (!t)
        return -1;
    if (!term_wait_text(t, s->wait_for ? s->wait_for : "too small", 5000)) {
        fprintf(stderr, "mxtui-shoot: %s: page did not appear\n", s->name);
        goto out;
    }
    for (int i = 0; i < 6 && s->keys[i]; i++) {
        if (!strncmp(s->keys[i], "text:", 5))
            term_send_text(t, s->keys[i] + 5);
        else
            term_send_key(t, s->keys[i]);
    }
    if (s->then_wait && !term_wait_text(t, s->then_wait, 5000)) {
        fprintf(stderr, "mxtui-shoot: %s: \"%s\" did not appear\n", s->name, s->then_wait);
        goto out;
    }
    term_wait_idle(t, 100, 3000);
    char txt[1024], svg[1024], png[1024];
    snprintf(txt, sizeof txt, "%s/%s.txt", dir, s->name);
    snprintf(svg, sizeof svg, "%s/%s.svg", dir, s->name);
    snprintf(png, sizeof png, "%s/%s.png", dir, s->name);
    if (term_write_txt(t, txt) != 0 || term_write_png(t, svg, png) != 0) {
        fprintf(stderr, "mxtui-shoot: %s: cannot write the pictures\n", s->name);
        goto out;
    }
    printf("screenshots: %s\n", png);
    rc = 0;
out:
    term_send_key(t, "F10");
    term_free(&t);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: mxtui-shoot GALLERY OUTDIR\n", stderr);
        return 2;
    }
    int failed = 0;
    for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++)
        if (shoot(argv[1], argv[2], &shots[i]) != 0)
            failed++;
    return failed ? 1 : 0;
}
