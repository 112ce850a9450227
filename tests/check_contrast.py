#!/usr/bin/env python3
"""Checks the syntax highlighting stylesheet of the default theme
(usage: check_contrast.py [CSS], default themes/default/assets/highlight.css).

Two palettes: light (the rules outside any @media block) and dark (the same
rules, then those of the @media (prefers-color-scheme: dark) block, which
override them in source order, as the cascade does). For each palette and
each token class of pygments.token.STANDARD_TYPES (plus .ln, the line
numbers, and any other class the stylesheet colours) it checks that the
class has a colour, its own or the default foreground of ".highlight pre",
and that this colour has a WCAG 2 contrast ratio of at least 4.5:1 against
the code background and against the .hll (highlighted line) background.
It also checks that the backgrounds are the theme's --code-bg values.

Prints TAP lines and the lowest contrast per palette; exits 1 if any failed.

The parser is deliberately small: it understands the format highlight.css
is written in (plain rules, @media blocks, /* comments */, colours as #rgb,
#rrggbb or rgb(r, g, b)); selectors other than ".highlight pre" /
".highlight" and ".highlight [pre] [code] .CLASS" are ignored."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CSS = os.path.join(HERE, "..", "themes", "default", "assets", "highlight.css")

MIN_RATIO = 4.5
# The theme's --code-bg, light and dark (themes/default/assets/style.css).
EXPECTED_BG = {"light": "#f4f4f6", "dark": "#1e2026"}
PALETTES = ("light", "dark")
# Classes that are not tokens: their colours are backgrounds only.
NOT_TEXT = {"hll"}

DEFAULT_SELECTORS = {".highlight", ".highlight pre", ".highlight pre code"}
CLASS_SELECTOR = re.compile(r"^\.highlight(?: pre)?(?: code)?(?: span)? ?\.([A-Za-z0-9_-]+)$")
HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
RGB = re.compile(r"^rgb\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)$")


# ---------------------------------------------------------------- colours

def parse_colour(value):
    """'#abc', '#aabbcc' or 'rgb(1, 2, 3)' -> (r, g, b) in 0..255, else None."""
    value = value.strip().lower()
    m = HEX.match(value)
    if m:
        h = m.group(1)
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))
    m = RGB.match(value)
    if m:
        rgb = tuple(int(x) for x in m.groups())
        if all(0 <= c <= 255 for c in rgb):
            return rgb
    return None


def hexname(rgb):
    return "#%02x%02x%02x" % rgb


def luminance(rgb):
    """WCAG 2 relative luminance."""
    def channel(c):
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def fmt_ratio(r):
    # Truncate, so that 4.497 never shows as 4.50.
    return "%.2f" % (int(r * 100) / 100.0)


# ---------------------------------------------------------------- CSS

def strip_comments(css):
    return re.sub(r"/\*.*?\*/", " ", css, flags=re.S)


def blocks(css):
    """Yields (media_prelude or None, rules_text) in source order: runs of
    top-level rules, and the body of every @media block."""
    i, n, start = 0, len(css), 0
    while i < n:
        at = css.find("@media", i)
        if at < 0:
            break
        open_ = css.find("{", at)
        if open_ < 0:
            break
        depth, j = 1, open_ + 1
        while j < n and depth:
            if css[j] == "{":
                depth += 1
            elif css[j] == "}":
                depth -= 1
            j += 1
        yield None, css[start:at]
        yield " ".join(css[at + len("@media"):open_].split()), css[open_ + 1:j - 1]
        i = start = j
    yield None, css[start:]


def rules(text):
    """Yields (selectors, {property: value}) for every plain rule."""
    for m in re.finditer(r"([^{}]+)\{([^{}]*)\}", text):
        selectors = [" ".join(s.split()) for s in m.group(1).split(",")]
        decls = {}
        for decl in m.group(2).split(";"):
            if ":" in decl:
                prop, value = decl.split(":", 1)
                value = value.replace("!important", "").strip()
                decls[prop.strip().lower()] = value
        yield selectors, decls


def palette_of(prelude):
    """Which palettes a block applies to."""
    if prelude is None:
        return PALETTES
    compact = prelude.replace(" ", "").lower()
    if "prefers-color-scheme:dark" in compact:
        return ("dark",)
    if "prefers-color-scheme:light" in compact:
        return ("light",)
    return ()  # print, widths...: not a palette


def load(css):
    """-> {palette: {"": {"color": v, "bg": v}, "k": {...}, ...}} with raw
    values, later rules overriding earlier ones."""
    styles = {p: {} for p in PALETTES}
    for prelude, text in blocks(strip_comments(css)):
        targets = palette_of(prelude)
        for selectors, decls in rules(text):
            props = {}
            if "color" in decls:
                props["color"] = decls["color"]
            for bgprop in ("background-color", "background"):
                if bgprop in decls:
                    props["bg"] = decls[bgprop]
            if not props:
                continue
            for sel in selectors:
                if sel in DEFAULT_SELECTORS:
                    key = ""
                else:
                    m = CLASS_SELECTOR.match(sel)
                    if not m:
                        continue
                    key = m.group(1)
                for p in targets:
                    styles[p].setdefault(key, {}).update(props)
    return styles


# ---------------------------------------------------------------- checks

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def line(self, ok, text, directive=""):
        self.n += 1
        if not ok:
            self.failed += 1
        print("%s - %s%s" % ("ok" if ok else "not ok", text, directive))


def token_classes():
    """-> ({class: token name}, None) or (None, reason)."""
    try:
        from pygments.token import STANDARD_TYPES
    except ImportError:
        return None, "pygments not installed"
    names = {}
    for token, cls in STANDARD_TYPES.items():
        names.setdefault(cls, str(token).replace("Token.", "", 1))
    names[""] = "Text, no class"
    return names, None


def check_palette(tap, palette, style, names):
    default = style.get("", {})
    lowest = {"all": None, "tokens": None}

    # Backgrounds.
    raw_bg = default.get("bg")
    bg = parse_colour(raw_bg) if raw_bg else None
    expected = EXPECTED_BG[palette]
    tap.line(bg is not None and hexname(bg) == expected,
             "%s: code background is %s (found %s)" % (palette, expected, raw_bg or "none"))
    if bg is None:
        bg = parse_colour(expected)
    raw_hll = style.get("hll", {}).get("bg")
    hll = parse_colour(raw_hll) if raw_hll else None
    tap.line(hll is not None, "%s: .hll has a background (%s)" % (palette, raw_hll or "none"))

    raw_fg = default.get("color")
    fg = parse_colour(raw_fg) if raw_fg else None

    # What to check: every token class, .ln, anything else the CSS colours.
    checks = []
    if names is None:
        checks.append(("", "Text, no class"))
    else:
        for cls in sorted(names):
            checks.append((cls, names[cls]))
    checks.append(("ln", "line numbers"))
    extra = sorted(k for k, v in style.items()
                   if k and k not in NOT_TEXT and "color" in v
                   and (names is None or k not in names) and k != "ln")
    checks.extend((cls, "not a token class" if names is not None else "") for cls in extra)

    for cls, what in checks:
        label = ("%s: .%s" % (palette, cls)) if cls else "%s: default foreground" % palette
        is_token = names is not None and cls in names
        if what:
            label += " (%s)" % what
        own = style.get(cls, {}) if cls else default
        raw = own.get("color")
        source = "own"
        if raw is None:
            raw, source = raw_fg, "inherited default"
        if raw is None:
            tap.line(False, "%s: no colour, and no default foreground" % label)
            continue
        colour = parse_colour(raw)
        if colour is None:
            tap.line(False, "%s: cannot parse colour %r" % (label, raw))
            continue
        # A class with its own background sits on it; otherwise on the code
        # background or on a highlighted line.
        own_bg = own.get("bg")
        if own_bg is not None and cls:
            parsed = parse_colour(own_bg)
            if parsed is None:
                tap.line(False, "%s: cannot parse background %r" % (label, own_bg))
                continue
            grounds = [("own background " + hexname(parsed), parsed)]
        else:
            grounds = [("background " + hexname(bg), bg)]
            if hll is not None:
                grounds.append((".hll " + hexname(hll), hll))
        ratios = [(contrast(colour, g), gname) for gname, g in grounds]
        worst, worst_on = min(ratios)
        where = (worst, "%s %s on %s" % (("." + cls) if cls else "default", hexname(colour), worst_on))
        if lowest["all"] is None or worst < lowest["all"][0]:
            lowest["all"] = where
        if is_token and (lowest["tokens"] is None or worst < lowest["tokens"][0]):
            lowest["tokens"] = where
        ok = worst >= MIN_RATIO
        detail = ", ".join("%s on %s" % (fmt_ratio(r), gname) for r, gname in ratios)
        tap.line(ok, "%s: %s %s, contrast %s%s" % (
            label, source, hexname(colour), detail,
            "" if ok else " (< %.1f)" % MIN_RATIO))
    return lowest


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSS
    tap = Tap()
    print("# %s" % os.path.relpath(path))
    try:
        with open(path, encoding="utf-8") as f:
            css = f.read()
    except OSError as e:
        tap.line(False, "stylesheet readable: %s" % e)
        print("1..%d" % tap.n)
        return 1
    styles = load(css)
    names, reason = token_classes()
    lowest = {}
    for palette in PALETTES:
        print("# %s palette" % palette)
        if names is None:
            tap.line(True, "%s: every Pygments token class has a legible colour" % palette,
                     " # SKIP %s" % reason)
        lowest[palette] = check_palette(tap, palette, styles[palette], names)
    for palette in PALETTES:
        for kind, text in (("all", "overall"), ("tokens", "token classes")):
            low = lowest[palette][kind]
            if low:
                print("# lowest contrast, %s, %s: %s (%s)"
                      % (palette, text, fmt_ratio(low[0]), low[1]))
    print("# %d checks, %d failed" % (tap.n, tap.failed))
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
