#!/bin/sh
# Hostile inputs, each alone in a small site beside a good post: every one
# ends in an error naming its file (or a bounded build) in under 10 s and
# 1 GiB, never a crash or a hang, and the good post still builds or is
# still checked. Run under `timeout` and a memory bound. Prints TAP lines;
# exits 1 if any failed.
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

# name|python expression for the file's text (n = 256 KiB in units)
cases='quadratic list items " -"|" -" * (1 << 17) + "x" + "\n" * (1 << 17)
quadratic list items "- "|"- " * (1 << 17) + "x" + "\n" * (1 << 17)
quadratic image brackets|"![[]()" * ((1 << 18) // 6)
nested brackets|"[" * (1 << 17) + "a" + "]" * (1 << 17)
unclosed link destinations|"[a](<b" * ((1 << 18) // 6)
many link closers|"a]" * (1 << 17)
mismatched emphasis|"*a_ " * (1 << 16)
backtick runs|"".join("e" + "`" * i for i in range(1, 720))
nested block quotes|">" * (1 << 18) + " x\n"
table of 200 columns, 20,000 rows|"|" + "|".join("h%d" % i for i in range(200)) + "|\n|" + "|".join("-" for i in range(200)) + "|\n" + "|x\n" * 20000
link reference used 100,000 times|"[r]: /" + "x" * 10000 + "\n\n" + "[r]" * 100000
alias bomb|"---\na: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join("%s: &%s [%s]\n" % (chr(98 + i), chr(98 + i), ",".join(["*" + chr(97 + i)] * 10)) for i in range(7)) + "---\n"
self alias|"---\na: &x [*x]\n---\n"
100k [ in front matter|"---\nt: " + "[" * 100000 + "\n---\n"
200k - in front matter|"---\nt:\n" + "- " * 200000 + "x\n---\n"
10 MB title|"---\ntitle: " + "x" * (10 << 20) + "\n---\n"
9 MiB post|"word " * ((9 << 20) // 5)
NUL in a YAML string|"---\ntitle: \"x\\0y\"\n---\n"'

# The address sanitizer reserves terabytes of address space: under it, the
# memory bound is gazette's own (its workers' limits) and not ulimit's.
vmem=1048576
ldd "$gazette" 2>/dev/null | grep -q libasan && vmem=unlimited

count=$(printf '%s\n' "$cases" | wc -l)
echo "1..$count"
fail=0
printf '%s\n' "$cases" | while IFS='|' read -r name expr; do
    site="$tmp/site"
    rm -rf "$site"
    mkdir -p "$site/content/c"
    printf -- '---\ntitle: Fine\n---\nA good post.\n' >"$site/content/c/good.md"
    python3 -c "import sys; sys.stdout.write($expr)" >"$site/content/c/bad.md"
    (cd "$site" && git init -q -b main . && git add -A &&
        git commit -qm site) >/dev/null 2>&1
    start=$(date +%s%N)
    # 1 GiB of address space for gazette and its workers; 10 s of time.
    (ulimit -v $vmem; exec timeout -s KILL 10 /usr/bin/time -f '%M' \
        "$gazette" build -C "$site" -o "$tmp/out") >"$tmp/stdout" 2>"$tmp/err"
    rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    kib=$(tail -1 "$tmp/err")
    named=$(grep -c '^content/c/bad.md' "$tmp/err")
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        echo "not ok - $name: exit status $rc after $ms ms"
        sed 's/^/# /' "$tmp/err" | head -5
    elif [ $rc -eq 1 ] && [ "$named" -eq 0 ]; then
        echo "not ok - $name: an error that does not name the file"
        sed 's/^/# /' "$tmp/err" | head -5
    elif [ $rc -eq 1 ] && grep -v '^content/c/bad.md' "$tmp/err" | grep -q '^content/c/good.md'; then
        echo "not ok - $name: the good post was blamed too"
    else
        echo "ok - $name: exit $rc in $ms ms, $((kib / 1024)) MiB${rc:+ }$(grep -m1 '^content/c/bad.md' "$tmp/err" | cut -c1-100)"
    fi
done | tee "$tmp/tap"
grep -q '^not ok' "$tmp/tap" && exit 1
exit 0
