/* lex_swift.c: the Swift lexer of the highlighter, after Pygments' SwiftLexer
 * (pygments/lexers/objective.py in Debian's Pygments 2.14) state by state:
 * comments with their special marks (cs), #if lines (cp), keywords (k, kr,
 * kc, kd), the names after class, func, var and import (nc, nf, nv), the
 * standard library's types and functions (nb, bp), numbers, strings with
 * \( interpolation (si), punctuation (p) and operators (o); names of Cocoa
 * classes, protocols and types become bp, as Pygments has them. */
#include "lexer.h"

/* Pygments' states */
enum { ROOT, COMMENT_SINGLE, COMMENT_MULTI, MODULE, PREPROC, STRING, STRING_INTP };

/* What the word rules do with a word. */
enum kind {
    PLAIN,       /* a rule of 'keywords': the class */
    IMPORT,      /* import: kd, then 'module' */
    DECL_CLASS,  /* kd, and a name after spaces is nc */
    DECL_FUNC,   /* kd, and a name after spaces is nf */
    DECL_VAR,    /* kd, and a name after spaces is nv */
    LATE,        /* a rule of root after 'keywords': nb or bp */
};

/* Sorted by strcmp. */
static const struct word {
    const char *w;
    enum hl_class cls;
    enum kind kind;
} words[] = {
    {"AbsoluteValuable", HL_NB, LATE}, {"Any", HL_NB, LATE}, {"AnyClass", HL_NB, LATE},
    {"AnyObject", HL_NB, LATE}, {"Array", HL_NB, LATE},
    {"ArrayLiteralConvertible", HL_NB, LATE},
    {"AutoreleasingUnsafeMutablePointer", HL_NB, LATE},
    {"BidirectionalIndexType", HL_NB, LATE}, {"BidirectionalReverseView", HL_NB, LATE},
    {"Bit", HL_NB, LATE}, {"BitwiseOperationsType", HL_NB, LATE}, {"Bool", HL_NB, LATE},
    {"BooleanLiteralConvertible", HL_NB, LATE}, {"BooleanLiteralType", HL_NB, LATE},
    {"BooleanType", HL_NB, LATE}, {"CBool", HL_NB, LATE}, {"CChar", HL_NB, LATE},
    {"CChar16", HL_NB, LATE}, {"CChar32", HL_NB, LATE}, {"CDouble", HL_NB, LATE},
    {"CFloat", HL_NB, LATE}, {"CFunctionPointer", HL_NB, LATE}, {"CInt", HL_NB, LATE},
    {"CLong", HL_NB, LATE}, {"CLongLong", HL_NB, LATE}, {"COpaquePointer", HL_NB, LATE},
    {"CShort", HL_NB, LATE}, {"CSignedChar", HL_NB, LATE}, {"CUnsignedInt", HL_NB, LATE},
    {"CUnsignedLong", HL_NB, LATE}, {"CUnsignedShort", HL_NB, LATE},
    {"CVaListPointer", HL_NB, LATE}, {"CVarArgType", HL_NB, LATE},
    {"CWideChar", HL_NB, LATE}, {"C_ARGC", HL_NB, LATE}, {"C_ARGV", HL_NB, LATE},
    {"Character", HL_NB, LATE}, {"ClosedInterval", HL_NB, LATE},
    {"CollectionOfOne", HL_NB, LATE}, {"CollectionType", HL_NB, LATE},
    {"Comparable", HL_NB, LATE}, {"ContiguousArray", HL_NB, LATE},
    {"DebugPrintable", HL_NB, LATE}, {"Dictionary", HL_NB, LATE},
    {"DictionaryGenerator", HL_NB, LATE}, {"DictionaryIndex", HL_NB, LATE},
    {"DictionaryLiteralConvertible", HL_NB, LATE}, {"Double", HL_NB, LATE},
    {"EmptyCollection", HL_NB, LATE}, {"EmptyGenerator", HL_NB, LATE},
    {"EnumerateGenerator", HL_NB, LATE}, {"EnumerateSequence", HL_NB, LATE},
    {"Equatable", HL_NB, LATE}, {"ExtendedGraphemeClusterLiteralConvertible", HL_NB, LATE},
    {"ExtendedGraphemeClusterType", HL_NB, LATE}, {"ExtensibleCollectionType", HL_NB, LATE},
    {"FilterCollectionView", HL_NB, LATE}, {"FilterCollectionViewIndex", HL_NB, LATE},
    {"FilterGenerator", HL_NB, LATE}, {"FilterSequenceView", HL_NB, LATE},
    {"Float", HL_NB, LATE}, {"Float32", HL_NB, LATE}, {"Float64", HL_NB, LATE},
    {"Float80", HL_NB, LATE}, {"FloatLiteralConvertible", HL_NB, LATE},
    {"FloatLiteralType", HL_NB, LATE}, {"FloatingPointClassification", HL_NB, LATE},
    {"FloatingPointType", HL_NB, LATE}, {"ForwardIndexType", HL_NB, LATE},
    {"GeneratorOf", HL_NB, LATE}, {"GeneratorOfOne", HL_NB, LATE},
    {"GeneratorSequence", HL_NB, LATE}, {"GeneratorType", HL_NB, LATE},
    {"HalfOpenInterval", HL_NB, LATE}, {"Hashable", HL_NB, LATE},
    {"HeapBuffer", HL_NB, LATE}, {"HeapBufferStorage", HL_NB, LATE},
    {"ImplicitlyUnwrappedOptional", HL_NB, LATE}, {"IndexingGenerator", HL_NB, LATE},
    {"Int", HL_NB, LATE}, {"Int16", HL_NB, LATE}, {"Int32", HL_NB, LATE},
    {"Int64", HL_NB, LATE}, {"Int8", HL_NB, LATE}, {"IntMax", HL_NB, LATE},
    {"IntegerArithmeticType", HL_NB, LATE}, {"IntegerLiteralConvertible", HL_NB, LATE},
    {"IntegerLiteralType", HL_NB, LATE}, {"IntegerType", HL_NB, LATE},
    {"IntervalType", HL_NB, LATE}, {"LazyBidirectionalCollection", HL_NB, LATE},
    {"LazyForwardCollection", HL_NB, LATE}, {"LazyRandomAccessCollection", HL_NB, LATE},
    {"LazySequence", HL_NB, LATE}, {"MapCollectionView", HL_NB, LATE},
    {"MapSequenceGenerator", HL_NB, LATE}, {"MapSequenceView", HL_NB, LATE},
    {"MirrorDisposition", HL_NB, LATE}, {"MirrorType", HL_NB, LATE},
    {"MutableCollectionType", HL_NB, LATE}, {"MutableSliceable", HL_NB, LATE},
    {"NSErrorPointer", HL_NB, LATE}, {"NSObjectProtocol", HL_NB, LATE},
    {"NilLiteralConvertible", HL_NB, LATE}, {"ObjectIdentifier", HL_NB, LATE},
    {"OnHeap", HL_NB, LATE}, {"Optional", HL_NB, LATE}, {"OutputStreamType", HL_NB, LATE},
    {"PermutationGenerator", HL_NB, LATE}, {"Printable", HL_NB, LATE},
    {"Process", HL_NB, LATE}, {"Protocol", HL_KR, PLAIN}, {"QuickLookObject", HL_NB, LATE},
    {"RandomAccessIndexType", HL_NB, LATE}, {"RandomAccessReverseView", HL_NB, LATE},
    {"Range", HL_NB, LATE}, {"RangeGenerator", HL_NB, LATE},
    {"RangeReplaceableCollectionType", HL_NB, LATE}, {"RawByte", HL_NB, LATE},
    {"RawOptionSetType", HL_NB, LATE}, {"RawRepresentable", HL_NB, LATE},
    {"Reflectable", HL_NB, LATE}, {"Repeat", HL_NB, LATE},
    {"ReverseBidirectionalIndex", HL_NB, LATE}, {"ReverseRandomAccessIndex", HL_NB, LATE},
    {"Selector", HL_NB, LATE}, {"Self", HL_KC, PLAIN}, {"SequenceOf", HL_NB, LATE},
    {"SequenceType", HL_NB, LATE}, {"SignedIntegerType", HL_NB, LATE},
    {"SignedNumberType", HL_NB, LATE}, {"SinkOf", HL_NB, LATE}, {"SinkType", HL_NB, LATE},
    {"Slice", HL_NB, LATE}, {"Sliceable", HL_NB, LATE}, {"StaticString", HL_NB, LATE},
    {"Streamable", HL_NB, LATE}, {"StrideThrough", HL_NB, LATE},
    {"StrideThroughGenerator", HL_NB, LATE}, {"StrideTo", HL_NB, LATE},
    {"StrideToGenerator", HL_NB, LATE}, {"Strideable", HL_NB, LATE},
    {"String", HL_NB, LATE}, {"StringInterpolationConvertible", HL_NB, LATE},
    {"StringLiteralConvertible", HL_NB, LATE}, {"StringLiteralType", HL_NB, LATE},
    {"Type", HL_KR, PLAIN}, {"UInt", HL_NB, LATE}, {"UInt16", HL_NB, LATE},
    {"UInt32", HL_NB, LATE}, {"UInt64", HL_NB, LATE}, {"UInt8", HL_NB, LATE},
    {"UIntMax", HL_NB, LATE}, {"UTF16", HL_NB, LATE}, {"UTF32", HL_NB, LATE},
    {"UTF8", HL_NB, LATE}, {"UWord", HL_NB, LATE}, {"UnicodeCodecType", HL_NB, LATE},
    {"UnicodeDecodingResult", HL_NB, LATE}, {"UnicodeScalar", HL_NB, LATE},
    {"UnicodeScalarLiteralConvertible", HL_NB, LATE}, {"UnicodeScalarType", HL_NB, LATE},
    {"Unmanaged", HL_NB, LATE}, {"UnsafeBufferPointer", HL_NB, LATE},
    {"UnsafeBufferPointerGenerator", HL_NB, LATE},
    {"UnsafeMutableBufferPointer", HL_NB, LATE}, {"UnsafeMutablePointer", HL_NB, LATE},
    {"UnsafePointer", HL_NB, LATE}, {"UnsignedIntegerType", HL_NB, LATE},
    {"Void", HL_NB, LATE}, {"Word", HL_NB, LATE}, {"Zip2", HL_NB, LATE},
    {"ZipGenerator2", HL_NB, LATE}, {"_", HL_KC, PLAIN}, {"_ArrayBufferType", HL_NB, LATE},
    {"_BidirectionalIndexType", HL_NB, LATE}, {"_CocoaStringType", HL_NB, LATE},
    {"_CollectionType", HL_NB, LATE}, {"_Comparable", HL_NB, LATE},
    {"_ExtensibleCollectionType", HL_NB, LATE}, {"_ForwardIndexType", HL_NB, LATE},
    {"_Incrementable", HL_NB, LATE}, {"_IntegerArithmeticType", HL_NB, LATE},
    {"_IntegerType", HL_NB, LATE}, {"_ObjectiveCBridgeable", HL_NB, LATE},
    {"_RandomAccessIndexType", HL_NB, LATE}, {"_RawOptionSetType", HL_NB, LATE},
    {"_SequenceType", HL_NB, LATE}, {"_Sequence_Type", HL_NB, LATE},
    {"_SignedIntegerType", HL_NB, LATE}, {"_SignedNumberType", HL_NB, LATE},
    {"_Sliceable", HL_NB, LATE}, {"_Strideable", HL_NB, LATE},
    {"_SwiftNSArrayRequiredOverridesType", HL_NB, LATE}, {"_SwiftNSArrayType", HL_NB, LATE},
    {"_SwiftNSCopyingType", HL_NB, LATE},
    {"_SwiftNSDictionaryRequiredOverridesType", HL_NB, LATE},
    {"_SwiftNSDictionaryType", HL_NB, LATE}, {"_SwiftNSEnumeratorType", HL_NB, LATE},
    {"_SwiftNSFastEnumerationType", HL_NB, LATE},
    {"_SwiftNSStringRequiredOverridesType", HL_NB, LATE},
    {"_SwiftNSStringType", HL_NB, LATE}, {"_UnsignedIntegerType", HL_NB, LATE},
    {"__COLUMN__", HL_KC, PLAIN}, {"__FILE__", HL_KC, PLAIN},
    {"__FUNCTION__", HL_KC, PLAIN}, {"__LINE__", HL_KC, PLAIN}, {"abs", HL_BP, LATE},
    {"actor", HL_KD, PLAIN}, {"advance", HL_BP, LATE}, {"alignof", HL_BP, LATE},
    {"alignofValue", HL_BP, LATE}, {"as", HL_K, PLAIN}, {"assert", HL_BP, LATE},
    {"assertionFailure", HL_BP, LATE}, {"associatedtype", HL_KD, PLAIN},
    {"associativity", HL_KR, PLAIN}, {"async", HL_K, PLAIN}, {"await", HL_K, PLAIN},
    {"break", HL_K, PLAIN}, {"case", HL_K, PLAIN}, {"catch", HL_K, PLAIN},
    {"class", HL_KD, DECL_CLASS}, {"contains", HL_BP, LATE}, {"continue", HL_K, PLAIN},
    {"convenience", HL_KR, PLAIN}, {"count", HL_BP, LATE}, {"countElements", HL_BP, LATE},
    {"debugPrint", HL_BP, LATE}, {"debugPrintln", HL_BP, LATE}, {"default", HL_K, PLAIN},
    {"defer", HL_K, PLAIN}, {"deinit", HL_KD, PLAIN}, {"didSet", HL_KR, PLAIN},
    {"distance", HL_BP, LATE}, {"do", HL_K, PLAIN}, {"dropFirst", HL_BP, LATE},
    {"dropLast", HL_BP, LATE}, {"dump", HL_BP, LATE}, {"dynamic", HL_KR, PLAIN},
    {"dynamicType", HL_KC, PLAIN}, {"else", HL_K, PLAIN}, {"enum", HL_KD, DECL_CLASS},
    {"enumerate", HL_BP, LATE}, {"equal", HL_BP, LATE}, {"extend", HL_BP, LATE},
    {"extension", HL_KD, DECL_CLASS}, {"fallthrough", HL_K, PLAIN}, {"false", HL_KC, PLAIN},
    {"fatalError", HL_BP, LATE}, {"filter", HL_BP, LATE}, {"final", HL_KR, PLAIN},
    {"find", HL_BP, LATE}, {"first", HL_BP, LATE}, {"for", HL_K, PLAIN},
    {"func", HL_KD, DECL_FUNC}, {"get", HL_KR, PLAIN}, {"getVaList", HL_BP, LATE},
    {"guard", HL_K, PLAIN}, {"if", HL_K, PLAIN}, {"import", HL_KD, IMPORT},
    {"in", HL_K, PLAIN}, {"indices", HL_BP, LATE}, {"indirect", HL_KR, PLAIN},
    {"infix", HL_KR, PLAIN}, {"init", HL_KD, PLAIN}, {"inout", HL_KR, PLAIN},
    {"insert", HL_BP, LATE}, {"internal", HL_KD, PLAIN}, {"is", HL_K, PLAIN},
    {"isEmpty", HL_BP, LATE}, {"join", HL_BP, LATE}, {"last", HL_BP, LATE},
    {"lazy", HL_KR, PLAIN}, {"left", HL_KR, PLAIN}, {"let", HL_KD, DECL_VAR},
    {"lexicographicalCompare", HL_BP, LATE}, {"map", HL_BP, LATE}, {"max", HL_BP, LATE},
    {"maxElement", HL_BP, LATE}, {"min", HL_BP, LATE}, {"minElement", HL_BP, LATE},
    {"mutating", HL_KR, PLAIN}, {"nil", HL_KC, PLAIN}, {"none", HL_KR, PLAIN},
    {"nonmutating", HL_KR, PLAIN}, {"numericCast", HL_BP, LATE}, {"operator", HL_KD, PLAIN},
    {"optional", HL_KR, PLAIN}, {"overlaps", HL_BP, LATE}, {"override", HL_KR, PLAIN},
    {"partition", HL_BP, LATE}, {"postfix", HL_KR, PLAIN}, {"precedence", HL_KR, PLAIN},
    {"precondition", HL_BP, LATE}, {"preconditionFailure", HL_BP, LATE},
    {"prefix", HL_KR, PLAIN}, {"print", HL_BP, LATE}, {"println", HL_BP, LATE},
    {"private", HL_KD, PLAIN}, {"protocol", HL_KD, DECL_CLASS}, {"public", HL_KD, PLAIN},
    {"reduce", HL_BP, LATE}, {"reflect", HL_BP, LATE}, {"removeAll", HL_BP, LATE},
    {"removeAtIndex", HL_BP, LATE}, {"removeLast", HL_BP, LATE},
    {"removeRange", HL_BP, LATE}, {"repeat", HL_K, PLAIN}, {"required", HL_KR, PLAIN},
    {"rethrows", HL_KR, PLAIN}, {"return", HL_K, PLAIN}, {"reverse", HL_BP, LATE},
    {"right", HL_KR, PLAIN}, {"self", HL_KC, PLAIN}, {"set", HL_KR, PLAIN},
    {"sizeof", HL_BP, LATE}, {"sizeofValue", HL_BP, LATE}, {"sort", HL_BP, LATE},
    {"sorted", HL_BP, LATE}, {"splice", HL_BP, LATE}, {"split", HL_BP, LATE},
    {"startsWith", HL_BP, LATE}, {"static", HL_KD, PLAIN}, {"stride", HL_BP, LATE},
    {"strideof", HL_BP, LATE}, {"strideofValue", HL_BP, LATE},
    {"struct", HL_KD, DECL_CLASS}, {"subscript", HL_KD, PLAIN}, {"suffix", HL_BP, LATE},
    {"super", HL_KC, PLAIN}, {"swap", HL_BP, LATE}, {"switch", HL_K, PLAIN},
    {"throw", HL_K, PLAIN}, {"throws", HL_KR, PLAIN}, {"toDebugString", HL_BP, LATE},
    {"toString", HL_BP, LATE}, {"transcode", HL_BP, LATE}, {"true", HL_KC, PLAIN},
    {"try", HL_K, PLAIN}, {"typealias", HL_KD, PLAIN}, {"underestimateCount", HL_BP, LATE},
    {"unowned", HL_KR, PLAIN}, {"unsafeAddressOf", HL_BP, LATE},
    {"unsafeBitCast", HL_BP, LATE}, {"unsafeDowncast", HL_BP, LATE},
    {"var", HL_KD, DECL_VAR}, {"weak", HL_KR, PLAIN}, {"where", HL_K, PLAIN},
    {"while", HL_K, PLAIN}, {"willSet", HL_KR, PLAIN},
    {"withExtendedLifetime", HL_BP, LATE}, {"withUnsafeMutablePointer", HL_BP, LATE},
    {"withUnsafeMutablePointers", HL_BP, LATE}, {"withUnsafePointer", HL_BP, LATE},
    {"withUnsafePointers", HL_BP, LATE}, {"withVaList", HL_BP, LATE},
};
static struct hl_words word_index = HL_WORDS(words);

/* The words after '@' that are reserved keywords (kr). */
static const char *const at_words[] = {
    "IBAction", "IBDesignable", "IBInspectable", "IBOutlet", "NSApplicationMain",
    "NSCopying", "NSManaged", "UIApplicationMain", "autoclosure", "availability",
    "noreturn", "objc",
};
static struct hl_words at_index = HL_WORDS(at_words);

static const char *const cocoa[] = {
#include "lex_swift_cocoa.inc"
};
static struct hl_words cocoa_index = HL_WORDS(cocoa);

struct swift {
    struct hl *h;
    struct hl_stack st;
    struct hl_seek paren;   /* the ')' of @availability(...) */
};

static void root(struct swift *sw);

/* ---- scanners --------------------------------------------------------------------- */

static bool
is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* [a-zA-Z_]\w* at p: its length, or 0. */
static size_t
name_len(const struct hl *h, size_t p)
{
    return is_alpha(hl_at(h, p)) ? hl_word_run(h, p) : 0;
}

/* The entry of the whole word of n bytes at p, or NULL. */
static const struct word *
lookup(const struct hl *h, size_t p, size_t n)
{
    int i = hl_words_find(&word_index, h->s + p, n);
    return i < 0 ? NULL : &words[i];
}

/* True if the word of n bytes at p is w. */
static bool
is_word(const struct hl *h, size_t p, size_t n, const char *w)
{
    return strlen(w) == n && !memcmp(h->s + p, w, n);
}

/* A name (n) or, in 'module' and after class, a class name (nc): Pygments
 * makes both bp when Cocoa has them. */
static void
emit_name(struct hl *h, enum hl_class cls, size_t n)
{
    /* Cocoa's names have 5 bytes or more and start with a capital, '_', g,
     * o or s */
    int f = hl_at(h, h->pos);
    bool c = n >= 5 && ((f >= 'A' && f <= 'Z') || f == '_' || f == 'g' || f == 'o' || f == 's') &&
             hl_words_find(&cocoa_index, h->s + h->pos, n) >= 0;
    hl_emit(h, c ? HL_BP : cls, n);
}

/* ---- keywords ---------------------------------------------------------------------- */

/* class, func, var or let (n bytes) and the name after them, or the
 * keyword alone if no \s+ and name follow. */
static void
declaration(struct swift *sw, const struct word *w, size_t n)
{
    struct hl *h = sw->h;
    size_t ws = hl_space(h, h->pos + n, true), m;
    hl_emit(h, HL_KD, n);
    if (!ws || !(m = name_len(h, h->pos + ws)))
        return;
    hl_emit(h, HL_TEXT, ws);
    if (w->kind == DECL_CLASS)
        emit_name(h, HL_NC, m);
    else
        hl_emit(h, w->kind == DECL_FUNC ? HL_NF : HL_NV, m);
}

/* #selector, #file, #line, #column, #function at pos. */
static bool
hash_keyword(struct hl *h)
{
    static const char *const kc[] = { "file", "line", "column", "function" };
    size_t n = hl_word_run(h, h->pos + 1);
    if (is_word(h, h->pos + 1, n, "selector")) {
        hl_emit(h, HL_K, n + 1);
        return true;
    }
    for (size_t i = 0; i < sizeof kc / sizeof *kc; i++) {
        if (is_word(h, h->pos + 1, n, kc[i])) {
            hl_emit(h, HL_KC, n + 1);
            return true;
        }
    }
    return false;
}

/* @availability(...) and the reserved words after '@' at pos. */
static bool
at_keyword(struct swift *sw)
{
    struct hl *h = sw->h;
    size_t p = h->pos, n = hl_word_run(h, p + 1), close;
    if (is_word(h, p + 1, n, "availability") && hl_at(h, p + 13) == '(' &&
        hl_at(h, p + 14) != ')' &&
        (close = hl_seek(h, &sw->paren, ")", 1, p + 14)) != (size_t)-1) {
        hl_emit(h, HL_KR, close + 1 - p);
        return true;
    }
    if (!n || hl_words_find(&at_index, h->s + p + 1, n) < 0)
        return false;
    hl_emit(h, HL_KR, n + 1);
    return true;
}

/* The word of n bytes at pos ([a-zA-Z_]\w*) and its entry, or none. */
struct word_at {
    size_t n;
    const struct word *w;
};

static struct word_at
word_at(const struct hl *h)
{
    struct word_at wa = { name_len(h, h->pos), NULL };
    if (wa.n)
        wa.w = lookup(h, h->pos, wa.n);
    return wa;
}

/* Pygments' 'keywords' at pos, wa the word there; false if none of its
 * rules matches. */
static bool
keywords(struct swift *sw, struct word_at wa)
{
    struct hl *h = sw->h;
    int c = h->s[h->pos];
    if (c == '#')
        return hash_keyword(h);
    if (c == '@')
        return at_keyword(sw);
    if (!wa.w || wa.w->kind == LATE)
        return false;
    switch (wa.w->kind) {
    case IMPORT:
        hl_emit(h, HL_KD, wa.n);
        hl_stack_push(&sw->st, MODULE);
        break;
    case DECL_CLASS: case DECL_FUNC: case DECL_VAR:
        declaration(sw, wa.w, wa.n);
        break;
    default:
        hl_emit(h, wa.w->cls, wa.n);
    }
    return true;
}

/* ---- root ------------------------------------------------------------------------------ */

/* The run of [0-9_] at p. */
static size_t
digits_(const struct hl *h, size_t p)
{
    return hl_span(h, p, "0123456789_", SIZE_MAX);
}

/* [eE][+\-]?[0-9_]+ at p, or 0. */
static size_t
exponent(const struct hl *h, size_t p)
{
    if (!hl_in(hl_at(h, p), "eE"))
        return 0;
    size_t q = p + 1 + hl_in(hl_at(h, p + 1), "+-"), d = digits_(h, q);
    return d ? q + d - p : 0;
}

/* The number rules at pos, a digit. */
static void
number(struct hl *h)
{
    size_t p = h->pos, n, d, f;
    int c = hl_at(h, p + 1);
    if (h->s[p] == '0' && c == 'b' && (n = hl_span(h, p + 2, "01_", SIZE_MAX))) {
        hl_emit(h, HL_MB, n + 2);
    } else if (h->s[p] == '0' && c == 'o' && (n = hl_span(h, p + 2, "01234567_", SIZE_MAX))) {
        hl_emit(h, HL_MO, n + 2);
    } else if (h->s[p] == '0' && c == 'x' &&
               (n = hl_span(h, p + 2, "0123456789abcdefABCDEF_", SIZE_MAX))) {
        hl_emit(h, HL_MH, n + 2);
    } else {
        d = digits_(h, p);
        if (hl_at(h, p + d) == '.') {   /* \.[0-9_]+ and an exponent, or \.[0-9_]* */
            f = digits_(h, p + d + 1);
            hl_emit(h, HL_MF, d + 1 + f + (f ? exponent(h, p + d + 1 + f) : 0));
        } else if ((n = exponent(h, p + d))) {
            hl_emit(h, HL_MF, d + n);
        } else {
            hl_emit(h, HL_MI, d);
        }
    }
}

/* The bytes of root's punctuation (1) and operators (2); '=' and '?' are
 * both, punctuation first. */
static const unsigned char punct_kind[256] = {
    ['('] = 1, [')'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['.'] = 1, [','] = 1,
    [':'] = 1, [';'] = 1, ['@'] = 1, ['#'] = 1, ['`'] = 1, ['='] = 3, ['?'] = 3,
    ['/'] = 2, ['-'] = 2, ['+'] = 2, ['!'] = 2, ['*'] = 2, ['%'] = 2, ['<'] = 2, ['>'] = 2,
    ['&'] = 2, ['|'] = 2, ['^'] = 2, ['~'] = 2,
};

/* Punctuation, then operators; false if neither. */
static bool
punctuation(struct hl *h)
{
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if ((punct_kind[c] & 1) || (c == '-' && hl_at(h, p + 1) == '>') ||
        ((c == '<' || c == '&') && hl_word_at(h, p + 1)) ||
        ((c == '>' || c == '!') && hl_word_before(h, p))) {
        hl_emit(h, HL_P, c == '-' ? 2 : 1);
        return true;
    }
    if (!(punct_kind[c] & 2))
        return false;
    for (n = 1; p + n < h->end && (punct_kind[(unsigned char)h->s[p + n]] & 2); n++)
        ;
    hl_emit(h, HL_O, n);
    return true;
}

/* #if, #elseif, #else, #endif, #available and a boundary at pos. */
static size_t
directive_len(const struct hl *h, size_t p)
{
    static const char *const dirs[] = { "if", "elseif", "else", "endif", "available" };
    size_t n = hl_word_run(h, p + 1);
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        if (is_word(h, p + 1, n, dirs[i]))
            return n + 1;
    return 0;
}

/* The rules of root after 'keywords', wa the word at pos: builtins, $0,
 * numbers, strings, punctuation, operators, names. */
static void
root_rest(struct swift *sw, struct word_at wa)
{
    struct hl *h = sw->h;
    size_t p = h->pos, n;
    int c = (unsigned char)h->s[p];
    if (wa.n) {
        if (wa.w && wa.w->kind == LATE)
            hl_emit(h, wa.w->cls, wa.n);
        else
            emit_name(h, HL_N, wa.n);
    } else if (c == '$' && (n = hl_digits(h, p + 1))) {
        hl_emit(h, HL_NV, n + 1);
    } else if (c >= '0' && c <= '9') {
        number(h);
    } else if (c == '"') {
        hl_emit(h, HL_S, 1);
        hl_stack_push(&sw->st, STRING);
    } else if (!punctuation(h)) {
        hl_no_match(h, &sw->st);
    }
}

static void
root(struct swift *sw)
{
    struct hl *h = sw->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
        /* of the rules before 'keywords', none takes a letter */
        struct word_at wa = word_at(h);
        if (!keywords(sw, wa))
            root_rest(sw, wa);
    } else if ((n = hl_space(h, p, true))) {
        hl_emit(h, HL_TEXT, n);
    } else if (c == '/' && hl_at(h, p + 1) == '/') {
        hl_emit(h, HL_C1, 2);
        hl_stack_push(&sw->st, COMMENT_SINGLE);
    } else if (c == '/' && hl_at(h, p + 1) == '*') {
        hl_emit(h, HL_CM, 2);
        hl_stack_push(&sw->st, COMMENT_MULTI);
    } else if (c == '#' && (n = directive_len(h, p))) {
        hl_emit(h, HL_CP, n);
        hl_stack_push(&sw->st, PREPROC);
    } else if (!((c == '#' || c == '@') && keywords(sw, (struct word_at){ 0, NULL }))) {
        root_rest(sw, (struct word_at){ 0, NULL });
    }
}

/* ---- the other states ----------------------------------------------------------------- */

/* 'comment': :param: name, :returns:, :return:, FIXME: MARK: TODO: at p. */
static size_t
comment_mark(const struct hl *h, size_t p)
{
    size_t n;
    switch (h->s[p]) {
    case ':':
        if (hl_starts(h, p, ":param: ", 8) && (n = name_len(h, p + 8)))
            return n + 8;
        if (hl_starts(h, p, ":return:", 8))
            return 8;
        return hl_starts(h, p, ":returns:", 9) ? 9 : 0;
    case 'F': return hl_starts(h, p, "FIXME:", 6) ? 6 : 0;
    case 'M': return hl_starts(h, p, "MARK:", 5) ? 5 : 0;
    case 'T': return hl_starts(h, p, "TODO:", 5) ? 5 : 0;
    default: return 0;
    }
}

static void
comment_single(struct swift *sw)
{
    static const bool stop[256] = {
        [':'] = true, ['F'] = true, ['M'] = true, ['T'] = true, ['\n'] = true,
    };
    struct hl *h = sw->h;
    size_t p = h->pos, n;
    if (h->s[p] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        hl_stack_pop(&sw->st);
    } else if ((n = comment_mark(h, p))) {
        hl_emit(h, HL_CS, n);
    } else {
        n = hl_until(h, p + 1, stop);
        hl_emit(h, HL_C1, n + 1);
    }
}

static void
comment_multi(struct swift *sw)
{
    static const bool stop[256] = {
        [':'] = true, ['F'] = true, ['M'] = true, ['T'] = true, ['*'] = true, ['/'] = true,
    };
    struct hl *h = sw->h;
    size_t p = h->pos, n;
    int c = h->s[p];
    if ((n = comment_mark(h, p))) {
        hl_emit(h, HL_CS, n);
    } else if (c != '*' && c != '/') {
        n = hl_until(h, p + 1, stop);
        hl_emit(h, HL_CM, n + 1);
    } else if (c == '/' && hl_at(h, p + 1) == '*') {
        hl_emit(h, HL_CM, 2);
        hl_stack_push(&sw->st, COMMENT_MULTI);
    } else if (c == '*' && hl_at(h, p + 1) == '/') {
        hl_emit(h, HL_CM, 2);
        hl_stack_pop(&sw->st);
    } else {
        hl_emit(h, HL_CM, 1);
    }
}

/* 'module': to the end of the line, names are class names. */
static void
module(struct swift *sw)
{
    struct hl *h = sw->h;
    size_t n;
    if (h->s[h->pos] == '\n') {
        hl_emit(h, HL_TEXT, 1);
        hl_stack_pop(&sw->st);
    } else if ((n = name_len(h, h->pos))) {
        emit_name(h, HL_NC, n);
    } else {
        root(sw);
    }
}

/* 'preproc': to the end of the line, keywords, other words cp. */
static void
preproc(struct swift *sw)
{
    struct hl *h = sw->h;
    int c = h->s[h->pos];
    if (c == '\n') {
        hl_emit(h, HL_TEXT, 1);
        hl_stack_pop(&sw->st);
    } else if (keywords(sw, word_at(h))) {
        return;
    } else if (is_alpha(c) && c != '_') {
        hl_emit(h, HL_CP, hl_word_run(h, h->pos));
    } else {
        root(sw);
    }
}

/* An escape at p (a backslash): \\['"\\nrt], \xHH, \o to \ooo, \uHHHH,
 * \UHHHHHHHH. Its length, or 0. */
static size_t
escape_len(const struct hl *h, size_t p)
{
    size_t n;
    if (hl_in(hl_at(h, p + 1), "'\"\\nrt"))
        return 2;
    if ((n = hl_hex_escape(h, p, 'x', 2)) || (n = hl_octal_escape(h, p)))
        return n;
    return hl_unicode_escape(h, p);
}

static void
string(struct swift *sw)
{
    static const bool stop[256] = { ['\\'] = true, ['"'] = true };
    struct hl *h = sw->h;
    size_t p = h->pos, n;
    if (h->s[p] == '\\' && hl_at(h, p + 1) == '(') {
        hl_emit(h, HL_SI, 2);
        hl_stack_push(&sw->st, STRING_INTP);
    } else if (h->s[p] == '"') {
        hl_emit(h, HL_S, 1);
        hl_stack_pop(&sw->st);
    } else if (h->s[p] == '\\') {
        n = escape_len(h, p);
        hl_emit(h, n ? HL_SE : HL_S, n ? n : 1);
    } else {
        hl_emit(h, HL_S, hl_until(h, p, stop));
    }
}

/* 'string-intp': parentheses (si) nest, the rest is root. */
static void
string_intp(struct swift *sw)
{
    struct hl *h = sw->h;
    if (h->s[h->pos] == '(') {
        hl_emit(h, HL_SI, 1);
        hl_stack_push(&sw->st, STRING_INTP);
    } else if (h->s[h->pos] == ')') {
        hl_emit(h, HL_SI, 1);
        hl_stack_pop(&sw->st);
    } else {
        root(sw);
    }
}

void
lex_swift(struct hl *h)
{
    struct swift sw = { .h = h, .paren = HL_SEEK_INIT };
    hl_stack_init(&sw.st, ROOT);
    while (h->pos < h->end) {
        switch (hl_stack_top(&sw.st)) {
        case ROOT: root(&sw); break;
        case COMMENT_SINGLE: comment_single(&sw); break;
        case COMMENT_MULTI: comment_multi(&sw); break;
        case MODULE: module(&sw); break;
        case PREPROC: preproc(&sw); break;
        case STRING: string(&sw); break;
        case STRING_INTP: string_intp(&sw); break;
        }
    }
    hl_stack_dispose(&sw.st);
}
