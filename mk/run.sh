#!/bin/sh
# `make run`: starts mxapid on loopback with the demo data in a temporary database, opens
# mxtui against it, and stops what it started when mxtui exits (or on Ctrl-C).
# When PowerDNS (pdns_server with the gsqlite3 backend) is installed it starts one too, on
# loopback ports, with its database in the same temporary folder and its API on a generated
# key, and points mxapid at it: a saved change goes live in DNS (the dig command is printed).
# Without PowerDNS mxapid runs as before (publishing off). MXTUI_NO_PDNS=1 skips it.
set -eu
BIN=${BIN:-bin}
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxtui-run.XXXXXX")
pid=''
pdns_pid=''
cleanup() {
    # A server killed here exits non-zero; that must not stop the cleanup (set -e).
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    if [ -n "$pdns_pid" ]; then
        kill "$pdns_pid" 2>/dev/null || true
        wait "$pdns_pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM HUP

if [ ! -x "$BIN/mxapid" ]; then
    echo "run: $BIN/mxapid is not built yet" >&2
    exit 1
fi

# A free-looking port in the dynamic range; the caller retries when it was taken after all.
pick_port() {
    od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }'
}

# ---- PowerDNS, when installed ----
pdns_bin=$(command -v pdns_server 2>/dev/null || true)
[ -z "$pdns_bin" ] && [ -x /usr/sbin/pdns_server ] && pdns_bin=/usr/sbin/pdns_server
schema=/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql
dns_port=''
pdns_args=''
if [ "${MXTUI_NO_PDNS:-}" != 1 ] && [ -n "$pdns_bin" ] && [ -r "$schema" ] &&
    ls /usr/lib/*/pdns/libgsqlite3backend.so >/dev/null 2>&1 && command -v sqlite3 >/dev/null; then
    mkdir -p "$dir/pdns"
    sqlite3 "$dir/pdns/pdns.db" <"$schema"
    # The key never appears on a command line: it lives in the config file and the key file.
    key=$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077 && printf '%s\n' "$key" >"$dir/pdns.key")
    tries=0
    while [ $tries -lt 5 ]; do
        tries=$((tries + 1))
        dns_port=$(pick_port)
        api_port=$(pick_port)
        (umask 077 && cat >"$dir/pdns/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$dir/pdns/pdns.db
local-address=127.0.0.1
local-port=$dns_port
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
socket-dir=$dir/pdns
daemon=no
guardian=no
disable-syslog=yes
write-pid=no
security-poll-suffix=
CONF
        )
        "$pdns_bin" --config-dir="$dir/pdns" >"$dir/pdns.log" 2>&1 &
        pdns_pid=$!
        i=0
        up=''
        while [ $i -lt 50 ]; do
            kill -0 "$pdns_pid" 2>/dev/null || break
            if curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" \
                "http://127.0.0.1:$api_port/api/v1/servers/localhost" 2>/dev/null | grep -q 200; then
                up=1
                break
            fi
            i=$((i + 1)); sleep 0.1
        done
        [ -n "$up" ] && break
        kill "$pdns_pid" 2>/dev/null; wait "$pdns_pid" 2>/dev/null || true
        pdns_pid=''
    done
    if [ -n "$pdns_pid" ]; then
        pdns_args="--pdns-url http://127.0.0.1:$api_port --pdns-key-file $dir/pdns.key --pdns-dns 127.0.0.1:$dns_port"
    else
        echo "run: PowerDNS did not start (see below); going on without publishing" >&2
        tail -5 "$dir/pdns.log" >&2
        dns_port=''
    fi
else
    echo "run: PowerDNS is not installed (make deps installs it): publishing is off"
fi

# Port 0: the server picks a free port and prints it on its first line.
# shellcheck disable=SC2086 # pdns_args is a list of words without blanks in them
"$BIN/mxapid" --listen 127.0.0.1:0 --db "$dir/demo.db" --seed demo $pdns_args \
    >"$dir/out" 2>"$dir/log" &
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
if [ -n "$dns_port" ]; then
    # The zones arrive within a moment of the start; wait for them so the dig below answers.
    i=0
    while [ $i -lt 50 ]; do
        dig +short @127.0.0.1 -p "$dns_port" example.de SOA 2>/dev/null | grep -q . && break
        i=$((i + 1)); sleep 0.1
    done
    echo "PowerDNS: DNS on 127.0.0.1:$dns_port, API on 127.0.0.1:$api_port (log: $dir/pdns.log)"
    echo "the live MX record of example.de (run it again after a save):"
    echo "  dig @127.0.0.1 -p $dns_port example.de MX"
fi

if [ -x "$BIN/mxtui" ]; then
    "$BIN/mxtui" --api "$url"
else
    echo "mxtui is not built yet: try $BIN/mxctl --api $url --login 10001 packages"
    echo "Press Enter to stop the server."
    read -r _ || true
fi
