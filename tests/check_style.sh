#!/bin/sh
# The highlighting stylesheet: every Pygments token class legible (contrast
# of at least 4.5:1) in the light and the dark palette.
top=$(cd "$(dirname "$0")/.." && pwd)
python3 "$top/tests/check_contrast.py" "$top/themes/default/assets/highlight.css"
