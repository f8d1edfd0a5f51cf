#!/bin/sh
# Runs every test program given as an argument (Criterion binaries), every check script in
# tests/scripts/ and, with CI=true or
# FUZZ_SECONDS > 0, a short run of each libFuzzer target; prints each failure and ends with
# one line: "N passed, N failed" (", N skipped" when some were skipped).
# With CI=true a skipped test counts as failed: CI may skip nothing.
set -u
BIN=${BIN:-bin}
export MXTUI_BINDIR="$BIN"
out=${TEST_OUT:-build/test-results}
mkdir -p "$out"
passed=0 failed=0 skipped=0
jobs=${TEST_JOBS:-2}

for t in "$@"; do
    name=$(echo "$t" | sed 's|^.*/tests/||; s|/|-|g')
    tap="$out/$name.tap"
    log="$out/$name.log"
    rm -f "$tap"
    # A whole program gets 15 minutes at most; each test waits with its own deadlines.
    timeout 900 "$t" --jobs="$jobs" --tap="$tap" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$tap" 2>/dev/null); p=${p:-0}
    s=$(grep -c '^ok .*# SKIP' "$tap" 2>/dev/null); s=${s:-0}
    f=$(grep -c '^not ok ' "$tap" 2>/dev/null); f=${f:-0}
    p=$((p - s))
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        # The program died or timed out outside any single test: that is a failure of its own.
        f=1
        echo "FAIL $name: exit status $rc" >&2
    fi
    if [ "$f" != 0 ]; then
        grep '^not ok ' "$tap" 2>/dev/null | sed "s|^|FAIL $name: |" >&2
        grep -E '\[(FAIL|----)\]|Assertion|CRASH|Warning' "$log" 2>/dev/null | head -40 >&2
    fi
    echo "$name: $p passed, $f failed, $s skipped" >&2
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done

# Checks written as shell scripts (tests/scripts/*.sh): each is one test; exit 0 passes.
for sc in tests/scripts/*.sh; do
    [ -f "$sc" ] || continue
    n=$(basename "$sc" .sh)
    if sh "$sc" >"$out/script-$n.log" 2>&1; then
        passed=$((passed + 1)); echo "script-$n: passed ($(tail -1 "$out/script-$n.log"))" >&2
    else
        failed=$((failed + 1)); echo "FAIL script-$n:" >&2
        tail -20 "$out/script-$n.log" >&2
    fi
done

# Fuzz targets: a short fixed run each. Finding a crash is a failure.
fuzz_seconds=${FUZZ_SECONDS:-0}
if [ "${CI:-}" = true ] && [ "$fuzz_seconds" = 0 ]; then fuzz_seconds=10; fi
if [ "$fuzz_seconds" != 0 ] && [ -d "${FUZZ_BIN:-build/fuzz}" ]; then
    for f in "${FUZZ_BIN:-build/fuzz}"/*; do
        [ -f "$f" ] && [ -x "$f" ] || continue
        n=$(basename "$f")
        corpus="$out/fuzz-corpus-$n"
        mkdir -p "$corpus"
        seeds=""
        [ -d "tests/fuzz/corpus/$n" ] && seeds="tests/fuzz/corpus/$n"
        if "$f" -max_total_time="$fuzz_seconds" -artifact_prefix="$out/fuzz-$n-" \
            "$corpus" $seeds >"$out/fuzz-$n.log" 2>&1; then
            passed=$((passed + 1)); echo "fuzz-$n: no crash in ${fuzz_seconds}s" >&2
        else
            failed=$((failed + 1)); echo "FAIL fuzz-$n: see $out/fuzz-$n.log" >&2
            tail -30 "$out/fuzz-$n.log" >&2
        fi
    done
fi

if [ "${CI:-}" = true ] && [ "$skipped" != 0 ]; then
    echo "CI=true: $skipped skipped test(s) count as failed" >&2
    failed=$((failed + skipped)); skipped=0
fi
if [ "$skipped" != 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ] && [ $((passed + failed)) != 0 ]
