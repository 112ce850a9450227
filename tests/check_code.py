#!/usr/bin/env python3
"""Checks the highlighted asyncio article of a built example site (usage:
check_code.py OUT CONTENT_DIR). Prints TAP lines; exits 1 if any failed."""
import html
import os
import re
import sys

KEYWORDS = ["async", "def", "await", "with", "try", "except", "for", "return"]
NAMES = ["asyncio", "TaskGroup", "random", "uniform"]
failed = 0


def tap(ok, name, detail=""):
    global failed
    failed += not ok
    print(("ok - " if ok else "not ok - ") + name)
    if not ok and detail:
        print("# " + str(detail)[:1500])


def main():
    out, content = sys.argv[1], sys.argv[2]
    with open(os.path.join(out, "asyncio-taskgroup", "index.html"),
              encoding="utf-8") as f:
        page = f.read()
    m = re.search(r'<div class="highlight"><pre><code class="language-python">'
                  r'(.*?)</code></pre></div>', page, re.S)
    tap(m is not None, "the article's code is a highlighted python block")
    if not m:
        return 1
    code = m.group(1)
    with open(os.path.join(content, "asyncio-taskgroup.md"),
              encoding="utf-8") as f:
        source = re.search(r"```python\n(.*?)```", f.read(), re.S).group(1)
    plain = html.unescape(re.sub(r"<[^>]+>", "", code))
    tap(plain == source, "stripping tags and unescaping gives the source back")
    spans = re.findall(r'<span class="([a-z0-9]+)">([^<]*)</span>', code)
    classes = {}
    for cls, text in spans:
        classes.setdefault(html.unescape(text), set()).add(cls)
    wrong = {k: classes.get(k) for k in KEYWORDS if classes.get(k) != {"k"}}
    tap(not wrong, "async, def, await, with, try, except, for, return are "
        "keywords (k)", wrong)
    wrong = {n: classes.get(n) for n in NAMES
             if not classes.get(n) or
             any(c not in ("n", "nn") for c in classes[n])}
    tap(not wrong, "asyncio, TaskGroup, random, uniform are names (n, nn)",
        wrong)
    tap(classes.get("'Oops'") == {"s1"}, "'Oops' is a string (s1)",
        classes.get("'Oops'"))
    tap(classes.get("0.1") == {"mf"}, "0.1 is a number (mf)",
        classes.get("0.1"))
    scripts = [p for p, _, files in os.walk(out) for f in files
               if f.endswith(".html") and "<script" in
               open(os.path.join(p, f), encoding="utf-8").read()]
    tap(not scripts, "no page has JavaScript", scripts)
    tap('href="/assets/highlight.css"' in page and
        os.path.isfile(os.path.join(out, "assets", "highlight.css")),
        "the page links the light and dark highlighting stylesheet")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
