#!/bin/sh
# Publishing is all or nothing, and the output folder is gazette's alone:
# SIGINT, SIGTERM and SIGKILL at random moments of a 3,000-post build, two
# builds of different revisions at once, a full disk, and a repository
# that commits `public -> .`. After each, the output is the old site or the
# new one exactly (mtimes included when old), and no temporary file stays.
# Prints TAP lines; exits 1 if any failed.
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
TRIALS=${PUBLISH_TRIALS:-20}
tmp=$(mktemp -d /dev/shm/gz-publish.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp/home" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
mkdir -p "$HOME"
echo 1..17

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }

commit() {
    git add -A && GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" \
        git commit -qm "$2"
}

# A site of 3,000 posts in three channels: revision A; B retitles the site
# (every page changes), drops 50 posts and adds 50; C adds a broken post.
site="$tmp/site"
mkdir -p "$site"
(cd "$site" && git init -q -b main . &&
 python3 - <<'EOF' &&
import os
for c in ("news", "notes", "links"):
    os.makedirs(f"content/{c}", exist_ok=True)
    open(f"content/{c}/_index.md", "w").write(f"---\ntitle: {c}\n---\n")
for i in range(3000):
    c = ("news", "notes", "links")[i % 3]
    with open(f"content/{c}/post-{i}.md", "w") as f:
        f.write(f"---\ntitle: Post {i}\ndate: 2024-01-01T00:00:00Z\n---\n"
                f"Text of post {i} with #tag{i % 40} and more words.\n")
EOF
 printf 'title: A\nbase_url: https://example.org/\n' >site.yaml &&
 commit 2024-02-01T00:00:00Z A && git tag A &&
 printf 'title: B\nbase_url: https://example.org/\n' >site.yaml &&
 for i in $(seq 0 49); do
     git rm -q "content/$(echo news notes links | cut -d' ' -f$((i % 3 + 1)))/post-$i.md"
     printf -- '---\ntitle: New %s\n---\nNew #fresh\n' "$i" >"content/news/new-$i.md"
 done &&
 commit 2024-03-01T00:00:00Z B && git tag B &&
 printf -- '---\ntitle: [broken\n---\n' >content/news/broken.md &&
 commit 2024-04-01T00:00:00Z C && git tag C) >/dev/null 2>&1

"$gazette" build -C "$site" --ref A -o "$tmp/refA" >/dev/null 2>&1 &&
"$gazette" build -C "$site" --ref B -o "$tmp/refB" >/dev/null 2>&1
if [ $? -ne 0 ] || [ ! -f "$tmp/refB/index.html" ]; then
    not_ok "the 3,000-post site builds"
    exit 1
fi
ok "the 3,000-post site builds"
out="$tmp/site/public"

# snapshot: every file of the output but gazette's records, with inode and
# mtime.
snapshot() {
    (cd "$out" && find . -path ./.gazette -prune -o -type f \
        -printf '%p %i %T@\n' | sort)
}
# reset: the output is revision A, freshly built; remembers its snapshot.
# After a trial that left the old site untouched, it still is.
reset() {
    [ -f "$tmp/snapA" ] && [ "$last" = old ] && return
    rm -rf "$out"
    "$gazette" build -C "$site" --ref A >/dev/null 2>&1
    snapshot >"$tmp/snapA"
}
last=""
# whole: prints "old", "new" or a reason; old must also keep every mtime
# (the same names, inodes and mtimes are the old files untouched).
whole() {
    snapshot >"$tmp/snap"
    if cmp -s "$tmp/snap" "$tmp/snapA"; then
        echo old
    elif diff -r -x .gazette "$out" "$tmp/refB" >/dev/null 2>&1; then
        echo new
    elif diff -r -x .gazette "$out" "$tmp/refA" >/dev/null 2>&1; then
        echo "old bytes, other mtimes"
    else
        echo "neither: $(diff -rq -x .gazette "$out" "$tmp/refB" 2>&1 | head -3)"
    fi
}
# no_temps: nothing staged, kept or journaled is left.
no_temps() {
    [ ! -e "$out/.gazette/journal" ] && [ ! -e "$out/.gazette/journal.tmp" ] &&
        [ -z "$(find "$out/.gazette/stage" "$out/.gazette/old" -mindepth 1 2>/dev/null)" ] &&
        [ -z "$(find "$out" -name '.*.gazette-*')" ]
}

# How long a build of B over A takes, to spread the signals over it.
reset
start=$(date +%s%N)
"$gazette" build -C "$site" --ref B >/dev/null 2>&1
span=$(( ($(date +%s%N) - start) / 1000000 ))

# signal_trials SIG: TRIALS builds of B over A, each sent SIG at a random
# moment; prints the outcomes that were wrong.
signal_trials() {
    i=0 bad="" seen=""
    while [ $i -lt "$TRIALS" ]; do
        i=$((i + 1))
        reset
        # A job started with & ignores SIGINT; a person's Ctrl-C does not.
        env --default-signal=INT,TERM,HUP \
            "$gazette" build -C "$site" --ref B >/dev/null 2>&1 &
        pid=$!
        sleep "$(awk -v s="$i" -v t="$span" 'BEGIN { srand(s * 7919); printf "%.3f", (0.3 + rand() * 0.8) * t / 1000 }')"
        kill -"$1" $pid 2>/dev/null
        wait $pid
        # After a SIGKILL the next command, even a failing one, mends it.
        [ "$1" = KILL ] && "$gazette" build -C "$site" --ref C >/dev/null 2>&1
        got=$(whole)
        last=$got
        seen="$seen ${got%% *}"
        case $got in old|new) ;; *) bad="$bad trial $i: $got;" ;; esac
        no_temps || bad="$bad trial $i: temporary files left;"
    done
    echo "$bad"
    echo "# outcomes:$(echo "$seen" | tr ' ' '\n' | sort | uniq -c | tr '\n' ' ')" >&2
}
for sig in INT TERM KILL; do
    bad=$(signal_trials $sig 2>"$tmp/seen")
    [ -z "$bad" ] && ok "SIG$sig at random moments, $TRIALS times: old or new site, no temporary files" ||
        not_ok "SIG$sig at random moments, $TRIALS times: old or new site, no temporary files" "$bad"
    cat "$tmp/seen"
done

# swap_trials CALLS HOW WANT N...: builds of B over A, strace making the
# Nth of the system calls CALLS fail as HOW says (a signal or an error);
# after a SIGKILL the next build mends the output. Sets bad to what went
# wrong (an outcome not in WANT, temporary files left, a failed build not
# exiting 3) and seen to the outcomes, "/journal" when one was left.
swap_trials() {
    calls=$1 how=$2 want=$3
    shift 3
    bad="" seen=""
    for n in "$@"; do
        reset
        # LeakSanitizer cannot run under ptrace: its exit would be 1
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
            strace -f -o /dev/null -e trace="$calls" \
            -e inject="$calls:$how:when=$n" \
            "$gazette" build -C "$site" --ref B >/dev/null 2>&1
        rc=$?
        journal=$([ -e "$out/.gazette/journal" ] && echo journal)
        case $how in
        signal=*) "$gazette" build -C "$site" --ref C >/dev/null 2>&1 ;;
        *) [ $rc -eq 3 ] || bad="$bad call $n: exit $rc;" ;;
        esac
        got=$(whole)
        last=$got
        seen="$seen $n:${got%% *}${journal:+/$journal}"
        case " $want " in *" $got "*) ;; *) bad="$bad call $n: $got;" ;; esac
        no_temps || bad="$bad call $n: temporary files left;"
    done
}

if command -v strace >/dev/null; then
    # SIGKILL in the middle of the swap itself, so that the journal is
    # what the next build undoes.
    swap_trials rename,renameat,renameat2 signal=SIGKILL "old new" \
        1 2 50 1000 2500 4000 4300
    [ -z "$bad" ] && ok "SIGKILL at the Nth rename of the swap: the next build restores one site" ||
        not_ok "SIGKILL at the Nth rename of the swap: the next build restores one site" "$bad"
    echo "# outcomes:$seen"
    # A folder new to the output (a post's, a tag's) is made whole in the
    # stage and put in place by one renameat2: B makes 51 of them. A
    # failure at the Nth is undone by the build itself, the folders put in
    # place before it taken back.
    for how in signal=SIGKILL error=EIO; do
        swap_trials renameat2 $how old 1 2 26 51
        [ -z "$bad" ] && ok "${how%%=*} at the Nth new folder put in place: the old site, whole" ||
            not_ok "${how%%=*} at the Nth new folder put in place: the old site, whole" "$bad"
        echo "# outcomes:$seen"
    done
    # The first build into a folder, killed mid-swap: the folder has no
    # manifest yet, but its journal names it, so the next build takes it
    # back, undoes the swap and builds.
    first="$tmp/first" bad=""
    for n in 1 5; do
        rm -rf "$first"
        strace -f -o /dev/null -e trace=renameat2 \
            -e inject=renameat2:signal=SIGKILL:when=$n \
            "$gazette" build -C "$site" --ref B -o "$first" >/dev/null 2>&1
        [ -e "$first/.gazette/journal" ] || bad="$bad call $n: no journal;"
        "$gazette" build -C "$site" --ref B -o "$first" >"$tmp/first.log" 2>&1 ||
            bad="$bad call $n: $(grep -v warning "$tmp/first.log" | head -1);"
        diff -r -x .gazette "$first" "$tmp/refB" >/dev/null 2>&1 ||
            bad="$bad call $n: not the clean build;"
    done
    [ -z "$bad" ] && ok "a first build killed mid-swap: the next build finishes it" ||
        not_ok "a first build killed mid-swap: the next build finishes it" "$bad"
else
    echo "ok - SIGKILL at the Nth rename of the swap # SKIP no strace"
    echo "ok - signal at the Nth new folder put in place # SKIP no strace"
    echo "ok - error at the Nth new folder put in place # SKIP no strace"
    echo "ok - a first build killed mid-swap # SKIP no strace"
fi

# A journal is a folder's only when it names the folder: one copied into a
# folder of someone else's files does not make gazette take it.
foreign="$tmp/foreign"
mkdir -p "$foreign/.gazette"
echo mine >"$foreign/index.html"
printf 'gazette journal 2 1 1\nW 0 0 index.html\n' >"$foreign/.gazette/journal"
"$gazette" build -C "$site" --ref A -o "$foreign" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && [ "$(cat "$foreign/index.html")" = mine ] &&
    ok "a journal naming another folder: exit 2, the folder's files untouched" ||
    not_ok "a journal naming another folder: exit 2, the folder's files untouched" "exit $rc"

# A version 1 journal (an older gazette's, with M steps) is still undone:
# the folder and the page it made go, and the build goes on.
old1="$tmp/old1"
"$gazette" build -C "$site" --ref A -o "$old1" >/dev/null 2>&1
mkdir "$old1/made"
echo half >"$old1/made/page.html"
printf 'gazette journal 1\nM made\nW 7 0 made/page.html\n' >"$old1/.gazette/journal"
"$gazette" build -C "$site" --ref A -o "$old1" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ ! -e "$old1/made" ] && [ ! -e "$old1/.gazette/journal" ] &&
    diff -r -x .gazette "$old1" "$tmp/refA" >/dev/null 2>&1 &&
    ok "a version 1 journal is undone, then the build runs" ||
    not_ok "a version 1 journal is undone, then the build runs" "exit $rc"

# Two builds of different revisions at once: one of them, exactly.
i=0 bad=""
while [ $i -lt "$TRIALS" ]; do
    i=$((i + 1))
    reset
    "$gazette" build -C "$site" --ref B >/dev/null 2>&1 &
    p1=$!
    "$gazette" build -C "$site" --ref A >/dev/null 2>&1 &
    p2=$!
    wait $p1
    wait $p2
    last=""
    diff -r -x .gazette "$out" "$tmp/refA" >/dev/null 2>&1 ||
        diff -r -x .gazette "$out" "$tmp/refB" >/dev/null 2>&1 ||
        bad="$bad trial $i;"
done
[ -z "$bad" ] && ok "two builds at once, $TRIALS times: the output is one of them" ||
    not_ok "two builds at once, $TRIALS times: the output is one of them" "$bad"

# A content error changes nothing.
last=""
reset
"$gazette" build -C "$site" --ref C >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && [ "$(whole)" = old ] && ok "a content error leaves the output as it was" ||
    not_ok "a content error leaves the output as it was" "exit $rc, $(whole)"

# A repository that commits `public -> .` and a manifest naming its files.
evil="$tmp/evil"
mkdir -p "$evil/content/c" "$evil/.gazette"
(cd "$evil" && git init -q -b main . &&
 printf -- '---\ntitle: P\n---\nText\n' >content/c/p.md &&
 printf 'title: E\n' >site.yaml && ln -s . public &&
 printf 'site.yaml\ncontent/c/p.md\n.git/config\n' >.gazette-manifest &&
 printf 'gazette manifest 1 1 1\n1 1 1 site.yaml\n' >.gazette/manifest &&
 commit 2024-01-01T00:00:00Z evil) >/dev/null 2>&1
"$gazette" build -C "$evil" >/dev/null 2>&1
rc=$?
changed=$(cd "$evil" && git status --porcelain && git diff --stat)
[ $rc -eq 2 ] && [ -z "$changed" ] && [ -f "$evil/.git/config" ] &&
    ok "a committed public -> . symlink: exit 2, every tracked file intact" ||
    not_ok "a committed public -> . symlink: exit 2, every tracked file intact" "exit $rc; $changed"

# The site, / and home as the output: refused before anything is written.
bad=""
for o in . / "$HOME" content; do
    before=$(ls -A "$evil" "$HOME" | md5sum)
    "$gazette" build -C "$evil" -o "$o" >/dev/null 2>&1
    rc=$?
    [ $rc -eq 2 ] && [ "$(ls -A "$evil" "$HOME" | md5sum)" = "$before" ] &&
        [ ! -e /.gazette ] || bad="$bad -o $o: exit $rc;"
done
[ -z "$bad" ] && ok "-o ., -o /, -o ~ and -o content: exit 2, nothing written" ||
    not_ok "-o ., -o /, -o ~ and -o content: exit 2, nothing written" "$bad"

# A refusal comes within the 10 ms libgit2 takes to start on its own
# thread: the exit must wait for it (one exit in eight crashed).
codes=$(for i in $(seq 100); do
    "$gazette" build -C "$evil" -o / >/dev/null 2>&1
    echo $?
done | sort | uniq -c | tr -s ' \n' ' ')
[ "$codes" = " 100 2 " ] && ok "-o / refused 100 times: exit 2 each time" ||
    not_ok "-o / refused 100 times: exit 2 each time" "exit codes (count, code):$codes"

# A full disk: a 256 KiB tmpfs in a mount namespace of our own.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
    small="$tmp/small"
    mkdir -p "$small/content/c" "$tmp/disk"
    (cd "$small" && git init -q -b main . &&
     printf -- '---\ntitle: P\n---\nText\n' >content/c/p.md &&
     printf 'title: S\n' >site.yaml && commit 2024-01-01T00:00:00Z one &&
     python3 -c "print('---\ntitle: Big\n---\n' + 'word ' * 120000)" >content/c/big.md &&
     commit 2024-02-01T00:00:00Z two) >/dev/null 2>&1
    result=$(unshare -m sh -c '
        mount -t tmpfs -o size=256k tmpfs "$2" || exit 9
        "$1" build -C "$3" --ref HEAD~1 -o "$2/out" >/dev/null 2>&1 || exit 8
        before=$(cd "$2/out" && find . -path ./.gazette -prune -o -type f -printf "%p %i %T@ %s\n" | sort | md5sum)
        sums=$(cd "$2/out" && find . -type f ! -path "./.gazette/*" -exec md5sum {} + | sort | md5sum)
        "$1" build -C "$3" --ref HEAD -o "$2/out" >/dev/null 2>"$2/err"
        rc=$?
        after=$(cd "$2/out" && find . -path ./.gazette -prune -o -type f -printf "%p %i %T@ %s\n" | sort | md5sum)
        sums2=$(cd "$2/out" && find . -type f ! -path "./.gazette/*" -exec md5sum {} + | sort | md5sum)
        left=$(ls -A "$2/out/.gazette/stage" "$2/out/.gazette/old" 2>/dev/null)
        echo "$rc $([ "$before" = "$after" ] && [ "$sums" = "$sums2" ] && echo same || echo changed) ${left:+left} $(head -1 "$2/err")"
    ' sh "$gazette" "$tmp/disk" "$small" 2>&1)
    case $result in
    "3 same "*) ok "a full disk: exit 3, the previous output byte-identical" ;;
    *) not_ok "a full disk: exit 3, the previous output byte-identical" "$result" ;;
    esac
    # A folder gazette may not write (as root, only a read-only mount is).
    result=$(unshare -m sh -c '
        mount -t tmpfs -o size=64m tmpfs "$2" || exit 9
        "$1" build -C "$3" --ref HEAD~1 -o "$2/out" >/dev/null 2>&1 || exit 8
        before=$(cd "$2/out" && find . -type f -printf "%p %i %T@ %s
" | sort | md5sum)
        mount -o remount,ro "$2" || exit 7
        "$1" build -C "$3" --ref HEAD -o "$2/out" >/dev/null 2>"$2/../err"
        rc=$?
        after=$(cd "$2/out" && find . -type f -printf "%p %i %T@ %s
" | sort | md5sum)
        echo "$rc $([ "$before" = "$after" ] && echo same || echo changed)"
    ' sh "$gazette" "$tmp/disk" "$small" 2>&1)
    case $result in
    "3 same") ok "a read-only output folder: exit 3, the previous output byte-identical" ;;
    *) not_ok "a read-only output folder: exit 3, the previous output byte-identical" "$result $(cat "$tmp/err" 2>/dev/null)" ;;
    esac
else
    echo "ok - a full disk: exit 3, the previous output byte-identical # SKIP needs root and unshare"
    echo "ok - a read-only output folder # SKIP needs root and unshare"
fi
exit $fail
