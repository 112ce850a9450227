#!/bin/bash
# bench_highlight.sh: throughput of gazette's Python highlighter against
# Pygments (pygments.highlight with HtmlFormatter(nowrap=True)) over the .py
# files of the Python standard library, highlighting timed alone (files read
# first, best of several rounds each); fails unless ours is at least 100 times
# faster. Takes about half a minute, most of it Pygments'.
#
#   tests/bench_highlight.sh [DRIVER]     (default: builds build/highlight_driver)
#   PYTHON=python3 tests/bench_highlight.sh   another Python, its Pygments and stdlib
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-/usr/bin/python3}
driver=${1:-}
if [ -z "$driver" ]; then
    driver=build/highlight_driver
    mkdir -p build
    cc -std=c11 -Wall -Wextra -Wpedantic -D_GNU_SOURCE -O2 -o "$driver" \
        tests/highlight_driver.c generator/parse/highlight.c generator/parse/lex_*.c \
        generator/base/base.c generator/base/arena.c generator/base/utf8.c generator/diag.c \
        -lutf8proc -lpthread
fi

list=$(mktemp)
trap 'rm -f "$list"' EXIT
# the standard library's .py files, third-party folders left out, UTF-8 only
"$PYTHON" - >"$list" <<'EOF'
import os, sysconfig
root = sysconfig.get_paths()['stdlib']
for folder, dirs, files in os.walk(root):
    dirs[:] = sorted(d for d in dirs if d not in ('site-packages', 'dist-packages', '__pycache__'))
    for f in sorted(files):
        if f.endswith('.py'):
            path = os.path.join(folder, f)
            try:
                open(path, 'rb').read().decode('utf-8')
                print(path)
            except UnicodeDecodeError:
                pass
EOF
mapfile -t files <"$list"

ours=$("$driver" --bench python "${files[@]}")
echo "$ours"
ours_mbs=$(sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p' <<<"$ours")

theirs=$("$PYTHON" - "$list" <<'EOF'
import sys, time
import pygments
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers.python import PythonLexer
texts = [open(p.rstrip('\n'), 'rb').read().decode('utf-8') for p in open(sys.argv[1])]
size = sum(len(t.encode('utf-8')) for t in texts)
lexer, formatter = PythonLexer(), HtmlFormatter(nowrap=True)
best = None
for _ in range(3):                      # best of three, like ours
    start = time.perf_counter()
    for t in texts:
        highlight(t, lexer, formatter)
    elapsed = time.perf_counter() - start
    best = elapsed if best is None else min(best, elapsed)
print('pygments %s: %d files, %.2f MB, best of 3 rounds %.3f s: %.2f MB/s'
      % (pygments.__version__, len(texts), size / 1e6, best, size / 1e6 / best))
EOF
)
echo "$theirs"
theirs_mbs=$(sed -n 's/.*: \([0-9.]*\) MB\/s$/\1/p' <<<"$theirs")

awk -v ours="$ours_mbs" -v theirs="$theirs_mbs" 'BEGIN {
    ratio = ours / theirs
    printf "ratio: %.0fx faster than Pygments (ours %.1f MB/s, Pygments %.2f MB/s; needs >= 100x)\n",
           ratio, ours, theirs
    exit ratio >= 100 ? 0 : 1
}'
