#!/bin/sh
# Builds the example site and checks its highlighted code
# (tests/check_code.py). Prints TAP lines; exits 1 if any failed.
echo 1..9
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if "${GAZETTE:-$top/gazette}" build -C "$top" -o "$tmp/out" >"$tmp/log" 2>&1
then
    echo "ok - the example site builds"
    python3 "$top/tests/check_code.py" "$tmp/out" "$top/content"
else
    echo "not ok - the example site builds"
    sed 's/^/# /' "$tmp/log"
    exit 1
fi
