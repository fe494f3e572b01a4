"""What the abstract pane says about a paper, as text: a compact line or two of metadata
(status, date, categories, ids; the authors), what the digests said of it in their own
words, and the details (links, venue, DOI, comments, keywords, sources). Fields a paper
does not have are left out. Titles, abstracts and summaries are stored as they are shown
(LaTeX read at import, index.latex.readable); the other fields' LaTeX is read here."""

from __future__ import annotations

import textwrap

from textual.content import Content

from paperdeck.index.latex import to_unicode
from paperdeck.index.model import Paper, category_name

from .labels import list_date, month_variants, week_title

MUTED = "$text-muted"
LABEL = "$text-muted"
DERIVED_NOTE = "(no title in the digests: the first sentence of the abstract)"
SEP = " · "


def readable(text: str | None) -> str:
    """`text` with its LaTeX as Unicode (authors, venue, comments, keywords: the fields
    an import stores as the file wrote them)."""
    return to_unicode(text) if text else ""


def when(paper: Paper) -> str:
    """The paper's date at the precision known: a day, a week, a month, a year."""
    if paper.published and len(paper.published) == 10:
        return paper.published
    if paper.week:
        return week_title(paper.week)
    if paper.month:
        return month_variants(paper.month)[0]
    if paper.published:
        return list_date(paper.published)
    return str(paper.year) if paper.year else ""


def status_line(paper: Paper, compact: bool = False) -> Content:
    """`unread · ★ starred · W26 · Jun 24–30, 2024 · cs.CL cs.LG · arXiv 2406.15319`;
    `compact` (a small screen): `unread · ★ · 2024-W26 · cs.CL` (the rest is in the
    details below the abstract)."""
    parts: list[Content] = [Content("read" if paper.read else "unread")]
    if paper.starred:
        parts.append(Content("★" if compact else "★ starred"))
    date = list_date(paper.week or paper.month or str(paper.year or "")) if compact \
        else when(paper)
    if date:
        parts.append(Content(date))
    if paper.categories:
        parts.append(Content(paper.categories[0] if compact else " ".join(paper.categories)))
    if compact:
        pass
    elif paper.arxiv_id:
        parts.append(Content(f"arXiv {paper.arxiv_id}"))
    else:
        parts.append(Content.styled("no arXiv id known", "italic"))
    return Content(SEP).join(parts)


# A consortium paper lists hundreds of authors (The Llama 3 Herd of Models: 533): in the
# pane they would push the abstract off the screen, so the pane names the first few and
# counts the rest; reading mode and `paperdeck show` give them all.
AUTHORS_SHOWN = 12


def authors_line(paper: Paper, limit: int | None = None) -> str:
    """The authors, comma-separated; with `limit`, the first `limit` and how many more."""
    names = paper.authors
    if limit is not None and len(names) > limit + 1:
        shown = ", ".join(names[:limit])
        return readable(f"{shown} … and {len(names) - limit} more ({len(names)} authors)")
    return readable(", ".join(names))


def publication_line(paper: Paper) -> str:
    """`venue · DOI 10.1/x` (empty when neither is known)."""
    parts = []
    if paper.venue:
        parts.append(readable(paper.venue))
    if paper.doi:
        parts.append(f"DOI {paper.doi}")
    return SEP.join(parts)


def summaries(paper: Paper) -> Content | None:
    """What each digest said of the paper in its own words, labelled with the digest:
    never passed off as the abstract."""
    said = []
    seen: set[str] = set()
    for src in paper.sources:
        text = (getattr(src, "summary", None) or "").strip()
        if not text or text in seen:
            continue
        seen.add(text)
        who = src.layout + (f" ({src.label})" if src.label else "")
        said.append(Content.assemble((f"{who} said: ", f"{LABEL} italic"), text))
    if not said:
        return None
    return Content("\n").join(said)


def fold_link(url: str, width: int) -> str:
    """A link that does not fit `width` broken after a `/` (never inside the arXiv id
    or a word): `https://arxiv.org/abs/` then `2406.15319`."""
    if width <= 0 or len(url) <= width:
        return url
    lines, rest = [], url
    while len(rest) > width:
        cut = rest.rfind("/", 0, width)
        if cut <= 0:
            break
        lines.append(rest[:cut + 1])
        rest = rest[cut + 1:]
    lines.append(rest)
    return "\n".join(lines)


def links(paper: Paper) -> list[tuple[str, str]]:
    """(what, url) of every link the paper has, the arXiv page first."""
    out = []
    if paper.url:
        out.append(("arXiv", paper.url))
    if paper.pdf_url:
        out.append(("PDF", paper.pdf_url))
    elif paper.arxiv_id:
        out.append(("PDF", f"https://arxiv.org/pdf/{paper.arxiv_id}"))
    if paper.code_url:
        out.append(("Code", paper.code_url))
    if paper.link and paper.link not in {u for _, u in out}:
        out.append(("Link", paper.link))
    return out


def details(paper: Paper, width: int) -> Content:
    """Links, comments, keywords and the sources, one labelled field a line (a value
    too long for `width` goes on below its label)."""
    rows: list[tuple[str, str]] = []
    for what, url in links(paper):
        rows.append((what, url))
    for code in paper.categories:
        name = category_name(code)
        rows.append(("Category", code if name == code else f"{code} {name}"))
    if paper.published and len(paper.published) < 10 and not paper.week:
        rows.append(("Published", paper.published))
    if paper.comments:
        rows.append(("Comments", readable(paper.comments)))
    if paper.keywords:
        rows.append(("Keywords", ", ".join(readable(k) for k in paper.keywords)))
    for src in paper.sources:
        where = src.file + (f" · {src.label}" if src.label else "")
        votes = f" · {src.votes_text}" if src.votes_text else ""
        rows.append(("Source", f"{where} · {src.layout} · line {src.line}{votes}"))
    # Beside its label where there is room; in a narrow pane, below it.
    label_width = 10 if width >= 34 else 0
    parts: list[Content | str | tuple[str, str]] = []
    for i, (label, value) in enumerate(rows):
        if i:
            parts.append("\n")
        is_link = value.startswith(("http://", "https://"))
        inline = width - label_width if label_width else width - 2
        if not label_width or (is_link and len(value) > inline):
            parts.append((label, LABEL))
            parts.append("\n")
            indent = "" if is_link else "  "
            if is_link:  # broken only after a `/`
                parts.append((fold_link(value, max(8, width)), "underline"))
            else:
                lines = textwrap.wrap(value, max(8, inline), break_on_hyphens=False)
                parts.append("\n".join(indent + line for line in lines))
            continue
        parts.append((f"{label:<{label_width}}", LABEL))
        if is_link:
            parts.append((value, "underline"))
        else:  # continued below the value's start, not below the label
            lines = textwrap.wrap(value, max(8, inline), break_on_hyphens=False) or [""]
            parts.append(("\n" + " " * label_width).join(lines))
    return Content.assemble(*parts)


HIGHLIGHT = "bold reverse"

Spans = list[tuple[int, int]]


def highlighted(text: str, spans: Spans, base: str = "") -> Content:
    """`text` with the search words (`spans`) highlighted."""
    content = Content.styled(text, base) if base else Content(text)
    for start, end in spans:
        if 0 <= start < end <= len(text):
            content = content.stylize(HIGHLIGHT, start, end)
    return content


def title_content(title: str, derived: bool, spans: Spans | None = None) -> Content:
    style = "bold italic" if derived else "bold"
    content = highlighted(title, spans or [], style)
    if derived:
        content = Content.assemble(("~", "bold italic"), content, "\n",
                                   (DERIVED_NOTE, f"{MUTED} italic"))
    return content
