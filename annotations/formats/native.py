"""The native JSON export: lossless and versioned; its JSON Schema ships in `schemas/`.

Each article carries its ``memo`` (``""`` when it has none); a tag's memo is its
``description``, as in ``workspace.json``."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from annotations.formats.selection import Selection
from corpus.article import now_iso

FORMAT_NAME = "reader-annotations"
FORMAT_VERSION = 1
HIGHLIGHT_FIELDS = (
    "id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "tags",
    "note",
    "color",
    "created",
    "updated",
    "orphaned",
    "coder",
)


def to_native(selection: Selection, exported: str | None = None) -> dict[str, Any]:
    """The native export document for a selection."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported": exported or now_iso(),
        "tags": [t.to_dict() for t in selection.tags],
        "articles": [
            {
                "id": article.id,
                "title": article.title,
                "author": article.author,
                "url": article.url,
                "published": article.published,
                "memo": selection.memos.get(article.id, ""),
                "highlights": [
                    {f: getattr(h, f) for f in HIGHLIGHT_FIELDS}
                    for h in selection.highlights.get(article.id, [])
                ],
            }
            for article in selection.articles
        ],
    }


def schema() -> dict[str, Any]:
    """The JSON Schema of the native format, as shipped in the package."""
    text = (
        resources.files("annotations.schemas")
        .joinpath("reader-annotations.schema.json")
        .read_text()
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded
