"""The footer of every screen: Textual's, fitted to the terminal's width."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

from reader.textual_private import footer_key, preset_compact

NARROW_BELOW = 100  # columns

# The actions whose keys a footer keeps at every width: how to get help and how to get out.
KEPT = frozenset({"help", "quit", "close", "back_to_text"})


class KeysFooter(Footer):
    """Textual's ``Footer``, showing only the keys that fit on its one line, so that none is
    cut in half: ``? Help`` and ``q Quit`` (a screen's ``esc Close``, the narrow sidebar's
    ``esc Back``) always, then the others in their order (the focused pane's first, then the
    screen's) while they fit; the last ones go first. Narrower than :data:`NARROW_BELOW`
    columns it puts one space between keys instead of two and leaves out the ``^p palette``
    key on the right (ctrl+p still opens the palette, and ``?`` lists it)."""

    fitted_to = 0
    """The width the keys were last fitted to."""

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())
        keys = [footer_key(widget) for widget in widgets]
        for key in keys:
            if key is not None:
                preset_compact(key, self.compact)  # saves two style updates per key
        width = self.app.size.width
        if not width or None in keys:  # binding groups: Textual's own layout
            yield from widgets
            return
        sizes: list[int] = []
        ranks: list[int] = []  # 0: kept at every width, 1: kept while there is room
        for key in keys:
            assert key is not None
            # As FooterKey draws it: compact "k Desc" and a margin, else " k Desc "; the
            # palette key, docked right, has a border and a padding more.
            palette = key.has_class("-command-palette")
            extra = (2 if self.compact else 3) + (2 if palette else 0)
            sizes.append(cell_len(key.key_display) + cell_len(key.description) + extra)
            action = key.action.rpartition(".")[2].partition("(")[0]  # app.quit, go(1)
            ranks.append(0 if palette or action in KEPT else 1)
        room = width
        shown: set[int] = set()
        for index in sorted(range(len(widgets)), key=lambda i: ranks[i]):  # stable: in order
            if ranks[index] == 0 or sizes[index] <= room:
                room -= sizes[index]
                shown.add(index)
        yield from (widget for index, widget in enumerate(widgets) if index in shown)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
        # Which keys fit depends on the width. Only on a change of width: new keys change the
        # virtual size, which sends a Resize of its own.
        if event.size.width != self.fitted_to:
            self.fitted_to = event.size.width
            self.refresh(recompose=True)
