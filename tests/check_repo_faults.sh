#!/bin/sh
# gazette on broken git repositories made here: each fault exits 3 within
# 10 s with a message naming what is wrong (a .git without HEAD, a HEAD of
# garbage, a repository owned by another user, loose objects truncated,
# emptied or overwritten), never builds as if there were no git and never
# hangs; a folder in no repository and a repository with no commit yet
# still build. Each run is under `timeout 20`, so a hang fails the check.
# Prints TAP lines; exits 1 if any failed.
echo 1..14
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
# libgit2 1.5.1 itself leaks when it fails to parse a broken loose object
# (git_revparse_single on an emptied commit, freed as it should be, leaks
# 757 bytes under ASan): under `make asan` that leak is not ours to report.
# libgit2 is linked into gazette: its allocations are known by its
# allocator's functions (stdalloc__*).
echo 'leak:stdalloc__' >"$tmp/lsan.supp"
export LSAN_OPTIONS="suppressions=$tmp/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }

now() { date +%s.%N; }

# gz NAME DIR [ARGS...]: runs gazette check on DIR, bounded; leaves its
# status in $tmp/NAME.rc, its stderr in $tmp/NAME.err, its time in
# $tmp/NAME.s.
gz() {
    name=$1 dir=$2
    shift 2
    start=$(now)
    timeout 20 "$gazette" check -C "$dir" "$@" >/dev/null 2>"$tmp/$name.err"
    echo $? >"$tmp/$name.rc"
    awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }' \
        >"$tmp/$name.s"
}

# fault NAME WANT: the run NAME exited 3 within 10 s saying WANT.
fault() {
    rc=$(cat "$tmp/$1.rc") s=$(cat "$tmp/$1.s")
    [ "$rc" -eq 3 ] && grep -qF -- "$2" "$tmp/$1.err" &&
        awk -v s="$s" 'BEGIN { exit !(s < 10) }'
}
said() { echo "status $(cat "$tmp/$1.rc") in $(cat "$tmp/$1.s") s: $(cat "$tmp/$1.err")"; }

# The basic site, two commits: the second edits a post.
site="$tmp/site"
cp -R "$top/tests/sites/basic/site" "$site"
(cd "$site" && git init -q -b main . && git add -A &&
    GIT_AUTHOR_DATE=2024-01-10T10:00:00+00:00 GIT_COMMITTER_DATE=2024-01-10T10:00:00+00:00 \
        git commit -qm one &&
    echo 'More.' >>content/news/first.md && git add -A &&
    GIT_AUTHOR_DATE=2024-02-10T10:00:00+00:00 GIT_COMMITTER_DATE=2024-02-10T10:00:00+00:00 \
        git commit -qm two) >/dev/null 2>&1

# copy NAME: a fresh copy of the site's repository, as $tmp/NAME.
copy() { rm -rf "$tmp/$1" && cp -a "$site" "$tmp/$1"; }

# damage NAME OBJECT HOW: copies the site as NAME and breaks the loose
# object git rev-parse OBJECT names: half (truncated), empty, garbage.
# Sets $id.
damage() {
    copy "$1"
    id=$(git -C "$tmp/$1" rev-parse "$2")
    o="$tmp/$1/.git/objects/$(echo "$id" | cut -c1-2)/$(echo "$id" | cut -c3-)"
    chmod u+w "$o"
    case $3 in
    half) truncate -s $(($(wc -c <"$o") / 2)) "$o" ;;
    empty) : >"$o" ;;
    garbage) echo 'no zlib stream, nor any object' >"$o" ;;
    esac
}

gz clean "$site"
check "the intact repository checks" '[ "$(cat "$tmp/clean.rc")" -eq 0 ]' "$(said clean)"

mkdir "$tmp/plain" && cp -R "$top/tests/sites/basic/site/." "$tmp/plain/"
gz plain "$tmp/plain"
check "a folder in no repository checks, with mtimes" \
    '[ "$(cat "$tmp/plain.rc")" -eq 0 ]' "$(said plain)"

mkdir "$tmp/unborn" && cp -R "$top/tests/sites/basic/site/." "$tmp/unborn/" &&
    git -C "$tmp/unborn" init -q
gz unborn "$tmp/unborn"
check "a repository with no commit yet checks" \
    '[ "$(cat "$tmp/unborn.rc")" -eq 0 ]' "$(said unborn)"

copy nohead && rm "$tmp/nohead/.git/HEAD"
gz nohead "$tmp/nohead"
check "a .git without HEAD exits 3" \
    'fault nohead "nohead/.git\" is not a usable git repository: it has no HEAD"' \
    "$(said nohead)"

git init -q "$tmp/outer" && cp -a "$tmp/nohead" "$tmp/outer/site"
gz outer "$tmp/outer/site"
check "a .git without HEAD inside another repository exits 3" \
    'fault outer "outer/site/.git\" is not a usable git repository"' "$(said outer)"

copy garbled && echo garbage >"$tmp/garbled/.git/HEAD"
gz garbled "$tmp/garbled"
check "a HEAD of garbage exits 3" 'fault garbled "cannot read HEAD"' "$(said garbled)"

if [ "$(id -u)" -eq 0 ]; then
    copy owned && chown -R 12345 "$tmp/owned/.git"
    real=$(cd "$tmp/owned" && pwd -P)
    gz owned "$tmp/owned"
    check "a repository owned by another user exits 3, naming the fix" \
        'fault owned "git config --global --add safe.directory $real"' "$(said owned)"
    git config --global --add safe.directory "$real"
    gz trusted "$tmp/owned"
    check "... and the fix works" '[ "$(cat "$tmp/trusted.rc")" -eq 0 ]' "$(said trusted)"
else
    ok "a repository owned by another user exits 3 # SKIP needs root to chown"
    ok "... and the fix works # SKIP needs root to chown"
fi

# Broken objects. The copies are made first, then all run at once (the
# hangs burn a CPU each), so that the whole takes one watchdog's time.
damage blob-half HEAD:content/news/first.md half
blob=$id
damage tree-half HEAD:content half
tree=$id
damage parent-half HEAD~1 half
parent=$id
damage blob-empty HEAD:content/news/first.md empty
damage tree-garbage HEAD:content garbage
damage commit-empty HEAD empty
commit=$id
gz blob-half "$tmp/blob-half" --ref HEAD &
gz tree-half "$tmp/tree-half" &
gz parent-half "$tmp/parent-half" &
gz blob-empty "$tmp/blob-empty" --ref HEAD &
gz tree-garbage "$tmp/tree-garbage" &
gz commit-empty "$tmp/commit-empty" &
wait

check "a truncated blob, --ref: exit 3 within 10 s naming it" \
    'fault blob-half "blob $blob (content/news/first.md): no progress"' "$(said blob-half)"
check "a truncated tree, working tree: exit 3 within 10 s naming it" \
    'fault tree-half "tree $tree (content/): no progress"' "$(said tree-half)"
check "a truncated parent commit, working tree: exit 3 within 10 s naming it" \
    'fault parent-half "commit $parent, the parent of"' "$(said parent-half)"
check "an empty blob object, --ref: exit 3 naming it" \
    'fault blob-empty "cannot read blob $blob"' "$(said blob-empty)"
check "a tree object of garbage, working tree: exit 3 naming it" \
    'fault tree-garbage "cannot read tree $tree"' "$(said tree-garbage)"
check "an empty HEAD commit object: exit 3 naming it" \
    'fault commit-empty "cannot read object $commit (HEAD)"' "$(said commit-empty)"
for n in clean plain unborn nohead outer garbled owned trusted blob-half \
    tree-half parent-half blob-empty tree-garbage commit-empty; do
    [ -f "$tmp/$n.rc" ] && echo "# $n: $(said $n | head -1)"
done
exit $fail
