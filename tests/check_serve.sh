#!/bin/sh
# gazette serve: tests/check_serve.py on Debian's python3, for which make
# test installs Selenium (a python3 earlier on PATH may lack it).
# Prints TAP lines.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec "$py" "$(dirname "$0")/check_serve.py"
