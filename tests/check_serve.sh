#!/bin/sh
# gazette serve: tests/check_serve.py on Debian's python3, for which make
# test installs Selenium (a python3 earlier on PATH may lack it). The plan
# is printed here, from the script's PLAN, so that a Python that dies
# before its first line still leaves a plan its missing results fail.
# Prints TAP lines.
here=$(dirname "$0")
plan=$(sed -n 's/^PLAN = \([0-9][0-9]*\)$/\1/p' "$here/check_serve.py")
echo "1..${plan:-1}"
[ -n "$plan" ] || { echo "not ok - check_serve.py names no PLAN"; exit 1; }
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" "$here/check_serve.py"
