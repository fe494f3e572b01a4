"""LaTeX in titles and abstracts read as Unicode (paperdeck.index.latex.to_unicode)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.index import latex
from paperdeck.index.latex import to_unicode


@pytest.mark.parametrize(("source", "expected"), [
    (r'M{\"u}ller', "Müller"),
    (r'Schr\"odinger', "Schrödinger"),
    (r"{\'e}t{\'e} and caf\'e", "été and café"),
    (r"{\c c}a and \v{s} and {\o}ster", "ça and š and øster"),
    (r"Rock \& Roll", "Rock & Roll"),
    (r"3\% of the tokens", "3% of the tokens"),
    (r"$\alpha$-decay", "α-decay"),
    (r"$\geq$ 99.9% accurate", "≥ 99.9% accurate"),
    (r"{{Double Braces}}", "Double Braces"),
    (r"\textbf{x} and \emph{y} and \textit{z}", "x and y and z"),
    (r"``real'' world", "“real” world"),
    ("the `needle' unit", "the ‘needle’ unit"),
    (r"up to 26$\times$ faster", "up to 26× faster"),
    (r"(e.g., $10.5\%$ on $20$ documents)", "(e.g., 10.5% on 20 documents)"),
    (r"PanGu-{\Sigma} and {\LaTeX} and \TeX", "PanGu-Σ and LaTeX and TeX"),
    (r"text na\"ively compressed", "text naïvely compressed"),
])
def test_latex_is_read_as_unicode(source, expected):
    assert to_unicode(source) == expected


def test_a_formula_stays_readable():
    assert to_unicode(r"Adam (i.e., $1/\sqrt{v}$)") == "Adam (i.e., 1/√(v))"
    assert to_unicode(r"$x^{2}$ and $d_{best}$") == "x^2 and d_best"
    assert to_unicode(r"$$E=mc^2$$ holds") == "E=mc^2 holds"  # displayed, read inline


def test_url_keeps_the_link_whole():
    assert to_unicode(r"code at \url{https://x.org/a_b%20c~d}") == "code at https://x.org/a_b%20c~d"
    assert to_unicode(r"see \href{https://x.org}{the site}") == "see the site (https://x.org)"
    # a bare link in text that holds LaTeX elsewhere is left as written
    assert (to_unicode(r"$\alpha$ at https://x.org/~me/a_b%2F&x=1")
            == "α at https://x.org/~me/a_b%2F&x=1")


@pytest.mark.parametrize("plain", [
    "costs $5 and $10",
    "from $5-$10 a month",
    "50% of Q&A pairs, ~10x faster (~5%)",
    "ratios of 15~30% and models of 1M~60M parameters",
    "it's a model's `code` block",
    "",
])
def test_plain_signs_are_not_taken_for_latex(plain):
    assert to_unicode(plain) == plain


def test_plain_dollars_beside_a_formula():
    assert to_unicode(r"$\alpha$ costs $5 and $10") == "α costs $5 and $10"
    assert to_unicode(r"an escaped \$5 price") == "an escaped $5 price"


def test_a_tie_is_a_space():
    assert to_unicode("Fig.~1 by A.~Smith") == "Fig. 1 by A. Smith"


def test_unknown_macro_keeps_its_name_as_a_word():
    # A paper's own macro for its model name: the name is kept, never glued to a word.
    assert to_unicode(r"we introduce\ourmodel, a model") == "we introduce ourmodel, a model"
    assert to_unicode(r"we introduce \ourmodel{} which") == "we introduce ourmodel which"
    assert to_unicode(r"\ourmodel is small") == "ourmodel is small"
    assert to_unicode(r"the \ours{}-trained models") == "the ours-trained models"
    # a command wrapping a group keeps the group; a declaration heading a group goes
    assert to_unicode(r"a \newterm{word} here") == "a word here"
    assert to_unicode(r"{\bf Bold} and {\small small}") == "Bold and small"
    assert to_unicode(r"\noindent Text") == "Text"


def test_text_without_latex_is_not_parsed(monkeypatch):
    def no_parser():
        raise AssertionError("the parser was called")

    monkeypatch.setattr(latex, "_converter", no_parser)
    latex._to_unicode_cached.cache_clear()
    latex._convert_short.cache_clear()
    text = "Attention Is All You Need: 50% of Q&A -- it's `fine` (3x), 'quoted'"
    assert to_unicode(text) is text


def test_braces_alone_are_read_without_the_parser(monkeypatch):
    def no_parser():
        raise AssertionError("the parser was called")

    monkeypatch.setattr(latex, "_converter", no_parser)
    latex._to_unicode_cached.cache_clear()
    latex._convert_short.cache_clear()
    assert to_unicode("{{Double Braces}} and {NLP} at 5% & more") == (
        "Double Braces and NLP at 5% & more")


def test_only_the_latex_stretch_is_parsed(monkeypatch):
    seen = []
    real = latex._convert

    def spy(chunk):
        seen.append(chunk)
        return real(chunk)

    monkeypatch.setattr(latex, "_convert", spy)
    latex._to_unicode_cached.cache_clear()
    latex._convert_short.cache_clear()
    assert (to_unicode(r"A long plain sentence, then $\alpha$ and {\"u} -- done.")
            == "A long plain sentence, then α and ü -- done.")
    assert seen == [r"$\alpha$", r'{\"u}']


@pytest.mark.parametrize(("source", "expected"), [
    ("unbalanced { brace here", "unbalanced brace here"),
    ("a stray } brace", "a stray } brace"),
    (r"\href{https://x.org}", "https://x.org"),
    (r"$\frac{a}{ unclosed", r"$a/ unclosed"),
    (r"\begin{itemize} never ended", " never ended"),
])
def test_malformed_latex_gives_what_can_be_read(source, expected):
    assert to_unicode(source) == expected


def test_deep_nesting_never_raises():
    assert to_unicode("{" * 10_000 + "x" + "}" * 10_000) == "x"  # braces alone: no parser
    deep = "{" * 10_000 + r"\alpha" + "}" * 10_000
    assert to_unicode(deep) == deep  # too deep to parse: kept as written
    mixed = r"{\"u}ber " + deep + r" and $\alpha$"
    assert to_unicode(mixed) == "über " + deep + " and α"


def test_a_word_the_parser_refuses_is_kept(monkeypatch):
    real = latex._convert

    def fussy(chunk):
        if "bad" in chunk:
            raise ValueError("refused")
        return real(chunk)

    monkeypatch.setattr(latex, "_convert", fussy)
    latex._to_unicode_cached.cache_clear()
    latex._convert_short.cache_clear()
    assert to_unicode(r"{\"u} \bad{x} $\beta$") == r"ü \bad{x} β"
    # one stretch the parser refuses is read word by word
    assert to_unicode(r"{\"u and \bad}") == r"ü and \bad}"


LATEXISH = st.lists(st.sampled_from([*"ab \n\\{}$%&~`'^_#[]()0.\"é", r"\alpha", r"\url",
                                      r"\href", r"\begin{x}", r"\end{x}", "``", "''", "$$"]),
                    max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(LATEXISH)
def test_never_raises(text):
    out = to_unicode(text)
    assert isinstance(out, str)
    if not latex.has_latex(text):
        assert out == text
