#!/bin/sh
# Every page gazette writes is valid HTML: the example site and the golden
# sites, checked by the Nu HTML checker (vnu.jar; make test installs it).
# Prints TAP lines; exits 1 if any failed.
echo 1..1
top=$(cd "$(dirname "$0")/.." && pwd)
vnu=${VNU:-$top/build/tools/node_modules/vnu-jar/build/dist/vnu.jar}
if ! command -v java >/dev/null || [ ! -f "$vnu" ]; then
    echo "ok - valid HTML # SKIP the Nu HTML checker is not installed (make test installs it)"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"${GAZETTE:-$top/gazette}" build -C "$top" -o "$tmp/example" >/dev/null 2>&1
for site in "$top"/tests/sites/*/expected; do
    cp -R "$site" "$tmp/$(basename "$(dirname "$site")")"
done
pages=$(find "$tmp" -name '*.html' | wc -l)
fail=0
if java -jar "$vnu" --skip-non-html --errors-only "$tmp" >"$tmp.log" 2>&1; then
    echo "ok - all $pages pages are valid HTML"
else
    fail=1
    echo "not ok - all $pages pages are valid HTML"
    sed "s|$tmp/||; s/^/# /" "$tmp.log" | head -40
fi
rm -f "$tmp.log"
exit $fail
