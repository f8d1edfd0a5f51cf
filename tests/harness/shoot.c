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
};

static const struct shot shots[] = {
    {"form", "form", NULL, "Host name", {NULL}, NULL},
    {"form-mono", "form", "--mono", "Host name", {NULL}, NULL},
    {"field", "field", NULL, "Long name", {NULL}, NULL},
    {"password", "password", NULL, "Password", {NULL}, NULL},
    {"list", "list", NULL, "kunde-000000.de", {NULL}, NULL},
    {"list-filter", "list", NULL, "kunde-000000.de", {"text:4242", NULL}, "of 100000"},
    {"dropdown", "dropdown", NULL, "Priority", {NULL}, NULL},
    {"dropdown-open", "dropdown", NULL, "Priority", {"Enter", "Down", NULL}, "50"},
    {"toggle", "toggle", NULL, "Own mail server", {NULL}, NULL},
    {"checkbox", "checkbox", NULL, "backup server", {"Space", NULL}, "[x]"},
    {"button", "button", NULL, "Cancel", {NULL}, NULL},
    {"dialog", "dialog", NULL, "Save changes?", {NULL}, NULL},
    {"help", "help", NULL, "Help", {NULL}, NULL},
    {"keybar", "keybar", NULL, "Quit", {NULL}, NULL},
    {"statusline", "statusline", NULL, "Saving failed", {NULL}, NULL},
    {"spinner", "spinner", NULL, "Checking", {NULL}, NULL},
    {"infopanel", "infopanel", NULL, "Provider backup server", {NULL}, NULL},
    {"sanitizer", "evil", NULL, "Foreign", {NULL}, NULL},
    {"too-small", "form", NULL, NULL, {NULL}, NULL},
};

static int shoot(const char *gallery, const char *dir, const struct shot *s)
{
    const char *argv[] = {gallery, "--page", s->page, "--still", s->mono, NULL};
    bool small = !strcmp(s->name, "too-small");
    struct term_opts o = {.argv = argv, .rows = small ? 20 : 24, .cols = small ? 60 : 80};
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
