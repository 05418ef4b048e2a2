"""A minimal Line API scroller: the baseline for one page-down in tmux (issue 22).

``python -m bench.line_scroller FILE`` shows FILE's text wrapped to the terminal's width in a
Textual ``ScrollView`` whose ``render_line`` returns one plain strip per line: the least a
Textual app can do to scroll a long text. Page down and the arrows scroll it; ``q`` quits.
"""

from __future__ import annotations

import sys
import textwrap

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


class Lines(ScrollView, can_focus=True):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines
        self.virtual_size = Size(max(map(len, lines), default=0), len(lines))

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if index >= len(self.lines):
            return Strip.blank(self.size.width)
        return Strip([Segment(self.lines[index])]).crop_extend(0, self.size.width, None)


class Scroller(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Lines(wrap(self.text, 118))

    def on_mount(self) -> None:
        self.query_one(Lines).focus()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        Scroller(handle.read()).run()
