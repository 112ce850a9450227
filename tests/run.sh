#!/bin/sh
# Runs every test: the cmocka unit tests (TAP output) and the shell checks
# (tests/check_*.sh, tests/e2e.sh), which print TAP lines too. Counts them
# all and ends with "N passed, N failed"; exits 1 when anything failed.
BUILD=${BUILD:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 skipped=0

# count NAME: reads TAP lines from $log and adds them to the totals.
count() {
    # cmocka prints a skipped test as "not ok N # SKIP": a skip, not a failure.
    skip='^(not )?ok .*# [Ss][Kk][Ii][Pp]'
    s=$(grep -cE "$skip" "$log")
    p=$(grep -E '^ok ' "$log" | grep -cvE "$skip")
    f=$(grep -E '^not ok ' "$log" | grep -cvE "$skip")
    grep -E '^not ok ' "$log" | sed "s|^|  $1: |"
    grep -E "$skip" "$log" | sed "s|^|  $1: |"
    passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
    printf '%-28s %3d passed, %d failed, %d skipped\n' "$1" "$p" "$f" "$s"
}

for t in $UNIT_TESTS; do
    CMOCKA_MESSAGE_OUTPUT=TAP "$BUILD/test_$t" >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' "$log"; then
        echo "not ok - test_$t exited with status $rc" >>"$log"
        tail -5 "$log"
    fi
    count "unit/$t"
done
for s in tests/check_*.sh tests/e2e.sh; do
    [ -f "$s" ] || continue
    sh "$s" >"$log" 2>&1
    count "$(basename "$s" .sh)"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
