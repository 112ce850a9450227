#!/bin/sh
# Whole-program checks on real git repositories made here: the example
# site builds with every link resolving, --ref builds are byte-identical,
# a second build rewrites nothing, git dates follow the history (renames
# too), shallow clones warn, and an installed gazette needs no themes/.
# Prints TAP lines; exits 1 if any failed.
echo 1..25
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }

# commit DATE MESSAGE: commits everything at a fixed author/commit date.
commit() {
    git add -A && GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" \
        git commit -qm "$2"
}

# The example site, as a repository of its own with two commits.
ex="$tmp/example"
mkdir -p "$ex"
cp -R "$top/content" "$top/site.yaml" "$ex/"
(cd "$ex" && git init -q -b main . && commit 2025-01-10T10:00:00+00:00 one &&
    echo >>content/asyncio-taskgroup.md && commit 2025-02-10T10:00:00+00:00 two)

"$gazette" build -C "$ex" -o "$tmp/out1" >"$tmp/log" 2>&1
check "example site builds" '[ $? -eq 0 ]' "$(cat "$tmp/log")"
channels=$(ls -d "$ex"/content/*/ | wc -l)
posts=$(find "$ex/content" -name '*.md' ! -name _index.md | wc -l)
check "five channels" '[ "$channels" -eq 5 ]'
check "a page per post" \
    '[ "$(find "$tmp/out1" -mindepth 2 -name index.html ! -path "*/page/*" ! -path "*/tags/*" | wc -l)" -eq $((posts + channels)) ]'
check "home page" '[ -f "$tmp/out1/index.html" ]'
article=$(find "$tmp/out1" -path '*asyncio*' -name index.html)
check "the asyncio article has one page" '[ "$(echo "$article" | wc -l)" -eq 1 ]' "$article"
linked=0
for c in "$ex"/content/*/; do
    c=$(basename "$c")
    grep -q 'href="/asyncio-taskgroup/"' "$tmp/out1/$c/index.html" &&
        linked=$((linked + 1))
done
check "the article is linked from all five channels" '[ $linked -eq 5 ]'
python3 "$top/tests/check_links.py" "$tmp/out1" / >"$tmp/log" 2>&1
check "every internal link and asset resolves" '[ $? -eq 0 ]' "$(cat "$tmp/log")"

# Threads change nothing: -j 1 and -j 8 write the same bytes.
"$gazette" build -C "$ex" --ref HEAD -o "$tmp/j1" -j 1 >/dev/null 2>&1
"$gazette" build -C "$ex" --ref HEAD -o "$tmp/j8" -j 8 >/dev/null 2>&1
check "-j 1 and -j 8 give identical output" 'diff -r -x .gazette "$tmp/j1" "$tmp/j8" >/dev/null' \
    "$(diff -r -x .gazette "$tmp/j1" "$tmp/j8" | head -5)"

# --ref twice: byte-identical; a second build writes nothing.
"$gazette" build -C "$ex" --ref HEAD -o "$tmp/ref1" >/dev/null 2>&1
"$gazette" build -C "$ex" --ref HEAD -o "$tmp/ref2" >/dev/null 2>&1
check "--ref HEAD twice gives identical output" 'diff -r -x .gazette "$tmp/ref1" "$tmp/ref2" >/dev/null'
# Dated 2001 first, a rewritten file would show a new inode or mtime.
find "$tmp/ref1" -path "$tmp/ref1/.gazette" -prune -o -type f -exec touch -d @1000000000 {} +
before=$(cd "$tmp/ref1" && find . -path ./.gazette -prune -o -type f -exec stat -c '%n %i %y' {} + | sort)
"$gazette" build -C "$ex" --ref HEAD -o "$tmp/ref1" >"$tmp/log" 2>&1
after=$(cd "$tmp/ref1" && find . -path ./.gazette -prune -o -type f -exec stat -c '%n %i %y' {} + | sort)
check "a second build rewrites no file" '[ "$before" = "$after" ] && grep -q "(0 written" "$tmp/log"' "$(cat "$tmp/log")"

# A rebuild with nothing changed does nothing, and says what the build
# before it said: the same warnings, the same summary but for the counts.
"$gazette" build -C "$ex" -o "$tmp/twice" >"$tmp/first" 2>&1
"$gazette" build -C "$ex" -o "$tmp/twice" >"$tmp/again" 2>&1
check "a rebuild with nothing changed repeats the warnings of the build before" \
    'grep -q ": warning: " "$tmp/first" &&
     [ "$(grep -v "^built" "$tmp/first")" = "$(grep -v "^built" "$tmp/again")" ] &&
     grep -q "^built $posts posts in 5 channels: .* (0 written" "$tmp/again"' \
    "$(diff "$tmp/first" "$tmp/again")"

# Dates from git: added, changed, renamed, at fixed times.
h="$tmp/history"
mkdir -p "$h/content/c"
(cd "$h" && git init -q -b main . && printf 'title: H\n' >site.yaml &&
    printf 'Born in January.\n' >content/c/moved.md &&
    printf 'Stays.\n' >content/c/still.md &&
    commit 2024-01-15T08:00:00+01:00 add &&
    printf 'Changed in March.\n' >>content/c/moved.md &&
    commit 2024-03-20T18:30:00-04:00 change &&
    git mv content/c/moved.md content/c/renamed.md &&
    commit 2024-04-02T12:00:00+00:00 rename) >/dev/null 2>&1
"$gazette" build -C "$h" -o "$tmp/hout" >"$tmp/log" 2>&1
page="$tmp/hout/c/renamed/index.html"
check "a post without date gets the author date of the commit that added it" \
    'grep -q "<time datetime=\"2024-01-15T08:00:00+01:00\">15 January 2024</time>" "$page"' \
    "$(grep -o '<time[^<]*' "$page" 2>&1)"
check "updated is the last commit that changed it, renames followed" \
    'grep -q "updated <time datetime=\"2024-04-02T12:00:00+00:00\">" "$page"'
check "an unchanged post shows no update" \
    '! grep -q "updated" "$tmp/hout/c/still/index.html"'

# A shallow clone builds, with one warning that dates are approximate.
git clone -q --depth 1 "file://$h" "$tmp/shallow" 2>/dev/null
"$gazette" build -C "$tmp/shallow" -o "$tmp/sout" >"$tmp/log" 2>"$tmp/err"
rc=$?
check "a shallow clone builds with one warning" \
    '[ $rc -eq 0 ] && [ "$(grep -c "warning: .*shallow" "$tmp/err")" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]' \
    "status $rc: $(cat "$tmp/err")"

# An installed gazette works on a site without themes/ of its own.
make -s -C "$top" install PREFIX="$tmp/prefix" >"$tmp/log" 2>&1
(cd / && "$tmp/prefix/bin/gazette" build -C "$h" -o "$tmp/iout") >>"$tmp/log" 2>&1
check "an installed gazette builds a site that has no themes/" \
    '[ -f "$tmp/iout/assets/style.css" ] && [ -f "$tmp/iout/c/still/index.html" ]' \
    "$(cat "$tmp/log")"

# A site's own themes/default/ file overrides the built-in one.
mkdir -p "$h/themes/default/templates"
printf '{{<base}}{{$content}}OVERRIDDEN {{post.title}}{{/content}}{{/base}}\n' \
    >"$h/themes/default/templates/post.mustache"
"$gazette" build -C "$h" -o "$tmp/oout" >/dev/null 2>&1
check "a site's template overrides the built-in one file by file" \
    'grep -q "OVERRIDDEN" "$tmp/oout/c/still/index.html" && grep -q "assets/style.css" "$tmp/oout/c/still/index.html"'

# Hostile titles, tags, settings and bodies come out escaped on every page.
esc="$tmp/escaping"
cp -R "$top/tests/sites/escaping/site" "$esc"
(cd "$esc" && git init -q -b main . && commit 2024-05-01T12:00:00+00:00 x) >/dev/null 2>&1
"$gazette" build -C "$esc" -o "$tmp/eout" >/dev/null 2>&1
found=$(grep -rlE '<script|<img|onerror=[^&]*>' "$tmp/eout" --include='*.html')
check "<script> and \"><img onerror= come out escaped on every page" \
    '[ -d "$tmp/eout/x/evil" ] && [ -z "$found" ]' "$found"

# A damaged cache of parsed posts: the first record's head says a tail
# (summary, description, body) longer than the cache keeps, or its numbers
# after the 8-byte ones are cut-off varints. Each time, the rebuild (a new
# post: every other post is read from the cache) names it and changes no
# page; without the cache, the build is whole again.
dmg="$tmp/damaged"
cp -R "$ex" "$dmg"
pages() { (cd "$1" && find . -path ./.gazette -prune -o -type f -exec md5sum {} + | sort); }
channel=$(ls "$dmg/content" | head -1)
for damage in "16 8 tail size" "24 64 varints"; do
    set -- $damage
    at=$1 bytes=$2
    shift 2
    rm -rf "$dmg/out/.gazette/cache"
    "$gazette" build -C "$dmg" -o "$dmg/out" >/dev/null 2>&1
    head -c "$bytes" /dev/zero | tr '\0' '\377' |
        dd of="$dmg/out/.gazette/cache/posts.head" bs=1 seek="$at" conv=notrunc 2>/dev/null
    before=$(pages "$dmg/out")
    printf -- '---\ntitle: New\n---\nA new post.\n' >"$dmg/content/$channel/new-$at.md"
    "$gazette" build -C "$dmg" -o "$dmg/out" >"$tmp/log" 2>&1
    status=$?
    check "a damaged cache of parsed posts ($*) is named, and no page changes" \
        '[ $status -eq 3 ] && grep -q "cache of parsed posts is damaged" "$tmp/log" && [ "$before" = "$(pages "$dmg/out")" ]' \
        "status $status: $(cat "$tmp/log")"
done
rm -rf "$dmg/out/.gazette/cache"
"$gazette" build -C "$dmg" -o "$dmg/out" >"$tmp/log" 2>&1
check "without the damaged cache the site builds, the new posts too" \
    '[ $? -eq 0 ] && [ "$(find "$dmg/out" -path "*/new-*" -name index.html | wc -l)" -eq 2 ]' "$(cat "$tmp/log")"

# Usage errors exit 2; --help and --version work.
"$gazette" build --bogus >/dev/null 2>&1
check "an unknown option exits 2" '[ $? -eq 2 ]'
"$gazette" frobnicate >/dev/null 2>&1
check "an unknown command exits 2" '[ $? -eq 2 ]'
check "--help, build --help and --version" \
    '"$gazette" --help | grep -q "usage: gazette" && "$gazette" build --help | grep -q -- "--ref" && "$gazette" --version | grep -q "^gazette "'

# The libraries are in the binary (the Makefile says why): a run maps no
# shared object of theirs.
shared=$(ldd "$gazette" | grep -E 'lib(cmark|yaml|git2|utf8proc|jansson|mbed|ssh2|crypto|pcre2|z)[.-]')
check "the libraries are linked statically" '[ -z "$shared" ]' "$shared"
exit $fail
