"""Every highlight of the corpus in one list: the app's ``H`` view and ``reader highlights``.

:func:`highlights_view` gathers the highlights asked for (every one, or those of some
articles, tags or words), groups them by tag or by article and gives each its line of context,
so a front end only shows the groups. By tag, nested tags roll up: a passage tagged
``AI/likeness`` is listed under ``AI/likeness`` and counted in ``AI`` (each highlight once,
however many of ``AI``'s tags it carries), and the groups come in tree order.

The context line is cut from the stored quote and the 32 characters of display text stored on
each side of it (the W3C quote selector), so no article is read or rendered, and only when it
is shown: 30,000 highlights are read and grouped in about half a second
(``docs/performance.md``). By default the records are read
as stored; with ``check`` each article's highlights are first checked against its text (and
re-anchored if it changed), through the export's cache of those checks, so the offsets are
exactly right for a script that slices the display text with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from annotations.errors import StoreError
from annotations.filtering import tag_matches
from annotations.model import Highlight, implied_parents, tree_order
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from corpus.text_match import fold

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

GroupBy = Literal["tag", "article"]
UNTAGGED = ""  # the key of the group of highlights without a tag
CONTEXT_WIDTH = 100  # characters of a context line, "…" marks included
# Where a sentence ends inside a context: the line shows the quote's own sentence.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*\s")


@dataclass(frozen=True)
class Item:
    """One highlight as the view lists it, with the title of its article and a line of the
    display text around the quote, at most ``width`` characters (made when first asked for:
    a screen shows a few of 30,000, the command line none)."""

    highlight: Highlight
    title: str
    width: int = CONTEXT_WIDTH

    @cached_property
    def _context(self) -> tuple[str, int, int]:
        return context_of(self.highlight, self.width)

    @property
    def context(self) -> str:
        """The line, in which ``context[context_start:context_end]`` is the quote (shortened
        in the middle when the quote is longer than the line)."""
        return self._context[0]

    @property
    def context_start(self) -> int:
        return self._context[1]

    @property
    def context_end(self) -> int:
        return self._context[2]

    @property
    def id(self) -> str:
        return self.highlight.id

    @property
    def article_id(self) -> str:
        return self.highlight.article_id

    @property
    def tags(self) -> list[str]:
        return self.highlight.tags

    @cached_property
    def searchable(self) -> str:
        """The quote and the note, folded for the text filter (once per item)."""
        h = self.highlight
        return fold(f"{h.quote}\n{h.note}" if h.note else h.quote)


@dataclass(frozen=True)
class Group:
    """A heading of the view and the highlights listed under it.

    By tag, ``key`` is the tag name (``UNTAGGED`` for highlights without one), ``depth`` its
    nesting, ``items`` the highlights carrying exactly that tag, and ``count`` the highlights
    carrying it or a tag nested in it (a parent that is not a tag itself has no items of its
    own). By article, ``key`` is the article id, ``label`` its title, and ``count`` its items.
    """

    key: str
    label: str
    count: int
    depth: int = 0
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class HighlightsView:
    """What :func:`highlights_view` found: the groups in order, and each highlight once."""

    by: GroupBy
    groups: list[Group]
    items: list[Item]  # article by article in id order, each in document order
    problems: list[str] = field(default_factory=list)  # files that could not be read

    @property
    def ids(self) -> tuple[str, ...]:
        """The ids of the highlights shown: what exporting the view writes."""
        return tuple(item.id for item in self.items)

    @property
    def articles(self) -> int:
        return len({item.article_id for item in self.items})


def highlights_view(
    store: AnnotationStore,
    *,
    articles: Iterable[str] = (),
    tags: Iterable[str] = (),
    text: str = "",
    by: GroupBy = "tag",
    check: bool = False,
    width: int = CONTEXT_WIDTH,
    coders: Iterable[str] = (),
) -> HighlightsView:
    """The highlights of ``articles`` (every annotated article when empty) that carry one of
    ``tags`` or a tag nested in it (any tag when empty) and hold every word of ``text`` in
    their quote or note (folded as search folds: case, accents, typographic quotes), made by
    one of ``coders`` (any coder when empty; "" names highlights with no coder), grouped
    ``by`` tag or article, with context lines of at most ``width`` characters.

    With tags asked for, the groups by tag are those tags and the tags nested in them (and
    their parents, for the roll-up), not the other tags the highlights carry. With ``check``
    the highlights are checked against their articles' text first (see the module's
    docstring). A highlights file that cannot be read is left out and named in ``problems``.
    An article named in ``articles`` that does not exist raises
    :class:`corpus.library.ArticleNotFound`.
    """
    problems: list[str] = []
    items = read_items(
        store, articles=articles, tags=tags, check=check, width=width, problems=problems
    )
    return arrange(items, tags=tags, text=text, by=by, problems=problems, coders=coders)


def read_items(
    store: AnnotationStore,
    *,
    articles: Iterable[str] = (),
    tags: Iterable[str] = (),
    check: bool = False,
    width: int = CONTEXT_WIDTH,
    problems: list[str] | None = None,
) -> list[Item]:
    """The items :func:`highlights_view` lists before the text filter and the grouping, for a
    screen that reads once and filters as the user types (:func:`arrange`)."""
    wanted_tags = tuple(tags)
    titles = _Titles(store)
    items: list[Item] = []
    found = problems if problems is not None else []
    for highlights in _read(store, tuple(articles), wanted_tags, check, found):
        for h in highlights:
            if wanted_tags and not any(tag_matches(n, w) for w in wanted_tags for n in h.tags):
                continue
            items.append(Item(h, titles.of(h.article_id), width))
    return items


def arrange(
    items: Iterable[Item],
    *,
    tags: Iterable[str] = (),
    text: str = "",
    by: GroupBy = "tag",
    problems: Iterable[str] = (),
    coders: Iterable[str] = (),
) -> HighlightsView:
    """The view of ``items`` that :func:`highlights_view`'s filters keep, grouped ``by``."""
    wanted_tags = tuple(tags)
    wanted_coders = set(coders)
    words = fold(text).split()
    kept = [
        item
        for item in items
        if (not wanted_coders or item.highlight.coder in wanted_coders)
        and (not wanted_tags or any(tag_matches(n, w) for w in wanted_tags for n in item.tags))
        and (not words or all(word in item.searchable for word in words))
    ]
    groups = _by_tag(kept, wanted_tags) if by == "tag" else _by_article(kept)
    return HighlightsView(by, groups, kept, list(problems))


def _read(
    store: AnnotationStore,
    articles: tuple[str, ...],
    tags: tuple[str, ...],
    check: bool,
    problems: list[str],
) -> Iterator[list[Highlight]]:
    """Each wanted article's highlights, in article-id order."""
    for name in articles:
        if name not in store.library:
            raise ArticleNotFound(name)
    if check:
        from annotations.formats.selection import Filters, select

        selection = select(store, Filters(articles=articles, tags=tags), texts=False)
        problems.extend(f"{left.article_id}: {left.reason}" for left in selection.left_out)
        yield from selection.highlights.values()
        return
    if articles:
        for article_id in sorted(set(articles)):
            try:
                yield store.highlights(article_id, check=False)
            except StoreError as exc:
                problems.append(str(exc))
        return
    for _, highlights in store.stored_by_article(problems):
        yield highlights


class _Titles:
    """Article titles from the library's cached summaries, read once per view."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.known: dict[str, str] | None = None

    def of(self, article_id: str) -> str:
        if self.known is None:
            self.known = {s.id: s.title for s in self.store.library.summaries()}
        title = self.known.get(article_id)
        if title is None:
            try:
                title = self.store.library.get(article_id).title
            except (ArticleNotFound, ArticleFormatError):
                title = article_id
            self.known[article_id] = title
        return title


def context_of(highlight: Highlight, width: int = CONTEXT_WIDTH) -> tuple[str, int, int]:
    """One line around the highlight's quote, from its stored context: the quote's sentence,
    as far as the 32 stored characters each side reach, never across a line break, at most
    ``width`` characters; ``…`` marks a cut. Returns ``(line, quote_start, quote_end)``."""
    before, quote, after = highlight.prefix, highlight.quote, highlight.suffix
    lead = tail = "…"
    cut = max(before.rfind("\n"), _last_sentence_end(before))
    if cut >= 0:
        before, lead = before[cut + 1 :].lstrip(), ""
    elif len(before) < 32:
        lead = ""  # the whole stored context: the text starts there
    else:
        before = _from_word(before)
    # A quote that ends its sentence (or line) ends the context line too.
    end = 0 if _SENTENCE_END.match(quote[-1:] + after[:1]) else _line_or_sentence_end(after)
    if end >= 0:
        after, tail = after[:end].rstrip(), ""
    elif len(after) < 32:
        tail = ""
    else:
        after = _to_word(after)
    quote = " ".join(quote.split("\n"))
    room = max(width - len(lead) - len(tail), 8)
    if len(quote) > room:  # the quote alone fills the line: its two ends, no context
        half = (room - 1) // 2
        quote = quote[:half] + "…" + quote[len(quote) - (room - 1 - half) :]
        return quote, 0, len(quote)
    spare = room - len(quote)
    if len(before) + len(after) > spare:
        keep_before = min(len(before), max(spare // 2, spare - len(after)))
        if keep_before < len(before):
            before, lead = _from_word(before[len(before) - keep_before :]), "…"
        keep_after = spare - len(before)
        if keep_after < len(after):
            after, tail = _to_word(after[:keep_after]), "…"
    line = f"{lead}{before}{quote}{after}{tail}"
    at = len(lead) + len(before)
    return line, at, at + len(quote)


def _from_word(text: str) -> str:
    """``text`` from its first whole word (its start was cut off)."""
    space = text.find(" ")
    return text[space + 1 :] if 0 <= space < len(text) - 1 else text


def _to_word(text: str) -> str:
    """``text`` up to its last whole word (its end was cut off)."""
    space = text.rfind(" ")
    return text[:space] if space > 0 else text


def _last_sentence_end(text: str) -> int:
    """The offset of the last character ending a sentence in ``text`` (the white space after
    it), or -1."""
    last = -1
    for match in _SENTENCE_END.finditer(text):
        last = match.end() - 1
    return last


def _line_or_sentence_end(text: str) -> int:
    """Where the quote's line or sentence ends in the text after it, or -1 (not in reach)."""
    newline = text.find("\n")
    match = _SENTENCE_END.search(text)
    ends = [i for i in (newline, match.end() - 1 if match else -1) if i >= 0]
    return min(ends) if ends else -1


def _by_tag(items: list[Item], wanted: tuple[str, ...]) -> list[Group]:
    own: dict[str, list[Item]] = {}
    counts: dict[str, int] = {}
    untagged: list[Item] = []
    rolls: dict[str, tuple[str, ...]] = {}  # a name and its parents, worked out once per name
    for item in items:
        names = item.highlight.tags
        if wanted:
            names = [n for n in names if any(tag_matches(n, w) for w in wanted)]
        if not names:
            untagged.append(item)
            continue
        for name in names:
            if name not in rolls:
                rolls[name] = (name, *implied_parents(name))
        if len(names) == 1:  # most highlights: no need to count a parent only once
            rolled: Iterable[str] = rolls[names[0]]
        else:
            rolled = {n for name in names for n in rolls[name]}
        for name in dict.fromkeys(names) if len(names) > 1 else names:
            own.setdefault(name, []).append(item)
        for name in rolled:
            counts[name] = counts.get(name, 0) + 1
    groups = [
        Group(name, name, counts[name], _depth(name), own.get(name, []))
        for name in sorted(counts, key=tree_order)
    ]
    if untagged:
        groups.append(Group(UNTAGGED, "untagged", len(untagged), 0, untagged))
    return groups


def _depth(name: str) -> int:
    return len(implied_parents(name))


def _by_article(items: list[Item]) -> list[Group]:
    groups: list[Group] = []
    for item in items:  # already article by article
        if not groups or groups[-1].key != item.article_id:
            groups.append(Group(item.article_id, item.title, 0))
        groups[-1].items.append(item)
    return [Group(g.key, g.label, len(g.items), 0, g.items) for g in groups]
