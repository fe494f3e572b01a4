"""The footer: the keys that fit the width, whole. Textual's footer lets keys run past
the edge, under the palette's key (`^p palettei` at 60 columns); this one leaves out
the least needed keys first, and `?` (every key) last."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Left out first to last when the keys do not fit; those not named go before these.
KEEP_LONGEST = ("help", "app.quit", "search", "read_next", "toggle_read", "toggle_star",
                "copy_link", "cycle_sort")
PALETTE_WIDTH = 12  # its border, `^p palette`, a space


class KeysFooter(Footer):
    """A compact footer of the keys that fit."""

    def __init__(self, **kwargs) -> None:
        super().__init__(compact=True, **kwargs)

    def compose(self):
        items = list(super().compose())
        keys = [w for w in items if isinstance(w, FooterKey)
                and not w.has_class("-command-palette")]
        palette = [w for w in items if w.has_class("-command-palette")]
        width = self.size.width or self.app.size.width

        def need(shown: list[FooterKey], with_palette: bool) -> int:
            total = sum(cell_len(f"{k.key_display} {k.description}") + 1 for k in shown)
            return total + (PALETTE_WIDTH if with_palette else 0)

        order = sorted(keys, key=lambda k: KEEP_LONGEST.index(k.action)
                       if k.action in KEEP_LONGEST else len(KEEP_LONGEST), reverse=True)
        shown = list(keys)
        with_palette = bool(palette)
        for key in order:
            if need(shown, with_palette) <= width:
                break
            if len(shown) == 1 and with_palette:
                with_palette = False  # the last key before the palette's
                if need(shown, with_palette) <= width:
                    break
            shown.remove(key)
        yield from shown
        if with_palette:
            yield from palette

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
