"""Search in the quotes and notes of every highlight, with the same queries as the articles.

A highlight matches when each term of the query occurs in its quote or in its note; every
occurrence is a :class:`NoteMatch`. The stored records are read as they are: nothing is rendered
or re-anchored, so a search over 100,000 highlights reads only the highlight files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.text_match import FoldedText, compile_query, context_line, find_query, find_spans

FIELDS = ("quote", "note")


@dataclass(frozen=True)
class NoteMatch:
    """An occurrence in a highlight's ``field`` (``"quote"`` or ``"note"``).

    ``start``/``end`` are offsets into that field's text; ``context`` is one line around the
    match, which is ``context[context_start:context_end]``.
    """

    highlight: Highlight
    field: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int


def _matches(highlight: Highlight, patterns: list[re.Pattern[str]]) -> list[NoteMatch]:
    texts = {name: FoldedText(str(getattr(highlight, name))) for name in FIELDS}
    if len(patterns) > 1 and not all(
        any(find_spans([pattern], texts[name].folded) for name in FIELDS) for pattern in patterns
    ):
        return []
    found: list[NoteMatch] = []
    for name in FIELDS:
        for start, end in find_query(patterns, texts[name], require_all=False):
            line, at, to = context_line(texts[name].text, start, end)
            found.append(NoteMatch(highlight, name, start, end, line, at, to))
    return found


def search_annotations(
    store: AnnotationStore,
    query: str,
    *,
    regex: bool = False,
    problems: list[str] | None = None,
) -> list[NoteMatch]:
    """Every match of ``query`` in the quotes and notes of the workspace's highlights.

    Article by article in id order, highlights in document order, the quote before the note.
    Raises :class:`corpus.text_match.QueryError` for a bad regular expression. A highlights file
    that cannot be read raises :class:`StoreError`, unless ``problems`` is given: then its
    error is added there and the other files are still searched.
    """
    patterns = compile_query(query, regex=regex)
    if not patterns:
        return []
    found: list[NoteMatch] = []
    for _, highlights in store.stored_by_article(problems):
        for highlight in highlights:
            found.extend(_matches(highlight, patterns))
    return found
