#!/bin/sh
# The highlighter's lexers (tests/lexers.tsv) against Pygments 2.14 on a
# sample of real code each, and on hostile input (tests/check_lexers.py).
# Prints TAP lines, two per language; exits 1 if any failed. make lexers
# runs every file.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "$LEXERS" ]; then n=$(echo $LEXERS | wc -w)
else n=$(grep -c '^[^#]' "$top/tests/lexers.tsv"); fi
echo "1..$((2 * n))"
exec /usr/bin/python3 "$top/tests/check_lexers.py" \
    "${HIGHLIGHT_DRIVER:-$top/build/highlight_driver}" $LEXERS
