#!/bin/bash
# make bench: gazette against Hugo on the shared benchmark corpus
# (../shared/bench/gencorpus.py: the same posts, tags, feeds and sitemap for
# both). For each size it prints wall time, CPU time (user+sys) and peak RSS
# of a cold build, a rebuild with nothing changed, after one post edited,
# after one tag added, after one template edited, and of `git status` as the
# floor of a rebuild (beside the rebuild with nothing changed, and beside
# the one after a post was edited); each figure the median of BENCH_RUNS
# runs, gazette and Hugo alternating. Then the ratios that matter, and the
# CPU time of writing gazette's cold output with bare system calls
# (WRITE_FLOOR, tests/write_floor.c), the floor of a cold build.
#
#   BENCH_POSTS="1000 10000 50000" BENCH_RUNS=3 GAZETTE=./gazette tests/bench.sh
set -euo pipefail
export LC_ALL=C    # a decimal point in $EPOCHREALTIME, a byte order in sort
top=$(cd "$(dirname "$0")/.." && pwd)
bench=$(cd "$top/../shared/bench" && pwd)
gazette=${GAZETTE:-$top/gazette}
sizes=${BENCH_POSTS:-1000 10000 50000}
runs=${BENCH_RUNS:-3}
have_hugo=$(command -v hugo >/dev/null && echo 1 || echo 0)

# Corpus and both outputs on tmpfs, so the disk does not decide the race.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    tmp=$(mktemp -d /dev/shm/gazette-bench.XXXXXX)
else
    tmp=$(mktemp -d)
fi
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
site=$tmp/site gout=$tmp/gazette-out hout=$tmp/hugo-out log=$tmp/log

# A copy of the binary: a `make` in the tree during a long bench must not
# swap it between two rows.
[ -x "$gazette" ] || { echo "bench: no $gazette (make gazette)" >&2; exit 1; }
cp "$gazette" "$tmp/gazette"
gazette=$tmp/gazette

# A progress line on a terminal only, overwritten, so the tables stay clean.
note() { if [ -t 2 ]; then printf '\r\033[K%s' "$*" >&2; fi; }

# measure KEY CMD...: runs CMD and appends "wall cpu rss_kb" to $tmp/KEY.
# CPU and RSS come from GNU time; wall from the shell's microsecond clock,
# as time -v rounds to 10 ms and `git status` is faster than that. A failed
# run fails the bench, with the end of what the tool said.
measure() {
    local key=$1 t0 t1
    shift
    : >"$log"
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$tmp/time" "$@" >>"$log" 2>&1; then
        note
        echo "bench: failed: $*" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    t1=$EPOCHREALTIME
    awk -v t0="$t0" -v t1="$t1" '
        /User time/ { u = $NF } /System time/ { s = $NF }
        /Maximum resident set size/ { m = $NF }
        END { printf "%.4f %.2f %d\n", t1 - t0, u + s, m }' "$tmp/time" \
        >>"$tmp/$key"
}

# median KEY COLUMN: the median (the lower middle one for an even count) of
# one column of KEY's runs; columns: 1 wall s, 2 CPU s, 3 RSS kB.
median() { cut -d' ' -f"$2" "$tmp/$1" | sort -g | sed -n "$(((runs + 1) / 2))p"; }

run_gazette() { measure "$n-g-$1" "$gazette" build -C "$site" -o "$gout" -q; }
# beside_git ROW GITKEY RUN: gazette's rebuild ROW and `git status`, the
# floor it is compared with, side by side: in the same row, each after a
# Hugo build or after the other, in turn.
beside_git() {
    if [ $(($3 % 2)) = 1 ]; then
        measure "$n-g-$2" git -C "$site" status
        run_gazette "$1"
    else
        run_gazette "$1"
        measure "$n-g-$2" git -C "$site" status
    fi
}
run_hugo() {
    if [ "$have_hugo" = 1 ]; then
        measure "$n-h-$1" hugo -s "$site" -d "$hout" --quiet
    fi
}

# cells KEY: wall, CPU and RSS of KEY, or blanks for a row without it.
cells() {
    if [ -s "$tmp/$1" ]; then
        printf '%8.3f s %7.2f s %5d MiB' "$(median "$1" 1)" "$(median "$1" 2)" \
            "$(($(median "$1" 3) / 1024))"
    else
        printf '%8s   %7s   %7s' - - -
    fi
}

# ratio A B: A / B of two numbers, to one decimal.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'; }

# compare WHAT HUGO GAZETTE: "5.2x faster" or "1.3x slower" (WHAT: time, CPU).
compare() {
    if awk -v h="$2" -v g="$3" 'BEGIN { exit !(h >= g) }'; then
        [ "$1" = time ] && echo "$(ratio "$2" "$3")x faster" ||
            echo "$(ratio "$2" "$3")x less CPU"
    else
        [ "$1" = time ] && echo "$(ratio "$3" "$2")x slower" ||
            echo "$(ratio "$3" "$2")x more CPU"
    fi
}

# count DIR: the files of a generator's output and their size, gazette's
# records left out: "N files, M MB". The generators do not write the same
# pages (gazette's feeds carry whole posts, in two formats), so the bytes
# say how much of a cold build's time is the writing of them.
count() {
    find "$1" -path "$1/.gazette" -prune -o -type f -printf '%s\n' |
        awk '{ n++; b += $1 } END { printf "%d files, %.0f MB\n", n, b / 1e6 }'
}

# write_floor: the CPU time that writing the cold output just built takes
# with nothing but mkdir, open, write and close (WRITE_FLOOR, which make
# bench builds): what writing that output file by file costs at least.
# Appends it to $tmp/$n-floor.
write_floor() {
    [ -n "${WRITE_FLOOR:-}" ] || return 0
    rm -rf "$tmp/floor"
    "$WRITE_FLOOR" "$gout" "$tmp/floor" | cut -d' ' -f1 >>"$tmp/$n-floor"
    rm -rf "$tmp/floor"
}

for n in $sizes; do
    rm -rf "$site" "$gout" "$hout" "$tmp/themes"
    # Hugo's layouts are copied so that the "template edited" row can edit one.
    mkdir -p "$tmp/themes"
    cp -R "$bench/hugo" "$tmp/themes/hugo"
    note "$n posts: generating the corpus"
    python3 "$bench/gencorpus.py" "$site" --posts "$n" \
        --theme "$tmp/themes/hugo" 2>"$log" || { cat "$log" >&2; exit 1; }
    corpus=$(sed -n 's/^[^:]*: //p' "$log")
    # The site overrides the built-in post template (themes/default/ of a
    # site wins file by file) from the first build on, so the edit of the
    # "template edited" row changes a file that every build already read.
    mkdir -p "$site/themes/default/templates"
    cp "$top/themes/default/templates/post.mustache" \
        "$site/themes/default/templates/"
    # One post to edit and the next one to tag, in the middle of the list.
    posts=$(cd "$site" && find content -name '*.md' ! -name _index.md | sort)
    mid=$(((n + 1) / 2))
    edited=$site/$(echo "$posts" | sed -n "${mid}p")
    tagged=$site/$(echo "$posts" | sed -n "$((mid % n + 1))p")

    # Each row: for each run, its edit (with the run number, so it really
    # changes something), then gazette, then Hugo; the output folders stay
    # from row to row, so every rebuild follows a build of the same input.
    for r in $(seq "$runs"); do
        note "$n posts: cold build, run $r of $runs"
        rm -rf "$gout" && run_gazette cold    # a fresh output has no cache
        write_floor
        rm -rf "$hout" && run_hugo cold
    done
    gfiles=$(count "$gout")
    hfiles=$([ "$have_hugo" = 1 ] && count "$hout" || echo -)
    for r in $(seq "$runs"); do
        note "$n posts: nothing changed, run $r of $runs"
        beside_git same git "$r"
        run_hugo same
    done
    for r in $(seq "$runs"); do
        note "$n posts: one post edited, run $r of $runs"
        printf '\nBench edit number %d of this post.\n' "$r" >>"$edited"
        beside_git post gitpost "$r" # on the repository as it is edited
        run_hugo post
    done
    for r in $(seq "$runs"); do
        note "$n posts: one tag added, run $r of $runs"
        # a new tag at the end of the hashtag line (the post's last line)
        # and in the front matter's tags list
        sed -i -e "\$s/\$/ #benchtag$r/" \
            -e "0,/^tags:\$/s/^tags:\$/tags:\n  - \"benchtag$r\"/" "$tagged"
        run_gazette tag
        run_hugo tag
    done
    for r in $(seq "$runs"); do
        note "$n posts: one template edited, run $r of $runs"
        # an element, not a comment: Go's html/template drops comments
        sed -i "s|</article>|<i data-bench-edit=\"$r\"></i></article>|" \
            "$site/themes/default/templates/post.mustache" \
            "$tmp/themes/hugo/layouts/_default/single.html"
        run_gazette template
        run_hugo template
    done
    note

    hugo_name="hugo (not installed)"
    [ "$have_hugo" = 0 ] || hugo_name=$(hugo version | awk '{ print "hugo " $2 }')
    echo
    echo "$corpus; each figure the median of $runs run(s)"
    printf '%-20s  %-30s  %s\n' '' gazette "$hugo_name"
    printf '%-20s  %8s   %7s   %7s     %8s   %7s   %7s\n' '' wall CPU RSS wall CPU RSS
    for row in "cold build:cold" "nothing changed:same" "one post edited:post" \
        "one tag added:tag" "one template edited:template" "git status:git" \
        "git status, edited:gitpost"; do
        printf '%-20s  %s  %s\n' "${row%%:*}" "$(cells "$n-g-${row#*:}")" \
            "$(cells "$n-h-${row#*:}")"
    done
    echo "Hugo has no incremental build outside its server: its rows are full"
    echo "builds into the same destination folder."
    echo
    if [ "$have_hugo" = 1 ]; then
        h=$n-h-cold g=$n-g-cold
        echo "cold build: gazette is" \
            "$(compare time "$(median "$h" 1)" "$(median "$g" 1)")," \
            "$(compare CPU "$(median "$h" 2)" "$(median "$g" 2)") than Hugo"
    fi
    if [ -s "$tmp/$n-floor" ]; then
        echo "writing the cold output alone (mkdir, open, write, close):" \
            "$(median "$n-floor" 1) s of CPU, of gazette's" \
            "$(median "$n-g-cold" 2) s"
    fi
    # each against the git status measured beside it
    echo "gazette, nothing changed:" \
        "$(ratio "$(median "$n-g-same" 1)" "$(median "$n-g-git" 1)")x git" \
        "status; one post edited: $(ratio "$(median "$n-g-post" 1)" \
        "$(median "$n-g-gitpost" 1)")x git status"
    echo "output: gazette $gfiles; hugo $hfiles; $(nproc) cores"
done

# How gazette's cold build grows from 10,000 to 50,000 posts.
if [ -s "$tmp/10000-g-cold" ] && [ -s "$tmp/50000-g-cold" ]; then
    echo
    big=50000-g-cold small=10000-g-cold
    echo "gazette cold build, 50000 / 10000 posts (5x the posts):" \
        "$(ratio "$(median $big 1)" "$(median $small 1)")x the time," \
        "$(ratio "$(median $big 2)" "$(median $small 2)")x the CPU"
fi
