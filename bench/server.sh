#!/bin/sh
# bench/server.sh BIN BUILD: measures mxapid and writes the section "mxapid (server)" of
# bench/RESULTS.md. Starts its own servers on 127.0.0.1 port 0 with temporary databases and
# stops them on exit. Figures are measurements, not assertions: a missed target is reported.
set -eu
BIN=${1:-bin}
BUILD=${2:-build}
WRK_SECONDS=${WRK_SECONDS:-10}
PUT_SECONDS=${PUT_SECONDS:-10}
PUT_CONNECTIONS=${PUT_CONNECTIONS:-8}
RESULTS=bench/RESULTS.md

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mxapid-bench-XXXXXX")
pid=''
cleanup() {
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

. bench/mxapid_lib.sh

# status_kb FIELD: VmRSS or VmHWM of the running server in kB.
status_kb() {
    awk -v f="$1:" '$1 == f { print $2 }' "/proc/$pid/status"
}

# get_ok RPS P99: 1 when GET meets its target (>= 20,000 req/s and p99 < 10 ms).
get_ok() {
    awk -v r="$1" -v p="$2" 'BEGIN {
        ms = p + 0; if (p ~ /us$/) ms = ms / 1000; else if (p ~ /ms$/) ms = ms; else if (p ~ /s$/) ms = ms * 1000;
        print (r >= 20000 && ms < 10) ? 1 : 0 }'
}

cores=$(nproc)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
when=$(date -u +%Y-%m-%dT%H:%MZ)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

# 1. GET with wrk, with 2 server threads (one per core) and with 1 (wrk needs the other core).
# get_run THREADS: sets get_rps get_p50 get_p75 get_p90 get_p99 non2xx get_total get_load.
get_run() {
    start_server bulk:1000 --threads "$1"
    token=$(login 10001 demo-10001)
    [ -n "$token" ] || { echo "bench-server: login failed" >&2; exit 1; }
    get_load=$(cut -d' ' -f1 /proc/loadavg)
    wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/v1/domains/example.de/mx" >"$tmp/wrk.txt"
    get_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/wrk.txt")
    get_p50=$(lat 50%)
    get_p75=$(lat 75%)
    get_p90=$(lat 90%)
    get_p99=$(lat 99%)
    non2xx=$(awk '/Non-2xx/ { print $5 }' "$tmp/wrk.txt")
    get_total=$(awk '/requests in/ { print $1 }' "$tmp/wrk.txt")
}
lat() { awk -v p="$1" '$1 == p { print $2 }' "$tmp/wrk.txt"; }
wrk_cmd="wrk -t2 -c32 -d${WRK_SECONDS}s --latency -H 'Authorization: Bearer TOKEN' http://127.0.0.1:PORT/v1/domains/example.de/mx"

echo "bench-server: GET with wrk for ${WRK_SECONDS}s, 1 server thread" >&2
get_run 1
g1="**$get_rps req/s**; latency p50 $get_p50, p75 $get_p75, p90 $get_p90, p99 $get_p99; $get_total requests, non-2xx: ${non2xx:-0}; load average before: $get_load"
g1_ok=$(get_ok "$get_rps" "$get_p99")
stop_server
echo "bench-server: GET with wrk for ${WRK_SECONDS}s, 2 server threads" >&2
get_run 2
g2="**$get_rps req/s**; latency p50 $get_p50, p75 $get_p75, p90 $get_p90, p99 $get_p99; $get_total requests, non-2xx: ${non2xx:-0}; load average before: $get_load"
g2_ok=$(get_ok "$get_rps" "$get_p99")
# The ceiling of the HTTP layer on this machine: /healthz needs no session and no database.
wrk -t2 -c32 -d5s --latency "http://127.0.0.1:$port/healthz" >"$tmp/wrk.txt"
hz_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/wrk.txt")
hz="**$hz_rps req/s**; latency p50 $(lat 50%), p99 $(lat 99%)"

# 2. PUT stream: durable changes with correct If-Match, one domain per connection.
put_load=$(cut -d' ' -f1 /proc/loadavg)
echo "bench-server: PUT for ${PUT_SECONDS}s on $PUT_CONNECTIONS connections" >&2
put_line=$("$BUILD/bench/bench_put" "$port" 20001 demo-20001 "$PUT_CONNECTIONS" "$PUT_SECONDS")
put_cmd="$BUILD/bench/bench_put PORT 20001 demo-20001 $PUT_CONNECTIONS $PUT_SECONDS"
field() { echo "$put_line" | tr ' ' '\n' | sed -n "s|^$1=||p"; }
put_rps=$(field changes_per_s)
put_p50=$(field p50_ms)
put_p90=$(field p90_ms)
put_p99=$(field p99_ms)
put_n=$(field changes)
put_failed=$(field failed)
rss_small=$(status_kb VmHWM)
stop_server

# 3. Memory with bulk:100000 (seeding runs first; VmHWM includes it).
echo "bench-server: memory with bulk:100000" >&2
t0=$(date +%s)
start_server bulk:100000 --threads 2
t1=$(date +%s)
seed_s=$((t1 - t0))
rss_idle=$(status_kb VmRSS)
token=$(login 20001 demo-20001)
curl -s -m 30 -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/v1/packages/5/domains?q=bulk0012345&limit=500" >/dev/null
wrk -t2 -c32 -d5s -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$port/v1/domains/bulk0012345.example/mx" >"$tmp/wrk2.txt"
rss_busy=$(status_kb VmRSS)
hwm=$(status_kb VmHWM)
big_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$tmp/wrk2.txt")
db_kb=$(du -k "$tmp/mx.db" | cut -f1)
stop_server

verdict() { if [ "$1" = 1 ]; then echo "met"; else echo "**missed**"; fi; }
put_ok=$(awk -v r="$put_rps" 'BEGIN { print (r >= 500) ? 1 : 0 }')

section="$tmp/section.md"
cat >"$section" <<EOT
## mxapid (server)

Run $when on commit $commit, $cores cores, $mem; \`make bench-server\` (bench/server.mk,
bench/server.sh). Server: \`$BIN/mxapid --listen 127.0.0.1:0 --db TMP/mx.db --seed bulk:1000
--hash-cost min --request-limit 1000000000 --threads N\` (the request limit is lifted so the
per-session throttle does not answer 429 to the load generator); the request log goes to a file.
Client and server share the machine's $cores cores, and other work on the machine shows in the
load average noted per run.

| what | command | result | target |
|---|---|---|---|
| GET /v1/domains/example.de/mx, \`--threads 1\` | \`$wrk_cmd\` | $g1 | ≥ 20,000 req/s, p99 < 10 ms: $(verdict "$g1_ok") |
| GET /v1/domains/example.de/mx, \`--threads 2\` | same | $g2 | ≥ 20,000 req/s, p99 < 10 ms: $(verdict "$g2_ok") |
| GET /healthz (reference: no session, no database), \`--threads 2\` | \`wrk -t2 -c32 -d5s --latency http://127.0.0.1:PORT/healthz\` | $hz | — |
| PUT /v1/domains/{name}/mx with If-Match, $PUT_CONNECTIONS connections each on its own domain, keep-alive | \`$put_cmd\` | **$put_rps durable changes/s** ($put_n answered 200, $put_failed failed); latency p50 $put_p50 ms, p90 $put_p90 ms, p99 $put_p99 ms; load average before: $put_load | ≥ 500 changes/s: $(verdict "$put_ok") |
| memory, \`--seed bulk:100000\` | \`grep -E 'VmRSS\|VmHWM' /proc/PID/status\` | RSS $rss_idle kB after start; $rss_busy kB after a listing and 5 s of wrk on bulk0012345.example ($big_rps req/s); peak (VmHWM, includes seeding) $hwm kB; database $db_kb kB; start with seeding ${seed_s} s | — |
| memory, bulk:1000 after the runs above | VmHWM | $rss_small kB | — |

Each PUT is one SQLite transaction (WAL, synchronous=FULL; the temporary database lies on ext4
here) with its audit entry and publication job, answered after COMMIT, so every change counted
above was on disk before its 200. The figures depend on what else runs on the $cores cores: compare
the load averages.
EOT

# Replace only this section of RESULTS.md (up to the next "## " heading).
awk -v f="$section" '
    /^## mxapid \(server\)/ { while ((getline l < f) > 0) print l; skip = 1; next }
    /^## / && skip { skip = 0; print ""; }
    !skip { print }' "$RESULTS" >"$tmp/results.md"
cat "$tmp/results.md" >"$RESULTS"
cat "$section"
