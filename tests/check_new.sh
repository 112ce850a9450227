#!/bin/sh
# gazette new on real git repositories made here: the post it writes has
# the front matter asked for (the date now, in TZ's offset) and builds to
# a page showing the exact title; every name the build would refuse, an
# unknown channel, a folder that is no site, symlinked folders and a name
# already taken are refused with exit status 2 and leave every file as it
# was; a read-only or full disk is exit status 3 with no temporary file
# left. Prints TAP lines; exits 1 if any failed.
echo 1..47
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
# India is +05:30 all year (no summer time): a half-hour offset shows
# that the minutes of the offset are written. Without tzdata, the same
# zone as a POSIX TZ string.
TZ=Asia/Kolkata
[ -f /usr/share/zoneinfo/Asia/Kolkata ] || TZ=IST-5:30
export TZ

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }

# run ARGS...: gazette new ARGS in the current folder; its stdout and
# stderr in $tmp/out and $tmp/err, its status in $rc.
run() { "$gazette" new "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
said() { echo "status $rc; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"; }
# tree: every path under the current folder with its kind, size and
# checksum, symlinks with their target: what a refused command must keep.
tree() {
    find . -path ./.git -prune -o -print | LC_ALL=C sort | while read -r f; do
        if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
        elif [ -f "$f" ]; then echo "$f $(md5sum <"$f")"
        else echo "$f/"; fi
    done
}
# shown PAGE: its <title> (without " · site title") and its <h1>, HTML
# entities decoded, one a line.
shown() {
    python3 -c 'import html, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
print(html.unescape(re.search(r"<title>(.*?) · Test</title>", s, re.S)[1]))
print(html.unescape(re.search(r"<h1>(.*?)</h1>", s, re.S)[1]))' "$1" 2>&1
}
build() { "$gazette" build -o "$tmp/public" >"$tmp/log" 2>&1; }

# A site with the channels news and astro, and zeta, a folder with no
# file yet; a hidden folder and a symlink beside them are no channels.
site="$tmp/site"
mkdir -p "$site/content/news" "$site/content/astro" "$site/content/zeta" \
    "$site/content/.hidden" "$tmp/outside"
ln -s "$tmp/outside" "$site/content/linked"
printf 'title: Test\n' >"$site/site.yaml"
printf -- '---\ntitle: News\n---\nThe news.\n' >"$site/content/news/_index.md"
printf -- '---\ntitle: Astro\n---\nStars.\n' >"$site/content/astro/_index.md"
cd "$site" || exit 1
git init -q -b main . && git add -A &&
    GIT_AUTHOR_DATE=2025-01-10T10:00:00+00:00 \
    GIT_COMMITTER_DATE=2025-01-10T10:00:00+00:00 git commit -qm one

# A new post: its path alone on stdout, the front matter asked for.
run news/my-post
check "news/my-post is written and its path alone printed" \
    '[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = content/news/my-post.md ] && [ ! -s "$tmp/err" ] && [ -f content/news/my-post.md ]' "$(said)"
date=$(sed -n 's/^date: //p' content/news/my-post.md)
# (the dots keep the final newlines that $(...) would drop)
expected=$(printf -- '---\ntitle: "My post"\ndate: %s\ntags: []\n---\n\n.' "$date")
check "front matter: title from NAME, date, tags: [], then an empty line" \
    '[ "$(cat content/news/my-post.md; echo .)" = "$expected" ]' "$(cat content/news/my-post.md)"
check "the date is RFC 3339 in TZ's offset (+05:30)" \
    'case $date in [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]+05:30) true ;; *) false ;; esac' "$date"
written=$(date -d "$date" +%s 2>/dev/null || echo 0) now=$(date +%s)
check "the date is now (within a minute)" \
    '[ $((now - written)) -le 60 ] && [ $((written - now)) -le 60 ]' "$date is $((now - written)) s from now"

run news/with-suffix.md
check "a trailing .md is dropped" \
    '[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = content/news/with-suffix.md ] && [ -f content/news/with-suffix.md ]' "$(said)"
run zeta/first
check "a channel folder with no file yet takes a post" \
    '[ $rc -eq 0 ] && [ -f content/zeta/first.md ]' "$(said)"

# Titles: what YAML and HTML treat specially comes back as it was given.
t1='He said "hi" <b> & a: #not-a-tag \ C:\temp'
t2='- *not a list &anchor: #comment'
t3="Unicode kept: café — 😀 'single'"
run news/escaped --title "$t1"
check "--title is a YAML double-quoted scalar" \
    'grep -qxF "title: \"He said \\\"hi\\\" <b> & a: #not-a-tag \\\\ C:\\\\temp\"" content/news/escaped.md' \
    "$(said; cat content/news/escaped.md)"
run --title "$t2" news/leading-dash
run news/unicode --title "$t3"
run news/hello_big-world
check "the title from NAME: '-' and '_' as spaces, first letter upper-cased" \
    'grep -qx "title: \"Hello big world\"" content/news/hello_big-world.md' "$(cat content/news/hello_big-world.md)"
build
check "the new posts build" '[ $? -eq 0 ]' "$(cat "$tmp/log")"
page=$tmp/public/news/my-post/index.html
check "the page shows the title and the date written" \
    '[ "$(shown "$page")" = "$(printf "My post\nMy post")" ] && grep -qF "<time datetime=\"$date\">" "$page"' \
    "$(shown "$page"; grep datetime "$page")"
for t in escaped leading-dash unicode hello_big-world; do
    case $t in
    escaped) want=$t1 ;; leading-dash) want=$t2 ;; unicode) want=$t3 ;;
    *) want='Hello big world' ;;
    esac
    page=$tmp/public/news/$t/index.html
    check "the title round-trips through a build: news/$t" \
        '[ "$(shown "$page")" = "$(printf "%s\n%s" "$want" "$want")" ]' "$(shown "$page")"
done

# Titles that cannot be one line of front matter.
before=$(tree)
run news/bad-title --title "$(printf 'two\nlines')"
check "--title with a newline is refused" \
    '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "line break" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
run news/bad-title --title "$(printf 'a\tb')"
check "--title with a control character is refused" \
    '[ $rc -eq 2 ] && grep -q "control character (U+0009)" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
run news/bad-title --title ''
check "an empty --title is refused" \
    '[ $rc -eq 2 ] && grep -q "empty" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"

# Names already taken are left exactly as they are.
ln -s missing.md content/news/dangling.md
mkdir content/news/folder.md
before=$(tree)
run news/my-post --title Other
check "an existing file is not overwritten" \
    '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "content/news/my-post.md: already exists" "$tmp/err" && [ "$(tree)" = "$before" ]' \
    "$(said)"
run news/dangling
check "a dangling symlink is not replaced, nor its target made" \
    '[ $rc -eq 2 ] && grep -q "already exists (a symlink)" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
run news/folder
check "a folder of that name is refused" \
    '[ $rc -eq 2 ] && grep -q "already exists (a folder)" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"

# Channels.
run nope/post
check "an unknown channel lists the channels, sorted" \
    '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -qF "unknown channel \"nope\": the channels are astro, news, zeta" "$tmp/err" && [ "$(tree)" = "$before" ]' \
    "$(said)"
run .hidden/post
check "a hidden folder is no channel" \
    '[ $rc -eq 2 ] && grep -q "unknown channel" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
run linked/post
check "a symlinked channel folder is refused" \
    '[ $rc -eq 2 ] && grep -q "content/linked is a symlink" "$tmp/err" && [ -z "$(ls -A "$tmp/outside")" ] && [ "$(tree)" = "$before" ]' \
    "$(said)"
mkdir -p "$tmp/other/news" "$tmp/linked-site"
ln -s "$tmp/other" "$tmp/linked-site/content"
(cd "$tmp/linked-site" && run news/post && echo "$rc" >"$tmp/rc")
rc=$(cat "$tmp/rc")
check "a symlinked content folder is refused" \
    '[ $rc -eq 2 ] && grep -q "content is a symlink" "$tmp/err" && [ -z "$(ls -A "$tmp/other/news")" ]' "$(said)"
mkdir "$tmp/not-a-site"
(cd "$tmp/not-a-site" && run news/post && echo "$rc" >"$tmp/rc")
rc=$(cat "$tmp/rc")
check "a folder without content/ is not a site" \
    '[ $rc -eq 2 ] && grep -q "not a gazette site" "$tmp/err" && [ -z "$(ls -A "$tmp/not-a-site")" ]' "$(said)"
run news
check "CHANNEL/NAME without a '/' is a usage error" \
    '[ $rc -eq 2 ] && grep -q "expected CHANNEL/NAME" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"

# Each name the build would refuse, or that is no post's file name:
# what the test is called, the name, what the message must say.
long=$(printf '%0253d' 0)
while IFS='|' read -r label name why; do
    run "news/$name"
    check "NAME refused: $label" \
        '[ $rc -eq 2 ] && [ ! -s "$tmp/out" ] && grep -qF -- "$why" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
done <<EOF
empty||NAME is empty
only .md|.md|NAME is empty
.|.|is not a file name
..|..|is not a file name
a subfolder|sub/post|directly in the channel's folder
hidden|.hidden|starts with '.'
_index|_index|starts with '_'
a control character|a$(printf '\033')b|control character (U+001B)
invalid UTF-8|a$(printf '\377')b|not valid UTF-8
Tags (any case)|Tags|the slug "tags" is taken by the site's own pages
index.html|index.html|the slug "index.html" is taken
feed.xml|feed.xml|the slug "feed.xml" is taken
feed.json|feed.json|the slug "feed.json" is taken
'#' in a URL segment|a#b|cannot be a URL segment
'?' in a URL segment|what?|cannot be a URL segment
'%' in a URL segment|100%|cannot be a URL segment
253 bytes, too long for NAME.md|$long|is 253 bytes long
EOF

# -C DIR, from another folder; usage errors.
(cd / && run -C "$site" astro/from-elsewhere && echo "$rc" >"$tmp/rc")
rc=$(cat "$tmp/rc")
check "-C DIR writes in that site" \
    '[ $rc -eq 0 ] && [ "$(cat "$tmp/out")" = content/astro/from-elsewhere.md ] && [ -f content/astro/from-elsewhere.md ]' "$(said)"
run
check "no CHANNEL/NAME is a usage error" '[ $rc -eq 2 ] && grep -q "missing CHANNEL/NAME" "$tmp/err"' "$(said)"

# The disk refuses: exit 3 with the system's words, nothing left. As root
# a chmod stops nothing, so a read-only bind mount in a user and mount
# namespace of our own (unshare -rm) makes the folder read-only.
before=$(tree)
if unshare -rm true 2>/dev/null; then
    unshare -rm sh -c 'mount --bind content content &&
        mount -o remount,bind,ro content content && exec "$@"' sh \
        "$gazette" new news/read-only >"$tmp/out" 2>"$tmp/err"
    rc=$?
    check "a read-only content folder is exit 3, nothing written" \
        '[ $rc -eq 3 ] && grep -q "Read-only file system" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
    # A 4 KiB tmpfs, filled, as the channel folder: the write itself fails.
    mkdir content/full
    before=$(tree)
    unshare -rm sh -c 'mount -t tmpfs -o size=4k tmpfs content/full &&
        head -c 65536 /dev/zero >content/full/filler 2>/dev/null
        "$@" >"$0/out" 2>"$0/err"; echo $? >"$0/rc"; ls -A content/full' \
        "$tmp" "$gazette" new full/post >"$tmp/left"
    rc=$(cat "$tmp/rc")
    check "a full disk is exit 3, no temporary file left" \
        '[ $rc -eq 3 ] && grep -q "No space left on device" "$tmp/err" && [ "$(cat "$tmp/left")" = filler ] && [ "$(tree)" = "$before" ]' \
        "$(said); left: $(cat "$tmp/left")"
elif [ "$(id -u)" -ne 0 ]; then
    chmod a-w content/news
    run news/read-only
    chmod u+w content/news
    check "a read-only content folder is exit 3, nothing written" \
        '[ $rc -eq 3 ] && grep -q "Permission denied" "$tmp/err" && [ "$(tree)" = "$before" ]' "$(said)"
    echo "ok - a full disk # SKIP no user namespaces (unshare -rm) to mount a small tmpfs"
else
    echo "ok - a read-only content folder # SKIP root without user namespaces (unshare -rm): chmod stops nothing"
    echo "ok - a full disk # SKIP no user namespaces (unshare -rm) to mount a small tmpfs"
fi
exit $fail
