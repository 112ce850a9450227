#!/bin/sh
# Telegram's rules in built pages: hashtags, URLs, e-mail addresses and
# mentions against the hashtag scanner's tdlib table, and posts without a
# title (tests/check_telegram.py). Prints TAP lines; exits 1 if any failed.
top=$(cd "$(dirname "$0")/.." && pwd)
echo 1..5
exec python3 "$top/tests/check_telegram.py" "${GAZETTE:-$top/gazette}" \
    "$top/tests/unit/test_hashtag.c"
