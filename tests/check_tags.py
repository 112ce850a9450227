#!/usr/bin/env python3
"""Checks the hashtags of a built example site (usage: check_tags.py OUT).
Prints TAP lines (exits 1 if any failed): every hashtag written in a post is a link, none is inside
<pre> or <code>, the tag pages' counts agree with the posts, /tags/async/
lists the asyncio article once, #Carina and #carina share one page."""
import html.parser
import os
import re
import sys
import urllib.parse

# A hashtag as a reader sees one: '#', then word characters with a letter,
# not glued to a preceding word character.
HASHTAG = re.compile(r"(?<!\w)#\w*[^\W\d_]\w*")
# A post in a list: its title's link, or its date's when it has no title.
LISTED = re.compile(r'(?:<h2><a|<a class="permalink") href="([^"]+)"')


class Page(html.parser.HTMLParser):
    """Collects unlinked text of the post's content, hashtag links inside
    code, and every tag link with where it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.in_content = 0
        self.unlinked = []
        self.hashtags_in_code = 0
        self.tag_links = []
        self.counts = {}
        self.last_href = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "hr", "meta", "link", "input"):
            return
        self.stack.append((tag, a.get("class", "")))
        if tag == "div" and a.get("class") == "content":
            self.in_content = len(self.stack)
        if tag == "a":
            self.last_href = a.get("href")
            if a.get("class") == "hashtag":
                self.tag_links.append(a.get("href"))
                if any(t in ("pre", "code") for t, _ in self.stack[:-1]):
                    self.hashtags_in_code += 1

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if len(self.stack) < self.in_content:
                self.in_content = 0
            if t == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if self.in_content and not {"a", "pre", "code"} & set(tags):
            self.unlinked += HASHTAG.findall(data)
        if self.stack and self.stack[-1][1] == "count" and self.last_href:
            self.counts[self.last_href] = int(data)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


failed = 0


def tap(ok, name, detail=""):
    global failed
    failed += not ok
    print(("ok - " if ok else "not ok - ") + name)
    if not ok and detail:
        print("# " + str(detail)[:2000])


def main():
    out = sys.argv[1]
    posts = {}
    for root, _, files in os.walk(out):
        rel = os.path.relpath(root, out)
        parts = rel.split(os.sep)
        if "index.html" not in files or rel == "." or "tags" in parts or \
                "page" in parts or len(parts) > 2:
            continue
        page = parse(os.path.join(root, "index.html"))
        if len(parts) == 2 or page.tag_links or page.unlinked:
            posts["/" + rel + "/"] = page
    posts = {k: v for k, v in posts.items() if k.count("/") == 3 or
             k == "/asyncio-taskgroup/"}
    unlinked = {k: v.unlinked for k, v in posts.items() if v.unlinked}
    tap(len(posts) >= 24 and not unlinked,
        f"every hashtag in every post is a link ({len(posts)} posts)",
        unlinked)
    in_code = [k for k, v in posts.items() if v.hashtags_in_code]
    tap(not in_code, "no hashtag link inside <pre> or <code>", in_code)

    # Which post links to which tag page, from the posts themselves.
    by_tag = {}
    for url, page in posts.items():
        for href in set(page.tag_links):
            by_tag.setdefault(href, set()).add(url)
    missing = [h for h in by_tag if not os.path.isfile(
        os.path.join(out, urllib.parse.unquote(h).lstrip("/"), "index.html"))]
    tap(by_tag and not missing, "every hashtag link has its tag page", missing)
    counts = parse(os.path.join(out, "tags", "index.html")).counts
    wrong = {h: (counts.get(h), len(p)) for h, p in by_tag.items()
             if counts.get(h) != len(p)}
    tap(len(counts) == len(by_tag) and not wrong,
        f"/tags/ shows the count of posts of each of {len(counts)} tags",
        wrong or (len(counts), len(by_tag)))
    wrong = []
    for href, urls in by_tag.items():
        with open(os.path.join(out, urllib.parse.unquote(href).lstrip("/"),
                               "index.html"), encoding="utf-8") as f:
            listed = set(LISTED.findall(f.read()))
        if listed != urls:
            wrong.append((href, sorted(listed ^ urls)))
    tap(not wrong, "each tag page lists exactly the posts with the tag", wrong)

    with open(os.path.join(out, "tags", "async", "index.html"),
              encoding="utf-8") as f:
        text = f.read()
    n = LISTED.findall(text).count("/asyncio-taskgroup/")
    tap(n == 1, "/tags/async/ lists the asyncio article once", n)
    with open(os.path.join(out, "tags", "carina", "index.html"),
              encoding="utf-8") as f:
        text = f.read()
    folders = [d for d in os.listdir(os.path.join(out, "tags"))
               if d.lower() == "carina"]
    tap(folders == ["carina"] and len(LISTED.findall(text)) == 3,
        "#Carina and #carina share one page", (folders, LISTED.findall(text)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
