# bench/mxapid_lib.sh: what the benchmark scripts share — starting mxapid on 127.0.0.1 port 0
# with a temporary database, stopping it, logging in. Sourced; needs BIN and tmp set, sets pid
# and port.

# start_server SEED EXTRA...: starts mxapid, sets pid and port (waits up to 120 s: bulk seeding).
start_server() {
    seed=$1
    shift
    rm -f "$tmp"/mx.db* "$tmp/out"
    "$BIN/mxapid" --listen 127.0.0.1:0 --db "$tmp/mx.db" --seed "$seed" --hash-cost min \
        --request-limit 1000000000 "$@" >"$tmp/out" 2>"$tmp/log" &
    pid=$!
    i=0
    port=''
    while [ -z "$port" ]; do
        port=$(sed -n '1s|.*listening on https*://[^ ]*:\([0-9][0-9]*\)$|\1|p' "$tmp/out" 2>/dev/null)
        [ -n "$port" ] && break
        i=$((i + 1))
        if [ $i -gt 2400 ] || ! kill -0 "$pid" 2>/dev/null; then
            echo "bench: mxapid did not start" >&2
            tail -20 "$tmp/log" >&2
            exit 1
        fi
        sleep 0.05
    done
}

# stop_server: SIGTERM, then up to 10 s for the exit, then SIGKILL (never an unbounded wait).
stop_server() {
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 200 ]; do
        # A zombie child still answers kill -0: reap it as soon as it has exited.
        if ! grep -q '^State:.*[RSD]' "/proc/$pid/status" 2>/dev/null; then break; fi
        i=$((i + 1))
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=''
}

login() {
    curl -s -m 10 -X POST -H 'Content-Type: application/json' \
        -d "{\"login\":\"$1\",\"password\":\"$2\"}" "http://127.0.0.1:$port/v1/sessions" |
        sed -n 's|.*"token":"\([^"]*\)".*|\1|p'
}
