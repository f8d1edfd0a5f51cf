#!/bin/sh
# Every scene of the screenshot tool still reaches its state (the German walk through every
# screen and dialog): a change of wording or behaviour that breaks `make screenshots` fails
# here, not months later. The pictures go to a temporary folder; screenshots/ is untouched.
set -u
BIN=${BIN:-bin}
BUILD=$(dirname "${TEST_OUT:-build/test-results}")
tool="$BUILD/tests/harness/mxtui-shoot-tui"
[ -x "$tool" ] || { echo "$tool is not built"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxtui-shots.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if ! MXTUI_BINDIR="$BIN" "$tool" "$tmp" >"$tmp/log" 2>&1; then
    tail -30 "$tmp/log"
    exit 1
fi
n=$(ls "$tmp"/*.png 2>/dev/null | wc -l)
[ "$n" -gt 30 ] || { echo "only $n pictures"; exit 1; }
echo "screenshots: every scene reached its state ($n pictures)"
