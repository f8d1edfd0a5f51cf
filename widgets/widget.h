/* widget: what every widget kind shares. A widget is a struct whose first member is a
 * `struct widget`; its kind is a const table of functions (draw, key, resize, free). Key
 * handlers only answer with flags; the event loop (the caller of form_key) acts on them. */
#ifndef WIDGETS_WIDGET_H
#define WIDGETS_WIDGET_H

#include <curses.h>
#include <stdbool.h>

/* What a key handler answers; combined with |. */
enum widget_flags {
    WIDGET_IGNORED = 0,         /* not for this widget: the form or the loop may use it */
    WIDGET_HANDLED = 1 << 0,    /* the key was used */
    WIDGET_REDRAW = 1 << 1,     /* the widget looks different now */
    WIDGET_CHANGED = 1 << 2,    /* its value changed (text, choice, check) */
    WIDGET_ACTIVATE = 1 << 3,   /* it was activated (button pressed, dialog answered) */
    WIDGET_FOCUS_NEXT = 1 << 4, /* move the focus forward */
    WIDGET_FOCUS_PREV = 1 << 5, /* move the focus back */
    WIDGET_CLOSE = 1 << 6,      /* a modal widget is done and wants to be closed */
    WIDGET_QUIT = 1 << 7,       /* leave the screen */
};

/* Keys: characters are their Unicode code point; curses function keys are WK_FN | KEY_*. */
enum { WK_FN = 1 << 24, WK_NONE = -1 };
enum widget_key {
    WK_TAB = '\t',
    WK_ENTER = '\n',
    WK_ESC = 27,
    WK_SPACE = ' ',
    WK_CTRL_U = 21,
    WK_UP = WK_FN | KEY_UP,
    WK_DOWN = WK_FN | KEY_DOWN,
    WK_LEFT = WK_FN | KEY_LEFT,
    WK_RIGHT = WK_FN | KEY_RIGHT,
    WK_HOME = WK_FN | KEY_HOME,
    WK_END = WK_FN | KEY_END,
    WK_PGUP = WK_FN | KEY_PPAGE,
    WK_PGDN = WK_FN | KEY_NPAGE,
    WK_BACKTAB = WK_FN | KEY_BTAB,
    WK_BACKSPACE = WK_FN | KEY_BACKSPACE,
    WK_DELETE = WK_FN | KEY_DC,
    WK_INSERT = WK_FN | KEY_IC,
    WK_RESIZE = WK_FN | KEY_RESIZE,
    WK_F1 = WK_FN | KEY_F(1),
    WK_F2 = WK_FN | KEY_F(2),
    WK_F4 = WK_FN | KEY_F(4),
    WK_F5 = WK_FN | KEY_F(5),
    WK_F10 = WK_FN | KEY_F(10),
};

/* Returns true when key is a character that can be typed into text (not a control). */
static inline bool widget_key_is_text(int key)
{
    return key >= 0x20 && key < WK_FN && key != 0x7F && !(key >= 0x80 && key < 0xA0);
}

/* A rectangle on the screen, in cells. */
struct rect {
    int y, x, h, w;
};

struct widget;

/* The table of one widget kind. */
struct widget_ops {
    const char *kind; /* short name: "field", "list", … */
    /* Draws w inside w->rect on win; when focused, sets w->cur_y/cur_x to where the terminal
     * cursor belongs (or -1 for none). Never refreshes. */
    void (*draw)(struct widget *w, WINDOW *win, bool focused);
    /* Handles one key (enum widget_key or a code point); returns enum widget_flags. */
    int (*key)(struct widget *w, int key);
    /* Told the new rectangle after a layout; NULL when the kind needs nothing. */
    void (*resize)(struct widget *w, struct rect r);
    /* Frees w and everything it owns. */
    void (*free)(struct widget *w);
    /* Whether Esc means something to w right now (an open option list, a filter typed): then
     * it goes to w before the application's own use of Esc (cancelling a request, going
     * back). NULL: never. */
    bool (*holds_esc)(const struct widget *w);
};

/* The part every widget shares; embed it as the first member. */
struct widget {
    const struct widget_ops *ops;
    struct rect rect;
    bool focusable; /* takes part in Tab / Shift-Tab */
    bool hidden;    /* neither drawn nor focused */
    bool dirty;     /* needs drawing; set by widget_key/resize, cleared by widget_draw */
    int cur_y, cur_x;
    const char *name; /* not owned: for status lines and debugging */
};

/* Draws w (unless hidden) and clears its dirty flag. */
void widget_draw(struct widget *w, WINDOW *win, bool focused);

/* Passes key to w and returns its flags; marks it dirty when the flags say REDRAW. */
int widget_key(struct widget *w, int key);

/* Whether w (when shown) wants the next Esc itself; see widget_ops.holds_esc. NULL: false. */
bool widget_holds_esc(const struct widget *w);

/* Gives w a new rectangle and marks it dirty. */
void widget_resize(struct widget *w, struct rect r);

/* Frees *w through its table and sets *w to NULL; NULL is a no-op. */
void widget_free(struct widget **w);

/* Drawing helpers for widget kinds. */

/* Sets attr (colour pair included) for what win draws next: wattrset would take it as an int,
 * which cannot hold every attr_t bit portably. */
void draw_attr(WINDOW *win, attr_t attr);

/* Draws s[0..len) sanitised at (y, x) in at most width columns with attr, padding the rest
 * with spaces; returns the columns the text used. */
int draw_text(WINDOW *win, int y, int x, int width, const char *s, size_t len, attr_t attr);

/* Like draw_text for a NUL-terminated string the widget itself made (still sanitised). */
int draw_str(WINDOW *win, int y, int x, int width, const char *s, attr_t attr);

/* Fills width cells at (y, x) with spaces in attr. */
void draw_fill(WINDOW *win, int y, int x, int width, attr_t attr);

/* Blanks (in attr) the column left and right of box over its rows, where they lie inside within: a
 * box drawn over other text must not touch it (text ran into the frame, "Kei│"; a frame below that
 * ended beside it looked like a second one). */
void draw_clear_beside(WINDOW *win, struct rect box, struct rect within, attr_t attr);

/* Draws a box around r with attr (Unicode lines in a UTF-8 locale, ACS otherwise) and an
 * optional title in its top edge; fills the inside with spaces when fill is true. */
void draw_box(WINDOW *win, struct rect r, attr_t attr, const char *title, bool fill);

/* Draws a horizontal line of width cells at (y, x). */
void draw_hline(WINDOW *win, int y, int x, int width, attr_t attr);

/* One of a few symbols in its Unicode form, or an ASCII stand-in without UTF-8. */
enum draw_symbol {
    SYM_ERROR,    /* ✗ / ! */
    SYM_OK,       /* ✓ / + */
    SYM_WARNING,  /* ⚠ / ! */
    SYM_DOWN,     /* ▼ / v */
    SYM_BULLET,   /* • / * */
    SYM_ELLIPSIS, /* … / ~ */
    SYM_UP,       /* ▲ / ^ */
    SYM_POINTER,  /* ▸ / > : the selected row */
    SYM_ARROW,    /* → / -> */
    SYM_COUNT
};

/* Returns the symbol as a UTF-8 string (static storage). */
const char *draw_symbol(enum draw_symbol s);

#endif
