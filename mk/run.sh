#!/bin/sh
# `make run`: starts mxapid on loopback with the demo data in a temporary database, opens
# mxtui against it, and stops what it started when mxtui exits (or on Ctrl-C).
set -eu
BIN=${BIN:-bin}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxtui-run.XXXXXX")
pid=''
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM HUP

if [ ! -x "$BIN/mxapid" ]; then
    echo "run: $BIN/mxapid is not built yet" >&2
    exit 1
fi
# Port 0: the server picks a free port and prints it on its first line.
"$BIN/mxapid" --listen 127.0.0.1:0 --db "$dir/demo.db" --seed demo >"$dir/out" 2>"$dir/log" &
pid=$!
url=''
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n '1s|.*\(http://127\.0\.0\.1:[0-9]*\).*|\1|p' "$dir/out" 2>/dev/null)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/log" >&2; exit 1; }
    i=$((i + 1)); sleep 0.1
done
[ -n "$url" ] || { echo "run: mxapid did not start" >&2; cat "$dir/log" >&2; exit 1; }
echo "mxapid: $url (demo logins: 10001/demo-10001, 10002/demo-10002, support/demo-support)"
echo "mxapid log: $dir/log"

if [ -x "$BIN/mxtui" ]; then
    "$BIN/mxtui" --api "$url"
else
    echo "mxtui is not built yet: try $BIN/mxctl --api $url --login 10001 packages"
    echo "Press Enter to stop the server."
    read -r _ || true
fi
