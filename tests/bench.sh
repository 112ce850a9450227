#!/bin/sh
# make bench: builds a generated site of N posts (default 5000) in 10
# channels, in a real git repository, and prints the times of a cold build,
# a rebuild with nothing changed and a rebuild after one post changed; then
# the same content with Hugo, when it is installed, for comparison.
# Usage: sh tests/bench.sh [N]
n=${1:-5000}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org

site="$tmp/site"
mkdir -p "$site"
printf 'title: Bench\nbase_url: https://example.org/\nper_page: 10\n' \
    >"$site/site.yaml"
python3 - "$site" "$n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
body = ("Some *Markdown* text with a [link](https://example.org/) and "
        "`code`, long enough to be a paragraph of a real post.\n\n"
        "- one\n- two\n- three\n\n> a quote\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n")
for c in range(10):
    os.makedirs(f"{root}/content/ch{c}", exist_ok=True)
    with open(f"{root}/content/ch{c}/_index.md", "w") as f:
        f.write(f"---\ntitle: Channel {c}\n---\nAbout channel {c}.\n")
for i in range(n):
    day = 1 + i % 28
    with open(f"{root}/content/ch{i % 10}/post-{i}.md", "w") as f:
        f.write(f"---\ntitle: Post {i}\ndate: 2024-{1 + i % 12:02d}-{day:02d}"
                f"T10:{i % 60:02d}:00Z\n---\n" + body * 3)
PY
(cd "$site" && git init -q -b main . && git add -A &&
    git commit -qm bench) || exit 1

# seconds CMD...: wall-clock seconds of one run.
seconds() {
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || echo "failed: $*" >&2
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l | awk '{ printf "%.3f", $1 }'
}

echo "site: $n posts in 10 channels ($(nproc) cores)"
cold=$(seconds "$top/gazette" build -C "$site" -o "$tmp/out")
files=$(find "$tmp/out" -type f | wc -l)
warm=$(seconds "$top/gazette" build -C "$site" -o "$tmp/out")
echo "changed" >>"$site/content/ch3/post-3.md"
one=$(seconds "$top/gazette" build -C "$site" -o "$tmp/out")
single=$(seconds "$top/gazette" build -C "$site" -o "$tmp/out1" -j 1)
echo "gazette build, cold:                 ${cold} s ($files files, $(echo "$n / $cold" | bc) posts/s)"
echo "gazette build, cold, -j 1:           ${single} s"
echo "gazette rebuild, nothing changed:    ${warm} s"
echo "gazette rebuild, one post changed:   ${one} s"

if command -v hugo >/dev/null; then
    h="$tmp/hugo"
    mkdir -p "$h/layouts/_default"
    cp -R "$site/content" "$h/"
    printf 'baseURL = "https://example.org/"\ntitle = "Bench"\npaginate = 10\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\n' >"$h/config.toml"
    cat >"$h/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="en"><head><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
    cat >"$h/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>{{ .Content }}{{ end }}
HTML
    cat >"$h/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}{{ end }}{{ end }}
HTML
    cp "$h/layouts/_default/list.html" "$h/layouts/index.html"
    hcold=$(seconds hugo -s "$h" -d "$tmp/hout")
    hwarm=$(seconds hugo -s "$h" -d "$tmp/hout")
    echo "hugo $(hugo version | awk '{print $2}'), cold:            ${hcold} s ($(find "$tmp/hout" -type f | wc -l) files)"
    echo "hugo rebuild, nothing changed:       ${hwarm} s"
    echo "gazette is $(echo "$hcold / $cold" | bc -l | awk '{printf "%.1f", $1}')x as fast as hugo (cold)"
else
    echo "hugo is not installed: no comparison (apt-get install hugo)"
fi
