"""A horizontal bar chart drawn with block characters, as wide as its container.

Each bar is a label, a bar in eighths of a cell, and the number. A bar with a ``total`` is a
progress bar: drawn over a track, with ``value/total`` and a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from reader.shown import safe_content

EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class Bar:
    """One row: ``color`` ``None`` draws it in the theme's accent."""

    label: str | Content
    value: int
    color: str | None = None
    total: int | None = None


def bar_cells(fraction: float, width: int) -> str:
    """A bar ``fraction`` (0-1) of ``width`` cells long, to an eighth of a cell; at least a
    sliver for any non-zero fraction so small counts stay visible."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    if fraction > 0 and eighths == 0:
        eighths = 1
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


class BarChart(Widget):
    """Rows of labelled bars, scaled to the largest value (or to each row's total)."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        width: 1fr;
    }
    """

    def __init__(
        self,
        bars: Iterable[Bar] = (),
        *,
        label_width: int = 24,
        label_share: float = 1 / 3,
        empty: str = "nothing yet",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.bars = list(bars)
        self.label_width = label_width
        self.label_share = label_share  # at most this part of the width goes to labels
        self.empty = empty

    def set_bars(self, bars: Iterable[Bar], empty: str | None = None) -> None:
        self.bars = list(bars)
        if empty is not None:
            self.empty = empty
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self.bars))

    def _number(self, bar: Bar, digits: int) -> str:
        if bar.total is None:
            return f"{bar.value:>{digits}}"
        percent = 100 * bar.value / bar.total if bar.total else 0
        return f"{bar.value:>{digits}}/{bar.total:<{digits}} {percent:>3.0f}%"

    def render(self) -> Content:
        if not self.bars:
            return Content.styled(self.empty, "italic $text-muted")
        width = self.content_size.width
        digits = max(len(str(max(b.value, b.total or 0))) for b in self.bars)
        numbers = [self._number(bar, digits) for bar in self.bars]
        number_width = max(len(n) for n in numbers)
        label_width = min(
            self.label_width,
            max(len(str(b.label)) for b in self.bars),
            max(6, int(width * self.label_share)),
        )
        bar_width = max(4, width - label_width - number_width - 2)
        scale = max((b.value for b in self.bars if b.total is None), default=0)
        lines = []
        for bar, number in zip(self.bars, numbers, strict=True):
            # A str label is a tag name or an article title: shown, never obeyed.
            label = bar.label if isinstance(bar.label, Content) else safe_content(bar.label)
            total = bar.total if bar.total is not None else scale
            drawn = bar_cells(bar.value / total if total else 0, bar_width)
            style = bar.color or "$accent"
            parts: list[Content | tuple[str, str] | str] = [
                label.truncate(label_width, ellipsis=True, pad=True),
                " ",
                (drawn, style),
            ]
            if bar.total is not None:
                parts.append(("░" * (bar_width - len(drawn)), "$foreground 25%"))
            else:
                parts.append(" " * (bar_width - len(drawn)))
            parts.extend([" ", (number, "$text-muted" if bar.total is None else "bold")])
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)
