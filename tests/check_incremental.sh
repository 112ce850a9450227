#!/bin/sh
# Incremental builds equal clean ones: tests/check_incremental.py makes a
# site in a real git repository, edits it at random (INCREMENTAL_EDITS
# times, default 200; the seed is printed and INCREMENTAL_SEED replays it)
# and after each edit compares a build into a kept output folder with a
# build into a new one. The plan is printed here, from the script's
# --plan, so that a Python that dies before its first result still leaves
# a plan its missing results fail. Prints TAP lines; exits 1 if any failed.
here=$(dirname "$0")
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
plan=$("$py" "$here/check_incremental.py" --plan)
echo "1..${plan:-1}"
[ -n "$plan" ] ||
    { echo "not ok - check_incremental.py --plan printed no plan"; exit 1; }
"$py" "$here/check_incremental.py"
