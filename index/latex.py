"""LaTeX as bibliographies and arXiv abstracts carry it, turned into readable Unicode.

`to_unicode('M{\\"u}ller \\& $\\alpha$')` is "Müller & α". The conversion is
pylatexenc's (its accents, symbols and math); decided here is only how text that
is half LaTeX, half plain is read: a `$` that opens no formula ("costs $5 and $10"),
a bare `%` or `&`, a `~` meaning "about" or a range ("~10x", "15~30%") and a bare
URL stay as written; an unknown macro (`\\ourmodel`) keeps its name as a word;
nothing ever raises. Only the stretches of text that hold LaTeX are parsed.

`readable()` is what an import stores and indexes: text that plainly holds LaTeX (see
looks_like_latex) converted, anything else exactly as written; converting its result
again changes nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import get_default_latex_context_db as get_default_parse_context_db
from pylatexenc.macrospec import LatexContextDb, std_macro

__all__ = ["has_latex", "looks_like_latex", "readable", "to_unicode"]

# What makes text worth parsing: a macro, a formula, a group, a tie, TeX quotes.
# Text without any of them (most titles and abstracts) is returned as it is.
# `needle' (TeX's ‘needle’): a backtick opening a word, a quote closing one.
_QUOTED = r"(?:(?<=[\s(\[])|^)`(?=[^`\s])([^`'\n]{1,200}(?<=\S))'(?![\w'])"
_SIGNS = re.compile(r"[\\${~]")
# A word that needs the parser (the same signs, a closing brace too).
_LATEX_WORD = re.compile(r"[\\${}~]|``|''")
_WORDS = re.compile(r"(\s+)")
# What changes the nesting as a word is read: an escape, a brace, a formula's $.
_NESTING = re.compile(r"\\(?:[A-Za-z]+|.)|[{}$]", re.DOTALL)
_ENDS_IN_MACRO = re.compile(r"(?<!\\)(?:\\\\)*\\(?:[A-Za-z]+|[^A-Za-z\s])$")

# Deeper nesting than this is not a bibliography's braces but a hostile file: the
# parser recurses once per level, so such text is never handed to it whole.
_MAX_DEPTH = 64

# `%` starts a comment and `&` is a table's column break in LaTeX; in a title or an
# abstract each is the sign itself. An even run of backslashes before one escapes
# nothing (`\\%` is a line break, then a percent sign).
_BARE_SIGN = re.compile(r"(?<!\\)((?:\\\\)*)([%&])")
# A tie (`Fig.~1`, `A.~Smith`) is a space. A tilde at the start of a word or after
# an opening bracket ("~10x", "(~5%)"), at a word's end, or between a number and a
# number ("15~30%", "1M~60M") is the sign itself.
_TILDE = re.compile(r"~")
_SINGLE_QUOTES = re.compile(_QUOTED)
_URL = re.compile(r"(?:https?|ftp)://", re.IGNORECASE)
_URL_MACRO = re.compile(r"\\url\{[^{}]*\}")
_SPACES = re.compile(r"[ \t]{2,}")
_BRACE = re.compile(r"[{}]")
_PARSED_SIGNS = re.compile(r"[\\$~]|``|''|--")
# $...$ (or $$...$$) is a formula when, as in Pandoc's rule, the opening $ is followed
# by a non-space and the closing $ is preceded by a non-space and not followed by a
# digit: "$5 and $10" holds no formula, "$\alpha$-decay" does.
_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)(\$\$?)")
_MAX_FORMULA = 1_000  # characters; a longer "formula" is two prices far apart

# Declarations that change the look of what follows and print nothing, which
# pylatexenc's text conversion does not list (an unknown macro keeps its name here).
_DECLARATIONS = (
    "bf it em rm sc sl sf tt up md bfseries itshape scshape slshape upshape mdseries "
    "normalfont ttfamily sffamily rmfamily tiny scriptsize footnotesize small normalsize "
    "large Large LARGE huge Huge noindent xspace centering raggedright raggedleft "
    "displaystyle textstyle scriptstyle protect relax nocite"
).split()


# --- before parsing: what is LaTeX and what is a plain sign ------------------------------


def _formulas(text: str) -> str:
    """`text` with every `$` that delimits no formula escaped, and $$...$$ made $...$."""
    out: list[str] = []
    pos = 0
    marks = [(m.start(2), m.group(2)) for m in _DOLLAR.finditer(text)]
    i = 0
    while i < len(marks):
        start, delim = marks[i]
        width = len(delim)
        closer = None
        after = text[start + width: start + width + 1]
        if after and not after.isspace():
            for j in range(i + 1, len(marks)):
                end, close = marks[j]
                if end - start > _MAX_FORMULA:
                    break
                follow = text[end + len(close): end + len(close) + 1]
                if (close == delim and end > start + width and not text[end - 1].isspace()
                        and not follow.isdigit()):
                    closer = j
                    break
        if closer is None:
            out.append(text[pos:start] + "\\$" * width)
            pos = start + width
            i += 1
        else:
            end, close = marks[closer]
            # a displayed formula ($$...$$) is read inline like any other
            out.append(text[pos:start] + "$" + text[start + width:end] + "$")
            pos = end + len(close)
            i = closer + 1
    out.append(text[pos:])
    return "".join(out)


def _tilde(m: re.Match) -> str:
    s, i = m.string, m.start()
    before, after = s[i - 1: i], s[i + 1: i + 2]
    if not before or before in " \t\r\n([" or not after or after.isspace():
        return r"\textasciitilde{}"
    word_start = max(s.rfind(" ", 0, i), s.rfind("\n", 0, i)) + 1
    if after.isdigit() and any(c.isdigit() for c in s[word_start:i]):
        return r"\textasciitilde{}"  # a range: 15~30%
    return "~"


def _prepare_chunk(chunk: str) -> str:
    chunk = _BARE_SIGN.sub(r"\1\\\2", chunk)
    if "\\url" in chunk:  # a link's ~ is the sign itself
        chunk = _URL_MACRO.sub(lambda m: m.group().replace("~", r"\textasciitilde{}"), chunk)
    if "~" in chunk:
        chunk = _TILDE.sub(_tilde, chunk)
    return chunk


def _chunks(text: str) -> list[tuple[bool, str]]:
    """(is LaTeX, text) stretches of `text`, in order, joined back they are `text`.

    A word with no LaTeX sign outside any group or formula is plain; a LaTeX
    stretch runs on until its groups and formulas are closed and its last macro
    has had the word it may take (`\\c c`). A bare URL is plain.
    """
    out: list[tuple[bool, str]] = []
    plain: list[str] = []
    latex: list[str] = []
    depth, in_math, wants_argument = 0, False, False
    for n, piece in enumerate(_WORDS.split(text)):
        if n % 2:  # whitespace goes with what it is in
            (latex if latex else plain).append(piece)
            continue
        if not latex and (not _LATEX_WORD.search(piece)
                          or ("\\" not in piece and "{" not in piece and "$" not in piece
                              and _URL.search(piece))):
            plain.append(piece)
            continue
        if not latex:
            # leading whitespace belongs to the plain text before
            if plain:
                out.append((False, "".join(plain)))
                plain = []
        latex.append(piece)
        for m in _NESTING.finditer(piece):
            token = m.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(depth - 1, 0)
            elif token == "$":
                in_math = not in_math
        wants_argument = bool(_ENDS_IN_MACRO.search(piece)) and not wants_argument
        if depth == 0 and not in_math and not wants_argument:
            out.append((True, "".join(latex)))
            latex = []
    if latex:
        out.append((True, "".join(latex)))
    if plain:
        out.append((False, "".join(plain)))
    return out


# --- the conversion: pylatexenc, told of a few more macros --------------------------------


def _args(node) -> list:
    nodeargd = node.nodeargd
    return [a for a in (nodeargd.argnlist if nodeargd and nodeargd.argnlist else []) if a]


def _unknown_macro(node, l2tobj) -> str:
    """An unknown macro (`\\ourmodel`, a paper's own name for its model) keeps its name.

    Its name stands as a word of its own (`introduce\\ourmodel` reads "introduce
    ourmodel", never one glued word). At the head of a group with more after it
    (`{\\bf Title}`) it is a declaration and is dropped; followed by a group
    (`\\newterm{word}`) it is taken for a command wrapping that group, and the
    group is what is kept.
    """
    args = _args(node)
    if args:  # the parser knows its arguments (\texttt{x}) though the converter does not
        return "".join(l2tobj.nodelist_to_text([a]) for a in args)
    source = node.parsing_state.s
    start, end = node.pos, node.pos + node.len
    after = source[end: end + 1]
    if after == "{" and source[end: end + 2] != "{}":
        return ""
    before = source[start - 1: start] if start > 0 else ""
    if before == "{" and after not in ("}", ""):
        return ""
    gap = " " if before.isalnum() else ""
    trail = node.macro_post_space or (" " if after.isalnum() else "")
    return gap + node.macroname + trail


def _url(node, l2tobj) -> str:
    return "".join(l2tobj.nodelist_to_text([a]) for a in _args(node))


def _href(node, l2tobj) -> str:
    """\\href{url}{text}: the text, then the link in brackets."""
    parts = [l2tobj.nodelist_to_text([a]).strip() for a in _args(node)]
    if len(parts) == 2 and parts[1]:
        return f"{parts[1]} ({parts[0]})" if parts[0] else parts[1]
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def _converter() -> tuple[LatexNodes2Text, LatexContextDb]:
    """The text converter and the parser's context, both pylatexenc's own plus a few."""
    text_db = get_default_latex_context_db()
    text_db.add_context_category("paperdeck", prepend=True, macros=[
        MacroTextSpec("url", simplify_repl=_url),  # the link itself, not "<link>"
        MacroTextSpec("href", simplify_repl=_href),
        MacroTextSpec("LaTeX", "LaTeX"),
        MacroTextSpec("TeX", "TeX"),
        MacroTextSpec("newline", " "),
        *(MacroTextSpec(name, discard=True) for name in _DECLARATIONS),
    ])
    text_db.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_unknown_macro))
    parse_db = get_default_parse_context_db()
    parse_db.add_context_category("paperdeck", prepend=True,
                                  macros=[std_macro("href", False, 2)])
    return LatexNodes2Text(latex_context=text_db, math_mode="text"), parse_db


def _depth(text: str) -> int:
    if text.count("{") <= _MAX_DEPTH:
        return 0
    depth = deepest = 0
    for m in re.finditer(r"[{}]", text):
        depth = depth + 1 if m.group() == "{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _only_groups(chunk: str) -> bool:
    """Whether the chunk's only LaTeX is balanced braces (`{{Title}}`, `{NLP}`)."""
    if _PARSED_SIGNS.search(chunk):
        return False
    depth = 0
    for m in _BRACE.finditer(chunk):
        depth += 1 if m.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _convert(chunk: str) -> str:
    if _only_groups(chunk):  # what the parser would do, without it (most BibTeX titles)
        return chunk.replace("{", "").replace("}", "")
    if _depth(chunk) > _MAX_DEPTH:
        raise RecursionError("braces nested too deep to parse")
    converter, parse_db = _converter()
    out = converter.latex_to_text(_prepare_chunk(chunk), latex_context=parse_db)
    return out.replace("\xa0", " ")  # a tie reads as a space


def _salvage(chunk: str) -> str:
    """What can be read of a stretch the parser refused: each word on its own."""
    words = _WORDS.split(chunk)
    for i in range(0, len(words), 2):
        if words[i] and _LATEX_WORD.search(words[i]):
            try:
                words[i] = _convert(words[i])
            except Exception:  # noqa: BLE001 - an unreadable word is kept as written
                pass
    return "".join(words)


def has_latex(text: str) -> bool:
    """Whether `text` holds anything to_unicode() would parse (cheap: a scan or two)."""
    if _SIGNS.search(text):
        return True
    if "`" in text:
        return "``" in text or _SINGLE_QUOTES.search(text) is not None
    return "''" in text


def to_unicode(text: str) -> str:
    """Readable Unicode for `text` written in LaTeX (or partly); never raises.

    See _to_unicode; short texts (names, venues, titles), which repeat across a
    bibliography, are remembered.
    """
    if len(text) <= _CACHED_LENGTH:
        return _to_unicode_cached(text)
    return _to_unicode(text)


_CACHED_LENGTH = 300


@lru_cache(maxsize=8192)
def _to_unicode_cached(text: str) -> str:
    return _to_unicode(text)


# A stretch of LaTeX this short (`$\geq$`, `3\%`, `$\times$`) recurs across abstracts:
# its conversion is remembered.
_CACHED_CHUNK = 120


@lru_cache(maxsize=8192)
def _convert_short(chunk: str) -> str:
    return _convert(chunk)


def _to_unicode(text: str) -> str:
    """Readable Unicode for `text` written in LaTeX (or partly); never raises.

    Text with no macro, formula, group, tie or TeX quote is returned unchanged
    without parsing. A stretch the parser cannot read whole is read word by word;
    a word it cannot read either is kept as written.
    """
    if not text or not has_latex(text):
        return text
    try:
        text = _formulas(_SINGLE_QUOTES.sub("\u2018\\1\u2019", text))
        parts = _chunks(text)
    except Exception:  # noqa: BLE001 - never: but a reader must not fall over a title
        return text
    out = []
    for is_latex, chunk in parts:
        if not is_latex:
            out.append(chunk)
            continue
        try:
            out.append(_convert_short(chunk) if len(chunk) <= _CACHED_CHUNK else _convert(chunk))
        except Exception:  # noqa: BLE001 - pylatexenc's failures, RecursionError included
            out.append(_salvage(chunk))
    converted = "".join(out)
    if not _SPACES.search(text):  # runs of spaces left where a macro or a brace was
        converted = _SPACES.sub(" ", converted)
    return converted



# --- at import: which text is LaTeX, and the one conversion stored and indexed -------------

# Spans never converted, whatever the text around them holds: a link, a file path (a
# drive, a network share, a relative or several folders deep, or one folder and a file
# with an extension), each found inside one word; a Markdown code span (which never
# holds a closing quote: "the `needle' unit and the `heavy' one" holds two TeX quotes,
# not a span between them). Only words with a backslash or a link's sign are looked at:
# one pattern tried at every position of an abstract costs more than the conversion.
_LINK = re.compile(r"(?:https?|ftp)://\S+|^www\.\S+", re.IGNORECASE)
_PATH = re.compile(
    r"(?<![\w\\])[A-Za-z]:\\\S*"
    r"|^\\\\[\w.$-]+\\?\S*"
    r"|^\.{1,2}\\\S*"
    r"|^[\w.-]+\\[\w.-]+\\[^\s{}$]*"
    r"|^[\w.-]+\\[\w-]+\.[a-z0-9]{1,4}(?![\w.])")
_CODE = re.compile(r"(?<!`)`(?:[^`\n']|'(?=\w))+`(?!`)")
_WORD = re.compile(r"\S+")
# What only LaTeX writes: a formula by Pandoc's rule (as _formulas reads it), an escaped
# sign (`3\%`), an accent (`\"u`, `\c{c}`, `{\o}`), TeX quotes, a macro of two letters or
# more. A one-letter macro alone (`\n`, `\t`, `\u00e9`, `\d+`) is a program's escape.
_FORMULA = re.compile(r"(?<![\\$])\$(?=[^\s$])[^$]{0,1000}?(?<=[^\s\\])\$(?![\d$])"
                      r"|(?<!\\)\$\$(?=\S)[^$]{1,1000}?(?<=\S)\$\$")
_LATEX_MARK = re.compile(
    r"(?<!\\)\\(?:[%&_#$,]|[\"'`^~=.][A-Za-z{]|[A-Za-z]\{[A-Za-z]|[A-Za-z]{2,})"
    r"|\{\\[A-Za-z]\}|``(?=\S)[^`\n]{1,300}''")
_ROUNDS = 3  # conversions of a conversion's output, until nothing changes


def _protected(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the spans of `text` never converted, in order, apart."""
    spans = [m.span() for m in _CODE.finditer(text)] if "`" in text else []
    if "\\" in text or "://" in text or "www." in text:
        for w in _WORD.finditer(text):
            word = w.group()
            if "\\" in word or "://" in word or word[:4].lower() == "www.":
                m = _LINK.search(word) or _PATH.search(word)
                if m:
                    spans.append((w.start() + m.start(), w.start() + m.end()))
    spans.sort()
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start < out[-1][1]:  # a link inside a code span: the span holds it
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _unprotected(text: str) -> list[tuple[bool, str]]:
    """(may convert, stretch) of `text` in order: the protected spans cut out."""
    out, pos = [], 0
    for start, end in _protected(text):
        if start > pos:
            out.append((True, text[pos:start]))
        out.append((False, text[start:end]))
        pos = end
    if pos < len(text):
        out.append((True, text[pos:]))
    return out


def looks_like_latex(text: str) -> bool:
    """Whether `text`, links, paths and code spans aside, holds what only LaTeX writes:
    a formula (`$\\geq$`, not "$5 and $10"), a macro (`\\alpha`, `\\ourmodel`), an
    escaped sign (`3\\%`), an accent (`{\\"u}`), TeX quotes (``` ``real'' ```, `` `needle' ``).
    Braces, a tilde, a bare `%` or `*` alone are not LaTeX: such text is stored as written."""
    return bool(text) and has_latex(text) and _holds_latex(_unprotected(text))


def _holds_latex(parts: list[tuple[bool, str]]) -> bool:
    return any(free and (_LATEX_MARK.search(part) or _FORMULA.search(part)
                         or _SINGLE_QUOTES.search(part)) for free, part in parts)


def _once(text: str) -> str:
    if not has_latex(text):
        return text
    parts = _unprotected(text)
    if not _holds_latex(parts):
        return text
    return "".join(to_unicode(part) if free else part for free, part in parts)


def readable(text: str) -> str:
    """`text` as a reader sees it: its LaTeX as Unicode when it plainly holds LaTeX (see
    looks_like_latex), else exactly as written; never raises.

    The result is converted again while that changes it (an escaped `\\$\\alpha\\$`
    reads `$α$`, itself a formula), so that readable(readable(t)) == readable(t): the
    text stored, indexed and shown is the same whoever converts it last.
    """
    if not text:
        return text
    try:
        before, after = text, _once(text)
        for _ in range(_ROUNDS):
            if after == before:
                break
            before, after = after, _once(after)
        return after
    except Exception:  # noqa: BLE001 - a record is never lost over its LaTeX
        return text
