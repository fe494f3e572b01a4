"""Which key of a JSON object (or column of a CSV table) holds which field of a paper.

JSON lists, JSON Lines and CSV tables name their fields themselves, each tool its
own way: `title` or `Paper Title`, `abstract`, `summary` or `abstractNote`,
`authors` as one string, a list of names, of `{name}` or of `{family, given}`,
`url`, `paper_url`, `arxiv_id` or `id`, `published`, `publishedAt`, `issued`
or `year`. Names are compared case-insensitively with `_`, `-`, `.` and spaces
ignored, at the top level first and then one level down (`paper.title`,
`details.abstract`). A file whose names say nothing is read with the user's
mapping (`--map title=output`): `Document.field_map`, {record field: key path}.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from paperdeck.index.links import arxiv_id_of_doi, arxiv_month_of, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record, category_code

from .base import check_limits, title_problem
from .dates import iso_date, year_of
from .document import Document

# --- names ------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def norm(name: str) -> str:
    """A key as compared: `Paper_URL`, `paper-url`, `paperUrl` and `paper url` are one."""
    return re.sub(r"[\s_.\-]+", "", name.lower())


# Candidate names per field, most telling first (normalised).
TITLE = ("title", "papertitle", "articletitle", "name", "papername", "paper")
TOP_ONLY = frozenset({"name", "papername", "paper", "id"})  # too vague one level down
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
DATE = ("published", "publishedat", "publicationdate", "pubdate", "date", "submitted",
        "created", "createdat", "issued", "year", "updatedate", "updated")
CATEGORIES = ("categories", "category", "subjects", "subject", "primarycategory",
              "arxivcategories", "arxivcategory")
DOI = ("doi",)
VENUE = ("venue", "journal", "journalref", "journaltitle", "containertitle", "booktitle",
         "conference", "publicationtitle", "proceedingstitle", "proceeding", "publication")
COMMENTS = ("comments", "comment", "arxivcomment", "arxivcomments")
KEYWORDS = ("keywords", "keyword", "tags", "aikeywords", "topics")

# Names that say "this is a paper" (used to tell a list of papers from other lists).
_TELLING = frozenset(TITLE + ABSTRACT + ("summary",) + ARXIV + LINK + DOI) - {"id", "name"}
# Objects one level down worth looking into first, and those that describe someone else.
_CONTAINERS = ("paper", "details", "metadata", "data", "attributes", "item", "fields",
               "record", "entry", "article", "document", "info", "externalids", "ids")
_PEOPLE = frozenset({"submittedby", "submittedondailyby", "organization", "owner", "user",
                     "uploader", "submitter", "claimedby", "publisher"})

# What --map accepts on its left, and the record field each name means.
FIELDS = ("title", "abstract", "summary", "authors", "url", "arxiv_id", "published",
          "categories", "doi", "venue", "comments", "code_url", "pdf_url", "keywords")
_ALIASES = {norm(f): f for f in FIELDS} | {
    "author": "authors", "link": "url", "arxiv": "arxiv_id", "id": "arxiv_id",
    "date": "published", "year": "published", "category": "categories",
    "journal": "venue", "code": "code_url", "pdf": "pdf_url", "tags": "keywords",
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


# --- reading values -----------------------------------------------------------------------


def clean(text: str) -> str:
    """One line of text: HTML entities decoded, runs of whitespace one space."""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return True


def _text(value: Any) -> str | None:
    """Text of a value: strings, numbers, a list of strings, a `{text}` object (tldr)."""
    if isinstance(value, str):
        return clean(value) or None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        parts = [clean(v) for v in value if isinstance(v, str) and v.strip()]
        return " ".join(parts) or None
    if isinstance(value, dict):
        for key in ("text", "value", "literal", "name"):
            if isinstance(value.get(key), str):
                return clean(value[key]) or None
    return None


def _strings(value: Any) -> list[str]:
    """Every string in a value or one level of list (github_links: [...])."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _web(value: Any) -> str | None:
    for s in _strings(value):
        if re.match(r"(?i)(https?://|www\.)\S+$", s):
            return s
    return None


def _flip(name: str) -> str:
    """`Vaswani, Ashish` -> `Ashish Vaswani`; anything else as it is."""
    if name.count(",") == 1:
        last, first = (p.strip() for p in name.split(","))
        if last and first:
            return f"{first} {last}"
    return name


_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b)\s*")


def _split_names(text: str) -> list[str]:
    """Authors written as one string: `A and B`, `A, B and C`, `Last, First; Last, First`."""
    text = clean(text)
    if ";" in text:
        return [_flip(p.strip()) for p in text.split(";") if p.strip()]
    halves = re.split(r"\s+and\s+", text)
    if len(halves) > 1 and all(h.count(",") == 1 for h in halves):  # BibTeX style
        return [_flip(h) for h in halves]
    return [p for p in _NAME_SEPARATORS.split(text) if p]


def _person(item: Any) -> str | None:
    if isinstance(item, str):
        return _flip(clean(item)) or None
    if isinstance(item, list):  # arXiv's authors_parsed: [last, first, suffix]
        parts = [clean(p) for p in item if isinstance(p, str)]
        if parts:
            last, first, rest = parts[0], parts[1:2], parts[2:]
            return " ".join(p for p in [*first, last, *rest] if p) or None
        return None
    if isinstance(item, dict):
        kind = item.get("creatorType")
        if isinstance(kind, str) and kind.lower() not in ("author", "contributor"):
            return None  # a Zotero editor or translator is not an author
        lower = {norm(k): v for k, v in item.items() if isinstance(v, str) and v.strip()}
        for first, last in (("given", "family"), ("firstname", "lastname"),
                            ("first", "last"), ("forename", "surname")):
            if last in lower:
                return clean(f"{lower.get(first, '')} {lower[last]}")
        for key in ("name", "fullname", "literal", "displayname"):
            if key in lower:
                return clean(lower[key])
    return None


def authors_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return _split_names(value)
    if isinstance(value, list):
        return [p for p in map(_person, value) if p]
    if isinstance(value, dict):  # one author given alone
        person = _person(value)
        return [person] if person else []
    return []


def date_of(value: Any) -> str | None:
    """ISO date of a string, a year number, or CSL-JSON's `{date-parts: [[y, m, d]]}`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return iso_date(str(int(value))) if value == int(value) else None
    if isinstance(value, str):
        return iso_date(value)
    if isinstance(value, dict):
        parts = value.get("date-parts") or value.get("dateParts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            try:
                nums = [int(p) for p in parts[0][:3]]
            except (TypeError, ValueError):
                nums = []
            if nums:
                return iso_date("-".join(f"{n:02d}" for n in nums) if len(nums) > 1
                                else str(nums[0]))
        for key in ("raw", "literal", "date-time", "timestamp"):
            if isinstance(value.get(key), str):
                return iso_date(value[key])
    if isinstance(value, list) and value:
        return date_of(value[0])
    return None


_CODE_LIKE = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?")


def _terms(value: Any, codes: bool) -> list[str]:
    """Categories or keywords from a string (`;`/`,` lists, or arXiv's `cs.CL cs.LG`)."""
    items: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, dict):
            v = v.get("term") or v.get("tag") or v.get("name")
        if not isinstance(v, str) or not v.strip():
            continue
        if ";" in v or "," in v:
            items += [p.strip() for p in re.split(r"[;,]", v) if p.strip()]
        elif codes and all(_CODE_LIKE.fullmatch(t) for t in v.split()):
            items += v.split()
        else:
            items.append(clean(v))
    if codes:
        items = [category_code(i) for i in items]
    return list(dict.fromkeys(items))


_ANNOUNCE = re.compile(r"\s*arXiv:\s*(\S+)\s+Announce\s+Type:\s*[\w-]+\s*(?:Abstract:\s*)?",
                       re.IGNORECASE)


def _is_name(title: str, abstract: str) -> bool:
    """A short name standing for the title (`Llemma`, `Self-RAG`), not the title itself.

    One word is a name; two or three words are one when the abstract introduces
    them by that name ("We present Llemma, ..."). Longer titles and titles with a
    colon are real titles.
    """
    words = title.split()
    if ":" in title or len(words) > 3:
        return False
    return len(words) == 1 or (bool(abstract) and title in abstract)


# --- finding fields in one object --------------------------------------------------------


class _View:
    """One object's keys, normalised, with the objects one level down."""

    __slots__ = ("nested", "top")

    def __init__(self, obj: Mapping[str, Any], skip: frozenset[str]):
        self.top: dict[str, tuple[str, Any]] = {}
        nested: list[tuple[int, str, dict[str, tuple[str, Any]]]] = []
        for key, value in obj.items():
            nk = norm(key)
            if nk in skip or nk in self.top:
                continue
            self.top[nk] = (key, value)
            if isinstance(value, dict) and nk not in _PEOPLE:
                inner = {}
                for k2, v2 in value.items():
                    n2 = norm(k2)
                    if f"{nk}.{n2}" not in skip and n2 not in inner:
                        inner[n2] = (f"{key}.{k2}", v2)
                rank = _CONTAINERS.index(nk) if nk in _CONTAINERS else len(_CONTAINERS)
                nested.append((rank, nk, inner))
        nested.sort(key=lambda t: t[0])
        self.nested = [inner for _, _, inner in nested]

    def get(self, names: Iterable[str], test=_filled) -> tuple[str, Any] | None:
        """(key path, value) of the first name present with a value that passes `test`."""
        names = tuple(names)
        for n in names:
            found = self.top.get(n)
            if found is not None and test(found[1]):
                return found
        for inner in self.nested:
            for n in names:
                if n in TOP_ONLY:
                    continue
                found = inner.get(n)
                if found is not None and test(found[1]):
                    return found
        return None

    def value(self, names: Iterable[str], test=_filled) -> Any:
        found = self.get(names, test)
        return found[1] if found else None

    def telling(self) -> bool:
        """Whether any key says "paper" (a title, an abstract, an id or a link)."""
        return any(n in _TELLING for n in self.top) or any(
            n in _TELLING and n not in TOP_ONLY for inner in self.nested for n in inner)


def looks_like_paper(obj: Mapping[str, Any]) -> bool:
    """Whether an object's keys say it is a paper (sniff's question)."""
    return _View(obj, frozenset()).telling()


def telling_names(names: Iterable[str]) -> set[str]:
    """Which of a header's column names say "paper": title/abstract, or only a link or id."""
    found = set()
    for name in map(norm, names):
        if name in TITLE or name in ABSTRACT or name == "summary":
            found.add("text")
        elif name in _TELLING or name in ARXIV:
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
            raise DigestError(f"no entries found (read as {self.layout})", line=line)
        raise DigestError(f"cannot tell which {self.what} holds a paper's title or abstract "
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

        def pick(field: str, names: Iterable[str], test=_filled) -> Any:
            if field in self.mapping:
                return mapped.get(field)
            return view.value(names, test)

        title = _text(pick("title", TITLE, lambda v: isinstance(v, (str, int, float))
                           and _filled(v)))
        abstract_key = None if "abstract" in self.mapping else view.get(ABSTRACT)
        if "abstract" in self.mapping:
            abstract = _text(mapped.get("abstract")) or ""
        elif abstract_key is not None:
            abstract = _text(abstract_key[1]) or ""
        else:
            abstract = _text(view.value(("summary",))) or ""
        summary_names = SUMMARY + (("summary",) if abstract_key is not None else ())
        summary = _text(pick("summary", summary_names))

        arxiv_id, version = self._arxiv(view, mapped)
        announce = _ANNOUNCE.match(abstract)
        if announce:  # arXiv's RSS text: "arXiv:2509.05359v1 Announce Type: new Abstract: ..."
            abstract = abstract[announce.end():]
            named = find_arxiv_id("arXiv:" + announce.group(1))
            if named and (arxiv_id is None or named[0] == arxiv_id):
                arxiv_id, version = named[0], named[1] if named[1] is not None else version

        doi = normalise_doi(_text(pick("doi", DOI)))
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
            url = _web(mapped.get("url"))
        else:
            for s in (s for n in LINK if (f := view.get((n,))) for s in _strings(f[1])):
                if find_arxiv_id(s, bare=False) is None and _web(s):
                    url = s
                    break
        year = year_of(published)
        if year is None and arxiv_id:
            month = arxiv_month_of(arxiv_id)
            year = int(month[:4]) if month else None
        return Record(
            layout=self.layout, line=line, abstract=abstract, title=title,
            authors=authors_of(pick("authors", AUTHORS)), year=year,
            arxiv_id=arxiv_id, arxiv_version=version,
            categories=_terms(pick("categories", CATEGORIES), codes=True),
            published=published, doi=doi,
            venue=_text(pick("venue", VENUE, lambda v: isinstance(v, str) and _filled(v))),
            comments=_text(pick("comments", COMMENTS)),
            code_url=_web(pick("code_url", CODE)),
            pdf_url=_web(pick("pdf_url", PDF)),
            url=url,
            keywords=_terms(pick("keywords", KEYWORDS), codes=False),
            summary=summary,
            title_is_name=bool(title) and _is_name(title, abstract),
        )

    def _arxiv(self, view: _View, mapped: dict[str, Any]) -> tuple[str | None, int | None]:
        if "arxiv_id" in self.mapping:
            candidates = _strings(mapped.get("arxiv_id"))
        else:
            candidates = [s for n in ARXIV if (f := view.get((n,))) for s in _strings(f[1])]
            candidates += [s for n in LINK + PDF if (f := view.get((n,)))
                           for s in _strings(f[1])]
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
