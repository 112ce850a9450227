#!/usr/bin/env python3
"""Telegram's rules in built pages (usage: check_telegram.py GAZETTE
UNIT_TABLE). Builds a site whose posts are texts of the hashtag scanner's
unit table (tests/unit/test_hashtag.c, whose rows follow tdlib), each
written as Markdown that reads as the text, and URL-extent cases with the
links Telegram makes of them; checks that each built page has exactly the
hashtags of its row, and the links. Then a post without a title, as
Telegram shows one: its text once on its page, its date as the link to it
in lists. Prints TAP; exits 1 if any failed."""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

# A row whose text is string literals only (no macros), with no invalid
# UTF-8 (\x escapes): name, literals, expected tags.
ROW = re.compile(r'\{"(\w+)",\s*((?:"(?:[^"\\\n]|\\.)*"\s*)+),\s*0,\s*\{([^{}]*)\}\}')
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')

# Text, then the hashtags and the links (href, text) Telegram draws in it.
# The site has a channel named "main".
EXTENTS = [
    ("paren_then_tag", "(see https://example.com/a)#tag",
     ["#tag"], [("https://example.com/a", "https://example.com/a")]),
    ("guillemets_then_tag", "https://example.com/«#tag»",
     ["#tag"], [("https://example.com/", "https://example.com/")]),
    ("full_stop_then_tag", "https://example.com/a.#tag",
     [], [("https://example.com/a.#tag", "https://example.com/a.#tag")]),
    ("domain_full_stop_tag", "example.com.#tag", ["#tag"], []),
    ("bare_domain", "borkena.com/2026/news",
     [], [("http://borkena.com/2026/news", "borkena.com/2026/news")]),
    ("tag_at_domain", "#tag@example.com", ["#tag@example"], []),
    ("email_then_tag", "mail me@example.com #tag",
     ["#tag"], [("mailto:me@example.com", "me@example.com")]),
    ("email_glued_tag", "x me@example.com#tag",
     [], [("http://me@example.com#tag", "me@example.com#tag")]),
    ("url_path_tags_glued", "https://borkena.com/2026/03/x/#Ethiopia#Arsi",
     [], [("https://borkena.com/2026/03/x/#Ethiopia#Arsi",
           "https://borkena.com/2026/03/x/#Ethiopia#Arsi")]),
    ("channel_tag", "#tag@main and #tag@elsewhere", ["#tag@main", "#tag@elsewhere"], []),
    ("mentions", "@main and @durov, a@b", [],
     [("/main/", "@main"), ("https://t.me/durov", "@durov")]),
    ("underscore_url", "x.com/a_b_c and *emphasis*",
     [], [("http://x.com/a_b_c", "x.com/a_b_c")]),
]
# Where each #tag@... of channel_tag links.
CHANNEL_TAG_HREFS = ["/main/tags/tag/", "/tags/tag/"]


def c_string(literals):
    """The text of concatenated C string literals (\\u, \\n, \\t, \\", \\\\)."""
    out = []
    for lit in LITERAL.findall(literals):
        out.append(re.sub(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)',
                          lambda m: (chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1
                                     else {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1))),
                          lit))
    return ''.join(out)


def unit_rows(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        source = f.read()
    for m in ROW.finditer(source):
        name, literals, want = m.groups()
        if '\\x' in literals:
            continue
        text = c_string(literals)
        if '\n' in text or '\t' in text or text != text.strip() or '  ' in text:
            continue  # Markdown's breaks and spacing are not Telegram's
        tags = [] if want.strip() == 'NULL' else [c_string(w) for w in
                                                  re.findall(r'"(?:[^"\\]|\\.)*"', want)]
        rows.append((name, text, tags))
    return rows


def markdown(text):
    """Markdown that reads as text: every ASCII punctuation escaped."""
    return re.sub(r'([!-/:-@\[-`{-~])', r'\\\1', text)


# A post without a title: its first sentence, and the rest.
UNTITLED = ("Отдельно разберём TaskGroup, который пришёл на замену gather.",
            "Second paragraph with #async.")


class Main(html.parser.HTMLParser):
    """The text inside <main>, and the links of its post list (href, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text, self.links, self.current = '', [], None

    def handle_starttag(self, tag, attrs):
        self.inside |= tag == 'main'
        if self.inside and tag == 'a':
            self.current = [dict(attrs).get('href'), '']

    def handle_endtag(self, tag):
        self.inside &= tag != 'main'
        if tag == 'a' and self.current:
            self.links.append(tuple(self.current))
            self.current = None

    def handle_data(self, data):
        if self.inside:
            self.text += data
            if self.current:
                self.current[1] += data


def check_untitled(site):
    """(ok, detail) for the title-less post's page and a list of it (its
    tag's page, where it is the only post)."""
    page, listing = Main(), Main()
    with open(os.path.join(site, 'out', 'main', 'untitled', 'index.html'),
              encoding='utf-8') as f:
        raw = f.read()
        page.feed(raw)
    with open(os.path.join(site, 'out', 'main', 'tags', 'async', 'index.html'),
              encoding='utf-8') as f:
        listing.feed(f.read())
    title = re.search(r'<title>(.*?)</title>', raw, re.S).group(1)
    date_links = [t for h, t in listing.links if h == '/main/untitled/']
    problems = []
    sentence = UNTITLED[0].rstrip('.')  # a derived title may drop the stop
    if page.text.count(sentence) != 1:
        problems.append('the first sentence is %d times in <main>'
                        % page.text.count(sentence))
    if UNTITLED[0].rstrip('.') not in title:
        problems.append('<title> is %r' % title)
    if date_links != ['1 March 2024']:
        problems.append('the list links the post with %r' % date_links)
    return not problems, '; '.join(problems)


class Page(html.parser.HTMLParser):
    """The hashtag links and other links inside <div class="content">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.tags, self.links = [], []
        self.current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth:
            self.depth += tag == 'div'
        elif tag == 'div' and a.get('class') == 'content':
            self.depth = 1
        if self.depth and tag == 'a':
            self.current = [a.get('class') == 'hashtag', a.get('href'), '']

    def handle_endtag(self, tag):
        if self.depth and tag == 'div':
            self.depth -= 1
        if self.depth and tag == 'a' and self.current:
            is_tag, href, text = self.current
            (self.tags if is_tag else self.links).append((href, text))
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.current[2] += data


def main():
    gazette, table = sys.argv[1], sys.argv[2]
    rows = unit_rows(table)
    cases = [(n, t, tags, None) for n, t, tags in rows] + EXTENTS
    failed = 0
    with tempfile.TemporaryDirectory() as site:
        os.makedirs(os.path.join(site, 'content', 'main'))
        for i, (name, text, _, _) in enumerate(cases):
            with open(os.path.join(site, 'content', 'main', 'c%03d.md' % i), 'w',
                      encoding='utf-8') as f:
                f.write('---\ntitle: "%s"\n---\n%s\n' % (name, markdown(text)))
        with open(os.path.join(site, 'content', 'main', 'untitled.md'), 'w',
                  encoding='utf-8') as f:
            f.write('---\ndate: 2024-03-01T10:00:00Z\n---\n%s\n\n%s\n' % UNTITLED)
        for cmd in (['git', 'init', '-q'], ['git', 'add', '.'],
                    ['git', '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-qm', 'c']):
            subprocess.run(cmd, cwd=site, check=True)
        run = subprocess.run([gazette, 'build', '-q', '-C', site, '-o', 'out'],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        ok = run.returncode == 0
        print('%s - a site of %d texts (%d rows of the unit table) builds'
              % ('ok' if ok else 'not ok', len(cases), len(rows)))
        if not ok:
            print('# ' + run.stdout.decode()[-1000:].replace('\n', '\n# '))
            return 1
        pages = []
        for i in range(len(cases)):
            p = Page()
            with open(os.path.join(site, 'out', 'main', 'c%03d' % i, 'index.html'),
                      encoding='utf-8') as f:
                p.feed(f.read())
            pages.append(p)
        wrong = [(c[0], c[1], c[2], [t for _, t in p.tags])
                 for c, p in zip(cases, pages) if [t for _, t in p.tags] != c[2]]
        ok = len(rows) > 100 and not wrong
        print('%s - each page links exactly its row\'s hashtags (%d of %d agree)'
              % ('ok' if ok else 'not ok', len(cases) - len(wrong), len(cases)))
        for w in wrong[:10]:
            print('# %s %r: want %r, got %r' % w)
        failed += not ok
        wrong = [(c[0], c[3], p.links) for c, p in zip(cases, pages)
                 if c[3] is not None and p.links != c[3]]
        print('%s - URLs, e-mail addresses and mentions are linked where Telegram '
              'links them (%d cases)' % ('not ok' if wrong else 'ok', len(EXTENTS)))
        for w in wrong:
            print('# %s: want %r, got %r' % w)
        failed += bool(wrong)
        hrefs = [h for h, _ in pages[[c[0] for c in cases].index('channel_tag')].tags]
        ok = hrefs == CHANNEL_TAG_HREFS
        print('%s - #tag@main links to the channel\'s tag page, #tag@elsewhere to '
              'the site\'s (%r)' % ('ok' if ok else 'not ok', hrefs))
        failed += not ok
        ok, detail = check_untitled(site)
        print('%s - a post without a title shows its text once, and lists link it '
              'by its date%s' % ('ok' if ok else 'not ok', ' (%s)' % detail if detail else ''))
        failed += not ok
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
