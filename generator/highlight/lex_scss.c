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
 * properties and value keywords (pygments/lexers/css.py), all lower case. */
static const char *const constants[] = {
    "-webkit-line-clamp", "accent-color", "align-content", "align-items", "align-self",
    "alignment-baseline", "all", "animation", "animation-delay", "animation-direction",
    "animation-duration", "animation-fill-mode", "animation-iteration-count",
    "animation-name", "animation-play-state", "animation-timing-function", "appearance",
    "aspect-ratio", "azimuth", "backface-visibility", "background",
    "background-attachment", "background-blend-mode", "background-clip",
    "background-color", "background-image", "background-origin", "background-position",
    "background-repeat", "background-size", "baseline-shift", "baseline-source",
    "block-ellipsis", "block-size", "block-step", "block-step-align", "block-step-insert",
    "block-step-round", "block-step-size", "bookmark-label", "bookmark-level",
    "bookmark-state", "border", "border-block", "border-block-color", "border-block-end",
    "border-block-end-color", "border-block-end-style", "border-block-end-width",
    "border-block-start", "border-block-start-color", "border-block-start-style",
    "border-block-start-width", "border-block-style", "border-block-width",
    "border-bottom", "border-bottom-color", "border-bottom-left-radius",
    "border-bottom-right-radius", "border-bottom-style", "border-bottom-width",
    "border-boundary", "border-collapse", "border-color", "border-end-end-radius",
    "border-end-start-radius", "border-image", "border-image-outset",
    "border-image-repeat", "border-image-slice", "border-image-source",
    "border-image-width", "border-inline", "border-inline-color", "border-inline-end",
    "border-inline-end-color", "border-inline-end-style", "border-inline-end-width",
    "border-inline-start", "border-inline-start-color", "border-inline-start-style",
    "border-inline-start-width", "border-inline-style", "border-inline-width",
    "border-left", "border-left-color", "border-left-style", "border-left-width",
    "border-radius", "border-right", "border-right-color", "border-right-style",
    "border-right-width", "border-spacing", "border-start-end-radius",
    "border-start-start-radius", "border-style", "border-top", "border-top-color",
    "border-top-left-radius", "border-top-right-radius", "border-top-style",
    "border-top-width", "border-width", "bottom", "box-decoration-break", "box-shadow",
    "box-sizing", "box-snap", "break-after", "break-before", "break-inside",
    "caption-side", "caret", "caret-color", "caret-shape", "chains", "clear", "clip",
    "clip-path", "clip-rule", "color", "color-adjust", "color-interpolation-filters",
    "color-scheme", "column-count", "column-fill", "column-gap", "column-rule",
    "column-rule-color", "column-rule-style", "column-rule-width", "column-span",
    "column-width", "columns", "contain", "contain-intrinsic-block-size",
    "contain-intrinsic-height", "contain-intrinsic-inline-size", "contain-intrinsic-size",
    "contain-intrinsic-width", "container", "container-name", "container-type", "content",
    "content-visibility", "continue", "counter-increment", "counter-reset", "counter-set",
    "cue", "cue-after", "cue-before", "cursor", "direction", "display",
    "dominant-baseline", "elevation", "empty-cells", "fill", "fill-break", "fill-color",
    "fill-image", "fill-opacity", "fill-origin", "fill-position", "fill-repeat",
    "fill-rule", "fill-size", "filter", "flex", "flex-basis", "flex-direction",
    "flex-flow", "flex-grow", "flex-shrink", "flex-wrap", "float", "float-defer",
    "float-offset", "float-reference", "flood-color", "flood-opacity", "flow",
    "flow-from", "flow-into", "font", "font-family", "font-feature-settings",
    "font-kerning", "font-language-override", "font-optical-sizing", "font-palette",
    "font-size", "font-size-adjust", "font-stretch", "font-style", "font-synthesis",
    "font-synthesis-small-caps", "font-synthesis-style", "font-synthesis-weight",
    "font-variant", "font-variant-alternates", "font-variant-caps",
    "font-variant-east-asian", "font-variant-emoji", "font-variant-ligatures",
    "font-variant-numeric", "font-variant-position", "font-variation-settings",
    "font-weight", "footnote-display", "footnote-policy", "forced-color-adjust", "gap",
    "glyph-orientation-vertical", "grid", "grid-area", "grid-auto-columns",
    "grid-auto-flow", "grid-auto-rows", "grid-column", "grid-column-end",
    "grid-column-start", "grid-row", "grid-row-end", "grid-row-start", "grid-template",
    "grid-template-areas", "grid-template-columns", "grid-template-rows",
    "hanging-punctuation", "height", "hyphenate-character", "hyphenate-limit-chars",
    "hyphenate-limit-last", "hyphenate-limit-lines", "hyphenate-limit-zone", "hyphens",
    "image-orientation", "image-rendering", "image-resolution", "initial-letter",
    "initial-letter-align", "initial-letter-wrap", "inline-size", "inline-sizing",
    "input-security", "inset", "inset-block", "inset-block-end", "inset-block-start",
    "inset-inline", "inset-inline-end", "inset-inline-start", "isolation",
    "justify-content", "justify-items", "justify-self", "leading-trim", "left",
    "letter-spacing", "lighting-color", "line-break", "line-clamp", "line-grid",
    "line-height", "line-height-step", "line-padding", "line-snap", "list-style",
    "list-style-image", "list-style-position", "list-style-type", "margin",
    "margin-block", "margin-block-end", "margin-block-start", "margin-bottom",
    "margin-break", "margin-inline", "margin-inline-end", "margin-inline-start",
    "margin-left", "margin-right", "margin-top", "margin-trim", "marker", "marker-end",
    "marker-knockout-left", "marker-knockout-right", "marker-mid", "marker-pattern",
    "marker-segment", "marker-side", "marker-start", "mask", "mask-border",
    "mask-border-mode", "mask-border-outset", "mask-border-repeat", "mask-border-slice",
    "mask-border-source", "mask-border-width", "mask-clip", "mask-composite",
    "mask-image", "mask-mode", "mask-origin", "mask-position", "mask-repeat", "mask-size",
    "mask-type", "max-block-size", "max-height", "max-inline-size", "max-lines",
    "max-width", "min-block-size", "min-height", "min-inline-size",
    "min-intrinsic-sizing", "min-width", "mix-blend-mode", "nav-down", "nav-left",
    "nav-right", "nav-up", "object-fit", "object-overflow", "object-position",
    "object-view-box", "offset", "offset-anchor", "offset-distance", "offset-path",
    "offset-position", "offset-rotate", "opacity", "order", "orphans", "outline",
    "outline-color", "outline-offset", "outline-style", "outline-width", "overflow",
    "overflow-anchor", "overflow-block", "overflow-clip-margin", "overflow-inline",
    "overflow-wrap", "overflow-x", "overflow-y", "overscroll-behavior",
    "overscroll-behavior-block", "overscroll-behavior-inline", "overscroll-behavior-x",
    "overscroll-behavior-y", "padding", "padding-block", "padding-block-end",
    "padding-block-start", "padding-bottom", "padding-inline", "padding-inline-end",
    "padding-inline-start", "padding-left", "padding-right", "padding-top", "page",
    "page-break-after", "page-break-before", "page-break-inside", "pause", "pause-after",
    "pause-before", "perspective", "perspective-origin", "pitch", "pitch-range",
    "place-content", "place-items", "place-self", "play-during", "pointer-events",
    "position", "print-color-adjust", "property-name", "quotes", "region-fragment",
    "resize", "rest", "rest-after", "rest-before", "richness", "right", "rotate",
    "row-gap", "ruby-align", "ruby-merge", "ruby-overhang", "ruby-position", "running",
    "scale", "scroll-behavior", "scroll-margin", "scroll-margin-block",
    "scroll-margin-block-end", "scroll-margin-block-start", "scroll-margin-bottom",
    "scroll-margin-inline", "scroll-margin-inline-end", "scroll-margin-inline-start",
    "scroll-margin-left", "scroll-margin-right", "scroll-margin-top", "scroll-padding",
    "scroll-padding-block", "scroll-padding-block-end", "scroll-padding-block-start",
    "scroll-padding-bottom", "scroll-padding-inline", "scroll-padding-inline-end",
    "scroll-padding-inline-start", "scroll-padding-left", "scroll-padding-right",
    "scroll-padding-top", "scroll-snap-align", "scroll-snap-stop", "scroll-snap-type",
    "scrollbar-color", "scrollbar-gutter", "scrollbar-width", "shape-image-threshold",
    "shape-inside", "shape-margin", "shape-outside", "spatial-navigation-action",
    "spatial-navigation-contain", "spatial-navigation-function", "speak", "speak-as",
    "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress",
    "string-set", "stroke", "stroke-align", "stroke-alignment", "stroke-break",
    "stroke-color", "stroke-dash-corner", "stroke-dash-justify", "stroke-dashadjust",
    "stroke-dasharray", "stroke-dashcorner", "stroke-dashoffset", "stroke-image",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity",
    "stroke-origin", "stroke-position", "stroke-repeat", "stroke-size", "stroke-width",
    "tab-size", "table-layout", "text-align", "text-align-all", "text-align-last",
    "text-combine-upright", "text-decoration", "text-decoration-color",
    "text-decoration-line", "text-decoration-skip", "text-decoration-skip-box",
    "text-decoration-skip-ink", "text-decoration-skip-inset", "text-decoration-skip-self",
    "text-decoration-skip-spaces", "text-decoration-style", "text-decoration-thickness",
    "text-edge", "text-emphasis", "text-emphasis-color", "text-emphasis-position",
    "text-emphasis-skip", "text-emphasis-style", "text-group-align", "text-indent",
    "text-justify", "text-orientation", "text-overflow", "text-shadow",
    "text-space-collapse", "text-space-trim", "text-spacing", "text-transform",
    "text-underline-offset", "text-underline-position", "text-wrap", "top", "transform",
    "transform-box", "transform-origin", "transform-style", "transition",
    "transition-delay", "transition-duration", "transition-property",
    "transition-timing-function", "translate", "unicode-bidi", "user-select",
    "vertical-align", "visibility", "voice-balance", "voice-duration", "voice-family",
    "voice-pitch", "voice-range", "voice-rate", "voice-stress", "voice-volume", "volume",
    "white-space", "widows", "width", "will-change", "word-boundary-detection",
    "word-boundary-expansion", "word-break", "word-spacing", "word-wrap", "wrap-after",
    "wrap-before", "wrap-flow", "wrap-inside", "wrap-through", "writing-mode", "z-index",
    "above", "absolute", "always", "armenian", "aural", "auto", "avoid", "baseline",
    "behind", "below", "bidi-override", "blink", "block", "bold", "bolder", "both",
    "capitalize", "center-left", "center-right", "center", "circle", "cjk-ideographic",
    "close-quote", "collapse", "condensed", "continuous", "crosshair", "cross", "cursive",
    "dashed", "decimal-leading-zero", "decimal", "default", "digits", "disc", "dotted",
    "double", "e-resize", "embed", "extra-condensed", "extra-expanded", "expanded",
    "fantasy", "far-left", "far-right", "faster", "fast", "fixed", "georgian", "groove",
    "hebrew", "help", "hidden", "hide", "higher", "high", "hiragana-iroha", "hiragana",
    "icon", "inherit", "inline-table", "inline", "inside", "invert", "italic", "justify",
    "katakana-iroha", "katakana", "landscape", "larger", "large", "left-side",
    "leftwards", "level", "lighter", "line-through", "list-item", "loud", "lower-alpha",
    "lower-greek", "lower-roman", "lowercase", "ltr", "lower", "low", "medium",
    "message-box", "middle", "mix", "monospace", "n-resize", "narrower", "ne-resize",
    "no-close-quote", "no-open-quote", "no-repeat", "none", "normal", "nowrap",
    "nw-resize", "oblique", "once", "open-quote", "outset", "outside", "overline",
    "pointer", "portrait", "px", "relative", "repeat-x", "repeat-y", "repeat", "rgb",
    "ridge", "right-side", "rightwards", "s-resize", "sans-serif", "scroll", "se-resize",
    "semi-condensed", "semi-expanded", "separate", "serif", "show", "silent", "slow",
    "slower", "small-caps", "small-caption", "smaller", "soft", "solid", "spell-out",
    "square", "static", "status-bar", "super", "sw-resize", "table-caption", "table-cell",
    "table-column", "table-column-group", "table-footer-group", "table-header-group",
    "table-row", "table-row-group", "text", "text-bottom", "text-top", "thick", "thin",
    "transparent", "ultra-condensed", "ultra-expanded", "underline", "upper-alpha",
    "upper-latin", "upper-roman", "uppercase", "url", "visible", "w-resize", "wait",
    "wider", "x-fast", "x-high", "x-large", "x-loud", "x-low", "x-small", "x-soft",
    "xx-large", "xx-small", "yes"
};

static const char *const color_keywords[] = {
    "aliceblue", "antiquewhite", "aqua", "aquamarine", "azure", "beige", "bisque",
    "black", "blanchedalmond", "blue", "blueviolet", "brown", "burlywood", "cadetblue",
    "chartreuse", "chocolate", "coral", "cornflowerblue", "cornsilk", "crimson", "cyan",
    "darkblue", "darkcyan", "darkgoldenrod", "darkgray", "darkgreen", "darkgrey",
    "darkkhaki", "darkmagenta", "darkolivegreen", "darkorange", "darkorchid", "darkred",
    "darksalmon", "darkseagreen", "darkslateblue", "darkslategray", "darkslategrey",
    "darkturquoise", "darkviolet", "deeppink", "deepskyblue", "dimgray", "dimgrey",
    "dodgerblue", "firebrick", "floralwhite", "forestgreen", "fuchsia", "gainsboro",
    "ghostwhite", "gold", "goldenrod", "gray", "green", "greenyellow", "grey", "honeydew",
    "hotpink", "indianred", "indigo", "ivory", "khaki", "lavender", "lavenderblush",
    "lawngreen", "lemonchiffon", "lightblue", "lightcoral", "lightcyan",
    "lightgoldenrodyellow", "lightgray", "lightgreen", "lightgrey", "lightpink",
    "lightsalmon", "lightseagreen", "lightskyblue", "lightslategray", "lightslategrey",
    "lightsteelblue", "lightyellow", "lime", "limegreen", "linen", "magenta", "maroon",
    "mediumaquamarine", "mediumblue", "mediumorchid", "mediumpurple", "mediumseagreen",
    "mediumslateblue", "mediumspringgreen", "mediumturquoise", "mediumvioletred",
    "midnightblue", "mintcream", "mistyrose", "moccasin", "navajowhite", "navy",
    "oldlace", "olive", "olivedrab", "orange", "orangered", "orchid", "palegoldenrod",
    "palegreen", "paleturquoise", "palevioletred", "papayawhip", "peachpuff", "peru",
    "pink", "plum", "powderblue", "purple", "rebeccapurple", "red", "rosybrown",
    "royalblue", "saddlebrown", "salmon", "sandybrown", "seagreen", "seashell", "sienna",
    "silver", "skyblue", "slateblue", "slategray", "slategrey", "snow", "springgreen",
    "steelblue", "tan", "teal", "thistle", "tomato", "turquoise", "violet", "wheat",
    "white", "whitesmoke", "yellow", "yellowgreen", "transparent"
};


static struct hl_words constant_words = HL_WORDS(constants);
static struct hl_words color_words = HL_WORDS(color_keywords);

/* The longest of the words above */
#define LONGEST_WORD 29

/* A remembered search: the first hit at or after from is at (end if none),
 * which holds for any later start up to at. */

enum { M_COMMENT, M_NEWLINE, M_NAME, M_COUNT };

struct scss {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
};

/* What each ASCII byte may start or continue, so that a state decides by
 * the first byte which of its rules can match at all: [A-Za-z0-9_-]
 * (NAME), [a-z_-] ignoring case (NAME_START), the operators of values
 * (VALUE_OPERATOR) and of selectors (SELECTOR_OPERATOR), the punctuation
 * of values (VALUE_PUNCTUATION). Bytes >= 0x80 have none. */
enum { NAME = 1, NAME_START = 2, VALUE_OPERATOR = 4, SELECTOR_OPERATOR = 8,
       VALUE_PUNCTUATION = 16 };
#define L_ (NAME | NAME_START)
#define O_ (VALUE_OPERATOR | SELECTOR_OPERATOR)
#define P_ (VALUE_PUNCTUATION | SELECTOR_OPERATOR)
static const unsigned char byte_class[256] = {
    HL_DIGIT_BYTES(NAME),
    HL_LETTER_BYTES(L_),
    ['-'] = L_ | O_,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['!'] = O_, ['&'] = O_, ['<'] = O_, ['>'] = O_,
    ['|'] = O_, ['+'] = O_, ['='] = O_, ['@'] = O_, [':'] = O_, [','] = O_, ['.'] = O_,
    ['/'] = O_, ['?'] = O_,
    ['%'] = VALUE_OPERATOR, [';'] = SELECTOR_OPERATOR,
    ['['] = P_, [']'] = P_, ['('] = P_, [')'] = P_,
};
#undef L_
#undef O_
#undef P_

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* True if s[p..) starts with the lower-case w[0..n), ignoring ASCII case. */
static bool
starts_ci(const struct hl *h, size_t p, const char *w, size_t n)
{
    if (p + n > h->end)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)h->s[p + i]) != (unsigned char)w[i])
            return false;
    return true;
}

/* The run at p of bytes of the class cls of byte_class. */
static size_t
run_of(const struct hl *h, size_t p, unsigned cls)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && (byte_class[s[q]] & cls))
        q++;
    return q - p;
}

/* The run of [ \t] at p. */
static size_t
blanks(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && (h->s[q] == ' ' || h->s[q] == '\t'))
        q++;
    return q - p;
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

/* The run at p of \w and '-': the ASCII loop on the table, inline. */
__attribute__((always_inline)) static inline size_t
name_run(const struct hl *h, size_t p)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t q = p;
    while (q < h->end && (byte_class[s[q]] & NAME))
        q++;
    if (q < h->end && s[q] >= 0x80)
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
        m->at = p + name_run(c->h, p);
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

/* The longest word of ws at p (w its lower-cased run of run bytes),
 * ignoring case, followed by a word boundary: its length, or 0. The
 * candidates end before a '-' or at the end of the run. */
static size_t
longest_word(const struct hl *h, struct hl_words *ws, const char *w, size_t run, size_t p)
{
    for (size_t n = run; n > 0; n--) {
        if (w[n - 1] == '-')
            continue;
        /* inside the run only a '-' is no \w */
        if (n < run ? w[n] != '-' : hl_word_at(h, p + n))
            continue;
        if (hl_words_find(ws, w, n) >= 0)
            return n;
    }
    return 0;
}

/* Emits n bytes as cls and enters state. */
static void
push(struct scss *c, enum hl_class cls, size_t n, unsigned state)
{
    hl_emit(c->h, cls, n);
    hl_stack_push(&c->st, state);
}

/* ---- root ------------------------------------------------------------------------- */

/* The at-rules and variables of root at '@' or '$'; false if none. */
static bool
directive(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    if (h->s[p] == '$') {
        n = name_run(h, p + 1);
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
    if (starts_ci(h, p, "@import", 7))
        push(c, HL_K, 7, VALUE);
    else if (starts_ci(h, p, "@for", 4))
        push(c, HL_K, 4, FOR);
    else if (starts_ci(h, p, "@debug", 6) || starts_ci(h, p, "@while", 6))
        push(c, HL_K, 6, VALUE);
    else if (starts_ci(h, p, "@warn", 5))
        push(c, HL_K, 5, VALUE);
    else if (starts_ci(h, p, "@if", 3))
        push(c, HL_K, 3, VALUE);
    else if ((starts_ci(h, p, "@mixin ", 7) && (n = name_run(h, p + 7))) ||
             (starts_ci(h, p, "@include ", 9) && (n = name_run(h, p + 9)))) {
        bool mixin = lower(h->s[p + 1]) == 'm';
        hl_emit(h, HL_K, mixin ? 6 : 8);
        push(c, mixin ? HL_NF : HL_ND, 1 + n, VALUE);
    } else if (starts_ci(h, p, "@extend", 7))
        push(c, HL_K, 7, SELECTOR);
    else if (starts_ci(h, p, "@media", 6) && (n = hl_space(h, p + 6, true))) {
        hl_emit(h, HL_K, 6);
        push(c, HL_TEXT, n, VALUE);
    } else if ((n = name_run(h, p + 1)))
        push(c, HL_K, 1 + n, SELECTOR);
    else
        return false;
    return true;
}

static void
root(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, at;
    char ch = h->s[p];
    if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
        return;
    }
    if (ch == '/' && hl_at(h, p + 1) == '/') {
        /* to the newline, which Pygments adds at the end of the text too */
        at = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p + 2);
        hl_emit(h, HL_C1, (at == NONE ? h->end : at + 1) - p);
        return;
    }
    if (ch == '/' && hl_at(h, p + 1) == '*' &&
        (at = hl_seek(h, &c->memo[M_COMMENT], "*/", 2, p + 2)) != NONE) {
        hl_emit(h, HL_CM, at + 2 - p);
        return;
    }
    if ((ch == '@' || ch == '$') && directive(c))
        return;
    hl_stack_push(&c->st, SELECTOR);
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
static void
name_value(struct scss *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, end = name_end(c, p);
    int ch = lower((unsigned char)h->s[p]);
    char w[LONGEST_WORD];
    if (ch == 'u' && starts_ci(h, p, "url(", 4)) {
        push(c, HL_SX, 4, STRING_URL);
        return;
    }
    if (hl_at(h, end) == '(') {
        hl_emit(h, HL_NF, end - p);
        return;
    }
    size_t run = lower_word(h, p, w);
    if ((n = longest_word(h, &constant_words, w, run, p))) {
        hl_emit(h, HL_NO, n);
    } else if ((n = longest_word(h, &color_words, w, run, p))) {
        hl_emit(h, HL_NI, n);
    } else if ((ch == 't' && starts_ci(h, p, "true", 4)) ||
               (ch == 'f' && starts_ci(h, p, "false", 5))) {
        hl_emit(h, HL_N, ch == 't' ? 4 : 5);
    } else if ((ch == 'a' && starts_ci(h, p, "and", 3)) ||
               (ch == 'n' && starts_ci(h, p, "not", 3))) {
        hl_emit(h, HL_OW, 3);
    } else if (ch == 'o' && starts_ci(h, p, "or", 2)) {
        hl_emit(h, HL_OW, 2);
    } else if (ch != '-') {
        hl_emit(h, HL_N, end - p);
    } else if (!number(h)) {
        hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
    }
}

/* Pygments' value; false if none of its rules matches. Decided by the
 * first byte, each case trying the rules that can match there in order. */
static bool
value_token(struct scss *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & NAME_START) {
        name_value(c);
        return true;
    }
    switch (ch) {
    case ' ':
    case '\t':
        hl_emit(h, HL_TEXT, blanks(h, p));
        return true;
    case '!':   /* a variable, !important and !default, operators */
        if ((n = name_run(h, p + 1)))
            hl_emit(h, HL_NV, 1 + n);
        else if (starts_ci(h, p + 1, "important", 9) || starts_ci(h, p + 1, "default", 7))
            hl_emit(h, HL_NE, lower(h->s[p + 1]) == 'i' ? 10 : 8);
        else
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return true;
    case '$':
        if (!(n = name_run(h, p + 1)))
            return false;
        hl_emit(h, HL_NV, 1 + n);
        return true;
    case '/':   /* comments, operators */
        if (hl_at(h, p + 1) == '*') {
            push(c, HL_CM, 2, INLINE_COMMENT);
        } else if (hl_at(h, p + 1) == '/') {
            n = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p + 2);
            hl_emit(h, HL_C1, (n == NONE ? h->end : n) - p);
        } else {
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
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
    case '\n':
        hl_emit(h, HL_TEXT, 1);
        return true;
    case ';':
    case '{':
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return true;
    default:   /* numbers (digits, '.', other scripts' digits), operators, punctuation */
        if (number(h))
            ;
        else if ((n = run_of(h, p, VALUE_OPERATOR)))
            hl_emit(h, HL_O, n);
        else if ((n = run_of(h, p, VALUE_PUNCTUATION)))
            hl_emit(h, HL_P, n);
        else
            return false;
        return true;
    }
}

static void
value(struct scss *c)
{
    if (!value_token(c, c->h))
        hl_no_match(c->h, &c->st);
}

static void
interpolation(struct scss *c)
{
    struct hl *h = c->h;
    if (h->s[h->pos] == '}') {
        hl_emit(h, HL_SI, 1);
        hl_stack_pop(&c->st);
    } else {
        value(c);
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
    else
        value(c);
}

/* ---- selectors --------------------------------------------------------------------- */

/* One token of Pygments' selector. */
__attribute__((always_inline)) static inline void
selector_token(struct scss *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & NAME) {   /* [\w-]+: '-' takes it before the operators */
        hl_emit(h, HL_NT, name_run(h, p));
        return;
    }
    switch (ch) {
    case ' ':
    case '\t':
        hl_emit(h, HL_TEXT, blanks(h, p));
        return;
    case ':':
        push(c, HL_ND, 1, PSEUDO_CLASS);
        return;
    case '.':
        push(c, HL_NC, 1, CLASS);
        return;
    case '#':
        push(c, HL_NN, 1, ID);
        return;
    case '&':
        hl_emit(h, HL_K, 1);
        return;
    case '"':
    case '\'':
        push(c, ch == '"' ? HL_S2 : HL_S1, 1, ch == '"' ? STRING_DOUBLE : STRING_SINGLE);
        return;
    case '\n':
        hl_emit(h, HL_TEXT, 1);
        return;
    case '{':
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    default:
        if (byte_class[ch] & SELECTOR_OPERATOR)
            hl_emit(h, HL_O, 1);
        else if (ch >= 0x80 && (n = name_run(h, p)))
            hl_emit(h, HL_NT, n);
        else
            hl_no_match(h, &c->st);
        return;
    }
}

/* Pygments' selector, token after token while the state stays: most of
 * SCSS is lexed here, declarations too. */
static void
selector(struct scss *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do
        selector_token(c, h);
    while (h->pos < h->end && c->st.depth == depth);
}

/* pseudo-class, class and id: names of cls and interpolations, then back. */
static void
selector_name(struct scss *c, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t n;
    if ((n = name_run(h, h->pos)))
        hl_emit(h, cls, n);
    else if (h->s[h->pos] == '#' && hl_at(h, h->pos + 1) == '{')
        push(c, HL_SI, 2, INTERPOLATION);
    else
        hl_stack_pop(&c->st);
}

/* ---- strings and comments ---------------------------------------------------------- */

/* The text of a string (quote q) or url() (q ')'): escapes and '#' not
 * before '{' or a newline; newlines end it. Then #{, or the closer. */
static void
string(struct scss *c, char q, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t p = h->pos, i = p;
    bool url = q == ')';
    while (i < h->end) {
        char ch = h->s[i];
        if (ch == '\\' && (url ? hl_at(h, i + 1) == '#' : i + 1 < h->end))
            i += url ? 2 : hl_escaped_char(h, i);
        else if (ch == '#' && i + 1 < h->end && h->s[i + 1] != '\n' && h->s[i + 1] != '{')
            i++;
        else if (ch != '\n' && ch != '#' && ch != q)
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
    while (i < h->end) {
        char ch = h->s[i];
        if (ch == '\\' && hl_at(h, i + 1) == '#')
            i += 2;
        else if ((ch == '#' && hl_at(h, i + 1) >= 0 && hl_at(h, i + 1) != '{') ||
                 (ch == '*' && hl_at(h, i + 1) >= 0 && hl_at(h, i + 1) != '/') ||
                 (ch != '#' && ch != '*'))
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
            string(&c, '"', HL_S2);
            break;
        case STRING_SINGLE:
            string(&c, '\'', HL_S1);
            break;
        case STRING_URL:
            string(&c, ')', HL_SX);
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
