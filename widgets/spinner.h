/* spinner: a turning mark and a label while something runs ("⠹ Saving…"). The loop calls
 * spinner_tick from its timer; the spinner never sleeps or redraws by itself. */
#ifndef WIDGETS_SPINNER_H
#define WIDGETS_SPINNER_H

#include "widgets/widget.h"

#include <stdbool.h>

struct spinner;

/* Returns a stopped spinner with label (copied), or NULL. */
struct spinner *spinner_new(const char *label);

/* The spinner as a widget; a form then owns it. */
struct widget *spinner_widget(struct spinner *s);

/* Frees *p and sets it to NULL, for one that no form owns (a form frees its own); NULL is a
 * no-op. */
void spinner_free(struct spinner **p);

/* Starts or stops it (a stopped spinner draws nothing). */
void spinner_set_active(struct spinner *s, bool active);

/* Advances one frame (when active) and marks it dirty. */
void spinner_tick(struct spinner *s);

/* How often the loop should call spinner_tick, in milliseconds. */
enum { SPINNER_INTERVAL_MS = 100 };

#endif
