/* highlight.h: build-time syntax highlighting of code blocks into HTML spans
 * with Pygments' short CSS classes. Plain text in, HTML out: no cmark, no
 * libyaml. The engine and the lexers share lexer.h, private to this folder. */
#ifndef GZ_HIGHLIGHT_H
#define GZ_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/base.h"

/* Appends to out the HTML of code[0..len) highlighted as language lang (a
 * name or alias, case-insensitive, e.g. "python", "py", "python3"):
 * HTML-escaped text with each token in <span class="X"> where X is Pygments'
 * short class (k, kn, nf, s2, c1, ...); whitespace and plain text outside
 * spans. Adjacent tokens of one class are merged into one span, and no span
 * contains a newline (a multi-line token is closed before each '\n' and
 * reopened after it, as Pygments' HtmlFormatter does), so the caller may cut
 * the output into lines. Returns false, appending nothing, when lang is
 * unknown. Never fails on any bytes: invalid UTF-8 is passed through escaped
 * (a byte-exact round trip: stripping the tags and unescaping the output
 * gives back code byte for byte). Linear time.
 *
 * Example:
 *     struct buf html = BUF_INIT;
 *     if (!highlight_code(&html, "py", "x = 1\n", 6))
 *         buf_put_html(&html, "x = 1\n", 6);
 *     // html.data: <span class="n">x</span> <span class="o">=</span> ...
 *     buf_dispose(&html); */
bool highlight_code(struct buf *out, const char *lang, const char *code, size_t len);

/* The canonical name of lang ("py" -> "python"), or NULL when unknown. The
 * string is static. */
const char *highlight_language(const char *lang);

#endif
