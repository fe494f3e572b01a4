"""Every theme offered is readable (issue 10, point 2): each piece of text on the main
screen (columns, marks, the cursor's line, counts, the footer's keys) stands out from
what is behind it, in the light themes as in the dark ones."""

from __future__ import annotations

import pytest

from paperdeck.index.library import Library
from paperdeck.index.views import Scope

from .util import make_app, settle

# WCAG's contrast for large text and interface parts: muted text may be faint, not gone.
LEAST_CONTRAST = 3.0
# Lines and blocks (tree guides, borders, scrollbars) are drawing, not text.
DRAWING = range(0x2500, 0x25A0)


def _luminance(rgb) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def faint_text(app) -> list[tuple[float, int, str]]:
    """(contrast, line, text) of each piece of text on screen below LEAST_CONTRAST."""
    faint = []
    update = app.screen._compositor.render_update(full=True)
    for y, line in enumerate(update.strips):
        for strip in line:
            for seg in strip:
                text = "".join(ch for ch in seg.text if ord(ch) not in DRAWING).strip()
                style = seg.style
                if not text or style is None or style.color is None or style.bgcolor is None:
                    continue
                fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
                ratio = contrast(fg, bg)
                if ratio < LEAST_CONTRAST:
                    faint.append((round(ratio, 2), y, text))
    return faint


def colour_themes(app) -> list[str]:
    # The ANSI themes leave the colours to the terminal's own palette.
    return sorted(t for t in app.available_themes if not t.startswith("ansi"))


async def test_every_theme_is_readable(library: Library):
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        themes = colour_themes(app)
        assert "textual-light" in themes and "solarized-light" in themes
        await pilot.press("s", "j", "s", "j", "r", "k")  # starred rows, a read row
        await settle(pilot)
        unreadable = {}
        for theme in themes:
            app.theme = theme
            for focus in ("papers", "nav"):  # the cursor's line focused and not
                (app.papers if focus == "papers" else app.nav_tree_widget).focus()
                await settle(pilot, rounds=1)
                if faint := faint_text(app):
                    unreadable[f"{theme}, {focus} focused"] = faint[:5]
        assert unreadable == {}


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light"])
async def test_the_date_column_is_readable_in_a_light_theme(library: Library, theme: str):
    """The issue's own case: dates drawn white on light grey."""
    app = make_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.theme = theme
        await settle(pilot)
        app.goto_scope(Scope("all"))
        await settle(pilot)
        dates = [t for _, _, t in faint_text(app) if t[:2] in ("20", "??")]
        assert dates == []
