"""What a reading-list export knew about an article, recorded once the article is imported.

An article has no tags of its own in reader (tags are codes on highlights), so a reading
list's tags (Pocket tags, an Instapaper folder, Readwise document tags, an OPML folder) are
recorded two ways: each becomes a tag in the codebook (ready to code with, shown in the tag
manager), and the article's memo gets one line ``Tags from Pocket: a, b`` (shown with the
article, searchable, exported with the memos). An article archived in the service is archived
here. Readwise highlights become highlights, placed by their quote on the imported text (as
``reader annotate --quote`` finds a quote: curly and straight quotes alike), with their note
and their tags; a quote not found in the text goes into the memo, so it is not lost.

Importing the same export again adds nothing: a line already in the memo is not repeated, a
tag already in the codebook is kept as it is, and a highlight already over the same span with
the same tags is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotations.codebook import plural
from annotations.errors import StoreError
from annotations.model import clean_tag_name

if TYPE_CHECKING:
    from annotations.store import AnnotationStore
    from corpus.reading_lists import ListHighlight, ReadingItem


def _tag_names(raw: tuple[str, ...]) -> list[str]:
    names = []
    for name in raw:
        try:
            names.append(clean_tag_name(name))
        except StoreError:
            continue  # empty, too long or a control character: not a tag we can hold
    return list(dict.fromkeys(names))


def _with_line(memo: str, line: str) -> str:
    if line in memo.split("\n"):
        return memo
    return f"{memo.rstrip()}\n{line}" if memo.strip() else line


def _place(store: AnnotationStore, article_id: str, text: str, highlight: ListHighlight) -> str:
    """Add one highlight at its quote: ``placed``, ``there`` (already highlighted so) or
    ``missing`` (the quote is not in the text)."""
    from annotations.store import DuplicateHighlight
    from corpus.quotes import find_quote

    spans = find_quote(text, highlight.quote)
    if not spans:
        return "missing"
    start, end = spans[0]
    tags = _tag_names(highlight.tags)
    for name in tags:
        store.ensure_tag(name)
    try:
        store.add_highlight(article_id, start, end, tags=tags, note=highlight.note)
    except DuplicateHighlight:
        return "there"
    return "placed"


def record_listed(store: AnnotationStore, article_id: str, item: ReadingItem) -> list[str]:
    """Record ``item``'s tags, state and highlights on the imported article ``article_id``
    (see the module); returns what was recorded, a phrase each. Raises :class:`StoreError`
    or :class:`OSError` when the store refuses (the article itself stays imported)."""
    details: list[str] = []
    tags = _tag_names(item.tags)
    memo = store.state(article_id).memo
    new_memo = memo
    if tags:
        for name in tags:
            store.ensure_tag(name)
        line = f"Tags from {item.service}: {', '.join(tags)}"
        if line not in new_memo.split("\n"):
            new_memo = _with_line(new_memo, line)
            details.append(line[0].lower() + line[1:])
    if item.highlights:
        text = store.library.display(article_id).text
        counts = {"placed": 0, "there": 0, "missing": 0}
        missing = []
        for highlight in item.highlights:
            outcome = _place(store, article_id, text, highlight)
            counts[outcome] += 1
            if outcome == "missing":
                missing.append(highlight)
        for highlight in missing:
            quote = " ".join(highlight.quote.split())
            new_memo = _with_line(new_memo, f"{item.service} highlight not found: “{quote}”")
        if counts["placed"] or counts["missing"]:
            said = f"{plural(counts['placed'], 'highlight')} from {item.service} placed"
            if counts["there"]:
                said += f", {counts['there']} already there"
            if counts["missing"]:
                said += f", {counts['missing']} not found, quoted in the memo"
            details.append(said)
    if new_memo != memo:
        store.set_memo(article_id, new_memo)
    if item.archived and not store.state(article_id).archived:
        store.set_archived([article_id], True)
        details.append(f"archived, as in {item.service}")
    return details
