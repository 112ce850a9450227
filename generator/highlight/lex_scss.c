/* lex_scss.c: the SCSS lexer of the highlighter, after Pygments' ScssLexer
 * state by state: at-rules (k), variables (nv), selectors (nt, nc, nn, nd),
 * values with their constants (no, ni), functions (nf), numbers (mi, mf)
 * and units (kt), strings and url() with #{} interpolation (si), comments.
 * Like Pygments it lexes a declaration inside a rule as a selector. */
#include "lexer.h"

#define NONE ((size_t)-1)

/* Pygments' states */
enum { ROOT, VALUE, INTERPOLATION, FOR, SELECTOR, STRING_DOUBLE, STRING_SINGLE,
       STRING_URL, PSEUDO_CLASS, CLASS, ID, INLINE_COMMENT };

/* The words that value constants (no) and colours (ni) come from: CSS
 * properties and value keywords (pygments/lexers/css.py), all lower case,
 * in byte order (strcmp) for a binary search: Pygments' words() matches
 * them as a set, and a fixed table needs no index built first. */
static const char *const constants[] = {
    "-webkit-line-clamp", "above", "absolute", "accent-color", "align-content",
    "align-items", "align-self", "alignment-baseline", "all", "always", "animation",
    "animation-delay", "animation-direction", "animation-duration", "animation-fill-mode",
    "animation-iteration-count", "animation-name", "animation-play-state",
    "animation-timing-function", "appearance", "armenian", "aspect-ratio", "aural", "auto",
    "avoid", "azimuth", "backface-visibility", "background", "background-attachment",
    "background-blend-mode", "background-clip", "background-color", "background-image",
    "background-origin", "background-position", "background-repeat", "background-size",
    "baseline", "baseline-shift", "baseline-source", "behind", "below", "bidi-override",
    "blink", "block", "block-ellipsis", "block-size", "block-step", "block-step-align",
    "block-step-insert", "block-step-round", "block-step-size", "bold", "bolder",
    "bookmark-label", "bookmark-level", "bookmark-state", "border", "border-block",
    "border-block-color", "border-block-end", "border-block-end-color",
    "border-block-end-style", "border-block-end-width", "border-block-start",
    "border-block-start-color", "border-block-start-style", "border-block-start-width",
    "border-block-style", "border-block-width", "border-bottom", "border-bottom-color",
    "border-bottom-left-radius", "border-bottom-right-radius", "border-bottom-style",
    "border-bottom-width", "border-boundary", "border-collapse", "border-color",
    "border-end-end-radius", "border-end-start-radius", "border-image",
    "border-image-outset", "border-image-repeat", "border-image-slice",
    "border-image-source", "border-image-width", "border-inline", "border-inline-color",
    "border-inline-end", "border-inline-end-color", "border-inline-end-style",
    "border-inline-end-width", "border-inline-start", "border-inline-start-color",
    "border-inline-start-style", "border-inline-start-width", "border-inline-style",
    "border-inline-width", "border-left", "border-left-color", "border-left-style",
    "border-left-width", "border-radius", "border-right", "border-right-color",
    "border-right-style", "border-right-width", "border-spacing", "border-start-end-radius",
    "border-start-start-radius", "border-style", "border-top", "border-top-color",
    "border-top-left-radius", "border-top-right-radius", "border-top-style",
    "border-top-width", "border-width", "both", "bottom", "box-decoration-break",
    "box-shadow", "box-sizing", "box-snap", "break-after", "break-before", "break-inside",
    "capitalize", "caption-side", "caret", "caret-color", "caret-shape", "center",
    "center-left", "center-right", "chains", "circle", "cjk-ideographic", "clear", "clip",
    "clip-path", "clip-rule", "close-quote", "collapse", "color", "color-adjust",
    "color-interpolation-filters", "color-scheme", "column-count", "column-fill",
    "column-gap", "column-rule", "column-rule-color", "column-rule-style",
    "column-rule-width", "column-span", "column-width", "columns", "condensed", "contain",
    "contain-intrinsic-block-size", "contain-intrinsic-height",
    "contain-intrinsic-inline-size", "contain-intrinsic-size", "contain-intrinsic-width",
    "container", "container-name", "container-type", "content", "content-visibility",
    "continue", "continuous", "counter-increment", "counter-reset", "counter-set", "cross",
    "crosshair", "cue", "cue-after", "cue-before", "cursive", "cursor", "dashed", "decimal",
    "decimal-leading-zero", "default", "digits", "direction", "disc", "display",
    "dominant-baseline", "dotted", "double", "e-resize", "elevation", "embed",
    "empty-cells", "expanded", "extra-condensed", "extra-expanded", "fantasy", "far-left",
    "far-right", "fast", "faster", "fill", "fill-break", "fill-color", "fill-image",
    "fill-opacity", "fill-origin", "fill-position", "fill-repeat", "fill-rule", "fill-size",
    "filter", "fixed", "flex", "flex-basis", "flex-direction", "flex-flow", "flex-grow",
    "flex-shrink", "flex-wrap", "float", "float-defer", "float-offset", "float-reference",
    "flood-color", "flood-opacity", "flow", "flow-from", "flow-into", "font", "font-family",
    "font-feature-settings", "font-kerning", "font-language-override",
    "font-optical-sizing", "font-palette", "font-size", "font-size-adjust", "font-stretch",
    "font-style", "font-synthesis", "font-synthesis-small-caps", "font-synthesis-style",
    "font-synthesis-weight", "font-variant", "font-variant-alternates", "font-variant-caps",
    "font-variant-east-asian", "font-variant-emoji", "font-variant-ligatures",
    "font-variant-numeric", "font-variant-position", "font-variation-settings",
    "font-weight", "footnote-display", "footnote-policy", "forced-color-adjust", "gap",
    "georgian", "glyph-orientation-vertical", "grid", "grid-area", "grid-auto-columns",
    "grid-auto-flow", "grid-auto-rows", "grid-column", "grid-column-end",
    "grid-column-start", "grid-row", "grid-row-end", "grid-row-start", "grid-template",
    "grid-template-areas", "grid-template-columns", "grid-template-rows", "groove",
    "hanging-punctuation", "hebrew", "height", "help", "hidden", "hide", "high", "higher",
    "hiragana", "hiragana-iroha", "hyphenate-character", "hyphenate-limit-chars",
    "hyphenate-limit-last", "hyphenate-limit-lines", "hyphenate-limit-zone", "hyphens",
    "icon", "image-orientation", "image-rendering", "image-resolution", "inherit",
    "initial-letter", "initial-letter-align", "initial-letter-wrap", "inline",
    "inline-size", "inline-sizing", "inline-table", "input-security", "inset",
    "inset-block", "inset-block-end", "inset-block-start", "inset-inline",
    "inset-inline-end", "inset-inline-start", "inside", "invert", "isolation", "italic",
    "justify", "justify-content", "justify-items", "justify-self", "katakana",
    "katakana-iroha", "landscape", "large", "larger", "leading-trim", "left", "left-side",
    "leftwards", "letter-spacing", "level", "lighter", "lighting-color", "line-break",
    "line-clamp", "line-grid", "line-height", "line-height-step", "line-padding",
    "line-snap", "line-through", "list-item", "list-style", "list-style-image",
    "list-style-position", "list-style-type", "loud", "low", "lower", "lower-alpha",
    "lower-greek", "lower-roman", "lowercase", "ltr", "margin", "margin-block",
    "margin-block-end", "margin-block-start", "margin-bottom", "margin-break",
    "margin-inline", "margin-inline-end", "margin-inline-start", "margin-left",
    "margin-right", "margin-top", "margin-trim", "marker", "marker-end",
    "marker-knockout-left", "marker-knockout-right", "marker-mid", "marker-pattern",
    "marker-segment", "marker-side", "marker-start", "mask", "mask-border",
    "mask-border-mode", "mask-border-outset", "mask-border-repeat", "mask-border-slice",
    "mask-border-source", "mask-border-width", "mask-clip", "mask-composite", "mask-image",
    "mask-mode", "mask-origin", "mask-position", "mask-repeat", "mask-size", "mask-type",
    "max-block-size", "max-height", "max-inline-size", "max-lines", "max-width", "medium",
    "message-box", "middle", "min-block-size", "min-height", "min-inline-size",
    "min-intrinsic-sizing", "min-width", "mix", "mix-blend-mode", "monospace", "n-resize",
    "narrower", "nav-down", "nav-left", "nav-right", "nav-up", "ne-resize",
    "no-close-quote", "no-open-quote", "no-repeat", "none", "normal", "nowrap", "nw-resize",
    "object-fit", "object-overflow", "object-position", "object-view-box", "oblique",
    "offset", "offset-anchor", "offset-distance", "offset-path", "offset-position",
    "offset-rotate", "once", "opacity", "open-quote", "order", "orphans", "outline",
    "outline-color", "outline-offset", "outline-style", "outline-width", "outset",
    "outside", "overflow", "overflow-anchor", "overflow-block", "overflow-clip-margin",
    "overflow-inline", "overflow-wrap", "overflow-x", "overflow-y", "overline",
    "overscroll-behavior", "overscroll-behavior-block", "overscroll-behavior-inline",
    "overscroll-behavior-x", "overscroll-behavior-y", "padding", "padding-block",
    "padding-block-end", "padding-block-start", "padding-bottom", "padding-inline",
    "padding-inline-end", "padding-inline-start", "padding-left", "padding-right",
    "padding-top", "page", "page-break-after", "page-break-before", "page-break-inside",
    "pause", "pause-after", "pause-before", "perspective", "perspective-origin", "pitch",
    "pitch-range", "place-content", "place-items", "place-self", "play-during", "pointer",
    "pointer-events", "portrait", "position", "print-color-adjust", "property-name", "px",
    "quotes", "region-fragment", "relative", "repeat", "repeat-x", "repeat-y", "resize",
    "rest", "rest-after", "rest-before", "rgb", "richness", "ridge", "right", "right-side",
    "rightwards", "rotate", "row-gap", "ruby-align", "ruby-merge", "ruby-overhang",
    "ruby-position", "running", "s-resize", "sans-serif", "scale", "scroll",
    "scroll-behavior", "scroll-margin", "scroll-margin-block", "scroll-margin-block-end",
    "scroll-margin-block-start", "scroll-margin-bottom", "scroll-margin-inline",
    "scroll-margin-inline-end", "scroll-margin-inline-start", "scroll-margin-left",
    "scroll-margin-right", "scroll-margin-top", "scroll-padding", "scroll-padding-block",
    "scroll-padding-block-end", "scroll-padding-block-start", "scroll-padding-bottom",
    "scroll-padding-inline", "scroll-padding-inline-end", "scroll-padding-inline-start",
    "scroll-padding-left", "scroll-padding-right", "scroll-padding-top",
    "scroll-snap-align", "scroll-snap-stop", "scroll-snap-type", "scrollbar-color",
    "scrollbar-gutter", "scrollbar-width", "se-resize", "semi-condensed", "semi-expanded",
    "separate", "serif", "shape-image-threshold", "shape-inside", "shape-margin",
    "shape-outside", "show", "silent", "slow", "slower", "small-caps", "small-caption",
    "smaller", "soft", "solid", "spatial-navigation-action", "spatial-navigation-contain",
    "spatial-navigation-function", "speak", "speak-as", "speak-header", "speak-numeral",
    "speak-punctuation", "speech-rate", "spell-out", "square", "static", "status-bar",
    "stress", "string-set", "stroke", "stroke-align", "stroke-alignment", "stroke-break",
    "stroke-color", "stroke-dash-corner", "stroke-dash-justify", "stroke-dashadjust",
    "stroke-dasharray", "stroke-dashcorner", "stroke-dashoffset", "stroke-image",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity",
    "stroke-origin", "stroke-position", "stroke-repeat", "stroke-size", "stroke-width",
    "super", "sw-resize", "tab-size", "table-caption", "table-cell", "table-column",
    "table-column-group", "table-footer-group", "table-header-group", "table-layout",
    "table-row", "table-row-group", "text", "text-align", "text-align-all",
    "text-align-last", "text-bottom", "text-combine-upright", "text-decoration",
    "text-decoration-color", "text-decoration-line", "text-decoration-skip",
    "text-decoration-skip-box", "text-decoration-skip-ink", "text-decoration-skip-inset",
    "text-decoration-skip-self", "text-decoration-skip-spaces", "text-decoration-style",
    "text-decoration-thickness", "text-edge", "text-emphasis", "text-emphasis-color",
    "text-emphasis-position", "text-emphasis-skip", "text-emphasis-style",
    "text-group-align", "text-indent", "text-justify", "text-orientation", "text-overflow",
    "text-shadow", "text-space-collapse", "text-space-trim", "text-spacing", "text-top",
    "text-transform", "text-underline-offset", "text-underline-position", "text-wrap",
    "thick", "thin", "top", "transform", "transform-box", "transform-origin",
    "transform-style", "transition", "transition-delay", "transition-duration",
    "transition-property", "transition-timing-function", "translate", "transparent",
    "ultra-condensed", "ultra-expanded", "underline", "unicode-bidi", "upper-alpha",
    "upper-latin", "upper-roman", "uppercase", "url", "user-select", "vertical-align",
    "visibility", "visible", "voice-balance", "voice-duration", "voice-family",
    "voice-pitch", "voice-range", "voice-rate", "voice-stress", "voice-volume", "volume",
    "w-resize", "wait", "white-space", "wider", "widows", "width", "will-change",
    "word-boundary-detection", "word-boundary-expansion", "word-break", "word-spacing",
    "word-wrap", "wrap-after", "wrap-before", "wrap-flow", "wrap-inside", "wrap-through",
    "writing-mode", "x-fast", "x-high", "x-large", "x-loud", "x-low", "x-small", "x-soft",
    "xx-large", "xx-small", "yes", "z-index"
};

static const char *const color_keywords[] = {
    "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque", "black",
    "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue", "chartreuse",
    "chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan", "darkblue",
    "darkcyan", "darkgoldenrod", "darkgray", "darkgreen", "darkgrey", "darkkhaki",
    "darkmagenta", "darkolivegreen", "darkorange", "darkorchid", "darkred", "darksalmon",
    "darkseagreen", "darkslateblue", "darkslategray", "darkslategrey", "darkturquoise",
    "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey", "dodgerblue",
    "firebrick", "floralwhite", "forestgreen", "fuchsia", "gainsboro", "ghostwhite", "gold",
    "goldenrod", "gray", "green", "greenyellow", "grey", "honeydew", "hotpink", "indianred",
    "indigo", "ivory", "khaki", "lavender", "lavenderblush", "lawngreen", "lemonchiffon",
    "lightblue", "lightcoral", "lightcyan", "lightgoldenrodyellow", "lightgray",
    "lightgreen", "lightgrey", "lightpink", "lightsalmon", "lightseagreen", "lightskyblue",
    "lightslategray", "lightslategrey", "lightsteelblue", "lightyellow", "lime",
    "limegreen", "linen", "magenta", "maroon", "mediumaquamarine", "mediumblue",
    "mediumorchid", "mediumpurple", "mediumseagreen", "mediumslateblue",
    "mediumspringgreen", "mediumturquoise", "mediumvioletred", "midnightblue", "mintcream",
    "mistyrose", "moccasin", "navajowhite", "navy", "oldlace", "olive", "olivedrab",
    "orange", "orangered", "orchid", "palegoldenrod", "palegreen", "paleturquoise",
    "palevioletred", "papayawhip", "peachpuff", "peru", "pink", "plum", "powderblue",
    "purple", "rebeccapurple", "red", "rosybrown", "royalblue", "saddlebrown", "salmon",
    "sandybrown", "seagreen", "seashell", "sienna", "silver", "skyblue", "slateblue",
    "slategray", "slategrey", "snow", "springgreen", "steelblue", "tan", "teal", "thistle",
    "tomato", "transparent", "turquoise", "violet", "wheat", "white", "whitesmoke",
    "yellow", "yellowgreen"
};

/* The longest of the words above */
#define LONGEST_WORD 29

/* Remembered searches (struct hl_seek), so that repeated tries from one
 * run or for one unclosed comment cost linear time in all. */
enum { M_COMMENT, M_NAME, M_COUNT };

/* The runs that a token of one class of ASCII bytes makes, one bit for
 * each (the first bytes pick the rules: selector_action, value_action):
 * [A-Za-z0-9_-] (NAME), the operators of values (VALUE_OPERATOR), their
 * punctuation (VALUE_PUNCTUATION), [ \t\n] (WHITESPACE: the whitespace
 * rules of values and selectors). Bytes >= 0x80 have none. */
enum { NAME = 1, VALUE_OPERATOR = 2, VALUE_PUNCTUATION = 4, WHITESPACE = 8, RUN_CLASSES = 4 };
#define O_ VALUE_OPERATOR
static const unsigned char byte_class[256] = {
    HL_DIGIT_BYTES(NAME),
    HL_LETTER_BYTES(NAME),
    ['-'] = NAME | O_,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['!'] = O_, ['&'] = O_, ['<'] = O_, ['>'] = O_,
    ['|'] = O_, ['+'] = O_, ['='] = O_, ['@'] = O_, [':'] = O_, [','] = O_, ['.'] = O_,
    ['/'] = O_, ['?'] = O_, ['%'] = O_,
    ['['] = VALUE_PUNCTUATION, [']'] = VALUE_PUNCTUATION, ['('] = VALUE_PUNCTUATION,
    [')'] = VALUE_PUNCTUATION,
    [' '] = WHITESPACE, ['\t'] = WHITESPACE, ['\n'] = WHITESPACE,
};
#undef O_

struct scss {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
    /* for each bit of byte_class, the offset after the last byte before
     * end that lacks it (0 if none): a run of the class that starts
     * before it ends there at the latest, so is scanned with no test
     * against end */
    size_t bounded_before[RUN_CLASSES];
};

/* The bytes that may end the text of a string, a url() or an inline
 * comment, one bit for each: their closer, '\n', '#' and '\\' (and '*'). */
enum { DOUBLE_STOP = 1, SINGLE_STOP = 2, URL_STOP = 4, COMMENT_STOP = 8 };
#define S_ (DOUBLE_STOP | SINGLE_STOP | URL_STOP)
static const unsigned char text_stop[256] = {
    ['"'] = DOUBLE_STOP, ['\''] = SINGLE_STOP, [')'] = URL_STOP, ['*'] = COMMENT_STOP,
    ['\n'] = S_, ['#'] = S_ | COMMENT_STOP, ['\\'] = S_ | COMMENT_STOP,
};
#undef S_

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* starts_ci for a text not in lower case. */
static bool
starts_ci_folding(const struct hl *h, size_t p, const char *w, size_t n)
{
    if (n > h->end - p)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)h->s[p + i]) != (unsigned char)w[i])
            return false;
    return true;
}

/* True if s[p..) starts with the lower-case w[0..n), ignoring ASCII case:
 * a compare of the bytes as they are first, inline, as text is mostly in
 * lower case. */
__attribute__((always_inline)) static inline bool
starts_ci(const struct hl *h, size_t p, const char *w, size_t n)
{
    return hl_starts(h, p, w, n) || starts_ci_folding(h, p, w, n);
}

/* True if w[0..len) starts with prefix[0..n). */
static inline bool
has_prefix(const char *w, size_t len, const char *prefix, size_t n)
{
    return len >= n && !memcmp(w, prefix, n);
}

/* The first offset at or after p whose byte lacks the class bit cls of
 * byte_class, or end; four bytes a round, with no test against end where
 * a byte that lacks it is known to come (c->bounded_before). */
__attribute__((always_inline)) static inline size_t
class_end(const struct scss *c, size_t p, unsigned cls)
{
    const unsigned char *s = (const unsigned char *)c->h->s;
    if (p >= c->bounded_before[__builtin_ctz(cls)])
        return hl_skip(c->h, p, byte_class, cls);
    for (;; p += 4) {
        if (!(byte_class[s[p]] & cls))
            return p;
        if (!(byte_class[s[p + 1]] & cls))
            return p + 1;
        if (!(byte_class[s[p + 2]] & cls))
            return p + 2;
        if (!(byte_class[s[p + 3]] & cls))
            return p + 3;
    }
}

/* The run at p of bytes of the class cls of byte_class, whose first byte
 * (at p) is one. */
__attribute__((always_inline)) static inline size_t
run_of(const struct scss *c, size_t p, unsigned cls)
{
    return class_end(c, p + 1, cls) - p;
}

/* The run of [ \t\n] at p, a byte of it: Pygments' whitespace rules of
 * value and selector ([ \t]+ and \n) in one. */
__attribute__((always_inline)) static inline size_t
whitespace_run(const struct scss *c, size_t p)
{
    return run_of(c, p, WHITESPACE);
}

/* name_run from q on, where a byte >= 0x80 stopped its ASCII loop; out
 * of line, so that name_run stays a leaf. */
__attribute__((noinline)) static size_t
wide_name_run(const struct hl *h, size_t p, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    int32_t cp;
    while (q < h->end) {
        if (byte_class[s[q]] & NAME)
            q++;
        else if (s[q] >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &cp);
        else
            break;
    }
    return q - p;
}

/* The run at p of \w and '-': the ASCII part inline. */
__attribute__((always_inline)) static inline size_t
name_run(const struct scss *c, size_t p)
{
    const struct hl *h = c->h;
    size_t q = class_end(c, p, NAME);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        return wide_name_run(h, p, q);
    return q - p;
}

/* The end of the run of \w and '-' that p lies in (p inside it), remembered
 * so that the rules tried inside a long run scan it once. */
static size_t
name_end(struct scss *c, size_t p)
{
    struct hl_seek *m = &c->memo[M_NAME];
    if (!(m->from != NONE && m->from <= p && p < m->at)) {
        m->from = p;
        m->at = p + name_run(c, p);
    }
    return m->at;
}

/* The lower-cased run of [a-z0-9_-] at p, ignoring case, of at most
 * LONGEST_WORD - 1 bytes, into w: its length. */
static size_t
lower_word(const struct hl *h, size_t p, char w[LONGEST_WORD])
{
    size_t run = 0;
    for (; run < LONGEST_WORD && p + run < h->end; run++) {
        int c = (unsigned char)h->s[p + run];
        if (!(byte_class[c] & NAME))
            break;
        w[run] = (char)lower(c);
    }
    return run;
}

/* The order of the word t against w[0..n) (n >= 1), as strcmp's sign,
 * but from their second bytes: their first ones are equal. */
static int
order_after_first(const unsigned char *t, const unsigned char *w, size_t n)
{
    size_t i = 1;
    while (i < n && t[i] == w[i])
        i++;
    return i < n ? t[i] - w[i] : t[n];   /* t[i] may be its NUL */
}

/* Whether w[0..n) (n >= 1) is one of the count words of the sorted
 * table: a binary search, most of whose steps a first byte decides. */
static bool
sorted_has(const char *const *table, size_t count, const char *w, size_t n)
{
    const unsigned char *word = (const unsigned char *)w;
    while (count) {
        size_t half = count / 2;
        const unsigned char *t = (const unsigned char *)table[half];
        int order = t[0] - word[0];
        if (!order && !(order = order_after_first(t, word, n)))
            return true;
        if (order < 0) {
            table += half + 1;
            count -= half + 1;
        } else {
            count = half;
        }
    }
    return false;
}

/* The lengths of the candidates for a word of the tables in w, the
 * lower-cased run of run bytes at p, longest first, into lengths: the
 * words end at a word boundary, so before a '-' or at the end of the run.
 * Their count. */
static size_t
word_candidates(const struct hl *h, const char *w, size_t run, size_t p,
                unsigned char lengths[LONGEST_WORD])
{
    size_t count = 0;
    if (w[run - 1] != '-' && !hl_word_at(h, p + run))
        lengths[count++] = (unsigned char)run;
    for (size_t n = run - 1; n > 0; n--)
        if (w[n] == '-' && w[n - 1] != '-')   /* inside the run only a '-' is no \w */
            lengths[count++] = (unsigned char)n;
    return count;
}

/* The longest candidate (of count, longest first) that is a word of
 * table (size words): its length, or 0. */
static size_t
longest_word(const char *const *table, size_t size, const char *w,
             const unsigned char *lengths, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (sorted_has(table, size, w, lengths[i]))
            return lengths[i];
    return 0;
}

/* Emits n bytes as cls and enters state. */
static void
push(struct scss *c, enum hl_class cls, size_t n, unsigned state)
{
    hl_emit(c->h, cls, n);
    hl_stack_push(&c->st, state);
}

/* The end of the line that p lies in: its '\n', or end. */
static size_t
line_end(const struct hl *h, size_t p)
{
    const char *nl = p < h->end ? memchr(h->s + p, '\n', h->end - p) : NULL;
    return nl ? (size_t)(nl - h->s) : h->end;
}

/* ---- root ------------------------------------------------------------------------- */

/* The at-rules and variables of root at '@' or '$'; false if none. */
static bool
directive(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    if (h->s[p] == '$') {
        n = name_run(c, p + 1);
        if (!n || h->s[p + n] == '-')
            return false;
        size_t q = p + 1 + n;
        while (hl_in(hl_at(h, q), " \t"))
            q++;
        if (hl_at(h, q) != ':')
            return false;
        hl_emit(h, HL_NV, 1 + n);
        push(c, HL_O, q + 1 - h->pos, VALUE);
        return true;
    }
    /* the at-rules in Pygments' order, each tried only where the byte after
     * '@' can start it */
    int second = lower(hl_at(h, p + 1));
    if (second == 'i' && starts_ci(h, p, "@import", 7))
        push(c, HL_K, 7, VALUE);
    else if (second == 'f' && starts_ci(h, p, "@for", 4))
        push(c, HL_K, 4, FOR);
    else if ((second == 'd' && starts_ci(h, p, "@debug", 6)) ||
             (second == 'w' && starts_ci(h, p, "@while", 6)))
        push(c, HL_K, 6, VALUE);
    else if (second == 'w' && starts_ci(h, p, "@warn", 5))
        push(c, HL_K, 5, VALUE);
    else if (second == 'i' && starts_ci(h, p, "@if", 3))
        push(c, HL_K, 3, VALUE);
    else if ((second == 'm' && starts_ci(h, p, "@mixin ", 7) && (n = name_run(c, p + 7))) ||
             (second == 'i' && starts_ci(h, p, "@include ", 9) && (n = name_run(c, p + 9)))) {
        bool mixin = second == 'm';
        hl_emit(h, HL_K, mixin ? 6 : 8);
        push(c, mixin ? HL_NF : HL_ND, 1 + n, VALUE);
    } else if (second == 'e' && starts_ci(h, p, "@extend", 7)) {
        push(c, HL_K, 7, SELECTOR);
    } else if (second == 'm' && starts_ci(h, p, "@media", 6) && (n = hl_space(h, p + 6, true))) {
        hl_emit(h, HL_K, 6);
        push(c, HL_TEXT, n, VALUE);
    } else if ((n = name_run(c, p + 1)))
        push(c, HL_K, 1 + n, SELECTOR);
    else
        return false;
    return true;
}

static void selector(struct scss *c);

static void
root(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, at;
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        if ((p += n) == h->end)
            return;
    }
    char ch = h->s[p];
    if (ch == '/' && hl_at(h, p + 1) == '/') {
        /* to the newline, which Pygments adds at the end of the text too */
        at = line_end(h, p + 2);
        hl_emit(h, HL_C1, (at == h->end ? at : at + 1) - p);
        return;
    }
    if (ch == '/' && hl_at(h, p + 1) == '*' &&
        (at = hl_seek(h, &c->memo[M_COMMENT], "*/", 2, p + 2)) != NONE) {
        hl_emit(h, HL_CM, at + 2 - p);
        return;
    }
    if ((ch == '@' || ch == '$') && directive(c))
        return;
    /* default('selector'), straight on to it */
    hl_stack_push(&c->st, SELECTOR);
    selector(c);
}

/* ---- values ---------------------------------------------------------------------- */

/* (-?\d+)(%|[a-z]+)? or (-?\d*\.\d+)(%|[a-z]+)? at pos; false if neither. */
static bool
number(struct hl *h)
{
    size_t p = h->pos, q = p + (h->s[p] == '-'), i = hl_digits(h, q), f = 0;
    if (!i && !(hl_at(h, q) == '.' && (f = hl_digits(h, q + 1))))
        return false;
    if (i)
        hl_emit(h, HL_MI, q + i - p);
    else
        hl_emit(h, HL_MF, q + 1 + f - p);
    p = h->pos;
    size_t u = 0;
    if (hl_at(h, p) == '%')
        u = 1;
    else
        while (p + u < h->end && lower((unsigned char)h->s[p + u]) >= 'a' &&
               lower((unsigned char)h->s[p + u]) <= 'z')
            u++;
    if (u)
        hl_emit(h, HL_KT, u);
    return true;
}

/* The rules of value from url( on for a byte of [a-z_-] (ignoring case) at
 * pos, in order: url(, a function, a constant, a colour, true and false,
 * and, or and not; a number and the operators ('-'); a name. No other
 * rule can start with such a byte. */
__attribute__((noinline)) static void
name_value(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, end = name_end(c, p);
    if (hl_at(h, end) == '(') {
        if (end - p == 3 && starts_ci(h, p, "url", 3))
            push(c, HL_SX, 4, STRING_URL);
        else
            hl_emit(h, HL_NF, end - p);
        return;
    }
    char w[LONGEST_WORD];
    size_t run = lower_word(h, p, w);
    /* no word of the tables starts with true, false, and or not, so these
     * skip the lookups for their own rules */
    if (has_prefix(w, run, "true", 4) || has_prefix(w, run, "false", 5)) {
        hl_emit(h, HL_N, w[0] == 't' ? 4 : 5);
        return;
    }
    if (has_prefix(w, run, "and", 3) || has_prefix(w, run, "not", 3)) {
        hl_emit(h, HL_OW, 3);
        return;
    }
    unsigned char lengths[LONGEST_WORD];
    size_t count = word_candidates(h, w, run, p, lengths);
    if ((n = longest_word(constants, sizeof constants / sizeof *constants, w, lengths, count))) {
        hl_emit(h, HL_NO, n);
    } else if ((n = longest_word(color_keywords, sizeof color_keywords / sizeof *color_keywords,
                                 w, lengths, count))) {
        hl_emit(h, HL_NI, n);
    } else if (has_prefix(w, run, "or", 2)) {
        hl_emit(h, HL_OW, 2);
    } else if (w[0] != '-') {
        hl_emit(h, HL_N, end - p);
    } else if (!number(h)) {
        hl_emit(h, HL_O, run_of(c, p, VALUE_OPERATOR));
    }
}

/* The rules of value for the bytes no common case takes: variables,
 * comments, colours, interpolations, strings, numbers and '.', which is a
 * number or an operator; false if none matches. */
__attribute__((noinline)) static bool
other_value_token(struct scss *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    switch (ch) {
    case '!':   /* a variable ([!$][\w-]+ takes !important too), operators */
        if ((n = name_run(c, p + 1)))
            hl_emit(h, HL_NV, 1 + n);
        else
            hl_emit(h, HL_O, run_of(c, p, VALUE_OPERATOR));
        return true;
    case '/':   /* comments, operators */
        if (hl_at(h, p + 1) == '*') {
            push(c, HL_CM, 2, INLINE_COMMENT);
        } else if (hl_at(h, p + 1) == '/') {
            hl_emit(h, HL_C1, line_end(h, p + 2) - p);
        } else {
            hl_emit(h, HL_O, run_of(c, p, VALUE_OPERATOR));
        }
        return true;
    case '#':   /* a colour, an interpolation */
        if ((n = hl_span(h, p + 1, "0123456789abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 6)))
            hl_emit(h, HL_MH, 1 + n);
        else if (hl_at(h, p + 1) == '{')
            push(c, HL_SI, 2, INTERPOLATION);
        else
            return false;
        return true;
    case '"':
    case '\'':
        push(c, ch == '"' ? HL_S2 : HL_S1, 1, ch == '"' ? STRING_DOUBLE : STRING_SINGLE);
        return true;
    default:   /* numbers (digits, '.', other scripts' digits), then operators */
        if (number(h))
            ;
        else if (byte_class[ch] & VALUE_OPERATOR)
            hl_emit(h, HL_O, run_of(c, p, VALUE_OPERATOR));
        else
            return false;
        return true;
    }
}

/* What value does at each byte, for the common cases: the first of
 * Pygments' value rules that can match there; V_OTHER for the others. */
enum { V_OTHER,
       V_NAME,          /* [a-z_-]: url(, functions, constants ... names */
       V_WHITESPACE,    /* [ \t]+ and \n */
       V_VARIABLE,      /* $, of [!$][\w-]+ */
       V_END,           /* [;{}], which pop */
       V_PUNCTUATION,   /* [\[\]()]+ */
       V_OPERATOR };    /* the operators but '!', '/' and '.', where other rules come first */
#define O_ V_OPERATOR
#define P_ V_PUNCTUATION
static const unsigned char value_action[256] = {
    HL_LETTER_BYTES(V_NAME), ['-'] = V_NAME,
    [' '] = V_WHITESPACE, ['\t'] = V_WHITESPACE, ['\n'] = V_WHITESPACE,
    ['$'] = V_VARIABLE, [';'] = V_END, ['{'] = V_END, ['}'] = V_END,
    ['['] = P_, [']'] = P_, ['('] = P_, [')'] = P_,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['&'] = O_, ['%'] = O_, ['<'] = O_, ['>'] = O_,
    ['|'] = O_, ['+'] = O_, ['='] = O_, ['@'] = O_, [':'] = O_, [','] = O_, ['?'] = O_,
};
#undef O_
#undef P_

/* One token of Pygments' value; false if none of its rules matches.
 * Decided by the first byte: the common cases here, the others out of
 * line. */
__attribute__((always_inline)) static inline bool
value_token(struct scss *c, struct hl *h)
{
    size_t p = h->pos, n;
    switch (value_action[(unsigned char)h->s[p]]) {
    case V_NAME:
        name_value(c);
        return true;
    case V_WHITESPACE:
        hl_emit(h, HL_TEXT, whitespace_run(c, p));
        return true;
    case V_VARIABLE:
        if (!(n = name_run(c, p + 1)))
            return false;
        hl_emit(h, HL_NV, 1 + n);
        return true;
    case V_END:
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return true;
    case V_PUNCTUATION:
        hl_emit(h, HL_P, run_of(c, p, VALUE_PUNCTUATION));
        return true;
    case V_OPERATOR:
        hl_emit(h, HL_O, run_of(c, p, VALUE_OPERATOR));
        return true;
    default:
        return other_value_token(c, h);
    }
}

/* Pygments' value, token after token while the state stays. */
static void
value(struct scss *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do {
        if (!value_token(c, h)) {
            hl_no_match(h, &c->st);
            return;
        }
    } while (h->pos < h->end && c->st.depth == depth);
}

static void
interpolation(struct scss *c)
{
    struct hl *h = c->h;
    if (h->s[h->pos] == '}') {
        hl_emit(h, HL_SI, 1);
        hl_stack_pop(&c->st);
    } else if (!value_token(c, h)) {
        hl_no_match(h, &c->st);
    }
}

static void
for_value(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (starts_ci(h, p, "from", 4))
        hl_emit(h, HL_OW, 4);
    else if (starts_ci(h, p, "through", 7))
        hl_emit(h, HL_OW, 7);
    else if (starts_ci(h, p, "to", 2))
        hl_emit(h, HL_OW, 2);
    else if (!value_token(c, h))
        hl_no_match(h, &c->st);
}

/* ---- selectors --------------------------------------------------------------------- */

/* ':', '.' or '#' at pos (of cls), then what Pygments' pseudo-class, class
 * or id (state) does after it: a name of cls; then at #{ it stays in state
 * for an interpolation (false), else it pops back to selector at once
 * (true), so that state is entered only for the interpolation. */
__attribute__((always_inline)) static inline bool
selector_name_after(struct scss *c, enum hl_class cls, unsigned state)
{
    struct hl *h = c->h;
    size_t p = h->pos + 1;
    p += name_run(c, p);
    hl_emit(h, cls, p - h->pos);
    if (p + 1 < h->end && h->s[p] == '#' && h->s[p + 1] == '{') {
        hl_stack_push(&c->st, state);
        push(c, HL_SI, 2, INTERPOLATION);
        return false;
    }
    return true;
}

/* After a '{' or '}' that popped selector back to root: root's
 * whitespace, then true if root's default enters selector again (no
 * comment, at-rule or variable starts at the byte after), done here. */
static bool
back_in_root(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n = hl_space(h, p, true);
    if (n)
        hl_emit(h, HL_TEXT, n);
    if ((p += n) == h->end || hl_in(h->s[p], "/@$"))
        return false;
    hl_stack_push(&c->st, SELECTOR);
    return true;
}

/* What selector does at each byte, so that one indirect jump picks the
 * rule: the first of Pygments' selector rules that can match there. */
enum { S_OTHER,        /* none, but \w beyond ASCII ([\w-]+): else an error */
       S_NAME,         /* [\w-]+ ('-' takes it before the operators) */
       S_WHITESPACE,   /* [ \t]+ and \n */
       S_PSEUDO_CLASS, S_CLASS, S_ID,   /* ':', '.' and '#', then their names */
       S_AMPERSAND,    /* & */
       S_OPERATOR,     /* [~^*!&\[\]()<>|+=@:;,./?-] after the rules above */
       S_QUOTE,        /* " and ' */
       S_BRACE };      /* [;{}] ('{' and '}': ';' is an operator first) */
#define N_ S_NAME
#define O_ S_OPERATOR
static const unsigned char selector_action[256] = {
    HL_DIGIT_BYTES(N_), HL_LETTER_BYTES(N_), ['-'] = N_,
    [' '] = S_WHITESPACE, ['\t'] = S_WHITESPACE, ['\n'] = S_WHITESPACE,
    [':'] = S_PSEUDO_CLASS, ['.'] = S_CLASS, ['#'] = S_ID, ['&'] = S_AMPERSAND,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['!'] = O_, ['['] = O_, [']'] = O_, ['('] = O_,
    [')'] = O_, ['<'] = O_, ['>'] = O_, ['|'] = O_, ['+'] = O_, ['='] = O_, ['@'] = O_,
    [';'] = O_, [','] = O_, ['/'] = O_, ['?'] = O_,
    ['"'] = S_QUOTE, ['\''] = S_QUOTE, ['{'] = S_BRACE, ['}'] = S_BRACE,
};
#undef N_
#undef O_

/* Pygments' selector, token after token while the state stays: most of
 * SCSS is lexed here, declarations too. */
static void
selector(struct scss *c)
{
    struct hl *h = c->h;
    while (h->pos < h->end) {
        size_t p = h->pos, n;
        unsigned char ch = (unsigned char)h->s[p];
        switch (selector_action[ch]) {
        case S_NAME:
            hl_emit(h, HL_NT, 1 + name_run(c, p + 1));
            continue;
        case S_WHITESPACE:
            hl_emit(h, HL_TEXT, whitespace_run(c, p));
            continue;
        case S_PSEUDO_CLASS:
            if (selector_name_after(c, HL_ND, PSEUDO_CLASS))
                continue;
            return;
        case S_CLASS:
            if (selector_name_after(c, HL_NC, CLASS))
                continue;
            return;
        case S_ID:
            if (selector_name_after(c, HL_NN, ID))
                continue;
            return;
        case S_AMPERSAND:
            hl_emit(h, HL_K, 1);
            continue;
        case S_OPERATOR:
            hl_emit(h, HL_O, 1);
            continue;
        case S_QUOTE:
            push(c, ch == '"' ? HL_S2 : HL_S1, 1, ch == '"' ? STRING_DOUBLE : STRING_SINGLE);
            return;
        case S_BRACE:
            hl_emit(h, HL_P, 1);
            hl_stack_pop(&c->st);
            if (c->st.depth == 1 && back_in_root(c))
                continue;
            return;
        default:
            if (ch < 0x80) {   /* no match: an error, the newline being taken */
                hl_emit(h, HL_ERR, 1);
                continue;
            }
            if ((n = name_run(c, p))) {
                hl_emit(h, HL_NT, n);
                continue;
            }
            hl_no_match(h, &c->st);
            return;
        }
    }
}

/* pseudo-class, class and id after an interpolation: names of cls and
 * interpolations, then back. */
static void
selector_name(struct scss *c, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t n;
    if ((n = name_run(c, h->pos)))
        hl_emit(h, cls, n);
    else if (h->s[h->pos] == '#' && hl_at(h, h->pos + 1) == '{')
        push(c, HL_SI, 2, INTERPOLATION);
    else
        hl_stack_pop(&c->st);
}

/* ---- strings and comments ---------------------------------------------------------- */

/* The text of a string (quote q, stop its bit of text_stop) or url() (q
 * ')'): escapes and '#' not before '{' or a newline; newlines end it.
 * Then #{, or the closer. */
static void
string(struct scss *c, char q, unsigned stop, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t p = h->pos, i = p;
    bool url = q == ')';
    for (;;) {
        i = hl_skip_to(h, i, text_stop, stop);
        if (i == h->end)
            break;
        char ch = h->s[i];
        if (ch == '\\')   /* \\. in strings, \\# in url(); a lone '\\' is text */
            i += url ? 1 + (hl_at(h, i + 1) == '#') : hl_escaped_char(h, i);
        else if (ch == '#' && i + 1 < h->end && h->s[i + 1] != '\n' && h->s[i + 1] != '{')
            i++;
        else
            break;
    }
    if (i > p)
        hl_emit(h, cls, i - p);
    else if (h->s[p] == '#' && hl_at(h, p + 1) == '{')
        push(c, HL_SI, 2, INTERPOLATION);
    else if (h->s[p] == q) {
        hl_emit(h, cls, 1);
        hl_stack_pop(&c->st);
    } else
        hl_no_match(h, &c->st);
}

static void
inline_comment(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, i = p;
    for (;;) {
        i = hl_skip_to(h, i, text_stop, COMMENT_STOP);
        if (i == h->end)
            break;
        char ch = h->s[i];
        if (ch == '\\')   /* \\# as one, a lone '\\' as text */
            i += 1 + (hl_at(h, i + 1) == '#');
        else if ((ch == '#' && hl_at(h, i + 1) >= 0 && hl_at(h, i + 1) != '{') ||
                 (ch == '*' && hl_at(h, i + 1) >= 0 && hl_at(h, i + 1) != '/'))
            i++;
        else
            break;
    }
    if (i > p)
        hl_emit(h, HL_CM, i - p);
    else if (h->s[p] == '#' && hl_at(h, p + 1) == '{')
        push(c, HL_SI, 2, INTERPOLATION);
    else if (h->s[p] == '*' && hl_at(h, p + 1) == '/') {
        hl_emit(h, HL_C, 2);
        hl_stack_pop(&c->st);
    } else
        hl_no_match(h, &c->st);
}

void
lex_scss(struct hl *h)
{
    struct scss c = { .h = h };
    for (int i = 0; i < M_COUNT; i++)
        c.memo[i] = (struct hl_seek){ NONE, 0 };
    for (unsigned bit = 0; bit < RUN_CLASSES; bit++) {
        size_t q = h->end;
        while (q > h->pos && (byte_class[(unsigned char)h->s[q - 1]] & 1u << bit))
            q--;
        c.bounded_before[bit] = q > h->pos ? q : 0;
    }
    hl_stack_init(&c.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&c.st)) {
        case ROOT:
            root(&c);
            break;
        case VALUE:
            value(&c);
            break;
        case INTERPOLATION:
            interpolation(&c);
            break;
        case FOR:
            for_value(&c);
            break;
        case SELECTOR:
            selector(&c);
            break;
        case STRING_DOUBLE:
            string(&c, '"', DOUBLE_STOP, HL_S2);
            break;
        case STRING_SINGLE:
            string(&c, '\'', SINGLE_STOP, HL_S1);
            break;
        case STRING_URL:
            string(&c, ')', URL_STOP, HL_SX);
            break;
        case PSEUDO_CLASS:
            selector_name(&c, HL_ND);
            break;
        case CLASS:
            selector_name(&c, HL_NC);
            break;
        case ID:
            selector_name(&c, HL_NN);
            break;
        default:
            inline_comment(&c);
            break;
        }
    }
    hl_stack_dispose(&c.st);
}
