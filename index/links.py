"""Identifiers hidden in what sources carry: arXiv ids in any link or citation, DOIs.

Every importer asks here, so that `arxiv.org/pdf/2406.15319v2`, `arXiv:2406.15319`,
`huggingface.co/papers/2406.15319` and `doi.org/10.48550/arXiv.2406.15319` all name
one paper, and old-style ids (`hep-th/9901001`) are read the same way everywhere.
"""

from __future__ import annotations

import re

# New-style ids (since April 2007): YYMM.NNNN (to 2014) or YYMM.NNNNN, optional version.
_NEW = r"(?P<new>\d{2}(?:0[1-9]|1[0-2])\.\d{4,5})"
# Old-style ids (1991 to March 2007): archive[.SUBJECT-CLASS]/YYMMNNN.
_OLD = r"(?P<old>[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{2}(?:0[1-9]|1[0-2])\d{3})"
_VERSION = r"(?:v(?P<v>\d{1,4}))?"

# Where an id is named outright: arxiv.org/abs|pdf|html|format/ID (any arXiv mirror or
# export host), huggingface.co/papers/ID, alphaxiv.org/abs/ID, the arXiv DOI, arXiv:ID.
_LINK = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html|format|ps)/"
    r"|huggingface\.co/papers/"
    r"|alphaxiv\.org/(?:abs|overview|pdf)/"
    r"|10\.48550/arxiv\."
    r"|\barxiv\s*:\s*"
    r"|\barxiv\s+id\s*:?\s*)"
    rf"(?:{_NEW}|{_OLD}){_VERSION}(?!\w|\.\d)",  # `.pdf` may follow, a digit may not
    re.IGNORECASE,
)
# A bare id in running text: only the new style, which cannot be mistaken for a path.
_BARE = re.compile(rf"(?<![\w./-]){_NEW}{_VERSION}(?!\w|\.\d)")
_BARE_OLD = re.compile(rf"^\s*{_OLD}{_VERSION}\s*$")


def _found(m: re.Match) -> tuple[str, int | None]:
    groups = m.groupdict()
    ident = groups.get("new") or groups["old"]
    if groups.get("old"):
        # The archive is lower-case, the subject class upper-case: math.AG/0601001.
        archive, _, number = ident.partition("/")
        arch, dot, subj = archive.partition(".")
        ident = f"{arch.lower()}{dot}{subj.upper()}/{number}"
    return ident, int(m.group("v")) if m.group("v") else None


def find_arxiv_id(text: str | None, bare: bool = True) -> tuple[str, int | None] | None:
    """(id without version, version or None) named in a link or citation, else None.

    With `bare`, a new-style id standing alone in the text counts too (`2406.15319v2`,
    a plain list of ids); an old-style id counts bare only when it is the whole text.
    """
    if not text:
        return None
    m = _LINK.search(text)
    if m:
        return _found(m)
    if bare:
        m = _BARE.search(text) or _BARE_OLD.match(text)
        if m:
            return _found(m)
    return None


def arxiv_month_of(arxiv_id: str) -> str | None:
    """The month an id was submitted: `2406.15319` -> 2024-06, `hep-th/9901001` -> 1999-01."""
    m = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", arxiv_id or "") or re.fullmatch(
        r"[a-z-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}", arxiv_id or "")
    if not m:
        return None
    yy, mm = int(m.group(1)), m.group(2)
    century = 1900 if yy >= 91 else 2000  # the archive began in 1991
    return f"{century + yy}-{mm}"


_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>{}]+)", re.IGNORECASE)


def normalise_doi(text: str | None) -> str | None:
    """A bare, lower-case DOI from `10.x/y`, `doi:10.x/y` or a doi.org link; else None.

    DOIs are case-insensitive by definition; trailing punctuation of running text
    (`.`, `,`, `;`, `)`) is not part of one.
    """
    if not text:
        return None
    m = _DOI.search(text)
    if not m:
        return None
    doi = m.group(1).rstrip(".,;:)]")
    return doi.lower()


def arxiv_id_of_doi(doi: str | None) -> tuple[str, int | None] | None:
    """arXiv's own DOIs (10.48550/arXiv.ID) name an arXiv id."""
    if doi and doi.lower().startswith("10.48550/arxiv."):
        return find_arxiv_id(doi)
    return None
