/* Key tables: lookup, key names and the help text; see keys.h. */
#include "widgets/keys.h"

#include "widgets/sanitize.h"
#include "widgets/widget.h"
#include "widgets/wrap.h"

#include <stdio.h>
#include <string.h>

int keys_action(const struct key_binding *table, size_t n, int key)
{
    for (size_t i = 0; i < n; i++)
        if (table[i].key == key)
            return table[i].action;
    return -1;
}

/* The application's own names (keys_set_name); a few keys at most. */
static struct {
    int key;
    const char *name;
} own_names[16];

int keys_set_name(int key, const char *name)
{
    size_t n = sizeof own_names / sizeof own_names[0], free_slot = n;
    for (size_t i = 0; i < n; i++) {
        if (own_names[i].name && own_names[i].key == key) {
            own_names[i].name = name;
            return 0;
        }
        if (!own_names[i].name && free_slot == n)
            free_slot = i;
    }
    if (!name)
        return 0;
    if (free_slot == n)
        return -1;
    own_names[free_slot].key = key;
    own_names[free_slot].name = name;
    return 0;
}

const char *keys_name(int key, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++) {
        if (own_names[i].name && own_names[i].key == key) {
            snprintf(buf, size, "%s", own_names[i].name);
            return buf;
        }
    }
    static const struct {
        int key;
        const char *name;
    } names[] = {
        {WK_TAB, "Tab"},     {WK_BACKTAB, "S-Tab"},  {WK_ENTER, "Enter"}, {WK_ESC, "Esc"},
        {WK_SPACE, "Space"}, {WK_UP, "Up"},          {WK_DOWN, "Down"},   {WK_LEFT, "Left"},
        {WK_RIGHT, "Right"}, {WK_HOME, "Home"},      {WK_END, "End"},     {WK_PGUP, "PgUp"},
        {WK_PGDN, "PgDn"},   {WK_BACKSPACE, "Bksp"}, {WK_DELETE, "Del"},  {WK_INSERT, "Ins"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].key == key) {
            snprintf(buf, size, "%s", names[i].name);
            return buf;
        }
    }
    if (key >= (WK_FN | KEY_F(1)) && key <= (WK_FN | KEY_F(63)))
        snprintf(buf, size, "F%d", key - (WK_FN | KEY_F0));
    else if (key > 0 && key < 0x20)
        snprintf(buf, size, "^%c", '@' + key);
    else if (key >= 0x20 && key < WK_FN && !sanitize_is_escaped((uint32_t)key)) {
        char b[5] = {0};
        utf8_encode((uint32_t)key, b);
        snprintf(buf, size, "%s", b);
    } else
        snprintf(buf, size, "#%X", (unsigned)key);
    return buf;
}

size_t keys_help_text_wrapped(const struct key_binding *table, size_t n, int width, char *buf,
                              size_t size)
{
    enum { KEY_COLUMN = 8 }; /* "%-7s " */
    size_t o = 0;
    if (size == 0)
        return 0;
    buf[0] = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        char name[32];
        keys_name(table[i].key, name, sizeof name);
        const char *d = table[i].description ? table[i].description : "";
        struct wrap_line lines[16];
        size_t nl = wrap_text(d, width - KEY_COLUMN > 10 ? width - KEY_COLUMN : 10, lines, 16);
        if (nl > 16)
            nl = 16;
        int k = snprintf(buf + o, size - o, "%s%-7s ", i ? "\n" : "", name);
        for (size_t l = 0; k >= 0 && l < nl; l++) {
            o += (size_t)k < size - o ? (size_t)k : size - o - 1;
            k = snprintf(buf + o, size - o, "%s%.*s", l ? "\n        " : "", (int)lines[l].len,
                         d + lines[l].start);
        }
        if (k < 0)
            break;
        o += (size_t)k < size - o ? (size_t)k : size - o - 1;
    }
    return o;
}

size_t keys_help_text(const struct key_binding *table, size_t n, char *buf, size_t size)
{
    return keys_help_text_wrapped(table, n, 1 << 20, buf, size); /* no line is that long */
}
