#!/bin/sh
# tests/run.sh on fake check scripts (never on the real ones, so never on
# this one): a script that dies before its plan, prints too few or too many
# results, no plan, or exits non-zero after good results is a failure named
# in the output; a good script passes; TESTS picks scripts by name.
# Prints TAP lines; exits 1 if any failed.
echo 1..12
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {
    if eval "$2"; then echo "ok - $1"; else
        echo "not ok - $1"; sed 's/^/# /' "$tmp/out"; fail=1; fi
}

mkdir "$tmp/t"
printf 'exit 3\n' >"$tmp/t/check_dies.sh"
printf 'echo 1..3; echo ok 1; echo ok 2\n' >"$tmp/t/check_short.sh"
printf 'echo 1..1; echo ok 1; echo ok 2\n' >"$tmp/t/check_long.sh"
printf 'echo ok 1; echo ok 2\n' >"$tmp/t/check_noplan.sh"
printf 'echo 1..1; echo ok 1; exit 2\n' >"$tmp/t/check_status.sh"
printf 'echo 1..2; echo ok 1 - a; echo "ok 2 - b # SKIP c"\n' >"$tmp/t/check_good.sh"
printf 'echo 1..2; echo "not ok 1 - d"; seq -f "# why %%g" 25; echo ok 2\n' \
    >"$tmp/t/check_diag.sh"

# runner TESTS: runs tests/run.sh on the fakes into $tmp/out; sets rc.
runner() {
    (cd "$top" && TESTS="$1" UNIT_TESTS="" CHECKS="$(echo "$tmp"/t/*.sh)" \
        sh tests/run.sh) >"$tmp/out" 2>&1
    rc=$?
}

runner ""
check "run.sh exits non-zero when a script fails" '[ $rc -ne 0 ]'
check "a script that exits 3 before its plan is named" \
    'grep -q "^not ok - check_dies: exited with status 3 before its plan$" "$tmp/out"'
check "a short plan is named" \
    'grep -q "^not ok - check_short: printed 2 of 3 results$" "$tmp/out"'
check "a long plan is named" \
    'grep -q "^not ok - check_long: printed 2 of 1 results$" "$tmp/out"'
check "a missing plan is named" \
    'grep -q "^not ok - check_noplan: printed no plan$" "$tmp/out"'
check "a non-zero status after good results is named" \
    'grep -q "^not ok - check_status: exited with status 2$" "$tmp/out"'
check "the good script passes" \
    'grep -qE "^check_good +1 passed, 0 failed, 1 skipped$" "$tmp/out"'
check "a failure is shown with its first 20 diagnostic lines" \
    'grep -q "^  check_diag: not ok 1 - d$" "$tmp/out" &&
     grep -q "^  check_diag:   # why 20$" "$tmp/out" &&
     ! grep -q "# why 21" "$tmp/out"'
check "the totals count each bad script once" \
    '[ "$(tail -n 1 "$tmp/out")" = "9 passed, 6 failed, 1 skipped" ]'

runner "check_good"
check "TESTS=check_good runs only it, and passes" \
    '[ $rc -eq 0 ] && [ "$(grep -c "passed," "$tmp/out")" -eq 2 ] &&
     [ "$(tail -n 1 "$tmp/out")" = "1 passed, 0 failed, 1 skipped" ]'
runner "check_good check_nosuch"
check "an unknown name in TESTS is a failure" \
    '[ $rc -ne 0 ] && grep -q "^not ok - check_nosuch: no such test" "$tmp/out"'
check "and the rest still runs" \
    '[ "$(tail -n 1 "$tmp/out")" = "1 passed, 1 failed, 1 skipped" ]'
exit $fail
