"""The footer of every screen: Textual's, fitted to the terminal's width."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

from reader.textual_private import footer_bindings_ready, footer_key, preset_compact

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

    composed_from: tuple[object, ...] | None = None
    """What the keys shown were composed from (:meth:`keys_wanted` when they were)."""

    def keys_wanted(self) -> tuple[object, ...]:
        """All that decides which keys :meth:`compose` yields and how they look: the screen's
        shown bindings with whether each is enabled and its tooltip, the palette's binding,
        the width and the two styles."""
        bindings = self.screen.active_bindings if footer_bindings_ready(self) else {}
        return (
            self.app.size.width,
            self.compact,
            self.show_command_palette,
            [
                (binding, enabled, tooltip)
                for (_, binding, enabled, tooltip) in bindings.values()
                if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
            ],
        )

    async def recompose(self) -> None:
        """Compose the keys again, only when they would differ from those shown.

        Textual's footer composes its keys again whenever its screen says its bindings may have
        changed: at every change of focus and every change of a reactive that bindings depend
        on, so at most key presses in the reading pane. Nearly always the same keys came back,
        and each time about 25 key widgets were removed, made, styled, laid out and drawn."""
        if not self.is_attached:  # (Textual's does nothing then either)
            return
        if self.composed_from is not None and self.keys_wanted() == self.composed_from:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        self.composed_from = self.keys_wanted()
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
