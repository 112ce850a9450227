#!/usr/bin/env python3
"""An incremental build equals a clean one, whatever the writer did. A site
(a real git repository made here, with fixed dates) goes through random
edits of every kind a writer makes; after each, a build into one output
folder that is kept from build to build is compared with a build into a
fresh folder: the same exit status, the same messages and the same files
byte for byte (each folder's .gazette/ aside); a failed build must leave
the kept folder exactly as it was. Every 25 edits the same holds for
--ref HEAD, and -j 1 must equal -j 3.

  INCREMENTAL_SEED   the random seed (printed; default fixed, so CI replays)
  INCREMENTAL_EDITS  the number of edits (default 200; 200 / TIME_FACTOR)
  INCREMENTAL_KEEP   when set, the temporary folder is kept and named

A failure names the edit and the seed that replay it; after one, the kept
folder is built anew, so that each later edit is judged on its own.

Prints TAP lines; `--plan` prints the number of them, for
tests/check_incremental.sh, which prints the plan before this starts."""
import difflib
import hashlib
import json
import os
import random
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
GAZETTE = os.environ.get("GAZETTE") or os.path.join(TOP, "gazette")
# Sanitizer builds run several times slower: `make asan` sets TIME_FACTOR
# (4), and a quarter of the edits are made, as the publish check's trials.
TIME_FACTOR = float(os.environ.get("TIME_FACTOR") or 1)
EDITS = int(os.environ.get("INCREMENTAL_EDITS") or 200 / TIME_FACTOR)
SEED = int(os.environ.get("INCREMENTAL_SEED") or 20250106)
EVERY = 25  # edits between the --ref and -j checks
START = 1736150400  # 2025-01-06 08:00 UTC: the first commit


def plan():
    # planted differences (2), the first build, the edits, the --ref and
    # -j checks, and the share of builds that succeeded
    return 3 + EDITS + 2 * (EDITS // EVERY) + 1


CHANNELS = ["news", "notes", "travel"]
WORDS = ("river stone light paper winter garden signal harbour letter "
         "morning engine bridge candle orbit meadow copper north window "
         "север окно город ветер утро письмо").split()
# Case variants and Cyrillic are one tag each; TokenUnlock(s) look alike
# and draw a warning, which must come from incremental builds too.
TAGS = ["#python", "#Python", "#PYTHON", "#linux", "#Linux", "#кот", "#Кот",
        "#погода", "#gazette", "#c_lang", "#TokenUnlock", "#TokenUnlocks",
        "#été", "#Été"]
FM_TAGS = ["python", "travel", "Linux", "погода", "weekly", "notes"]
TAG = re.compile(r"(?<![\w#])#\w+")
LINK = re.compile(r"\]\(([^)\s#]+\.(?:md|markdown))(#[^)\s]*)?\)")
# Front matter breaks: each line (or +++ delimiters) is an error; the fix
# takes it out again.
FM_BREAKS = ["title: [never closed", "date: someday"]
TPL_BREAK = "{{#never_closed}}"
# Templates a site may override, each with the line an edition note goes
# before (inside a block, where inheritance keeps it).
TEMPLATES = {"post": "</article>", "base": "</footer>", "post-list": "</li>",
             "pagination": "</nav>", "tags": "</ul>"}
SUMMARY = re.compile(r"^built .* in [0-9]+ ms( -> .*)?$")

results = []


def report(ok, name, detail=()):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {name}", flush=True)
    if not ok:
        for line in list(detail)[:60]:
            print(f"#   {line}", flush=True)


# --- output folders -------------------------------------------------------

def tree(top, stats=False):
    """Every path below top but .gazette/: ("dir", mode), ("link", target)
    or ("file", mode, digest, size), with inode, mtime and ctime when stats
    (what a failed build must not touch). {} for a missing folder."""
    out = {}

    def walk(folder, prefix):
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            return
        for e in entries:
            rel = prefix + e.name
            if rel == ".gazette":
                continue
            st = e.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(e.path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", stat.S_IMODE(st.st_mode))
                walk(e.path, rel + "/")
            else:
                with open(e.path, "rb") as f:
                    digest = hashlib.sha1(f.read()).hexdigest()
                out[rel] = ("file", stat.S_IMODE(st.st_mode), digest,
                            st.st_size)
                if stats:
                    out[rel] += (st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
    walk(top, "")
    return out


def show(entry):
    """A tree() entry in short: kind, digest, size, inode, mtime, ctime."""
    return " ".join(str(v)[:10] if i == 2 else str(v)
                    for i, v in enumerate(entry) if i != 1)


def clip(line, diff):
    """A line of a diff cut to 160 characters around where the first two
    changed lines of that diff part."""
    if len(line) <= 160 or line[:1] not in "-+" or line[:3] in ("---", "+++"):
        return line[:160]
    changed = [x[1:] for x in diff[2:] if x[:1] in "-+"][:2]
    at = len(os.path.commonprefix(changed)) if len(changed) == 2 else 0
    start = max(0, at - 60)
    cut = line[1 + start:1 + start + 160]
    return line[:1] + ("..." if start else "") + cut


def diff_trees(a, b, top_a, top_b, name_a, name_b):
    """What differs between two tree()s, as lines: paths only in one, paths
    that differ, and the first lines of a diff of the first two of them."""
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    differ = sorted(p for p in set(a) & set(b) if a[p] != b[p])
    if not (only_a or only_b or differ):
        return []
    lines = [f"{len(only_a)} only in {name_a}, {len(only_b)} only in "
             f"{name_b}, {len(differ)} differ"]
    lines += [f"only in {name_a}: {p}" for p in only_a[:5]]
    lines += [f"only in {name_b}: {p}" for p in only_b[:5]]
    lines += [f"differs: {p} ({name_a} {show(a[p])}, {name_b} {show(b[p])})"
              for p in differ[:5]]
    for p in differ[:2]:
        try:
            with open(os.path.join(top_a, p), encoding="utf-8",
                      errors="replace") as f:
                text_a = f.read().splitlines()
            with open(os.path.join(top_b, p), encoding="utf-8",
                      errors="replace") as f:
                text_b = f.read().splitlines()
        except OSError:
            continue  # a folder, or gone since
        d = list(difflib.unified_diff(text_a, text_b, f"{name_a}/{p}",
                                      f"{name_b}/{p}", n=1, lineterm=""))
        lines += [clip(line, d) for line in d[:14]]
    return lines


def build(site, out, *args):
    """gazette build into out: its exit status and its messages, without
    the summary line (its counts and time differ by nature) or progress,
    the output folder's path written OUT."""
    # a build of this site takes a second or two: a minute is a hang
    try:
        r = subprocess.run([GAZETTE, "build", "-q", "-o", out, *args],
                           cwd=site, capture_output=True,
                           timeout=60 * TIME_FACTOR)
    except subprocess.TimeoutExpired:
        return f"a hang (no end in {60 * TIME_FACTOR:.0f} s)", []
    if r.returncode < 0:
        return f"signal {-r.returncode}", []
    lines = []
    for line in r.stderr.decode("utf-8", "replace").splitlines():
        if SUMMARY.match(line) or "\r" in line or "\x1b" in line:
            continue
        lines.append(line.replace(out, "OUT"))
    return r.returncode, lines


def plain(t):
    """A tree(stats=True) without the stats."""
    return {p: v[:4] for p, v in t.items()}


def compare(site, kept, fresh, args_kept=(), args_fresh=(), names=None,
            before=None):
    """Builds into kept (as it is; before: its tree(stats=True) when known)
    and into fresh (emptied first). Returns what differs, as lines (none
    when the two agree), the fresh build's status, and kept's tree."""
    name_k, name_f = names or ("incremental", "clean")
    if before is None:
        before = tree(kept, stats=True)
    rc_k, err_k = build(site, kept, *args_kept)
    shutil.rmtree(fresh, ignore_errors=True)
    rc_f, err_f = build(site, fresh, *args_fresh)
    after = tree(kept, stats=True)
    problems = []
    for rc, err, who in ((rc_k, err_k, name_k), (rc_f, err_f, name_f)):
        if rc not in (0, 1):  # a crash, a system failure or a hang
            problems.append(f"{who} build: exit status {rc}")
            problems += err[:10]
    if rc_k != rc_f:
        problems.append(f"exit status {rc_k} {name_k}, {rc_f} {name_f}")
    if err_k != err_f:
        problems.append("messages differ:")
        problems += list(difflib.unified_diff(err_k, err_f, name_k, name_f,
                                              n=1, lineterm=""))[:20]
    if rc_k == 0 and rc_f == 0:
        problems += diff_trees(plain(after), tree(fresh), kept, fresh,
                               name_k, name_f)
    if rc_k != 0 and after != before:
        problems.append(f"the failed build changed the {name_k} folder:")
        problems += diff_trees(before, after, kept, kept, "before", "after")
    if rc_f != 0 and tree(fresh):
        problems.append(f"the failed build left files in the new {name_f} "
                        "folder")
    if problems:
        problems.append(f"{name_k}: status {rc_k}, {len(err_k)} messages; "
                        f"{name_f}: status {rc_f}, {len(err_f)} messages")
    return problems, rc_f, after


# --- the site and its edits -----------------------------------------------

def split(text):
    """A post's text as (delimiter, front matter lines, body); delimiter
    None when it has no front matter."""
    for d in ("---", "+++"):
        if text.startswith(d + "\n"):
            end = text.find("\n" + d + "\n", len(d))
            if end >= 0:
                return d, text[len(d) + 1:end].splitlines(), text[end + 5:]
    return None, [], text


def join(d, lines, body):
    if d is None and not lines:
        return body
    d = d or "---"
    return d + "\n" + "".join(line + "\n" for line in lines) + d + "\n" + body


def set_field(lines, key, value):
    """The front matter lines with key set to value (None: removed); a
    planted break is left alone."""
    out = [line for line in lines
           if not (line.startswith(key + ":") and line not in FM_BREAKS)]
    if value is not None:
        out.append(f"{key}: {value}")
    return out


def has_field(lines, key):
    return any(line.startswith(key + ":") and line not in FM_BREAKS
               for line in lines)


def blocks(body):
    return [b for b in body.strip("\n").split("\n\n") if b]


def unblocks(bs):
    return "\n\n".join(bs) + "\n"


def is_text(block):
    return not block.startswith(("```", "#", "<!--"))


class Site:
    def __init__(self, root, rng):
        self.root = root
        self.rng = rng
        self.clock = START
        self.count = 100  # for new names: never two alike
        self.settings = {}
        self.pending = {}  # break kind -> edit number by which to fix it
        self.edit_no = 0
        self.build_between = None  # set by the caller: a build in an edit

    # files

    def full(self, p):
        return os.path.join(self.root, p)

    def exists(self, p):
        return os.path.exists(self.full(p))

    def read(self, p):
        with open(self.full(p), encoding="utf-8") as f:
            return f.read()

    def write(self, p, data, mtime=None):
        """Writes p with mtime the edit's clock (or mtime): the dates of
        uncommitted posts come from it, and a replay must see the same."""
        full = self.full(p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        self.touch(p, mtime)

    def touch(self, p, mtime=None):
        t = self.clock if mtime is None else mtime
        os.utime(self.full(p), (t, t))

    def remove(self, p):
        full = self.full(p)
        if os.path.isdir(full):
            shutil.rmtree(full)
        else:
            os.remove(full)

    def files(self, under):
        out = []
        for dirpath, dirnames, filenames in os.walk(self.full(under)):
            dirnames.sort()
            for name in sorted(filenames):
                out.append(os.path.relpath(os.path.join(dirpath, name),
                                           self.root))
        return out

    def posts(self):
        return [p for p in self.files("content")
                if p.endswith((".md", ".markdown"))
                and os.path.basename(p) != "_index.md"]

    def bundles(self):
        return [os.path.dirname(p) for p in self.posts()
                if os.path.basename(p) == "index.md"]

    def overrides(self):
        return [t for t in TEMPLATES
                if self.exists(f"themes/default/templates/{t}.mustache")]

    def git(self, *args, date=None):
        env = None
        if date is not None:
            env = dict(os.environ, GIT_AUTHOR_DATE=date,
                       GIT_COMMITTER_DATE=date)
        r = subprocess.run(["git", *args], cwd=self.root, env=env,
                           capture_output=True)
        if r.returncode:
            raise RuntimeError(f"git {' '.join(args)}: "
                               f"{r.stderr.decode(errors='replace').strip()}")
        return r.stdout.decode("utf-8", "replace")

    def tracked(self):
        return set(self.git("ls-files", "-z").split("\0")) - {""}

    def git_date(self):
        # Offsets vary: dates are shown in the commit's own offset.
        return f"{self.clock} {self.rng.choice(['+0000', '+0200', '-0500'])}"

    # content

    def name(self):
        self.count += 1
        return self.count

    def words(self, lo, hi):
        return " ".join(self.rng.choice(WORDS)
                        for _ in range(self.rng.randint(lo, hi)))

    def sentence(self):
        words = self.words(4, 10).split()
        if self.rng.random() < 0.5:
            words.insert(self.rng.randint(0, len(words)),
                         self.rng.choice(TAGS))
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))

    def code(self):
        n = self.rng.randint(1, 99)
        return f"```python\ndef f(x):\n    return x + {n}  # plus {n}\n```"

    def date(self):
        t = time.gmtime(START - self.rng.randint(0, 40 * 86400)
                        + self.rng.randint(0, 50) * 86400)
        return self.rng.choice([
            time.strftime("%Y-%m-%d", t),
            time.strftime("%Y-%m-%dT%H:%M:%S+02:00", t),
            time.strftime("%Y-%m-%d %H:%M", t),
            time.strftime("%Y-%m-%d %H:%M:%S -0500", t)])

    def title(self):
        return json.dumps(self.words(2, 5).capitalize(), ensure_ascii=False)

    def fm_tags(self):
        tags = self.rng.sample(FM_TAGS, self.rng.randint(1, 3))
        if self.rng.random() < 0.3:
            return " ".join(tags)  # Jekyll's words in one string
        return "[" + ", ".join(tags) + "]"

    def post_text(self):
        lines = []
        if self.rng.random() < 0.6:
            lines.append(f"title: {self.title()}")
        if self.rng.random() < 0.5:
            lines.append(f"date: {self.date()}")
        if self.rng.random() < 0.3:
            lines.append(f"tags: {self.fm_tags()}")
        bs = [self.paragraph() for _ in range(self.rng.randint(1, 3))]
        if self.rng.random() < 0.2:
            bs.insert(1, "## " + self.words(1, 3).capitalize())
        if self.rng.random() < 0.2:
            bs.append(self.code())
        if self.rng.random() < 0.15:
            bs.insert(1, "<!--more-->")
        d = None if not lines and self.rng.random() < 0.5 else "---"
        return join(d, lines, unblocks(bs))

    def new_path(self, channel=None, ext=None):
        """A new post's path: in a channel, sometimes in a subfolder or
        named the Jekyll way (its date and slug from the name)."""
        channel = channel or self.rng.choice(CHANNELS)
        n = self.name()
        ext = ext or (".markdown" if self.rng.random() < 0.1 else ".md")
        r = self.rng.random()
        if r < 0.15:
            return f"content/{channel}/2024-12-{self.rng.randint(1, 28):02d}" \
                   f"-post-{n}{ext}"
        if r < 0.3:
            sub = self.rng.choice(["2024", "archive/old"])
            return f"content/{channel}/{sub}/post-{n}{ext}"
        return f"content/{channel}/post-{n}{ext}"

    def image(self):
        n = self.rng.randint(60, 400)
        return b"\x89PNG\r\n\x1a\n" + bytes(self.rng.randrange(256)
                                            for _ in range(n))

    def add_bundle(self):
        d = f"content/{self.rng.choice(CHANNELS)}/trip-{self.name()}"
        d_, lines, body = split(self.post_text())
        body += "\n![A photo](photo.png)\n"
        self.write(f"{d}/index.md", join(d_, lines, body))
        self.write(f"{d}/photo.png", self.image())
        return d

    def update(self, p, fn):
        """Rewrites post p with fn(lines, body) -> (lines, body)."""
        d, lines, body = split(self.read(p))
        lines, body = fn(lines, body)
        self.write(p, join(d, lines, body))

    def write_settings(self):
        self.write("site.yaml", "".join(
            f"{k}: {json.dumps(v, ensure_ascii=False)}\n"
            for k, v in self.settings.items() if v is not None))

    def make(self):
        """The starting site: three channels, 30 posts of every shape,
        tags in case variants and Cyrillic, a link between posts, a
        bundle, aliases, static files and two templates of the theme."""
        self.settings = {"title": "Incremental", "description": "A test",
                         "base_url": "https://example.org/", "language": "en",
                         "per_page": 3, "feed_size": 5, "author": None,
                         "hashtags": None}
        self.write_settings()
        for ch in CHANNELS:
            self.write(f"content/{ch}/_index.md",
                       f"---\ntitle: {ch.capitalize()}\ndescription: All "
                       f"about {ch}\n---\nThe {ch} channel.\n")
        fixed = {1: "#python", 2: "#Python", 3: "#кот", 4: "#Кот #погода",
                 5: "#TokenUnlock", 6: "#TokenUnlocks #python"}
        paths = []
        for i in range(1, 29):
            p = self.new_path(CHANNELS[i % 3])
            text = self.post_text()
            if i in fixed:
                text += f"\nAlso {fixed[i]}.\n"
            self.write(p, text)
            paths.append(p)
        # a link from one post to another's file, and old URLs
        src, dst = paths[0], paths[4]
        self.update(src, lambda lines, body: (lines, body + "\nSee [the other "
                    f"post]({os.path.relpath(dst, os.path.dirname(src))}).\n"))
        old = f"[/old/first/, /2019/01/post-{self.name()}.html]"
        self.update(paths[1], lambda lines, body: (
            set_field(lines, "aliases", old), body))
        self.add_bundle()
        self.write("content/notes/post-extra.md",
                   "---\ntitle: No date, no tags\n---\nJust text.\n")
        self.write("static/humans.txt", "Written by testers.\n")
        self.write("static/files/readme.txt", "Files for readers.\n")
        for t in ("post", "base"):
            with open(os.path.join(TOP, f"themes/default/templates/"
                                   f"{t}.mustache"), encoding="utf-8") as f:
                self.write(f"themes/default/templates/{t}.mustache", f.read())
        self.git("init", "-q", "-b", "main", ".")
        self.git("add", "-A")
        self.git("commit", "-qm", "site", date=f"{self.clock} +0000")

    # edits: each applies one change and says what it did, or returns
    # None when it does not apply now (another is drawn)

    def e_add(self):
        if len(self.posts()) > 45:
            return None
        if self.rng.random() < 0.1:
            return f"add bundle {self.add_bundle()}"
        p = self.new_path()
        self.write(p, self.post_text())
        return f"add {p}"

    def e_remove(self):
        posts = self.posts()
        if len(posts) < 15:
            return None
        p = self.rng.choice(posts)
        if os.path.basename(p) == "index.md" and self.rng.random() < 0.7:
            p = os.path.dirname(p)  # the whole bundle
        if self.rng.random() < 0.5 and any(
                t == p or t.startswith(p + "/") for t in self.tracked()):
            self.git("rm", "-rqf", "--", p)
            if self.exists(p):
                self.remove(p)  # untracked files of a bundle
            return f"git rm {p}"
        self.remove(p)
        return f"remove {p}"

    def e_body(self):
        p = self.rng.choice(self.posts())
        what = self.rng.choice(["reword", "add paragraph", "drop paragraph",
                                "heading", "code", "more"])

        def fn(lines, body):
            bs = blocks(body)
            text = [i for i, b in enumerate(bs) if is_text(b)]
            if what == "reword" and text:
                i = self.rng.choice(text)
                words = bs[i].split(" ")
                j = self.rng.randrange(len(words))
                if not words[j].startswith(("#", "[", "![")) and \
                        "](" not in words[j]:
                    words[j] = self.rng.choice(WORDS)
                bs[i] = " ".join(words)
            elif what == "drop paragraph" and len(bs) > 1:
                bs.pop(self.rng.randrange(len(bs)))
            elif what == "heading":
                bs.insert(self.rng.randint(0, len(bs)),
                          "## " + self.words(1, 3).capitalize())
            elif what == "code":
                code = [i for i, b in enumerate(bs) if b.startswith("```")]
                if code:
                    bs.pop(self.rng.choice(code))
                else:
                    bs.insert(self.rng.randint(0, len(bs)), self.code())
            elif what == "more":
                if "<!--more-->" in bs:
                    bs.remove("<!--more-->")
                else:
                    bs.insert(self.rng.randint(1, len(bs)), "<!--more-->")
            else:
                bs.insert(self.rng.randint(0, len(bs)), self.paragraph())
            return lines, unblocks(bs)
        self.update(p, fn)
        return f"{what} in {p}"

    def e_retag(self):
        p = self.rng.choice(self.posts())
        what = self.rng.choice(["add #tag", "remove #tag", "change #tag",
                                "front matter tags"])

        def fn(lines, body):
            found = list(TAG.finditer(body))
            if what == "front matter tags":
                value = None if has_field(lines, "tags") and \
                    self.rng.random() < 0.4 else self.fm_tags()
                return set_field(lines, "tags", value), body
            if what == "remove #tag" and found:
                m = self.rng.choice(found)
                return lines, body[:m.start()] + body[m.end():]
            if what == "change #tag" and found:
                m = self.rng.choice(found)
                tag = m.group()
                new = self.rng.choice([tag.swapcase(), tag.lower(),
                                       self.rng.choice(TAGS)])
                return lines, body[:m.start()] + new + body[m.end():]
            bs = blocks(body)
            text = [i for i, b in enumerate(bs) if is_text(b)] or [0]
            i = self.rng.choice(text)
            bs[i] += " " + self.rng.choice(TAGS)
            return lines, unblocks(bs)
        self.update(p, fn)
        return f"{what} in {p}"

    def relink(self, moves):
        """Makes every relative link to a moved file follow it (and the
        links of a moved post still reach their targets)."""
        back = {new: old for old, new in moves.items()}
        for p in self.posts():
            old_p = back.get(p, p)
            text = self.read(p)

            def fix(m):
                target = os.path.normpath(os.path.join(
                    os.path.dirname(old_p), m.group(1)))
                target = moves.get(target, target)
                return "](" + os.path.relpath(target, os.path.dirname(p)) + \
                    (m.group(2) or "") + ")"
            new = LINK.sub(fix, text)
            if new != text:
                self.write(p, new)

    def e_move(self):
        posts = self.posts()
        tracked = self.tracked()
        bundles = self.bundles()
        if bundles and self.rng.random() < 0.15:
            src = self.rng.choice(bundles)
            dst = f"content/{self.rng.choice(CHANNELS)}/trip-{self.name()}"
            moves = {f: dst + f[len(src):] for f in self.files(src)}
        else:
            src = self.rng.choice([p for p in posts
                                   if os.path.basename(p) != "index.md"])
            dst = self.new_path(ext=os.path.splitext(src)[1])
            moves = {src: dst}
        use_git = all(f in tracked for f in moves) and self.rng.random() < 0.5
        os.makedirs(os.path.dirname(self.full(dst)), exist_ok=True)
        if use_git:
            self.git("mv", src, dst)
        else:
            os.rename(self.full(src), self.full(dst))
        self.relink(moves)
        return f"{'git mv' if use_git else 'move'} {src} -> {dst}"

    def set_front(self, p, key, value):
        """Sets (None: removes) one front matter field of post p."""
        self.update(p, lambda lines, body: (set_field(lines, key, value),
                                            body))
        return f"no {key} in {p}" if value is None else \
            f"{key}: {value} in {p}"

    def e_title_date(self):
        p = self.rng.choice(self.posts())
        key = self.rng.choice(["title", "date", "date", "updated"])
        if has_field(split(self.read(p))[1], key) and self.rng.random() < 0.3:
            return self.set_front(p, key, None)
        return self.set_front(p, key, self.title() if key == "title"
                              else self.date())

    def e_link(self):
        posts = self.posts()
        linked = [p for p in posts if LINK.search(self.read(p))]
        what = self.rng.choice(["add link", "remove link", "retarget link"])
        if what != "add link" and linked:
            p = self.rng.choice(linked)
            text = self.read(p)
            m = self.rng.choice(list(LINK.finditer(text)))
            if what == "remove link":  # the text stays, unlinked
                start = text.rfind("[", 0, m.start())
                text = text[:start] + text[start + 1:m.start()] + \
                    text[m.end():]
            else:
                to = self.rng.choice(posts)
                text = text[:m.start()] + "](" + os.path.relpath(
                    to, os.path.dirname(p)) + ")" + text[m.end():]
            self.write(p, text)
            return f"{what} in {p}"
        p, to = self.rng.sample(posts, 2)
        rel = os.path.relpath(to, os.path.dirname(p))
        self.update(p, lambda lines, body: (
            lines, body + f"\nSee [{self.words(1, 3)}]({rel}).\n"))
        return f"add link in {p} to {to}"

    def e_template(self):
        have = self.overrides()
        r = self.rng.random()
        if r < 0.15 and len(have) < len(TEMPLATES):
            t = self.rng.choice([t for t in TEMPLATES if t not in have])
            with open(os.path.join(TOP, f"themes/default/templates/"
                                   f"{t}.mustache"), encoding="utf-8") as f:
                self.write(f"themes/default/templates/{t}.mustache", f.read())
            return f"override template {t}"
        if r < 0.25 and have:
            t = self.rng.choice(have)
            self.remove(f"themes/default/templates/{t}.mustache")
            return f"drop the override of template {t}"
        if not have:
            return None
        t = self.rng.choice(have)
        p = f"themes/default/templates/{t}.mustache"
        lines = [line for line in self.read(p).split("\n")
                 if not line.startswith('<p class="edition">')]
        if self.rng.random() < 0.8:
            note = self.words(1, 4)
            if self.rng.random() < 0.3:
                note += " of {{site.title}}"
            lines.insert(lines.index(TEMPLATES[t]),
                         f'<p class="edition">{note}</p>')
        self.write(p, "\n".join(lines))
        return f"edit template {t}"

    def e_break_template(self):
        have = self.overrides()
        if "template" in self.pending or not have:
            return None
        t = self.rng.choice(have)
        p = f"themes/default/templates/{t}.mustache"
        lines = self.read(p).split("\n")
        lines.insert(lines.index(TEMPLATES[t]), TPL_BREAK)
        self.write(p, "\n".join(lines))
        self.pending["template"] = self.edit_no + self.rng.randint(1, 4)
        return f"break template {t} (a section never closed)"

    def e_break_post(self):
        if "post" in self.pending:
            return None
        p = self.rng.choice(self.posts())
        d, lines, body = split(self.read(p))
        if self.rng.random() < 0.3 and d:
            d, how = "+++", "TOML delimiters"
        else:
            lines.insert(0, self.rng.choice(FM_BREAKS))
            d, how = d or "---", lines[0]
        self.write(p, join(d, lines, body))
        self.pending["post"] = self.edit_no + self.rng.randint(1, 4)
        return f"break the front matter of {p} ({how})"

    def fix(self, kind):
        """Takes out every break of kind; what it fixed, or None."""
        fixed = []
        if kind == "template":
            for t in self.overrides():
                p = f"themes/default/templates/{t}.mustache"
                text = self.read(p)
                if TPL_BREAK in text:
                    self.write(p, text.replace(TPL_BREAK + "\n", ""))
                    fixed.append(p)
        else:
            for p in self.posts():
                d, lines, body = split(self.read(p))
                kept = [line for line in lines if line not in FM_BREAKS]
                if d == "+++" or kept != lines:
                    self.write(p, join("---", kept, body))
                    fixed.append(p)
        return f"fix {', '.join(fixed)}" if fixed else None

    def e_settings(self):
        s = self.settings
        what = self.rng.choice(["title", "description", "per_page", "author",
                                "language", "feed_size", "base_url",
                                "hashtags", "channel"])
        if what == "channel":
            ch = self.rng.choice(CHANNELS)
            p = f"content/{ch}/_index.md"
            self.update(p, lambda lines, body: (set_field(
                lines, "title", self.title()), body) if self.rng.random() < 0.5
                else (lines, self.paragraph() + "\n"))
            return f"edit channel {p}"
        if what == "title":
            s["title"] = self.words(1, 3).capitalize()
        elif what == "description":
            s["description"] = self.words(2, 6)
        elif what == "per_page":
            s["per_page"] = self.rng.randint(2, 5)
        elif what == "author":
            s["author"] = None if s["author"] else self.words(2, 2).title()
        elif what == "language":
            s["language"] = self.rng.choice(["en", "ru", "fr"])
        elif what == "feed_size":
            s["feed_size"] = self.rng.randint(3, 10)
        elif what == "base_url":
            s["base_url"] = self.rng.choice(["https://example.org/",
                                             "https://example.org/blog/",
                                             "https://user.github.io/site/"])
        else:  # every #word in the text stops being a tag, or starts again
            s["hashtags"] = None if s["hashtags"] else "front_matter"
        self.write_settings()
        return f"site.yaml: {what} {s.get(what)}"

    def e_static(self):
        files = [p for p in self.files("static")]
        what = self.rng.choice(["add", "edit", "remove"])
        if what == "add" or not files:
            p = f"static/files/note-{self.name()}.txt"
            self.write(p, self.paragraph() + "\n")
            return f"add {p}"
        p = self.rng.choice(files)
        if what == "remove":
            self.remove(p)
            return f"remove {p}"
        self.write(p, self.read(p) + self.sentence() + "\n")
        return f"edit {p}"

    def e_bundle_image(self):
        bundles = self.bundles()
        if not bundles:
            return None
        d = self.rng.choice(bundles)
        others = [f for f in self.files(d) if not f.endswith("/index.md")]
        what = self.rng.choice(["edit", "add", "remove"])
        if what == "edit" and others:
            p = self.rng.choice(others)
            self.write(p, self.image())
            return f"edit image {p}"
        if what == "remove" and others:
            p = self.rng.choice(others)
            self.remove(p)
            return f"remove image {p}"
        name = f"extra-{self.name()}.png"
        self.write(f"{d}/{name}", self.image())
        if self.rng.random() < 0.5:
            self.update(f"{d}/index.md", lambda lines, body: (
                lines, body + f"\n![Another]({name})\n"))
        return f"add image {d}/{name}"

    def changed(self):
        """Paths changed in the working tree (untracked ones too), as git
        status shows them; what is only staged is committed anyway."""
        out = self.git("status", "--porcelain", "-z", "-uall",
                       "--no-renames")
        return sorted({e[3:] for e in out.split("\0")
                       if len(e) > 3 and e[1] != " "})

    def e_commit(self):
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m",
                 f"edit {self.edit_no}", date=self.git_date())
        return "commit everything"

    def e_commit_some(self):
        changed = self.changed()
        if not changed:
            return None
        some = [p for p in changed if self.rng.random() < 0.5] or changed[:1]
        self.git("add", "-A", "--", *some)
        self.git("commit", "-q", "-m", f"edit {self.edit_no}",
                 date=self.git_date())
        return f"commit {len(some)} of {len(changed)} changed: " + \
            ", ".join(some[:3]) + (" ..." if len(some) > 3 else "")

    def e_checkout(self):
        modified = [p for p in self.git("diff", "--name-only", "-z")
                    .split("\0") if p]
        if not modified:
            return None
        p = self.rng.choice(modified)
        self.git("checkout", "-q", "--", p)
        self.touch(p)  # git gives it the real time: keep replays alike
        return f"git checkout -- {p}"

    def e_touch(self):
        p = self.rng.choice(self.files("content") + self.files("static") +
                            self.files("themes") + ["site.yaml"])
        self.touch(p)
        return f"touch {p} (same bytes, new mtime)"

    def e_racy(self):
        """Two writes of the same size and mtime with a build between:
        what a cache trusting size and mtime at 1 s would miss. The mtime is
        this second's (as an editor saving twice makes it) or the edit's
        clock (as touch -r or cp -p keep an old one)."""
        choices = [p for p in self.posts() if not self.read(p).startswith("+")]
        choices += [f"themes/default/templates/{t}.mustache"
                    for t in self.overrides()]
        choices += [p for p in self.files("static") if p.endswith(".txt")]
        p = self.rng.choice(choices)
        text = self.read(p)
        start = len(text) - len(split(text)[2]) if p.startswith("content") \
            else 0
        # ASCII letters outside front matter and {{tags}}: same size, and
        # the template stays valid
        spots = [m.start() for m in re.finditer(r"[a-z]", text[start:])]
        def line(i):
            return text[text.rfind("\n", 0, i) + 1:text.find("\n", i)]
        spots = [start + i for i in spots if "{{" not in line(start + i)
                 and line(start + i) not in TEMPLATES.values()]
        if not spots:
            return None
        i = self.rng.choice(spots)
        x, y = self.rng.sample([c for c in "aeiou" if c != text[i]], 2)
        t = int(time.time()) if self.rng.random() < 0.5 else self.clock
        self.write(p, text[:i] + x + text[i + 1:], mtime=t)
        self.build_between()
        self.write(p, text[:i] + y + text[i + 1:], mtime=t)
        return f"racy edit {p} (twice, same size and mtime {t}, a build " \
            "between)"

    def e_misc(self):
        """Toggles a field that moves a post in or out of lists and URLs."""
        p = self.rng.choice(self.posts())
        key = self.rng.choice(["draft", "aliases", "channels", "summary",
                               "slug", "description"])
        value = None
        if has_field(split(self.read(p))[1], key):
            pass
        elif key == "draft":
            value = "true"
        elif key == "aliases":
            value = f"[/old/post-{self.name()}/]"
        elif key == "channels":  # cross-posted, or out of its own channel
            value = "[" + ", ".join(self.rng.sample(
                CHANNELS, self.rng.randint(1, 3))) + "]"
        elif key == "slug":
            value = f"s-{self.name()}"
        else:
            value = json.dumps(self.words(3, 8), ensure_ascii=False)
        return self.set_front(p, key, value)

    KINDS = [("e_add", 8), ("e_remove", 6), ("e_body", 10), ("e_retag", 10),
             ("e_move", 8), ("e_title_date", 8), ("e_link", 6),
             ("e_template", 5), ("e_break_template", 2), ("e_break_post", 3),
             ("e_settings", 5), ("e_static", 4), ("e_bundle_image", 4),
             ("e_commit", 5), ("e_commit_some", 4), ("e_checkout", 4),
             ("e_touch", 4), ("e_racy", 5), ("e_misc", 4)]

    def edit(self, n):
        """Edit number n: a break that is due is fixed, else a random
        edit. What was done, in words."""
        self.edit_no = n
        self.clock += self.rng.randint(60, 3 * 3600)
        for kind, due in sorted(self.pending.items()):
            if due <= n:
                del self.pending[kind]
                done = self.fix(kind)
                if done:
                    return done
        names = [k for k, _ in self.KINDS]
        weights = [w for _, w in self.KINDS]
        while True:
            done = getattr(self, self.rng.choices(names, weights)[0])()
            if done:
                return done


def main():
    if sys.argv[1:] == ["--plan"]:
        print(plan())
        return 0
    # Each edit's clean build writes some 180 files, removed at the next:
    # on a busy disk that alone takes minutes, in memory a second. TMPDIR,
    # when set, decides.
    shm = "/dev/shm"
    where = shm if not os.environ.get("TMPDIR") and os.path.isdir(shm) \
        and os.access(shm, os.W_OK) else None
    tmp = tempfile.mkdtemp(prefix="gazette-incremental-", dir=where)
    try:
        return run(tmp)
    finally:
        if os.environ.get("INCREMENTAL_KEEP"):
            print(f"# kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def planted(tmp, clean):
    """Reports whether the compare sees what was planted in copies of the
    clean output folder: a changed byte, a missing file, a new mtime."""
    copies = [os.path.join(tmp, f"planted-{i}") for i in range(3)]
    for c in copies:
        shutil.copytree(clean, c, symlinks=True)
    with open(os.path.join(copies[0], "index.html"), "r+b") as f:
        first = f.read(1)
        f.seek(0)
        f.write(b"<" if first != b"<" else b"[")
    os.remove(os.path.join(copies[1], "feed.xml"))
    seen = diff_trees(tree(clean), tree(copies[0]), clean, copies[0],
                      "clean", "planted")
    seen += diff_trees(tree(clean), tree(copies[1]), clean, copies[1],
                       "clean", "planted")
    same = diff_trees(tree(clean), tree(copies[2]), clean, copies[2],
                      "clean", "copy")
    report("differs: index.html" in "\n".join(seen)
           and "only in clean: feed.xml" in seen and not same,
           "the compare sees a changed byte and a missing file, and no "
           "difference in a copy", seen + same)
    before = tree(copies[2], stats=True)
    os.utime(os.path.join(copies[2], "sitemap.xml"), ns=(0, 0))
    report(before != tree(copies[2], stats=True),
           "the failed-build check sees a file's new mtime")


def run(tmp):
    os.environ.update(GIT_CONFIG_NOSYSTEM="1", HOME=tmp, TZ="UTC",
                      GIT_AUTHOR_NAME="Tester",
                      GIT_AUTHOR_EMAIL="tester@example.org",
                      GIT_COMMITTER_NAME="Tester",
                      GIT_COMMITTER_EMAIL="tester@example.org")
    print(f"# seed {SEED}, {EDITS} edits (INCREMENTAL_SEED={SEED} "
          f"INCREMENTAL_EDITS={EDITS} replays them)", flush=True)
    rng = random.Random(SEED)
    site = Site(os.path.join(tmp, "site"), rng)
    inc, clean = os.path.join(tmp, "inc"), os.path.join(tmp, "clean")
    ref, ref_clean = os.path.join(tmp, "ref"), os.path.join(tmp, "ref-clean")
    j1, j3 = os.path.join(tmp, "j1"), os.path.join(tmp, "j3")
    site.make()
    kept = {}  # inc's tree(stats=True), while nothing else built there

    def between():
        kept.clear()
        build(site.root, inc)
    site.build_between = between

    # The compare must see a difference that is there: one changed byte
    # in a page, one file missing, one file rewritten in place.
    rc, err = build(site.root, clean)
    if rc == 0:
        planted(tmp, clean)
    else:
        for what in ("the compare sees planted differences",
                     "the failed-build check sees a file's new mtime"):
            report(False, f"{what}: no first build to plant them in",
                   [f"status {rc}"] + err)

    rc, err = build(site.root, inc)
    expect = ["index.html", "page/2/index.html", "feed.xml", "sitemap.xml",
              "tags/index.html", "news/index.html"]
    missing = [p for p in expect if not os.path.exists(os.path.join(inc, p))]
    report(rc == 0 and not missing,
           f"the first site builds: {len(site.posts())} posts, "
           f"{len(tree(inc))} paths", [f"status {rc}"] + err +
           [f"missing: {p}" for p in missing])
    if rc != 0:  # nothing to compare edits with: the plan still holds
        while len(results) < plan():
            report(False, "not run: the first site did not build")
        return 1

    succeeded = 0
    for n in range(1, EDITS + 1):
        try:
            what = site.edit(n)
        except Exception as e:  # a bug of this test: say so, go on
            report(False, f"edit {n}: could not be made", [repr(e)])
            kept.clear()
            continue
        problems, rc, kept["tree"] = compare(site.root, inc, clean,
                                             before=kept.get("tree"))
        succeeded += rc == 0
        if problems:
            problems.append(f"replay: INCREMENTAL_SEED={SEED} "
                            f"INCREMENTAL_EDITS={n}")
            # later edits are checked from a sound start
            kept.clear()
            shutil.rmtree(inc, ignore_errors=True)
            build(site.root, inc)
        report(not problems, f"edit {n}: {what}", problems)
        if n % EVERY:
            continue
        problems = compare(site.root, ref, ref_clean, ["--ref", "HEAD"],
                           ["--ref", "HEAD"], ("kept --ref", "new --ref"))[0]
        if problems:
            shutil.rmtree(ref, ignore_errors=True)
        report(not problems, f"after edit {n}: --ref HEAD into a kept folder "
               "equals a new one", problems)
        shutil.rmtree(j1, ignore_errors=True)
        problems = compare(site.root, j1, j3, ["-j", "1"], ["-j", "3"],
                           ("-j 1", "-j 3"))[0]
        report(not problems, f"after edit {n}: -j 1 equals -j 3", problems)
    report(succeeded * 2 >= EDITS,
           f"{succeeded} of {EDITS} edits left a site that builds "
           "(at least half must)")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
