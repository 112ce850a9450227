#!/usr/bin/env python3
"""Helper of check_import.sh.

  check_import.py export DIR [more]   writes a Telegram Desktop export of a
                                      channel into DIR (result.json, a PNG
                                      photo, a file); with "more", one more
                                      message (a newer export)
  check_import.py dates [more]        prints each imported message's date
                                      (RFC 3339), oldest first
  check_import.py html DIR OUT CH     checks the built site OUT: prints TAP
                                      lines without a plan, exits 1 if any
                                      failed

The export is written as Telegram Desktop writes it (tdesktop's
export_output_json.cpp): "text" a string when it is one plain part, else
a list of strings and objects; "text_entities" all objects; dates in the
exporter's local time with date_unixtime beside them."""
import datetime
import html.parser
import json
import os
import re
import struct
import sys
import unicodedata
import zlib

# (id, local time, UTC offset in hours) of each message, in order.
TZ3 = datetime.timezone(datetime.timedelta(hours=3))
TZ2 = datetime.timezone(datetime.timedelta(hours=2))


def png(path):
    """A real 2x2 red PNG."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    data = (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def P(text):
    return {"type": "plain", "text": text}


def E(kind, text, **extra):
    d = {"type": kind, "text": text}
    d.update(extra)
    return d


# Every entity type, and the odd places for emphasis.
ALL_ENTITIES = [
    P("Plain: *stars* _under_ [brackets] <b>tag</b> & &amp; ~tilde~ |pipe| "
      "`tick` \\back 1. x\n"),
    E("bold", "bold"), P(" "), E("italic", "italic"), P(" "),
    E("underline", "underline"), P(" "), E("strikethrough", "strike"),
    P(" "), E("spoiler", "spoiler"), P(" "), E("code", "co`de"), P("\n"),
    E("text_link", "a link", href="https://example.org/a_(b)?c=1&d=2"),
    P(" "), E("link", "https://example.com/path_x"), P(" "),
    E("email", "user_name@example.org"), P(" "),
    E("phone", "+1 (555) 123-4567"), P(" "), E("mention", "@durov"),
    P(" "), E("mention_name", "Pavel D", user_id=1234), P(" "),
    E("hashtag", "#Carina"), P(" "), E("hashtag", "#carina"), P(" "),
    E("hashtag", "#Space_News"), P(" "), E("cashtag", "$USD"), P(" "),
    E("bot_command", "/start"), P(" "),
    E("bank_card", "4111 1111 1111 1111"), P(" "),
    E("custom_emoji", "🔥", document_id=5368324170671202286), P("\n\n"),
    E("blockquote", "A quoted line\nand its second line"), P("\n"),
    E("pre", "def f(x):\n    return x * 2\n", language="python"),
    P("\nAfter the code."),
]

ODD_EMPHASIS = [
    P("in"), E("bold", "side"), P("word, "), E("bold", " spaced "),
    P("and x"), E("bold", "(paren)"), P("y and a"), E("italic", "!"),
    P("b and "), E("bold", "B"), E("italic", "I"), P(" then "),
    E("strikethrough", "gone."), P(" foo"), E("bold", "-bar-"), P("baz "),
    E("italic", "it"), E("bold", "bo"), P("x a"), E("strikethrough", "mid"),
    P("b "), E("bold", "*star*"), P(" "), E("code", "`x`"), P(" "),
    E("underline", "a<b"), P(" "),
    E("text_link", "odd [href]", href="https://example.org/a b<c>d"),
    P(" "), E("bold", "two\nlines"), P("\n"),
    P("# not a heading\n- not a list\n1) not a list either\n"
      "    four spaces\n> not a quote\n+ plus\n=====\n---\n"
      "|a|b|\n|-|-|\nlast line"),
]

# Plain text that looks like markup of Markdown, GFM or Kramdown.
MARKUP_LOOKING = [
    P("<!--more--> and [^1] and <https://example.org> and &copy;\n"
      "[x]: not a definition\n~~~ not a fence\n``` not a fence either\n"
      "\t tab start\n* not a bullet\n_ not emphasis_ \\\n"
      "2024. a year, not a list\n\n\nafter two empty lines\n"
      "Ends like an attribute list {: .note}"),
]


def message(mid, when, parts=None, **fields):
    """A message as the exporter writes it: id, type, dates, fields, then
    text and text_entities."""
    m = {"id": mid, "type": "message",
         "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
         "date_unixtime": str(int(when.timestamp())),
         "from": "Test Channel", "from_id": "channel1000"}
    edited = fields.pop("edited", None)
    if edited:
        # The keys come in the exporter's order: edited right after date.
        m = {k: m[k] for k in ("id", "type", "date", "date_unixtime")}
        m["edited"] = edited.strftime("%Y-%m-%dT%H:%M:%S")
        m["edited_unixtime"] = str(int(edited.timestamp()))
        m["from"], m["from_id"] = "Test Channel", "channel1000"
    m.update(fields)
    parts = parts or []
    plain = all(p["type"] == "plain" for p in parts)
    if not parts:
        m["text"] = ""
    elif plain and len(parts) == 1:
        m["text"] = parts[0]["text"]
    else:
        m["text"] = [p["text"] if p["type"] == "plain" else p for p in parts]
    m["text_entities"] = parts
    return m


def service(mid, when, action, **fields):
    m = {"id": mid, "type": "service",
         "date": when.strftime("%Y-%m-%dT%H:%M:%S"),
         "date_unixtime": str(int(when.timestamp())),
         "actor": "Test Channel", "actor_id": "channel1000",
         "action": action}
    m.update(fields)
    m["text"] = ""
    m["text_entities"] = []
    return m


def messages(more=False):
    d = lambda *a, tz=TZ3: datetime.datetime(*a, tzinfo=tz)
    ms = [
        service(1, d(2024, 3, 1, 9, 0, 0), "create_channel",
                title="Test Channel"),
        message(2, d(2024, 3, 1, 10, 0, 0), ALL_ENTITIES),
        message(3, d(2024, 3, 2, 11, 30, 0), ODD_EMPHASIS,
                edited=d(2024, 3, 3, 8, 15, 0)),
        message(4, d(2024, 3, 4, 12, 0, 0),
                [P("A red square "), E("hashtag", "#photo")],
                photo="photos/photo_4@04-03-2024_12-00-00.jpg.png",
                width=2, height=2),
        message(5, d(2024, 3, 5, 13, 0, 0), [P("The notes, attached.")],
                file="files/notes.txt", mime_type="text/plain"),
        message(6, d(2024, 3, 6, 14, 0, 0), [P("Yes, as said above.")],
                reply_to_message_id=2),
        message(7, d(2024, 3, 7, 15, 0, 0), [],
                photo="photos/photo_7@07-03-2024_15-00-00.png",
                width=2, height=2),
        service(8, d(2024, 3, 8, 16, 0, 0), "pin_message", message_id=2),
        # Summer time: the exporter's offset is +02:00 here.
        message(9, d(2024, 7, 9, 17, 0, 0, tz=TZ2),
                [P("Worth reading: "), E("italic", "*this*")],
                forwarded_from="Other [Channel]"),
        message(10, d(2024, 7, 10, 18, 0, 0, tz=TZ2),
                [P("New things: "), E("fancy_new_entity", "shiny")]),
        message(11, d(2024, 7, 11, 19, 0, 0, tz=TZ2), [P("A video was here")],
                file="(File not included. Change data exporting settings to "
                     "download.)",
                media_type="video_file", mime_type="video/mp4"),
        message(12, d(2024, 7, 12, 9, 0, 0, tz=TZ2), MARKUP_LOOKING),
    ]
    if more:
        ms.append(message(13, d(2024, 8, 13, 20, 0, 0, tz=TZ2),
                          [P("One more, "), E("hashtag", "#later")],
                          reply_to_message_id=9))
    return ms


def write_export(folder, more=False):
    os.makedirs(os.path.join(folder, "photos"), exist_ok=True)
    os.makedirs(os.path.join(folder, "files"), exist_ok=True)
    png(os.path.join(folder, "photos", "photo_4@04-03-2024_12-00-00.jpg.png"))
    png(os.path.join(folder, "photos", "photo_7@07-03-2024_15-00-00.png"))
    with open(os.path.join(folder, "files", "notes.txt"), "w") as f:
        f.write("notes\n")
    doc = {"name": "Test Channel", "type": "public_channel", "id": 1000,
           "messages": messages(more)}
    with open(os.path.join(folder, "result.json"), "w",
              encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def norm(s):
    return " ".join(s.split())


class Content(html.parser.HTMLParser):
    """The post's <div class="content">: its text, and every element in it
    with its tag, attributes and text."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # inside the content div: its depth
        self.stack = []         # open elements: [tag, attrs, text]
        self.text = []
        self.elements = []      # (tag, attrs, text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in self.VOID:
            if self.depth:
                self.elements.append((tag, a, ""))
            return
        self.stack.append([tag, a, []])
        if not self.depth and tag == "div" and \
                "content" in (a.get("class") or "").split():
            self.depth = len(self.stack)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            t, a, text = self.stack.pop()
            if self.depth and len(self.stack) >= self.depth:
                self.elements.append((t, a, "".join(text)))
            if len(self.stack) < self.depth:
                self.depth = 0
            if t == tag:
                break

    def handle_data(self, data):
        if not self.depth:
            return
        self.text.append(data)
        for e in self.stack[self.depth - 1:]:
            e[2].append(data)


def page(out, ch, mid):
    path = os.path.join(out, ch, str(mid), "index.html")
    c = Content()
    with open(path, encoding="utf-8") as f:
        c.feed(f.read())
    return c


def fold(tag):
    return unicodedata.normalize("NFC", tag.casefold())


# The HTML element each formatting entity must become.
FORMAT = {"hashtag": ("a", "hashtag"), "link": ("a", None),
          "email": ("a", None), "mention": ("a", None),
          "bold": ("strong", None), "italic": ("em", None),
          "underline": ("u", None), "strikethrough": ("del", None),
          "spoiler": ("span", "spoiler"), "code": ("code", None),
          "text_link": ("a", None), "phone": ("a", None),
          "blockquote": ("blockquote", None)}
PUNCT = re.compile(r"^\W|\W$")


def check_html(out, ch, more):
    results = []

    def check(name, ok, why=""):
        results.append((ok, name, why))

    tags = set()
    for m in messages(more):
        if m["type"] != "message":
            continue
        mid = m["id"]
        parts = m["text_entities"]
        tags |= {fold(p["text"][1:]) for p in parts if p["type"] == "hashtag"}
        try:
            c = page(out, ch, mid)
        except OSError as e:
            # Every check below then fails: the number of lines is the same.
            c = Content()
            c.text = [f"(no page: {e})"]
        shown = norm("".join(c.text))
        text = norm("".join(p["text"] for p in parts))
        check(f"message {mid}: the page shows its text", text in shown,
              f"text:  {text!r}\nshown: {shown!r}")
        for p in parts:
            kind = p["type"]
            if kind not in FORMAT and kind != "pre":
                continue
            want = norm(p["text"])
            if kind == "pre":
                found = [e for e in c.elements if e[0] == "code" and
                         f"language-{p['language']}" in
                         (e[1].get("class") or "") and e[2] == p["text"]]
                check(f"message {mid}: pre is a code block in "
                      f"{p['language']} with the code as it is", bool(found),
                      f"elements: {c.elements}")
                continue
            tag, cls = FORMAT[kind]

            def matching(want):
                found = []
                for t, a, inner in c.elements:
                    if t != tag or (cls and cls not in
                                    (a.get("class") or "")):
                        continue
                    got = norm(inner)
                    # Punctuation at a word's edge may stand outside the
                    # delimiters (CommonMark cannot open or close there).
                    if got == want or (got and PUNCT.sub("", want) == got) \
                            or (got and want.strip("()") == got):
                        found.append((t, a, inner))
                return found
            found = matching(want)
            if kind != "blockquote" and "\n" in p["text"]:
                # Inline formatting stops at a line break and starts again
                # after it.
                lines = [norm(x) for x in p["text"].split("\n") if x.strip()]
                found = [m for x in lines for m in matching(x)]
                if len(found) < len(lines):
                    found = []
            name = f"message {mid}: {kind} {p['text']!r} is <{tag}>"
            if kind == "italic" and p["text"] == "!":
                # Alone between two letters, "!" cannot be emphasised in
                # Markdown: its text is checked above.
                continue
            if kind == "text_link":
                found = [e for e in found if urlunquote(e[1].get("href", ""))
                         == p["href"]]
                name += f" to {p['href']}"
            if kind == "link":
                found = [e for e in found if e[1].get("href") == p["text"]]
                name += " to itself (gazette links URLs)"
            if kind == "email":
                found = [e for e in found if e[1].get("href") ==
                         "mailto:" + p["text"]]
                name += " to mailto: (gazette links e-mail)"
            if kind == "mention":
                name += " (gazette links @mentions)"
            if kind == "hashtag":
                found = [e for e in found if e[1].get("href", "").rstrip("/")
                         .endswith("/tags/" + fold(p["text"][1:]))]
                name += " to its tag page (gazette links hashtags)"
            if kind == "phone":
                found = [e for e in found if e[1].get("href") ==
                         "tel:+15551234567"]
                name += " to tel:+15551234567"
            check(name, bool(found),
                  f"elements: {[e for e in c.elements if e[0] == tag]}")
        if "photo" in m and not m["photo"].startswith("("):
            base = os.path.basename(m["photo"])
            imgs = [e for e in c.elements if e[0] == "img" and
                    e[1].get("src", "").endswith(base)]
            copied = os.path.isfile(os.path.join(out, ch, str(mid), base))
            check(f"message {mid}: its photo is shown and published beside "
                  "the page", bool(imgs) and copied,
                  f"img: {imgs}, copied: {copied}")
        if "file" in m and not m["file"].startswith("("):
            base = os.path.basename(m["file"])
            links = [e for e in c.elements if e[0] == "a" and
                     e[1].get("href", "").endswith(base)]
            copied = os.path.isfile(os.path.join(out, ch, str(mid), base))
            check(f"message {mid}: its file is linked and published beside "
                  "the page", bool(links) and copied,
                  f"links: {links}, copied: {copied}")
        if "reply_to_message_id" in m:
            to = m["reply_to_message_id"]
            links = [e for e in c.elements if e[0] == "a" and
                     e[1].get("href", "").rstrip("/").endswith(
                         f"/{ch}/{to}")]
            check(f"message {mid}: links to the post it answers ({to})",
                  bool(links), f"links: {[e for e in c.elements if e[0] == 'a']}")
        if "forwarded_from" in m:
            check(f"message {mid}: says where it was forwarded from",
                  f"Forwarded from {m['forwarded_from']}" in shown, shown)
    # Only hashtags link to tag pages: the site's tags are the export's.
    try:
        built = {fold(urlunquote(t)) for t in os.listdir(os.path.join(out, "tags"))
                 if os.path.isdir(os.path.join(out, "tags", t))}
    except OSError:
        built = set()
    check("the tag pages are the export's hashtags, case-folded",
          built == tags, f"built: {sorted(built)}\nexport: {sorted(tags)}")
    fails = 0
    for ok, name, why in results:
        print(("ok" if ok else "not ok") + " - " + name)
        if not ok:
            fails += 1
            for line in str(why).splitlines():
                print("# " + line)
    return 1 if fails else 0


def urlunquote(s):
    import urllib.parse
    return urllib.parse.unquote(s)


def main():
    cmd = sys.argv[1]
    if cmd == "export":
        write_export(sys.argv[2], len(sys.argv) > 3)
    elif cmd == "dates":
        for m in messages(len(sys.argv) > 2):
            if m["type"] != "message":
                continue
            local = datetime.datetime.fromisoformat(m["date"])
            utc = datetime.datetime.fromtimestamp(int(m["date_unixtime"]),
                                                  datetime.timezone.utc)
            offset = local - utc.replace(tzinfo=None)
            print(utc.astimezone(datetime.timezone(offset)).isoformat())
    elif cmd == "html":
        sys.exit(check_html(sys.argv[2], sys.argv[3], len(sys.argv) > 4))


if __name__ == "__main__":
    main()
