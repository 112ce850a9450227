"""gotemplate_reference.py: the reference for gazette's go-html-template
lexer, which Pygments 2.14 lacks: the rules of Chroma (Hugo's highlighter)
for Go templates as a Pygments RegexLexer with Pygments' token types, and
Pygments' own HtmlLexer between the actions, as Chroma's GoHTMLTemplate
delegates. tests/highlight_fidelity.py knows it as go-html-template-ref."""
from pygments.lexer import RegexLexer, DelegatingLexer, include
from pygments.lexers.html import HtmlLexer
from pygments.token import (Comment, Keyword, Name, Number, Operator, Other,
                            String, Whitespace)

_STRING = r'"(\\\\|\\"|[^"])*"'


class GoTemplateRefLexer(RegexLexer):
    name = 'Go Template (Chroma rules)'
    aliases = ['go-template-ref']
    flags = 0  # Chroma: multiline, which no rule here depends on
    tokens = {
        'root': [
            (r'\{\{(- )?/\*(.|\n)*?\*/( -)?\}\}', Comment.Multiline),
            (r'\{\{[-]?', Comment.Preproc, 'template'),
            (r'[^{]+', Other),
            (r'\{', Other),
        ],
        'template': [
            (r'[-]?\}\}', Comment.Preproc, '#pop'),
            (r'(?=\}\})', Comment.Preproc, '#pop'),
            (r'\(', Operator, 'subexpression'),
            (_STRING, String),
            include('expression'),
        ],
        'subexpression': [
            (r'\)', Operator, '#pop'),
            include('expression'),
        ],
        'expression': [
            (r'\s+', Whitespace),
            (r'\(', Operator, 'subexpression'),
            (r'(range|if|else|while|with|template|end|true|false|nil|and|call|'
             r'html|index|js|len|not|or|print|printf|println|urlquery|eq|ne|lt|'
             r'le|gt|ge|block|break|continue|define|slice)\b', Keyword),
            (r'\||:?=|,', Operator),
            (r'[$]?[^\W\d]\w*', Name.Other),
            (r'\$|[$]?\.(?:[^\W\d]\w*)?', Name.Attribute),
            (_STRING, String),
            (r'-?\d+i', Number),
            (r'-?\d+\.\d*([Ee][-+]\d+)?i', Number),
            (r'\.\d+([Ee][-+]\d+)?i', Number),
            (r'-?\d+[Ee][-+]\d+i', Number),
            (r'-?\d+(\.\d+[eE][+\-]?\d+|\.\d*|[eE][+\-]?\d+)', Number.Float),
            (r'-?\.\d+([eE][+\-]?\d+)?', Number.Float),
            (r'-?0[0-7]+', Number.Oct),
            (r'-?0[xX][0-9a-fA-F]+', Number.Hex),
            (r'-?0b[01_]+', Number.Bin),
            (r'-?(0|[1-9][0-9]*)', Number.Integer),
            (r"'(\\['\"\\abfnrtv]|\\x[0-9a-fA-F]{2}|\\[0-7]{1,3}"
             r"|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|[^\\])'", String.Char),
            (r'`[^`]*`', String),
        ],
    }


class GoHtmlTemplateRefLexer(DelegatingLexer):
    name = 'Go HTML Template (Chroma rules)'
    aliases = ['go-html-template-ref']

    def __init__(self, **options):
        super().__init__(HtmlLexer, GoTemplateRefLexer, **options)
