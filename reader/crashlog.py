"""The crash log: an unexpected error's traceback goes to <data>/paperdeck.log, so that
the user sees one line naming the log instead of a traceback (issue 5)."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path

LOG_NAME = "paperdeck.log"


def write_crash_log(data_dir: Path, exc: BaseException, what: str = "") -> Path | None:
    """Append `exc` with its traceback to the log; the log's path, or None if unwritable."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        log = data_dir / LOG_NAME
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} "
                     f"paperdeck {' '.join(sys.argv[1:])} {what}".rstrip() + "\n")
            fh.write("".join(traceback.format_exception(exc)))
        return log
    except OSError:
        return None


def crash_line(what: str, exc: BaseException, log: Path | None) -> str:
    where = f"; details in {log}" if log else ""
    return f"paperdeck: {what}: {type(exc).__name__}: {exc}{where}"
