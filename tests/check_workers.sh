#!/bin/sh
# The parse's worker processes (generator/parse/pool.c), watched with
# strace: nothing is forked while another thread of the build runs (a lock
# that thread held, a sanitizer allocator's, would stay held in the child,
# which then waits for ever; a worker started afresh, by vfork and exec,
# takes no lock), on a first build and on a rebuild into a kept folder; a
# worker is gazette started afresh, not a fork of the build, and one that
# is given nothing to parse parses nothing; and a build killed with SIGKILL
# takes its workers with it, even one stuck. KEEP=1 keeps the temporary
# folder (its traces).
# Prints TAP lines; exits 1 if any failed.
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'kill -9 $tracer 2>/dev/null; [ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
# LeakSanitizer cannot run under ptrace: a sanitizer build would exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
echo 1..4
if ! command -v strace >/dev/null; then
    for t in "a first build" "a rebuild" "started afresh" "a killed build"; do
        echo "ok - $t # SKIP no strace"
    done
    exit 0
fi
fail=0
site=$tmp/site
mkdir -p "$site/content/news"
for i in $(seq 1 300); do
    printf -- '---\ntitle: Post %d\ndate: 2025-01-%02d\n---\n' \
        "$i" $((i % 28 + 1)) >"$site/content/news/p$i.md"
    printf 'Text of %d #tag%d\n' "$i" $((i % 7)) >>"$site/content/news/p$i.md"
done
(cd "$site" && git init -q -b main . && git add -A && git commit -qm site)

# forks_alone WHAT: builds the site under strace into $tmp/out and says
# whether each fork found no other thread alive: a thread lives from the
# clone that made it (or its own first call) to its exit.
forks_alone() {
    strace -f -qq -o "$tmp/trace" -e trace=clone,clone3,exit \
        "$gazette" build -q -C "$site" -o "$tmp/out" >"$tmp/err" 2>&1
    rc=$?
    problem=$(python3 - "$tmp/trace" <<'EOF'
import re, sys
main, alive, exited, pending, forks, bad = None, set(), set(), {}, 0, []
for line in open(sys.argv[1]):
    m = re.match(r"(\d+) +(.*)", line)
    if not m:
        continue
    pid, call = int(m.group(1)), m.group(2).strip()
    main = main or pid
    if pid != main and pid not in exited and re.match(r"(clone3?|exit)\(",
                                                      call):
        alive.add(pid)  # a call of a thread whose clone has not returned
    start = re.match(r"clone3?\(", call)
    if start:
        thread = "CLONE_THREAD" in call
        if not thread and "CLONE_VM" not in call:  # a fork, not a spawn
            forks += 1
            others = (alive - {pid}) | ({main} if pid != main else set())
            if others:
                bad.append(f"fork {forks} with threads {sorted(others)}")
        pending[pid] = thread
    done = re.search(r"= (\d+)$", call)
    if done and (start or "resumed>" in call) and pid in pending:
        tid = int(done.group(1))
        if pending.pop(pid) and tid not in exited:
            alive.add(tid)
    if call.startswith("exit("):
        alive.discard(pid)
        exited.add(pid)
print("; ".join(bad))
EOF
)
    if [ $rc -eq 0 ] && [ -z "$problem" ]; then
        echo "ok - $1: nothing forked while another thread ran"
    else
        echo "not ok - $1: $problem (exit status $rc)"
        sed 's/^/# /' "$tmp/err" | head -5
        fail=1
    fi
}
forks_alone "a first build"
printf 'More words.\n' >>"$site/content/news/p7.md"
forks_alone "a rebuild into a kept folder, one post edited"

# A fork would share the build's tens of MiB with the worker, and each
# page either wrote afterwards would cost a fault: each worker must be
# the program itself, started again as "parse-worker" (one is started
# with the build, before it knows what to parse: a rebuild that parses
# nothing gives it nothing, and it parses nothing, which setitimer, called
# for each post parsed, tells).
printf 'Even more words.\n' >>"$site/content/news/p9.md"
strace -f -qq -o "$tmp/exec" -e trace=execve,clone,clone3 \
    "$gazette" build -q -C "$site" -o "$tmp/out" >/dev/null 2>&1
execs=$(grep -c 'execve("/proc/self/exe", \["gazette", "parse-worker"' \
    "$tmp/exec")
spawns=$(grep -E ' clone3?\(' "$tmp/exec" | grep -v CLONE_THREAD |
    grep -c 'CLONE_VM|CLONE_VFORK')
forks=$(grep -E ' clone3?\(' "$tmp/exec" | grep -v CLONE_THREAD |
    grep -vc CLONE_VM)
strace -f -qq -o "$tmp/none" -e trace=execve,setitimer \
    "$gazette" build -q -C "$site" -o "$tmp/out" >/dev/null 2>&1
parsed=$(grep -c 'setitimer(ITIMER_PROF, {[^}]*}, it_value={tv_sec=[1-9]' \
    "$tmp/none")
if [ "$execs" -ge 1 ] && [ "$execs" = "$spawns" ] && [ "$forks" = 0 ] &&
    [ "$parsed" = 0 ]; then
    echo "ok - each worker is gazette started afresh ($execs for one post)"
else
    echo "not ok - workers started afresh: $execs of $spawns spawns," \
        "$forks forks; $parsed posts parsed on a rebuild with nothing new"
    fail=1
fi

# children PID: its child processes, from /proc/*/stat (no procps on a
# bare machine; a process may end while it is read)
children() {
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" '{
        s = $0; sub(/.*\) /, "", s); split(s, f, " "); if (f[2] == p) print $1 }'
}

# A worker held for a minute in its first post (strace delays its call
# to setitimer, which only workers make): once the build is killed, the
# worker must die too, and strace then sees its call end ("= ?": on the
# call's own line, or on a "resumed" line when another process's line
# came between).
printf 'Again.\n' >>"$site/content/news/p8.md"
strace -f -qq -o "$tmp/held" -e trace=setitimer \
    -e inject=setitimer:delay_enter=60000000 \
    "$gazette" build -q -C "$site" -o "$tmp/out" >/dev/null 2>&1 &
tracer=$!
build="" workers=""
for _ in $(seq 1 100); do
    build=$(children $tracer | head -1)
    [ -n "$build" ] && workers=$(children "$build")
    [ -n "$workers" ] && break
    sleep 0.1
done
sleep 0.5
[ -n "$build" ] && kill -9 "$build"
left=$workers
for _ in $(seq 1 30); do
    left=$(for w in $workers; do
        grep -qE "^$w +((<\.\.\. setitimer resumed>|setitimer\().*= \?|\+\+\+ killed)" \
            "$tmp/held" || echo "$w"; done)
    [ -z "$left" ] && break
    sleep 0.1
done
if [ -n "$workers" ] && [ -z "$left" ]; then
    echo "ok - a build killed with SIGKILL leaves no worker behind"
else
    echo "not ok - a build killed with SIGKILL leaves no worker behind:" \
        "workers" $workers, "alive" $left
    fail=1
fi
kill -9 $tracer 2>/dev/null
wait 2>/dev/null
exit $fail
