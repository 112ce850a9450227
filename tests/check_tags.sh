#!/bin/sh
# Builds the example site and checks its hashtags (tests/check_tags.py).
# Prints TAP lines; exits 1 if any failed.
echo 1..8
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if "${GAZETTE:-$top/gazette}" build -C "$top" -o "$tmp/out" >"$tmp/log" 2>&1
then
    echo "ok - the example site builds"
    python3 "$top/tests/check_tags.py" "$tmp/out"
else
    echo "not ok - the example site builds"
    sed 's/^/# /' "$tmp/log"
    exit 1
fi
