#!/bin/sh
# gazette deploy on real git repositories made here, with fixed dates: the
# branch's tree is the build of the commit byte for byte plus .nojekyll and
# CNAME; the working tree, the index, HEAD and every other ref are left as
# they were; a second deploy adds no commit, one after a new commit adds
# exactly one on top of the previous tip; --push updates a bare repository
# (never forcing it); a --ref that does not exist (exit 3), content errors
# (exit 1) and the checked-out branch (exit 2) change nothing; the system's
# TLS certificates are read by a push over https, before it connects, and
# by nothing else; a build does not start libssh2.
# Prints TAP lines; exits 1 if any failed.
echo 1..37
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
# Under make asan: libgit2 1.5 (Debian 12) leaks a PCRE2 match block for
# each url.<base>.insteadOf lookup that does not match, which every remote
# makes (fixed upstream by libgit2 pull request 6382). Only allocations
# made inside PCRE2 (linked into gazette: its functions, by name) are
# excused; gazette never calls PCRE2 itself.
echo 'leak:pcre2_' >"$tmp/lsan.supp"
export LSAN_OPTIONS="suppressions=$tmp/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }

# commit DATE MESSAGE: commits everything at a fixed author/commit date.
commit() {
    git add -A && GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" \
        git commit -qm "$2"
}

# commit_path DATE MESSAGE PATH: commits PATH alone, the rest of the index
# and the working tree staying as they are.
commit_path() {
    GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git commit -qm "$2" -- "$3"
}

# state: what a deploy must leave alone in the repository of the current
# folder: HEAD, the index's bytes, git status (which then must not refresh
# the index itself), every ref but the deployed branch ($1, default
# gh-pages), the working tree's files.
state() {
    git symbolic-ref HEAD
    git rev-parse HEAD
    sha256sum .git/index
    GIT_OPTIONAL_LOCKS=0 git status --porcelain --untracked-files=all
    git for-each-ref --format='%(refname) %(objectname)' |
        grep -v "^refs/heads/${1:-gh-pages} "
    find . -path ./.git -prune -o -type f -exec sha256sum {} + |
        LC_ALL=C sort -k 2
}

# everything: state plus the deployed branch and the count of objects.
everything() {
    state x
    find .git/objects -type f | wc -l
}

# tree_of REV DIR: the files of REV's tree, extracted into DIR.
tree_of() {
    rm -rf "$2" && mkdir -p "$2" && git archive "$1" | tar -x -C "$2"
}

# The example site with a cname, in a repository with a tag and another
# branch, then left dirty: a staged edit, an unstaged one, an untracked
# file (the deploy must build the commit, not the working tree).
site="$tmp/site"
mkdir -p "$site"
cp -R "$top/content" "$site/"
sed '/^cname:/d' "$top/site.yaml" >"$site/site.yaml"
echo 'cname: www.example.org' >>"$site/site.yaml"
cd "$site" || exit 1
git init -q -b main . && commit 2025-01-10T10:00:00+00:00 one &&
    git tag v1 && git branch other
posts=$(ls content/*/*.md | grep -v _index.md)
staged=$(echo "$posts" | sed -n 1p) unstaged=$(echo "$posts" | sed -n 2p)
echo 'staged edit' >>"$staged" && git add "$staged"
echo 'unstaged edit' >>"$unstaged"
echo 'untracked' >content/new-post.md
before=$(state)

"$gazette" deploy >"$tmp/out" 2>"$tmp/err"
rc=$?
check "deploy exits 0" '[ $rc -eq 0 ]' "$(cat "$tmp/err")"
tip1=$(git rev-parse -q --verify gh-pages)
check "it prints the new commit id, the tip of gh-pages" \
    '[ -n "$tip1" ] && [ "$(cat "$tmp/out")" = "$tip1" ] && grep -qxE "[0-9a-f]{40}" "$tmp/out"' \
    "stdout: $(cat "$tmp/out"); gh-pages: $tip1"
check "a new branch: one commit, no parent" \
    '[ "$(git rev-list --count gh-pages)" = 1 ] && [ -z "$(git log -1 --format=%P gh-pages)" ]'
check "the message is Deploy and the short id of HEAD" \
    '[ "$(git log -1 --format=%B gh-pages)" = "Deploy $(git rev-parse --short HEAD)" ]' \
    "$(git log -1 --format=%B gh-pages)"
check "author and committer: gazette without a configured user" \
    '[ "$(git log -1 --format="%an <%ae>|%cn <%ce>" gh-pages)" = "gazette <gazette@localhost>|gazette <gazette@localhost>" ]' \
    "$(git log -1 --format="%an <%ae>|%cn <%ce>" gh-pages)"
after=$(state)
check "HEAD, index bytes, status, other refs and working tree unchanged" \
    '[ "$before" = "$after" ]' "$(printf '%s\n' "$before" >"$tmp/b"; printf '%s\n' "$after" | diff "$tmp/b" -)"

"$gazette" build --ref HEAD -o "$tmp/built" >/dev/null 2>"$tmp/err"
check "build --ref HEAD builds" '[ $? -eq 0 ]' "$(cat "$tmp/err")"
tree_of gh-pages "$tmp/tree"
check "no .gazette records in the deployed tree" \
    '[ -d "$tmp/built/.gazette" ] && ! git ls-tree -r --name-only gh-pages | grep -q "^\.gazette"'
check ".nojekyll is an empty file at the root" \
    '[ -f "$tmp/tree/.nojekyll" ] && [ ! -s "$tmp/tree/.nojekyll" ]'
check "CNAME holds site.yaml's cname" \
    '[ "$(cat "$tmp/tree/CNAME")" = www.example.org ]' "$(cat "$tmp/tree/CNAME")"
rm -f "$tmp/tree/.nojekyll" "$tmp/tree/CNAME"
diff -r -x .gazette "$tmp/built" "$tmp/tree" >"$tmp/diff" 2>&1
check "the branch's tree is the build output byte for byte" '[ $? -eq 0 ]' \
    "$(head -5 "$tmp/diff")"
check "every file is a plain blob (100644), as many as built" \
    '[ "$(git ls-tree -r gh-pages | grep -vc "^100644 blob ")" = 0 ] &&
     [ "$(git ls-tree -r gh-pages | wc -l)" = $(($(cd "$tmp/built" && find . -path ./.gazette -prune -o -type f -print | wc -l) + 2)) ]'
git fsck --strict --no-dangling --no-progress >"$tmp/log" 2>&1
check "git fsck accepts the trees and the commit" \
    '[ $? -eq 0 ] && [ ! -s "$tmp/log" ]' "$(cat "$tmp/log")"

# The same commit again: no commit, the same id printed.
before=$(state)
"$gazette" deploy >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a second deploy of the same commit adds no commit" \
    '[ $rc -eq 0 ] && [ "$(git rev-parse gh-pages)" = "$tip1" ] && [ "$(cat "$tmp/out")" = "$tip1" ]' \
    "$(cat "$tmp/err")"
check "and says so" 'grep -q "no commit made" "$tmp/err"' "$(cat "$tmp/err")"
check "and leaves the rest alone" '[ "$before" = "$(state)" ]'

# A new commit (a post edited), with a user configured: one commit on top.
echo 'A new line.' >>content/asyncio-taskgroup.md
commit_path 2025-02-10T10:00:00+00:00 two content/asyncio-taskgroup.md
git config user.name 'Site Owner' && git config user.email owner@example.org
before=$(state)
"$gazette" deploy -m 'Publish two' >"$tmp/out" 2>"$tmp/err"
rc=$?
tip2=$(git rev-parse gh-pages)
check "a deploy after a new commit adds exactly one commit" \
    '[ $rc -eq 0 ] && [ "$(git rev-list --count gh-pages)" = 2 ] && [ "$(cat "$tmp/out")" = "$tip2" ]' \
    "$(cat "$tmp/err")"
check "whose parent is the previous tip" '[ "$(git rev-parse gh-pages^)" = "$tip1" ]'
check "--message and the repository's user" \
    '[ "$(git log -1 --format="%B|%an <%ae>" gh-pages)" = "Publish two
|Site Owner <owner@example.org>" ]' "$(git log -1 --format="%B|%an <%ae>" gh-pages)"
"$gazette" build --ref HEAD -o "$tmp/built" >/dev/null 2>&1
tree_of gh-pages "$tmp/tree"
rm -f "$tmp/tree/.nojekyll" "$tmp/tree/CNAME"
diff -r -x .gazette "$tmp/built" "$tmp/tree" >"$tmp/diff" 2>&1
check "its tree is the new build" '[ $? -eq 0 ]' "$(head -5 "$tmp/diff")"
check "the rest is left alone again" '[ "$before" = "$(state)" ]'

# --push to a bare repository: by path, then by a remote's name.
git init -q --bare "$tmp/pages.git"
before=$(state)
"$gazette" deploy --push "$tmp/pages.git" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--push PATH updates the bare repository's branch" \
    '[ $rc -eq 0 ] && [ "$(git -C "$tmp/pages.git" rev-parse gh-pages)" = "$tip2" ]' \
    "$(cat "$tmp/err")"
check "and no local ref" '[ "$before" = "$(state)" ] && [ "$(git rev-parse gh-pages)" = "$tip2" ]'
git remote add pages "$tmp/pages.git"
echo 'A third line.' >>content/asyncio-taskgroup.md
commit_path 2025-03-10T10:00:00+00:00 three content/asyncio-taskgroup.md
"$gazette" deploy --push pages >"$tmp/out" 2>"$tmp/err"
rc=$?
tip3=$(git rev-parse gh-pages)
check "--push REMOTE (a name) fast-forwards it" \
    '[ $rc -eq 0 ] && [ "$tip3" != "$tip2" ] && [ "$(git -C "$tmp/pages.git" rev-parse gh-pages)" = "$tip3" ]' \
    "$(cat "$tmp/err")"
# The remote's branch gets a commit this one lacks: never forced.
empty=$(git -C "$tmp/pages.git" hash-object -t tree -w /dev/null)
theirs=$(echo theirs | git -C "$tmp/pages.git" commit-tree "$empty" -p "$tip3")
git -C "$tmp/pages.git" update-ref refs/heads/gh-pages "$theirs"
echo 'A fourth line.' >>content/asyncio-taskgroup.md
commit_path 2025-04-10T10:00:00+00:00 four content/asyncio-taskgroup.md
"$gazette" deploy --push pages >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a push that is no fast-forward fails (exit 3), naming the local tip" \
    '[ $rc -eq 3 ] && [ "$(git -C "$tmp/pages.git" rev-parse gh-pages)" = "$theirs" ] &&
     grep -q "the local gh-pages is at $(git rev-parse gh-pages)" "$tmp/err"' "$(cat "$tmp/err")"

# Failures change nothing at all: no ref, no object, no file.
before=$(everything)
"$gazette" deploy --ref no-such-rev >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a --ref that does not exist exits 3" '[ $rc -eq 3 ] && [ ! -s "$tmp/out" ]' "$(cat "$tmp/err")"
check "and changes nothing" '[ "$before" = "$(everything)" ]'
# A branch with a bad post, made without touching the index or the files.
bad=$(printf -- '---\ndate: soon\n---\nBad date.\n' | git hash-object -w --stdin)
GIT_INDEX_FILE="$tmp/index" git read-tree HEAD
GIT_INDEX_FILE="$tmp/index" git update-index --add --cacheinfo \
    "100644,$bad,content/asyncio-bad.md"
tree=$(GIT_INDEX_FILE="$tmp/index" git write-tree)
git branch broken "$(echo broken | git commit-tree "$tree" -p HEAD)"
before=$(everything)
"$gazette" deploy --ref broken >"$tmp/out" 2>"$tmp/err"
rc=$?
check "a commit with content errors exits 1, naming the file" \
    '[ $rc -eq 1 ] && grep -q "^content/asyncio-bad.md:2:" "$tmp/err"' "$(cat "$tmp/err")"
check "and changes nothing" '[ "$before" = "$(everything)" ]'

# The checked-out branch is refused (a usage error, exit 2): committing
# on it would leave its working tree and index behind.
before=$(everything)
"$gazette" deploy --branch main >"$tmp/out" 2>"$tmp/err"
rc=$?
check "deploying onto the checked-out branch exits 2" \
    '[ $rc -eq 2 ] && grep -q "the branch main is checked out" "$tmp/err"' "$(cat "$tmp/err")"
check "and changes nothing" '[ "$before" = "$(everything)" ]'
git clone -q "$site" "$tmp/clone" && cd "$tmp/clone" &&
    git checkout -q -b gh-pages origin/gh-pages
before=$(everything)
"$gazette" deploy >"$tmp/out" 2>"$tmp/err"
rc=$?
check "also when HEAD is gh-pages itself" \
    '[ $rc -eq 2 ] && [ "$before" = "$(everything)" ]' "$(cat "$tmp/err")"

# A site in a subfolder of its repository, deployed with -C.
mkdir -p "$tmp/mono/web" && cd "$tmp/mono" && git init -q -b main . &&
    cp -R "$top/content" web/ && printf 'title: mono\n' >web/site.yaml &&
    echo 'not the site' >README && commit 2025-06-10T10:00:00+00:00 mono
"$gazette" deploy -C web --branch pages >"$tmp/out" 2>"$tmp/err"
rc=$?
"$gazette" build -C web --ref HEAD -o "$tmp/mono-built" >/dev/null 2>&1
tree_of pages "$tmp/tree"
rm -f "$tmp/tree/.nojekyll"
diff -r -x .gazette "$tmp/mono-built" "$tmp/tree" >"$tmp/diff" 2>&1
same=$?
check "-C DIR: a site in a subfolder deploys its own output, no CNAME" \
    '[ $rc -eq 0 ] && [ "$(git rev-parse pages)" = "$(cat "$tmp/out")" ] &&
     [ $same -eq 0 ]' "$(cat "$tmp/err"; head -5 "$tmp/diff")"

# TLS: libgit2's start leaves the system's certificates unread (source.c);
# a push over https reads them before it connects, and refuses a server
# that no authority of theirs vouches for (here one with a certificate of
# its own making).
ca=/etc/ssl/certs/ca-certificates.crt
# traced CALLS CMD...: CMD under strace into $tmp/trace, with no leak check
# (LeakSanitizer cannot stop the threads of a traced process).
traced() {
    calls=$1
    shift
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        strace -f -e trace="$calls" -o "$tmp/trace" "$@"
}
traced openat "$gazette" build -o "$tmp/tls" >/dev/null 2>&1
check "a build reads no TLS certificate" \
    '[ -s "$ca" ] && ! grep -q "$ca" "$tmp/trace"' "$(grep "$ca" "$tmp/trace")"
# Nor does it start libssh2 (OpenSSL under it): libgit2's start leaves
# that to a push too. gdb stops the build if libssh2's crypto starts.
ssh_start=_libssh2_openssl_crypto_init
if nm "$gazette" | grep -q " $ssh_start\$"; then
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        gdb -batch -nx -ex "break $ssh_start" -ex run \
        --args "$gazette" build -o "$tmp/ssh" >"$tmp/gdb" 2>&1
    check "a build does not start libssh2" \
        'grep -q "^Breakpoint 1 at" "$tmp/gdb" &&
         ! grep -Eq "^Breakpoint 1, |hit Breakpoint 1," "$tmp/gdb" &&
         grep -q "^built " "$tmp/gdb"' "$(tail -5 "$tmp/gdb")"
else
    echo "ok - a build does not start libssh2 # SKIP no $ssh_start in this libssh2"
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 1 -subj /CN=127.0.0.1 \
    >/dev/null 2>&1
python3 - "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/port" 2>/dev/null <<'PY' &
import http.server, ssl, sys
server = http.server.HTTPServer(("127.0.0.1", 0),
                                http.server.BaseHTTPRequestHandler)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = tls.wrap_socket(server.socket, server_side=True)
print(server.server_port, flush=True)
server.serve_forever()
PY
server=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "$tmp/port" ] && break; sleep 0.5; done
port=$(cat "$tmp/port")
traced openat,connect "$gazette" deploy \
    --push "https://127.0.0.1:$port/pages.git" >"$tmp/out" 2>"$tmp/err"
rc=$?
kill $server 2>/dev/null
read_at=$(grep -n "$ca" "$tmp/trace" | head -1 | cut -d: -f1)
connect_at=$(grep -n "htons($port)" "$tmp/trace" | head -1 | cut -d: -f1)
check "a push over https reads the certificates, before it connects" \
    '[ -n "$port" ] && [ -n "$read_at" ] && [ -n "$connect_at" ] &&
     [ "$read_at" -lt "$connect_at" ]' \
    "port $port, read at line $read_at, connect at line $connect_at"
check "and refuses a server whose certificate no authority signed (exit 3)" \
    '[ $rc -eq 3 ] && grep -q "certificate is invalid" "$tmp/err"' "$(cat "$tmp/err")"
exit $fail
