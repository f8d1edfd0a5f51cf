#!/bin/sh
# Runs mxtui's benchmark (tui-bench) and puts its tables into the section
# "mxtui (terminal application)" of bench/RESULTS.md, leaving the other sections as they are.
# Usage: MXTUI_BINDIR=bin sh bench/tui.sh BENCH_PROGRAM
set -eu
. bench/section.sh
prog=$1
results=bench/RESULTS.md
table=$(mktemp)
trap 'rm -f "$table" "$table.new"' EXIT
"$prog" >"$table"
# The keystrokes of the own-mail-server flow are counted by its end-to-end test.
keys=$(MXTUI_BINDIR=${MXTUI_BINDIR:-bin} "${BUILD:-build}/tests/e2e/test_tui_mxedit" --jobs=1 \
    --filter 'tui_mxedit/own_mail_server_in_english_at_80x24' 2>&1 | sed -n 's/^tui_mxedit: //p')
printf '\n| keystrokes from the login screen to a saved own mail server with one primary and one backup | %s |\n' \
    "${keys:-not measured}" >>"$table"
cat "$table"
{
    echo "Command: \`make bench-tui\` (bench/tui_bench.c: every program in an 80x24"
    echo "xterm-256color pty, C.UTF-8, through the harness; the times include fork/exec, the pty round"
    echo "trip and libvterm parsing; dialog and whiptail are Debian's). Measured $(date -u +%Y-%m-%d) on"
    echo "$(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end."
    echo
    cat "$table"
    echo
    echo "Reading: the first screen of mxtui is a login form with three fields; it starts no request"
    echo "(the password is asked first). A typed character costs the cell, the field's colours and the"
    echo "cursor move; the status line and key bar are unchanged and not sent again. The first page of"
    echo "a package is one request of 200 names (the server's index makes offset 0 cheap); more pages"
    echo "load 40 rows before the selection reaches the end, so scrolling rarely waits."
    echo
    echo "Where the start and the memory go (measured on 2026-12-02 with \`perf stat -r 50\` on empty"
    echo "programs linked like mxtui, and mxtui's /proc/PID/smaps on the login screen): the dynamic"
    echo "loader's symbol lookups for libcurl's libraries (OpenSSL, GnuTLS through librtmp, Kerberos,"
    echo "LDAP, …) cost 2.9 ms, ICU (the confusable-name warnings) 0.9 ms, of mxtui's 5.2 ms task-clock"
    echo "for --version. Of the RSS, libcrypto is 3.2 MB, ICU with libstdc++ 2.4 MB, GnuTLS 1.1 MB; the"
    echo "heap 0.5 MB. The waits here end when the text shows (not tui_wait, which adds 15 ms for the"
    echo "end of the frame: an earlier run of this page counted them)."
} >"$table.new"
bench_section "mxtui (terminal application)" "$table.new"
