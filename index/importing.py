"""Importing paper lists: files to records (the sources package), records grouped into
papers (merge), written to SQLite. Each file is one transaction: it lands whole or not
at all, whatever the others do. Records stream from the file's layout in batches, each
batch matched against the library through SQLite, so memory is bounded by the batch.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from . import sources
from .faults import checkpoint
from .latex import readable
from .merge import Group, Merged, combine, group_records, identify, match_keys
from .model import DigestError, Record
from .sources.document import ENCODING_NAMES, LATIN, LATIN1
from .store import Store, chunked, placeholders
from .upkeep import generation, set_generation
from .views import ImportReport, Progress

# A batch is merged when it holds this many records or this many characters of text,
# whichever comes first: what bounds the import's memory, whatever the file's size.
BATCH_RECORDS = 2000
BATCH_CHARS = 8_000_000
NOTICES_SHOWN = 20  # a file's skipped entries told one by one; the rest are counted
STDIN = "-"  # the path that means standard input
CREATED = "temp.import_created"  # the ids of the papers an import run made

# One record of a batch: (record, id of its file in `files`, file name).
Listed = tuple[Record, int, str]


@dataclass
class Input:
    """One file to import: where it is, how messages name it, what `files.name` keeps."""

    path: Path
    shown: str
    name: str
    named: bool  # the caller named it (not found in a directory)
    where: str = ""  # what `files.path` keeps: the resolved path, "-" for standard input
    digest: str = ""
    size: int = 0


class Importer:
    """Writes paper lists into one library's database (the index catches up afterwards)."""

    def __init__(self, store: Store):
        self.store = store

    def import_files(self, paths: Iterable[Path | str], layout: str | None = None,
                     progress: Progress | None = None, *,
                     field_map: Mapping[str, str] | None = None,
                     stdin: BinaryIO | None = None) -> ImportReport:
        """Import paper lists (files, directories of them, "-" for standard input).

        Each file lands whole or not at all, on its own transaction. A file no format
        claims is passed over when found in a directory, a failure when named; a file
        that fails is reported with its line and the others still import (see
        ImportReport). `layout` forces a format, `field_map` names the file's fields
        (`{"title": "output"}`). The report's `files` is empty when nothing was written.
        """
        if layout is not None:
            sources.find_layout(layout)  # an unknown name stops everything, at once
        report = ImportReport()
        spooled: list[Path] = []
        # The papers this run made and still has, for the report's count: in a table
        # (not a set) so that memory stays the batch's however many papers a file
        # makes, and so that a file's rollback takes its papers out of the count.
        conn = self.store.connection()
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {CREATED}(id INTEGER PRIMARY KEY)")
        conn.execute(f"DELETE FROM {CREATED}")
        try:
            dirs: dict[str, list[Input]] = {}
            inputs = self._inputs(list(paths), report, dirs, stdin, spooled)
            todo = self._new(inputs, report)
            if todo:
                self.store.check_integrity()  # never write into (or back up) a damaged library
                self.store.auto_backup()
            total = sum(i.size for i in todo)
            done = 0
            if progress and todo:
                progress(0, total, "bytes read")  # the clock of the rate starts here
            for inp in todo:
                def told(read: int, base: int = done) -> None:
                    if progress:
                        progress(min(total, base + read), total, "bytes read")
                records = self._import_one(inp, layout, field_map, report, told)
                if records is not None:
                    report.records += records
                    report.files.append(inp.shown)
                done += inp.size
                if progress:
                    progress(done, total, "bytes read")
            report.added = conn.execute(f"SELECT COUNT(*) FROM {CREATED}").fetchone()[0]
            report.merged = report.records - report.added
            self._empty_directories(dirs, report)
            if any(p.endswith(sources.NOT_A_PAPER_LIST) for p in report.passed_over):
                report.warnings.append(  # the formats once, not on every line passed over
                    f"note: files passed over as {sources.NOT_A_PAPER_LIST}: `paperdeck formats` "
                    "lists the formats; force one with --format NAME, or name the fields "
                    "with --map FIELD=KEY")
        finally:
            conn.execute(f"DROP TABLE IF EXISTS {CREATED}")
            for p in spooled:
                p.unlink(missing_ok=True)
        checkpoint("after-commit")
        return report

    # --- which files ----------------------------------------------------------------------

    def _inputs(self, paths: list[Path | str], report: ImportReport,
                dirs: dict[str, list[Input]], stdin: BinaryIO | None,
                spooled: list[Path]) -> list[Input]:
        """The files to read: named ones, those found in named directories (hidden ones
        left out), standard input spooled to a file. A named path that does not exist
        or a directory with no file is a failure."""
        out: list[Input] = []
        for given in paths:
            shown = str(given)
            if shown == STDIN:
                out.append(self._spool(stdin or sys.stdin.buffer, spooled))
                continue
            p = Path(given)
            if p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.is_file() and not any(
                    part.startswith(".") for part in f.relative_to(p).parts))
                if not found:
                    report.fail(f"{shown}: directory has no files to import", named=True)
                dirs[shown] = [Input(f, str(f), f.name, named=False) for f in found]
                out.extend(dirs[shown])
            elif not p.exists():
                report.fail(f"{shown}: no such file", named=True)
            else:
                out.append(Input(p, shown, p.name, named=True))
        return out

    def _spool(self, stream: BinaryIO, spooled: list[Path]) -> Input:
        """Standard input copied to a file of the data directory (read as any file is:
        detected by its head, then streamed), and its digest taken on the way."""
        tmp = tempfile.NamedTemporaryFile(prefix=".stdin-", dir=self.store.data_dir,  # noqa: SIM115
                                          delete=False)
        spooled.append(Path(tmp.name))
        digest = hashlib.sha256()
        with tmp:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
                tmp.write(chunk)
        return Input(Path(tmp.name), "<stdin>", "stdin", named=True, where=STDIN,
                     digest=digest.hexdigest())

    def _new(self, inputs: list[Input], report: ImportReport) -> list[Input]:
        """The inputs not imported before (by content), each with its digest and size;
        one that cannot be read is a failure."""
        conn = self.store.connection()
        todo, seen = [], set()
        for inp in inputs:
            try:
                inp.size = inp.path.stat().st_size
                if not inp.digest:
                    with inp.path.open("rb") as fh:
                        inp.digest = hashlib.file_digest(fh, "sha256").hexdigest()
            except OSError as exc:
                report.fail(str(_unreadable(exc).at(inp.shown)), inp.named)
                continue
            known = conn.execute("SELECT 1 FROM files WHERE sha256 = ?",
                                 (inp.digest,)).fetchone()
            if known or inp.digest in seen:
                report.skipped += 1
                report.skipped_files.append(inp.shown)
                continue
            seen.add(inp.digest)
            todo.append(inp)
        return todo

    def _empty_directories(self, dirs: dict[str, list[Input]], report: ImportReport) -> None:
        """A named directory none of whose files imported (or was imported before)."""
        landed = set(report.files) | set(report.skipped_files)
        for shown, found in dirs.items():
            if found and not any(i.shown in landed for i in found):
                report.fail(f"{shown}: no paper list paperdeck knows found in it "
                            f"({len(found)} file{'s' if len(found) != 1 else ''} passed over "
                            "or failed)", named=True)

    # --- one file -----------------------------------------------------------------------

    def _import_one(self, inp: Input, layout: str | None, field_map: Mapping[str, str] | None,
                    report: ImportReport, told) -> int | None:
        """One file in one transaction: its number of records, or None when it failed
        or was passed over (then nothing of it was written, and the report says why)."""
        doc = None
        try:
            try:
                doc = sources.Document.from_path(inp.path, field_map=field_map, name=inp.name)
            except OSError as exc:
                raise _unreadable(exc) from None
            name, records = sources.read(doc, layout)
            count = self._write(inp, doc, name, records, told)
        except sources.UnknownFormat as exc:
            if inp.named or layout is not None:
                report.fail(str(exc.at(inp.shown)), inp.named)
            else:
                report.pass_over(exc.at(inp.shown).briefly())
            return None
        except DigestError as exc:
            report.fail(str(exc.at(inp.shown)), inp.named)
            return None
        self._tell_notices(inp, doc, report)
        return count

    def _write(self, inp: Input, doc: sources.Document, layout: str,
               records: Iterable[Record], told) -> int:
        count = 0
        with self.store.transaction(write=True) as conn:
            gen = generation(conn) + 1
            file_id = conn.execute(
                "INSERT INTO files(name, path, sha256, layout, records, imported_at) "
                "VALUES (?, ?, ?, ?, 0, ?)",
                (inp.name, inp.where or str(inp.path.resolve()), inp.digest, layout,
                 time.strftime("%Y-%m-%dT%H:%M:%S"))).lastrowid
            batch: list[Listed] = []
            chars = batches = 0
            for rec in records:
                batch.append((identify(readable_record(rec)), file_id, inp.name))
                chars += len(rec.abstract) + len(rec.title or "") + len(rec.summary or "")
                if len(batch) >= BATCH_RECORDS or chars >= BATCH_CHARS:
                    self.merge_batch(conn, batch, gen)
                    count += len(batch)
                    batch, chars, batches = [], 0, batches + 1
                    if batches == 1:
                        checkpoint("mid-import")
                    told(doc.bytes_read)
            if batch:
                self.merge_batch(conn, batch, gen)
                count += len(batch)
                if not batches:
                    checkpoint("mid-import")
            conn.execute("UPDATE files SET records = ? WHERE id = ?", (count, file_id))
            set_generation(conn, gen)
            checkpoint("before-commit")
        checkpoint("file-committed")
        return count

    @staticmethod
    def _tell_notices(inp: Input, doc: sources.Document, report: ImportReport) -> None:
        if doc.encoding in (LATIN, LATIN1):
            report.warn(f"{inp.shown}: not UTF-8; read as {ENCODING_NAMES[doc.encoding]}")
        if doc.replaced:
            report.warn(f"{inp.shown}: {doc.replaced} undecodable byte(s) replaced")
        for notice in doc.notices[:NOTICES_SHOWN]:
            where = f"{inp.shown}:{notice.line}" if notice.line else inp.shown
            report.warn(f"{where}: {notice.message}")
        if len(doc.notices) > NOTICES_SHOWN:
            report.warn(f"{inp.shown}: {len(doc.notices) - NOTICES_SHOWN:,} more warnings "
                        "like these, not shown")

    # --- records to papers --------------------------------------------------------------

    def merge_batch(self, conn: sqlite3.Connection, batch: list[Listed], gen: int) -> None:
        """The batch's records as papers: each group of records that are one paper joins
        the library's paper it matches (folding two into one if it matches both), or
        becomes a new paper. Runs inside the file's write transaction; the library's
        papers are found by their match keys in SQLite (those of this file's earlier
        batches included), never held in memory."""
        keys = [match_keys(rec) for rec, _, _ in batch]
        wanted = sorted({k for ks in keys for k in ks})
        known: dict[str, int] = {}
        for chunk in chunked(wanted):
            known.update(conn.execute(
                f"SELECT mkey, paper_id FROM match_keys WHERE mkey IN "
                f"({placeholders(len(chunk))})", chunk))
        for group in group_records([rec for rec, _, _ in batch], known, keys):
            target = self._paper_of(conn, group, gen)
            conn.executemany(
                "INSERT INTO listings(paper_id, file_id, line, layout, label, data, summary, "
                "upvotes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(target, batch[i][1], batch[i][0].line, batch[i][0].layout,
                  batch[i][0].week or batch[i][0].date_label, json.dumps(vars(batch[i][0])),
                  batch[i][0].summary or None, batch[i][0].upvotes)
                 for i in group])
            conn.executemany("INSERT OR REPLACE INTO match_keys(mkey, paper_id) VALUES (?, ?)",
                             [(k, target) for i in group for k in keys[i]])
            # A paper made by this group has these records and no other: no need to
            # read them back.
            fresh = None if group.papers else [batch[i][0] for i in group]
            self._recompute(conn, target, gen, fresh)

    # --- schema 3: a library imported before text was stored as it is shown ------------

    def make_readable(self, conn: sqlite3.Connection) -> int:
        """Convert the titles, abstracts and summaries an older paperdeck stored raw
        (LaTeX as the file wrote it) as an import now does, and re-derive their papers
        under a new generation, so that the index catches up with them on the next sync.

        Runs inside the schema migration's transaction (all or nothing); only listings
        that may hold LaTeX are read (a backslash, which json.dumps also writes for any
        non-ASCII letter, a `$` or a backquote). The old match keys stay beside the new
        ones (a record that still carries the raw text finds its paper). Returns the
        number of papers changed."""
        gen = generation(conn) + 1
        touched: set[int] = set()
        last = 0
        while True:
            rows = conn.execute(
                "SELECT id, paper_id, data FROM listings WHERE id > ? AND (data LIKE '%\\%' "
                "OR data LIKE '%$%' OR data LIKE '%`%') ORDER BY id LIMIT ?",
                (last, BATCH_RECORDS)).fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for lid, pid, data in rows:
                fields = json.loads(data)
                rec = Record(**fields)
                before = (rec.title, rec.abstract, rec.summary)
                readable_record(rec)
                if (rec.title, rec.abstract, rec.summary) == before:
                    continue
                fields.update(title=rec.title, abstract=rec.abstract)
                if rec.summary:
                    fields["summary"] = rec.summary
                conn.execute("UPDATE listings SET data = ?, summary = ? WHERE id = ?",
                             (json.dumps(fields), rec.summary or None, lid))
                conn.executemany("INSERT OR IGNORE INTO match_keys(mkey, paper_id) "
                                 "VALUES (?, ?)", [(k, pid) for k in match_keys(rec)])
                touched.add(pid)
            checkpoint("mid-readable-migration")
        for pid in sorted(touched):
            self._recompute(conn, pid, gen)
        if touched:
            set_generation(conn, gen)
        return len(touched)

    def _paper_of(self, conn: sqlite3.Connection, group: Group, gen: int) -> int:
        """The id of the paper a group's records belong to (a new one if none)."""
        if group.papers:
            target = group.papers[0]
            for other in group.papers[1:]:
                self._fold(conn, other, target, gen)
            return target
        cur = conn.execute("INSERT INTO papers(key, title, abstract, gen) "
                           "VALUES (?, '', '', ?)", (f"new:{gen}:{group[0]}", gen))
        conn.execute(f"INSERT INTO {CREATED}(id) VALUES (?)", (cur.lastrowid,))
        return cur.lastrowid

    def _fold(self, conn: sqlite3.Connection, other: int, target: int, gen: int) -> None:
        """A new record showed two known papers to be one: keep `target`, marks OR'd."""
        key, read, starred = conn.execute(
            "SELECT key, read, starred FROM papers WHERE id = ?", (other,)).fetchone()
        conn.execute("UPDATE papers SET read = MAX(read, ?), starred = MAX(starred, ?) "
                     "WHERE id = ?", (read, starred, target))
        for table in ("listings", "match_keys"):
            conn.execute(f"UPDATE {table} SET paper_id = ? WHERE paper_id = ?", (target, other))
        conn.execute("DELETE FROM paper_categories WHERE paper_id = ?", (other,))
        conn.execute("DELETE FROM papers WHERE id = ?", (other,))
        conn.execute(f"DELETE FROM {CREATED} WHERE id = ?", (other,))
        conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (key, gen))

    def _recompute(self, conn: sqlite3.Connection, pid: int, gen: int,
                   records: list[Record] | None = None) -> None:
        """Derive a paper's fields from all its listings (`records`, when the caller
        knows them to be all of them)."""
        if records is None:
            records = [Record(**json.loads(d)) for (d,) in conn.execute(
                "SELECT data FROM listings WHERE paper_id = ? ORDER BY id", (pid,))]
        m = combine(records)
        key = m.natural_key()
        old_key = conn.execute("SELECT key FROM papers WHERE id = ?", (pid,)).fetchone()[0]
        if key != old_key:
            n, base = 2, key
            while conn.execute("SELECT 1 FROM papers WHERE key = ? AND id != ?",
                               (key, pid)).fetchone():
                key, n = f"{base}-{n}", n + 1
            if not old_key.startswith("new:"):
                conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (old_key, gen))
        tag = m.categories[0] if m.categories else records[0].layout
        conn.execute(
            "UPDATE papers SET key=?, arxiv_id=?, title=?, title_derived=?, abstract=?, "
            "authors=?, year=?, week=?, month=?, categories=?, date_text=?, t_year=?, "
            "sort_date=?, tag=?, gen=?, published=?, doi=?, venue=?, comments=?, code_url=?, "
            "pdf_url=?, link=?, keywords=? WHERE id=?",
            (key, m.arxiv_id, m.title, int(m.title_derived), m.abstract, json.dumps(m.authors),
             m.year, m.week, m.month, json.dumps(m.categories), m.date_text, _t_year(m),
             _sort_date(m), tag, gen, m.published, m.doi, m.venue, m.comments, m.code_url,
             m.pdf_url, m.link, json.dumps(m.keywords), pid))
        conn.execute("DELETE FROM paper_categories WHERE paper_id = ?", (pid,))
        conn.executemany("INSERT INTO paper_categories(paper_id, code) VALUES (?, ?)",
                         [(pid, c) for c in m.categories])


def readable_record(rec: Record) -> Record:
    """The record's title, abstract and digest summary as the reader shows them (LaTeX
    as Unicode, see latex.readable), before anything is matched, merged, stored or
    indexed: one place for every format. Changes `rec` in place; returns it."""
    if rec.title:
        rec.title = readable(rec.title)
    rec.abstract = readable(rec.abstract)
    if rec.summary:
        rec.summary = readable(rec.summary)
    return rec


def _t_year(m: Merged) -> str | None:
    """The year of the time tree (None: undated)."""
    return (m.week or m.month or (str(m.year) if m.year else ""))[:4] or None


def _sort_date(m: Merged) -> str:
    if m.week:
        return m.week
    if m.month:
        return m.month + "-00"
    return f"{m.year}-00-00" if m.year else ""


def _unreadable(exc: OSError) -> DigestError:
    if isinstance(exc, PermissionError):
        return DigestError("permission denied: cannot read the file")
    if isinstance(exc, IsADirectoryError):
        return DigestError("is a directory")
    return DigestError(f"cannot read the file: {exc.strerror or exc}")

