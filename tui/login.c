/* The login screen and the re-login overlay. The password lives only in a masked field whose
 * buffer is wiped whenever it changes; it is handed to the client (which wipes its copy when
 * the request ends) and the field is cleared after every answer but "one-time code needed",
 * where it is kept so the person only types the code. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/ui.h"
#include "tui/views.h"
#include "widgets/button.h"
#include "widgets/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_LOGIN = 1 };
enum { TIMER_COUNTDOWN = 1 };
enum { ACT_SUBMIT = ACT_VIEW };

static const struct key_binding login_keys[] = {
    {WK_ENTER, ACT_SUBMIT, N_("Log in"), N_("next field; in the password field: log in")},
    {WK_TAB, 0, NULL, N_("move to the next field (Shift-Tab: back)")},
    {WK_ESC, ACT_BACK, NULL, N_("cancel a login that is running")},
};
static const struct key_binding relogin_keys[] = {
    {WK_ENTER, ACT_SUBMIT, N_("Log in"), N_("log in again and go on where you were")},
    {WK_ESC, ACT_BACK, N_("Give up"), N_("go to the login screen (what is open is closed)")},
};

struct login_view {
    struct view base;
    bool relogin;
    char fixed_login[128]; /* relogin: who logs in again */
    struct field *login, *password, *otp;
    struct button *submit;
    struct rect box;
    char message[512];
    enum role message_role;
    long long wait_until_ms; /* throttled: no login before this time */
};

static struct login_view *lv(struct view *v)
{
    return (struct login_view *)v;
}

static void set_message(struct login_view *l, enum role role, const char *text)
{
    ui_copy(l->message, sizeof l->message, text ? text : "");
    l->message_role = role;
    app_dirty(l->base.app);
}

static long seconds_left(const struct login_view *l)
{
    long long left = l->wait_until_ms - app_now_ms();
    return left > 0 ? (long)((left + 999) / 1000) : 0;
}

static void show_countdown(struct login_view *l)
{
    long s = seconds_left(l);
    char buf[256];
    if (s > 0) {
        snprintf(buf, sizeof buf, _("Too many failed logins. Try again in %ld s."), s);
        set_message(l, ROLE_WARNING, buf);
        app_timer(&l->base, TIMER_COUNTDOWN, 1000);
    } else {
        set_message(l, ROLE_STATUS, _("You can log in again."));
    }
}

static void login_layout(struct view *v, struct rect area)
{
    struct login_view *l = lv(v);
    const char *labels[] = {_("Customer number or staff login"), _("Password"), _("One-time code")};
    int lw = ui_label_width(labels, 3) + 1;
    int w = lw + 24 + 4;
    if (w < 64)
        w = 64;
    l->box = ui_centre(area, w, 12);
    struct rect b = l->box;
    int x = b.x + 2, fw = b.w - 4, y = b.y + 3;
    if (l->relogin) {
        widget_resize(field_widget(l->login), (struct rect){0, 0, 0, 0});
        field_widget(l->login)->hidden = true;
    } else {
        widget_resize(field_widget(l->login), (struct rect){y, x, 1, fw});
    }
    widget_resize(field_widget(l->password), (struct rect){y + 1, x, 1, fw});
    widget_resize(field_widget(l->otp), (struct rect){y + 2, x, 1, fw});
    struct widget *bw = button_widget(l->submit);
    widget_resize(bw, (struct rect){y + 3, x + lw, 1, button_width(l->submit)});
}

static void login_draw(struct view *v, WINDOW *win)
{
    struct login_view *l = lv(v);
    struct rect b = l->box;
    if (l->relogin)
        draw_clear_beside(win, b, (struct rect){0, 0, getmaxy(win), getmaxx(win)},
                          theme_attr(ROLE_NORMAL)); /* over the screen kept */
    draw_box(win, b, theme_attr(ROLE_BORDER), l->relogin ? _("Session expired") : _("Log in"),
             true);
    char line[1200];
    if (l->relogin)
        snprintf(line, sizeof line, _("Logged in as %s. Your session has expired."),
                 l->fixed_login);
    else
        snprintf(line, sizeof line, "%s %s", _("Server:"), app_options(v->app)->api);
    draw_text(win, b.y + 1, b.x + 2, b.w - 4, line, strlen(line), theme_attr(ROLE_NORMAL));
    if (l->relogin) {
        const char *hint = _("Enter your password to go on.");
        draw_str(win, b.y + 3, b.x + 2, b.w - 4, hint, theme_attr(ROLE_NORMAL));
    }
    if (l->message[0])
        ui_message_wrapped(win, (struct rect){b.y + 8, b.x + 2, 3, b.w - 4}, l->message_role,
                           l->message);
    form_draw(v->form, win);
}

static void submit(struct login_view *l)
{
    if (app_busy(&l->base, TAG_LOGIN))
        return;
    if (seconds_left(l) > 0) {
        show_countdown(l);
        return;
    }
    const char *login = l->relogin ? l->fixed_login : field_text(l->login);
    if (!login[0]) {
        set_message(l, ROLE_ERROR, _("Enter your customer number or staff login."));
        form_focus(l->base.form, field_widget(l->login));
        return;
    }
    if (!field_len(l->password)) {
        set_message(l, ROLE_ERROR, _("Enter your password."));
        form_focus(l->base.form, field_widget(l->password));
        return;
    }
    bool with_otp = !field_widget(l->otp)->hidden;
    if (with_otp && !field_len(l->otp)) {
        set_message(l, ROLE_ERROR, _("Enter the one-time code of your authenticator app."));
        form_focus(l->base.form, field_widget(l->otp));
        return;
    }
    set_message(l, ROLE_STATUS, "");
    if (!app_login(&l->base, TAG_LOGIN, login, field_text(l->password),
                   with_otp ? field_text(l->otp) : NULL)) {
        set_message(l, ROLE_ERROR, _("The login could not be started (out of memory)."));
        field_set_text(l->password, "");
        return;
    }
}

static int login_key(struct view *v, int key)
{
    struct login_view *l = lv(v);
    struct widget *focused = form_focused(v->form);
    if (key == WK_ENTER &&
        (focused == field_widget(l->password) || focused == field_widget(l->otp) ||
         focused == button_widget(l->submit))) {
        submit(l);
        return WIDGET_HANDLED;
    }
    int flags = form_key(v->form, key);
    if (flags & WIDGET_REDRAW)
        app_dirty(v->app);
    return flags;
}

static void login_action(struct view *v, int action)
{
    struct login_view *l = lv(v);
    if (action == ACT_SUBMIT) {
        submit(l);
    } else if (action == ACT_BACK) {
        if (l->relogin)
            app_relogin_cancelled(v->app);
        else
            app_back(v->app);
    }
}

static void login_result(struct view *v, int tag, struct api_result *res)
{
    struct login_view *l = lv(v);
    if (tag != TAG_LOGIN)
        return;
    if (res->status != API_ERR_OTP_REQUIRED)
        field_set_text(l->password, "");
    field_set_text(l->otp, "");
    switch (res->status) {
    case API_OK:
        if (l->relogin)
            app_relogged_in(v->app, res->session);
        else
            app_logged_in(v->app, res->session); /* frees this view */
        return;
    case API_ERR_OTP_REQUIRED:
        if (field_widget(l->otp)->hidden) {
            field_widget(l->otp)->hidden = false;
            set_message(l, ROLE_WARNING, res->error.message);
        } else {
            /* The server answers otp_required for a missing and a wrong code alike (it does not
             * tell which part was wrong); here a code was sent, so it was not accepted. */
            set_message(l, ROLE_ERROR,
                        _("The one-time code was not accepted. Enter the current code of your "
                          "authenticator app (each code counts once)."));
        }
        form_focus(v->form, field_widget(l->otp));
        break;
    case API_ERR_INVALID_CREDENTIALS:
        set_message(l, ROLE_ERROR, res->error.message);
        form_focus(v->form, field_widget(l->password));
        break;
    case API_ERR_RATE_LIMITED: {
        long s = res->error.retry_after > 0 ? res->error.retry_after : 60;
        l->wait_until_ms = app_now_ms() + s * 1000;
        show_countdown(l);
        form_focus(v->form, field_widget(l->password));
        break;
    }
    case API_ERR_CANCELLED:
        set_message(l, ROLE_STATUS, _("The login was cancelled."));
        form_focus(v->form, field_widget(l->password));
        break;
    default: {
        char buf[768];
        snprintf(buf, sizeof buf, "%s %s", res->error.message, _("(Enter tries again)"));
        set_message(l, ROLE_ERROR, buf);
        form_focus(v->form, field_widget(l->password));
        break;
    }
    }
    app_dirty(v->app);
}

static void login_timer(struct view *v, int tag)
{
    if (tag == TIMER_COUNTDOWN)
        show_countdown(lv(v));
}

static const char *login_help(struct view *v)
{
    (void)v;
    return _("Log in with your customer number (support staff: your staff login) and password. "
             "Accounts with two-factor authentication are asked for the one-time code of "
             "their authenticator app.");
}

static void login_free(struct view *v)
{
    view_clear(v); /* the form wipes and frees the password field */
    free(v);
}

static const struct view_ops login_ops = {
    .name = "login",
    .layout = login_layout,
    .draw = login_draw,
    .key = login_key,
    .action = login_action,
    .result = login_result,
    .timer = login_timer,
    .help = login_help,
    .free = login_free,
};

static struct view *make(struct app *a, bool relogin, const char *login, const char *why)
{
    struct login_view *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    const struct key_binding *keys = relogin ? relogin_keys : login_keys;
    size_t nk = relogin ? sizeof relogin_keys / sizeof relogin_keys[0]
                        : sizeof login_keys / sizeof login_keys[0];
    if (view_init(&l->base, a, &login_ops, keys, nk)) {
        free(l);
        return NULL;
    }
    l->relogin = relogin;
    l->base.overlay = relogin;
    const char *labels[] = {_("Customer number or staff login"), _("Password"), _("One-time code")};
    int lw = ui_label_width(labels, 3) + 1;
    /* Each widget goes into the form as it is made, so a failure frees what was made. */
    l->login = field_new(labels[0], lw, 24, 64, 0);
    if (!view_add(&l->base, l->login ? field_widget(l->login) : NULL))
        goto fail;
    l->password = field_new(labels[1], lw, 24, 256, FIELD_MASKED);
    if (!view_add(&l->base, l->password ? field_widget(l->password) : NULL))
        goto fail;
    l->otp = field_new(labels[2], lw, 8, 8, 0);
    if (!view_add(&l->base, l->otp ? field_widget(l->otp) : NULL))
        goto fail;
    l->submit = button_new(_("Log in"));
    if (!view_add(&l->base, l->submit ? button_widget(l->submit) : NULL))
        goto fail;
    field_widget(l->otp)->hidden = true;
    if (relogin) {
        ui_copy(l->fixed_login, sizeof l->fixed_login, login ? login : "");
        field_widget(l->login)->hidden = true;
        form_focus(l->base.form, field_widget(l->password));
    } else if (login && login[0]) {
        field_set_text(l->login, login);
        form_focus(l->base.form, field_widget(l->password));
    }
    if (why)
        set_message(l, ROLE_WARNING, why);
    return &l->base;
fail:
    login_free(&l->base);
    return NULL;
}

struct view *login_view_new(struct app *a, const char *login, const char *why)
{
    return make(a, false, login, why);
}

struct view *relogin_view_new(struct app *a, const char *login)
{
    return make(a, true, login, NULL);
}
