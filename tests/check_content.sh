#!/bin/sh
# check_content.sh: checks the example site in content/ against the raw
# Telegram dumps it was made from. Run from the repository root.
#
# Prints TAP-like lines (`ok - NAME`, `not ok - NAME`, `ok - NAME # SKIP WHY`)
# and `# ...` comment lines with details, then the plan `1..N`; exits 1 if
# any failed.
#
#   1. every ```python block in content/**/*.md compiles (python3 -m py_compile)
#   2. each channel holds as many posts as its dump (hashtag lines count posts)
#   3. every word of each dump appears in its channel's posts (or the article)
#   4. every .md file opens front matter with `---` on line 1 and closes it
#
# Checks 2 and 3 need the dumps in ${GZ_SHARED:-../shared}/seeds/; without
# them they are skipped (a user's clone has no ../shared).

LC_ALL=C
export LC_ALL

CONTENT=content
SEEDS="${GZ_SHARED:-../shared}/seeds"

# Which channel folder each dump became.
DUMPS='000_6125f28e26f040f8.txt universe-mysteries
001_6f3a31005875d96f.txt token-unlocks
002_317dcfc60c4b0506.txt architecture-visuals
003_1d0ca0982d64781d.txt audi-electric
004_d00a9ff9bd8d9baa.txt ethiopia-news'

TMP=$(mktemp -d "${TMPDIR:-/tmp}/check_content.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM

# Results also go to $TMP/tap, for the plan: some are printed in subshells.
tap()    { printf '%s\n' "$1" | tee -a "$TMP/tap"; }
ok()     { tap "ok - $1"; }
notok()  { tap "not ok - $1"; }
skip()   { tap "ok - $1 # SKIP $2"; }
note()   { echo "# $1"; }

if [ ! -d "$CONTENT" ]; then
    notok "content/ exists (run from the repository root)"
    exit 1
fi

find "$CONTENT" -type f -name '*.md' | sort > "$TMP/md_files"

# ---------------------------------------------------------------------------
# Helpers

# Prints the body of a Markdown file: everything after its front matter.
body_of() {
    awk 'NR == 1 && $0 == "---" { fm = 1; next }
         fm && $0 == "---"      { fm = 0; next }
         !fm' "$1"
}

# Prints the channels a file's front matter lists, one a line; handles
# `channels: [a, b]` and a block list (`channels:` then `  - a` lines).
channels_of() {
    awk 'NR == 1 { if ($0 != "---") exit; next }
         $0 == "---" { exit }
         /^channels:/ {
             v = $0; sub(/^channels:[ \t]*/, "", v)
             if (v ~ /^\[/) {
                 gsub(/[][\"'"'"' \t]/, "", v)
                 n = split(v, a, ",")
                 for (i = 1; i <= n; i++) if (a[i] != "") print a[i]
             } else if (v != "") {
                 gsub(/[\"'"'"' \t]/, "", v); print v
             }
             inlist = 1; next
         }
         inlist && /^[ \t]*-[ \t]/ {
             v = $0; sub(/^[ \t]*-[ \t]*/, "", v)
             gsub(/[\"'"'"' \t]/, "", v); print v; next
         }
         { inlist = 0 }' "$1"
}

# Posts of a dump: its hashtag lines. A hashtag line starts with `#`, or
# ends in a URL with hashtags glued to it (the Ethiopia dump). A line of
# hashtags right after a hashtag line continues it (the architecture dump's
# `#archisource #` goes on on the next line), so it is not a post of its own.
dump_posts() {
    awk '{
             lead = ($0 ~ /^#[^ \t]/)
             tag = lead || ($0 ~ /https?:\/\/[^ \t]*#[^ \t#]+$/)
             if (tag && !(lead && prev)) n++
             prev = tag
         }
         END { print n + 0 }' "$1"
}

# Splits text into the words check 3 compares: whitespace-separated tokens,
# cut before every `#` (glued hashtags, hashtags glued to URLs), without a
# trailing `\` (a Markdown hard line break), without bullet marks (`•`, a
# leading `▫️`) that became Markdown list items. One word a line.
words_of() {
    awk '{
             gsub(/#/, " #")
             for (i = 1; i <= NF; i++) {
                 w = $i
                 if (w == "\\") continue
                 if (length(w) > 1 && substr(w, length(w)) == "\\")
                     w = substr(w, 1, length(w) - 1)
                 while (index(w, "\342\226\253") == 1) {      # ▫ U+25AB
                     w = substr(w, 4)
                     if (index(w, "\357\270\217") == 1)       # U+FE0F
                         w = substr(w, 4)
                 }
                 if (w == "" || w == "\342\200\242") continue  # •
                 print w
             }
         }'
}

# ---------------------------------------------------------------------------
# 1. Python blocks compile.

if ! command -v python3 >/dev/null 2>&1; then
    skip "python blocks compile" "python3 not found"
else
    nblocks=0
    while IFS= read -r f; do
        base=$(printf '%s' "$f" | tr '/' '_')
        # Writes each ```python block of f to $TMP/<base>.<n>.py and prints
        # "n line" (line of its opening fence) for each.
        awk -v out="$TMP/$base" '
            !inb && /^ *```[ \t]*python[ \t]*$/ {
                inb = 1; n++; file = out "." n ".py"
                printf "" > file; print n, NR; next
            }
            inb && /^ *```[ \t]*$/ { inb = 0; close(file); next }
            inb { print > file }' "$f" > "$TMP/blocks"
        while read -r n line; do
            nblocks=$((nblocks + 1))
            py="$TMP/$base.$n.py"
            if err=$(python3 -m py_compile "$py" 2>&1); then
                ok "python block compiles: $f:$line"
            else
                notok "python block compiles: $f:$line"
                printf '%s\n' "$err" | sed 's/^/#   /'
            fi
        done < "$TMP/blocks"
    done < "$TMP/md_files"
    if [ "$nblocks" -eq 0 ]; then
        skip "python blocks compile" "no \`\`\`python block in $CONTENT/"
    fi
fi

# ---------------------------------------------------------------------------
# Posts directly under content/ (cross-posted) and the channels they list.

: > "$TMP/shared_posts"
for f in "$CONTENT"/*.md; do
    [ -f "$f" ] || continue
    channels_of "$f" | while IFS= read -r c; do
        printf '%s %s\n' "$c" "$f"
    done >> "$TMP/shared_posts"
done

# Cross-posted files listing channel $1, one a line.
shared_for() {
    awk -v c="$1" '$1 == c { print $2 }' "$TMP/shared_posts"
}

# ---------------------------------------------------------------------------
# 2. and 3. Against the dumps.

if [ ! -d "$SEEDS" ]; then
    printf '%s\n' "$DUMPS" | while read -r dump chan; do
        skip "post count of $chan matches $dump" "seeds not found at $SEEDS"
        skip "words of $dump survive in $chan" "seeds not found at $SEEDS"
    done
else
    # Dumps present but not mapped to a channel.
    for d in "$SEEDS"/*.txt; do
        [ -f "$d" ] || continue
        name=${d##*/}
        if printf '%s\n' "$DUMPS" | awk -v n="$name" '$1 == n { f = 1 } END { exit !f }'; then
            :
        else
            notok "dump $name is mapped to a channel folder"
        fi
    done

    printf '%s\n' "$DUMPS" | while read -r dump chan; do
        d="$SEEDS/$dump"
        dir="$CONTENT/$chan"
        if [ ! -f "$d" ]; then
            notok "post count of $chan matches $dump"
            note "  dump not found: $d"
            notok "words of $dump survive in $chan"
            continue
        fi
        if [ ! -d "$dir" ]; then
            notok "post count of $chan matches $dump"
            note "  channel folder not found: $dir"
            notok "words of $dump survive in $chan"
            continue
        fi

        # 2. Post count: the dump's posts (the cross-posted article
        # included) against the folder's posts plus the cross-posted ones
        # that list this channel.
        want=$(dump_posts "$d")
        own=$(find "$dir" -type f -name '*.md' ! -name '_index.md' | wc -l)
        shared=$(shared_for "$chan" | wc -l)
        own=$((own + 0)); shared=$((shared + 0))
        have=$((own + shared))
        if [ "$want" -eq "$have" ] && [ "$shared" -ge 1 ]; then
            ok "post count of $chan matches $dump ($want = $own posts + $shared cross-posted)"
        else
            notok "post count of $chan matches $dump"
            note "  dump has $want posts; $dir has $own posts, $shared cross-posted article(s) list $chan"
        fi

        # 3. Every word of the dump appears in the channel's posts (bodies,
        # not _index.md) or in a cross-posted article listing it.
        {
            find "$dir" -type f -name '*.md' ! -name '_index.md' | sort
            shared_for "$chan"
        } > "$TMP/files"
        while IFS= read -r f; do body_of "$f"; done < "$TMP/files" \
            | words_of | sort -u > "$TMP/have_words"
        words_of < "$d" | sort -u > "$TMP/want_words"
        comm -23 "$TMP/want_words" "$TMP/have_words" > "$TMP/missing"
        if [ -s "$TMP/missing" ]; then
            notok "words of $dump survive in $chan"
            note "  $(wc -l < "$TMP/missing" | tr -d ' ') word(s) missing, e.g.:"
            head -n 10 "$TMP/missing" | sed 's/^/#     /'
        else
            ok "words of $dump survive in $chan ($(wc -l < "$TMP/want_words" | tr -d ' ') distinct words)"
        fi
    done
fi

# ---------------------------------------------------------------------------
# 4. Front matter opens on line 1 and closes.

bad=0
while IFS= read -r f; do
    if awk 'NR == 1 { if ($0 != "---") exit 1; next }
            $0 == "---" { closed = 1; exit 0 }
            END { exit !closed }' "$f"; then
        :
    else
        bad=$((bad + 1))
        note "  $f: front matter must open with '---' on line 1 and close with '---'"
    fi
done < "$TMP/md_files"
total=$(wc -l < "$TMP/md_files" | tr -d ' ')
if [ "$total" -eq 0 ]; then
    notok "front matter of every .md file (no .md files in $CONTENT/)"
elif [ "$bad" -eq 0 ]; then
    ok "front matter of every .md file ($total files)"
else
    notok "front matter of every .md file ($bad of $total bad)"
fi

echo "1..$(wc -l < "$TMP/tap" | tr -d ' ')"
! grep -q '^not ok' "$TMP/tap"
