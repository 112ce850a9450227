#!/usr/bin/python3
"""bench_highlight.py: throughput of gazette's lexers against Pygments 2.14
(pygments.highlight with HtmlFormatter(nowrap=True)) on the same files, with
highlighting timed alone (files read first, best of several rounds each).
Python on its standard library's .py files, every other language of
tests/lexers.tsv on a part of its corpus (BENCH_LEXER_FILES files spread over
it, of at most 200 KB). Prints one row per language and fails unless ours is
at least 100 times faster on each.

Usage: bench_highlight.py DRIVER [LANG ...]
"""
import os
import subprocess
import sys
import sysconfig
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_lexers import npm_corpus, rows  # noqa: E402
from highlight_fidelity import pygments_lexer, stdlib_files  # noqa: E402
import glob  # noqa: E402

from pygments import highlight  # noqa: E402
from pygments.formatters import HtmlFormatter  # noqa: E402

RATIO = 100
FILES = int(os.environ.get('BENCH_LEXER_FILES', '100'))
TURNS = 3


def utf8_files(paths):
    out = []
    for p in paths:
        try:
            with open(p, 'rb') as f:
                f.read().decode('utf-8')
            out.append(p)
        except (UnicodeDecodeError, OSError):
            pass
    return out


def corpus(globs):
    found = sorted({p for g in globs for p in glob.glob(g, recursive=True)
                    if os.path.isfile(p) and not os.path.islink(p)
                    and os.path.getsize(p) <= 200000})
    if len(found) > FILES:
        found = [found[i * len(found) // FILES] for i in range(FILES)]
    return utf8_files(found)


def ours(driver, lang, paths):
    """Our MB/s in one turn: the driver's best round of at least a second."""
    out = subprocess.run([driver, '--bench', lang] + paths, check=True,
                         stdout=subprocess.PIPE).stdout.decode()
    return float(out.rsplit(': ', 1)[1].split()[0])


def theirs(lexer, formatter, texts, size):
    """Pygments' MB/s in one turn: one round over all texts."""
    start = time.perf_counter()
    for t in texts:
        highlight(t, lexer, formatter)
    return size / 1e6 / (time.perf_counter() - start)


def compare(driver, lang, ref, paths):
    """(our MB/s, Pygments' MB/s, bytes), each the best of TURNS turns."""
    texts = [open(p, 'rb').read().decode('utf-8') for p in paths]
    size = sum(len(t.encode('utf-8')) for t in texts)
    lexer, formatter = pygments_lexer(ref), HtmlFormatter(nowrap=True)
    our_best = their_best = 0
    for _ in range(TURNS):
        their_best = max(their_best, theirs(lexer, formatter, texts, size))
        our_best = max(our_best, ours(driver, lang, paths))
    return our_best, their_best, size


def main():
    driver, only = sys.argv[1], sys.argv[2:]
    table = [('python', 'python', utf8_files(stdlib_files(sysconfig.get_paths()['stdlib'])))]
    for lang, ref, packages, _, globs, _ in rows():
        if ref and globs and (not only or lang in only):
            npm_corpus(packages.split(','))
            table.append((lang, ref, corpus(globs)))
    table = [t for t in table if not only or t[0] in only]
    print('%-18s %6s %8s %10s %12s %7s' % ('language', 'files', 'MB', 'ours MB/s',
                                           'Pygments MB/s', 'ratio'))
    slow = []
    for lang, ref, paths in table:
        if not paths:
            print('%-18s no files' % lang)
            slow.append(lang)
            continue
        our_mbs, their_mbs, size = compare(driver, lang, ref, paths)
        ratio = our_mbs / their_mbs
        print('%-18s %6d %8.2f %10.1f %12.2f %6.0fx' % (lang, len(paths), size / 1e6,
                                                      our_mbs, their_mbs, ratio))
        sys.stdout.flush()
        if ratio < RATIO:
            slow.append(lang)
    print('Pygments %s; needs >= %dx for each: %s'
          % (__import__('pygments').__version__, RATIO,
             'all are' if not slow else 'slower: ' + ' '.join(slow)))
    return 1 if slow else 0


if __name__ == '__main__':
    sys.exit(main())
