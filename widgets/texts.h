/* texts: the few words the widgets write themselves (a filtered list's count, the "terminal too
 * small" notice). English by default; an application in another language gives its own. Each
 * text is a printf format with the conversions, in the order, that its comment names: the
 * application's format must keep them (msgfmt --check does, for a gettext catalogue). */
#ifndef WIDGETS_TEXTS_H
#define WIDGETS_TEXTS_H

enum widget_text {
    WT_FILTER_COUNT, /* "%zu of %zu": rows shown, rows in all */
    WT_TOO_SMALL,    /* "Terminal too small: %dx%d, needs at least %dx%d": cols, rows, min */
    WT_COUNT
};

/* Uses fmt (a static string) for text t from now on; NULL gives the English one back. */
void widget_text_set(enum widget_text t, const char *fmt);

/* The format for text t. */
const char *widget_text(enum widget_text t);

#endif
