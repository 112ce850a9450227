#!/bin/sh
# The highlighting stylesheet: every Pygments token class legible (contrast
# of at least 4.5:1) in the light and the dark palette. check_contrast.py
# prints the TAP lines and their plan (1..N, after them) and exits 1 on any
# failure; run.sh fails a short plan or a non-zero exit.
top=$(cd "$(dirname "$0")/.." && pwd)
python3 "$top/tests/check_contrast.py" "$top/themes/default/assets/highlight.css"
