/* mxtui: the terminal application of the provider's MX-record dialog. Reads the settings, makes
 * the process undumpable (it holds a password while one is typed), chooses the language and
 * runs the app. */
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/options.h"

#include <locale.h>
#include <stdio.h>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
    /* No core file and no ptrace by other users' processes: the memory holds passwords and the
     * session token. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    setlocale(LC_ALL, "");
    struct tui_options opts;
    char err[1024];
    switch (options_load(&opts, argc, argv, stdout, err, sizeof err)) {
    case OPTIONS_EXIT:
        return 0;
    case OPTIONS_ERROR:
        fprintf(stderr, "mxtui: %s\n", err);
        return 2;
    case OPTIONS_RUN:
        break;
    }
    i18n_init(opts.lang[0] ? opts.lang : NULL, argc > 0 ? argv[0] : NULL);
    return app_run(&opts);
}
