/* keys: a screen's keys are data. One table maps keys to actions with a label (for the key
 * bar) and a description (for the help overlay), so the two can never disagree. */
#ifndef WIDGETS_KEYS_H
#define WIDGETS_KEYS_H

#include <stddef.h>

/* One binding. label NULL: shown in help only, not in the key bar. */
struct key_binding {
    int key;                 /* enum widget_key or a code point */
    int action;              /* the screen's own action number */
    const char *label;       /* short word for the key bar ("Help"), or NULL */
    const char *description; /* one line for the help overlay */
};

/* Returns the action bound to key in table[0..n), or -1. */
int keys_action(const struct key_binding *table, size_t n, int key);

/* Writes a short name for key into buf ("F1", "Tab", "S-Tab", "Esc", "Enter", "^U", "/") and
 * returns buf. */
const char *keys_name(int key, char *buf, size_t size);

/* Names key with name (a static string) from now on instead of the built-in one: the
 * application's words for the keys of its users' keyboards ("Entf" for Del on a German one).
 * name NULL returns to the built-in name. Returns 0, or -1 when the table of names is full. */
int keys_set_name(int key, const char *name);

/* The same, wrapped to width columns: a description that does not fit goes on under its own
 * column ("F6      restore the selected version (asks first;\n        writes a new version)"),
 * not under the keys. */
size_t keys_help_text_wrapped(const struct key_binding *table, size_t n, int width, char *buf,
                              size_t size);

/* Writes the help text for table (one "key  description" line each) into buf, NUL-terminated
 * and cut to size; returns the length written. */
size_t keys_help_text(const struct key_binding *table, size_t n, char *buf, size_t size);

#endif
