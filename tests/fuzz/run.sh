#!/bin/sh
# run.sh: runs each fuzz target built by tests/fuzz/fuzz.mk in turn.
#
#     sh tests/fuzz/run.sh OUT SECONDS TARGET...
#
# For each target: adds the seeds of tests/fuzz/corpus/<target>/ to the
# working corpus OUT/corpus/<target>/ (the committed corpus is never
# written), runs OUT/fuzz_<target> on it for SECONDS with the limits below
# (and tests/fuzz/<target>.dict when there is one), keeps its output in
# OUT/<target>.log and prints its number of executions. A crash, leak,
# timeout or out-of-memory leaves its reproducer as OUT/<target>-<kind>-<sha1>
# and the log's report is shown. Every target runs; exits 1 if any failed.
set -u
out=$1 seconds=$2
shift 2
here=$(dirname "$0")
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=""
for t in "$@"; do
    corpus=$out/corpus/$t log=$out/$t.log
    mkdir -p "$corpus"
    cp "$here/corpus/$t"/* "$corpus/" 2>/dev/null
    dict=
    [ -f "$here/$t.dict" ] && dict=-dict=$here/$t.dict
    "$out/fuzz_$t" -rss_limit_mb=512 -timeout=2 -max_total_time="$seconds" \
        -print_final_stats=1 -artifact_prefix="$out/$t-" $dict "$corpus" \
        >"$log" 2>&1
    rc=$?
    # The final stats when libFuzzer got to print them, else its last
    # status line ("#N DONE", "#N pulse", ...).
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] ||
        execs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
    units=$(ls "$corpus" | wc -l)
    if [ "$rc" -eq 0 ]; then
        printf '%-13s ok      %10s executions, corpus %s\n' "$t" "${execs:-?}" \
            "$units"
        continue
    fi
    failed="$failed $t"
    printf '%-13s FAILED  %10s executions (exit %s), log %s\n' "$t" \
        "${execs:-?}" "$rc" "$log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|fuzz_[a-z_]+: |ALARM|artifact_prefix|Test unit written)' \
        "$log" | head -n 20 | sed 's/^/    /'
done
if [ -n "$failed" ]; then
    echo "fuzzing failed:$failed (reproducers: $out/<target>-crash-*," \
        "-leak-*, -timeout-*, -oom-*)"
    exit 1
fi
