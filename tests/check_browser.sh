#!/bin/sh
# What a reader sees, in Debian's headless Chromium: the example site's
# pages served over HTTP on 127.0.0.1, each loaded at 375 px wide, must not
# scroll sideways, and the theme must follow prefers-color-scheme.
# Prints TAP lines; exits 1 if any failed.
echo 1..2
top=$(cd "$(dirname "$0")/.." && pwd)
chromium=$(command -v chromium || command -v chromium-browser)
if [ -z "$chromium" ]; then
    echo "ok - pages fit 375 px # SKIP chromium is not installed (make test installs it)"
    echo "ok - dark mode # SKIP chromium is not installed"
    exit 0
fi
tmp=$(mktemp -d)
server="" fail=0
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
"${GAZETTE:-$top/gazette}" build -C "$top" -o "$tmp/site" >/dev/null 2>&1 || {
    echo "not ok - the example site builds"
    exit 1
}
# The probe page lives beside the site (same origin), never in public/.
pages=$(cd "$tmp/site" && find . -name '*.html' | sed 's|^\.||; s|index\.html$||' |
    sort | sed 's/.*/"&",/' | tr -d '\n')
cat >"$tmp/site/__probe.html" <<HTML
<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
const pages = [$pages], lines = [];
const frame = document.createElement('iframe');
frame.style.cssText = 'width:375px;height:700px;border:0';
document.body.appendChild(frame);
let i = 0;
frame.onload = () => {
  const doc = frame.contentDocument, root = doc.documentElement;
  lines.push(pages[i] + ' ' + root.scrollWidth + ' ' + root.clientWidth + ' ' +
             getComputedStyle(doc.body).backgroundColor);
  if (++i < pages.length) frame.src = pages[i];
  else document.getElementById('out').textContent = 'DONE\n' + lines.join('\n');
};
frame.src = pages[0];
</script></body></html>
HTML
port=$((20000 + $$ % 20000))
(cd "$tmp/site" && exec python3 -m http.server "$port" --bind 127.0.0.1) \
    >/dev/null 2>&1 &
server=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/')" \
        2>/dev/null && break
    sleep 0.3
done

# probe SCHEME: loads every page in a browser that prefers SCHEME.
probe() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-sync \
        --disable-component-update --user-data-dir="$tmp/profile-$1" \
        --blink-settings="preferredColorScheme=$2" \
        --virtual-time-budget=30000 --dump-dom \
        "http://127.0.0.1:$port/__probe.html" 2>/dev/null
}
probe light 1 >"$tmp/light"
probe dark 0 >"$tmp/dark"
if ! grep -q DONE "$tmp/light"; then
    echo "not ok - chromium loaded the pages"
    head -5 "$tmp/light" | sed 's/^/# /'
    exit 1
fi
total=$(grep -c '^/' "$tmp/light")
wide=$(awk '/^\// && $2 > $3 { print $1 " is " $2 " px wide" }' "$tmp/light")
if [ "$total" -gt 30 ] && [ -z "$wide" ]; then
    echo "ok - all $total pages fit 375 px without sideways scrolling"
else
    echo "not ok - pages fit 375 px ($total pages)"
    echo "$wide" | sed 's/^/# /'
    fail=1
fi
light_bg=$(awk '$1 == "/" { $1 = $2 = $3 = ""; print }' "$tmp/light")
dark_bg=$(awk '$1 == "/" { $1 = $2 = $3 = ""; print }' "$tmp/dark")
if [ -n "$light_bg" ] && [ -n "$dark_bg" ] && [ "$light_bg" != "$dark_bg" ]; then
    echo "ok - dark mode follows prefers-color-scheme ($light_bg /$dark_bg)"
else
    echo "not ok - dark mode follows prefers-color-scheme ($light_bg /$dark_bg)"
    fail=1
fi
exit $fail
