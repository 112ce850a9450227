#!/bin/sh
# Feeds, sitemap and base paths, read as their readers read them: every
# feed of the example site and of a site with hostile titles reads with
# feedparser (Debian's python3-feedparser) with bozo 0, newest first;
# xmllint accepts every XML file; JSON feeds carry JSON Feed 1.1's fields;
# links in feeds are absolute; an entry's id survives a title edit; and
# the site built with --base-url http://127.0.0.1:PORT/blog/, served by
# nginx under /blog/, is crawled from /blog/ with every page, feed and
# asset answering 200 and no broken link.
# Prints TAP lines; exits 1 if any failed. KEEP=1 keeps its temporary
# folder.
echo 1..16
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
nginx_pid=""
trap '[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }
skip() { echo "ok - $1 # SKIP $2"; }

# Debian's feedparser is for Debian's python3 (a python3 earlier on PATH
# may be another one).
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
has_feedparser=false
$py -c 'import feedparser' 2>/dev/null && has_feedparser=true
feeds() { $py "$top/tests/check_feeds.py" "$@"; }

commit() {
    git add -A && GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" \
        git commit -qm "$2"
}

# xml_ok OUT: xmllint accepts every XML file of OUT.
xml_ok() {
    find "$1" -name '*.xml' ! -path '*/.gazette/*' >"$tmp/xml.list"
    [ -s "$tmp/xml.list" ] && xargs xmllint --noout <"$tmp/xml.list"
}

# The example site, as a repository of its own.
ex="$tmp/example"
mkdir -p "$ex"
cp -R "$top/content" "$top/site.yaml" "$ex/"
(cd "$ex" && git init -q -b main . && commit 2025-01-10T10:00:00+00:00 one) \
    >/dev/null 2>&1
"$gazette" build -C "$ex" -o "$tmp/ex" >"$tmp/log" 2>&1
check "the example site builds, with its feeds" \
    '[ $? -eq 0 ] && [ -f "$tmp/ex/feed.xml" ] && [ -f "$tmp/ex/feed.json" ]' \
    "$(cat "$tmp/log")"
check "xmllint accepts every XML file of the example site" \
    'xml_ok "$tmp/ex" >"$tmp/log" 2>&1' "$(head -20 "$tmp/log")"
if $has_feedparser; then
    feeds feeds "$tmp/ex" >"$tmp/log" 2>&1
    check "every feed of the example site reads with bozo 0, newest first; JSON feeds have every field" \
        '[ $? -eq 0 ]' "$(tail -20 "$tmp/log")"
else
    skip "every feed of the example site reads with bozo 0" "python3-feedparser is not installed"
fi
feeds sitemap "$tmp/ex" >"$tmp/log" 2>&1
check "the sitemap lists every page but 404.html, robots.txt names it" \
    '[ $? -eq 0 ]' "$(tail -20 "$tmp/log")"

# A site whose titles hold "]]>", "&", U+000B and U+FFFE, with relative
# links and images, under a base path.
h="$tmp/hostile"
mkdir -p "$h/content/news"
printf '%s\n' 'title: "Site ]]> & <co>"' 'base_url: https://example.org/site/' \
    'author: "A & B"' 'feed_size: 2' >"$h/site.yaml"
printf -- '---\ntitle: "News ]]> & \\v\\uFFFE"\n---\nAbout.\n' \
    >"$h/content/news/_index.md"
printf -- '---\ntitle: "Cdata ]]> & <b> \\v\\uFFFE end"\ndate: 2024-03-01T10:00:00+02:00\nauthor: "Ann ]]>"\nimage: cover.png\n---\nText ]]> & \013 and \357\277\276 here #hostile.\n\n[up](../) [root](/site/news/) [abs](https://other.org/x) [mail](mailto:a@b.org) [frag](#top) ![pic](pic.png) [q](?page=2) [dots](./a/../b/)\n' \
    >"$h/content/news/cdata.md"
# and a paragraph of 3,000 "&": "&amp;amp;" in Atom, 9 bytes for each
printf -- '---\ntitle: Older\ndate: 2024-02-01\n---\nOlder post #hostile.\n\n%s\n' \
    "$(printf '%.0s& ' $(seq 3000))" >"$h/content/news/older.md"
printf -- '---\ntitle: Oldest\ndate: 2024-01-01\n---\nOldest post #hostile, not in feeds of 2.\n' \
    >"$h/content/news/oldest.md"
(cd "$h" && git init -q -b main . && commit 2024-04-01T12:00:00+00:00 one) \
    >/dev/null 2>&1
"$gazette" build -C "$h" -o "$tmp/h1" >"$tmp/log" 2>&1
check "the hostile site builds" '[ $? -eq 0 ]' "$(cat "$tmp/log")"
check "xmllint accepts every XML file of the hostile site" \
    'xml_ok "$tmp/h1" >"$tmp/log" 2>&1' "$(head -20 "$tmp/log")"
older_amps() {
    awk 'BEGIN { RS = "</entry>" } /\/news\/older\// { print }' \
        "$tmp/h1/news/feed.xml" | grep -o "&amp;amp;" | wc -l
}
check "a paragraph of 3,000 \"&\" is escaped whole in the Atom feed" \
    '[ "$(older_amps)" -eq 3000 ]' "$(older_amps)"
if $has_feedparser; then
    feeds feeds "$tmp/h1" >"$tmp/log" 2>&1
    rc=$?
    feeds entries "$tmp/h1/feed.xml" >"$tmp/entries1" 2>&1
    want=$(printf 'Cdata ]]> & <b>  end')
    check "hostile feeds read with bozo 0, feed_size newest first, forbidden characters dropped" \
        '[ $rc -eq 0 ] && [ "$(wc -l <"$tmp/entries1")" -eq 2 ] && [ "$(head -1 "$tmp/entries1" | cut -f4)" = "$want" ] && ! grep -q "\]\]>" "$tmp/h1/feed.xml" && ! grep -q "$(printf "\013")" "$tmp/h1/feed.xml" "$tmp/h1/feed.json"' \
        "$(cat "$tmp/log" "$tmp/entries1")"
    feeds links "$tmp/h1/news/feed.xml" >"$tmp/links" 2>&1
    want="https://example.org/site/news/cdata/
https://example.org/site/tags/hostile/
https://example.org/site/news/
https://example.org/site/news/
https://other.org/x
mailto:a@b.org
https://example.org/site/news/cdata/#top
https://example.org/site/news/cdata/pic.png
https://example.org/site/news/cdata/?page=2
https://example.org/site/news/cdata/b/
https://example.org/site/news/older/
https://example.org/site/tags/hostile/"
    check "links in feeds are absolute under the base path, #fragments into the post's page; mailto: is left" \
        '[ "$(cat "$tmp/links")" = "$want" ]' "$(diff "$tmp/links" - <<EOF
$want
EOF
)"
else
    skip "hostile feeds read with bozo 0" "python3-feedparser is not installed"
    skip "links in feeds are absolute" "python3-feedparser is not installed"
fi
check "the JSON feed has the image, the author and the tags" \
    'grep -q "\"image\": \"https://example.org/site/news/cdata/cover.png\"" "$tmp/h1/news/feed.json" && grep -q "\"name\": \"Ann ]]>\"" "$tmp/h1/news/feed.json" && grep -q "\"hostile\"" "$tmp/h1/news/feed.json"' \
    "$(head -30 "$tmp/h1/news/feed.json")"

# JSON's own specials in a title and a text: each item is written once
# and indented into its feeds, so its strings must come out as they went in.
j="$tmp/jsonsite"
mkdir -p "$j/content/news"
printf 'title: J\nbase_url: https://example.org/\n' >"$j/site.yaml"
cat >"$j/content/news/p.md" <<'EOF'
---
title: "a \"q\" \\ b\nc\td \u2028 e"
date: 2024-03-01T10:00:00Z
---
Line "one" \\ two

    code
    "x"
EOF
cat >"$tmp/json_title.py" <<'EOF'
import json, sys
item = json.load(open(sys.argv[1], encoding="utf-8"))["items"][0]
ok = (item["title"] == 'a "q" \\ b\nc\td \u2028 e' and
      "<code>code\n&quot;x&quot;\n</code>" in item["content_html"])
sys.exit(0 if ok else 1)
EOF
(cd "$j" && git init -q && commit 2024-03-01T10:00:00+00:00 one) >/dev/null 2>&1
"$gazette" build -C "$j" -o "$tmp/j1" >"$tmp/log" 2>&1
check "quotes, a backslash, a newline and a tab read back from feed.json" \
    '$py "$tmp/json_title.py" "$tmp/j1/news/feed.json"' \
    "$(cat "$tmp/log" "$tmp/j1/news/feed.json" 2>&1 | head -20)"

# A post in 152 feeds (the site's, its channel's, 150 tags'): feeds are
# written 64 at a time, and the post is prepared once, in the first batch,
# and kept for the last. Every feed has the same entry and the same item.
m="$tmp/manytags"
mkdir -p "$m/content/news"
printf 'title: M\nbase_url: https://example.org/\n' >"$m/site.yaml"
{
    printf -- '---\ntitle: Many\ndate: 2024-03-01T10:00:00Z\n---\n'
    printf 'Text [up](../) with "quotes" and'
    for i in $(seq 100 249); do printf ' #t%s' "$i"; done
    printf '.\n'
} >"$m/content/news/many.md"
printf -- '---\ntitle: Few\ndate: 2024-02-01T10:00:00Z\n---\nFew #t249 #t100.\n' \
    >"$m/content/news/few.md"
(cd "$m" && git init -q && commit 2024-03-02T10:00:00+00:00 one) >/dev/null 2>&1
"$gazette" build -C "$m" -o "$tmp/m1" >"$tmp/log" 2>&1
cat >"$tmp/same_items.py" <<'EOF'
import json, re, sys
out = sys.argv[1]
paths = ["", "news/"] + ["tags/t%d/" % i for i in range(100, 250)]
entries, items = set(), set()
for p in paths:
    atom = open(out + "/" + p + "feed.xml", encoding="utf-8").read()
    entries.add(re.findall(r"<entry.*?</entry>", atom, re.S)[0])
    feed = json.load(open(out + "/" + p + "feed.json", encoding="utf-8"))
    assert feed["items"][0]["title"] == "Many", p
    items.add(json.dumps(feed["items"][0], sort_keys=True))
sys.exit(0 if len(entries) == 1 and len(items) == 1 and
         "https://example.org/news/" in items.pop() else 1)
EOF
check "a post in 152 feeds has the same entry and item in every one" \
    '$py "$tmp/same_items.py" "$tmp/m1" >"$tmp/same" 2>&1' \
    "$(cat "$tmp/log" "$tmp/same"; ls "$tmp/m1/tags" 2>&1 | head -5)"

# A title edit, committed later: the same ids, a later updated, the same
# published.
(cd "$h" && sed -i 's/^title: "Cdata.*/title: Renamed/' content/news/cdata.md &&
    commit 2024-05-01T08:00:00+00:00 two) >/dev/null 2>&1
"$gazette" build -C "$h" -o "$tmp/h2" >"$tmp/log" 2>&1
if $has_feedparser; then
    feeds entries "$tmp/h2/feed.xml" >"$tmp/entries2" 2>&1
    check "an entry keeps its id when its title is edited; updated comes from git" \
        '[ "$(cut -f1,2 "$tmp/entries1")" = "$(cut -f1,2 "$tmp/entries2")" ] && head -1 "$tmp/entries2" | grep -q "	2024-05-01T08:00:00+00:00	Renamed$" && head -1 "$tmp/entries2" | grep -q "^tag:example.org,2024-03-01:/site/news/cdata/	"' \
        "$(cat "$tmp/entries1" "$tmp/entries2")"
else
    skip "an entry keeps its id when its title is edited" "python3-feedparser is not installed"
fi

# Served by nginx under /blog/ on a free loopback port.
port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/blog/"
"$gazette" build -C "$ex" -o "$tmp/blog" --base-url "$base" >"$tmp/log" 2>&1
check "--base-url overrides site.yaml's base_url" \
    '[ $? -eq 0 ] && grep -q "<link rel=\"canonical\" href=\"${base}\">" "$tmp/blog/index.html" && grep -q "^Sitemap: ${base}sitemap.xml$" "$tmp/blog/robots.txt" && grep -q "href=\"/blog/assets/style.css\"" "$tmp/blog/index.html"' \
    "$(cat "$tmp/log")"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    skip "a crawl from /blog/ finds no broken link" "nginx is not installed"
    skip "every sitemap and feed URL answers 200" "nginx is not installed"
    exit $fail
fi
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
user root;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    server {
        listen 127.0.0.1:$port;
        location /blog/ { alias $tmp/blog/; }
    }
}
EOF
nginx=$(command -v nginx || echo /usr/sbin/nginx)
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
    >"$tmp/nginx/out" 2>&1 &
nginx_pid=$!
up=false
for _ in $(seq 50); do
    if wget -q -O /dev/null "$base" 2>/dev/null; then up=true; break; fi
    sleep 0.1
done
if ! $up; then
    not_ok "nginx serves the site" "$(cat "$tmp/nginx/out" "$tmp/nginx/error.log" 2>/dev/null)"
    skip "every sitemap and feed URL answers 200" "nginx did not start"
    exit 1
fi
(cd "$tmp" && wget --spider -r -nv -l inf --no-parent -e robots=off \
    "$base" >"$tmp/crawl" 2>&1)
rc=$?
feeds crawled "$tmp/blog" "$base" "$tmp/crawl" >"$tmp/missed" 2>&1
missed=$?
check "a crawl from /blog/ reaches every page, feed and asset with 200 and finds no broken link" \
    '[ $rc -eq 0 ] && [ $missed -eq 0 ] && grep -q "^Found no broken links" "$tmp/crawl" && ! grep -q " 404 " "$tmp/crawl"' \
    "wget: status $rc; $(tail -5 "$tmp/missed"); $(grep -iE "broken|404|error" "$tmp/crawl" | head -10)"
if $has_feedparser; then
    feeds fetch "$tmp/blog" >"$tmp/log" 2>&1
    check "every sitemap URL and every link in the feeds answers 200" \
        '[ $? -eq 0 ]' "$(tail -20 "$tmp/log")"
else
    skip "every sitemap URL and every link in the feeds answers 200" "python3-feedparser is not installed"
fi
exit $fail
