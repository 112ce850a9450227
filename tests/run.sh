#!/bin/sh
# Runs every test: the cmocka unit tests (TAP output) and the shell checks
# (tests/check_*.sh, tests/e2e.sh), which print TAP lines too. Counts them
# all and ends with "N passed, N failed, N skipped"; exits 1 when anything
# failed. A test also fails when its plan (1..N) is missing or does not
# match its results, or when it exits non-zero without a "not ok".
#   TESTS="unit/parse check_build e2e"  runs only these (empty: all)
#   CHECKS="a.sh b.sh"                  the check scripts (tests/check_runner.sh)
BUILD=${BUILD:-build}
CMOCKA_MESSAGE_OUTPUT=TAP
export CMOCKA_MESSAGE_OUTPUT
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0 skipped=0

checks="" names=""
for s in ${CHECKS:-tests/check_*.sh tests/e2e.sh}; do
    [ -f "$s" ] || continue
    checks="$checks $s" names="$names $(basename "$s" .sh)"
done
for t in $UNIT_TESTS; do names="$names unit/$t"; done
for n in $TESTS; do
    case " $names " in *" $n "*) continue ;; esac
    echo "not ok - $n: no such test (there are:$names)"
    failed=$((failed + 1))
done

# run NAME COMMAND...: runs a test if TESTS picks it, checks its plan and
# exit status, prints its failures and skips and adds it to the totals.
run() {
    [ -z "$TESTS" ] || case " $TESTS " in *" $1 "*) ;; *) return ;; esac
    name=$1
    shift
    "$@" >"$log" 2>&1
    rc=$?
    eval "$(awk -v rc=$rc '
        /^1\.\.[0-9]+([ \t#]|$)/ { plans++; want = substr($1, 4) + 0; at = n; next }
        /^(not )?ok([ \t]|$)/ {
            n++
            # cmocka prints a skip as "not ok N # SKIP": not a failure.
            if (/#[ \t]*[Ss][Kk][Ii][Pp]/) s++; else if (/^not/) f++; else p++
        }
        END {
            if (!plans)
                why = rc ? "exited with status " rc " before its plan" : "printed no plan"
            else if (plans > 1) why = "printed " plans " plans"
            else if (at > 0 && at < n) why = "printed its plan between results"
            else if (n != want) why = "printed " n " of " want " results"
            if (why != "" && rc && plans) why = why ", exited with status " rc
            if (why == "" && rc && !f) why = "exited with status " rc
            printf "p=%d f=%d s=%d why=\"%s\"\n", p, f, s, why
        }' "$log")"
    # each failure with the first 20 of its diagnostic lines: a CI log
    # is all there is to go on for a failure seen only there
    awk -v name="$name" '
        /^not ok / && !/#[ \t]*[Ss][Kk][Ii][Pp]/ {
            print "  " name ": " $0; k = 20; next }
        /^#/ && k > 0 { print "  " name ":   " $0; k--; next }
        { k = 0 }' "$log"
    grep -E '^(not )?ok.*#[ 	]*[Ss][Kk][Ii][Pp]' "$log" | sed "s|^|  $name: |"
    if [ -n "$why" ]; then
        tail -n 5 "$log" | sed "s|^|  $name: # |"
        echo "not ok - $name: $why"
        f=$((f + 1))
    fi
    passed=$((passed + p)) skipped=$((skipped + s)) failed=$((failed + f))
    printf '%-28s %3d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
}

for t in $UNIT_TESTS; do run "unit/$t" "$BUILD/test_$t"; done
for s in $checks; do run "$(basename "$s" .sh)" sh "$s"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
