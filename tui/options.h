/* options: mxtui's settings from the command line, the environment and the config file
 * ($XDG_CONFIG_HOME/mxtui/config, else ~/.config/mxtui/config; `key = value` lines, `#`
 * comments). Flags beat the environment, which beats the file. Pure: no terminal. */
#ifndef TUI_OPTIONS_H
#define TUI_OPTIONS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* Every setting; strings are "" when unset. */
struct tui_options {
    char api[1024];        /* base URL of mxapid (--api, MXTUI_API, api =) */
    char cacert[PATH_MAX]; /* PEM file of CAs to trust (--cacert, cacert =) */
    char lang[8];          /* "de", "en" or "" for the locale (--lang, lang =) */
    char login[128];       /* prefilled login (--login, login =) */
    bool mono;             /* monochrome theme (--theme mono, theme =, NO_COLOR) */
    double idle_minutes;   /* logout after this long without a key (idle_minutes =); 15 */
    bool insecure_http;    /* plain http to a host that is not loopback (--insecure-http only) */
    char config_path[PATH_MAX]; /* the config file read ("" when none) */
};

/* What options_load asks the caller to do. */
enum options_outcome {
    OPTIONS_RUN = 0,   /* start the application */
    OPTIONS_EXIT = 1,  /* --help or --version was printed: exit 0 */
    OPTIONS_ERROR = 2, /* err holds the reason: print it, exit 2 */
};

/* Fills *o from defaults, the config file, the environment and argv (in that order of
 * precedence, lowest first). --help and --version print to out. On a bad flag, a bad value or
 * a bad line of the config file, writes one sentence naming the file and line where there is
 * one into err and returns OPTIONS_ERROR. */
enum options_outcome options_load(struct tui_options *o, int argc, char **argv, void *out,
                                  char *err, size_t err_size);

/* Parses the config file at path into *o (settings it names replace those in *o). Returns 0,
 * or -1 with "PATH:LINE: reason" in err. A missing file is not an error. */
int options_read_file(struct tui_options *o, const char *path, char *err, size_t err_size);

#endif
