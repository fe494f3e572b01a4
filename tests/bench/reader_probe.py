"""The reader's side of the benchmark, run by bench.py in a fresh process per mode.

    python -m tests.bench.reader_probe paint  --data-dir D
    python -m tests.bench.reader_probe memory --data-dir D --query model ...
    python -m tests.bench.reader_probe keys   --data-dir D --extra DIR --presses 200 --query ...

Each prints one JSON object on its last line of stdout.

"Painted" means Textual handed a frame to the driver: the probe wraps the app's
`_display` (called with every compositor update, headless included) and notes
the time of the first call after the event of interest. Headless, the frame is
composed but not written to a terminal, so the terminal's own drawing is not
counted.
"""

from __future__ import annotations

import time  # noqa: E402

T_PROCESS = time.perf_counter()  # before the heavy imports: they count for first paint

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

SIZE = (140, 40)


def _rss_mb() -> float:
    """Peak resident memory of this process, MiB.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec,
    so a probe started by a big bench process would report the bench's own peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Frames:
    """Times of the frames the app composes (its `_display` calls)."""

    def __init__(self, app) -> None:
        self.times: list[float] = []
        self.waiters: list[tuple[float, asyncio.Future]] = []
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            self.times.append(now)
            for after, fut in list(self.waiters):
                if now >= after and not fut.done():
                    fut.set_result(now)
                    self.waiters.remove((after, fut))

        app._display = display

    def after(self, t: float) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self.waiters.append((t, fut))
        return fut


async def _wait_listed(app, timeout: float = 120.0) -> float:
    """Wait until the paper list has rows; the time it got them."""
    deadline = time.perf_counter() + timeout
    while not app.papers.rows:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no papers listed after {timeout:.0f} s")
        await asyncio.sleep(0.001)
    return time.perf_counter()


async def paint(args) -> dict:
    t_imports = time.perf_counter()
    from paperdeck.index.library import Library
    from paperdeck.reader.app import PaperdeckApp
    t_imported = time.perf_counter()
    lib = Library.open(args.data_dir)
    t_opened = time.perf_counter()
    app = PaperdeckApp(lib, import_sample_if_empty=False)
    t_app = time.perf_counter()
    frames = Frames(app)
    async with app.run_test(size=SIZE):
        t_rows = await _wait_listed(app)
        t_paint = await asyncio.wait_for(frames.after(t_rows), 30)
        out = {
            "first_paint_ms": (t_paint - t_app) * 1000,
            "rows_set_ms": (t_rows - t_app) * 1000,
            "first_paint_from_process_start_ms": (t_paint - T_PROCESS) * 1000,
            "imports_ms": (t_imported - t_imports) * 1000,
            "library_open_ms": (t_opened - t_imported) * 1000,
            "rows_listed": len(app.papers.rows),
            "rss_mb_at_first_paint": _rss_mb(),
        }
    lib.close()
    return out


async def _search_in_app(app, query: str, timeout: float = 60.0) -> float:
    """Type a query into the app's search (no debounce) and wait for its result."""
    t0 = time.perf_counter()
    app.search_box.value = query
    app.main.list_pane.run_search_now()
    while app.result is None or app.result.query != query:
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"search {query!r} not answered in {timeout:.0f} s")
        await asyncio.sleep(0.002)
    return (time.perf_counter() - t0) * 1000


async def memory(args) -> dict:
    from paperdeck.index.library import Library
    from paperdeck.index.views import Scope
    from paperdeck.reader.app import PaperdeckApp
    lib = Library.open(args.data_dir)
    app = PaperdeckApp(lib, import_sample_if_empty=False)
    searches = {}
    async with app.run_test(size=SIZE) as pilot:
        await _wait_listed(app)
        rss_listed = _rss_mb()
        app.goto_scope(Scope("all"))
        await pilot.pause()
        for q in args.query:
            searches[q] = {"ms": await _search_in_app(app, q), "total": app.result.total}
        await pilot.pause()
        listed_all = len(app.papers.rows)
    lib.close()
    return {"rss_mb": _rss_mb(), "rss_mb_after_listing_all": rss_listed,
            "searches_in_app": searches, "rows_in_list_at_end": listed_all}


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))]


async def keys(args) -> dict:
    """Cursor keys while a search thread and an import thread keep the process busy.

    Each key is sent the way Pilot.press sends it (a Key event to the driver), but
    timed by hooks instead of Pilot.press's wall time: Pilot.press waits for the
    process to look idle (CPU time against wall time, up to 1 s, twice), which it
    never does while the background threads work. Per key: `action` = until the
    list's cursor action ran; `paint` = until the next frame after it.
    """
    from textual import events

    from paperdeck.index.library import Library
    from paperdeck.reader.app import PaperdeckApp
    lib = Library.open(args.data_dir)
    app = PaperdeckApp(lib, import_sample_if_empty=False)
    frames = Frames(app)
    stop = threading.Event()
    stats = {"searches": 0, "search_errors": 0, "imports": 0, "import_s": [],
             "import_error": None}

    def hammer() -> None:
        i = 0
        while not stop.is_set():
            try:
                lib.search(args.query[i % len(args.query)])
                stats["searches"] += 1
            except Exception:
                stats["search_errors"] += 1
            i += 1

    importing = threading.Event()

    def importer() -> None:
        files = sorted(p for p in Path(args.extra).iterdir() if p.is_file())
        try:
            for f in files:
                if stop.is_set():
                    break
                importing.set()
                t = time.perf_counter()
                lib.import_files([f])
                stats["import_s"].append(time.perf_counter() - t)
                stats["imports"] += 1
        except Exception as exc:
            stats["import_error"] = f"{type(exc).__name__}: {exc}"
        finally:
            importing.clear()

    action_ms: list[float] = []
    paint_ms: list[float] = []
    during_import = 0
    pilot_ms: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await _wait_listed(app)
        await pilot.pause()
        pl = app.papers
        acted: list[asyncio.Future] = []

        def hook(name: str):
            original = getattr(pl, name)

            def action() -> None:
                original()
                now = time.perf_counter()
                for fut in acted:
                    if not fut.done():
                        fut.set_result(now)
                acted.clear()
            setattr(pl, name, action)

        hook("action_cursor_down")
        hook("action_cursor_up")
        # Pilot.press idle, for reference (what Pilot itself would report).
        for i in range(10):
            t = time.perf_counter()
            await pilot.press("j" if i % 2 == 0 else "k")
            pilot_ms.append((time.perf_counter() - t) * 1000)
        idle_ms: list[float] = []
        for i in range(args.idle_presses):  # the same keys with nothing else running
            await asyncio.sleep(args.gap_ms / 1000)
            fut = asyncio.get_running_loop().create_future()
            acted.append(fut)
            t0 = time.perf_counter()
            event = events.Key("j" if i % 2 == 0 else "k", "j" if i % 2 == 0 else "k")
            event.set_sender(app)
            app._driver.send_message(event)
            t_act = await asyncio.wait_for(fut, 30)
            t_paint = await asyncio.wait_for(frames.after(t_act), 30)
            idle_ms.append((t_paint - t0) * 1000)
        threads = [threading.Thread(target=hammer, daemon=True),
                   threading.Thread(target=importer, daemon=True)]
        for th in threads:
            th.start()
        await asyncio.sleep(0.2)  # let both get going
        loop = asyncio.get_running_loop()
        for i in range(args.presses):
            key = "j" if (i // 25) % 2 == 0 else "k"
            fut = loop.create_future()
            acted.append(fut)
            busy = importing.is_set()
            t0 = time.perf_counter()
            event = events.Key(key, key)
            event.set_sender(app)
            app._driver.send_message(event)
            t_act = await asyncio.wait_for(fut, 30)
            t_paint = await asyncio.wait_for(frames.after(t_act), 30)
            action_ms.append((t_act - t0) * 1000)
            paint_ms.append((t_paint - t0) * 1000)
            during_import += busy and importing.is_set()
            await asyncio.sleep(args.gap_ms / 1000)
        stop.set()
        for th in threads:
            th.join(timeout=300)
    lib.close()
    return {
        "key_p95_ms": _pct(paint_ms, 95),
        "key_p50_ms": _pct(paint_ms, 50),
        "key_max_ms": max(paint_ms),
        "key_idle_p95_ms": _pct(idle_ms, 95) if idle_ms else None,
        "key_idle_p50_ms": _pct(idle_ms, 50) if idle_ms else None,
        "key_action_p95_ms": _pct(action_ms, 95),
        "key_action_p50_ms": _pct(action_ms, 50),
        "presses": len(paint_ms),
        "presses_during_import": during_import,
        "gap_ms": args.gap_ms,
        "background_searches": stats["searches"],
        "background_search_errors": stats["search_errors"],
        "background_imports": stats["imports"],
        "background_import_s": [round(s, 2) for s in stats["import_s"]],
        "background_import_error": stats["import_error"],
        "pilot_press_idle_p50_ms": _pct(pilot_ms, 50),
        "rss_mb": _rss_mb(),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("paint", "memory", "keys"))
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--query", action="append", default=[])
    ap.add_argument("--extra")
    ap.add_argument("--presses", type=int, default=200)
    ap.add_argument("--gap-ms", type=float, default=20.0)
    ap.add_argument("--idle-presses", type=int, default=50)
    args = ap.parse_args()
    result = asyncio.run({"paint": paint, "memory": memory, "keys": keys}[args.mode](args))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
