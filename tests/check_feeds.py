#!/usr/bin/env python3
"""Reads a built site's feeds and sitemap as their readers would, for
tests/check_feeds.sh. Each command prints what is wrong, one line each,
then a summary, and exits 1 if anything was.

  check_feeds.py feeds OUT         every feed.xml reads with feedparser with
                                   bozo == 0, every feed.json as JSON with
                                   JSON Feed 1.1's required fields and ours;
                                   entries newest first
  check_feeds.py sitemap OUT       sitemap.xml (or its index and parts)
                                   lists every page but 404.html, robots.txt
                                   names it
  check_feeds.py entries FEED      prints "id<TAB>published<TAB>updated<TAB>
                                   title" per entry, for comparisons
  check_feeds.py links FEED        prints the entry links and every href and
                                   src in the entries' content
  check_feeds.py crawled OUT BASE LOG
                                   every file of OUT but 404.html,
                                   sitemap.xml and robots.txt (which no page
                                   links) is in the log of wget's crawl
                                   from BASE with 200 OK
  check_feeds.py fetch OUT         fetches every sitemap URL and every URL of
                                   every feed (entry links, links in their
                                   content) that is on the site's host: all
                                   must answer 200
"""
import calendar
import datetime
import html.parser
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed_files(out):
    for root, _, files in os.walk(out):
        if ".gazette" in root.split(os.sep):
            continue
        for name in sorted(files):
            if name in ("feed.xml", "feed.json"):
                yield os.path.join(root, name)


def check_json(path, rel, problems):
    """JSON Feed 1.1: Debian's feedparser (6.0) reads no JSON feeds, so
    json reads them and the spec's required fields (and ours) are checked
    here. Returns the items' publication times."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except ValueError as e:
        problems.append(f"{rel}: not JSON: {e}")
        return []
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"{rel}: version is {doc.get('version')!r}")
    for key in ("title", "home_page_url", "feed_url"):
        if not isinstance(doc.get(key), str) or not doc[key]:
            problems.append(f"{rel}: no {key}")
    if not isinstance(doc.get("items"), list):
        problems.append(f"{rel}: no items")
        return []
    dates = []
    for i, item in enumerate(doc["items"]):
        for key in ("id", "url", "title", "content_html", "date_published"):
            if not isinstance(item.get(key), str) or not item[key]:
                problems.append(f"{rel}: item {i} has no {key}")
        try:
            dates.append(datetime.datetime.fromisoformat(
                item["date_published"]).timestamp())
        except (KeyError, ValueError):
            problems.append(f"{rel}: item {i}: bad date_published")
    return dates


def check_atom(path, rel, problems):
    """An Atom feed as feedparser reads it; returns the entries' times."""
    import feedparser
    d = feedparser.parse(path)
    if d.bozo:
        problems.append(f"{rel}: bozo: {d.bozo_exception}")
    if d.version != "atom10":
        problems.append(f"{rel}: read as {d.version!r}, not Atom 1.0")
    ids = [e.get("id") for e in d.entries]
    if len(set(ids)) != len(ids) or not all(
            i and i.startswith("tag:") for i in ids):
        problems.append(f"{rel}: entry ids missing, repeated or not tag: "
                        f"URIs: {ids[:3]}")
    dates = [e.get("published_parsed") for e in d.entries]
    if None in dates:
        problems.append(f"{rel}: an entry without a publication date")
        return []
    return [calendar.timegm(t) for t in dates]


def cmd_feeds(out):
    problems = []
    feeds = entries = 0
    for path in feed_files(out):
        feeds += 1
        rel = os.path.relpath(path, out)
        if path.endswith(".json"):
            dates = check_json(path, rel, problems)
        else:
            dates = check_atom(path, rel, problems)
        entries += len(dates)
        if dates != sorted(dates, reverse=True):
            problems.append(f"{rel}: entries are not newest first")
    for p in problems:
        print(p)
    print(f"{feeds} feeds, {entries} entries, {len(problems)} problems")
    return 1 if problems or not feeds else 0


def sitemap_urls(out, problems):
    """The URLs of sitemap.xml, following an index into its parts."""
    root = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
    if root.tag == SM + "urlset":
        parts = [root]
    else:
        parts = []
        for loc in root.iter(SM + "loc"):
            name = urllib.parse.urlsplit(loc.text).path.rsplit("/", 1)[1]
            parts.append(ET.parse(os.path.join(out, name)).getroot())
    urls = []
    for part in parts:
        for url in part.iter(SM + "url"):
            urls.append(url.find(SM + "loc").text)
            lastmod = url.find(SM + "lastmod")
            if lastmod is None or len(lastmod.text) != 25:
                problems.append(f"{urls[-1]}: lastmod missing or not a "
                                f"W3C datetime")
    return urls


def cmd_sitemap(out):
    problems = []
    urls = sitemap_urls(out, problems)
    with open(os.path.join(out, "robots.txt"), encoding="utf-8") as f:
        robots = f.read()
    site = None
    for line in robots.splitlines():
        if line.startswith("Sitemap: "):
            site = line[9:].rsplit("sitemap.xml", 1)[0]
    if site is None:
        problems.append("robots.txt names no sitemap")
        site = ""
    pages = set()
    for root, _, files in os.walk(out):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), out)
            if name == "index.html":
                path = "" if rel == "index.html" else rel[:-10]
                pages.add(site + urllib.parse.quote(path))
    listed = set(urls)
    if len(listed) != len(urls):
        problems.append("a URL is listed twice")
    for u in sorted(pages - listed):
        problems.append(f"not in the sitemap: {u}")
    for u in sorted(listed - pages):
        problems.append(f"in the sitemap but not a page: {u}")
    for p in problems:
        print(p)
    print(f"{len(urls)} URLs in the sitemap, {len(pages)} pages, "
          f"{len(problems)} problems")
    return 1 if problems or not urls else 0


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append(value)


def feed_links(path):
    import feedparser
    d = feedparser.parse(path, sanitize_html=False, resolve_relative_uris=False)
    links = []
    for e in d.entries:
        links.append(e.link)
        for c in e.get("content", []):
            parser = Refs()
            parser.feed(c.value)
            links.extend(parser.refs)
    return links


def cmd_entries(path):
    import feedparser
    for e in feedparser.parse(path).entries:
        print("\t".join([e.id, e.published, e.updated, e.title]))
    return 0


def cmd_links(path):
    for link in feed_links(path):
        print(link)
    return 0


def cmd_fetch(out):
    problems = []
    urls = set(sitemap_urls(out, problems))
    host = urllib.parse.urlsplit(next(iter(urls))).netloc if urls else ""
    for path in feed_files(out):
        for link in feed_links(path):
            if urllib.parse.urlsplit(link).netloc == host:
                urls.add(urllib.parse.urldefrag(link)[0])
    for url in sorted(urls):
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError as e:
            status = str(e)
        if status != 200:
            problems.append(f"{url}: {status}")
    for p in problems:
        print(p)
    print(f"{len(urls)} URLs fetched, {len(problems)} problems")
    return 1 if problems or not urls else 0


def cmd_crawled(out, base, log):
    # wget -nv logs "URL: <url> 200 OK" for a file it only asked about,
    # "URL:<url> [size] -> <file>" for a page it read for links.
    reached = set()
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.search(r" URL: ?(\S+) (200 OK$|\[.* -> )", line)
            if m:
                reached.add(m.group(1))
    missed = files = 0
    for root, dirs, names in os.walk(out):
        dirs[:] = [d for d in dirs if d != ".gazette"]
        for name in names:
            rel = os.path.relpath(os.path.join(root, name), out)
            if rel in ("404.html", "sitemap.xml", "robots.txt"):
                continue
            files += 1
            if rel == "index.html" or rel.endswith("/index.html"):
                rel = rel[:-10]
            url = base + urllib.parse.quote(rel)
            if url not in reached:
                missed += 1
                print(f"not reached: {url}")
    print(f"{files} files, {len(reached)} URLs reached, {missed} missed")
    return 1 if missed or not files else 0


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    return {"feeds": cmd_feeds, "sitemap": cmd_sitemap,
            "entries": cmd_entries, "links": cmd_links,
            "crawled": cmd_crawled, "fetch": cmd_fetch}[cmd](*args)


if __name__ == "__main__":
    sys.exit(main())
