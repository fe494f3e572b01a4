"""Which key of a JSON object (or column of a CSV table) holds which field of a paper.

JSON lists, JSON Lines and CSV tables name their fields themselves, each tool its
own way: `title` or `Paper Title`, `abstract`, `summary` or `abstractNote`,
`authors` as one string, a list of names, of `{name}` or of `{family, given}`,
`url`, `paper_url`, `arxiv_id` or `id`, `published`, `publishedAt`, `issued`
or `year`. Names are compared case-insensitively with `_`, `-`, `.` and spaces
ignored, at the top level first and then one level down (`paper.title`,
`details.abstract`). A file whose names say nothing is read with the user's
mapping (`--map title=output`): `Document.field_map`, {record field: key path}.
Reading each value (names, dates, categories) is field_values.py's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from paperdeck.index.links import arxiv_id_of_doi, arxiv_month_of, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record

from .base import UnknownFormat, check_limits, title_problem
from .dates import year_of
from .document import Document
from .field_values import (
    authors_of,
    date_of,
    filled,
    is_short_name,
    norm,
    strings,
    terms,
    text_of,
    web_link,
)
from .votes import vote_count

# --- names ------------------------------------------------------------------------------

# Candidate names per field, most telling first (normalised).
TITLE = ("title", "papertitle", "articletitle", "name", "papername", "paper")
TOP_ONLY = frozenset({"name", "papername", "paper", "id"})  # too vague in just any object
ABSTRACT = ("abstract", "abstractnote", "paperabstract", "abstracttext")
# `summary` is the abstract where nothing is called abstract (arXiv's API, Hugging Face);
# beside an abstract it is the digest's own words.
SUMMARY = ("tldr", "aisummary", "description", "pitch", "oneliner", "highlight")
AUTHORS = ("authorsparsed", "authors", "author", "creators", "creator", "authorlist",
           "authornames")
ARXIV = ("arxivid", "arxiv", "eprint", "arxivurl", "arxivpageurl", "arxivlink", "urlabs",
         "id", "paperid")
LINK = ("url", "link", "paperurl", "paperlink", "pageurl", "urlabs", "href", "permalink",
        "website")
PDF = ("pdfurl", "pdf", "pdflink", "urlpdf")
CODE = ("codeurl", "code", "githubrepo", "githublinks", "github", "githuburl", "repo",
        "repository", "repourl", "coderepo", "codelink")
DATE = ("published", "publishedat", "publisheddate", "datepublished", "publicationdate",
        "pubdate", "date", "submitted", "submitteddate", "submissiondate", "created",
        "createdat", "issued", "year", "updatedate", "updated")
CATEGORIES = ("categories", "category", "subjects", "subject", "primarycategory",
              "arxivcategories", "arxivcategory")
DOI = ("doi",)
VENUE = ("venue", "journal", "journalref", "journaltitle", "containertitle", "booktitle",
         "conference", "publicationtitle", "proceedingstitle", "proceeding", "publication")
COMMENTS = ("comments", "comment", "arxivcomment", "arxivcomments")
KEYWORDS = ("keywords", "keyword", "tags", "aikeywords", "topics")
# Hugging Face's `paper.upvotes`; a wrapper's `upvotes` beside it is the same count.
UPVOTES = ("upvotes", "upvotecount", "numupvotes", "votes", "votecount")

# Names that say "this is a paper" (to tell a list of papers from a list of editors or
# links): a title, an abstract, an arXiv id or a DOI; a name or a bare link is not enough.
_TELLING = frozenset(TITLE + ABSTRACT + ("summary",) + ARXIV + DOI) - {
    "id", "name", "papername", "paperid", "urlabs"}
# Objects one level down worth looking into first, and those that describe someone else.
_CONTAINERS = ("paper", "details", "metadata", "data", "attributes", "item", "fields",
               "record", "entry", "article", "document", "info", "externalids", "ids")
_PEOPLE = frozenset({"submittedby", "submittedondailyby", "organization", "owner", "user",
                     "uploader", "submitter", "claimedby", "publisher"})

# What --map accepts on its left, and the record field each name means.
FIELDS = ("title", "abstract", "summary", "authors", "url", "arxiv_id", "published",
          "categories", "doi", "venue", "comments", "code_url", "pdf_url", "keywords",
          "upvotes")
_ALIASES = {norm(f): f for f in FIELDS} | {
    "author": "authors", "link": "url", "arxiv": "arxiv_id", "id": "arxiv_id",
    "date": "published", "year": "published", "category": "categories",
    "journal": "venue", "code": "code_url", "pdf": "pdf_url", "tags": "keywords",
    "votes": "upvotes",
}

MAP_HINT = "--map title=KEY --map abstract=KEY"
# The longest entry (a JSON object, a JSON Lines line, a CSV row) read: a paper's record
# is far shorter (an abstract of at most 100,000 characters, a few thousand authors);
# anything longer is a misread file, refused before it costs memory.
MAX_ENTRY_CHARS = 2 * 1024 * 1024
NOTICE_CAP = 100  # individual notices of one kind; the rest are counted
_JUDGE_AFTER = 20  # objects seen before a file with no paper in them is refused


def map_fields(field_map: Mapping[str, str]) -> dict[str, str]:
    """The user's --map with each field named canonically; unknown names refused."""
    out: dict[str, str] = {}
    for name, key in field_map.items():
        field = _ALIASES.get(norm(str(name)))
        if field is None:
            raise DigestError(f"--map {name}={key}: unknown field {name!r}; the fields are: "
                              + ", ".join(FIELDS))
        if not str(key).strip():
            raise DigestError(f"--map {name}=: no key given for {field}")
        out[field] = str(key).strip()
    return out


_ANNOUNCE = re.compile(r"\s*arXiv:\s*(\S+)\s+Announce\s+Type:\s*[\w-]+\s*(?:Abstract:\s*)?",
                       re.IGNORECASE)


# --- finding fields in one object --------------------------------------------------------


class _View:
    """One object's keys, normalised, with the objects one level down.

    A name is looked up in a wrapper's `paper` object first (Hugging Face's
    `{paper: {...}, publishedAt, ...}`: the item's own dates are when the paper
    was listed), then at the top level, then in the other objects one level down
    (known paper containers first). Vague names (`id`, `name`) are trusted one
    level down only in known paper containers.
    """

    __slots__ = ("names",)

    def __init__(self, obj: Mapping[str, Any], skip: frozenset[str]):
        top: dict[str, tuple[str, Any]] = {}
        first: dict[str, tuple[str, Any]] = {}
        nested: list[tuple[int, dict[str, tuple[str, Any]]]] = []
        for key, value in obj.items():
            nk = norm(key)
            if nk in skip or nk in top:
                continue
            top[nk] = (key, value)
            if isinstance(value, dict) and nk not in _PEOPLE:
                inner = {}
                for k2, v2 in value.items():
                    n2 = norm(k2)
                    if n2 not in inner and (not skip or f"{nk}.{n2}" not in skip):
                        inner[n2] = (f"{key}.{k2}", v2)
                if nk == "paper" and not first:
                    first = inner
                    continue
                rank = _CONTAINERS.index(nk) if nk in _CONTAINERS else len(_CONTAINERS)
                if rank == len(_CONTAINERS):  # unknown: vague names do not count there
                    inner = {n: v for n, v in inner.items() if n not in TOP_ONLY}
                nested.append((rank, inner))
        nested.sort(key=lambda t: t[0])
        # name -> (key path, value) wherever it occurs, in the order the levels are read
        self.names: dict[str, list[tuple[str, Any]]] = {}
        for level in (first, top, *(inner for _, inner in nested)):
            for n, found in level.items():
                self.names.setdefault(n, []).append(found)

    def get(self, names: Iterable[str], test=filled) -> tuple[str, Any] | None:
        """(key path, value) of the first name present with a value that passes `test`."""
        for n in names:
            for found in self.names.get(n, ()):
                if test(found[1]):
                    return found
        return None

    def value(self, names: Iterable[str], test=filled) -> Any:
        found = self.get(names, test)
        return found[1] if found else None

    def telling(self) -> bool:
        """Whether any key says "paper" (a title, an abstract, an arXiv id or a DOI)."""
        return any(n in _TELLING for n in self.names)


def looks_like_paper(obj: Mapping[str, Any]) -> bool:
    """Whether an object's keys say it is a paper (sniff's question)."""
    return _View(obj, frozenset()).telling()


def telling_names(names: Iterable[str]) -> set[str]:
    """Which of a header's column names say "paper": title/abstract, or only a link or id."""
    found = set()
    for name in map(norm, names):
        if name in TITLE or name in ABSTRACT or name == "summary":
            found.add("text")
        elif name in _TELLING or name in LINK:  # not a bare `id`: every table has one
            found.add("link")
    return found


def lookup(obj: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """(found, value) of a key path (`output`, `paper.title`) in an object."""
    if path in obj:
        return True, obj[path]
    current: Any = obj
    for part in path.split("."):
        if not isinstance(current, Mapping):
            return False, None
        if part in current:
            current = current[part]
            continue
        wanted = norm(part)
        for key, value in current.items():
            if norm(key) == wanted:
                current = value
                break
        else:
            return False, None
    return True, current


def _map_skip(mapping: Mapping[str, str]) -> frozenset[str]:
    return frozenset(".".join(norm(p) for p in path.split(".")) for path in mapping.values())


# --- turning objects into records --------------------------------------------------------


class RecordMaker:
    """Makes Records of a file's objects (JSON) or rows (CSV), and judges the file.

    `what` names the file's fields in messages ("key" or "column"). Objects that
    are no paper are passed over with a notice; a file where no object is a paper,
    or where most titles are not titles, is refused with DigestError.
    """

    def __init__(self, layout: str, doc: Document, what: str = "key"):
        self.layout = layout
        self.doc = doc
        self.what = what
        self.mapping = map_fields(doc.field_map)
        self._skip = _map_skip(self.mapping)
        self.seen = 0
        self.kept = 0
        self.keys_seen: dict[str, None] = {}
        self._mapped_found: set[str] = set()
        self._no_fields: list[int] = []  # lines of objects with no paper field
        self._bad_titles: list[tuple[int, str]] = []
        self._quiet: dict[str, int] = {}
        self._other_line: int | None = None  # a list passed over as not papers

    # notices, at most NOTICE_CAP of a kind (a broken million-line file stays small)
    def warn(self, kind: str, message: str, line: int | None) -> None:
        count = self._quiet.get(kind, 0)
        self._quiet[kind] = count + 1
        if count < NOTICE_CAP:
            self.doc.warn(message, line)

    def telling(self, obj: Mapping[str, Any]) -> bool:
        """Whether an object looks like a paper (used to pick the list of papers)."""
        if self.mapping:
            return any(lookup(obj, path)[0] for path in self.mapping.values())
        return _View(obj, self._skip).telling()

    def _note_keys(self, obj: Mapping[str, Any]) -> None:
        if self.seen > _JUDGE_AFTER or len(self.keys_seen) >= 40:
            return
        for key, value in obj.items():
            self.keys_seen.setdefault(str(key))
            if isinstance(value, dict):
                for k2 in list(value)[:20]:
                    self.keys_seen.setdefault(f"{key}.{k2}")

    def note_other(self, obj: Mapping[str, Any], line: int) -> None:
        """A list whose first object is no paper: its keys go into the refusal, if any."""
        self._note_keys(obj)
        if self._other_line is None:
            self._other_line = line

    def keys_text(self) -> str:
        keys = list(self.keys_seen)
        text = ", ".join(keys[:40])
        return text + (", ..." if len(keys) > 40 else "") if keys else "none"

    def record(self, obj: Mapping[str, Any], line: int, where: str = "") -> Record | None:
        """The Record of one object, or None (passed over, with a notice)."""
        self.seen += 1
        self._note_keys(obj)
        rec = self._make(obj, line)
        if rec is None:
            self._no_fields.append(line)
            self.warn("fields", f"{where}no title, abstract or paper id among its "
                      f"{self.what}s ({', '.join(map(str, list(obj)[:12]))}): passed over", line)
        elif rec.title is not None and (problem := title_problem(rec.title)):
            self._bad_titles.append((line, problem))
            self.warn("title", f"{where}{problem} is not a title: passed over", line)
            rec = None
        else:
            self.kept += 1
            check_limits(rec)
        if not self.kept and self.seen >= _JUDGE_AFTER:
            self._refuse()
        return rec

    def finish(self) -> None:
        """Refuse the file when it held no paper, or mostly junk; count what was quiet."""
        self._check_mapped()
        if not self.kept or len(self._bad_titles) > self.kept or len(self._no_fields) > self.kept:
            self._refuse()
        for kind, count in self._quiet.items():
            if count > NOTICE_CAP:
                self.doc.warn(f"{count - NOTICE_CAP:,} more entries passed over ({kind})")

    def _check_mapped(self) -> None:
        """A --map naming a key that no entry has is refused, with the keys there are."""
        missing = [f"{f}={p}" for f, p in self.mapping.items() if p not in self._mapped_found]
        if missing and self.seen:
            raise DigestError(f"--map {' '.join(missing)}: no such {self.what} in the file "
                              f"({self.what}s seen: {self.keys_text()})")

    def _refuse(self) -> None:
        self._check_mapped()
        if self._bad_titles and len(self._bad_titles) >= len(self._no_fields):
            line, problem = self._bad_titles[0]
            raise DigestError(f"{problem} is not a title, and most entries are like it: the "
                              f"titles are under another {self.what}? ({self.what}s seen: "
                              f"{self.keys_text()}; say which with {self._hint()})", line=line)
        line = self._no_fields[0] if self._no_fields else self._other_line
        if not self.keys_seen:
            raise DigestError(f"no paper records found (read as {self.layout})", line=line)
        # A shape nobody can guess is no paper list paperdeck knows: found in a
        # directory it is passed over (with these words), named it is refused.
        raise UnknownFormat(f"cannot tell which {self.what} holds a paper's title or abstract "
                          f"({self.what}s seen: {self.keys_text()}); say which with "
                          f"{self._hint()}", line=line)

    def _hint(self) -> str:
        return MAP_HINT.replace("KEY", self.what.upper())

    # --- the fields ---------------------------------------------------------------------

    def _make(self, obj: Mapping[str, Any], line: int) -> Record | None:
        view = _View(obj, self._skip)
        mapped: dict[str, Any] = {}
        for field, path in self.mapping.items():
            found, value = lookup(obj, path)
            if found:
                self._mapped_found.add(path)
                mapped[field] = value

        def pick(field: str, names: Iterable[str], test=filled) -> Any:
            if field in self.mapping:
                return mapped.get(field)
            return view.value(names, test)

        title = text_of(pick("title", TITLE, lambda v: isinstance(v, (str, int, float))
                           and filled(v)))
        abstract_key = None if "abstract" in self.mapping else view.get(ABSTRACT)
        if "abstract" in self.mapping:
            abstract = text_of(mapped.get("abstract")) or ""
        elif abstract_key is not None:
            abstract = text_of(abstract_key[1]) or ""
        else:
            abstract = text_of(view.value(("summary",))) or ""
        summary_names = SUMMARY + (("summary",) if abstract_key is not None else ())
        summary = text_of(pick("summary", summary_names))

        arxiv_id, version = self._arxiv(view, mapped)
        announce = _ANNOUNCE.match(abstract)
        if announce:  # arXiv's RSS text: "arXiv:2509.05359v1 Announce Type: new Abstract: ..."
            abstract = abstract[announce.end():]
            named = find_arxiv_id("arXiv:" + announce.group(1))
            if named and (arxiv_id is None or named[0] == arxiv_id):
                arxiv_id, version = named[0], named[1] if named[1] is not None else version

        doi = normalise_doi(text_of(pick("doi", DOI)))
        if doi is None and "doi" not in self.mapping:
            link = view.value(LINK)
            if isinstance(link, str) and "doi.org/" in link.lower():
                doi = normalise_doi(link)
        if arxiv_id is None and doi and (from_doi := arxiv_id_of_doi(doi)):
            arxiv_id, version = from_doi

        if not (title or abstract or arxiv_id or doi):
            return None

        published = self._published(view, mapped)
        url = None
        if "url" in self.mapping:
            url = web_link(mapped.get("url"))
        else:
            for s in (s for n in LINK for _, v in view.names.get(n, ()) for s in strings(v)):
                if find_arxiv_id(s, bare=False) is None and web_link(s):
                    url = s
                    break
        year = year_of(published)
        if published and len(published) < 7:
            published = None  # a year alone is the record's year, not a publication date
        if year is None and arxiv_id:
            month = arxiv_month_of(arxiv_id)
            year = int(month[:4]) if month else None
        return Record(
            layout=self.layout, line=line, abstract=abstract, title=title,
            authors=authors_of(pick("authors", AUTHORS)), year=year,
            arxiv_id=arxiv_id, arxiv_version=version,
            categories=terms(pick("categories", CATEGORIES), codes=True),
            published=published, doi=doi,
            venue=text_of(pick("venue", VENUE, lambda v: isinstance(v, str) and filled(v))),
            comments=text_of(pick("comments", COMMENTS)),
            code_url=web_link(pick("code_url", CODE)),
            pdf_url=web_link(pick("pdf_url", PDF)),
            url=url,
            keywords=terms(pick("keywords", KEYWORDS), codes=False),
            summary=summary,
            title_is_name=bool(title) and is_short_name(title, abstract),
            upvotes=vote_count(pick("upvotes", UPVOTES, lambda v: vote_count(v) is not None)),
        )

    def _arxiv(self, view: _View, mapped: dict[str, Any]) -> tuple[str | None, int | None]:
        if "arxiv_id" in self.mapping:
            candidates = strings(mapped.get("arxiv_id"))
        else:
            candidates = [s for n in ARXIV + LINK + PDF for _, v in view.names.get(n, ())
                          for s in strings(v)]
        for s in candidates:
            if len(s) > 2000:  # not an id nor a link
                continue
            found = find_arxiv_id(s)
            if found:
                return found[0], found[1] if found[1] is not None else self._last_version(view)
        return None, None

    @staticmethod
    def _last_version(view: _View) -> int | None:
        versions = view.value(("versions",))
        if isinstance(versions, list) and versions and isinstance(versions[-1], dict):
            m = re.fullmatch(r"v(\d{1,4})", str(versions[-1].get("version", "")))
            if m:
                return int(m.group(1))
        return None

    def _published(self, view: _View, mapped: dict[str, Any]) -> str | None:
        if "published" in self.mapping:
            return date_of(mapped.get("published"))
        versions = view.value(("versions",))
        if isinstance(versions, list) and versions and isinstance(versions[0], dict):
            first = date_of(versions[0].get("created"))  # arXiv: v1 is the publication
            if first:
                return first
        for name in DATE:
            found = view.get((name,))
            if found and (iso := date_of(found[1])):
                return iso
        return None
