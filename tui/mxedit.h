/* mxedit: what the files of the MX editor (tui/mxedit*.c) share and nobody else uses. The
 * editor is one view: the mode toggle, primary and backup rows (a host field and a priority
 * drop-down each), the provider's backup server with its information panel, the delivery
 * order, the publication state and the buttons, laid out on a tall canvas (a curses pad) of
 * which the screen shows the part around the focus. mxedit.c: the view, layout and keys;
 * mxedit_rows.c: rows, the rules as you type, DNS checks; mxedit_save.c: saving. The
 * constructor is in tui/views.h. */
#ifndef TUI_MXEDIT_H
#define TUI_MXEDIT_H

#include "api/client.h"
#include "tui/app.h"
#include "widgets/button.h"
#include "widgets/checkbox.h"
#include "widgets/dropdown.h"
#include "widgets/field.h"
#include "widgets/infopanel.h"
#include "widgets/toggle.h"

enum { MXE_MAX_ROWS = 16 };

/* Request tags; a row's DNS check is MXE_TAG_CHECK + its id, and so is its timer. */
enum { MXE_TAG_LOAD = 1, MXE_TAG_PROFILE, MXE_TAG_PUT, MXE_TAG_POLL, MXE_TAG_CHECK = 1000 };
enum { MXE_TIMER_POLL = 1, MXE_TIMER_CHECK = 1000 };
/* Dialog tags. */
enum { MXE_DLG_REMOVE = 1, MXE_DLG_LEAVE, MXE_DLG_STALE, MXE_DLG_DRAFT, MXE_DLG_CONFIRM };
/* Actions of the key table. */
enum { MXE_ACT_SAVE = ACT_VIEW, MXE_ACT_ADD, MXE_ACT_REMOVE, MXE_ACT_HISTORY };

/* One server row. */
struct mxe_row {
    int id;
    bool backup;
    struct field *host;
    struct dropdown *prio;
    long prio_values[MX_PROFILE_MAX_ITEMS + 1];
    size_t n_prio;
    /* the rules on the text now */
    enum mx_code host_code; /* MX_OK, or the host name's problem */
    enum mx_code rule_code; /* a problem of the configuration on this host (duplicate) */
    enum mx_code look_code; /* a warning on the host's look (confusable, mixed_script) */
    enum mx_code prio_code; /* a problem of its priority (a backup not after the primaries) */
    struct mx_host norm;    /* the host's forms when host_code is MX_OK */
    /* the DNS check */
    char checked[MX_HOST_SIZE]; /* the A-label the verdict below is for ("" none) */
    char asked[MX_HOST_SIZE];   /* the A-label of the check in flight or waiting ("" none) */
    enum mx_severity verdict;
    char verdict_text[300];
    int y; /* canvas row of the host field */
};

/* The name's DNS facts, from the DNS settings screen. */
struct mxe_facts {
    bool own_possible;
    char reasons[1024];
    long mailboxes, forwards;
    enum mx_kind kind;
};

struct mxedit {
    struct view base;
    char name[MX_HOST_SIZE];
    char display[MX_DISPLAY_SIZE];
    struct mxe_facts facts;
    struct mx_config *base_cfg; /* what was loaded (the edit's base), NULL before */
    long long version;          /* of base_cfg: If-Match of the save */
    bool profile_loaded;
    /* widgets (the form owns them) */
    struct toggle *mode;
    size_t mode_shown; /* the mode the toggle stood on before a key */
    struct mxe_row *rows[MXE_MAX_ROWS];
    size_t n_rows; /* primaries first, then backups */
    struct checkbox *pbackup;
    struct infopanel *pinfo;
    struct button *save_btn, *history_btn;
    int next_id;
    bool show_empty;   /* after a save was tried, empty hosts count as errors */
    char banner[1024]; /* why an own mail server was refused, shown on top */
    /* the canvas */
    WINDOW *pad;
    int pad_h, pad_w, content_h, scroll;
    struct rect area;
    int y_toggle, y_banner, y_primary, y_primary_hint, y_backup, y_backup_hint, y_provider, y_none,
        y_preview, y_publication, y_buttons;
    int removing_id;             /* the row the "remove?" question is about, -1 none */
    enum leave_reason leave_why; /* what the "unsaved changes" question was asked for */
    /* saving */
    char reason[MX_REASON_MAX_CHARS * 4 + 1];
    bool leave_after_save;
    struct mx_config *pending_after; /* what the confirmation is about */
    struct mx_config *stale;         /* the server's configuration of a 409 */
    int polls;
    char outcome[512]; /* the last save's outcome, shown above the buttons */
    enum role outcome_role;
};

/* mxedit_draw.c */
/* The view's layout and draw ops (the canvas and the part of it the screen shows). */
void mxe_layout_view(struct view *v, struct rect area);
void mxe_draw_view(struct view *v, WINDOW *win);
/* Scrolls so that the focused widget (with an open list, a host's message row) is in view. */
void mxe_keep_focus_visible(struct mxedit *e);
/* The text of the provider's backup server panel, from the profile, into buf. */
char *mxe_backup_info(const struct mx_profile *p, char *buf, size_t size);
/* Lays the canvas out again (rows added or removed, mode changed) and keeps the focus in view. */
void mxe_relayout(struct mxedit *e);
/* Loads (again) the configuration: GET mx. */
void mxe_load(struct mxedit *e);
/* Makes cfg (copied) the edit's base and shows it in the form. */
void mxe_loaded(struct mxedit *e, const struct mx_config *cfg);

/* mxedit_rows.c */
/* Columns the host field's label takes ("Primary 3 "). */
int mxe_host_label_width(void);
/* Makes a row (not yet in the form) with host and priority; NULL out of memory. */
struct mxe_row *mxe_row_new(struct mxedit *e, bool backup, const char *host, long priority);
/* Adds rows to the form after the existing ones of their block. Returns 0 or -1. */
int mxe_row_insert(struct mxedit *e, struct mxe_row *r);
/* Removes a row from the form and frees it. */
void mxe_row_remove(struct mxedit *e, struct mxe_row *r);
/* The row a widget belongs to, or NULL. */
struct mxe_row *mxe_row_of(struct mxedit *e, const struct widget *w);
/* Whether the form stands on "Own mail server". */
bool mxe_custom(const struct mxedit *e);
/* Rows of a block. */
size_t mxe_count(const struct mxedit *e, bool backup);
/* The priority a new row of the block gets: after the primaries for a backup. */
long mxe_next_priority(const struct mxedit *e, bool backup);
/* The configuration the form shows now (hosts in A-label form where valid, as typed else);
 * cfg is cleared first. Returns 0 or -1. */
int mxe_build(struct mxedit *e, struct mx_config *cfg);
/* Runs the rules on the form and sets every row's marks and messages; schedules DNS checks
 * of hosts whose text changed. Call after every change. */
void mxe_validate(struct mxedit *e);
/* A DNS check's answer and timer. */
void mxe_check_result(struct mxedit *e, int tag, struct api_result *res);
void mxe_check_timer(struct mxedit *e, int tag);
/* The first widget that breaks a rule and why (translated), or NULL when none does. */
struct widget *mxe_first_problem(struct mxedit *e, char *why, size_t size);
/* The warnings a save must have confirmed ("host: only an AAAA record …"); returns how many
 * lines were written into lines[max][300]. */
size_t mxe_warnings(struct mxedit *e, char lines[][300], size_t max);
/* The row a field path of the API or the rules names ("backup[1].priority"), and whether the
 * path is about its priority; NULL when it names no row. */
struct mxe_row *mxe_row_by_field(struct mxedit *e, const char *field, bool *priority);
/* The row with id, or NULL. */
struct mxe_row *mxe_row_by_id(struct mxedit *e, int id);

/* mxedit_save.c */
/* Whether the form differs from what was loaded. */
bool mxe_dirty(struct mxedit *e);
/* F2 / the Save button: checks, then the confirmation. Returns true when the editor is gone
 * (nothing was left to save and it was being left): the caller must not touch e then. */
bool mxe_save(struct mxedit *e);
/* The confirmation's or the stale dialog's answer. */
void mxe_save_dialog(struct mxedit *e, int tag, int choice);
/* The PUT's and the publication poll's results, and the poll's timer. */
void mxe_save_result(struct mxedit *e, int tag, struct api_result *res);
void mxe_poll_timer(struct mxedit *e);
/* Shows the outcome line above the buttons. */
void mxe_outcome(struct mxedit *e, enum role role, const char *text);

#endif
