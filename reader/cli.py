"""`paperdeck ...`: the command line. Scripts and tests use it; the bare command opens the reader."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from paperdeck.index import sources
from paperdeck.index.library import Library, LibraryError, default_data_dir
from paperdeck.index.model import CATEGORY_CODES, DigestError, Paper, category_code, category_name
from paperdeck.index.query import STATUSES, VALUE_FORMS, forms, some
from paperdeck.index.search import IndexUnavailable
from paperdeck.index.views import ListRow, Scope
from paperdeck.reader.crashlog import crash_line, write_crash_log

# Exit statuses: 1 the command failed on its input or the library; 2 it was called
# wrongly (argparse's own status). `search` follows grep: 1 is "no match", so every
# failure of a search is 2.
FAILED = 1
USAGE = 2
NO_MATCH = 1


class UsageError(Exception):
    """Bad arguments that argparse cannot see (an unknown key or source): the message
    has argparse's form, `argument --source: what is wrong (what to write)`."""


class _Parser(argparse.ArgumentParser):
    """argparse, its errors one line in the form of every other usage error."""

    def error(self, message: str):
        self.exit(USAGE, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """--version, read from the installed package's metadata only when asked."""

    def __call__(self, parser, namespace, values, option_string=None):
        try:
            from importlib import metadata  # ~20 ms: only when asked

            version = metadata.version("paperdeck")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            version = "(not installed)"
        print(f"paperdeck {version}")
        parser.exit(0)


# --- option values: each read the same way, each error naming the valid forms -----------


def _dated(field: str):
    """The reader of a --week, --month or --year value (the query language's rules)."""
    what, _, read = VALUE_FORMS[field]

    def value(text: str) -> str:
        got = read(text)
        if got is None:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r} (write it as {forms(field)})")
        return got
    value.__name__ = field
    return value


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(
            f"not a count: {text!r} (write a whole number: 0 for all, or more)")
    return n


def _path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path (write a directory, such as ~/papers)")
    return text


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="paperdeck",
        description="A keyboard-driven terminal reader for AI paper digests.",
        epilog="Without a command, opens the reader. Data lives in --data-dir, else "
               "$PAPERDECK_HOME, else the platform's user data directory.")
    p.add_argument("--data-dir", metavar="DIR", type=_path, help="where the library lives")
    p.add_argument("--version", action=_Version, nargs=0, help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser(
        "import", help="import paper lists: files, directories, - for standard input",
        description="Import paper lists. Each file lands whole or not at all; files of no "
                    "known format found in a directory are passed over; a file that fails is "
                    "reported and the others import. Exit status 1 when a named path failed.")
    imp.add_argument("paths", nargs="+", metavar="PATH",
                     help="a file, a directory (every file in it), or - (standard input)")
    _progress_option(imp)
    imp.add_argument("--format", choices=sources.registered_names(), metavar="NAME",
                     help="read every file as this format (see `paperdeck formats`): "
                          + ", ".join(sources.registered_names()))
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=KEY",
                     help="the file's KEY holds FIELD (repeatable; KEY may be dotted, "
                          "paper.title), for formats with named fields: JSON, JSON Lines, "
                          "CSV. FIELD: " + ", ".join(sources.MAP_FIELDS))

    sub.add_parser("formats", help="list the formats paperdeck reads, one line each")

    srch = sub.add_parser("search", help="search the library (same language as the reader)")
    srch.add_argument("query", nargs="+", metavar="QUERY")
    srch.add_argument("--limit", type=_count, default=20, metavar="N",
                      help="at most N results (0: all; default 20)")
    srch.add_argument("--json", action="store_true", help="print a JSON array")

    lst = sub.add_parser("list", help="list papers, newest first")
    lst.add_argument("--week", metavar="W", type=_dated("week"),
                     help="the week, as 2024-W26 or any of its dates (2024-06-30)")
    lst.add_argument("--month", metavar="M", type=_dated("month"), help="the month, as 2024-06")
    lst.add_argument("--year", metavar="Y", type=_dated("year"), help="the year, as 2024")
    lst.add_argument("--category", metavar="C", help="a code (cs.CL) or a name")
    lst.add_argument("--source", metavar="S", help="a digest file name, its stem or its layout")
    lst.add_argument("--status", choices=STATUSES)
    lst.add_argument("--sort", choices=("newest", "title"), default="newest")
    lst.add_argument("--limit", type=_count, default=0, metavar="N", help="at most N (0: all)")
    lst.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="show one paper")
    show.add_argument("key", metavar="KEY", help="a paper key, an arXiv id or link, or a DOI")
    show.add_argument("--json", action="store_true")

    mark = sub.add_parser("mark", help="mark papers read, unread, starred or unstarred")
    mark.add_argument("keys", nargs="+", metavar="KEY")
    how = mark.add_mutually_exclusive_group(required=True)
    for flag in ("read", "unread", "star", "unstar"):
        how.add_argument(f"--{flag}", action="store_true")

    st = sub.add_parser("stats", help="counts of the library")
    st.add_argument("--json", action="store_true")

    _progress_option(sub.add_parser("reindex", help="rebuild the search index from the library"))
    return p


# --- output --------------------------------------------------------------------


def _print_rows(rows: list[ListRow]) -> None:
    """One line a paper: flags, the key WHOLE (every command takes it as printed), the
    date, the title. The key column is as wide as the longest key of these rows."""
    width = max((len(r.key) for r in rows), default=0)
    for row in rows:
        flag = ("N" if not row.read else " ") + ("*" if row.starred else " ")
        title = ("~ " if row.title_derived else "") + row.title
        print(f"{flag} {row.key:<{width}} {row.date:<10} {title}")


def _print_paper(p: Paper) -> None:
    print(("[derived title] " if p.title_derived else "") + p.title)
    print(f"key:        {p.key}")
    if p.arxiv_id:
        print(f"arXiv:      {p.arxiv_id}  {p.url}")
    if p.authors:
        print(f"authors:    {', '.join(p.authors)}")
    for label, value in (("published", p.published), ("year", p.year), ("month", p.month),
                         ("week", p.week), ("DOI", p.doi), ("venue", p.venue),
                         ("comments", p.comments), ("code", p.code_url), ("PDF", p.pdf_url),
                         ("link", p.link)):
        if value:
            print(f"{label + ':':<12}{value}")
    if p.categories:
        print("categories: " + ", ".join(f"{category_name(c)} ({c})" for c in p.categories))
    if p.keywords:
        print(f"keywords:   {', '.join(p.keywords)}")
    status = ("read" if p.read else "unread") + (", starred" if p.starred else "")
    print(f"status:     {status}")
    for s in p.sources:
        label = f" [{s.label}]" if s.label else ""
        votes = f" · {s.votes_text}" if s.votes_text else ""
        print(f"listed in:  {s.file}:{s.line} ({s.layout}){label}{votes}")
        if s.summary:
            print(f"            said: {s.summary}")
    print()
    print(p.abstract or "(no abstract)")


def _dump(papers: list[Paper]) -> None:
    json.dump([p.to_json() for p in papers], sys.stdout, ensure_ascii=False, indent=1)
    print()


# --- commands ------------------------------------------------------------------


def _field_map(pairs: list[str]) -> dict[str, str]:
    """--map FIELD=KEY options as {field: key}; an unknown FIELD names the valid ones."""
    out: dict[str, str] = {}
    for pair in pairs:
        field, eq, key = pair.partition("=")
        field, key = field.strip().lower(), key.strip()
        if field not in sources.MAP_FIELDS:
            raise UsageError(f"--map {pair}: {field or 'FIELD'!r} is not a field paperdeck "
                             f"reads; the fields are: {', '.join(sources.MAP_FIELDS)}")
        if not eq or not key:
            raise UsageError(f"--map {pair}: give the file's key for {field}, as "
                             f"--map {field}=KEY (dotted for a nested one: paper.{field})")
        out[field] = key
    return out


def _progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show a progress bar on stderr (default: when stderr is a "
                             "terminal, or PAPERDECK_PROGRESS=1)")


def _bar(args) -> _ProgressBar | nullcontext:
    """A progress bar on stderr when asked, or on a terminal (else a null context)."""
    show = args.progress
    if show is None:
        show = sys.stderr.isatty() or os.environ.get("PAPERDECK_PROGRESS") == "1"
    return _ProgressBar() if show else nullcontext()


def cmd_import(lib: Library, args) -> int:
    field_map = _field_map(args.map)
    start = time.monotonic()
    with _bar(args) as bar:
        report = lib.import_files(args.paths, layout=args.format,
                                  progress=bar and bar.update, field_map=field_map or None)
    show = bar is not None
    for line in report.warnings:  # each says what it is: error, passed over, warning
        print(f"paperdeck: {line}", file=sys.stderr)
    for f in report.skipped_files:
        print(f"skipped {f}: already imported (same content)")
    # One named file that failed says so in its one error line; anything more gets
    # the summary (stdout: the line scripts parse).
    alone = len(report.failed) == 1 and not (report.files or report.skipped
                                             or report.passed_over)
    if not alone:
        print(report.summary())
    secs = time.monotonic() - start
    if show and report.added and secs > 0:
        # Beside the bar, on stderr: stdout stays the one summary line scripts parse.
        print(f"imported in {secs:.1f} s ({report.added / secs:,.0f} papers/s)",
              file=sys.stderr)
    return 0 if report.ok else 1


def cmd_formats(lib: Library | None, args) -> int:
    width = max(map(len, sources.LAYOUTS))
    for name, layout in sources.LAYOUTS.items():
        print(f"{name:<{width}}  {layout.DESCRIPTION}")
    return 0


class _ProgressBar:
    """rich's progress bar on stderr: one line per phase (reading and merging, by bytes;
    indexing, by papers), with rates."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
        self._progress = Progress(
            TextColumn("{task.description:<16}"), BarColumn(),
            TextColumn("{task.fields[amount]}"), TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr, force_terminal=True),
            refresh_per_second=8)
        self._tasks: dict[str, int] = {}
        self._started: dict[str, float] = {}
        self._progress.start()

    def update(self, done: int, total: int, what: str) -> None:
        task = self._tasks.get(what)
        if task is None:
            label = {"bytes read": "reading, merging", "papers indexed": "indexing"}
            task = self._tasks[what] = self._progress.add_task(
                label.get(what, what), total=total, rate="", amount="")
            self._started[what] = time.monotonic()
        secs = time.monotonic() - self._started[what]
        if what == "bytes read":
            amount = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
            rate = f"{done / 1e6 / secs:>7,.1f} MB/s" if secs > 0 else ""
        else:
            amount = f"{done:,}/{total:,}"
            rate = f"{done / secs:>8,.0f} {what.split()[0]}/s" if secs > 0 else ""
        self._progress.update(task, completed=done, total=total, rate=rate, amount=amount)

    def stop(self) -> None:
        self._progress.stop()

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def cmd_search(lib: Library, args) -> int:
    text = " ".join(args.query)
    if not text.strip():
        raise UsageError("argument QUERY: an empty query (write words to search for, or "
                         "list papers with `paperdeck list`)")
    result = lib.search(text, limit=args.limit or None)
    if result.error:
        raise UsageError(f"argument QUERY: {result.error}")
    # stdout is only the results (grep's habit): the summary goes to stderr.
    if args.json:
        _dump(lib.papers(r.key for r in result.rows))
    else:
        _print_rows(result.rows)
    if not result.total:
        msg = f'no paper matches "{text}"'
        if result.suggestion:
            msg += f'. Did you mean: {result.suggestion}?'
        print(msg, file=sys.stderr)
        return NO_MATCH
    shown = len(result.rows)
    more = f" (showing {shown}; --limit 0 for all)" if shown < result.total else ""
    print(f"{result.total} match{'es' if result.total != 1 else ''}{more}", file=sys.stderr)
    return 0


def _source(lib: Library, value: str) -> str:
    files = [(f["file"], f["layout"]) for f in lib.stats()["files"]]
    for test in (lambda n, lay: n == value, lambda n, lay: n.rsplit(".", 1)[0] == value,
                 lambda n, lay: lay == value, lambda n, lay: n.startswith(value)):
        found = [n for n, lay in files if test(n, lay)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UsageError(f"argument --source: {value!r} names several digests "
                             f"(write one of {', '.join(found)})")
    raise UsageError(f"argument --source: no imported digest is called {value!r} (write a "
                     "file name, its stem or its layout: "
                     + (some([f"{n} ({lay})" for n, lay in files]) or "none imported yet")
                     + ")")


def _category(lib: Library, value: str) -> str:
    """A category code of the library or of arXiv's names, from its code or its name."""
    code = category_code(value)
    have = lib.categories()
    if code in have or code in CATEGORY_CODES.values():
        return code
    raise UsageError(f"argument --category: no paper of the library is in category {value!r} "
                     "(write the code or the name of one of its categories: "
                     + (some([f"{c} ({category_name(c)})" for c in have]) or "none yet")
                     + ")")


def cmd_list(lib: Library, args) -> int:
    scopes = []
    if args.week:
        scopes.append(Scope("week", args.week))
    if args.month:
        scopes.append(Scope("month", args.month))
    if args.year:
        scopes.append(Scope("year", args.year))
    if args.category:
        scopes.append(Scope("category", _category(lib, args.category)))
    if args.source:
        scopes.append(Scope("source", _source(lib, args.source)))
    status = [args.status] if args.status else []
    rows = lib.rows(scopes[0] if scopes else Scope("all"), args.sort, status, also=scopes[1:])
    if args.limit:
        rows = rows[: args.limit]
    if args.json:
        _dump(lib.papers(r.key for r in rows))
    else:
        _print_rows(rows)
    return 0


def _resolve(lib: Library, key: str) -> str:
    found = lib.resolve(key)
    if found is None:
        raise UsageError(f"argument KEY: no paper with key {key!r} (write a key as `paperdeck "
                         "list` or `search` print it, an arXiv id or its link)")
    return found


def cmd_show(lib: Library, args) -> int:
    paper = lib.paper(_resolve(lib, args.key))
    if args.json:
        _dump([paper])
    else:
        _print_paper(paper)
    return 0


def cmd_mark(lib: Library, args) -> int:
    keys = [_resolve(lib, k) for k in args.keys]  # all known before anything changes
    if args.read or args.unread:
        n = lib.mark_read(keys, read=args.read)
        what = "read" if args.read else "unread"
    else:
        n = lib.set_starred_many(keys, args.star)
        what = "starred" if args.star else "unstarred"
    print(f"{n} of {len(keys)} paper{'s' if len(keys) != 1 else ''} marked {what}")
    return 0


def cmd_stats(lib: Library, args) -> int:
    s = lib.stats()
    if args.json:
        json.dump(s, sys.stdout, indent=1)
        print()
        return 0
    print(f"{s['papers']} papers ({s['unread']} unread, {s['read']} read, "
          f"{s['starred']} starred), {s['with_arxiv_id']} with an arXiv id")
    print(f"{s['records']} records from {len(s['files'])} digests:")
    # columns as wide as their longest entry: file names are printed whole, as keys are
    name_w = max((len(f["file"]) for f in s["files"]), default=0)
    layout_w = max((len(f["layout"]) for f in s["files"]), default=0)
    for f in s["files"]:
        print(f"  {f['file']:<{name_w}}  {f['layout']:<{layout_w}} {f['records']:>6} records")
    print(f"index: {s['indexed']} papers; data: {s['data_dir']}")
    return 0


def cmd_reindex(lib: Library, args) -> int:
    with _bar(args) as bar:
        n = lib.reindex(progress=bar and bar.update)
    print(f"indexed {n} papers")
    return 0


def cmd_reader(lib: Library, args) -> int:
    if not sys.stdout.isatty():
        # not a terminal (a script, a pipe): no reader, but the first-run sample still lands
        if lib.is_empty():
            report = lib.import_sample()
            print(f"imported the bundled sample library: {report.summary()}")
        cmd_stats(lib, argparse.Namespace(json=False))
        print("run paperdeck in a terminal to read; paperdeck --help lists the commands")
        return 0
    from paperdeck.reader.app import run_reader
    return run_reader(lib)


COMMANDS = {"import": cmd_import, "search": cmd_search, "list": cmd_list, "show": cmd_show,
            "mark": cmd_mark, "stats": cmd_stats, "reindex": cmd_reindex, None: cmd_reader}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "formats":  # needs no library
        return cmd_formats(None, args)
    failed = USAGE if args.command == "search" else FAILED
    data_dir = Path(args.data_dir).expanduser() if args.data_dir else default_data_dir()
    lib = None
    try:
        # reindex rebuilds the index: opening need not bring it up to date first
        lib = Library.open(data_dir, sync_index=args.command != "reindex")
        for notice in lib.notices:
            print(f"paperdeck: {notice}", file=sys.stderr)
        seen = len(lib.notices)
        status = COMMANDS[args.command](lib, args)
        for notice in lib.notices[seen:]:  # e.g. an index found damaged while searching
            print(f"paperdeck: {notice}", file=sys.stderr)
        return status
    except UsageError as exc:
        print(f"paperdeck {args.command}: error: {exc}", file=sys.stderr)
        return USAGE
    except (DigestError, LibraryError, IndexUnavailable) as exc:
        print(f"paperdeck: error: {exc}", file=sys.stderr)
        return failed
    except sqlite3.OperationalError as exc:  # locked too long, disk full: not damage
        print(f"paperdeck: error: the library database in {data_dir}: {exc}", file=sys.stderr)
        return failed
    except sqlite3.DatabaseError as exc:  # damage found while reading: name the backup
        print(f"paperdeck: error: {Library(data_dir).damaged(exc)}", file=sys.stderr)
        return failed
    except KeyboardInterrupt:
        print("paperdeck: interrupted; nothing was changed by the unfinished step",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # the user gets one line; the log gets the traceback
        print(crash_line("unexpected error", exc, write_crash_log(data_dir, exc)),
              file=sys.stderr)
        return 2
    finally:
        if lib is not None:
            lib.close()


if __name__ == "__main__":
    sys.exit(main())
