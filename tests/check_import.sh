#!/bin/sh
# gazette import telegram on a real git repository made here, with an
# export written here in Telegram Desktop's format (check_import.py): every
# entity type, an edited message, a photo (a real PNG), a file, a reply, a
# forward, service messages, a media-only message, an unknown entity type
# and a file that was not downloaded. The import makes one post and one
# commit per message, dated as the message (git log --format=%aI), leaves
# the user's staged and unstaged changes alone, and the site builds: each
# page shows its message's text with its formatting, the tag pages are
# the export's hashtags (check_import.py html). Importing again adds no
# file and no commit; a newer export adds exactly its new message. Hostile
# exports (malformed JSON, media paths out of the export or through a
# symlink, missing fields) are refused with nothing written. Prints TAP
# lines; exits 1 if any failed.
echo 1..113
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
helper="$top/tests/check_import.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
git config --global user.name "Tester"
git config --global user.email "tester@example.org"
git config --global init.defaultBranch main

fail=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; fail=1; [ -n "$2" ] && echo "$2" | sed 's/^/# /'; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "$3"; fi; }

# run ARGS...: gazette import telegram ARGS in the current folder; stdout
# and stderr in $tmp/out and $tmp/err, the status in $rc.
run() { "$gazette" import telegram "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }
said() { echo "status $rc; stdout: $(cat "$tmp/out"); stderr: $(cat "$tmp/err")"; }
# state: every file of the work tree with its checksum, HEAD and the
# index: what a refused import must leave as it was.
state() {
    find . -path ./.git -prune -o -print | LC_ALL=C sort | while read -r f; do
        if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"
        elif [ -f "$f" ]; then echo "$f $(md5sum <"$f")"
        else echo "$f/"; fi
    done
    git rev-parse HEAD
    git ls-files -s | md5sum
}
# user_changes: the staged and unstaged changes and the untracked file.
user_changes() {
    printf 'title: Test, staged\nbase_url: https://example.org/\n' >site.yaml
    git add site.yaml
    printf -- '---\ntitle: Other\n---\nOther things, unstaged.\n' >content/other/_index.md
    printf 'untracked\n' >notes.txt
}
# undo_import CHANNEL: drops the last commit and the channel it made,
# then puts the user's changes back.
undo_import() { git reset -q --hard HEAD~1 && rm -rf "content/$1" && user_changes; }

# The site: a channel of its own, committed; then a staged change, an
# unstaged one and an untracked file, which the import must leave alone.
site="$tmp/site"
mkdir -p "$site/content/other"
printf 'title: Test\nbase_url: https://example.org/\n' >"$site/site.yaml"
printf -- '---\ntitle: Other\n---\nOther things.\n' >"$site/content/other/_index.md"
printf -- '---\ntitle: First\ndate: 2023-12-01T00:00:00Z\n---\nThe first post.\n' \
    >"$site/content/other/first.md"
cd "$site" || exit 1
git init -q . && git add -A &&
    GIT_AUTHOR_DATE=2024-01-01T00:00:00+00:00 \
    GIT_COMMITTER_DATE=2024-01-01T00:00:00+00:00 git commit -qm init
init=$(git rev-parse HEAD)
user_changes

python3 "$helper" export "$tmp/ChatExport_2024-08-01"

# --- the import ---
run "$tmp/ChatExport_2024-08-01"
check "the import succeeds" '[ $rc -eq 0 ]' "$(said)"
check "the summary counts posts, service messages and commits" \
    '[ "$(cat "$tmp/out")" = "imported 10 messages into content/test-channel/ (2 service messages skipped, 0 already there); 10 commits" ]' "$(said)"
check "an unknown entity type is a note naming its message and place" \
    'grep -q "result.json:[0-9]*:[0-9]*: note: message 10: unknown entity type \"fancy_new_entity\"" "$tmp/err"' "$(said)"
check "a file that was not downloaded is a note; its message is kept" \
    'grep -q "note: message 11: its file was not downloaded" "$tmp/err" && [ -f content/test-channel/11.md ]' "$(said)"
check "nothing but notes on stderr" '! grep -v ": note: " "$tmp/err" | grep -q .' "$(said)"
posts=$(cd content/test-channel && find . -type f | LC_ALL=C sort | tr '\n' ' ')
check "a post per message; media posts are folders with the media beside" \
    '[ "$posts" = "./10.md ./11.md ./12.md ./2.md ./3.md ./4/index.md ./4/photo_4@04-03-2024_12-00-00.jpg.png ./5/index.md ./5/notes.txt ./6.md ./7/index.md ./7/photo_7@07-03-2024_15-00-00.png ./9.md ./_index.md " ]' "$posts"
check "the service messages (1, 8) make no post" \
    '[ ! -e content/test-channel/1.md ] && [ ! -e content/test-channel/8.md ]'
check "the photo and the file are copied byte for byte" \
    'cmp -s content/test-channel/4/photo_4@04-03-2024_12-00-00.jpg.png "$tmp/ChatExport_2024-08-01/photos/photo_4@04-03-2024_12-00-00.jpg.png" && cmp -s content/test-channel/5/notes.txt "$tmp/ChatExport_2024-08-01/files/notes.txt"'
check "_index.md is made with the channel's title" \
    '[ "$(cat content/test-channel/_index.md)" = "$(printf -- "---\ntitle: \"Test Channel\"\n---")" ]' "$(cat content/test-channel/_index.md)"
fm=$(sed -n '2,5p' content/test-channel/3.md | tr '\n' ' ')
check "front matter: date with its offset, updated from edited, message_id" \
    '[ "$fm" = "date: 2024-03-02T11:30:00+03:00 updated: 2024-03-03T08:15:00+03:00 message_id: 3 --- " ]' "$fm"
check "no title: in the front matter" '! grep -q "^title:" content/test-channel/2.md'
check "a summer message keeps the exporter's offset then (+02:00)" \
    'grep -qx "date: 2024-07-09T17:00:00+02:00" content/test-channel/9.md'
check "a reply starts with a relative link to the post it answers" \
    'grep -qF "[In reply to message 2](<2.md>)" content/test-channel/6.md' "$(cat content/test-channel/6.md)"
check "a media-only message is a post of just its image" \
    '[ "$(sed -n "/^---$/,/^---$/!p" content/test-channel/7/index.md | grep -v "^$")" = "![](<photo_7@07-03-2024_15-00-00.png>)" ]' "$(cat content/test-channel/7/index.md)"

# --- the history ---
check "one commit per message" '[ "$(git rev-list --count $init..HEAD)" = 10 ]'
dates=$(git log --reverse --format=%aI "$init..HEAD" | tr '\n' ' ')
want=$(python3 "$helper" dates | tr '\n' ' ')
check "git log dates equal the message dates, offsets included" \
    '[ "$dates" = "$want" ]' "git: $dates
want: $want"
subjects=$(git log --reverse --format=%s "$init..HEAD" | tr '\n' ',')
check "commit messages name the channel and the message" \
    '[ "$subjects" = "Import test-channel message 2,Import test-channel message 3,Import test-channel message 4,Import test-channel message 5,Import test-channel message 6,Import test-channel message 7,Import test-channel message 9,Import test-channel message 10,Import test-channel message 11,Import test-channel message 12," ]' "$subjects"
check "authored and committed by the repository's user" \
    '[ "$(git log --format="%an <%ae> %cn" "$init..HEAD" | sort -u)" = "Tester <tester@example.org> Tester" ]'
check "each commit adds only its message's files (_index.md in the first)" \
    '[ "$(git show --format= --name-only "$init..HEAD" | grep -vc "^content/test-channel/")" = 0 ] && [ "$(git show --format= --name-only HEAD~9 | tr "\n" " ")" = "content/test-channel/2.md content/test-channel/_index.md " ]' \
    "$(git show --format=%s --name-only "$init..HEAD")"
check "the staged change is still staged and in no commit" \
    '[ "$(git diff --cached --name-only)" = site.yaml ] && git show HEAD:site.yaml | grep -qx "title: Test"'
check "the unstaged change and the untracked file are left alone" \
    '[ "$(git diff --name-only)" = content/other/_index.md ] && grep -q unstaged content/other/_index.md && [ -f notes.txt ]'
check "git status shows nothing else (the index has the new files)" \
    '[ "$(git status --porcelain | tr "\n" " ")" = " M content/other/_index.md M  site.yaml ?? notes.txt " ]' "$(git status --porcelain)"

# --- the same export again, then a newer one ---
before=$(state)
run "$tmp/ChatExport_2024-08-01"
check "a second import succeeds" '[ $rc -eq 0 ]' "$(said)"
check "a second import says all is there" \
    '[ "$(cat "$tmp/out")" = "imported 0 messages into content/test-channel/ (2 service messages skipped, 10 already there); 0 commits" ]' "$(said)"
check "a second import adds no file and no commit" '[ "$(state)" = "$before" ]'

python3 "$helper" export "$tmp/ChatExport_2024-09-01" more
files_before=$(git ls-files | wc -l)
run "$tmp/ChatExport_2024-09-01"
check "a newer export adds exactly its new message" \
    '[ $rc -eq 0 ] && [ "$(git rev-list --count $init..HEAD)" = 11 ] && [ "$(git ls-files | wc -l)" = $((files_before + 1)) ] && [ -f content/test-channel/13.md ]' "$(said)"
check "the new post's reply links to a post of the first import" \
    'grep -qF "[In reply to message 9](<9.md>)" content/test-channel/13.md' "$(cat content/test-channel/13.md)"
check "its commit has its date" '[ "$(git log -1 --format=%aI)" = 2024-08-13T20:00:00+02:00 ]'

# --- the built site ---
"$gazette" build -o "$tmp/public" >"$tmp/build" 2>&1
brc=$?
check "the site builds" '[ $brc -eq 0 ]' "$(cat "$tmp/build")"
python3 "$helper" html "$tmp/public" test-channel more >"$tmp/html" 2>&1
cat "$tmp/html"
grep -q '^not ok' "$tmp/html" && fail=1

# --- a failure while writing: every file written is removed ---
mkdir -p content/failing && printf 'in the way\n' >content/failing/7
before=$(state)
run "$tmp/ChatExport_2024-08-01" --channel failing
check "a failure while writing (a file where a post's folder goes) is an error" \
    '[ $rc -eq 2 ] && grep -q "content/failing/7: is in the way" "$tmp/err"' "$(said)"
check "... and leaves every file, HEAD and the index as they were" \
    '[ "$(state)" = "$before" ]' "$(ls -R content/failing)"
rm -rf content/failing

# --- refusals: nothing written ---
before=$(state)
# hostile EXPORT: a fresh one per case in $tmp/bad
bad() { rm -rf "$tmp/bad"; mkdir -p "$tmp/bad/photos"; printf '%s\n' "$1" >"$tmp/bad/result.json"; }
msg() { # msg ID FIELDS: one message as the exporter writes it
    printf '{"id": %s, "type": "message", "date": "2024-03-01T10:00:00", "date_unixtime": "1709276400"%s, "text": "m%s"}' "$1" "$2" "$1"
}
export_of() { printf '{\n "name": "Bad",\n "type": "public_channel",\n "id": 7,\n "messages": [\n  %s\n ]\n}' "$1"; }

m101='{"id": 101, "type": "message" "date": "2024-03-01T10:00:00"}'
m=$(msg 100 "")
bad "$(export_of "$m,
  $m101")"
run "$tmp/bad" --channel bad
check "malformed JSON: exit status 1" '[ $rc -eq 1 ]' "$(said)"
check "malformed JSON: the error names result.json:line:col" \
    'grep -q "^$tmp/bad/result.json:7:38: " "$tmp/err"' "$(said)"
check "malformed JSON: nothing written" '[ "$(state)" = "$before" ] && [ ! -e content/bad ]'

m=$(msg 100 "")
bad "$(export_of "$m")"
head -c 120 "$tmp/bad/result.json" >"$tmp/bad/cut" && mv "$tmp/bad/cut" "$tmp/bad/result.json"
run "$tmp/bad" --channel bad
check "a cut-off export: exit status 1, line:col, nothing written" \
    '[ $rc -eq 1 ] && grep -q "result.json:[0-9]*:[0-9]*: " "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

bad '[1, 2]'
run "$tmp/bad" --channel bad
check "JSON that is no chat export is refused" \
    '[ $rc -eq 1 ] && grep -q "result.json:1:1: expected a JSON object" "$tmp/err"' "$(said)"

bad '{"name": "Whole account", "chats": {"list": []}}'
run "$tmp/bad" --channel bad
check "an export of a whole account is refused, saying why" \
    '[ $rc -eq 1 ] && grep -q "no \"messages\"" "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

printf 'secret\n' >"$tmp/outside.png"
m=$(msg 100 ', "photo": "../outside.png"')
bad "$(export_of "$m")"
run "$tmp/bad" --channel bad
check "a media path with ../ is refused, nothing written" \
    '[ $rc -eq 1 ] && grep -q "message 100: photo \"../outside.png\": refused" "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

m=$(msg 100 ', "file": "/etc/passwd"')
bad "$(export_of "$m")"
run "$tmp/bad" --channel bad
check "an absolute media path is refused" \
    '[ $rc -eq 1 ] && grep -q "message 100: file \"/etc/passwd\": refused" "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

m=$(msg 100 ', "photo": "photos/link.png"')
bad "$(export_of "$m")"
ln -s "$tmp/outside.png" "$tmp/bad/photos/link.png"
run "$tmp/bad" --channel bad
check "a media file that is a symlink out of the export is refused" \
    '[ $rc -eq 1 ] && grep -q "message 100: photo \"photos/link.png\": refused" "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

mkdir -p "$tmp/elsewhere" && cp "$tmp/outside.png" "$tmp/elsewhere/x.png"
m=$(msg 100 ', "photo": "linked/x.png"')
bad "$(export_of "$m")"
ln -s "$tmp/elsewhere" "$tmp/bad/linked"
run "$tmp/bad" --channel bad
check "a media path through a symlinked folder is refused" \
    '[ $rc -eq 1 ] && grep -q "message 100: photo \"linked/x.png\": refused, it goes through a symlink" "$tmp/err" && [ "$(state)" = "$before" ]' "$(said)"

m=$(msg 100 ', "photo": "photos/missing.png"')
bad "$(export_of "$m")"
run "$tmp/bad" --channel bad
check "a media file missing from the export is an error" \
    '[ $rc -eq 1 ] && grep -q "message 100: photo \"photos/missing.png\": not in the export folder" "$tmp/err"' "$(said)"

rest='{"id": 101, "type": "message", "text": "no date"},
  {"type": "message", "date": "2024-03-01T10:00:00", "text": "no id"},
  {"id": 103, "date": "2024-03-01T10:00:00", "text": "no type"},
  {"id": 104, "type": "message", "date": "yesterday", "text": "bad date"}'
m=$(msg 100 "")
bad "$(export_of "$m,
  $rest")"
run "$tmp/bad" --channel bad
check "missing fields: exit status 1, nothing written" \
    '[ $rc -eq 1 ] && [ "$(state)" = "$before" ]' "$(said)"
check "missing fields: each error names its message" \
    'grep -q ":7:3: message 101: no \"date\"" "$tmp/err" && grep -q ":8:3: a message without a numeric \"id\"" "$tmp/err" && grep -q ":9:3: message 103: no \"type\"" "$tmp/err" && grep -q "message 104: \"date\": expected a date" "$tmp/err"' "$(said)"

m=$(msg 100 ', "text_entities": [{"type": "bold", "text": "b"}, 7, {"text": "no type"}, {"type": "plain"}]')
bad "$(export_of "$m")"
run "$tmp/bad" --channel parts
check "text parts without type or text are notes, not a crash" \
    '[ $rc -eq 0 ] && [ "$(grep -c "message 100: part [0-9] of its text" "$tmp/err")" = 3 ] && grep -q "^\*\*b\*\*$" content/parts/100.md' "$(said)"
undo_import parts

# Telegram Desktop writes control characters as "\xHH", which is not
# JSON: read as "\u00HH".
m='{"id": 100, "type": "message", "date": "2024-03-01T10:00:00", "date_unixtime": "1709276400", "text": "a\x0Bb"}'
bad "$(export_of "$m")"
run "$tmp/bad" --channel xescape
check "Telegram Desktop's x-escapes (control characters) are read" '[ $rc -eq 0 ] && [ -f content/xescape/100.md ]' "$(said)"
undo_import xescape

# An old export (before date_unixtime): dates as UTC, one note.
m='{"id": 100, "type": "message", "date": "2024-03-01T10:00:00", "text": "old"}'
bad "$(export_of "$m")"
run "$tmp/bad" --channel old
check "an export without date_unixtime: dates as UTC, one note" \
    '[ $rc -eq 0 ] && grep -qx "date: 2024-03-01T10:00:00+00:00" content/old/100.md && grep -q "note: message 100: no \"date_unixtime\"" "$tmp/err"' "$(said)"
undo_import old
check "(the site is back as it was for the next checks)" '[ "$(state)" = "$before" ]'

# --- usage ---
m=$(msg 100 "")
bad "$(export_of "$m")"
for ch in ../up a/b .hidden _x tags ""; do
    run "$tmp/bad" --channel "$ch"
    check "--channel \"$ch\" is refused (exit status 2), nothing written" \
        '[ $rc -eq 2 ] && [ "$(state)" = "$before" ]' "$(said)"
done
run "$tmp/nowhere"
check "a missing EXPORT is bad usage" '[ $rc -eq 2 ]' "$(said)"
ln -s "$tmp/outside.png" "$tmp/bad/result.json.link"
rm "$tmp/bad/result.json" && mv "$tmp/bad/result.json.link" "$tmp/bad/result.json"
run "$tmp/bad" --channel bad
check "a result.json that is a symlink is refused" \
    '[ $rc -ne 0 ] && [ "$(state)" = "$before" ]' "$(said)"
m=$(msg 100 "")
bad "$(export_of "$m")"
run "$tmp/bad/result.json" --channel viafile
check "EXPORT may name result.json itself" \
    '[ $rc -eq 0 ] && [ -f content/viafile/100.md ]' "$(said)"
undo_import viafile
(cd "$tmp" && "$gazette" import telegram -C site bad --channel relative >"$tmp/out" 2>"$tmp/err"); rc=$?
check "with -C, EXPORT is relative to where gazette was started" \
    '[ $rc -eq 0 ] && [ -f content/relative/100.md ]' "$(said)"
undo_import relative

mkdir -p "$tmp/norepo/content"
(cd "$tmp/norepo" && "$gazette" import telegram "$tmp/bad" >"$tmp/out" 2>"$tmp/err"); rc=$?
check "a site in no git repository is bad usage, nothing written" \
    '[ $rc -eq 2 ] && [ -z "$(ls "$tmp/norepo/content")" ]' "$(said)"
mkdir -p "$tmp/nosite" && git -C "$tmp/nosite" init -q
(cd "$tmp/nosite" && "$gazette" import telegram "$tmp/bad" >"$tmp/out" 2>"$tmp/err"); rc=$?
check "a folder with no content/ is bad usage" '[ $rc -eq 2 ]' "$(said)"

# An unborn branch: the first commit is the import's.
mkdir -p "$tmp/unborn/content" && git -C "$tmp/unborn" init -q
(cd "$tmp/unborn" && "$gazette" import telegram "$tmp/bad" >"$tmp/out" 2>"$tmp/err"); rc=$?
check "on an unborn branch the import makes the first commit" \
    '[ $rc -eq 0 ] && [ "$(git -C "$tmp/unborn" rev-list --count HEAD)" = 1 ] && [ "$(git -C "$tmp/unborn" ls-files | tr "\n" " ")" = "content/bad/100.md content/bad/_index.md " ]' "$(said)"

exit $fail
