#!/usr/bin/env python3
"""Checks that every internal link and asset reference in a built site
resolves to a file: usage check_links.py OUTPUT_DIR BASE_PATH.
Prints each broken reference and exits 1 if there is any."""
import html.parser
import os
import sys
import urllib.parse


class Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                if tag == "link" and ("rel", "canonical") in attrs:
                    continue
                self.refs.append(value)


def target(out, base, page, ref):
    url = urllib.parse.urlsplit(ref)
    if url.scheme or url.netloc or not url.path:
        return None  # external, or a fragment on the same page
    path = urllib.parse.unquote(url.path)
    if not path.startswith("/"):
        path = os.path.join(os.path.dirname("/" + page), path)
    if not path.startswith(base):
        return "outside the base path"
    path = os.path.join(out, path[len(base):])
    if path.endswith("/") or os.path.isdir(path):
        path = os.path.join(path, "index.html")
    return None if os.path.isfile(path) else "missing"


def main():
    out, base = sys.argv[1], sys.argv[2]
    broken = pages = refs = 0
    for root, _, files in os.walk(out):
        for name in files:
            if not name.endswith(".html"):
                continue
            page = os.path.relpath(os.path.join(root, name), out)
            parser = Refs()
            with open(os.path.join(root, name), encoding="utf-8") as f:
                parser.feed(f.read())
            pages += 1
            for ref in parser.refs:
                refs += 1
                problem = target(out, base, page, ref)
                if problem:
                    broken += 1
                    print(f"{page}: {ref}: {problem}")
    print(f"{pages} pages, {refs} references, {broken} broken")
    return 1 if broken or not pages else 0


if __name__ == "__main__":
    sys.exit(main())
