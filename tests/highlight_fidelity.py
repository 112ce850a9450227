#!/usr/bin/python3
"""highlight_fidelity.py: checks gazette's Python highlighter against Pygments.

Usage: tests/highlight_fidelity.py build/highlight_driver [--stdlib DIR] [--top N]
       tests/highlight_fidelity.py build/highlight_driver --lang c --files '/usr/include/**/*.h'
       tests/highlight_fidelity.py build/highlight_driver --lang ini --ref ini \
           --files '/usr/share/**/*.ini' '/lib/systemd/**/*.service' --sample 40

Runs the driver (tests/highlight_driver.c) over every .py file of the Python
standard library (sysconfig's 'stdlib' path, recursively, without the
site-packages and dist-packages folders of third-party code, and without files
that are not UTF-8), then

1. round trip: stripping the tags from each file's HTML and unescaping it must
   give back the file byte for byte;
2. fidelity: for every non-whitespace character, our class must be the short
   class (pygments.token.STANDARD_TYPES) of the token PythonLexer puts it in;
   prints the share of agreeing characters and the largest kinds of
   disagreement with an example each.

Exits 1 if a round trip fails or fewer than 99% of the characters agree.
With --lang and --files it compares another of our lexers with Pygments' lexer
of that name (or of --ref's name, options after a colon: 'php:startinline=True')
on the files the recursive globs find (--min sets the bar); --sample N takes N
of them spread evenly over the sorted list, --max-bytes leaves out bigger ones.
The reference is the Pygments of the Python running this script; Debian's
python3-pygments (2.14) is the one the lexer follows, hence /usr/bin/python3.
"""
import argparse
import collections
import glob
import html
import multiprocessing
import os
import re
import subprocess
import sys
import sysconfig

import pygments
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Whitespace, Text

TAG = re.compile(rb'<span class="([a-z0-9]+)">|</span>|<[^>]*>')
THRESHOLD = 99.0


def stdlib_files(root):
    """The .py files under root, third-party folders left out, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs
                         if d not in ('site-packages', 'dist-packages', '__pycache__'))
        found.extend(os.path.join(folder, f) for f in sorted(files) if f.endswith('.py'))
    return found


def run_driver(driver, lang, paths):
    """Maps each path to the HTML the driver writes for it."""
    out = {}
    for i in range(0, len(paths), 400):
        chunk = paths[i:i + 400]
        data = subprocess.run([driver, lang] + chunk, check=True,
                              stdout=subprocess.PIPE).stdout
        pos = 0
        while pos < len(data):
            eol = data.index(b'\n', pos)
            header = data[pos:eol].decode('utf-8', 'surrogateescape')
            _, size, path = header.split(' ', 2)
            start = eol + 1
            out[path] = data[start:start + int(size)]
            pos = start + int(size) + 1
    return out


def unescape(b):
    return (b.replace(b'&lt;', b'<').replace(b'&gt;', b'>').replace(b'&quot;', b'"')
            .replace(b'&#39;', b"'").replace(b'&amp;', b'&'))


def our_classes(page):
    """The source bytes of page and each byte's class ('' outside spans);
    spans do not nest."""
    text, classes = bytearray(), []
    current, pos = '', 0
    for m in TAG.finditer(page):
        chunk = unescape(page[pos:m.start()])
        text += chunk
        classes.extend([current] * len(chunk))
        current = m.group(1).decode() if m.group(1) else ''
        pos = m.end()
    chunk = unescape(page[pos:])
    text += chunk
    classes.extend([current] * len(chunk))
    return bytes(text), classes


def short_class(ttype):
    """The short class of a token type: its own or its nearest ancestor's;
    Text and Whitespace have none, as we write both without a span."""
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    if ttype in Whitespace or ttype is Text:
        return ''
    return STANDARD_TYPES[ttype]


def pygments_lexer(ref):
    """Pygments' lexer for 'name' or 'name:opt=value,...' (values True,
    False, or strings)."""
    name, _, opts = ref.partition(':')
    options = {}
    for item in filter(None, opts.split(',')):
        key, _, value = item.partition('=')
        options[key] = {'True': True, 'False': False}.get(value, value)
    if name == 'go-html-template-ref':  # not in Pygments: ours, after Chroma
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from gotemplate_reference import GoHtmlTemplateRefLexer
        return GoHtmlTemplateRefLexer(**options)
    return get_lexer_by_name(name, **options)


def pygments_classes(lang, text):
    """The short class of each character of text as Pygments' lexer has it,
    lexing text as pygments.highlight() would (with a final newline, which
    its ensurenl option adds), but as is otherwise, so that offsets agree."""
    classes = []
    full = text if text.endswith('\n') else text + '\n'
    # the tokens cover the text in order (their own offsets are not always
    # right, e.g. in the console lexer's insertions)
    for _, ttype, value in pygments_lexer(lang).get_tokens_unprocessed(full):
        classes.extend([short_class(ttype)] * len(value))
    assert len(classes) == len(full)
    return classes[:len(text)]


def snippet(text, i):
    """The line around character i, the character marked with [[ ]]."""
    start = text.rfind('\n', 0, i) + 1
    end = text.find('\n', i)
    end = len(text) if end < 0 else end
    start, end = max(start, i - 50), min(end, i + 50)
    return repr(text[start:i] + '[[' + text[i] + ']]' + text[i + 1:end])


def compare(job):
    """For one file: (path, round trip ok, characters compared, agreeing,
    {(theirs, ours): (count, example)})."""
    ref, path, page = job
    with open(path, 'rb') as f:
        raw = f.read()
    text_bytes, byte_classes = our_classes(page)
    if text_bytes != raw:
        return path, False, 0, 0, {}
    text = raw.decode('utf-8')
    ours, offset = [], 0
    for ch in text:            # the class of a character is that of its first byte
        ours.append(byte_classes[offset])
        offset += len(ch.encode('utf-8'))
    theirs = pygments_classes(ref, text)
    total = agree = 0
    diffs = {}
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        total += 1
        if ours[i] == theirs[i]:
            agree += 1
            continue
        key = (theirs[i], ours[i])
        count, example = diffs.get(key, (0, None))
        diffs[key] = (count + 1, example or '%s: %s' % (path, snippet(text, i)))
    return path, True, total, agree, diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('driver')
    ap.add_argument('--stdlib', default=sysconfig.get_paths()['stdlib'])
    ap.add_argument('--top', type=int, default=10)
    ap.add_argument('--lang', default='python', help="a language of ours and Pygments'")
    ap.add_argument('--ref', help="Pygments' lexer, if not --lang: NAME[:opt=value,...]")
    ap.add_argument('--files', nargs='+', help='recursive globs of the files to compare instead')
    ap.add_argument('--sample', type=int, default=0, help='compare only N files, spread evenly')
    ap.add_argument('--max-bytes', type=int, default=0, help='leave out files bigger than this')
    ap.add_argument('--min', type=float, default=THRESHOLD, help='the share that must agree')
    args = ap.parse_args()

    ref = args.ref or args.lang
    found = (sorted({p for g in args.files for p in glob.glob(g, recursive=True)
                     if os.path.isfile(p) and not os.path.islink(p)})
             if args.files else stdlib_files(args.stdlib))
    if args.max_bytes:
        found = [p for p in found if os.path.getsize(p) <= args.max_bytes]
    if args.sample and len(found) > args.sample:
        found = [found[i * len(found) // args.sample] for i in range(args.sample)]
    paths, skipped = [], 0
    for path in found:
        try:
            with open(path, 'rb') as f:
                f.read().decode('utf-8')
            paths.append(path)
        except UnicodeDecodeError:
            skipped += 1
    print('Pygments %s (%s), %s; %s: %d files, %d not UTF-8 skipped'
          % (pygments.__version__, os.path.dirname(pygments.__file__),
             type(pygments_lexer(ref)).__name__, ' '.join(args.files or [args.stdlib]),
             len(paths), skipped))
    if not paths:
        sys.exit('highlight_fidelity: no files to compare')
    pages = run_driver(args.driver, args.lang, paths)

    total = agree = 0
    bad_trips = []
    diffs = collections.Counter()
    examples = {}
    with multiprocessing.Pool() as pool:
        jobs = ((ref, p, pages[p]) for p in paths)
        for path, ok, t, a, d in pool.imap_unordered(compare, jobs, chunksize=4):
            if not ok:
                bad_trips.append(path)
                continue
            total += t
            agree += a
            for key, (count, example) in d.items():
                diffs[key] += count
                examples.setdefault(key, example)

    print()
    print('round trip: %d of %d files byte for byte' % (len(paths) - len(bad_trips), len(paths)))
    for path in bad_trips[:10]:
        print('  FAILED %s' % path)
    share = 100.0 * agree / total if total else 0.0
    print('fidelity:   %.3f%% of %d non-whitespace characters agree with Pygments'
          ' (%d differ)' % (share, total, total - agree))
    print()
    print('largest disagreements (pygments class -> ours, characters, example):')
    for (theirs, ours), count in diffs.most_common(args.top):
        print('  %-4s -> %-4s %8d  %s' % (theirs or "''", ours or "''", count,
                                          examples[(theirs, ours)]))
    failed = bad_trips or share < args.min
    print()
    print('FAIL' if failed else 'OK', '(needs every round trip and >= %g%%)' % args.min)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
