"""Each article's display-text length, what reading progress is measured against.

Knowing a length means rendering the article's Markdown, so lengths are remembered in
``.cache/text-lengths.json``, by the article file's stamp and the renderer's version, and
measured only for the articles asked about: the article list asks only for those read at all
(a ``furthest`` point above 0), each of which was rendered when it was opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from corpus.article import ArticleFormatError
from corpus.file_cache import load_records, path_stamp, save_records
from corpus.library import ArticleNotFound, Library
from corpus.markdown_text import RENDERER_VERSION

CACHE_NAME = "text-lengths.json"
_HEADER = {"version": 1, "renderer": RENDERER_VERSION}


def text_lengths(
    library: Library, article_ids: Iterable[str], *, render: bool = True
) -> dict[str, int]:
    """The display-text length of each of ``article_ids`` that can be read (others are left
    out): from the cache while the article file is unchanged, else rendered and remembered.
    Without ``render``, only what the cache knows (rendering 3,000 articles takes seconds)."""
    path = library.workspace.cache_dir / CACHE_NAME
    known: dict[str, Any] = load_records(path, _HEADER)
    folder = str(library.workspace.articles_dir)
    found: dict[str, int] = {}
    changed = False
    for article_id in article_ids:
        stamp = path_stamp(os.path.join(folder, article_id + ".md"))
        if stamp is None:
            continue
        record = known.get(article_id)
        if isinstance(record, list) and len(record) == 4 and record[:3] == stamp:
            found[article_id] = int(record[3])
            continue
        if not render:
            continue
        try:
            length = len(library.display(article_id).text)
        except (ArticleNotFound, ArticleFormatError):
            continue
        known[article_id] = [*stamp, length]
        found[article_id] = length
        changed = True
    if changed:
        save_records(path, _HEADER, known, "remember the articles' lengths")
    return found


def remember_length(library: Library, article_id: str, length: int) -> None:
    """Remember the length of an article's display text, measured by whoever rendered it
    (the reading pane), so that the list need not render it again."""
    stamp = path_stamp(os.path.join(str(library.workspace.articles_dir), article_id + ".md"))
    if stamp is None:
        return
    path = library.workspace.cache_dir / CACHE_NAME
    known: dict[str, Any] = load_records(path, _HEADER)
    if known.get(article_id) != [*stamp, length]:
        known[article_id] = [*stamp, length]
        save_records(path, _HEADER, known, "remember the articles' lengths")
