#!/bin/sh
# Builds the example site and checks its highlighted code
# (tests/check_code.py).
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if "${GAZETTE:-$top/gazette}" build -C "$top" -o "$tmp/out" >"$tmp/log" 2>&1
then
    python3 "$top/tests/check_code.py" "$tmp/out" "$top/content"
else
    echo "not ok - the example site builds"
    sed 's/^/# /' "$tmp/log"
fi
