"""Importing digests: files to decoded text to records (the sources package), records
grouped into papers (merge), papers written to SQLite in one all-or-nothing transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from . import sources
from .faults import checkpoint
from .merge import Group, combine, group_records, match_keys
from .model import DigestError, Record
from .store import Store, chunked, placeholders
from .upkeep import generation, set_generation
from .views import ImportReport, Progress

MAX_FILE_BYTES = 64 * 1024 * 1024

# One file's parse: (path, sha256, layout name, its records).
Parsed = tuple[Path, str, str, list[Record]]
# One record of the batch: (record, id of its file in `files`, file name).
Listed = tuple[Record, int, str]


class Importer:
    """Writes digests into one library's database (the index catches up afterwards)."""

    def __init__(self, store: Store):
        self.store = store

    def import_files(self, paths: Iterable[Path | str], layout: str | None = None,
                     progress: Progress | None = None) -> ImportReport:
        """Import digests (files, or directories of them), all or nothing.

        Every file is read and parsed before anything is written; any bad file
        raises DigestError naming it, and the library is left as it was. The
        report's `files` is empty when nothing was written.
        """
        report = ImportReport()
        parsed = self.read_all(list(paths), layout, report)
        if not parsed:
            return report
        self.store.check_integrity()  # never write into (or back up) a damaged library
        self.store.auto_backup()
        total = sum(len(recs) for *_, recs in parsed)
        with self.store.transaction(write=True) as conn:
            gen = generation(conn) + 1
            batch: list[Listed] = []
            for path, digest, layout_name, recs in parsed:
                cur = conn.execute(
                    "INSERT INTO files(name, path, sha256, layout, records, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (path.name, str(path.resolve()), digest, layout_name, len(recs),
                     time.strftime("%Y-%m-%dT%H:%M:%S")))
                batch.extend((r, cur.lastrowid, path.name) for r in recs)
                report.files.append(str(path))
            self.merge_batch(conn, batch, gen, report, progress, total)
            set_generation(conn, gen)
            checkpoint("before-commit")
        report.records = total
        checkpoint("after-commit")
        return report

    # --- files to records ---------------------------------------------------------------

    def read_all(self, paths: list[Path | str], layout: str | None,
                 report: ImportReport) -> list[Parsed]:
        """Every new file among `paths` read and parsed (a file already imported, by
        content, is skipped; one found in a directory that is no digest, passed over)."""
        files: list[tuple[Path, bool]] = []  # (path, named explicitly)
        for p in map(Path, paths):
            if p.is_dir():
                found = sorted(f for f in p.rglob("*") if f.is_file()
                               and not any(part.startswith(".") for part in f.parts))
                if not found:
                    raise DigestError("directory has no files to import", str(p))
                files.extend((f, False) for f in found)
            elif not p.exists():
                raise DigestError("no such file", str(p))
            else:
                files.append((p, True))
        known = {d for (d,) in self.store.connection().execute("SELECT sha256 FROM files")}
        parsed, seen, passed_over = [], set(), []
        for path, explicit in files:
            data = read_bytes(path)
            digest = hashlib.sha256(data).hexdigest()
            if digest in known or digest in seen:
                report.skipped += 1
                report.skipped_files.append(str(path))
                continue
            try:
                if layout is None and not explicit:
                    # found in a directory: a file that is not a digest (a binary, notes)
                    # is passed over; one that is a digest must then parse
                    try:
                        text, replaced = sources.decode(data)
                        sources.detect(text)
                    except DigestError:
                        passed_over.append(str(path))
                        report.warnings.append(f"{path}: not a digest of a known layout, "
                                               "passed over")
                        continue
                else:
                    text, replaced = sources.decode(data)
                recs = sources.parse(text, layout)
            except DigestError as exc:
                raise exc.at(str(path)) from None
            if replaced:
                report.warnings.append(f"{path}: {replaced} undecodable byte(s) replaced")
            seen.add(digest)
            parsed.append((path, digest, recs[0].layout if recs else layout or "?", recs))
        if not parsed and not report.skipped and files:
            shown = ", ".join(passed_over[:3]) + (", ..." if len(passed_over) > 3 else "")
            raise DigestError(f"no digest of a known layout found ({len(passed_over)} "
                              f"file(s) passed over: {shown})",
                              str(paths[0]) if len(paths) == 1 else None)
        return parsed

    # --- records to papers --------------------------------------------------------------

    def merge_batch(self, conn: sqlite3.Connection, batch: list[Listed], gen: int,
                    report: ImportReport, progress: Progress | None, total: int) -> None:
        """The batch's records as papers: each group of records that are one paper joins
        the library's paper it matches (folding two into one if it matches both), or
        becomes a new paper. Runs inside the import's write transaction."""
        keys = [match_keys(rec) for rec, _, _ in batch]
        wanted = sorted({k for ks in keys for k in ks})
        known: dict[str, int] = {}
        for chunk in chunked(wanted):
            known.update(conn.execute(
                f"SELECT mkey, paper_id FROM match_keys WHERE mkey IN "
                f"({placeholders(len(chunk))})", chunk))
        done = 0
        for group in group_records([rec for rec, _, _ in batch], known, keys):
            target = self._paper_of(conn, group, gen, report)
            conn.executemany(
                "INSERT INTO listings(paper_id, file_id, line, layout, label, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(target, batch[i][1], batch[i][0].line, batch[i][0].layout,
                  batch[i][0].week or batch[i][0].date_label, json.dumps(asdict(batch[i][0])))
                 for i in group])
            conn.executemany("INSERT OR REPLACE INTO match_keys(mkey, paper_id) VALUES (?, ?)",
                             [(k, target) for i in group for k in keys[i]])
            self._recompute(conn, target, gen)
            done += len(group)
            if done * 2 >= total > (done - len(group)) * 2:
                checkpoint("mid-import")
            if progress:
                progress(done, total, "records merged")

    def _paper_of(self, conn: sqlite3.Connection, group: Group, gen: int,
                  report: ImportReport) -> int:
        """The id of the paper a group's records belong to (a new one if none)."""
        if group.papers:
            target = group.papers[0]
            for other in group.papers[1:]:
                self._fold(conn, other, target, gen)
            report.merged += len(group)
            return target
        cur = conn.execute("INSERT INTO papers(key, title, abstract, gen) "
                           "VALUES (?, '', '', ?)", (f"new:{gen}:{group[0]}", gen))
        report.added += 1
        report.merged += len(group) - 1
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
        conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (key, gen))

    def _recompute(self, conn: sqlite3.Connection, pid: int, gen: int) -> None:
        """Derive a paper's fields from all its listings."""
        rows = conn.execute("SELECT data, layout FROM listings WHERE paper_id = ? ORDER BY id",
                            (pid,)).fetchall()
        recs = [Record(**json.loads(d)) for d, _ in rows]
        m = combine(recs)
        key = m.natural_key()
        old_key = conn.execute("SELECT key FROM papers WHERE id = ?", (pid,)).fetchone()[0]
        if key != old_key:
            n, base = 2, key
            while conn.execute("SELECT 1 FROM papers WHERE key = ? AND id != ?",
                               (key, pid)).fetchone():
                key, n = f"{base}-{n}", n + 1
            if not old_key.startswith("new:"):
                conn.execute("INSERT INTO tombstones(key, gen) VALUES (?, ?)", (old_key, gen))
        t_year = (m.week or m.month or (str(m.year) if m.year else ""))[:4] or None
        if m.week:
            sort_date = m.week
        elif m.month:
            sort_date = m.month + "-00"
        elif m.year:
            sort_date = f"{m.year}-00-00"
        else:
            sort_date = ""
        tag = m.categories[0] if m.categories else rows[0][1]
        conn.execute(
            "UPDATE papers SET key=?, arxiv_id=?, title=?, title_derived=?, abstract=?, "
            "authors=?, year=?, week=?, month=?, categories=?, date_text=?, t_year=?, "
            "sort_date=?, tag=?, gen=? WHERE id=?",
            (key, m.arxiv_id, m.title, int(m.title_derived), m.abstract, json.dumps(m.authors),
             m.year, m.week, m.month, json.dumps(m.categories), m.date_text, t_year, sort_date,
             tag, gen, pid))
        conn.execute("DELETE FROM paper_categories WHERE paper_id = ?", (pid,))
        conn.executemany("INSERT INTO paper_categories(paper_id, code) VALUES (?, ?)",
                         [(pid, c) for c in m.categories])


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a DigestError naming it (too large, unreadable, a directory)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DigestError(f"file is {size // (1024 * 1024)} MiB; the largest digest "
                              f"paperdeck reads is {MAX_FILE_BYTES // (1024 * 1024)} MiB",
                              str(path))
        return path.read_bytes()
    except PermissionError:
        raise DigestError("permission denied: cannot read the file", str(path)) from None
    except IsADirectoryError:
        raise DigestError("is a directory", str(path)) from None
    except OSError as exc:
        raise DigestError(f"cannot read the file: {exc.strerror}", str(path)) from None
