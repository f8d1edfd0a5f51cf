/* The colour and monochrome themes; see theme.h. */
#include "widgets/theme.h"

#include <stdlib.h>

struct colour_style {
    short fg, bg; /* -1: the terminal's default */
    attr_t attr;
};

static const struct colour_style colour_theme[] = {
    [ROLE_NORMAL] = {-1, -1, 0},
    [ROLE_HEADER] = {COLOR_BLACK, COLOR_CYAN, A_BOLD},
    [ROLE_FOCUS] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD},
    [ROLE_SELECTED] = {COLOR_WHITE, COLOR_BLUE, 0},
    [ROLE_FIELD] = {COLOR_WHITE, COLOR_BLUE, 0},
    [ROLE_FIELD_FOCUS] = {COLOR_BLACK, COLOR_CYAN, 0},
    [ROLE_ERROR] = {COLOR_RED, -1, A_BOLD},
    [ROLE_WARNING] = {COLOR_YELLOW, -1, A_BOLD},
    [ROLE_OK] = {COLOR_GREEN, -1, A_BOLD},
    [ROLE_DISABLED] = {-1, -1, A_DIM},
    [ROLE_BORDER] = {COLOR_CYAN, -1, 0},
    [ROLE_DIALOG] = {COLOR_BLACK, COLOR_WHITE, 0},
    [ROLE_KEYBAR] = {COLOR_BLACK, COLOR_CYAN, 0},
    [ROLE_KEYBAR_KEY] = {COLOR_WHITE, COLOR_BLACK, A_BOLD},
    [ROLE_STATUS] = {COLOR_WHITE, COLOR_BLUE, 0},
    [ROLE_ESCAPE] = {COLOR_MAGENTA, -1, A_BOLD},
};
_Static_assert(sizeof colour_theme / sizeof colour_theme[0] == ROLE_COUNT,
               "the colour theme covers every role");

/* Without colour every state still shows: focus is reverse, errors are bold (and widgets add
 * a mark), input areas are underlined. */
static const attr_t mono_theme[] = {
    [ROLE_NORMAL] = 0,
    [ROLE_HEADER] = A_REVERSE | A_BOLD,
    [ROLE_FOCUS] = A_REVERSE,
    [ROLE_SELECTED] = A_BOLD | A_UNDERLINE,
    [ROLE_FIELD] = A_UNDERLINE,
    [ROLE_FIELD_FOCUS] = A_REVERSE,
    [ROLE_ERROR] = A_BOLD,
    [ROLE_WARNING] = A_BOLD,
    [ROLE_OK] = 0,
    [ROLE_DISABLED] = A_DIM,
    [ROLE_BORDER] = 0,
    [ROLE_DIALOG] = 0,
    [ROLE_KEYBAR] = A_REVERSE,
    [ROLE_KEYBAR_KEY] = A_BOLD,
    [ROLE_STATUS] = A_REVERSE,
    [ROLE_ESCAPE] = A_BOLD,
};
_Static_assert(sizeof mono_theme / sizeof mono_theme[0] == ROLE_COUNT,
               "the monochrome theme covers every role");

static const char *const role_names[] = {
    [ROLE_NORMAL] = "normal", [ROLE_HEADER] = "header",
    [ROLE_FOCUS] = "focus",   [ROLE_SELECTED] = "selected",
    [ROLE_FIELD] = "field",   [ROLE_FIELD_FOCUS] = "field-focus",
    [ROLE_ERROR] = "error",   [ROLE_WARNING] = "warning",
    [ROLE_OK] = "ok",         [ROLE_DISABLED] = "disabled",
    [ROLE_BORDER] = "border", [ROLE_DIALOG] = "dialog",
    [ROLE_KEYBAR] = "keybar", [ROLE_KEYBAR_KEY] = "keybar-key",
    [ROLE_STATUS] = "status", [ROLE_ESCAPE] = "escape",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == ROLE_COUNT, "every role has a name");

static bool mono = true;

void theme_init(enum theme_mode mode)
{
    const char *no_color = getenv("NO_COLOR");
    mono = mode == THEME_MONO || (no_color && no_color[0]) || !has_colors();
    if (mono)
        return;
    start_color();
    /* Without default colours (-1) the terminal gets white on black for "default". */
    bool defaults = use_default_colors() == OK;
    for (int r = 0; r < ROLE_COUNT; r++) {
        short fg = colour_theme[r].fg, bg = colour_theme[r].bg;
        if (!defaults && fg < 0)
            fg = COLOR_WHITE;
        if (!defaults && bg < 0)
            bg = COLOR_BLACK;
        init_pair((short)(r + 1), fg, bg);
    }
}

bool theme_is_mono(void)
{
    return mono;
}

attr_t theme_attr(enum role role)
{
    if ((int)role < 0 || role >= ROLE_COUNT)
        role = ROLE_NORMAL;
    if (mono)
        return mono_theme[role];
    return colour_theme[role].attr | (attr_t)COLOR_PAIR(role + 1);
}

const char *theme_role_name(enum role role)
{
    if ((int)role < 0 || role >= ROLE_COUNT)
        return "?";
    return role_names[role];
}
