"""Plain dataclasses the store returns: nothing here knows about TinyDB or the screen."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_HIGHLIGHT_COLOR = "#f2c94c"
# Colours given to new tags in turn: distinct on dark and light backgrounds.
TAG_PALETTE = (
    "#f2c94c",  # amber
    "#6fcf97",  # green
    "#56ccf2",  # sky
    "#f2994a",  # orange
    "#bb6bd9",  # violet
    "#eb5757",  # red
    "#2dd4bf",  # teal
    "#f78fb3",  # pink
)


@dataclass
class Highlight:
    """A highlighted passage: ``start``/``end`` are code-point offsets into the display text."""

    id: str
    article_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    color: str | None = None
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def display_color(self, tags: Mapping[str, Tag]) -> str:
        """The colour to draw it in: its own, else its first known tag's, else the default."""
        if self.color:
            return self.color
        for name in self.tags:
            if name in tags:
                return tags[name].color
        return DEFAULT_HIGHLIGHT_COLOR

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Highlight:
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        known["tags"] = list(known.get("tags") or [])
        return cls(**known)


@dataclass
class Tag:
    """A code in the codebook: a name, a colour (``#rrggbb``) and a description."""

    name: str
    color: str = DEFAULT_HIGHLIGHT_COLOR
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ArticleState:
    """Where a reader is in one article: cursor offset, read or not, when last opened."""

    article_id: str
    position: int = 0
    read: bool = False
    last_opened: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
