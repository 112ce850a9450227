#!/bin/sh
# Real sites moved in from other generators (issue 11): the fixtures
# tests/fixtures/jekyll-blog (a Jekyll blog under a path prefix) and
# tests/fixtures/hugo-blog (a Hugo section with nested sections and page
# bundles) are each made a git repository with fixed dates, built, and
# checked:
#   - the build exits 0 and `gazette check` exits 0;
#   - tests/check_links.py finds no broken link and no missing #fragment;
#   - every file of content/ and static/ is accounted for: a Markdown file
#     has a page (found by the marker JK-nn / HG-nn each one holds), any
#     other file is in the output with the same bytes (static/ files at
#     the output root), or else the build's stderr names it;
#   - every `aliases:` / `redirect_from:` path is a redirect page to its
#     post;
#   - then the features each fixture uses: permalink:/url:, site.yaml
#     permalinks, dates (front matter, Jekyll file names, lastmod), tags:
#     as a string, {#id} headings, {: .note}, description:, <!--more-->,
#     bundles, hashtags: front_matter, template syntax warnings.
# Prints the plan, then one TAP line per check; exits 1 if any failed.
top=$(cd "$(dirname "$0")/.." && pwd)
gazette=${GAZETTE:-$top/gazette}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp" TZ=UTC LC_ALL=C.UTF-8
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org

# site NAME BASE_PATH: makes a repository of tests/fixtures/NAME (one
# commit at a fixed date), builds it into $tmp/NAME/out and runs
# check_links.py and `gazette check`, keeping each exit status and output.
site() {
    d="$tmp/$1"
    mkdir -p "$d"
    cp -R "$top/tests/fixtures/$1" "$d/site"
    (cd "$d/site" && git init -q -b main . && git add -A &&
        GIT_AUTHOR_DATE=2024-06-30T12:00:00+00:00 \
        GIT_COMMITTER_DATE=2024-06-30T12:00:00+00:00 git commit -qm import)
    "$gazette" build -C "$d/site" -o "$d/out" -j 2 -q >"$d/build.out" 2>"$d/build.err"
    echo $? >"$d/build.rc"
    python3 "$top/tests/check_links.py" "$d/out" "$2" >"$d/links.log" 2>&1
    echo $? >"$d/links.rc"
    "$gazette" check -C "$d/site" -j 2 -q >"$d/check.log" 2>&1
    echo $? >"$d/check.rc"
}
site jekyll-blog /notebook/
site hugo-blog /

# The checks, in Python (standard library only): one TAP line each, the
# plan first; each failure is followed by "# " lines saying what was wrong.
cat >"$tmp/checks.py" <<'EOF'
import html.parser
import os
import re
import sys
import traceback
import urllib.parse
from datetime import datetime

TMP = sys.argv[1]
MARKER = re.compile(r"\b(?:JK|HG)-[0-9]{2}\b")  # one in each Markdown file
DIAG = re.compile(r"^[^:\s]+:\d+:\d+: ")  # path:line:col: message
results = []


def check(name, fn, site=None):
    """One TAP result: fn() gives the problems (ok when there is none). A
    check that needs the output fails at once when site has none; one that
    raises fails with its traceback."""
    if site is not None and not site.built:
        problems = ["no output: the build failed"]
    else:
        try:
            problems = list(fn())
        except Exception:
            problems = traceback.format_exc().splitlines()
    results.append((name, problems))


def none_to_check(items, what):
    """A problem when a feature check found nothing of the fixture to check
    (the fixture lost what it exercises)."""
    return [] if items else [f"the fixture has no {what} (nothing was checked)"]


class Page(html.parser.HTMLParser):
    """What the checks read in an HTML page: its text, ids, classes, link
    targets, <time datetime>s, named metas and meta refresh URL."""

    def __init__(self, raw):
        super().__init__(convert_charrefs=True)
        self.raw, self.words, self.ids, self.classes = raw, [], set(), set()
        self.hrefs, self.times, self.meta, self.refresh = [], [], {}, None
        self.feed(raw)
        self.close()
        self.text = squeeze(" ".join(self.words))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "p":
            self.classes.update(a.get("class", "").split())
        if a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])
        if tag == "meta":
            if a.get("name") or a.get("property"):
                self.meta[a.get("name") or a.get("property")] = a.get("content", "")
            if a.get("http-equiv", "").lower() == "refresh":
                m = re.search(r"url\s*=\s*['\"]?([^'\"]*)", a.get("content", ""), re.I)
                self.refresh = m.group(1).strip() if m else ""

    def handle_data(self, data):
        self.words.append(data)


def squeeze(s):
    return " ".join(s.split())


def front_matter(path):
    """A Markdown file's front matter fields (a small reader: scalars,
    [flow, lists] and block lists are enough here) and its body."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        return {}, "\n".join(lines)
    end = lines.index("---", 1)
    fields, key = {}, None
    for line in lines[1:end]:
        m = re.match(r"^([A-Za-z_][\w-]*):\s*(.*)$", line)
        item = re.match(r"^\s+-\s+(.*)$", line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if value.startswith("[") and value.endswith("]"):
                value = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
            fields[key] = [] if value == "" else value if isinstance(value, list) \
                else value.strip("'\"")
        elif item and isinstance(fields.get(key), list):
            fields[key].append(item.group(1).strip().strip("'\""))
    return fields, "\n".join(lines[end + 1:])


def as_list(v):
    return [] if v is None else v if isinstance(v, list) else [v]


def when(s):
    """A front matter date as (the instant, or None when it names no
    offset or no time; its date and time as written, YYYY-MM-DD[THH:MM])."""
    m = re.match(r"^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d)(:\d\d)?"
                 r"(?:\s*([+-]\d\d):?(\d\d)|\s*(Z))?)?$", s)
    if not m:
        return None, s
    day, hm, sec, oh, om, z = m.groups()
    if not hm:
        return None, day
    written = f"{day}T{hm}"
    if not (oh or z):
        return None, written
    off = f"{oh}:{om}" if oh else "+00:00"
    return datetime.fromisoformat(f"{written}{sec or ':00'}{off}"), written


def instant(iso):
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None


def read(path, mode="r"):
    if "b" in mode:
        with open(path, "rb") as f:
            return f.read()
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


class Site:
    """A fixture and its build: files, front matter, pages, stderr."""

    def __init__(self, name, base):
        d = os.path.join(TMP, name)
        self.name, self.base, self.dir = name, base, d
        self.src, self.out = os.path.join(d, "site"), os.path.join(d, "out")
        self.rc = int(read(os.path.join(d, "build.rc")))
        self.stderr = read(os.path.join(d, "build.err")).splitlines()
        self.built = os.path.isdir(self.out)
        self.md, self.others = {}, []
        for root, dirs, files in os.walk(self.src):
            dirs[:] = sorted(x for x in dirs if x != ".git")
            for f in sorted(files):
                rel = os.path.relpath(os.path.join(root, f), self.src)
                if not rel.startswith(("content/", "static/")):
                    continue
                if rel.endswith((".md", ".markdown")):
                    fields, body = front_matter(os.path.join(root, f))
                    marks = MARKER.findall(body)
                    self.md[rel] = {"fields": fields, "body": body,
                                    "marker": marks[0] if len(marks) == 1 else None}
                else:
                    self.others.append(rel)
        self.posts = [r for r in self.md if os.path.basename(r) != "_index.md"]
        self.pages = {}
        if self.built:
            for root, dirs, files in os.walk(self.out):
                dirs[:] = sorted(x for x in dirs if x != ".gazette")
                for f in sorted(files):
                    if f.endswith(".html"):
                        rel = os.path.relpath(os.path.join(root, f), self.out)
                        self.pages[rel] = Page(read(os.path.join(root, f)))

    def fields(self, rel):
        return self.md[rel]["fields"]

    def named(self, rel):
        """Whether stderr names a file: a diagnostic about it (rel:line:col:)
        or another line that holds its path."""
        return any(l.startswith(rel + ":") or (not DIAG.match(l) and rel in l)
                   for l in self.stderr)

    def holding(self, rel):
        """The pages whose text holds a Markdown file's marker."""
        marker = self.md[rel]["marker"] if rel in self.md else None
        return sorted(p for p, page in self.pages.items() if marker and marker in page.text)

    def post_page(self, rel):
        """A post's page: it holds the post's marker and is an article."""
        found = self.holding(rel)
        articles = [p for p in found if self.pages[p].meta.get("og:type") == "article"]
        return (articles or found or [None])[0]

    def page_at(self, path):
        """The output page of a URL path below the base path, or None."""
        rel = path.lstrip("/")
        rel = rel + "index.html" if rel == "" or rel.endswith("/") else rel
        return rel if rel in self.pages else None

    def holds(self, path, rel):
        """Whether the page at a URL path is the page of the post rel."""
        at = self.page_at(path)
        return bool(at and self.md[rel]["marker"] in self.pages[at].text)

    def url_of(self, page):
        d = os.path.dirname(page)
        return self.base + (d + "/" if d else "")

    def log(self, what):
        return read(os.path.join(self.dir, what + ".log")).splitlines()

    def status(self, what):
        return int(read(os.path.join(self.dir, what + ".rc")))


def common(s):
    """The checks both fixtures get."""
    n = s.name
    tail = [f"stderr: {l}" for l in s.stderr[-15:]]

    check(f"{n}: gazette build exits 0",
          lambda: [] if s.rc == 0 else [f"exit status {s.rc}"] + tail)

    check(f"{n}: check_links.py {s.base}: no broken link and no missing #fragment",
          lambda: [] if s.status("links") == 0 else s.log("links")[-40:], s)

    def markdown():
        problems = []
        for rel, m in s.md.items():
            if not m["marker"]:
                problems.append(f"{rel}: the fixture file holds no single JK-nn/HG-nn marker")
            elif not s.holding(rel) and not s.named(rel):
                problems.append(f"{rel}: no page holds its marker {m['marker']}, "
                                "and stderr does not name it")
        return problems
    check(f"{n}: every Markdown file of content/ has a page, or the build names it",
          markdown, s)

    def files():
        problems = []
        for rel in s.others:
            data = read(os.path.join(s.src, rel), "rb")
            if rel.startswith("static/"):
                want = os.path.join(s.out, rel[len("static/"):])
                ok = os.path.isfile(want) and read(want, "rb") == data
                where = "at " + rel[len("static/"):]
            else:
                name, ok, where = os.path.basename(rel), False, "anywhere"
                for root, dirs, names in os.walk(s.out):
                    dirs[:] = [x for x in dirs if x != ".gazette"]
                    if name in names and read(os.path.join(root, name), "rb") == data:
                        ok = True
            if not ok and not s.named(rel):
                problems.append(f"{rel}: not in the output {where} with the same bytes, "
                                "and stderr does not name it")
        return problems
    check(f"{n}: every other file of content/ and static/ is published as it is, "
          "or the build names it", files, s)

    def redirects():
        problems, seen = [], []
        for rel in s.posts:
            f = s.fields(rel)
            aliases = as_list(f.get("aliases")) + as_list(f.get("redirect_from"))
            seen += aliases
            if not aliases:
                continue
            target = s.post_page(rel)
            if not target:
                problems.append(f"{rel}: no post page to redirect to")
                continue
            want = s.url_of(target)
            for a in aliases:
                at = s.page_at(a)
                if not at:
                    problems.append(f"{rel}: no redirect page at {a}")
                    continue
                ref = s.pages[at].refresh
                if ref is None:
                    problems.append(f"{rel}: {a} has no <meta http-equiv=\"refresh\">")
                    continue
                got = urllib.parse.urlsplit(urllib.parse.urljoin(
                    "https://example.org" + s.base + at, ref)).path
                if re.sub(r"index\.html$", "", got) != want:
                    problems.append(f"{rel}: {a} redirects to {ref!r}, not to the post at {want}")
        return none_to_check(seen, "aliases: or redirect_from:") + problems
    check(f"{n}: every aliases:/redirect_from: path is a redirect page to its post",
          redirects, s)

    check(f"{n}: gazette check exits 0",
          lambda: [] if s.status("check") == 0
          else [f"exit status {s.status('check')}"] + s.log("check")[-20:])

    def permalink():
        problems, seen = [], []
        for rel in s.posts:
            url = s.fields(rel).get("permalink") or s.fields(rel).get("url")
            if url:
                seen.append(rel)
                if not s.holds(url, rel):
                    problems.append(f"{rel}: its page is not at {url} "
                                    f"(it is at {s.post_page(rel)})")
        return none_to_check(seen, "permalink: or url:") + problems
    check(f"{n}: a post with permalink: or url: is at that URL", permalink, s)

    def dates():
        problems, seen = [], []
        for rel in s.posts:
            date = s.fields(rel).get("date")
            if not date:
                continue
            seen.append(rel)
            page = s.post_page(rel)
            if not page or not s.pages[page].times:
                problems.append(f"{rel}: no post page with a <time datetime>")
                continue
            got = s.pages[page].times[0]
            exact, written = when(date)
            if not (instant(got) == exact if exact else got.startswith(written)):
                problems.append(f"{rel}: date: {date} shows as {got}")
        return none_to_check(seen, "date:") + problems
    check(f"{n}: date: (YYYY-MM-DD HH:MM, also with :SS and ±hhmm) is the post's date",
          dates, s)

    def lastmod():
        problems, seen = [], []
        for rel in s.posts:
            value = s.fields(rel).get("lastmod")
            if not value:
                continue
            seen.append(rel)
            page = s.post_page(rel)
            times = s.pages[page].times if page else []
            if not any(t.startswith(when(value)[1]) for t in times[1:]):
                problems.append(f"{rel}: lastmod: {value} is not shown as its update "
                                f"(the page's times: {times})")
        return none_to_check(seen, "lastmod:") + problems
    check(f"{n}: lastmod: is shown as the post's update", lastmod, s)

    def tags():
        problems, seen = [], []
        for rel in s.posts:
            page = s.post_page(rel)
            for tag in as_list(s.fields(rel).get("tags")):
                seen.append(tag)
                slug = tag.casefold()
                if f"tags/{slug}/index.html" not in s.pages:
                    problems.append(f"{rel}: tags: {tag} has no page tags/{slug}/")
                href = f"tags/{urllib.parse.quote(slug)}/"
                if page and not any(h.endswith(href) for h in s.pages[page].hrefs):
                    problems.append(f"{rel}: its page does not link to tags/{slug}/")
        return none_to_check(seen, "tags:") + problems
    check(f"{n}: tags: (a string or a list) make tag pages that the posts link to",
          tags, s)

    def heading_ids():
        problems, seen = [], []
        for rel in s.md:
            ids = re.findall(r"(?m)^#{1,6} .*\{#([^}\s]+)\}\s*$", s.md[rel]["body"])
            if not ids:
                continue
            seen += ids
            page = s.post_page(rel)
            if not page:
                problems.append(f"{rel}: no page")
                continue
            problems += [f"{rel}: no element with id {i!r} on {page}"
                         for i in ids if i not in s.pages[page].ids]
            if "{#" in s.pages[page].text:
                problems.append(f"{rel}: {page} shows \"{{#\" as text")
        return none_to_check(seen, "{#id} heading") + problems
    check(f"{n}: a heading's {{#id}} sets its id and is not shown", heading_ids, s)

    def description():
        problems, seen = [], []
        for rel in s.posts:
            want = s.fields(rel).get("description")
            if not want:
                continue
            seen.append(rel)
            page = s.post_page(rel)
            got = s.pages[page].meta.get("description") if page else None
            if got is None or squeeze(got) != squeeze(want):
                problems.append(f"{rel}: the meta description is {got!r}, not {want!r}")
        return none_to_check(seen, "description:") + problems
    check(f"{n}: description: is the post page's meta description", description, s)

    def templates():
        problems, seen = [], []
        for rel in s.md:
            if not re.search(r"\{%|\{\{", s.md[rel]["body"]):
                continue
            seen.append(rel)
            if not any(l.startswith(rel + ":") and "warning" in l for l in s.stderr):
                problems.append(f"{rel}: holds Liquid/Hugo template syntax, "
                                "but no warning on stderr names it")
        return none_to_check(seen, "template syntax") + problems + (tail if problems else [])
    check(f"{n}: Liquid and Hugo template syntax gets a warning naming the file", templates)


def jekyll(s):
    n = s.name
    in_posts = [r for r in s.posts if "/_posts/" in r]

    def filename(rel):
        m = re.match(r"^(\d{4})-(\d\d)-(\d\d)-(.+)\.(?:md|markdown)$", os.path.basename(rel))
        if not m:
            raise ValueError(f"{rel}: not named YYYY-MM-DD-slug")
        return m.groups()

    def pattern():
        problems, seen = [], []
        for rel in in_posts:
            f = s.fields(rel)
            if f.get("permalink") or f.get("url"):
                continue
            seen.append(rel)
            y, m, d, slug = filename(rel)
            if f.get("date"):
                y, m, d = f["date"][:10].split("-")
            if not s.holds(f"/{y}/{m}/{d}/{slug}/", rel):
                problems.append(f"{rel}: its page is not at /{y}/{m}/{d}/{slug}/ "
                                f"(it is at {s.post_page(rel)})")
        return none_to_check(seen, "post in _posts/ without permalink:") + problems
    check(f"{n}: site.yaml permalinks: /:year/:month/:day/:slug/ with the file name's slug",
          pattern, s)

    def file_dates():
        problems, seen = [], []
        for rel in in_posts:
            if s.fields(rel).get("date"):
                continue
            seen.append(rel)
            y, m, d, _ = filename(rel)
            page = s.post_page(rel)
            got = s.pages[page].times[0] if page and s.pages[page].times else None
            if not got or not got.startswith(f"{y}-{m}-{d}"):
                problems.append(f"{rel}: dated {got}, not {y}-{m}-{d} as its file name says")
        return none_to_check(seen, "post without date:") + problems
    check(f"{n}: a post without date: takes the date in its file name (YYYY-MM-DD-slug)",
          file_dates, s)

    def ial():
        problems, seen = [], []
        for rel in s.md:
            classes = re.findall(r"(?m)^\{:\s*\.([\w-]+)\s*\}\s*$", s.md[rel]["body"])
            if not classes:
                continue
            seen += classes
            page = s.post_page(rel)
            if not page:
                problems.append(f"{rel}: no page")
                continue
            problems += [f"{rel}: no <p class=\"{c}\"> on {page}"
                         for c in classes if c not in s.pages[page].classes]
            if "{:" in s.pages[page].text:
                problems.append(f"{rel}: {page} shows \"{{:\" as text")
        return none_to_check(seen, "{: .class} line") + problems
    check(f"{n}: kramdown's {{: .note}} gives the paragraph its class and is not shown",
          ial, s)

    def front_matter_tags():
        problems = []
        if "tags/general/index.html" in s.pages:
            problems.append("tags/general/ exists")
        problems += [f"{p} links to tags/general/" for p, page in s.pages.items()
                     if any("tags/general" in h for h in page.hrefs)]
        return problems
    check(f"{n}: with hashtags: front_matter, #general in the text is not a tag",
          front_matter_tags, s)


def hugo(s):
    n = s.name

    def paths():
        problems, seen = [], []
        for rel in s.posts:
            if s.fields(rel).get("url"):
                continue
            path = re.sub(r"\.(md|markdown)$", "", rel[len("content/"):])
            path = re.sub(r"(^|/)index$", "", path)
            seen.append(path)
            if not s.holds(path + "/", rel):
                problems.append(f"{rel}: its page is not at /{path}/ "
                                f"(it is at {s.post_page(rel)})")
        return none_to_check([p for p in seen if p.count("/") > 2], "nested section") + problems
    check(f"{n}: posts in nested sections and bundles keep their folder path in the URL",
          paths, s)

    def bundles():
        problems, seen = [], []
        roots = [os.path.dirname(r) for r in s.md if os.path.basename(r) == "index.md"]
        for rel in s.others:
            bundle = max((b for b in roots if rel.startswith(b + "/")), key=len, default=None)
            if not bundle:
                continue
            seen.append(rel)
            page = s.post_page(bundle + "/index.md")
            if not page:
                problems.append(f"{rel}: its bundle has no page")
                continue
            want = os.path.join(os.path.dirname(page), os.path.relpath(rel, bundle))
            path = os.path.join(s.out, want)
            if not os.path.isfile(path) or read(path, "rb") != read(os.path.join(s.src, rel), "rb"):
                problems.append(f"{rel}: not at {want}, beside its bundle's page")
        return none_to_check(seen, "file in a bundle") + problems
    check(f"{n}: a bundle's files are published beside its page", bundles, s)

    def more():
        problems, seen = [], []
        for rel in s.posts:
            body = s.md[rel]["body"]
            if "<!--more-->" not in body or s.fields(rel).get("description"):
                continue
            seen.append(rel)
            before, after = body.split("<!--more-->", 1)

            def paragraphs(text):
                return [squeeze(p) for p in re.split(r"\n\s*\n", text)
                        if p.strip() and not p.lstrip().startswith(("#", "!"))]
            last, first = paragraphs(before)[-1], paragraphs(after)[0]
            channel = rel.split("/")[1]
            page = s.pages.get(f"{channel}/index.html")
            if not page:
                problems.append(f"{rel}: no channel page {channel}/")
                continue
            if last not in page.text:
                problems.append(f"{rel}: the channel page lacks {last!r}, "
                                "from before <!--more-->")
            if first in page.text:
                problems.append(f"{rel}: the channel page shows {first!r}, "
                                "from after <!--more-->")
        return none_to_check(seen, "<!--more--> without description:") + problems
    check(f"{n}: <!--more--> ends the summary on the channel page", more, s)

    def hashtags():
        problems = []
        page = s.post_page("content/docs/guide/install.md")
        if "tags/install/index.html" not in s.pages:
            problems.append("no page tags/install/")
        if not page or not any(h.endswith("tags/install/") for h in s.pages[page].hrefs):
            problems.append(f"the install page ({page}) does not link to tags/install/")
        return problems
    check(f"{n}: #install in the text is a tag (the default: hashtags from the text)",
          hashtags, s)


for name, base, more_checks in (("jekyll-blog", "/notebook/", jekyll),
                                ("hugo-blog", "/", hugo)):
    site = Site(name, base)
    common(site)
    more_checks(site)
print(f"1..{len(results)}")
for name, problems in results:
    print(f"{'not ok' if problems else 'ok'} - {name}")
    for p in problems:
        print(f"# {p}")
sys.exit(1 if any(p for _, p in results) else 0)
EOF
python3 "$tmp/checks.py" "$tmp"
