"""Moving the focus at once: keys typed ahead then reach the newly focused widget."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Focus `widget` now, not after the keys already queued (Widget.focus() is deferred)."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # not mounted yet
        widget.focus()
