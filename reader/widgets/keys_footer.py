"""The footer of every screen: Textual's, fitted to a narrow terminal."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

NARROW_BELOW = 100  # columns


class KeysFooter(Footer):
    """Textual's ``Footer``; narrower than :data:`NARROW_BELOW` columns it puts one space
    between keys instead of two and leaves out the ``^p palette`` key on the right (ctrl+p
    still opens the palette, and ``?`` lists it). At 80 columns the reading pane's footer
    then shows nine keys instead of seven."""

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
