#!/usr/bin/env python3
"""Checks that every internal link and asset reference in a built site
resolves: usage check_links.py OUTPUT_DIR BASE_PATH.

A reference is an href or src attribute (the canonical link is left out:
it is absolute) or the URL of a <meta http-equiv="refresh"> (a redirect
page). One with a scheme or a host is external and not checked. Any other
must name a file of OUTPUT_DIR below BASE_PATH (a folder means its
index.html). When it carries a #fragment and names an HTML page (or is
only "#fragment", the same page), that page must have an element with
that id, or an <a> with that name; as in browsers, the fragment matches
as written or percent-decoded, and "#" and "#top" are the page's top.
A fragment on a file that is not HTML is not checked.

Prints each broken reference and exits 1 if there is any (or no page)."""
import html.parser
import os
import re
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    """The references of one HTML page and the ids it defines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if names.get("id"):
            self.ids.add(names["id"])
        if tag == "a" and names.get("name"):
            self.ids.add(names["name"])
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "refresh":
            m = re.match(r"\s*\d*\s*[;,]\s*url\s*=\s*(['\"]?)(.*)\1\s*$",
                         names.get("content") or "", re.I | re.S)
            if m:
                self.refs.append(m.group(2).strip())
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                if tag == "link" and ("rel", "canonical") in attrs:
                    continue
                self.refs.append(value)


def read_page(path, cache):
    """The Page of an HTML file, parsed once."""
    if path not in cache:
        parser = Page()
        with open(path, encoding="utf-8") as f:
            parser.feed(f.read())
        parser.close()
        cache[path] = parser
    return cache[path]


def target(out, base, page, ref):
    """The file ref names (an absolute path), None when it is not checked
    (external), or a string saying why it is broken."""
    url = urllib.parse.urlsplit(ref)
    if url.scheme or url.netloc:
        return None, None  # external
    if not url.path:
        return os.path.join(out, page), None  # the same page
    path = urllib.parse.unquote(url.path)
    if not path.startswith("/"):
        path = os.path.join(os.path.dirname(base + page), path)
    trailing = path.endswith("/")
    path = os.path.normpath(path)
    if trailing and not path.endswith("/"):
        path += "/"
    if not (path + "/").startswith(base) and not path.startswith(base):
        return None, "outside the base path"
    path = os.path.join(out, path[len(base):])
    if path.endswith("/") or os.path.isdir(path):
        path = os.path.join(path, "index.html")
    return (path, None) if os.path.isfile(path) else (None, "missing")


def fragment_problem(path, fragment, cache):
    """None when the page at path has an element for fragment."""
    if not path.endswith((".html", ".htm")):
        return None  # only HTML pages are checked for ids
    if fragment == "" or fragment.lower() == "top":
        return None  # the top of the page, as browsers read it
    ids = read_page(path, cache).ids
    if fragment in ids or urllib.parse.unquote(fragment) in ids:
        return None
    return f'no element with id "{urllib.parse.unquote(fragment)}"'


def main():
    if len(sys.argv) != 3:
        print("usage: check_links.py OUTPUT_DIR BASE_PATH", file=sys.stderr)
        return 2
    out, base = sys.argv[1], sys.argv[2]
    if not base.endswith("/"):
        base += "/"
    cache = {}
    broken = pages = refs = fragments = missing = 0
    for root, dirs, files in os.walk(out):
        dirs[:] = sorted(d for d in dirs if d != ".gazette")
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            page = os.path.relpath(os.path.join(root, name), out)
            pages += 1
            for ref in read_page(os.path.join(root, name), cache).refs:
                refs += 1
                path, problem = target(out, base, page, ref)
                if problem:
                    broken += 1
                    print(f"{page}: {ref}: {problem}")
                    continue
                if path is None or "#" not in ref:
                    continue
                fragments += 1
                fragment = ref.split("#", 1)[1]
                problem = fragment_problem(path, fragment, cache)
                if problem:
                    missing += 1
                    shown = os.path.relpath(path, out)
                    print(f"{page}: {ref}: {shown} has {problem}")
    print(f"{pages} pages, {refs} references, {broken} broken, "
          f"{fragments} fragments, {missing} missing")
    return 1 if broken or missing or not pages else 0


if __name__ == "__main__":
    sys.exit(main())
