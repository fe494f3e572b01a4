"""BibTeX and biblatex files (Zotero, Mendeley, JabRef, Google Scholar, arXiv's export).

    @misc{vaswani2017attention,
      title = {Attention Is All You Need},
      author = {Vaswani, Ashish and Shazeer, Noam},
      year = {2017}, eprint = {1706.03762}, archivePrefix = {arXiv}, primaryClass = {cs.CL}
    }

bibtexparser (2.x) splits the file into entries, each with its line; the values are
read here: @string macros and `#` joins, month macros (`month = jun`), biblatex
`date`, LaTeX into Unicode (paperdeck.index.latex), `Last, First` names, the arXiv
id wherever an exporter put it (`eprint`, `arxivId`, the arXiv DOI, a link, `journal =
{arXiv preprint arXiv:ID}`, a note), `crossref` parents. An entry that cannot be read
(no title, braces that never close) is passed over with a notice naming its line; a
missing comma between two fields (`langid = {english}` NEWLINE `file = ...`) is
mended with a notice. The file is refused only when no entry can be read, or when
most of it is text outside any entry (a web page or a README quoting one entry).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterator

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    Entry,
    ImplicitComment,
    ParsingFailedBlock,
    String,
)

from paperdeck.index.latex import to_unicode
from paperdeck.index.links import arxiv_id_of_doi, find_arxiv_id, normalise_doi
from paperdeck.index.model import DigestError, Record, category_code

from .base import MAX_ABSTRACT_CHARS, MAX_AUTHORS, head_lines, title_problem
from .dates import iso_date, year_of
from .document import Document

NAME = "bibtex"
DESCRIPTION = "BibTeX / biblatex (.bib): @article{key, title = {...}, author = {...}, ...}"

# bibtexparser logs each entry it gives up on; those reach the user as notices from
# here (with the file and line), never as stray lines on stderr.
_log = logging.getLogger("bibtexparser")
_log.addHandler(logging.NullHandler())
_log.propagate = False

_HEAD = re.compile(r"[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^\s,={}()\"#%'@]*)[ \t]*(,?)")
_FIELD = re.compile(r"[ \t]*[A-Za-z][\w:.+-]*[ \t]*=[ \t]*[{\"\w]")
_CLOSER = re.compile(r"[ \t]*[})][ \t]*,?[ \t]*")
_SPECIAL = {"string", "comment", "preamble"}
# Containers that entries name through `crossref`: a volume, not a paper.
_VOLUMES = {"proceedings", "mvproceedings", "book", "mvbook", "collection", "mvcollection",
            "reference", "mvreference"}
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
# What is left of a venue that only says "arXiv" (`arXiv preprint arXiv:2303.08774`,
# `arXiv:1706.03762 [cs]`, `CoRR abs/1706.03762`) once its ids are taken out.
_ARXIV_REF = re.compile(r"arxiv\s*:\s*\S+|abs/\S+|\[[^\]]*\]|\b\d[\d./]*(?:v\d+)?\b",
                        re.IGNORECASE)
_ARXIV_WORDS = {"arxiv", "preprint", "e-prints", "eprints", "e-print", "corr", "preprints"}
_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]{2,})?")  # cs.CL, hep-th, math.AG
# A field running on from the one before it, the comma between them missing.
_RUN_ON = re.compile(r"[ \t]*\r?\n[ \t]*([A-Za-z][\w:.+-]*)[ \t]*=[ \t]*")
_URL_MACRO = re.compile(r"\\url\s*\{([^{}]*)\}")
_SPACE = re.compile(r"\s+")


# --- detection ----------------------------------------------------------------------------


def sniff(head: str) -> float:
    """High when the first meaningful lines are entries (`@type{key,`) and their fields."""
    lines = [ln for ln in head_lines(head.lstrip("\ufeff"), 400) if ln.strip()]
    meaningful = [ln for ln in lines if not ln.lstrip().startswith("%")]
    if not meaningful:
        return 0.0
    heads = first = 0
    structural = 0
    for i, line in enumerate(meaningful):
        m = _HEAD.match(line)
        if m and (m.group(1).lower() in _SPECIAL or (m.group(2) and m.group(3))):
            if not heads:
                first = i
            heads += 1
            structural += 1
        elif _FIELD.match(line) or _CLOSER.fullmatch(line):
            structural += 1
    if not heads:
        return 0.0
    share = structural / len(meaningful)
    if first <= 4:  # JabRef 2 wrote two lines of free text before the first entry
        return 0.6 + 0.35 * min(1.0, share / 0.5)
    return 0.7 if share >= 0.8 else min(0.45, share / 2)


# --- values: macros, joins, run-on fields -------------------------------------------------


def _parts(raw: str) -> list[str]:
    """The pieces of a value joined with `#` (outside braces and quotes)."""
    parts, depth, quoted, start = [], 0, False, 0
    if "#" not in raw:
        return [raw]
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i])
            start = i + 1
    parts.append(raw[start:])
    return parts


def _resolve(raw: str, strings: dict[str, str]) -> str:
    """The text of a raw value: literals unwrapped, macros looked up, pieces joined."""
    out = []
    for part in _parts(raw.strip()):
        p = part.strip()
        if len(p) >= 2 and p[0] == "{" and p[-1] == "}" or len(p) >= 2 and p[0] == p[-1] == '"':
            out.append(p[1:-1])
        elif p.lower() in strings:
            out.append(strings[p.lower()])
        elif p.lower()[:3] in _MONTHS and len(p) == 3:
            out.append(calendar.month_name[_MONTHS[p.lower()]])  # BibTeX's own month macros
        else:
            out.append(p)
    return "".join(out)


def _split_run_on(key: str, raw: str) -> list[tuple[str, str]]:
    """[(key, raw value)]: one field, or several when commas between them are missing.

    A `NEWLINE name =` outside braces and quotes starts another field.
    """
    if "=" not in raw or "\n" not in raw:
        return [(key, raw)]
    out, start, depth, quotes, counted = [], 0, 0, 0, 0
    for m in _RUN_ON.finditer(raw):
        if m.start() < start:
            continue
        between = raw[counted:m.start()]  # counts carried along: one pass over the value
        depth += between.count("{") - between.count("}")
        quotes += between.count('"')
        counted = m.start()
        if depth == 0 and quotes % 2 == 0:
            out.append((key, raw[start:m.start()]))
            key, start = m.group(1), m.end()
            depth, quotes, counted = 0, 0, m.end()
    out.append((key, raw[start:]))
    return out


def _fields(entry: Entry, strings: dict[str, str], doc: Document) -> dict[str, str]:
    """The entry's fields, lower-case names, values resolved (the first of a repeated one)."""
    fields: dict[str, str] = {}
    for field in entry.fields:
        pieces = _split_run_on(field.key, field.value if isinstance(field.value, str)
                               else str(field.value))
        if len(pieces) > 1:
            names = " and ".join(f"'{k}'" for k, _ in pieces[:2])
            if len(pieces) > 2:
                names += f" (and {len(pieces) - 2:,} more)"
            doc.warn(f"entry '{entry.key}': a comma is missing between the fields {names}; "
                     "read as separate fields", (field.start_line or entry.start_line or 0) + 1)
        for key, raw in pieces:
            fields.setdefault(key.lower(), _resolve(raw, strings))
    return fields


# --- one entry into a record ---------------------------------------------------------------


class _Skip(Exception):
    """An entry passed over, and why."""


def _text(value: str | None) -> str:
    return _SPACE.sub(" ", to_unicode(value)).strip() if value else ""


def _authors(value: str | None) -> list[str]:
    if not value or not value.strip():
        return []
    names = []
    for raw in split_multiple_persons_names(value):
        if raw.strip().lower() == "others":  # "and others": et al.
            continue
        try:
            name = parse_single_name_into_parts(raw, strict=False).merge_first_name_first
        except Exception:  # noqa: BLE001 - a name it cannot split is kept as written
            name = raw
        name = _text(name)
        if name:
            names.append(name)
    return names


def _published(f: dict[str, str]) -> str | None:
    """biblatex `date` (a range gives its start), else `year` with `month` and `day`."""
    if f.get("date"):
        found = iso_date(f["date"].split("/")[0])
        if found:
            return found
    year = iso_date(f.get("year", ""))
    if not year:
        return None
    month = f.get("month", "").strip().strip(".")
    if month.isdigit() and 1 <= int(month) <= 12:
        month_number = int(month)
    else:
        month_number = _MONTHS.get(month.lower()[:3]) if len(month) >= 3 else None
        if month_number and not calendar.month_name[month_number].lower().startswith(
                month.lower()):
            month_number = None
    if not month_number:
        return year[:4]
    day = f.get("day", "").strip()
    return iso_date(f"{year[:4]}-{month_number:02d}" + (f"-{int(day):02d}" if day.isdigit()
                                                       else "")) or f"{year[:4]}-{month_number:02d}"


def _arxiv(f: dict[str, str]) -> tuple[str, int | None] | None:
    archive = (f.get("archiveprefix") or f.get("eprinttype") or "arxiv").strip().lower()
    if f.get("eprint") and archive == "arxiv":
        found = find_arxiv_id(f["eprint"])
        if found:
            return found
    if f.get("arxivid"):
        found = find_arxiv_id(f["arxivid"])
        if found:
            return found
    found = arxiv_id_of_doi(normalise_doi(f.get("doi")))
    if found:
        return found
    for name in ("url", "howpublished", "note", "journal", "journaltitle", "booktitle",
                 "eprint", "pdf", "annote"):
        found = find_arxiv_id(f.get(name), bare=False)
        if found:
            return found
    return None


def _venue(f: dict[str, str]) -> str | None:
    for name in ("journaltitle", "journal", "booktitle"):
        venue = _text(f.get(name))
        if venue and not arxiv_only(venue):
            return venue
    return None


def arxiv_only(venue: str) -> bool:
    """Whether a journal name only says that the paper is on arXiv (no venue of its own)."""
    words = re.findall(r"[\w-]+", _ARXIV_REF.sub(" ", venue).lower())
    return all(w in _ARXIV_WORDS for w in words) and ("arxiv" in venue.lower() or "corr" in words)


def _url(f: dict[str, str]) -> str | None:
    for value in (f.get("url"), *_URL_MACRO.findall(f.get("howpublished", ""))):
        link = (value or "").strip()
        if link and find_arxiv_id(link, bare=False) is None:
            return link
    return None


def _record(entry: Entry, f: dict[str, str], line: int) -> Record:
    title = _text(f.get("title"))
    if not title:
        raise _Skip(f"entry '{entry.key}' has no title")
    problem = title_problem(title)
    if problem:
        raise _Skip(f"entry '{entry.key}': its title is {problem}, not a title")
    abstract = _text(f.get("abstract"))
    if len(abstract) > MAX_ABSTRACT_CHARS:
        raise _Skip(f"entry '{entry.key}': an abstract of {len(abstract):,} characters; the "
                    f"longest paperdeck accepts is {MAX_ABSTRACT_CHARS:,}")
    authors = _authors(f.get("author"))
    if len(authors) > MAX_AUTHORS:
        raise _Skip(f"entry '{entry.key}': {len(authors):,} authors; at most {MAX_AUTHORS:,}")
    published = _published(f)
    arxiv = _arxiv(f)
    primary = (f.get("primaryclass") or f.get("eprintclass") or "").strip()
    note = _text(f.get("note"))
    if note and find_arxiv_id(note, bare=False) and len(note) < 40:
        note = ""  # `note = {arXiv:2106.09685}` says only where the paper is
    keywords = [_text(k) for k in re.split(r"[,;]", f.get("keywords", "")) if k.strip()]
    pdf = (f.get("pdf") or "").strip()
    return Record(
        layout=NAME, line=line, abstract=abstract, title=title, authors=authors,
        year=year_of(published), published=published if published and len(published) > 4
        else None,
        arxiv_id=arxiv[0] if arxiv else None, arxiv_version=arxiv[1] if arxiv else None,
        categories=[category_code(primary)] if _CATEGORY.fullmatch(primary) else [],
        doi=normalise_doi(f.get("doi")), venue=_venue(f), comments=note or None,
        url=_url(f), pdf_url=pdf if pdf.startswith(("http://", "https://")) else None,
        keywords=[k for k in keywords if k],
    )


# --- the file ----------------------------------------------------------------------------


def _line_of(text: str, index: int | None) -> int | None:
    return None if index is None else text.count("\n", 0, index) + 1


def _split(text: str) -> bibtexparser.Library:
    try:
        # No middleware: values stay raw, so that macros, `#` joins and a missing
        # comma are read here, where each gets a notice with its line.
        return bibtexparser.parse_string(text, parse_stack=[])
    except RecursionError as err:
        raise DigestError("BibTeX nested too deeply to read") from err
    except Exception as err:  # noqa: BLE001 - bibtexparser's own bugs: say so, with no trace
        raise DigestError(f"BibTeX parser failed on this file ({type(err).__name__})") from err


def _outside_text(lib: bibtexparser.Library) -> tuple[int, int, int | None]:
    """(characters outside any entry, characters in entries, the first such text's line)."""
    outside = inside = 0
    first = None
    for block in lib.blocks:
        raw = block.raw or ""
        if isinstance(block, ImplicitComment):
            text = "".join(ln for ln in raw.splitlines() if not ln.lstrip().startswith("%"))
            size = len("".join(text.split()))
            if size and first is None:
                first = (block.start_line or 0) + 1
            outside += size
        else:
            inside += len("".join(raw.split()))
    return outside, inside, first


def parse(doc: Document) -> Iterator[Record]:
    text = doc.text().lstrip("\ufeff")
    lib = _split(text)
    outside, inside, first_text = _outside_text(lib)
    if outside > inside:
        raise DigestError("not a BibTeX file: most of it is text outside any @entry{...}",
                          line=first_text)
    strings: dict[str, str] = {}
    entries: list[tuple[int, Entry]] = []
    failures: list[tuple[int, str]] = []
    seen_keys: dict[str, int] = {}
    for block in lib.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, String):
            strings[block.key.lower()] = _resolve(str(block.value), strings)
        elif isinstance(block, Entry):
            entries.append((line, block))
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(
                block.ignore_error_block, Entry):
            first = seen_keys.get(block.key.lower())
            doc.warn(f"entry key '{block.key}' is used again"
                     + (f" (first at line {first})" if first else "") + "; read as another entry",
                     line)
            entries.append((line, block.ignore_error_block))
        elif isinstance(block, ParsingFailedBlock):
            entry = block.ignore_error_block
            if isinstance(entry, Entry):  # a field given twice: the first one is kept
                twice = ", ".join(f"'{k}'" for k in sorted(getattr(block, "duplicate_keys", ())))
                doc.warn(f"entry '{entry.key}': the field {twice or '?'} is given twice; the "
                         "first value is kept", line)
                entries.append((line, entry))
                continue
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            stop = _line_of(text, getattr(block.error, "end_index", None))
            where = f" (reading stopped at line {stop})" if stop and stop != line else ""
            message = f"entry could not be read{where}: {' '.join(str(reason).split())}"
            doc.warn(message + "; passed over", line)
            failures.append((line, message))
        if isinstance(block, Entry):
            seen_keys.setdefault(block.key.lower(), line)

    fields = {id(e): _fields(e, strings, doc) for _, e in entries}
    by_key = {e.key.lower(): e for _, e in entries}
    parent_keys = {(f.get("crossref") or f.get("xref") or "").strip().lower()
                   for f in fields.values()} - {""}
    records: list[Record] = []
    bad_titles: list[tuple[int, str]] = []
    for line, entry in entries:
        if entry.key.lower() in parent_keys and entry.entry_type.lower() in _VOLUMES:
            continue  # a volume its papers point to with crossref
        if entry.entry_type.lower() in {"xdata", "set"}:
            continue  # biblatex's shared data and entry sets: no paper of their own
        f = fields[id(entry)]
        parent_key = (f.get("crossref") or f.get("xref") or "").strip().lower()
        parent = by_key.get(parent_key) if parent_key else None
        if parent is not None and parent is not entry:
            inherited = dict(fields[id(parent)])
            if "title" in inherited:
                inherited.setdefault("booktitle", inherited["title"])
            for name in ("title", "author", "abstract", "eprint", "arxivid", "doi", "url"):
                inherited.pop(name, None)
            f = {**inherited, **f}
        try:
            records.append(_record(entry, f, line))
        except _Skip as skip:
            doc.warn(f"{skip}; passed over", line)
            failures.append((line, str(skip)))
            if "not a title" in str(skip):
                bad_titles.append((line, str(skip)))
    if not records:
        if failures:
            line, message = min(failures)
            raise DigestError(f"no BibTeX entry could be read: {message}", line=line)
        raise DigestError("no BibTeX entry found (such as '@article{key, title = {...}}')",
                          line=1)
    if len(bad_titles) > len(records):
        raise DigestError(f"not a BibTeX file of papers: {bad_titles[0][1]} (and "
                          f"{len(bad_titles) - 1} more)", line=bad_titles[0][0])
    yield from records
