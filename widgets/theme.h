/* theme: colours are roles. Widgets ask for a role's attributes; a colour theme and a
 * monochrome theme (reverse, bold, underline only) cover every role. */
#ifndef WIDGETS_THEME_H
#define WIDGETS_THEME_H

#include <curses.h>
#include <stdbool.h>

/* What a piece of the screen means; the theme decides how it looks. */
enum role {
    ROLE_NORMAL,      /* ordinary text */
    ROLE_HEADER,      /* title bar, column headers */
    ROLE_FOCUS,       /* the focused button, check box, choice or list row */
    ROLE_SELECTED,    /* the selected list row when the list has no focus */
    ROLE_FIELD,       /* an input area */
    ROLE_FIELD_FOCUS, /* the input area that has the focus */
    ROLE_ERROR,       /* invalid input, failures */
    ROLE_WARNING,     /* things to be careful about */
    ROLE_OK,          /* checked and fine */
    ROLE_DISABLED,    /* present but not usable */
    ROLE_BORDER,      /* box lines */
    ROLE_DIALOG,      /* a modal dialog's inside */
    ROLE_KEYBAR,      /* key bar descriptions */
    ROLE_KEYBAR_KEY,  /* key bar key names */
    ROLE_STATUS,      /* the status line */
    ROLE_ESCAPE,      /* visible escapes the sanitiser made (reserved) */
    ROLE_COUNT
};

/* Which theme to use. */
enum theme_mode {
    THEME_AUTO, /* colour unless NO_COLOR is set or the terminal has no colours */
    THEME_MONO, /* monochrome */
};

/* Chooses the theme and sets up colour pairs; call after initscr. */
void theme_init(enum theme_mode mode);

/* Returns true when the monochrome theme is in use. */
bool theme_is_mono(void);

/* Returns the curses attributes (colour pair included) of role. */
attr_t theme_attr(enum role role);

/* Returns the name of role ("normal", "focus", …), for documentation and tests. */
const char *theme_role_name(enum role role);

#endif
