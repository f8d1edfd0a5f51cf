/* The key bar; see keybar.h. */
#include "widgets/keybar.h"

#include "widgets/sanitize.h"
#include "widgets/theme.h"

#include <stdlib.h>
#include <string.h>

struct keybar {
    struct widget base;
    const struct key_binding *table;
    size_t n;
};

/* The width of entry i (its key's name, a space, its label), or 0 when it has no label. */
static int entry_width(const struct keybar *k, size_t i)
{
    if (!k->table[i].label)
        return 0;
    char name[32];
    keys_name(k->table[i].key, name, sizeof name);
    return sanitize_width(name, strlen(name)) + 1 +
           sanitize_width(k->table[i].label, strlen(k->table[i].label));
}

static void keybar_draw(struct widget *w, WINDOW *win, bool focused)
{
    struct keybar *k = (struct keybar *)w;
    struct rect r = w->rect;
    (void)focused;
    draw_fill(win, r.y, r.x, r.w, theme_attr(ROLE_KEYBAR));
    /* Two blanks between entries; one when that does not fit (longer words of another
     * language); still too long, entries go from the end backwards, but never the last (the
     * way out, F10) — the help lists them all. */
    enum { MAX_ENTRIES = 32 };
    bool shown[MAX_ENTRIES];
    size_t n = k->n < MAX_ENTRIES ? k->n : MAX_ENTRIES, last = n;
    int total = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        int ew = entry_width(k, i);
        shown[i] = ew > 0;
        if (ew > 0) {
            total += ew;
            count++;
            last = i;
        }
    }
    int gap = total + 2 * (count - 1) <= r.w ? 2 : 1;
    total += gap * (count > 0 ? count - 1 : 0);
    for (size_t i = last; total > r.w && i-- > 0;) {
        if (shown[i]) {
            shown[i] = false;
            total -= entry_width(k, i) + gap;
        }
    }
    int x = r.x, end = r.x + r.w;
    for (size_t i = 0; i < n && x < end; i++) {
        if (!shown[i])
            continue;
        char name[32];
        keys_name(k->table[i].key, name, sizeof name);
        int nw = sanitize_width(name, strlen(name));
        int lw = sanitize_width(k->table[i].label, strlen(k->table[i].label));
        if (x + nw + 1 + lw > end)
            break;
        draw_str(win, r.y, x, nw, name, theme_attr(ROLE_KEYBAR_KEY));
        draw_str(win, r.y, x + nw, 1 + lw, "", theme_attr(ROLE_KEYBAR));
        draw_str(win, r.y, x + nw + 1, lw, k->table[i].label, theme_attr(ROLE_KEYBAR));
        x += nw + 1 + lw + gap;
    }
    /* The last cell of the screen: writing it may scroll; the fill above already set it. */
}

static void keybar_free_w(struct widget *w)
{
    free(w);
}

static const struct widget_ops keybar_ops = {
    .kind = "keybar",
    .draw = keybar_draw,
    .key = NULL,
    .resize = NULL,
    .free = keybar_free_w,
};

struct keybar *keybar_new(const struct key_binding *table, size_t n)
{
    struct keybar *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->base.ops = &keybar_ops;
    k->base.dirty = true;
    k->base.name = "keybar";
    k->table = table;
    k->n = n;
    return k;
}

struct widget *keybar_widget(struct keybar *k)
{
    return &k->base;
}

void keybar_free(struct keybar **p)
{
    if (!p || !*p)
        return;
    struct widget *w = keybar_widget(*p);
    widget_free(&w);
    *p = NULL;
}

void keybar_set_table(struct keybar *k, const struct key_binding *table, size_t n)
{
    k->table = table;
    k->n = n;
    k->base.dirty = true;
}
