"""Plain data of the reader's world: records read from files, papers, sources.

Nothing here touches SQLite, Whoosh or Textual.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

# --- arXiv ids -------------------------------------------------------------

# New-style ids (since 2007): YYMM.NNNN or YYMM.NNNNN, optional version.
ARXIV_ID_RE = re.compile(r"(?<![\w.])(\d{2})(0[1-9]|1[0-2])\.(\d{4,5})(?:v(\d{1,6}))?(?![\w.])")


def parse_arxiv_id(text: str) -> tuple[str, int | None] | None:
    """Return (id without version, version or None) for the first id in `text`."""
    m = ARXIV_ID_RE.search(text)
    if not m:
        return None
    base = f"{m.group(1)}{m.group(2)}.{m.group(3)}"
    return base, int(m.group(4)) if m.group(4) else None


def arxiv_month(arxiv_id: str) -> str | None:
    """`2406.15319` was submitted in June 2024: return "2024-06"."""
    m = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", arxiv_id or "")
    if not m:
        return None
    return f"20{m.group(1)}-{m.group(2)}"


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


# --- categories ------------------------------------------------------------

# arXiv subject names as digests print them, to their codes. "Machine Learning"
# alone is cs.LG; statistics' one is written "Statistics > Machine Learning".
CATEGORY_CODES: dict[str, str] = {
    "Artificial Intelligence": "cs.AI",
    "Computation and Language": "cs.CL",
    "Computer Vision and Pattern Recognition": "cs.CV",
    "Machine Learning": "cs.LG",
    "Information Retrieval": "cs.IR",
    "Neural and Evolutionary Computing": "cs.NE",
    "Robotics": "cs.RO",
    "Software Engineering": "cs.SE",
    "Cryptography and Security": "cs.CR",
    "Human-Computer Interaction": "cs.HC",
    "Computers and Society": "cs.CY",
    "Multiagent Systems": "cs.MA",
    "Sound": "cs.SD",
    "Graphics": "cs.GR",
    "Databases": "cs.DB",
    "Distributed, Parallel, and Cluster Computing": "cs.DC",
    "Programming Languages": "cs.PL",
    "Logic in Computer Science": "cs.LO",
    "Data Structures and Algorithms": "cs.DS",
    "Computational Complexity": "cs.CC",
    "Information Theory": "cs.IT",
    "Multimedia": "cs.MM",
    "Networking and Internet Architecture": "cs.NI",
    "Social and Information Networks": "cs.SI",
    "Computer Science and Game Theory": "cs.GT",
    "Digital Libraries": "cs.DL",
    "Emerging Technologies": "cs.ET",
    "Hardware Architecture": "cs.AR",
    "Performance": "cs.PF",
    "Systems and Control": "eess.SY",
    "Statistics > Machine Learning": "stat.ML",
    "Methodology": "stat.ME",
    "Electrical Engineering and Systems Science > Audio and Speech Processing": "eess.AS",
    "Audio and Speech Processing": "eess.AS",
    "Image and Video Processing": "eess.IV",
    "Signal Processing": "eess.SP",
    "Optimization and Control": "math.OC",
    "Neurons and Cognition": "q-bio.NC",
    "Quantitative Methods": "q-bio.QM",
}

_CODE_NAMES: dict[str, str] = {}
for _name, _code in CATEGORY_CODES.items():
    # the shortest spelling is the display name ("Audio and Speech Processing")
    if _code not in _CODE_NAMES or len(_name) < len(_CODE_NAMES[_code]):
        _CODE_NAMES[_code] = _name.split(" > ")[-1]
_LOWER_CODES = {c.lower(): c for c in _CODE_NAMES}
_LOWER_NAMES = {n.lower(): c for n, c in CATEGORY_CODES.items()}


def category_code(text: str) -> str:
    """An arXiv code for a subject name or code; unknown names are kept as written."""
    t = " ".join(text.split())
    if t.lower() in _LOWER_CODES:
        return _LOWER_CODES[t.lower()]
    if t.lower() in _LOWER_NAMES:
        return _LOWER_NAMES[t.lower()]
    last = t.split(" > ")[-1].lower()
    return _LOWER_NAMES.get(last, t)


def category_name(code: str) -> str:
    return _CODE_NAMES.get(code, code)


# --- text normalisation ------------------------------------------------------


def fold(text: str) -> str:
    """Lowercase ASCII letters and digits only: the spine of a title or abstract."""
    if text.isascii():  # nothing to decompose (most text): skip the per-character pass
        return _NON_ALNUM.sub("", text.lower())
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", t.lower())


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def title_slug(title: str) -> str:
    """A readable, stable key for a paper without an arXiv id."""
    t = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", t.lower())
    slug = "-".join(words)
    if len(slug) > 60:
        digest = hashlib.sha1(fold(title).encode()).hexdigest()[:6]
        slug = slug[:60].rstrip("-") + "-" + digest
    return slug or "untitled-" + hashlib.sha1(title.encode()).hexdigest()[:8]


_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])[.!?](?=\s+[A-Z(])")


def derive_title(abstract: str, limit: int = 120) -> str:
    """The first sentence of an abstract, for a record that has no title."""
    text = " ".join(abstract.split())
    m = _SENTENCE_END.search(text)
    first = text[: m.start() + 1] if m else text
    if len(first) > limit:
        cut = first[:limit].rsplit(" ", 1)[0]
        first = cut + "…"
    return first


# --- records and papers -------------------------------------------------------


@dataclass
class Record:
    """One listing of a paper, as one file carries it. Importers yield these."""

    layout: str  # name of the importer that read it
    line: int  # 1-based line in the file where the record starts
    abstract: str
    title: str | None = None  # None when the file has no title for it
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    arxiv_id: str | None = None  # without version
    arxiv_version: int | None = None
    week: str | None = None  # ISO date (YYYY-MM-DD) of the Sunday closing the week
    categories: list[str] = field(default_factory=list)  # arXiv codes
    date_label: str | None = None  # a page date as printed, e.g. "Mar 11" (no year)
    # What richer sources carry (feeds, BibTeX, JSON, web pages). None / empty when unknown.
    published: str | None = None  # ISO date at the precision known: YYYY-MM-DD or YYYY-MM
    doi: str | None = None  # bare, lower-case: 10.1002/ggge.20071
    venue: str | None = None  # journal, proceedings or conference
    comments: str | None = None  # the authors' comments (pages, figures, "accepted at ...")
    code_url: str | None = None
    pdf_url: str | None = None
    url: str | None = None  # the record's own link when it is not an arXiv one
    keywords: list[str] = field(default_factory=list)
    # The digest's own words about the paper (a one-line pitch, a translated summary):
    # shown and searchable, never passed off as the abstract.
    summary: str | None = None
    # The title is a short name ("GNN-RAG", "Llemma"), not the paper's full title:
    # a merge with a record that has the full title takes that one.
    title_is_name: bool = False
    # The upvotes the listing showed (Hugging Face's daily and trending pages): a count
    # of that listing at that moment, kept with it (never summed across listings).
    upvotes: int | None = None


@dataclass
class Source:
    """Where a paper was listed."""

    file: str  # the digest's file name
    layout: str
    label: str | None  # the week or date it was listed under, if any
    line: int
    summary: str | None = None  # what this digest said of the paper, when it said more
    upvotes: int | None = None  # the votes this listing showed, when it showed any

    def to_json(self) -> dict:
        return {"file": self.file, "layout": self.layout, "label": self.label, "line": self.line,
                "summary": self.summary, "upvotes": self.upvotes}

    @property
    def votes_text(self) -> str | None:
        """`94 upvotes` as the listing showed them, or None when it showed none."""
        if self.upvotes is None:
            return None
        return f"{self.upvotes:,} upvote{'' if self.upvotes == 1 else 's'}"


@dataclass
class Paper:
    key: str
    title: str
    abstract: str
    title_derived: bool = False
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    arxiv_id: str | None = None
    week: str | None = None
    month: str | None = None  # YYYY-MM, from the week or the arXiv id
    categories: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    read: bool = False
    starred: bool = False
    published: str | None = None  # ISO date at the precision known (YYYY-MM-DD or YYYY-MM)
    doi: str | None = None
    venue: str | None = None
    comments: str | None = None
    code_url: str | None = None
    pdf_url: str | None = None
    link: str | None = None  # the best link that is not the arXiv page (DOI, publisher, blog)
    keywords: list[str] = field(default_factory=list)

    @property
    def url(self) -> str | None:
        return arxiv_url(self.arxiv_id) if self.arxiv_id else None

    def to_json(self) -> dict:
        return {
            "key": self.key,
            "arxiv_id": self.arxiv_id,
            "title": self.title,
            "title_derived": self.title_derived,
            "url": self.url,
            "authors": list(self.authors),
            "year": self.year,
            "week": self.week,
            "month": self.month,
            "categories": list(self.categories),
            "sources": [s.to_json() for s in self.sources],
            "read": self.read,
            "starred": self.starred,
            "abstract": self.abstract,
            "published": self.published,
            "doi": self.doi,
            "venue": self.venue,
            "comments": self.comments,
            "code_url": self.code_url,
            "pdf_url": self.pdf_url,
            "link": self.link,
            "keywords": list(self.keywords),
        }


class DigestError(Exception):
    """A file that cannot be read as a digest. The message names the file and line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        self.reason = message
        where = ""
        if path:
            where = f"{path}:{line}: " if line else f"{path}: "
        super().__init__(where + message)

    def at(self, path: str) -> DigestError:
        """The same error, naming the file (importers raise without knowing it)."""
        return DigestError(self.reason, path, self.line)
