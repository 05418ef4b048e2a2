"""The footer of every screen: the keys that work here, fitted to the terminal's width, drawn
as Textual's ``Footer`` draws them but by one widget instead of one per key."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

NARROW_BELOW = 100  # columns

# The actions whose keys a footer keeps at every width: how to get help and how to get out.
KEPT = frozenset({"help", "quit", "close", "back_to_text"})


class FooterEntry(NamedTuple):
    """One key the footer shows: what is pressed when it is clicked, and how it reads."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool  # the command palette's key, on the right


class KeysFooter(Widget, can_focus=False):
    """The keys of the screen's focused widget and of the screen, on one line: ``? Help`` and
    ``q Quit`` (a screen's ``esc Close``, the narrow sidebar's ``esc Back``) always, then the
    others in their order (the focused pane's first, then the screen's) while they fit, so that
    none is cut in half; the last ones go first. Narrower than :data:`NARROW_BELOW` columns it
    puts one space between keys instead of two and leaves out the ``^p palette`` key on the
    right (ctrl+p still opens the palette, and ``?`` lists it).

    It looks and answers as Textual's ``Footer`` does (a click presses the key, a disabled key
    is dim and rings the bell, the key under the mouse is lit and shows its tooltip), but it is
    one widget that draws one line. Textual's footer removed and made again about 25 key
    widgets, each styled, laid out and drawn, whenever the screen said its bindings might have
    changed: at every change of focus, and at six points while the app starts. Here the keys
    are worked out again then, and the line is drawn again only when they differ."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--item",
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--hover",
        "keys-footer--palette-border",
    }
    # The colours and styles of Textual's FooterKey and Footer, by the same theme variables.
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        pointer: pointer;
        .keys-footer--item {
            background: $footer-item-background;
        }
        .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .keys-footer--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .keys-footer--palette-border {
            color: $foreground 20%;
        }
    }
    """

    compact = reactive(False)
    """One space between keys instead of two (narrow terminals)."""
    show_command_palette = reactive(True)
    """Show the command palette's key on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.bindings_ready = False
        """Whether the screen has told the footer its bindings (it shows no key before)."""
        self.keys_from: tuple[object, ...] | None = None
        """What the keys shown were worked out from (:meth:`keys_wanted` when they were)."""
        self.keys: list[FooterEntry] = []
        """The keys shown, in order, the palette's last."""
        self.spans: list[tuple[int, int]] = []
        """Where each of :attr:`keys` is on the line: its first column and the one after."""
        self.hovered: int | None = None
        """The index in :attr:`keys` of the key under the mouse."""

    # --- Which keys -----------------------------------------------------------------------

    def keys_wanted(self) -> tuple[object, ...]:
        """All that decides which keys are shown and how they look: the screen's shown bindings
        with whether each is enabled and its tooltip, the palette's binding, the width and the
        two styles."""
        bindings = self.screen.active_bindings if self.bindings_ready else {}
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

    def update_keys(self) -> None:
        """Work out the keys again; draw the line again only if they changed."""
        if not self.is_attached:
            return
        wanted = self.keys_wanted()
        if wanted == self.keys_from:
            return
        self.keys_from = wanted
        self.keys = self.fitted(self.all_keys())
        self.spans = self.place(self.keys)
        self.hover(None)
        self.refresh()

    def all_keys(self) -> list[FooterEntry]:
        """Every key Textual's footer would show, one per action (its first binding), in the
        order of the screen's bindings, then the palette's."""
        if not self.bindings_ready:
            return []
        active = self.screen.active_bindings
        keys: list[FooterEntry] = []
        actions: set[str] = set()
        for _, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                display = self.app.get_key_display(binding)
                keys.append(
                    FooterEntry(
                        binding.key,
                        display,
                        binding.description,
                        binding.action,
                        enabled,
                        tooltip,
                        palette=False,
                    )
                )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            _, binding, enabled, tooltip = palette
            keys.append(
                FooterEntry(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    binding.tooltip or binding.description,
                    palette=True,
                )
            )
        return keys

    def width_of(self, key: FooterEntry) -> int:
        """The columns a key takes: ``" k Desc "`` (compact ``"k Desc"`` and a margin); the
        palette's key, always compact, with its border and padding."""
        compact = self.compact
        size = cell_len(key.display)
        if key.description:
            size += cell_len(key.description) + (1 if compact or key.palette else 3)
        if key.palette:
            size += 1 if compact else 2
        return size + (1 if compact else 0)

    def fitted(self, keys: list[FooterEntry]) -> list[FooterEntry]:
        """The keys that fit on the line: the kept ones (help, quit, close, back, the palette)
        always, then the others in order while there is room."""
        width = self.app.size.width
        if not width:
            return keys
        ranks = [
            0 if key.palette or key.action.rpartition(".")[2].partition("(")[0] in KEPT else 1
            for key in keys
        ]
        room = width
        shown: set[int] = set()
        for index in sorted(range(len(keys)), key=lambda i: ranks[i]):  # stable: in order
            size = self.width_of(keys[index])
            if ranks[index] == 0 or size <= room:
                room -= size
                shown.add(index)
        return [key for index, key in enumerate(keys) if index in shown]

    def place(self, keys: list[FooterEntry]) -> list[tuple[int, int]]:
        """Each key's columns (a compact key's margin left out): from the left in order, the
        palette's against the right edge."""
        margin = 1 if self.compact else 0
        spans: list[tuple[int, int]] = []
        x = 0
        for key in keys:
            size = self.width_of(key)
            if key.palette:
                right = self.app.size.width - margin
                spans.append((max(0, right - size + margin), right))
            else:
                spans.append((x, x + size - margin))
                x += size
        return spans

    # --- Drawing --------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.background_colors[1]  # the footer's own background
        gap = Style.from_color(None, base.rich_color)  # as Textual fills a container's blank
        segments: list[Segment] = []
        x = 0
        for index, (key, (start, end)) in enumerate(zip(self.keys, self.spans, strict=True)):
            if start > x:
                segments.append(Segment(" " * (start - x), gap))
            segments.extend(self.draw_key(key, index == self.hovered, base))
            x = end
        if x < width:
            segments.append(Segment(" " * (width - x), gap))
        return Strip(segments).crop_extend(0, width, gap)

    def draw_key(self, key: FooterEntry, hovered: bool, base: Color) -> list[Segment]:
        """One key as Textual's FooterKey draws it over the footer's background ``base``: a
        normal key ``" k "`` ``"Desc "`` (compact ``"k"`` ``" Desc"``); the palette's key always
        compact, after a thin border and before a column of padding (none when compact)."""
        item = self.get_component_styles("keys-footer--hover" if hovered else "keys-footer--item")
        item_bg = base + item.background
        item_fg = item.color if hovered else self.styles.color
        dim = Style(dim=True) if not key.enabled else Style()
        item_style = Style.from_color((item_bg + item_fg).rich_color, item_bg.rich_color) + dim

        def style(component: str) -> Style:
            styles = self.get_component_styles(component)
            background = item_bg + styles.background
            colour = (background + styles.color).rich_color
            return (
                item_style
                + Style.from_color(colour, background.rich_color)
                + styles.text_style
                + dim
            )

        key_style = style("keys-footer--key")
        compact = self.compact or key.palette
        segments: list[Segment] = []
        if key.palette:
            border = self.get_component_styles("keys-footer--palette-border")
            colours = Style.from_color((item_bg + border.color).rich_color, item_bg.rich_color)
            segments.append(Segment("▏", colours))
        if not key.description:
            segments.append(Segment(key.display, key_style))
        elif compact:
            segments.append(Segment(key.display, key_style))
            segments.append(Segment(f" {key.description}", style("keys-footer--description")))
        else:
            segments.append(Segment(f" {key.display} ", key_style))
            segments.append(Segment(f"{key.description} ", style("keys-footer--description")))
        if key.palette and not self.compact:
            segments.append(Segment(" ", Style.from_color(None, item_bg.rich_color)))
        return segments

    # --- Events ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The screen's bindings may have changed (a change of focus, or of a reactive the
        bindings depend on): as Textual's footer, look again after the next refresh."""
        self.bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.update_keys)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
        self.update_keys()

    def watch_compact(self) -> None:
        self.update_keys()

    def watch_show_command_palette(self) -> None:
        self.update_keys()

    def key_at(self, x: int) -> int | None:
        """The index in :attr:`keys` of the key drawn at column ``x``."""
        for index, (start, end) in enumerate(self.spans):
            if start <= x < end:
                return index
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hover(self.key_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self.hover(None)

    def hover(self, index: int | None) -> None:
        if index == self.hovered:
            return
        self.hovered = index
        tooltip = self.keys[index].tooltip if index is not None else ""
        self.tooltip = tooltip or None
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self.key_at(event.x)
        if index is None:
            return
        key = self.keys[index]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
