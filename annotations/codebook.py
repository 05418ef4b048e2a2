"""Codebook operations: rename, merge, delete and edit tags, bulk coding, and undoing them.

These run on an :class:`~annotations.store.AnnotationStore` (its methods of the same names call
them) under the workspace lock, and each is durable when it returns. They read and write only
through the store's public methods (:class:`CodebookStore` names them), so this module knows
nothing of the files' shape, and it does not import the store, which imports it.

How a change is written, so that a crash part-way loses nothing and running the same operation
again completes it:

* Everything is read and checked first: a bad name, an unknown tag, a name in use or a file that
  does not parse raises :class:`StoreError` before any file is touched.
* Each touched article file is then rewritten once (atomically, like every store write; all
  of them together, :meth:`AnnotationStore.write_highlights`), and ``workspace.json``, which
  holds the codebook, once (:meth:`AnnotationStore.write_codebook`).
* When the change only adds to the codebook (:func:`bulk_code`, :func:`create_tag`), the codebook
  is written first, so no highlight ever names a tag it lacks (and a bulk code whose article
  files then cannot be written takes its new tags out again). When the change removes records
  (:func:`rename_tag`, :func:`merge_tags`, :func:`delete_tag`, and :func:`undo_tag_change`), the
  codebook is written last: until then the old records, with their colours and descriptions,
  are all still there. After a crash some article files have the new tags and some the old;
  the old names are still in the codebook, so the same operation is accepted again and
  finishes the rest (a rename checks only the codebook for a clash, and the new name enters it
  in that last write). Meanwhile a renamed highlight may name a tag the codebook does not have
  yet: it is drawn in the default colour, and nothing is lost.

Every operation returns a :class:`TagChange` holding what it replaced; :func:`undo_tag_change`
puts exactly that back. Undo is meant for the last change (a tag manager's ``u``): it restores
the touched highlights and codebook records as they were, over anything done to them since.

Tag names may contain ``/`` to nest (``AI/likeness`` inside ``AI``; the rules for names are in
:mod:`annotations.model`). A parent need not be a tag itself; renaming a parent, as a tag or
only implicitly, renames its children with it. Merging and deleting act on the names given,
not on their children.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Protocol

from annotations.model import (
    Highlight,
    Tag,
    clean_tag_name,
    clean_text,
    implied_parents,
    is_color,
    is_nested_in,
    known_tag_name,
    known_tag_names,
    palette_color,
    renamed_tag,
    tree_order,
)
from annotations.records import HighlightChanges
from annotations.storage import StoreError
from corpus.article import ArticleFormatError, now_iso
from corpus.library import ArticleNotFound, Library


class CodebookStore(Protocol):
    """What the operations here use of :class:`~annotations.store.AnnotationStore`: a protocol,
    so that this module need not import the store (which imports it for its methods)."""

    @property
    def lock(self) -> AbstractContextManager[object]: ...

    @property
    def library(self) -> Library: ...

    def tags(self) -> list[Tag]: ...

    def highlights(self, article_id: str, *, check: bool = True) -> list[Highlight]: ...

    def stored_by_article(
        self, problems: list[str] | None = None
    ) -> Iterator[tuple[str, list[Highlight]]]: ...

    def tag_counts(self) -> dict[str, int]: ...

    def write_codebook(self, after: Mapping[str, Tag | None]) -> None: ...

    def write_highlights(self, changes: Mapping[str, HighlightChanges]) -> None: ...


class CodeSpan(NamedTuple):
    """A passage for :func:`bulk_code`: ``[start, end)`` of an article's display text, and
    ``quote``, what the search matched there. A span whose text is no longer its quote (the
    article changed since the search, or the search index was stale) is skipped, never coded;
    ``None`` checks nothing."""

    article_id: str
    start: int
    end: int
    quote: str | None = None


@dataclass
class TagChange:
    """One codebook change, with what it replaced so that it can be undone.

    ``tags_before`` maps every codebook name the change touched to its record as it was
    (``None``: there was none); ``highlights_before`` holds the highlights whose tags changed,
    as they were; ``created`` the ``(article_id, highlight_id)`` of highlights it made.
    ``skipped`` holds the spans a bulk code left alone because their text changed.
    """

    label: str
    tags_before: dict[str, Tag | None] = field(default_factory=dict)
    highlights_before: list[Highlight] = field(default_factory=list)
    created: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[CodeSpan] = field(default_factory=list)

    @property
    def highlight_count(self) -> int:
        """How many highlights the change made or retagged."""
        return len(self.highlights_before) + len(self.created)


@dataclass(frozen=True)
class TagRow:
    """One line of the codebook as a tree: a tag, or a parent that is only implied by the
    names nested in it (``in_codebook`` false, ``color`` ``None``)."""

    name: str
    depth: int
    label: str
    color: str | None
    description: str
    count: int
    in_codebook: bool
    total: int = 0  # highlights with this tag or one nested in it, each once


def codebook_rows(
    tags: Iterable[Tag], counts: Mapping[str, int], totals: Mapping[str, int] | None = None
) -> list[TagRow]:
    """The codebook in tree order, children under their parents (``AI`` then ``AI/likeness``),
    with the highlight count of each name and, from ``totals`` (:meth:`tag_tallies`), that of
    it and the names nested in it (its own count when not given). Names on highlights but not
    in the codebook are listed too, and parents that are no tag get a row so the tree is whole."""
    records = {tag.name: tag for tag in tags}
    names = set(records) | {name for name, n in counts.items() if n}
    for name in list(names):
        names.update(implied_parents(name))
    rows = []
    for name in sorted(names, key=tree_order):
        parent = name.rsplit("/", 1)[0] if "/" in name else ""
        depth = name.count("/") if parent in names and all(name.split("/")) else 0
        tag = records.get(name)
        rows.append(
            TagRow(
                name=name,
                depth=depth,
                label=name[len(parent) + 1 :] if depth else name,
                color=tag.color if tag else None,
                description=tag.description if tag else "",
                count=counts.get(name, 0),
                in_codebook=tag is not None,
                total=(totals if totals is not None else counts).get(name, 0),
            )
        )
    return rows


def plural(n: int, word: str) -> str:
    """``1 highlight``, ``2 highlights``: the count and the noun, for messages."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- reading and writing --------------------------------------------------------------------
def _codebook(store: CodebookStore) -> dict[str, Tag]:
    return {tag.name: tag for tag in store.tags()}


def _everything(store: CodebookStore) -> dict[str, list[Highlight]]:
    """Every article's highlights as stored (not re-anchored: tags do not depend on places).
    A file that does not parse raises here, before anything is written."""
    return dict(store.stored_by_article())


def _retag(
    store: CodebookStore,
    everything: Mapping[str, list[Highlight]],
    rename: Callable[[str], str | None],
) -> tuple[dict[str, list[Highlight]], list[Highlight]]:
    """New versions of the highlights whose tags ``rename`` (name -> name or None) changes,
    by article, and the same highlights as they were."""
    stamp = now_iso()
    changed: dict[str, list[Highlight]] = {}
    before: list[Highlight] = []
    for article_id, highlights in everything.items():
        for h in highlights:
            tags: list[str] = []
            for name in h.tags:
                target: str | None = rename(name)
                if target is not None and target not in tags:
                    tags.append(target)
            if tags != h.tags:
                before.append(h)
                changed.setdefault(article_id, []).append(replace(h, tags=tags, updated=stamp))
    return changed, before


def _apply(
    store: CodebookStore,
    change: TagChange,
    codebook_after: Mapping[str, Tag | None],
    articles: Mapping[str, list[Highlight]],
) -> TagChange:
    """Write highlight files first, then the codebook (the order for changes that remove)."""
    store.write_highlights({article_id: (hs, ()) for article_id, hs in articles.items()})
    store.write_codebook(codebook_after)
    return change


# -- operations ---------------------------------------------------------------------------------
def rename_tag(store: CodebookStore, old: str, new: str) -> TagChange:
    """Rename a tag and its nested children (``old/x`` becomes ``new/x``) everywhere."""
    # The new name is taken as typed: a rename is how a tag's case is changed (ai to AI).
    new = clean_tag_name(new)
    with store.lock:
        codebook = _codebook(store)
        everything = _everything(store)
        used = {name for hs in everything.values() for h in hs for name in h.tags}
        old = known_tag_name(old, codebook.keys() | used)
        if old == new:
            raise StoreError(f"tag {old!r} already has that name")
        if is_nested_in(new.casefold(), old.casefold()):
            raise StoreError(f"cannot rename tag {old!r} to {new!r}, a name nested inside it")

        def rename(name: str) -> str:
            return renamed_tag(name, old, new)

        moving = sorted(n for n in codebook.keys() | used if n == old or is_nested_in(n, old))
        if not moving:
            raise StoreError(f"no tag {old!r}")
        staying = {n.casefold(): n for n in codebook if n not in moving}
        for name in moving:
            if rename(name).casefold() in staying:
                raise StoreError(
                    f"tag {staying[rename(name).casefold()]!r} already exists; "
                    f"merge {name!r} into it instead"
                )
        articles, before = _retag(store, everything, rename)
        change = TagChange(f"renamed #{old} to #{new}", highlights_before=before)
        after: dict[str, Tag | None] = {}
        for name in moving:
            if name in codebook:
                change.tags_before[name] = codebook[name]
                change.tags_before[rename(name)] = None
                after[name] = None
                after[rename(name)] = replace(codebook[name], name=rename(name))
        return _apply(store, change, after, articles)


def merge_tags(store: CodebookStore, sources: Sequence[str], into: str) -> TagChange:
    """Move every highlight of ``sources`` to ``into`` (created if missing) and remove the
    sources from the codebook. A highlight with several of them gets ``into`` once."""
    with store.lock:
        codebook = _codebook(store)
        everything = _everything(store)
        used = {name for hs in everything.values() for h in hs for name in h.tags}
        into = known_tag_name(into, codebook.keys() | used)
        merged = [name for name in known_tag_names(sources, codebook.keys() | used) if name != into]
        if not merged:
            raise StoreError(f"nothing to merge into {into!r}: name another tag")
        for name in merged:
            if name not in codebook and name not in used:
                raise StoreError(f"no tag {name!r}")
        articles, before = _retag(store, everything, lambda name: into if name in merged else name)
        label = f"merged {', '.join('#' + n for n in merged)} into #{into}"
        change = TagChange(label, highlights_before=before)
        after: dict[str, Tag | None] = {}
        if into not in codebook:
            first = next((codebook[n] for n in merged if n in codebook), None)
            target = replace(first, name=into) if first else Tag(into, palette_color(len(codebook)))
            change.tags_before[into] = None
            after[into] = target
        for name in merged:
            if name in codebook:
                change.tags_before[name] = codebook[name]
                after[name] = None
        return _apply(store, change, after, articles)


def delete_tag(store: CodebookStore, name: str) -> TagChange:
    """Take a tag off every highlight (the highlights stay) and out of the codebook."""
    with store.lock:
        codebook = _codebook(store)
        everything = _everything(store)
        used = {n for hs in everything.values() for h in hs for n in h.tags}
        name = known_tag_name(name, codebook.keys() | used)
        if name not in codebook and name not in used:
            raise StoreError(f"no tag {name!r}")
        articles, before = _retag(store, everything, lambda n: None if n == name else n)
        change = TagChange(f"deleted #{name}", highlights_before=before)
        if name in codebook:
            change.tags_before[name] = codebook[name]
        return _apply(store, change, {name: None}, articles)


def create_tag(
    store: CodebookStore, name: str, *, color: str | None = None, description: str = ""
) -> TagChange:
    """Add a tag to the codebook (a name already there is an error)."""
    if color is not None and not is_color(color):
        raise StoreError(f"tag colour {color!r} is not of the form #rrggbb")
    with store.lock:
        codebook = _codebook(store)
        name = known_tag_name(name, codebook)
        if name in codebook:
            raise StoreError(f"tag {name!r} already exists")
        tag = Tag(name, color or palette_color(len(codebook)), clean_text(description))
        store.write_codebook({name: tag})
        return TagChange(f"created #{name}", tags_before={name: None})


def edit_tag(
    store: CodebookStore,
    name: str,
    *,
    color: str | None = None,
    description: str | None = None,
) -> TagChange:
    """Recolour or describe a tag. A name used only on highlights, or only as a parent of
    nested tags, gets a codebook record; an unknown name is an error."""
    if color is not None and not is_color(color):
        raise StoreError(f"tag colour {color!r} is not of the form #rrggbb")
    with store.lock:
        codebook = _codebook(store)
        name = known_tag_name(name, codebook)
        current = codebook.get(name)
        if current is None:
            known = any(is_nested_in(n, name) for n in codebook) or name in store.tag_counts()
            if not known:
                raise StoreError(f"no tag {name!r}")
        tag = current or Tag(name, palette_color(len(codebook)))
        edited = replace(
            tag,
            color=tag.color if color is None else color,
            description=tag.description if description is None else clean_text(description),
        )
        what = " and ".join(
            word
            for word, given in (("recoloured", color), ("described", description))
            if given is not None
        )
        change = TagChange(f"{what or 'edited'} #{name}", tags_before={name: current})
        store.write_codebook({name: edited})
        return change


def bulk_code(
    store: CodebookStore,
    spans: Iterable[CodeSpan | tuple[str, int, int]],
    tags: Sequence[str],
) -> TagChange:
    """Code many passages at once: each span becomes a highlight with ``tags``, or, when an
    article already has a highlight over exactly that range, that highlight gains the tags it
    lacks. A :class:`CodeSpan` whose text is no longer its quote is skipped (and listed in
    ``TagChange.skipped``); every other span is checked before anything is written. One write
    per article, after the codebook has any new tags; if an article cannot be written, the new
    tags are taken out of the codebook again, so "nothing changed" stays true."""
    names = known_tag_names(tags, (t.name for t in store.tags()))
    if not names:
        raise StoreError("bulk coding needs at least one tag")
    wanted: dict[str, dict[tuple[int, int], str | None]] = {}
    for span in spans:
        article_id, start, end, quote = CodeSpan(*span)
        wanted.setdefault(article_id, {}).setdefault((start, end), quote)
    with store.lock:
        codebook = _codebook(store)
        stamp = now_iso()
        change = TagChange("")
        writes: dict[str, list[Highlight]] = {}
        for article_id in sorted(wanted):
            checked = all(quote is not None for quote in wanted[article_id].values())
            try:
                text = store.library.display(article_id).text
            except ArticleNotFound:
                if checked:  # deleted since the search: none of its matches holds its words
                    change.skipped += [
                        CodeSpan(article_id, *r, q) for r, q in wanted[article_id].items()
                    ]
                    continue
                raise StoreError(f"no article with id {article_id!r}") from None
            except ArticleFormatError as exc:
                raise StoreError(str(exc)) from None
            existing: dict[tuple[int, int], Highlight] = {}
            for h in store.highlights(article_id):
                if not h.orphaned:
                    existing.setdefault((h.start, h.end), h)
            for (start, end), quote in sorted(wanted[article_id].items()):
                if quote is not None and (end > len(text) or text[start:end] != quote):
                    change.skipped.append(CodeSpan(article_id, start, end, quote))
                    continue
                if not (0 <= start < end <= len(text)):
                    raise StoreError(
                        f"range {start}-{end} is outside article {article_id!r} (0-{len(text)})"
                    )
                if not text[start:end].strip():
                    raise StoreError(
                        f"range {start}-{end} of {article_id!r} holds only white space"
                    )
                found = existing.get((start, end))
                if found is not None:
                    missing = [n for n in names if n not in found.tags]
                    if missing:
                        change.highlights_before.append(found)
                        tagged = replace(found, tags=[*found.tags, *missing], updated=stamp)
                        writes.setdefault(article_id, []).append(tagged)
                    continue
                made = Highlight.on_text(
                    article_id, text, start, end, tags=list(names), stamp=stamp
                )
                change.created.append((article_id, made.id))
                writes.setdefault(article_id, []).append(made)
        new_tags: dict[str, Tag | None] = {}
        for name in names:
            if name not in codebook:
                change.tags_before[name] = None
                new_tags[name] = Tag(name, palette_color(len(codebook) + len(new_tags)))
        if writes:
            store.write_codebook(new_tags)  # additions first: no highlight names a lost tag
            try:
                store.write_highlights({article_id: (hs, ()) for article_id, hs in writes.items()})
            except StoreError as exc:
                _take_back(store, change.tags_before, exc)
                raise
        else:
            change.tags_before = {}
        tag_list = ", ".join("#" + n for n in names)
        change.label = (
            f"coded {plural(change.highlight_count, 'passage')} in "
            f"{plural(len(writes), 'article')} with {tag_list}"
        )
        if change.skipped:
            skipped = len(change.skipped)
            change.label += (
                f"; skipped {skipped} {'match' if skipped == 1 else 'matches'} "
                "whose text changed since the search"
            )
        return change


def _take_back(
    store: CodebookStore, tags_before: Mapping[str, Tag | None], exc: StoreError
) -> None:
    """Remove the tags a bulk code added to the codebook, after its articles could not be
    written (under the lock, so no other writer has used them meanwhile)."""
    try:
        store.write_codebook(tags_before)
    except StoreError as again:
        names = ", ".join("#" + name for name in tags_before)
        raise StoreError(f"{exc}, except that {names} stayed in the codebook ({again})") from None


def undo_tag_change(store: CodebookStore, change: TagChange) -> None:
    """Put back what ``change`` replaced: the touched highlights as they were, the highlights
    it made removed, and the codebook records it touched. Running it twice is harmless."""
    with store.lock:
        by_article: dict[str, tuple[list[Highlight], list[str]]] = {}
        for h in change.highlights_before:
            by_article.setdefault(h.article_id, ([], []))[0].append(h)
        for article_id, highlight_id in change.created:
            by_article.setdefault(article_id, ([], []))[1].append(highlight_id)
        # Every file is read before any is written: a corrupt one is refused, nothing changed.
        store.write_highlights(by_article)
        store.write_codebook(change.tags_before)
