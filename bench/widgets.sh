#!/bin/sh
# Runs the widget keystroke benchmark and puts its table into the section
# "Widgets (terminal output per keystroke)" of bench/RESULTS.md, leaving the other sections as
# they are.  Usage: sh bench/widgets.sh BENCH_PROGRAM GALLERY
set -eu
. bench/section.sh
prog=$1 gallery=$2
results=bench/RESULTS.md
table=$(mktemp)
trap 'rm -f "$table" "$table.new"' EXIT
"$prog" "$gallery" >"$table"
cat "$table"
{
    echo "Command: \`make bench-widgets\` (the gallery in an 80x24 xterm-256color pty, C.UTF-8,"
    echo "driven by the harness; bytes are what the program wrote for the keystroke, cells are the"
    echo "screen cells whose character or attributes changed; times include the pty round trip and"
    echo "libvterm parsing). Measured $(date -u +%Y-%m-%d) on $(nproc) cores."
    echo
    cat "$table"
    echo
    echo "Reading: curses sends only what changed. A typed character is one or two cells, but curses"
    echo "wraps it in the field's colours and a reset (\`ESC[30m ESC[46m x ESC[39;49m ESC(B ESC[m\`), which"
    echo "is most of its bytes; the validation message adds its text when it changes. Left is one byte"
    echo "(BS). Down repaints the old and the new selected row (two rows of 76 cells) plus the position"
    echo "counter; when the list scrolls, curses scrolls the region instead of redrawing it, so 500"
    echo "changed cells cost about as much as 150. Filter times are dominated by the scan: narrowing"
    echo "rescans only the rows still shown, Backspace rescans all 100,000."
} >"$table.new"
bench_section "Widgets (terminal output per keystroke)" "$table.new"
