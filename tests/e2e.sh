#!/bin/sh
# End-to-end golden sites. Each tests/sites/<case>/ holds site/ (the input,
# made into a real git repository here with fixed commit dates), and either
# expected/ (the output tree, with expected.stderr when the build warns) or
# expected.stderr + expected.status for bad input; an optional `args` file
# holds extra build options. Bad input must leave the previous output
# folder exactly as it was. A case whose `command` file says `check` runs
# gazette check instead: its expected.stderr and expected.status are
# compared, and the site must be left as it was. Prints TAP lines, one a
# case, and exits 1 if any failed; `sh tests/e2e.sh --regen` shows each
# difference and asks before replacing.
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
regen=false
[ "$1" = "--regen" ] && regen=true
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

# make_repo SRC DEST: copies SRC into a new repository, one commit at a
# fixed date (a case may give its own history in a `history` script).
make_repo() {
    cp -R "$1/site" "$2"
    (cd "$2" && git init -q -b main . &&
        if [ -f "$1/history" ]; then sh "$1/history"; else
            git add -A && GIT_AUTHOR_DATE="2024-05-01T12:00:00+02:00" \
            GIT_COMMITTER_DATE="2024-05-01T12:00:00+02:00" \
            git commit -qm "site"; fi)
}

# links_ok: the case's output links only to what it holds, #fragments
# included (tests/check_links.py), unless the case says in a file
# `dangling-links` why some of its links lead nowhere on purpose.
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
links_ok() {
    [ -f "$case_dir/dangling-links" ] && return 0
    base=$(sed -n 's/^base_url: *//p' "$work/repo/site.yaml" 2>/dev/null |
        tr -d "\"'" | sed -E 's|^[a-z]+://[^/]*||')
    "$py" "$top/tests/check_links.py" "$out" "${base:-/}" >"$work/links" 2>&1
}

# snapshot DIR: every file with its bytes' digest, inode and mtime.
# The output: every file but gazette's caches and lock in .gazette/, which
# any build may update (the manifest is part of the output).
snapshot() {
    (cd "$1" && files() {
        find . \( -path ./.gazette/cache -o -path ./.gazette/lock \) -prune \
            -o -type f -exec "$@" {} +
    } && files stat -c '%n %i %y %s' | sort && files md5sum | sort)
}

# accept WHAT GOT WANT: in --regen mode shows the difference and asks.
accept() {
    $regen || return 1
    diff -ru "$3" "$2" | head -100
    printf 'accept the new %s? [y/N] ' "$1" >&2
    read -r answer </dev/tty || return 1
    [ "$answer" = y ] || return 1
    rm -rf "$3" && cp -R "$2" "$3"
}

not_ok() { echo "not ok - $1"; status=1; }

# messages: compares the case's messages with its expected.stderr (none
# expected when it has none); false, with the difference, when they differ.
messages() {
    expected="$case_dir/expected.stderr"
    [ -f "$expected" ] || expected=/dev/null
    diff -u "$expected" "$work/stderr" >"$work/diff" ||
        accept "$name stderr" "$work/stderr" "$case_dir/expected.stderr" || {
        not_ok "$name: messages differ"
        sed 's/^/# /' "$work/diff"
        return 1
    }
}

# unchanged DIR WHAT COMMAND...: runs gazette COMMAND with the case's args;
# its exit status and messages must be the expected ones, and DIR must be
# left as it was (WHAT says it was not).
unchanged() {
    dir=$1 what=$2
    shift 2
    before=$(snapshot "$dir")
    # shellcheck disable=SC2086
    "$gazette" "$@" $args >"$work/stdout" 2>"$work/stderr"
    rc=$?
    want=$(cat "$case_dir/expected.status")
    if [ "$rc" != "$want" ]; then
        not_ok "$name: exit status $rc, expected $want"
        sed 's/^/# /' "$work/stderr"
    elif ! messages; then
        :
    elif [ "$before" != "$(snapshot "$dir")" ]; then
        not_ok "$name: $what"
    else
        echo "ok - $name"
    fi
}

status=0
set -- "$top"/tests/sites/*/
echo "1..$#"
for case_dir; do
    case_dir=${case_dir%/}
    name=$(basename "$case_dir")
    work="$tmp/$name"
    mkdir -p "$work"
    make_repo "$case_dir" "$work/repo" >/dev/null 2>&1 || {
        not_ok "$name: could not make its repository"
        continue
    }
    args=""
    [ -f "$case_dir/args" ] && args=$(cat "$case_dir/args")
    out="$work/out"
    if [ "$(cat "$case_dir/command" 2>/dev/null)" = check ]; then
        unchanged "$work/repo" "check changed the site" check -C "$work/repo"
    elif [ -d "$case_dir/expected" ]; then
        # shellcheck disable=SC2086
        "$gazette" build -C "$work/repo" -o "$out" -j 2 $args \
            >"$work/stdout" 2>"$work/stderr"
        rc=$?
        # The theme's assets are the theme's, not the case's: only their
        # presence is checked here.
        assets=no
        [ -f "$out/assets/style.css" ] && assets=yes
        links=yes
        [ $rc -eq 0 ] && ! links_ok && links=no
        rm -rf "$out/assets" "$out/.gazette"
        if [ $rc -ne 0 ]; then
            not_ok "$name: exit status $rc"
            sed 's/^/# /' "$work/stderr"
        elif [ $assets = no ]; then
            not_ok "$name: no assets/style.css"
        elif [ $links = no ]; then
            not_ok "$name: links that lead nowhere"
            grep -v '^ok' "$work/links" | head -20 | sed 's/^/# /'
        elif ! messages; then
            :
        elif diff -r "$case_dir/expected" "$out" >"$work/diff" 2>&1 ||
            accept "$name output" "$out" "$case_dir/expected"; then
            echo "ok - $name"
        else
            not_ok "$name: output differs"
            head -40 "$work/diff" | sed 's/^/# /'
        fi
    else
        # A previous good build stands in the output folder.
        mkdir -p "$out/old"
        echo "previous build" >"$out/index.html"
        echo "previous page" >"$out/old/index.html"
        printf 'index.html\nold/index.html\n' >"$out/.gazette-manifest"
        # Dated 2001: a rewrite would show, however soon it came.
        find "$out" -type f -exec touch -d @1000000000 {} +
        unchanged "$out" "the previous output was changed" \
            build -C "$work/repo" -o "$out"
    fi
done
exit $status
