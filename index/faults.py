"""Named pause points for the crash tests.

A test sets PAPERDECK_PAUSE_AT=<name>; the process announces the pause on stderr
and sleeps there so that the test can kill it at exactly that moment. Without
the variable this is one dictionary lookup.
"""

from __future__ import annotations

import os
import sys
import time


def checkpoint(name: str) -> None:
    if os.environ.get("PAPERDECK_PAUSE_AT") == name:
        print(f"PAUSED AT {name}", file=sys.stderr, flush=True)
        time.sleep(300)
