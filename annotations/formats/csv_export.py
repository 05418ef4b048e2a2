"""CSV export: one row per highlight and tag, for spreadsheets and data tools.

RFC 4180: a header row, ``\\r\\n`` after every row, fields quoted only when they hold a comma,
a double quote or a line break (quotes doubled inside). Plain UTF-8 without a byte-order mark.
A highlight with several tags has a row per tag (the other columns repeated); one without tags
has a single row with an empty ``tag``. ``start`` and ``end`` are code-point offsets into the
article's display text; ``coder`` is who made the highlight (empty when not recorded).
When an article of the export was imported from a PDF, a last column, ``page``, gives the page
(1 for the first) where each of its highlights starts; it is empty for other articles.
"""

from __future__ import annotations

import csv
import io

from annotations.formats.selection import Selection
from corpus.pdf_import import page_at, page_starts

COLUMNS = ("id", "article", "title", "tag", "quote", "note", "start", "end", "created", "coder")


def to_csv(selection: Selection) -> str:
    """The selection as CSV text."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    paged = any(page_starts(article) for article in selection.articles)
    writer.writerow((*COLUMNS, "page") if paged else COLUMNS)
    for article in selection.articles:
        for h in selection.highlights.get(article.id, []):
            page = (page_at(article, h.start) or "",) if paged else ()
            writer.writerows(
                (
                    *(h.id, article.id, article.title, tag, h.quote, h.note),
                    *(h.start, h.end, h.created, h.coder),
                    *page,
                )
                for tag in h.tags or [""]
            )
    return out.getvalue()
