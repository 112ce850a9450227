/* lex_css.c: the CSS lexer of the highlighter, after Pygments' CssLexer
 * state by state: selectors (nt, nc, nn, nd), at-rules (k), property names
 * (k, nv, n), and values: keywords (kc), functions (nb, nf), numbers with
 * their units (mi, mf, kt), colours (mh), strings, url() (sx) and comments. */
#include "lexer.h"

#define NONE ((size_t)-1)

/* Pygments' states: basics (ROOT), atrule, atcontent, content,
 * value-start (VALUE), function-start (FUNC); numeric-end is inline. */
enum { ROOT, ATRULE, ATCONTENT, CONTENT, VALUE, FUNC };

/* Pygments' word lists (pygments/lexers/css.py and _css_builtins.py) in one
 * table, each word with the lists it is in; values try the lists in this
 * order. The two keyword values with a space in them are matched apart. */
enum { KEYWORD = 1, OTHER = 2, COLOR = 4, PROPERTY = 8, FUNCTIONAL = 16 };

static const struct word {
    const char *w;
    unsigned lists;
} words[] = {
    { "-webkit-line-clamp", PROPERTY }, { "above", OTHER }, { "absolute", KEYWORD },
    { "accent-color", PROPERTY }, { "alias", KEYWORD }, { "aliceblue", COLOR },
    { "align-content", PROPERTY }, { "align-items", PROPERTY }, { "align-self", PROPERTY },
    { "alignment-baseline", PROPERTY }, { "all", KEYWORD | PROPERTY },
    { "all-petite-caps", KEYWORD }, { "all-scroll", KEYWORD },
    { "all-small-caps", KEYWORD }, { "allow-end", KEYWORD }, { "alpha", KEYWORD },
    { "alternate", KEYWORD }, { "alternate-reverse", KEYWORD }, { "always", KEYWORD },
    { "animation", PROPERTY }, { "animation-delay", PROPERTY },
    { "animation-direction", PROPERTY }, { "animation-duration", PROPERTY },
    { "animation-fill-mode", PROPERTY }, { "animation-iteration-count", PROPERTY },
    { "animation-name", PROPERTY }, { "animation-play-state", PROPERTY },
    { "animation-timing-function", PROPERTY }, { "antiquewhite", COLOR },
    { "appearance", PROPERTY }, { "aqua", COLOR }, { "aquamarine", COLOR },
    { "armenian", KEYWORD }, { "aspect-ratio", PROPERTY }, { "attr", FUNCTIONAL },
    { "aural", OTHER }, { "auto", KEYWORD }, { "avoid", KEYWORD },
    { "avoid-column", KEYWORD }, { "avoid-page", KEYWORD }, { "azimuth", PROPERTY },
    { "azure", COLOR }, { "backface-visibility", PROPERTY }, { "background", PROPERTY },
    { "background-attachment", PROPERTY }, { "background-blend-mode", PROPERTY },
    { "background-clip", PROPERTY }, { "background-color", PROPERTY },
    { "background-image", PROPERTY }, { "background-origin", PROPERTY },
    { "background-position", PROPERTY }, { "background-repeat", PROPERTY },
    { "background-size", PROPERTY }, { "backwards", KEYWORD }, { "balance", KEYWORD },
    { "baseline", KEYWORD }, { "baseline-shift", PROPERTY },
    { "baseline-source", PROPERTY }, { "behind", OTHER }, { "beige", COLOR },
    { "below", KEYWORD }, { "bidi-override", OTHER }, { "bisque", COLOR },
    { "black", COLOR }, { "blackness", FUNCTIONAL }, { "blanchedalmond", COLOR },
    { "blend", FUNCTIONAL }, { "blenda", FUNCTIONAL }, { "blink", KEYWORD },
    { "block", KEYWORD }, { "block-ellipsis", PROPERTY }, { "block-size", PROPERTY },
    { "block-step", PROPERTY }, { "block-step-align", PROPERTY },
    { "block-step-insert", PROPERTY }, { "block-step-round", PROPERTY },
    { "block-step-size", PROPERTY }, { "blue", COLOR }, { "blueviolet", COLOR },
    { "blur", FUNCTIONAL }, { "bold", KEYWORD }, { "bolder", KEYWORD },
    { "bookmark-label", PROPERTY }, { "bookmark-level", PROPERTY },
    { "bookmark-state", PROPERTY }, { "border", PROPERTY }, { "border-block", PROPERTY },
    { "border-block-color", PROPERTY }, { "border-block-end", PROPERTY },
    { "border-block-end-color", PROPERTY }, { "border-block-end-style", PROPERTY },
    { "border-block-end-width", PROPERTY }, { "border-block-start", PROPERTY },
    { "border-block-start-color", PROPERTY }, { "border-block-start-style", PROPERTY },
    { "border-block-start-width", PROPERTY }, { "border-block-style", PROPERTY },
    { "border-block-width", PROPERTY }, { "border-bottom", PROPERTY },
    { "border-bottom-color", PROPERTY }, { "border-bottom-left-radius", PROPERTY },
    { "border-bottom-right-radius", PROPERTY }, { "border-bottom-style", PROPERTY },
    { "border-bottom-width", PROPERTY }, { "border-boundary", PROPERTY },
    { "border-box", KEYWORD }, { "border-collapse", PROPERTY },
    { "border-color", PROPERTY }, { "border-end-end-radius", PROPERTY },
    { "border-end-start-radius", PROPERTY }, { "border-image", PROPERTY },
    { "border-image-outset", PROPERTY }, { "border-image-repeat", PROPERTY },
    { "border-image-slice", PROPERTY }, { "border-image-source", PROPERTY },
    { "border-image-width", PROPERTY }, { "border-inline", PROPERTY },
    { "border-inline-color", PROPERTY }, { "border-inline-end", PROPERTY },
    { "border-inline-end-color", PROPERTY }, { "border-inline-end-style", PROPERTY },
    { "border-inline-end-width", PROPERTY }, { "border-inline-start", PROPERTY },
    { "border-inline-start-color", PROPERTY }, { "border-inline-start-style", PROPERTY },
    { "border-inline-start-width", PROPERTY }, { "border-inline-style", PROPERTY },
    { "border-inline-width", PROPERTY }, { "border-left", PROPERTY },
    { "border-left-color", PROPERTY }, { "border-left-style", PROPERTY },
    { "border-left-width", PROPERTY }, { "border-radius", PROPERTY },
    { "border-right", PROPERTY }, { "border-right-color", PROPERTY },
    { "border-right-style", PROPERTY }, { "border-right-width", PROPERTY },
    { "border-spacing", PROPERTY }, { "border-start-end-radius", PROPERTY },
    { "border-start-start-radius", PROPERTY }, { "border-style", PROPERTY },
    { "border-top", PROPERTY }, { "border-top-color", PROPERTY },
    { "border-top-left-radius", PROPERTY }, { "border-top-right-radius", PROPERTY },
    { "border-top-style", PROPERTY }, { "border-top-width", PROPERTY },
    { "border-width", PROPERTY }, { "both", KEYWORD }, { "bottom", KEYWORD | PROPERTY },
    { "box-decoration", KEYWORD }, { "box-decoration-break", PROPERTY },
    { "box-shadow", PROPERTY }, { "box-sizing", PROPERTY }, { "box-snap", PROPERTY },
    { "break-after", PROPERTY }, { "break-before", PROPERTY },
    { "break-inside", PROPERTY }, { "break-word", KEYWORD }, { "brightness", FUNCTIONAL },
    { "brown", COLOR }, { "burlywood", COLOR }, { "cadetblue", COLOR },
    { "calc", FUNCTIONAL }, { "capitalize", KEYWORD }, { "caption-side", PROPERTY },
    { "caret", PROPERTY }, { "caret-color", PROPERTY }, { "caret-shape", PROPERTY },
    { "cell", KEYWORD }, { "center", KEYWORD }, { "center-left", OTHER },
    { "center-right", OTHER }, { "chains", PROPERTY }, { "chartreuse", COLOR },
    { "chocolate", COLOR }, { "circle", KEYWORD | FUNCTIONAL },
    { "cjk-ideographic", OTHER }, { "clear", PROPERTY }, { "clip", KEYWORD | PROPERTY },
    { "clip-path", PROPERTY }, { "clip-rule", PROPERTY }, { "clone", KEYWORD },
    { "close-quote", KEYWORD }, { "col-resize", KEYWORD }, { "collapse", KEYWORD },
    { "color", KEYWORD | PROPERTY }, { "color-adjust", PROPERTY },
    { "color-burn", KEYWORD }, { "color-dodge", KEYWORD },
    { "color-interpolation-filters", PROPERTY }, { "color-mod", FUNCTIONAL },
    { "color-scheme", PROPERTY }, { "column", KEYWORD }, { "column-count", PROPERTY },
    { "column-fill", PROPERTY }, { "column-gap", PROPERTY }, { "column-reverse", KEYWORD },
    { "column-rule", PROPERTY }, { "column-rule-color", PROPERTY },
    { "column-rule-style", PROPERTY }, { "column-rule-width", PROPERTY },
    { "column-span", PROPERTY }, { "column-width", PROPERTY }, { "columns", PROPERTY },
    { "compact", KEYWORD }, { "condensed", KEYWORD }, { "contain", KEYWORD | PROPERTY },
    { "contain-intrinsic-block-size", PROPERTY }, { "contain-intrinsic-height", PROPERTY },
    { "contain-intrinsic-inline-size", PROPERTY }, { "contain-intrinsic-size", PROPERTY },
    { "contain-intrinsic-width", PROPERTY }, { "container", KEYWORD | PROPERTY },
    { "container-name", PROPERTY }, { "container-type", PROPERTY },
    { "content", PROPERTY }, { "content-box", KEYWORD },
    { "content-visibility", PROPERTY }, { "context-menu", KEYWORD },
    { "continue", PROPERTY }, { "continuous", OTHER }, { "contrast", FUNCTIONAL },
    { "copy", KEYWORD }, { "coral", COLOR }, { "cornflowerblue", COLOR },
    { "cornsilk", COLOR }, { "counter", FUNCTIONAL }, { "counter-increment", PROPERTY },
    { "counter-reset", PROPERTY }, { "counter-set", PROPERTY }, { "cover", KEYWORD },
    { "crimson", COLOR }, { "crisp-edges", KEYWORD }, { "crop", OTHER },
    { "cross", OTHER }, { "crosshair", KEYWORD }, { "cubic-bezier", FUNCTIONAL },
    { "cue", PROPERTY }, { "cue-after", PROPERTY }, { "cue-before", PROPERTY },
    { "currentColor", KEYWORD }, { "cursive", KEYWORD }, { "cursor", PROPERTY },
    { "cyan", COLOR }, { "darkblue", COLOR }, { "darkcyan", COLOR }, { "darken", KEYWORD },
    { "darkgoldenrod", COLOR }, { "darkgray", COLOR }, { "darkgreen", COLOR },
    { "darkgrey", COLOR }, { "darkkhaki", COLOR }, { "darkmagenta", COLOR },
    { "darkolivegreen", COLOR }, { "darkorange", COLOR }, { "darkorchid", COLOR },
    { "darkred", COLOR }, { "darksalmon", COLOR }, { "darkseagreen", COLOR },
    { "darkslateblue", COLOR }, { "darkslategray", COLOR }, { "darkslategrey", COLOR },
    { "darkturquoise", COLOR }, { "darkviolet", COLOR }, { "dashed", KEYWORD },
    { "decimal", KEYWORD }, { "decimal-leading-zero", KEYWORD }, { "deeppink", COLOR },
    { "deepskyblue", COLOR }, { "default", KEYWORD }, { "descendants", KEYWORD },
    { "device-cmyk", FUNCTIONAL }, { "difference", KEYWORD }, { "digits", KEYWORD },
    { "dimgray", COLOR }, { "dimgrey", COLOR }, { "direction", PROPERTY },
    { "disc", KEYWORD }, { "display", PROPERTY }, { "distribute", KEYWORD },
    { "dodgerblue", COLOR }, { "dominant-baseline", PROPERTY }, { "dot", KEYWORD },
    { "dotted", KEYWORD }, { "double", KEYWORD }, { "double-circle", KEYWORD },
    { "drop-shadow", FUNCTIONAL }, { "e-resize", KEYWORD }, { "each-line", KEYWORD },
    { "ease", KEYWORD }, { "ease-in", KEYWORD }, { "ease-in-out", KEYWORD },
    { "ease-out", KEYWORD }, { "edges", KEYWORD }, { "elevation", PROPERTY },
    { "ellipse", FUNCTIONAL }, { "ellipsis", KEYWORD }, { "embed", OTHER },
    { "empty-cells", PROPERTY }, { "end", KEYWORD }, { "ew-resize", KEYWORD },
    { "exclusion", KEYWORD }, { "expanded", KEYWORD }, { "extra-condensed", KEYWORD },
    { "extra-expanded", KEYWORD }, { "fantasy", KEYWORD }, { "far-left", OTHER },
    { "far-right", OTHER }, { "fast", OTHER }, { "faster", OTHER },
    { "fill", KEYWORD | PROPERTY }, { "fill-box", KEYWORD }, { "fill-break", PROPERTY },
    { "fill-color", PROPERTY }, { "fill-image", PROPERTY }, { "fill-opacity", PROPERTY },
    { "fill-origin", PROPERTY }, { "fill-position", PROPERTY },
    { "fill-repeat", PROPERTY }, { "fill-rule", PROPERTY }, { "fill-size", PROPERTY },
    { "filled", KEYWORD }, { "filter", PROPERTY }, { "firebrick", COLOR },
    { "first", KEYWORD }, { "fixed", KEYWORD }, { "flat", KEYWORD },
    { "flex", KEYWORD | PROPERTY }, { "flex-basis", PROPERTY },
    { "flex-direction", PROPERTY }, { "flex-end", KEYWORD }, { "flex-flow", PROPERTY },
    { "flex-grow", PROPERTY }, { "flex-shrink", PROPERTY }, { "flex-start", KEYWORD },
    { "flex-wrap", PROPERTY }, { "flip", KEYWORD }, { "float", PROPERTY },
    { "float-defer", PROPERTY }, { "float-offset", PROPERTY },
    { "float-reference", PROPERTY }, { "flood-color", PROPERTY },
    { "flood-opacity", PROPERTY }, { "floralwhite", COLOR }, { "flow", PROPERTY },
    { "flow-from", PROPERTY }, { "flow-into", PROPERTY }, { "font", PROPERTY },
    { "font-family", PROPERTY }, { "font-feature-settings", PROPERTY },
    { "font-kerning", PROPERTY }, { "font-language-override", PROPERTY },
    { "font-optical-sizing", PROPERTY }, { "font-palette", PROPERTY },
    { "font-size", PROPERTY }, { "font-size-adjust", PROPERTY },
    { "font-stretch", PROPERTY }, { "font-style", PROPERTY },
    { "font-synthesis", PROPERTY }, { "font-synthesis-small-caps", PROPERTY },
    { "font-synthesis-style", PROPERTY }, { "font-synthesis-weight", PROPERTY },
    { "font-variant", PROPERTY }, { "font-variant-alternates", PROPERTY },
    { "font-variant-caps", PROPERTY }, { "font-variant-east-asian", PROPERTY },
    { "font-variant-emoji", PROPERTY }, { "font-variant-ligatures", PROPERTY },
    { "font-variant-numeric", PROPERTY }, { "font-variant-position", PROPERTY },
    { "font-variation-settings", PROPERTY }, { "font-weight", PROPERTY },
    { "footnote-display", PROPERTY }, { "footnote-policy", PROPERTY },
    { "force-end", KEYWORD }, { "forced-color-adjust", PROPERTY },
    { "forestgreen", COLOR }, { "forwards", KEYWORD }, { "from-image", KEYWORD },
    { "fuchsia", COLOR }, { "full-width", KEYWORD }, { "gainsboro", COLOR },
    { "gap", PROPERTY }, { "geometricPrecision", KEYWORD }, { "georgian", KEYWORD },
    { "ghostwhite", COLOR }, { "glyph-orientation-vertical", PROPERTY }, { "gold", COLOR },
    { "goldenrod", COLOR }, { "gray", COLOR | FUNCTIONAL }, { "grayscale", FUNCTIONAL },
    { "green", COLOR }, { "greenyellow", COLOR }, { "grey", COLOR }, { "grid", PROPERTY },
    { "grid-area", PROPERTY }, { "grid-auto-columns", PROPERTY },
    { "grid-auto-flow", PROPERTY }, { "grid-auto-rows", PROPERTY },
    { "grid-column", PROPERTY }, { "grid-column-end", PROPERTY },
    { "grid-column-start", PROPERTY }, { "grid-row", PROPERTY },
    { "grid-row-end", PROPERTY }, { "grid-row-start", PROPERTY },
    { "grid-template", PROPERTY }, { "grid-template-areas", PROPERTY },
    { "grid-template-columns", PROPERTY }, { "grid-template-rows", PROPERTY },
    { "groove", KEYWORD }, { "hanging", KEYWORD }, { "hanging-punctuation", PROPERTY },
    { "hard-light", KEYWORD }, { "hebrew", OTHER }, { "height", PROPERTY },
    { "help", KEYWORD }, { "hidden", KEYWORD }, { "hide", KEYWORD }, { "high", OTHER },
    { "higher", OTHER }, { "hiragana", OTHER }, { "hiragana-iroha", OTHER },
    { "honeydew", COLOR }, { "horizontal", KEYWORD }, { "hotpink", COLOR },
    { "hsl", FUNCTIONAL }, { "hsla", FUNCTIONAL }, { "hue", KEYWORD | FUNCTIONAL },
    { "hue-rotate", FUNCTIONAL }, { "hwb", FUNCTIONAL },
    { "hyphenate-character", PROPERTY }, { "hyphenate-limit-chars", PROPERTY },
    { "hyphenate-limit-last", PROPERTY }, { "hyphenate-limit-lines", PROPERTY },
    { "hyphenate-limit-zone", PROPERTY }, { "hyphens", PROPERTY }, { "icon", KEYWORD },
    { "image", FUNCTIONAL }, { "image-orientation", PROPERTY },
    { "image-rendering", PROPERTY }, { "image-resolution", PROPERTY },
    { "indianred", COLOR }, { "indigo", COLOR }, { "infinite", KEYWORD },
    { "inherit", KEYWORD }, { "initial", KEYWORD }, { "initial-letter", PROPERTY },
    { "initial-letter-align", PROPERTY }, { "initial-letter-wrap", PROPERTY },
    { "ink", KEYWORD }, { "inline", KEYWORD }, { "inline-block", KEYWORD },
    { "inline-flex", KEYWORD }, { "inline-size", PROPERTY }, { "inline-sizing", PROPERTY },
    { "inline-table", KEYWORD }, { "input-security", PROPERTY },
    { "inset", KEYWORD | PROPERTY | FUNCTIONAL }, { "inset-block", PROPERTY },
    { "inset-block-end", PROPERTY }, { "inset-block-start", PROPERTY },
    { "inset-inline", PROPERTY }, { "inset-inline-end", PROPERTY },
    { "inset-inline-start", PROPERTY }, { "inside", KEYWORD }, { "inter-word", KEYWORD },
    { "invert", KEYWORD | FUNCTIONAL }, { "isolate", KEYWORD }, { "isolation", PROPERTY },
    { "italic", KEYWORD }, { "ivory", COLOR }, { "justify", KEYWORD },
    { "justify-content", PROPERTY }, { "justify-items", PROPERTY },
    { "justify-self", PROPERTY }, { "katakana", OTHER }, { "katakana-iroha", OTHER },
    { "khaki", COLOR }, { "landscape", OTHER }, { "large", KEYWORD },
    { "larger", KEYWORD }, { "last", KEYWORD }, { "lavender", COLOR },
    { "lavenderblush", COLOR }, { "lawngreen", COLOR }, { "leading-trim", PROPERTY },
    { "left", KEYWORD | PROPERTY }, { "left-side", OTHER }, { "leftwards", OTHER },
    { "lemonchiffon", COLOR }, { "letter-spacing", PROPERTY }, { "level", OTHER },
    { "lightblue", COLOR }, { "lightcoral", COLOR }, { "lightcyan", COLOR },
    { "lighten", KEYWORD }, { "lighter", KEYWORD }, { "lightgoldenrodyellow", COLOR },
    { "lightgray", COLOR }, { "lightgreen", COLOR }, { "lightgrey", COLOR },
    { "lighting-color", PROPERTY }, { "lightness", FUNCTIONAL }, { "lightpink", COLOR },
    { "lightsalmon", COLOR }, { "lightseagreen", COLOR }, { "lightskyblue", COLOR },
    { "lightslategray", COLOR }, { "lightslategrey", COLOR }, { "lightsteelblue", COLOR },
    { "lightyellow", COLOR }, { "lime", COLOR }, { "limegreen", COLOR },
    { "line-break", PROPERTY }, { "line-clamp", PROPERTY }, { "line-grid", PROPERTY },
    { "line-height", PROPERTY }, { "line-height-step", PROPERTY },
    { "line-padding", PROPERTY }, { "line-snap", PROPERTY }, { "line-through", KEYWORD },
    { "linear", KEYWORD }, { "linear-gradient", FUNCTIONAL }, { "linen", COLOR },
    { "list-item", KEYWORD }, { "list-style", PROPERTY }, { "list-style-image", PROPERTY },
    { "list-style-position", PROPERTY }, { "list-style-type", PROPERTY },
    { "local", KEYWORD }, { "loose", KEYWORD }, { "loud", OTHER }, { "low", OTHER },
    { "lower", OTHER }, { "lower-alpha", KEYWORD }, { "lower-greek", KEYWORD },
    { "lower-latin", KEYWORD }, { "lower-roman", KEYWORD }, { "lowercase", KEYWORD },
    { "ltr", KEYWORD }, { "luminance", KEYWORD }, { "luminosity", KEYWORD },
    { "magenta", COLOR }, { "mandatory", KEYWORD }, { "manipulation", KEYWORD },
    { "manual", KEYWORD }, { "margin", PROPERTY }, { "margin-block", PROPERTY },
    { "margin-block-end", PROPERTY }, { "margin-block-start", PROPERTY },
    { "margin-bottom", PROPERTY }, { "margin-box", KEYWORD }, { "margin-break", PROPERTY },
    { "margin-inline", PROPERTY }, { "margin-inline-end", PROPERTY },
    { "margin-inline-start", PROPERTY }, { "margin-left", PROPERTY },
    { "margin-right", PROPERTY }, { "margin-top", PROPERTY }, { "margin-trim", PROPERTY },
    { "marker", PROPERTY }, { "marker-end", PROPERTY },
    { "marker-knockout-left", PROPERTY }, { "marker-knockout-right", PROPERTY },
    { "marker-mid", PROPERTY }, { "marker-pattern", PROPERTY },
    { "marker-segment", PROPERTY }, { "marker-side", PROPERTY },
    { "marker-start", PROPERTY }, { "maroon", COLOR }, { "mask", PROPERTY },
    { "mask-border", PROPERTY }, { "mask-border-mode", PROPERTY },
    { "mask-border-outset", PROPERTY }, { "mask-border-repeat", PROPERTY },
    { "mask-border-slice", PROPERTY }, { "mask-border-source", PROPERTY },
    { "mask-border-width", PROPERTY }, { "mask-clip", PROPERTY },
    { "mask-composite", PROPERTY }, { "mask-image", PROPERTY }, { "mask-mode", PROPERTY },
    { "mask-origin", PROPERTY }, { "mask-position", PROPERTY },
    { "mask-repeat", PROPERTY }, { "mask-size", PROPERTY }, { "mask-type", PROPERTY },
    { "match-parent", KEYWORD }, { "matrix", FUNCTIONAL }, { "matrix3d", FUNCTIONAL },
    { "max-block-size", PROPERTY }, { "max-height", PROPERTY },
    { "max-inline-size", PROPERTY }, { "max-lines", PROPERTY }, { "max-width", PROPERTY },
    { "medium", KEYWORD }, { "mediumaquamarine", COLOR }, { "mediumblue", COLOR },
    { "mediumorchid", COLOR }, { "mediumpurple", COLOR }, { "mediumseagreen", COLOR },
    { "mediumslateblue", COLOR }, { "mediumspringgreen", COLOR },
    { "mediumturquoise", COLOR }, { "mediumvioletred", COLOR }, { "message-box", OTHER },
    { "middle", OTHER }, { "midnightblue", COLOR }, { "min-block-size", PROPERTY },
    { "min-height", PROPERTY }, { "min-inline-size", PROPERTY },
    { "min-intrinsic-sizing", PROPERTY }, { "min-width", PROPERTY },
    { "mintcream", COLOR }, { "mistyrose", COLOR }, { "mix", OTHER },
    { "mix-blend-mode", PROPERTY }, { "mixed", KEYWORD }, { "moccasin", COLOR },
    { "monospace", KEYWORD }, { "move", KEYWORD }, { "multiply", KEYWORD },
    { "n-resize", KEYWORD }, { "narrower", OTHER }, { "nav-down", PROPERTY },
    { "nav-left", PROPERTY }, { "nav-right", PROPERTY }, { "nav-up", PROPERTY },
    { "navajowhite", COLOR }, { "navy", COLOR }, { "ne-resize", KEYWORD },
    { "nesw-resize", KEYWORD }, { "no-close-quote", KEYWORD }, { "no-drop", KEYWORD },
    { "no-open-quote", KEYWORD }, { "no-repeat", KEYWORD }, { "none", KEYWORD },
    { "normal", KEYWORD }, { "not-allowed", KEYWORD }, { "nowrap", KEYWORD },
    { "ns-resize", KEYWORD }, { "nw-resize", KEYWORD }, { "nwse-resize", KEYWORD },
    { "object-fit", PROPERTY }, { "object-overflow", PROPERTY },
    { "object-position", PROPERTY }, { "object-view-box", PROPERTY },
    { "objects", KEYWORD }, { "oblique", KEYWORD }, { "off", KEYWORD },
    { "offset", PROPERTY }, { "offset-anchor", PROPERTY }, { "offset-distance", PROPERTY },
    { "offset-path", PROPERTY }, { "offset-position", PROPERTY },
    { "offset-rotate", PROPERTY }, { "oldlace", COLOR }, { "olive", COLOR },
    { "olivedrab", COLOR }, { "on", KEYWORD }, { "once", OTHER },
    { "opacity", PROPERTY | FUNCTIONAL }, { "open", KEYWORD }, { "open-quote", KEYWORD },
    { "optimizeLegibility", KEYWORD }, { "optimizeSpeed", KEYWORD }, { "orange", COLOR },
    { "orangered", COLOR }, { "orchid", COLOR }, { "order", PROPERTY },
    { "orphans", PROPERTY }, { "outline", PROPERTY }, { "outline-color", PROPERTY },
    { "outline-offset", PROPERTY }, { "outline-style", PROPERTY },
    { "outline-width", PROPERTY }, { "outset", KEYWORD }, { "outside", KEYWORD },
    { "over", KEYWORD }, { "overflow", PROPERTY }, { "overflow-anchor", PROPERTY },
    { "overflow-block", PROPERTY }, { "overflow-clip-margin", PROPERTY },
    { "overflow-inline", PROPERTY }, { "overflow-wrap", PROPERTY },
    { "overflow-x", PROPERTY }, { "overflow-y", PROPERTY }, { "overlay", KEYWORD },
    { "overline", KEYWORD }, { "overscroll-behavior", PROPERTY },
    { "overscroll-behavior-block", PROPERTY }, { "overscroll-behavior-inline", PROPERTY },
    { "overscroll-behavior-x", PROPERTY }, { "overscroll-behavior-y", PROPERTY },
    { "padding", PROPERTY }, { "padding-block", PROPERTY },
    { "padding-block-end", PROPERTY }, { "padding-block-start", PROPERTY },
    { "padding-bottom", PROPERTY }, { "padding-box", KEYWORD },
    { "padding-inline", PROPERTY }, { "padding-inline-end", PROPERTY },
    { "padding-inline-start", PROPERTY }, { "padding-left", PROPERTY },
    { "padding-right", PROPERTY }, { "padding-top", PROPERTY },
    { "page", KEYWORD | PROPERTY }, { "page-break-after", PROPERTY },
    { "page-break-before", PROPERTY }, { "page-break-inside", PROPERTY },
    { "palegoldenrod", COLOR }, { "palegreen", COLOR }, { "paleturquoise", COLOR },
    { "palevioletred", COLOR }, { "pan-down", KEYWORD }, { "pan-left", KEYWORD },
    { "pan-right", KEYWORD }, { "pan-up", KEYWORD }, { "pan-x", KEYWORD },
    { "pan-y", KEYWORD }, { "papayawhip", COLOR }, { "pause", PROPERTY },
    { "pause-after", PROPERTY }, { "pause-before", PROPERTY }, { "paused", KEYWORD },
    { "peachpuff", COLOR }, { "perspective", PROPERTY | FUNCTIONAL },
    { "perspective-origin", PROPERTY }, { "peru", COLOR }, { "petite-caps", KEYWORD },
    { "pink", COLOR }, { "pitch", PROPERTY }, { "pitch-range", PROPERTY },
    { "pixelated", KEYWORD }, { "place-content", PROPERTY }, { "place-items", PROPERTY },
    { "place-self", PROPERTY }, { "play-during", PROPERTY }, { "plum", COLOR },
    { "pointer", KEYWORD }, { "pointer-events", PROPERTY }, { "polygon", FUNCTIONAL },
    { "portrait", OTHER }, { "position", PROPERTY }, { "powderblue", COLOR },
    { "pre", OTHER }, { "pre-line", OTHER }, { "pre-wrap", OTHER },
    { "preserve-3d", KEYWORD }, { "print-color-adjust", PROPERTY },
    { "progress", KEYWORD }, { "property-name", PROPERTY }, { "proximity", KEYWORD },
    { "purple", COLOR }, { "quotes", PROPERTY }, { "radial-gradient", FUNCTIONAL },
    { "rebeccapurple", COLOR }, { "rect", FUNCTIONAL }, { "red", COLOR },
    { "region-fragment", PROPERTY }, { "relative", KEYWORD }, { "repeat", KEYWORD },
    { "repeat-x", KEYWORD }, { "repeat-y", KEYWORD },
    { "repeating-linear-gradient", FUNCTIONAL },
    { "repeating-radial-gradient", FUNCTIONAL }, { "resize", PROPERTY },
    { "rest", PROPERTY }, { "rest-after", PROPERTY }, { "rest-before", PROPERTY },
    { "reverse", KEYWORD }, { "rgb", FUNCTIONAL }, { "rgba", FUNCTIONAL },
    { "richness", PROPERTY }, { "ridge", KEYWORD }, { "right", KEYWORD | PROPERTY },
    { "right-side", OTHER }, { "rightwards", OTHER }, { "rosybrown", COLOR },
    { "rotate", PROPERTY | FUNCTIONAL }, { "rotate3d", FUNCTIONAL },
    { "rotateX", FUNCTIONAL }, { "rotateY", FUNCTIONAL }, { "rotateZ", FUNCTIONAL },
    { "round", KEYWORD }, { "row", KEYWORD }, { "row-gap", PROPERTY },
    { "row-resize", KEYWORD }, { "row-reverse", KEYWORD }, { "royalblue", COLOR },
    { "rtl", KEYWORD }, { "ruby", KEYWORD }, { "ruby-align", PROPERTY },
    { "ruby-base", KEYWORD }, { "ruby-base-container", KEYWORD },
    { "ruby-merge", PROPERTY }, { "ruby-overhang", PROPERTY },
    { "ruby-position", PROPERTY }, { "ruby-text", KEYWORD },
    { "ruby-text-container", KEYWORD }, { "run-in", KEYWORD },
    { "running", KEYWORD | PROPERTY }, { "s-resize", KEYWORD }, { "saddlebrown", COLOR },
    { "salmon", COLOR }, { "sandybrown", COLOR }, { "sans-serif", KEYWORD },
    { "saturate", FUNCTIONAL }, { "saturation", KEYWORD | FUNCTIONAL },
    { "scale", PROPERTY | FUNCTIONAL }, { "scale-down", KEYWORD },
    { "scale3d", FUNCTIONAL }, { "scaleX", FUNCTIONAL }, { "scaleY", FUNCTIONAL },
    { "scaleZ", FUNCTIONAL }, { "screen", KEYWORD }, { "scroll", KEYWORD },
    { "scroll-behavior", PROPERTY }, { "scroll-margin", PROPERTY },
    { "scroll-margin-block", PROPERTY }, { "scroll-margin-block-end", PROPERTY },
    { "scroll-margin-block-start", PROPERTY }, { "scroll-margin-bottom", PROPERTY },
    { "scroll-margin-inline", PROPERTY }, { "scroll-margin-inline-end", PROPERTY },
    { "scroll-margin-inline-start", PROPERTY }, { "scroll-margin-left", PROPERTY },
    { "scroll-margin-right", PROPERTY }, { "scroll-margin-top", PROPERTY },
    { "scroll-padding", PROPERTY }, { "scroll-padding-block", PROPERTY },
    { "scroll-padding-block-end", PROPERTY }, { "scroll-padding-block-start", PROPERTY },
    { "scroll-padding-bottom", PROPERTY }, { "scroll-padding-inline", PROPERTY },
    { "scroll-padding-inline-end", PROPERTY }, { "scroll-padding-inline-start", PROPERTY },
    { "scroll-padding-left", PROPERTY }, { "scroll-padding-right", PROPERTY },
    { "scroll-padding-top", PROPERTY }, { "scroll-snap-align", PROPERTY },
    { "scroll-snap-stop", PROPERTY }, { "scroll-snap-type", PROPERTY },
    { "scrollbar-color", PROPERTY }, { "scrollbar-gutter", PROPERTY },
    { "scrollbar-width", PROPERTY }, { "se-resize", KEYWORD }, { "seagreen", COLOR },
    { "seashell", COLOR }, { "semi-condensed", KEYWORD }, { "semi-expanded", KEYWORD },
    { "separate", KEYWORD }, { "sepia", FUNCTIONAL }, { "serif", KEYWORD },
    { "sesame", KEYWORD }, { "shade", FUNCTIONAL }, { "shape-image-threshold", PROPERTY },
    { "shape-inside", PROPERTY }, { "shape-margin", PROPERTY },
    { "shape-outside", PROPERTY }, { "show", KEYWORD }, { "sideways", KEYWORD },
    { "sideways-left", KEYWORD }, { "sideways-right", KEYWORD }, { "sienna", COLOR },
    { "silent", OTHER }, { "silver", COLOR }, { "skewX", FUNCTIONAL },
    { "skewY", FUNCTIONAL }, { "skyblue", COLOR }, { "slateblue", COLOR },
    { "slategray", COLOR }, { "slategrey", COLOR }, { "slice", KEYWORD },
    { "slow", OTHER }, { "slower", OTHER }, { "small", KEYWORD },
    { "small-caps", KEYWORD }, { "small-caption", OTHER }, { "smaller", KEYWORD },
    { "smooth", KEYWORD }, { "snap", KEYWORD }, { "snow", COLOR }, { "soft", OTHER },
    { "soft-light", KEYWORD }, { "solid", KEYWORD }, { "space", KEYWORD },
    { "space-around", KEYWORD }, { "space-between", KEYWORD }, { "spaces", KEYWORD },
    { "spatial-navigation-action", PROPERTY }, { "spatial-navigation-contain", PROPERTY },
    { "spatial-navigation-function", PROPERTY }, { "speak", PROPERTY },
    { "speak-as", PROPERTY }, { "speak-header", PROPERTY }, { "speak-numeral", PROPERTY },
    { "speak-punctuation", PROPERTY }, { "speech-rate", PROPERTY }, { "spell-out", OTHER },
    { "springgreen", COLOR }, { "square", KEYWORD }, { "start", KEYWORD },
    { "static", KEYWORD }, { "status-bar", OTHER }, { "steelblue", COLOR },
    { "step-end", KEYWORD }, { "step-start", KEYWORD }, { "steps", FUNCTIONAL },
    { "sticky", KEYWORD }, { "stress", PROPERTY }, { "stretch", KEYWORD },
    { "strict", KEYWORD }, { "string-set", PROPERTY }, { "stroke", PROPERTY },
    { "stroke-align", PROPERTY }, { "stroke-alignment", PROPERTY },
    { "stroke-box", KEYWORD }, { "stroke-break", PROPERTY }, { "stroke-color", PROPERTY },
    { "stroke-dash-corner", PROPERTY }, { "stroke-dash-justify", PROPERTY },
    { "stroke-dashadjust", PROPERTY }, { "stroke-dasharray", PROPERTY },
    { "stroke-dashcorner", PROPERTY }, { "stroke-dashoffset", PROPERTY },
    { "stroke-image", PROPERTY }, { "stroke-linecap", PROPERTY },
    { "stroke-linejoin", PROPERTY }, { "stroke-miterlimit", PROPERTY },
    { "stroke-opacity", PROPERTY }, { "stroke-origin", PROPERTY },
    { "stroke-position", PROPERTY }, { "stroke-repeat", PROPERTY },
    { "stroke-size", PROPERTY }, { "stroke-width", PROPERTY }, { "style", KEYWORD },
    { "super", OTHER }, { "sw-resize", KEYWORD }, { "tab-size", PROPERTY },
    { "table", KEYWORD }, { "table-caption", KEYWORD }, { "table-cell", KEYWORD },
    { "table-column", KEYWORD }, { "table-column-group", KEYWORD },
    { "table-footer-group", KEYWORD }, { "table-header-group", KEYWORD },
    { "table-layout", PROPERTY }, { "table-row", KEYWORD }, { "table-row-group", KEYWORD },
    { "tan", COLOR }, { "teal", COLOR }, { "text", KEYWORD }, { "text-align", PROPERTY },
    { "text-align-all", PROPERTY }, { "text-align-last", PROPERTY },
    { "text-bottom", OTHER }, { "text-combine-upright", PROPERTY },
    { "text-decoration", PROPERTY }, { "text-decoration-color", PROPERTY },
    { "text-decoration-line", PROPERTY }, { "text-decoration-skip", PROPERTY },
    { "text-decoration-skip-box", PROPERTY }, { "text-decoration-skip-ink", PROPERTY },
    { "text-decoration-skip-inset", PROPERTY }, { "text-decoration-skip-self", PROPERTY },
    { "text-decoration-skip-spaces", PROPERTY }, { "text-decoration-style", PROPERTY },
    { "text-decoration-thickness", PROPERTY }, { "text-edge", PROPERTY },
    { "text-emphasis", PROPERTY }, { "text-emphasis-color", PROPERTY },
    { "text-emphasis-position", PROPERTY }, { "text-emphasis-skip", PROPERTY },
    { "text-emphasis-style", PROPERTY }, { "text-group-align", PROPERTY },
    { "text-indent", PROPERTY }, { "text-justify", PROPERTY },
    { "text-orientation", PROPERTY }, { "text-overflow", PROPERTY },
    { "text-shadow", PROPERTY }, { "text-space-collapse", PROPERTY },
    { "text-space-trim", PROPERTY }, { "text-spacing", PROPERTY }, { "text-top", OTHER },
    { "text-transform", PROPERTY }, { "text-underline-offset", PROPERTY },
    { "text-underline-position", PROPERTY }, { "text-wrap", PROPERTY },
    { "thick", KEYWORD }, { "thin", KEYWORD }, { "thistle", COLOR },
    { "tint", FUNCTIONAL }, { "titling-caps", KEYWORD }, { "to", KEYWORD },
    { "toggle", FUNCTIONAL }, { "tomato", COLOR }, { "top", KEYWORD | PROPERTY },
    { "transform", PROPERTY }, { "transform-box", PROPERTY },
    { "transform-origin", PROPERTY }, { "transform-style", PROPERTY },
    { "transition", PROPERTY }, { "transition-delay", PROPERTY },
    { "transition-duration", PROPERTY }, { "transition-property", PROPERTY },
    { "transition-timing-function", PROPERTY }, { "translate", PROPERTY | FUNCTIONAL },
    { "translate3d", FUNCTIONAL }, { "translateX", FUNCTIONAL },
    { "translateY", FUNCTIONAL }, { "translateZ", FUNCTIONAL }, { "transparent", COLOR },
    { "triangle", KEYWORD }, { "turquoise", COLOR }, { "ultra-condensed", KEYWORD },
    { "ultra-expanded", KEYWORD }, { "under", KEYWORD }, { "underline", KEYWORD },
    { "unicase", KEYWORD }, { "unicode-bidi", PROPERTY }, { "unset", KEYWORD },
    { "upper-alpha", KEYWORD }, { "upper-latin", KEYWORD }, { "upper-roman", KEYWORD },
    { "uppercase", KEYWORD }, { "upright", KEYWORD }, { "use-glyph-orientation", KEYWORD },
    { "user-select", PROPERTY }, { "vertical", KEYWORD }, { "vertical-align", PROPERTY },
    { "vertical-text", KEYWORD }, { "view-box", KEYWORD }, { "violet", COLOR },
    { "visibility", PROPERTY }, { "visible", KEYWORD }, { "voice-balance", PROPERTY },
    { "voice-duration", PROPERTY }, { "voice-family", PROPERTY },
    { "voice-pitch", PROPERTY }, { "voice-range", PROPERTY }, { "voice-rate", PROPERTY },
    { "voice-stress", PROPERTY }, { "voice-volume", PROPERTY }, { "volume", PROPERTY },
    { "w-resize", KEYWORD }, { "wait", KEYWORD }, { "wavy", KEYWORD },
    { "weight", KEYWORD }, { "wheat", COLOR }, { "white", COLOR },
    { "white-space", PROPERTY }, { "whiteness", FUNCTIONAL }, { "whitesmoke", COLOR },
    { "wider", OTHER }, { "widows", PROPERTY }, { "width", PROPERTY },
    { "will-change", PROPERTY }, { "word-boundary-detection", PROPERTY },
    { "word-boundary-expansion", PROPERTY }, { "word-break", PROPERTY },
    { "word-spacing", PROPERTY }, { "word-wrap", PROPERTY }, { "wrap", KEYWORD },
    { "wrap-after", PROPERTY }, { "wrap-before", PROPERTY }, { "wrap-flow", PROPERTY },
    { "wrap-inside", PROPERTY }, { "wrap-reverse", KEYWORD }, { "wrap-through", PROPERTY },
    { "writing-mode", PROPERTY }, { "x-fast", OTHER }, { "x-high", OTHER },
    { "x-large", KEYWORD }, { "x-loud", OTHER }, { "x-low", OTHER },
    { "x-small", KEYWORD }, { "x-soft", OTHER }, { "xx-large", KEYWORD },
    { "xx-small", KEYWORD }, { "yellow", COLOR }, { "yellowgreen", COLOR },
    { "yes", OTHER }, { "z-index", PROPERTY }, { "zoom-in", KEYWORD },
    { "zoom-out", KEYWORD },
};

static struct hl_words word_index = HL_WORDS(words);

/* The longest of the words above */
#define LONGEST_WORD 29

/* A remembered search: the first hit at or after from is at (end if none),
 * which holds for any later start up to at. */

enum { M_COMMENT, M_DQUOTE, M_SQUOTE, M_URL_DQ, M_URL_SQ, M_URL_PAREN, M_NEWLINE,
       M_NAME, M_COUNT };

struct css {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek memo[M_COUNT];
    bool name_colon;        /* for memo[M_NAME]: spaces and ':' after the run */
    size_t name_ascii_end;  /* for memo[M_NAME]: where its first byte >= 0x80 is, or at */
};

/* What each ASCII byte may start or continue, so that a state decides by
 * the first byte which of its rules can match at all: [A-Za-z0-9_-]
 * (NAME), [A-Za-z_] (LETTER), ASCII \s (SPACE), where a number may start
 * ([0-9.+#-]), the operators of basics and of values, the punctuation of
 * values. Bytes >= 0x80 have none: they take the slow paths. */
enum {
    NAME = 1, LETTER = 2, SPACE = 4, NUMBER_START = 8, OPERATOR = 16, VALUE_OPERATOR = 32,
    VALUE_PUNCTUATION = 64
};
#define N_ NAME
#define L_ (NAME | LETTER)
#define D_ (NAME | NUMBER_START)
#define O_ (OPERATOR | VALUE_OPERATOR)
static const unsigned char byte_class[256] = {
    ['\t'] = SPACE, ['\n'] = SPACE, ['\v'] = SPACE, ['\f'] = SPACE, ['\r'] = SPACE,
    [0x1c] = SPACE, [0x1d] = SPACE, [0x1e] = SPACE, [0x1f] = SPACE, [' '] = SPACE,
    HL_DIGIT_BYTES(D_),
    HL_LETTER_BYTES(L_),
    ['#'] = NUMBER_START,
    ['-'] = N_ | NUMBER_START | O_, ['+'] = NUMBER_START | O_, ['.'] = NUMBER_START | O_,
    ['~'] = O_, ['^'] = O_, ['*'] = O_, ['!'] = O_, ['%'] = O_, ['&'] = O_, ['<'] = O_,
    ['>'] = O_, ['|'] = O_, ['='] = O_, ['@'] = O_, [':'] = O_, ['/'] = O_, ['?'] = O_,
    ['$'] = OPERATOR, [';'] = OPERATOR,
    ['['] = OPERATOR | VALUE_PUNCTUATION, [']'] = OPERATOR | VALUE_PUNCTUATION,
    ['('] = OPERATOR | VALUE_PUNCTUATION, [')'] = OPERATOR | VALUE_PUNCTUATION,
    [','] = OPERATOR | VALUE_PUNCTUATION,
};
#undef N_
#undef L_
#undef D_
#undef O_

/* Whether c, a byte or -1, is of the class cls of byte_class. */
static bool
is(int c, unsigned cls)
{
    return c >= 0 && (byte_class[c] & cls);
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

/* [A-Za-z_] */
static bool
ascii_letter(int c)
{
    return is(c, LETTER);
}

/* The length of the \w character at p >= 0x80, or 0; out of line, so
 * that the ASCII loops that call it stay lean. */
static size_t
word_char(const struct hl *h, size_t p)
{
    int32_t cp;
    size_t n = hl_char(h, p, &cp);
    return hl_cp_word(cp) ? n : 0;
}

/* name_run from q on, where a byte >= 0x80 stopped its ASCII loop; out
 * of line, so that name_run stays a leaf. */
__attribute__((noinline)) static size_t
wide_name_run(const struct hl *h, size_t p, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t n;
    for (;;) {
        if (q < h->end && s[q] >= 0x80 && (n = word_char(h, q)))
            q += n;
        else
            return q - p;
        while (q < h->end && (byte_class[s[q]] & NAME))
            q++;
    }
}

/* The end of the run at q of [A-Za-z0-9_-]. Most of the lexer's time goes
 * here: four bytes a round while four remain, with one branch for them. */
__attribute__((always_inline)) static inline size_t
ascii_name_end(const struct hl *h, size_t q)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t end = h->end;
    while (q + 4 <= end && (byte_class[s[q]] & byte_class[s[q + 1]] & byte_class[s[q + 2]] &
                            byte_class[s[q + 3]] & NAME))
        q += 4;
    while (q < end && (byte_class[s[q]] & NAME))
        q++;
    return q;
}

/* The run at p of \w and '-'. */
__attribute__((always_inline)) static inline size_t
name_run(const struct hl *h, size_t p)
{
    size_t q = ascii_name_end(h, p);
    if (q < h->end && (unsigned char)h->s[q] >= 0x80)
        return wide_name_run(h, p, q);
    return q - p;
}

/* name_end where the remembered run does not hold p: scans the run at p. */
static size_t
scan_name(struct css *c, size_t p)
{
    const struct hl *h = c->h;
    struct hl_seek *m = &c->memo[M_NAME];
    size_t q = ascii_name_end(h, p);
    m->from = p;
    m->at = q < h->end && (unsigned char)h->s[q] >= 0x80 ? p + wide_name_run(h, p, q) : q;
    c->name_ascii_end = q;
    c->name_colon = hl_at(h, m->at + hl_space(h, m->at, true)) == ':';
    return m->at;
}

/* The end of the run of \w and '-' that p lies in (p inside the run).
 * Remembered, so that the rules tried at each byte of a long run scan it
 * once, with whether spaces and a ':' follow it (name_colon) and where its
 * ASCII part ends (name_ascii_end). */
static size_t
name_end(struct css *c, size_t p)
{
    const struct hl_seek *m = &c->memo[M_NAME];
    if (m->from <= p && p < m->at)   /* from is NONE, the largest, before the first */
        return m->at;
    return scan_name(c, p);
}

/* The comment (slash-star to star-slash) at pos: its length, or 0 if it
 * is not closed. */
static size_t
comment(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (h->s[p] != '/' || hl_at(h, p + 1) != '*')
        return 0;
    size_t at = hl_seek(h, &c->memo[M_COMMENT], "*/", 2, p + 2);
    return at == NONE ? 0 : at + 2 - p;
}

/* A quoted string at pos, backslash escapes inside: its length, or 0 if it
 * is not closed. The closing quote found from one opener serves the
 * openers inside the string too, so that none is scanned twice. */
static size_t
string(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    char q = h->s[p];
    struct hl_seek *m = &c->memo[q == '"' ? M_DQUOTE : M_SQUOTE];
    if (!hl_seek_valid(m, p + 1)) {
        size_t i = p + 1;
        while (i < h->end && h->s[i] != q) {
            if (h->s[i] == '\\' && i + 1 >= h->end) {
                i = h->end;
                break;
            }
            i += h->s[i] == '\\' ? 2 : 1;
        }
        m->from = p + 1;
        m->at = i;
    }
    return m->at < h->end ? m->at + 1 - p : 0;
}

/* Emits the string at pos and returns true, or false if there is none. */
static bool
emit_string(struct css *c)
{
    struct hl *h = c->h;
    char q = h->s[h->pos];
    size_t n;
    if ((q != '"' && q != '\'') || !(n = string(c)))
        return false;
    hl_emit(h, q == '"' ? HL_S2 : HL_S1, n);
    return true;
}

/* The lists that the word s[p..p+n) is in, 0 if none. */
static unsigned
lists_of(const struct hl *h, size_t p, size_t n)
{
    int i = n <= LONGEST_WORD ? hl_words_find(&word_index, h->s + p, n) : -1;
    return i < 0 ? 0 : words[i].lists;
}

/* The longest word of each of the lists at p followed by a word boundary,
 * by list; returns the lists found. The candidates end before a '-' or at
 * the end of the run of names: inside the run only a '-' is no \w. Words
 * are ASCII: the run's ASCII part (name_end found it) is enough. */
static unsigned
longest_words(struct css *c, size_t p, size_t len[5])
{
    const struct hl *h = c->h;
    const unsigned char *s = (const unsigned char *)h->s;
    name_end(c, p);
    size_t run = (p < c->name_ascii_end ? c->name_ascii_end : ascii_name_end(h, p)) - p;
    unsigned found = 0;
    size_t longest = run > LONGEST_WORD ? LONGEST_WORD : run;
    for (size_t n = longest; n > 0 && !(found & KEYWORD); n--) {
        if (s[p + n - 1] == '-')
            continue;
        if (n < run ? s[p + n] != '-' : hl_at(h, p + n) >= 0x80 && !hl_boundary(h, p + n))
            continue;
        unsigned new = lists_of(h, p, n) & ~found;
        for (int k = 0; k < 5; k++)
            if (new & 1u << k)
                len[k] = n;
        found |= new;
    }
    return found;
}

/* 'repeat no-repeat' and 'weight style' at p, with a boundary: length or 0. */
static size_t
spaced_keyword(const struct hl *h, size_t p)
{
    if (h->s[p] != 'r' && h->s[p] != 'w')
        return 0;
    if (hl_starts(h, p, "repeat no-repeat", 16) && hl_boundary(h, p + 16))
        return 16;
    if (hl_starts(h, p, "weight style", 12) && hl_boundary(h, p + 12))
        return 12;
    return 0;
}

/* Length of the literal w if s[p..) starts with it, else 0. */
#define PREFIX(h, p, w) (hl_starts((h), (p), (w), sizeof(w) - 1) ? sizeof(w) - 1 : 0)

/* One of the vendor prefixes (-moz- ...) at p: its length, or 0. No one
 * of them is the start of another, so the byte after the '-' picks the
 * one or two to try. */
static size_t
vendor_prefix(const struct hl *h, size_t p)
{
    switch (hl_at(h, p)) {
    case 'm':
        return PREFIX(h, p, "mso-");
    case 'p':
        return PREFIX(h, p, "prince-");
    case '-':
        break;
    default:
        return 0;
    }
    switch (hl_at(h, p + 1)) {
    case 'a':
        return hl_at(h, p + 2) == 't' ? PREFIX(h, p, "-atsc-") : PREFIX(h, p, "-ah-");
    case 'h':
        return PREFIX(h, p, "-hp-");
    case 'k':
        return PREFIX(h, p, "-khtml-");
    case 'm':
        return hl_at(h, p + 2) == 's' ? PREFIX(h, p, "-ms-") : PREFIX(h, p, "-moz-");
    case 'o':
        return PREFIX(h, p, "-o-");
    case 'r':
        return hl_at(h, p + 2) == 'o' ? PREFIX(h, p, "-ro-") : PREFIX(h, p, "-rim-");
    case 't':
        return PREFIX(h, p, "-tc-");
    case 'w':
        return hl_at(h, p + 2) == 'e' ? PREFIX(h, p, "-webkit-") : PREFIX(h, p, "-wap-");
    case 'x':
        return PREFIX(h, p, "-xv-");
    default:
        return 0;
    }
}

/* ---- basics, atrule, atcontent ----------------------------------------------- */

/* Pygments' basics at pos; false if none of its rules matches. Inline in
 * the three states that include it, root looping over it. */
__attribute__((always_inline)) static inline bool
basics(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & NAME) {
        /* [\w-]+: the rules before it cannot start with a name byte, and
         * '-' takes it before the operators */
        hl_emit(h, HL_NT, name_run(h, p));
        return true;
    }
    switch (ch) {
    case '{':
        hl_emit(h, HL_P, 1);
        hl_stack_push(&c->st, CONTENT);
        return true;
    case ':': { /* (\:{1,2})([\w-]+), else an operator */
        size_t colons = 1 + (hl_at(h, p + 1) == ':');
        if ((n = name_run(h, p + colons))) {
            hl_emit(h, HL_P, colons);
            hl_emit(h, HL_ND, n);
        } else {
            hl_emit(h, HL_O, 1);
        }
        return true;
    }
    case '.':
    case '#':
    case '@':   /* (\.)([\w-]+), (\#)([\w-]+), (@)([\w-]+), else '.' and '@' operators */
        if ((n = name_run(h, p + 1))) {
            hl_emit(h, HL_P, 1);
            hl_emit(h, ch == '.' ? HL_NC : ch == '#' ? HL_NN : HL_K, n);
            if (ch == '@')
                hl_stack_push(&c->st, ATRULE);
            return true;
        }
        if (ch == '#')
            return false;
        hl_emit(h, HL_O, 1);
        return true;
    case '/':   /* a comment, else an operator */
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_emit(h, HL_O, 1);
        return true;
    case '"':
    case '\'':
        return emit_string(c);
    default:
        if (byte_class[ch] & OPERATOR) {
            hl_emit(h, HL_O, 1);
        } else if ((n = hl_space(h, p, true))) {
            hl_emit(h, HL_TEXT, n);
        } else if (ch >= 0x80 && (n = name_run(h, p))) {
            hl_emit(h, HL_NT, n);
        } else {
            return false;
        }
        return true;
    }
}

/* Pygments' root: basics, token after token while the state stays (most
 * of a style sheet outside the braces is selectors); root is the bottom
 * of the stack, alone at depth 1. */
static void
root(struct css *c)
{
    struct hl *h = c->h;
    do {
        if (!basics(c, h))
            hl_no_match(h, &c->st);
    } while (h->pos < h->end && c->st.depth == 1);
}

static void
atrule(struct css *c)
{
    struct hl *h = c->h;
    char ch = h->s[h->pos];
    if (ch == '{') {
        hl_emit(h, HL_P, 1);
        hl_stack_push(&c->st, ATCONTENT);
    } else if (ch == ';') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
    } else if (!basics(c, h)) {
        hl_no_match(h, &c->st);
    }
}

/* Pygments' atcontent (the rules inside @media {}), token after token
 * while the state stays. */
static void
atcontent(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do {
        if (basics(c, h))
            continue;
        if (h->s[h->pos] == '}') {
            hl_emit(h, HL_P, 1);
            hl_stack_pop(&c->st);
            hl_stack_pop(&c->st);
        } else {
            hl_no_match(h, &c->st);
        }
    } while (h->pos < h->end && c->st.depth == depth);
}

/* ---- content: declarations ------------------------------------------------------- */

/* A name of n bytes at pos, then \s* and ':': emitted as cls, the value
 * begins. False if no ':' follows. */
static bool
declaration(struct css *c, size_t n, enum hl_class cls)
{
    struct hl *h = c->h;
    size_t sp = hl_space(h, h->pos + n, true);
    if (hl_at(h, h->pos + n + sp) != ':')
        return false;
    hl_emit(h, cls, n);
    if (sp)
        hl_emit(h, HL_TEXT, sp);
    hl_emit(h, HL_P, 1);
    hl_stack_push(&c->st, VALUE);
    return true;
}

/* A property name at pos: a known property (k), a custom property (nv) or
 * another name (n), before spaces and a ':'. The properties are all
 * [a-z-], so one found in the table needs no check of its bytes. */
static bool
property(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, d = 0, n;
    while (hl_at(h, p + d) == '-')
        d++;
    if (!ascii_letter(hl_at(h, p + d)))
        return false;
    n = name_end(c, p + d) - p;
    if (!c->name_colon)
        return false;
    if (lists_of(h, p, n) & PROPERTY)
        return declaration(c, n, HL_K);
    return declaration(c, n, d ? HL_NV : HL_N);
}

/* Pygments' content: declarations up to the '}'. */
static void
content(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & LETTER || ch == '-') {
        /* the vendor prefixes (m, p, -), the three property rules */
        if ((ch == 'm' || ch == 'p' || ch == '-') && (n = vendor_prefix(h, p)))
            hl_emit(h, HL_KP, n);
        else if (!property(c))
            hl_no_match(h, &c->st);
        return;
    }
    switch (ch) {
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    case ';':
        hl_emit(h, HL_P, 1);
        return;
    case '@':   /* ^@.*?$ */
        if (hl_line_start(h, p)) {
            size_t eol = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p);
            hl_emit(h, HL_CP, (eol == NONE ? h->end : eol) - p);
        } else {
            hl_no_match(h, &c->st);
        }
        return;
    case '/':
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_no_match(h, &c->st);
        return;
    default:
        if ((n = hl_space(h, p, true)))
            hl_emit(h, HL_TEXT, n);
        else
            hl_no_match(h, &c->st);
        return;
    }
}

/* ---- values ------------------------------------------------------------------------ */

/* url(...) at pos: url (nb), '(' the address, quoted (s2, s1) or not (sx),
 * and ')', all on one line. */
static bool
url(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, eol, at = NONE;
    enum hl_class cls = HL_SX;
    if (h->s[p] != 'u' || !hl_starts(h, p, "url(", 4))
        return false;
    eol = hl_seek(h, &c->memo[M_NEWLINE], "\n", 1, p + 4);
    if (eol == NONE)
        eol = h->end;
    char q = (char)hl_at(h, p + 4);
    if (q == '"' || q == '\'') {
        at = hl_seek(h, &c->memo[q == '"' ? M_URL_DQ : M_URL_SQ], q == '"' ? "\")" : "')", 2,
                  p + 5);
        cls = q == '"' ? HL_S2 : HL_S1;
        if (at != NONE && at < eol)
            at++;
        else
            at = NONE;
    }
    if (at == NONE) {
        cls = HL_SX;
        at = hl_seek(h, &c->memo[M_URL_PAREN], ")", 1, p + 4);
        if (at == NONE || at > eol)
            return false;
    }
    hl_emit(h, HL_NB, 3);
    hl_emit(h, HL_P, 1);
    if (at > h->pos)
        hl_emit(h, cls, at - h->pos);
    hl_emit(h, HL_P, 1);
    return true;
}

/* A function's name and '(' at pos: a CSS function (nb) or another (nf);
 * a function's arguments follow. */
static bool
function(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos;
    if (!ascii_letter(h->s[p]))
        return false;
    size_t n = name_end(c, p) - p;
    if (hl_at(h, p + n) != '(')
        return false;
    if (lists_of(h, p, n) & FUNCTIONAL)
        hl_emit(h, HL_NB, n);
    else if (n >= 2)
        hl_emit(h, HL_NF, n);
    else
        return false;
    hl_emit(h, HL_P, 1);
    hl_stack_push(&c->st, FUNC);
    return true;
}

/* A keyword value (kc), or in a value also a property name (k): the
 * longest word of the first list with one. */
static bool
keyword(struct css *c, bool properties)
{
    struct hl *h = c->h;
    size_t p = h->pos, n, len[5];
    if (!ascii_letter(h->s[p]) && h->s[p] != '-')
        return false;
    if ((n = spaced_keyword(h, p))) {
        hl_emit(h, HL_KC, n);
        return true;
    }
    unsigned found = longest_words(c, p, len);
    for (int k = 0; k < 3; k++) {
        if (found & 1u << k) {
            hl_emit(h, HL_KC, len[k]);
            return true;
        }
    }
    if (properties && (found & PROPERTY)) {
        hl_emit(h, HL_K, len[3]);
        return true;
    }
    return false;
}

/* The run of [0-9] at p. */
static size_t
digits(const struct hl *h, size_t p)
{
    size_t q = p;
    while (q < h->end && h->s[q] >= '0' && h->s[q] <= '9')
        q++;
    return q - p;
}

/* Up to four bytes in one number, the first lowest. */
#define PACK(a, b, c, d) \
    ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* Whether the word w[0..n), n <= 4, is one of Pygments' units
 * (_all_units): one switch in place of a hash lookup. */
static bool
is_unit(const char *w, size_t n)
{
    uint32_t x = 0;
    for (size_t i = 0; i < n; i++)
        x |= (uint32_t)(unsigned char)w[i] << 8 * i;
    switch (x) {
    case PACK('d', 'e', 'g', 0): case PACK('g', 'r', 'a', 'd'): case PACK('r', 'a', 'd', 0):
    case PACK('t', 'u', 'r', 'n'): case PACK('H', 'z', 0, 0): case PACK('k', 'H', 'z', 0):
    case PACK('e', 'm', 0, 0): case PACK('e', 'x', 0, 0): case PACK('c', 'h', 0, 0):
    case PACK('r', 'e', 'm', 0): case PACK('v', 'h', 0, 0): case PACK('v', 'w', 0, 0):
    case PACK('v', 'm', 'i', 'n'): case PACK('v', 'm', 'a', 'x'): case PACK('p', 'x', 0, 0):
    case PACK('m', 'm', 0, 0): case PACK('c', 'm', 0, 0): case PACK('i', 'n', 0, 0):
    case PACK('p', 't', 0, 0): case PACK('p', 'c', 0, 0): case PACK('q', 0, 0, 0):
    case PACK('d', 'p', 'i', 0): case PACK('d', 'p', 'c', 'm'): case PACK('d', 'p', 'p', 'x'):
    case PACK('s', 0, 0, 0): case PACK('m', 's', 0, 0):
        return true;
    default:
        return false;
    }
}

/* The length of the unit (a whole \w run that is one) or '%' at p, or 0. */
static size_t
unit(const struct hl *h, size_t p)
{
    const unsigned char *s = (const unsigned char *)h->s;
    size_t n = 0;
    int c = hl_at(h, p);
    if (c == '%')
        return 1;
    if (!ascii_letter(c))   /* every unit starts with one */
        return 0;
    while (n <= 4 && p + n < h->end && (byte_class[s[p + n]] & NAME) && s[p + n] != '-')
        n++;
    if (!n || n > 4 || (hl_at(h, p + n) >= 0x80 && !hl_boundary(h, p + n)))
        return 0;
    return is_unit(h->s + p, n) ? n : 0;
}

/* Pygments' numeric-values and numeric-end: a colour (mh), or a number
 * (mf, mi) and the units and '%' after it (kt). */
static bool
number(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, q = p, n;
    if (!(byte_class[(unsigned char)h->s[p]] & NUMBER_START))
        return false;
    if (h->s[p] == '#') {
        const unsigned char *s = (const unsigned char *)h->s + p + 1;
        size_t most = h->end - p - 1 < 6 ? h->end - p - 1 : 6;
        for (n = 0; n < most && (byte_class[s[n]] & NAME) && s[n] != '_' && s[n] != '-'; n++)
            ;
        if (!n)
            return false;
        hl_emit(h, HL_MH, 1 + n);
        return true;
    }
    q += hl_in(h->s[q], "+-");
    size_t i = digits(h, q);
    size_t f = hl_at(h, q + i) == '.' ? digits(h, q + i + 1) : 0;
    if (f)
        hl_emit(h, HL_MF, q + i + 1 + f - p);
    else if (i)
        hl_emit(h, HL_MI, q + i - p);
    else
        return false;
    while ((n = unit(h, h->pos)))
        hl_emit(h, HL_KT, n);
    return true;
}

/* One token of Pygments' value-start: a property's value up to ';' or '}'. */
__attribute__((always_inline)) static inline void
value_token(struct css *c, struct hl *h)
{
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (byte_class[ch] & LETTER) {
        /* the vendor prefixes (m, p), urls, functions, keywords, properties,
         * then [a-zA-Z_][\w-]*: no other rule starts with a letter */
        if ((ch == 'm' || ch == 'p') && (n = vendor_prefix(h, p)))
            hl_emit(h, HL_BP, n);
        else if (!(ch == 'u' && url(c)) && !function(c) && !keyword(c, true))
            hl_emit(h, HL_N, name_end(c, p) - p);
        return;
    }
    if (byte_class[ch] & SPACE) {
        hl_emit(h, HL_TEXT, hl_space(h, p, true));
        return;
    }
    switch (ch) {
    case '-':   /* a vendor prefix, a keyword, a number, operators */
        if ((n = vendor_prefix(h, p)))
            hl_emit(h, HL_BP, n);
        else if (!keyword(c, true) && !number(c))
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '!':
        if (hl_starts(h, p, "!important", 10))
            hl_emit(h, HL_CP, 10);
        else
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '/':
        if ((n = comment(c)))
            hl_emit(h, HL_C, n);
        else
            hl_emit(h, HL_O, run_of(h, p, VALUE_OPERATOR));
        return;
    case '"':
    case '\'':
        if (!emit_string(c))
            hl_no_match(h, &c->st);
        return;
    case ';':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        return;
    case '}':
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
        hl_stack_pop(&c->st);
        return;
    default:
        break;
    }
    if (number(c))   /* [0-9.+#] */
        ;
    else if ((n = run_of(h, p, VALUE_OPERATOR)))
        hl_emit(h, HL_O, n);
    else if ((n = run_of(h, p, VALUE_PUNCTUATION)))
        hl_emit(h, HL_P, n);
    else if ((n = hl_space(h, p, true)))
        hl_emit(h, HL_TEXT, n);
    else
        hl_no_match(h, &c->st);
}

/* value-start, token after token while the state stays. */
static void
value(struct css *c)
{
    struct hl *h = c->h;
    size_t depth = c->st.depth;
    do
        value_token(c, h);
    while (h->pos < h->end && c->st.depth == depth);
}

/* -+[\w+][\w+-]* at p (a custom property in var()): its length, or 0. */
static size_t
dashed_name(const struct hl *h, size_t p)
{
    size_t q = p;
    int32_t cp;
    while (hl_at(h, q) == '-')
        q++;
    if (q == p || !(hl_at(h, q) == '+' || hl_word_at(h, q)))
        return 0;
    while (q < h->end) {
        unsigned char ch = (unsigned char)h->s[q];
        if (byte_class[ch] & NAME || ch == '+')
            q++;
        else if (ch >= 0x80 && hl_word_at(h, q))
            q += hl_char(h, q, &cp);
        else
            break;
    }
    return q - p;
}

/* Pygments' function-start: a function's arguments up to its ')'. */
static void
func(struct css *c)
{
    struct hl *h = c->h;
    size_t p = h->pos, n;
    unsigned char ch = (unsigned char)h->s[p];
    if (ch == '-' && (n = dashed_name(h, p))) {
        hl_emit(h, HL_NV, n);
    } else if (byte_class[ch] & LETTER || ch == '-') {
        /* urls, vendor prefixes, keywords, functions, numbers ('-'), '-' an
         * operator, then [a-zA-Z_-]\w* */
        if ((n = vendor_prefix(h, p)))
            hl_emit(h, HL_KP, n);
        else if (url(c) || keyword(c, false) || function(c) || number(c))
            ;
        else if (ch == '-')
            hl_emit(h, HL_O, 1);
        else
            hl_emit(h, HL_N, 1 + hl_word_run(h, p + 1));
    } else if (ch == ',') {
        hl_emit(h, HL_P, 1);
    } else if (ch == ')') {
        hl_emit(h, HL_P, 1);
        hl_stack_pop(&c->st);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if ((n = comment(c))) {
        hl_emit(h, HL_C, n);
    } else if (number(c)) {
        return;
    } else if (hl_in(ch, "*+/")) {
        hl_emit(h, HL_O, 1);
    } else if (!emit_string(c)) {
        hl_no_match(h, &c->st);
    }
}

void
lex_css(struct hl *h)
{
    struct css c = { .h = h };
    for (int i = 0; i < M_COUNT; i++)
        c.memo[i] = (struct hl_seek){ NONE, 0 };
    hl_stack_init(&c.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&c.st)) {
        case ROOT:
            root(&c);
            break;
        case ATRULE:
            atrule(&c);
            break;
        case ATCONTENT:
            atcontent(&c);
            break;
        case CONTENT:
            content(&c);
            break;
        case VALUE:
            value(&c);
            break;
        default:
            func(&c);
            break;
        }
    }
    hl_stack_dispose(&c.st);
}
