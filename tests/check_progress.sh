#!/bin/sh
# The progress line: a build on a terminal that takes over a second draws
# one updating line on stderr (carriage return and erase, never a newline)
# and ends with its summary; a short build, --quiet and a stderr that is
# not a terminal draw nothing. The terminal is util-linux's script(1).
# Prints TAP lines; exits 1 if any failed.
echo 1..4
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
esc=$(printf '\033')

# site DIR N: a site of N posts, each with 4,000 lines of Python to
# highlight (a tenth of a second's work), committed.
site() {
    mkdir -p "$1/content/news"
    printf 'title: Progress\nbase_url: https://example.org/\n' >"$1/site.yaml"
    printf -- '---\ntitle: News\n---\nNews.\n' >"$1/content/news/_index.md"
    [ -f "$tmp/code.md" ] || awk 'BEGIN {
        printf "---\ntitle: Code\n---\nSome code #python\n\n```python\n"
        for (i = 0; i < 4000; i++)
            printf "def f%d(x, y=\"s%d\"):\n    return x * %d  # c\n", i, i, i
        print "```" }' >"$tmp/code.md"
    i=0
    while [ $i -lt "$2" ]; do
        cp "$tmp/code.md" "$1/content/news/p$i.md"
        i=$((i + 1))
    done
    (cd "$1" && git init -q -b main . && git add -A && git commit -qm site)
}

# on_tty OUT COMMAND: runs COMMAND with stdout and stderr on a terminal.
on_tty() {
    out=$1
    shift
    script -qec "$*" /dev/null >"$out" 2>&1 </dev/null
}

# A build of a few posts of code takes over a second; on a faster machine
# the site doubles until it does.
n=12
while :; do
    rm -rf "$tmp/big" "$tmp/big-out"
    site "$tmp/big" $n
    start=$(date +%s%N)
    on_tty "$tmp/big.log" "'$gazette' build -C '$tmp/big' -j 1 -o '$tmp/big-out'"
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    [ "$took" -lt 1500 ] && [ $n -lt 400 ] || break
    n=$((n * 2))
done
name="a long build ($n posts, $took ms) on a terminal draws one updating line, then its summary"
if grep -q "${esc}\[K\(parsing posts\|rendering\|comparing\|writing\) [0-9]*/[0-9]* ([0-9]*%)" "$tmp/big.log" &&
    [ "$(tr -d '\r' <"$tmp/big.log" | grep -c '')" -eq 1 ] &&
    tr '\r' '\n' <"$tmp/big.log" | tail -n 2 | grep -q "^${esc}\[Kbuilt $n posts"; then
    ok "$name"
else
    not_ok "$name" "$(tr '\r' '\n' <"$tmp/big.log" | cat -v | tail -n 8)"
fi

# The same long build, told to be quiet, or with stderr in a file.
rm -rf "$tmp/big-out"
on_tty "$tmp/quiet.log" "'$gazette' build -q -C '$tmp/big' -j 1 -o '$tmp/big-out'"
if ! grep -q "$esc" "$tmp/quiet.log" && grep -q "^built $n posts" "$tmp/quiet.log"; then
    ok "--quiet draws nothing"
else
    not_ok "--quiet draws nothing" "$(cat -v "$tmp/quiet.log" | tail -n 3)"
fi

rm -rf "$tmp/big-out"
on_tty "$tmp/pipe.log" "'$gazette' build -C '$tmp/big' -j 1 -o '$tmp/big-out' 2>'$tmp/stderr'"
if [ -f "$tmp/stderr" ] && ! grep -q "$esc" "$tmp/stderr" "$tmp/pipe.log" &&
    grep -q "^built $n posts" "$tmp/pipe.log"; then
    ok "a stderr that is not a terminal gets no progress line"
else
    not_ok "a stderr that is not a terminal gets no progress line" "$(cat -v "$tmp/stderr")"
fi

mkdir -p "$tmp/small/content/news"
cp "$tmp/big/site.yaml" "$tmp/small/"
printf -- '---\ntitle: Hello\n---\nHello.\n' >"$tmp/small/content/news/hello.md"
(cd "$tmp/small" && git init -q -b main . && git add -A && git commit -qm site)
on_tty "$tmp/small.log" "'$gazette' build -C '$tmp/small' -o '$tmp/small-out'"
if ! grep -q "$esc" "$tmp/small.log" && grep -q '^built 1 post ' "$tmp/small.log"; then
    ok "a short build draws nothing before its summary"
else
    not_ok "a short build draws nothing before its summary" "$(cat -v "$tmp/small.log")"
fi
exit $fail
