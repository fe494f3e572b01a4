"""Text stored and indexed as it is shown: titles, abstracts and digest summaries become
readable Unicode at import when, and only when, they plainly hold LaTeX
(paperdeck.index.latex.readable); plain text is kept exactly as written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperdeck.index.latex import looks_like_latex, readable

# Pieces LaTeX abstracts are made of, and plain text's look-alikes, for hypothesis to mix.
PIECES = [
    "$", "$$", "\\", "{", "}", "~", "%", "&", "`", "'", "``", "''", "\\%", "\\$", "\\&",
    "\\alpha", "\\geq", "\\ourmodel", "\\textbf{", "\\sqrt{v}", "\\url{", "\\\"u", "{\\o}",
    "\\c{c}", "\\textbackslash", "\\,", "\\\\", "\\{", "\\}", "^", "_", "-", "--", "*",
    "C:\\Users\\me", "https://x.org/~a_b%20", "`code`", "word", "5", " ", "  ", "\n",
    "α", "≥", "\\n", "\\t", "x", "(", ")", ".",
]
texts = st.lists(st.sampled_from(PIECES), max_size=24).map("".join) | st.text(max_size=60)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_readable_is_idempotent_and_never_raises(text):
    once = readable(text)
    assert isinstance(once, str)
    assert readable(once) == once
    if not looks_like_latex(text):
        assert once == text  # plain text is never touched


@pytest.mark.parametrize("plain", [
    "costs $5 and $10 a month",
    "from $5-$10, or $3.50",
    r"saved to C:\Users\me\Documents\paper.pdf on Windows",
    r"on the share \\server\papers\2024",
    r"run .\build\paperdeck.exe or src\index\latex.py",
    "a *bold* claim, **very** bold, and a_b_c",
    "see https://example.org/~me/a_b%20c?x=1&y=$2 for the code",
    "50% of Q&A pairs, ~10x faster (~5%), {braces} kept",
    "it's a model's `code` span and ``double`` code",
    r"split lines on \n and tabs on \t, or \u00e9 in JSON",
    "",
])
def test_plain_text_is_kept_exactly(plain):
    assert not looks_like_latex(plain)
    assert readable(plain) is plain or readable(plain) == plain


@pytest.mark.parametrize(("source", "shown"), [
    (r"We find that $\geq$ 99.9% of these", "We find that ≥ 99.9% of these"),
    (r"less than 3\% accuracy", "less than 3% accuracy"),
    (r"Adam (i.e., $1/\sqrt{v}$).", "Adam (i.e., 1/√(v))."),
    ("to find the `needle' unit", "to find the ‘needle’ unit"),
    ("the `needle' unit; the `heavy' retriever and `light' reader",
     "the ‘needle’ unit; the ‘heavy’ retriever and ‘light’ reader"),
    (r"the ``real'' world", "the “real” world"),
    (r"M{\"u}ller and na\"ively", "Müller and naïvely"),
    (r"we introduce\ourmodel, a small LLM", "we introduce ourmodel, a small LLM"),
    # a link or a path beside LaTeX is kept as written
    (r"$\alpha$ at https://x.org/\alpha and C:\temp\alpha",
     r"α at https://x.org/\alpha and C:\temp\alpha"),
])
def test_latex_is_stored_as_it_reads(source, shown):
    assert looks_like_latex(source)
    assert readable(source) == shown


def test_glued_words_stay_as_the_source_wrote_them():
    # No rule is certain about where "usingnatural" splits: it is kept whole.
    text = "usingnatural language outlinesas a medium, and the\\ourmodelmodel keeps"
    assert readable(text) == "usingnatural language outlinesas a medium, and the ourmodelmodel keeps"
    assert readable("usingnatural language outlinesas") == "usingnatural language outlinesas"
