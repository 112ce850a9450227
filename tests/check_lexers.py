#!/usr/bin/python3
"""check_lexers.py: every lexer of tests/lexers.tsv on real code and on
hostile input. Prints TAP; exits 1 if any check failed.

Usage: check_lexers.py DRIVER [LANG ...]

For each language (all, or the ones named):
1. its corpus (a sample in make test, LEXER_SAMPLE=0 for every file, files of
   at most LEXER_MAX_BYTES, default 60,000, when sampling) round-trips byte for byte and at
   least 99% of its non-whitespace characters get Pygments 2.14's class
   (tests/highlight_fidelity.py);
2. about 40 hostile inputs of up to 1 MB (the row's openers repeated, left
   unclosed, nested; long lines; runs of brackets, quotes and backslashes)
   each round-trip and finish in under 2 s of CPU time (times TIME_FACTOR,
   for the sanitizer builds, which also set HOSTILE_BYTES lower): CPU time,
   not wall time, so that a busy machine does not fail a linear lexer.
"""
import os
import random
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = int(os.environ.get('HOSTILE_BYTES', 1 << 20))
LIMIT = 2.0 * float(os.environ.get('TIME_FACTOR', '1'))
TAG = re.compile(rb'<span class="[a-z0-9]+">|</span>')


CORPUS = os.path.join(TOP, 'build', 'corpus')


def npm_corpus(packages):
    """Unpacks each npm:NAME@VERSION of packages (Debian has too little
    real code of some languages) into build/corpus/NAME/, once."""
    for p in packages:
        if not p.startswith('npm:'):
            continue
        spec = p[4:]
        name = spec.rsplit('@', 1)[0] if spec.rfind('@') > 0 else spec
        folder = os.path.join(CORPUS, name)
        if os.path.isdir(folder):
            continue
        os.makedirs(CORPUS, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            tgz = subprocess.run(['npm', 'pack', '--silent', '--pack-destination', tmp, spec],
                                 stdout=subprocess.PIPE, check=True).stdout.decode().split()[-1]
            os.makedirs(folder + '.part', exist_ok=True)
            subprocess.run(['tar', '-xzf', os.path.join(tmp, tgz), '-C', folder + '.part',
                            '--strip-components=1'], check=True)
            os.rename(folder + '.part', folder)


def rows():
    """(lang, ref, packages, sample, globs, openers) for each row of the
    table; a glob's {corpus} is build/corpus/, where npm_corpus unpacks."""
    with open(os.path.join(TOP, 'tests', 'lexers.tsv'), encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            cols = line.split('\t')
            if len(cols) != 6:
                sys.exit('tests/lexers.tsv: a row needs 6 tab-separated columns: %r' % line)
            lang, ref, packages, sample, globs, openers = cols
            yield lang, ref, packages, int(sample), globs.replace('{corpus}', CORPUS).split(), [
                o.replace('\\s', ' ').replace('\\n', '\n').replace('\\t', '\t')
                for o in openers.split()]


def unescape(b):
    return (b.replace(b'&lt;', b'<').replace(b'&gt;', b'>').replace(b'&quot;', b'"')
            .replace(b'&#39;', b"'").replace(b'&amp;', b'&'))


_RANDOM = []


def random_punctuation():
    """MB bytes of punctuation, letters and spaces, the same every run."""
    if not _RANDOM:
        rng = random.Random(14)
        alphabet = b'abcxyz019_ \n\t()[]{}<>"\'`\\/*#$@%&!?:;.,=+-~|^'
        _RANDOM.append(bytes(rng.choices(alphabet, k=MB)))
    return _RANDOM[0]


def hostile_inputs(openers):
    """(name, bytes) pairs: each opener unclosed before a megabyte of text,
    repeated to a megabyte alone, with a word and with a newline, and pairs of
    openers interleaved; then runs every scanner meets."""
    filler = (b'word 12 x.y(z) ' * 8 + b'\n') * (MB // 129)
    out = []
    for o in openers:
        b = o.encode('utf-8')
        n = MB // len(b)
        out.append(('%r then the text' % o, b + filler))
        out.append(('%r repeated' % o, b * n))
        out.append(('%r and a word, repeated' % o, (b + b'x ') * (MB // (len(b) + 2))))
        out.append(('%r on lines' % o, (b + b'\n') * (MB // (len(b) + 1))))
    for a, b in zip(openers, openers[1:] + openers[:1]):
        pair = a.encode('utf-8') + b.encode('utf-8')
        out.append(('%r%r repeated' % (a, b), pair * (MB // len(pair))))
    out += [
        ('all (', b'(' * MB), ('all {', b'{' * MB), ('all [', b'[' * MB),
        ('all <', b'<' * MB), ('all backslashes', b'\\' * MB),
        ('one line of words', b'abc def ' * (MB // 8)),
        ('all digits', b'7' * MB), ('all non-ASCII', 'é€𝄞 '.encode() * (MB // 10)),
        ('random punctuation', random_punctuation()),
    ]
    return out


def check_hostile(driver, lang, openers, tmp):
    """(ok, detail, failures): every input round-trips and is highlighted
    within the time limit, in CPU time as the driver measures it."""
    inputs = hostile_inputs(openers)
    paths = []
    for i, (_, data) in enumerate(inputs):
        paths.append(os.path.join(tmp, '%s-%d' % (lang, i)))
        with open(paths[-1], 'wb') as f:
            f.write(data)
    try:
        run = subprocess.run([driver, '--check', lang] + paths, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, timeout=max(LIMIT * len(paths), 60))
    except subprocess.TimeoutExpired:
        return False, 'still running after %.0f s' % max(LIMIT * len(paths), 60), []
    finally:
        for p in paths:
            os.unlink(p)
    lines = run.stdout.decode().splitlines()
    if run.returncode != 0 or len(lines) != len(inputs):
        return False, 'the driver failed (exit %d) after %d of %d inputs: %s' % (
            run.returncode, len(lines), len(inputs), run.stderr.decode()[-300:]), []
    failures, slowest, worst = [], 0.0, ''
    for (name, _), line in zip(inputs, lines):
        seconds, verdict, _ = line.split(' ', 2)
        if float(seconds) > slowest:
            slowest, worst = float(seconds), name
        if verdict != 'ok':
            failures.append('%s: does not round-trip' % name)
        if float(seconds) > LIMIT:
            failures.append('%s: %s s' % (name, seconds))
    detail = '%d inputs up to %d KB, slowest %.2f s of CPU (%s)' % (
        len(inputs), MB >> 10, slowest, worst)
    return not failures, detail, failures


def check_corpus(driver, lang, ref, sample, globs):
    """(ok, detail, log) of tests/highlight_fidelity.py on the corpus."""
    sample = int(os.environ.get('LEXER_SAMPLE', sample))
    cmd = ['/usr/bin/python3', os.path.join(TOP, 'tests', 'highlight_fidelity.py'), driver,
           '--lang', lang, '--ref', ref, '--files'] + globs
    if sample:
        cmd += ['--sample', str(sample),
                '--max-bytes', os.environ.get('LEXER_MAX_BYTES', '60000')]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = run.stdout.decode('utf-8', 'replace')
    trip = re.search(r'^round trip: .*$', log, re.M)
    fid = re.search(r'^fidelity: +(.*)$', log, re.M)
    detail = '; '.join(m.group(0) if m is trip else m.group(1)
                       for m in (trip, fid) if m)
    return run.returncode == 0, detail or 'no result', log


def main():
    driver, only = sys.argv[1], sys.argv[2:]
    table = [r for r in rows() if not only or r[0] in only]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for lang, ref, packages, sample, globs, openers in table:
            npm_corpus(packages.split(','))
            if not ref or not globs:
                ok, detail, log = False, 'no Pygments lexer or corpus in tests/lexers.tsv', ''
            else:
                ok, detail, log = check_corpus(driver, lang, ref, sample, globs)
            print('%s - %s agrees with Pygments on real code (%s; %s)'
                  % ('ok' if ok else 'not ok', lang, packages or 'no package', detail))
            if not ok:
                print('\n'.join('# ' + l for l in log.splitlines()[-25:]))
            failed += not ok
            ok, detail, failures = check_hostile(driver, lang, openers, tmp)
            print('%s - %s stays linear on hostile input (%s)'
                  % ('ok' if ok else 'not ok', lang, detail))
            for f in failures[:10]:
                print('# ' + f)
            failed += not ok
            sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
