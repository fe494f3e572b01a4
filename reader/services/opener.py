"""Handing a link to the system's opener (xdg-open, open, ...), which starts whatever
the user has chosen for it: the reader itself never shows a web page."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# The programs that open a link with the user's own choice, by platform, tried in order.
OPENERS = {"darwin": ["open"], "linux": ["xdg-open", "wslview", "gio"],
           "win32": [], "cygwin": ["cygstart"]}
NO_OPENER = ("no program to open links was found here (xdg-open on Linux, open on "
             "macOS): y copies the link instead")


def find_opener() -> list[str] | None:
    """The command that opens a link here, or None."""
    for name in OPENERS.get(sys.platform, ["xdg-open"]):
        path = shutil.which(name)
        if path:
            return [path, "open"] if name == "gio" else [path]
    return None


# Seconds an opener is given to say it could not open the link: xdg-open and gio exit at
# once when nothing handles it; a browser they start keeps running on its own.
FAIL_WAIT = 3.0


def open_link(url: str, wait: float = FAIL_WAIT) -> str | None:
    """(In a worker: it waits up to `wait` s.) Hand `url` to the system's opener; None
    when it was handed over, else why not, in the user's words."""
    if sys.platform == "win32":
        try:
            os.startfile(url)  # type: ignore[attr-defined]
        except OSError as exc:
            return f"Windows could not open it ({exc.strerror})"
        return None
    command = find_opener()
    if command is None:
        return NO_OPENER
    name = os.path.basename(command[0])
    try:
        proc = subprocess.Popen([*command, url], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
    except OSError as exc:
        return f"{name} could not be started ({exc.strerror})"
    try:
        code = proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        return None  # still running: it has started something
    said = (proc.stderr.read() or b"").decode(errors="replace").strip() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if code == 0:
        return None
    reason = said.splitlines()[-1] if said else f"exit status {code}"
    return f"{name} could not open it ({reason}); y copies the link instead"
