"""The annotation store: highlights, tags and reading state of one workspace, on TinyDB.

Layout, chosen so that one write stays in milliseconds however large the workspace grows:

* ``annotations/highlights/<article-id>.json`` holds one article's highlights. Adding, editing
  or deleting a highlight rewrites only that small file, not every highlight in the workspace
  (TinyDB's default single JSON file is rewritten whole on each insert: about 1 s at 100,000
  highlights).
* ``annotations/workspace.json`` holds the tags, the reading state and the schema version.

Every write happens under the workspace lock and goes through :class:`AtomicJSONStorage`, so
it is on disk before the method returns. TinyDB stays inside this module and
:mod:`annotations.records`, which alone knows the shape of the files; callers get the
dataclasses of :mod:`annotations.model`. The codebook operations (:mod:`annotations.codebook`)
run on this class's public methods.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tinydb import Query, TinyDB
from tinydb.table import Table

from annotations import codebook, records
from annotations.anchoring import anchor, quote_selector, sits_at
from annotations.backups import make_backup
from annotations.codebook import CodeSpan, TagChange
from annotations.journal import recover
from annotations.lock import WorkspaceLock
from annotations.model import (
    DEFAULT_HIGHLIGHT_COLOR,
    HIGHLIGHT_ID_RULE,
    ArticleState,
    Highlight,
    Tag,
    clean_text,
    is_color,
    is_valid_highlight_id,
    known_tag_name,
    known_tag_names,
    palette_color,
    parse_time,
    with_parents,
    workspace_problem,
)
from annotations.orphan_checks import OrphanChecks
from annotations.records import HighlightChanges
from annotations.storage import CorruptFileError, StoreError
from corpus.article import Article, ArticleFormatError, now_iso
from corpus.library import ArticleNotFound, Library
from corpus.workspace import InvalidId, Workspace, is_valid_id, quote_id

log = logging.getLogger(__name__)

R = TypeVar("R", Tag, ArticleState)
SCHEMA_VERSION = 2


def _timestamp(value: str) -> str:
    """A stored timestamp: ISO 8601 in UTC to the second, ``Z``; anything else is refused."""
    try:
        parsed = parse_time(value)
    except ValueError:
        raise HighlightError(f"{value!r} is not an ISO date-time") from None
    return parsed.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class ReanchorReport:
    """What re-anchoring did to each of an article's highlights."""

    exact: list[Highlight] = field(default_factory=list)
    moved: list[Highlight] = field(default_factory=list)
    fuzzy: list[Highlight] = field(default_factory=list)
    orphaned: list[Highlight] = field(default_factory=list)


class HighlightError(StoreError):
    """A highlight that cannot be made or found: bad range, unknown id, unknown article."""


class DuplicateHighlight(HighlightError):
    """The passage is already highlighted and the new highlight would add nothing to it:
    ``existing`` is the highlight already there (so a caller can show or select it)."""

    def __init__(self, message: str, existing: Highlight) -> None:
        super().__init__(message)
        self.existing = existing


class ArticleChanged(HighlightError):
    """The article's text is no longer the text the caller showed when the range was chosen
    (its file changed on disk since): offsets into the old text would mark other words."""


def _check_shown(article_id: str, text: str, shown_text: str | None) -> None:
    if shown_text is not None and text != shown_text:
        raise ArticleChanged(
            f"{article_id}: the article changed on disk since it was shown; nothing changed"
        )


def _adds_nothing(existing: Highlight, new: Highlight) -> bool:
    """Whether ``new`` repeats ``existing``: the same coder and range, no tag ``existing``
    lacks, and no note or colour of its own. A new note is work someone typed, so it is never
    refused; another coder's highlight of the same words is that coder's own coding (what
    agreement compares), so it is never refused either."""
    return (
        not existing.orphaned
        and existing.coder == new.coder
        and (existing.start, existing.end) == (new.start, new.end)
        and set(new.tags) <= set(existing.tags)
        and new.note in ("", existing.note)
        and new.color in (None, existing.color)
    )


def _import_adds_nothing(incoming: Highlight, same_span: list[Highlight], spans: bool) -> bool:
    """Whether a highlight over the same span already holds what ``incoming`` would: the same
    coder and tags, and its note if it has one. With ``spans`` (labelled spans, as doccano
    has: no notes, and one span's labels stand for all the highlights over it) it is enough
    that its tags are each on one of them."""
    if spans:
        carried = {name for h in same_span for name in h.tags}
        return bool(same_span) and set(incoming.tags) <= carried
    return any(
        h.coder == incoming.coder
        and set(h.tags) == set(incoming.tags)
        and (not incoming.note or incoming.note == h.note)
        for h in same_span
    )


def _v0_to_v1(db: TinyDB) -> None:
    """Version 0 is a workspace.json written before versions were recorded: tags and state
    tables are already in today's shape, so only the version is added."""


def _v1_to_v2(db: TinyDB) -> None:
    """Version 2 records each highlight's ``coder``: highlights without one are read as by no
    coder (""), so nothing is rewritten; the version tells an older reader, which would drop
    the field on its next write, to leave the workspace alone."""


MIGRATIONS: dict[int, Callable[[TinyDB], None]] = {0: _v0_to_v1, 1: _v1_to_v2}


class AnnotationStore:
    """Highlights, tags and reading state for one workspace."""

    def __init__(
        self,
        workspace: Workspace,
        library: Library | None = None,
        lock_timeout: float | None = None,
        coder: str = "",
    ) -> None:
        self.workspace = workspace
        # Who the highlights this store makes are by (annotations.model.clean_coder's form).
        self.coder = coder
        # Taking the lock first finishes what a killed writer left (annotations/journal.py).
        self.lock = WorkspaceLock(
            workspace.lock_file, timeout=lock_timeout, on_acquire=lambda: recover(workspace)
        )
        # One lock object for the store and its library: two flocks on one file in one
        # process would wait for each other (see corpus/lock.py).
        self.library = library or Library(workspace, lock=self.lock)
        self.library.lock = self.lock
        self.orphan_checks = OrphanChecks(workspace)
        workspace.ensure()
        self._open()

    # -- opening and migrating ---------------------------------------------------------------
    def _open(self) -> None:
        with self.lock:
            data = records.read_workspace(self.workspace.workspace_db)
            version = self._schema_version(data)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.workspace.workspace_db}: written by a newer reader "
                    f"(schema {version}, this one knows {SCHEMA_VERSION}); left untouched"
                )
            # Every later read checks the records too (see _workspace_db); checking them now
            # refuses a malformed file before anything is migrated or written, and before the
            # app is on the screen.
            problem = workspace_problem(data) if data is not None else None
            if problem is not None:
                raise CorruptFileError(f"{self.workspace.workspace_db}: {problem}; left untouched")
            if data is not None and version < SCHEMA_VERSION:
                make_backup(self.workspace)  # the data as it was, before any migration
            for step in range(version, SCHEMA_VERSION):
                log.info("migrating %s from schema %d", self.workspace.workspace_db, step)
                MIGRATIONS[step](self._workspace_db())
            if version != SCHEMA_VERSION or data is None:
                self._meta().upsert(
                    {"key": "schema", "value": SCHEMA_VERSION}, Query().key == "schema"
                )

    def _schema_version(self, data: dict[str, dict[str, Any]] | None) -> int:
        if data is None:
            return SCHEMA_VERSION
        for record in data.get(records.META_TABLE, {}).values():
            if record.get("key") == "schema":
                value = record.get("value")
                if not isinstance(value, int):
                    raise CorruptFileError(
                        f"{self.workspace.workspace_db}: schema version is not a number; "
                        "left untouched"
                    )
                return value
        return 0

    def _record(self, cls: type[R], doc: Mapping[str, Any]) -> R:
        """A dataclass from a workspace.json record; a record of the wrong shape is corruption."""
        try:
            return cls(**{k: doc[k] for k in cls.__dataclass_fields__ if k in doc})
        except TypeError:
            raise CorruptFileError(
                f"{self.workspace.workspace_db}: a {cls.__name__} record is missing fields "
                f"({dict(doc)!r:.80}); left untouched"
            ) from None

    def _workspace_db(self) -> TinyDB:
        # A fresh TinyDB for every operation: a Table remembers the next document id it will
        # use, and another process may have taken that id since (the app's store lives long).
        return records.workspace_database(self.workspace.workspace_db)

    def _meta(self) -> Table:
        return self._workspace_db().table(records.META_TABLE, cache_size=0)

    def _tags(self) -> Table:
        return self._workspace_db().table(records.TAGS_TABLE, cache_size=0)

    def _state(self) -> Table:
        return self._workspace_db().table(records.STATE_TABLE, cache_size=0)

    def _highlights_path(self, article_id: str) -> Path:
        """The article's highlights file; :class:`HighlightError` for an id that cannot be one
        (a backstop: every input checks its ids first, with a message naming where it was)."""
        try:
            return self.workspace.highlights_db(article_id)
        except InvalidId as exc:
            raise HighlightError(str(exc)) from None

    def highlights_file(self, article_id: str) -> Path:
        """The article's highlights file, for moving it whole (the trash copies it out and back
        byte for byte; nothing else writes it but this store)."""
        return self._highlights_path(article_id)

    def _highlights_table(self, article_id: str) -> AbstractContextManager[Table]:
        return records.highlights_table(self._highlights_path(article_id))

    def close(self) -> None:
        """Nothing is held open between operations; kept so a store can be a context manager."""

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- highlights --------------------------------------------------------------------------
    def highlights(self, article_id: str, *, check: bool = True) -> list[Highlight]:
        """One article's highlights in document order.

        With ``check`` (the default), the article's text is checked first, and if it changed
        the highlights are re-anchored and the result saved, so every reader of the store
        (app, command line, exports) sees the same positions. A highlight is taken as placed
        when its quote and the context stored on both sides are at its offsets, character for
        character (:func:`annotations.anchoring.sits_at`); orphans are looked for again when
        the article file changed since they were last looked for.
        """
        items = self._read_highlights(article_id)
        if check and items:
            stamp = self.orphan_checks.stamp(article_id)
            try:
                text = self.library.display(article_id).text
            except (ArticleNotFound, ArticleFormatError):
                return items  # the article is gone or unreadable: `reader doctor` reports it
            orphans = [h.id for h in items if h.orphaned]
            if any(
                not h.orphaned and not sits_at(text, h.selector(), h.start, h.end) for h in items
            ) or (orphans and not self.orphan_checks.looked_for(article_id, stamp, orphans)):
                self.reanchor(article_id)
                items = self._read_highlights(article_id)
        return items

    def _read_highlights(self, article_id: str) -> list[Highlight]:
        return records.read_highlights(self._highlights_path(article_id))

    def stored_by_article(
        self, problems: list[str] | None = None
    ) -> Iterator[tuple[str, list[Highlight]]]:
        """Each annotated article's id with its highlights as stored, in document order: no
        article text is read and nothing is re-anchored (searching notes, filtering by tag).
        A file that cannot be read raises, unless ``problems`` is given: then its error is
        logged and added there, and the other files still come."""
        for article_id in self.annotated_article_ids():
            try:
                highlights = self._read_highlights(article_id)
            except StoreError as exc:
                if problems is None:
                    raise
                log.warning("%s", exc)
                problems.append(str(exc))
                continue
            yield article_id, highlights

    def all_highlights(self) -> Iterator[Highlight]:
        """Every highlight in the workspace, article by article in id order."""
        for article_id in self.annotated_article_ids():
            yield from self.highlights(article_id)

    def tag_counts(self) -> dict[str, int]:
        """How many highlights carry each tag, from the stored records: counting needs no
        article text, so nothing is rendered or re-anchored."""
        return self.tag_tallies()[0]

    def tag_tallies(self) -> tuple[dict[str, int], dict[str, int]]:
        """:meth:`tag_counts`, and how many highlights carry each tag or a tag nested in it
        (each highlight once: ``AI`` counts one tagged ``AI/jobs`` and ``AI/pay`` once), by
        every name and implied parent; one reading of the stored records."""
        counts: dict[str, int] = {}
        totals: dict[str, int] = {}
        for _, highlights in self.stored_by_article():
            for highlight in highlights:
                for name in highlight.tags:
                    counts[name] = counts.get(name, 0) + 1
                for name in with_parents(highlight.tags):
                    totals[name] = totals.get(name, 0) + 1
        return counts, totals

    def annotated_article_ids(self) -> list[str]:
        """Ids of the articles that have a highlights file (one whose name is a valid id:
        ``reader doctor`` names the others)."""
        try:
            names = os.listdir(self.workspace.highlights_dir)
        except FileNotFoundError:
            return []
        return sorted(n[:-5] for n in names if n.endswith(".json") and is_valid_id(n[:-5]))

    def highlight_count(self, article_id: str) -> int:
        """How many highlights an article has (without reading them into objects)."""
        return records.count_highlights(self._highlights_path(article_id))

    def highlight_counts(self, problems: list[str] | None = None) -> dict[str, int]:
        """Number of highlights per article id (articles without any are absent).

        A file that does not parse raises, unless ``problems`` is given: then its error is
        added there and the count of the others is still returned.
        """
        counts: dict[str, int] = {}
        for article_id in self.annotated_article_ids():
            try:
                count = self.highlight_count(article_id)
            except StoreError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
                continue
            if count:
                counts[article_id] = count
        return counts

    def get_highlight(self, article_id: str, highlight_id: str) -> Highlight:
        for h in self.highlights(article_id):
            if h.id == highlight_id:
                return h
        raise HighlightError(
            f"no highlight {quote_id(highlight_id)} in article {quote_id(article_id)}"
        )

    def add_highlight(
        self,
        article_id: str,
        start: int,
        end: int,
        *,
        tags: Iterable[str] = (),
        note: str = "",
        color: str | None = None,
        highlight_id: str | None = None,
        created: str | None = None,
        shown_text: str | None = None,
        coder: str | None = None,
    ) -> Highlight:
        """Highlight ``[start, end)`` of an article's display text; durable on return. The
        highlight is by ``coder``, else by the store's coder.

        ``shown_text`` is the display text the range was chosen on (the app's reading pane):
        when the article's text is no longer exactly that, :class:`ArticleChanged` is raised
        and nothing is written. Raises :class:`DuplicateHighlight` when a highlight over
        exactly that range already has these tags (and the note and colour add nothing): a
        second one would only inflate counts and exports.
        """
        try:
            text = self.library.display(article_id).text
        except ArticleNotFound:
            raise HighlightError(f"no article with id {article_id!r}") from None
        _check_shown(article_id, text, shown_text)
        if not (0 <= start < end <= len(text)):
            raise HighlightError(
                f"range {start}-{end} is outside article {article_id!r} (0-{len(text)})"
            )
        if not text[start:end].strip():
            raise HighlightError(f"range {start}-{end} of {article_id!r} holds only white space")
        if highlight_id is not None and not is_valid_highlight_id(highlight_id):
            raise HighlightError(str(InvalidId(highlight_id, "highlight id", HIGHLIGHT_ID_RULE)))
        tag_names = known_tag_names(tags, self.tag_names())
        stamp = _timestamp(created) if created else now_iso()
        if color is not None and not is_color(color):
            raise HighlightError(f"colour {color!r} is not of the form #rrggbb")
        highlight = Highlight.on_text(
            article_id,
            text,
            start,
            end,
            tags=tag_names,
            stamp=stamp,
            note=clean_text(note),
            color=color,
            highlight_id=highlight_id,
            coder=self.coder if coder is None else coder,
        )
        with self.lock:
            # Read through highlights() first, as update and delete do, so a file with bad
            # records is refused rather than rewritten (and no tag is created for nothing).
            current = self.highlights(article_id)
            if any(h.id == highlight.id for h in current):
                raise HighlightError(f"highlight {highlight.id!r} already exists")
            for h in current:
                if _adds_nothing(h, highlight):
                    raise DuplicateHighlight(
                        f"{article_id}: {start}-{end} is already highlighted as {h.id}; "
                        "nothing changed",
                        h,
                    )
            with self._tags_for_write(tag_names), self._highlights_table(article_id) as table:
                table.insert(highlight.to_dict())
        return highlight

    def update_highlight(
        self,
        article_id: str,
        highlight_id: str,
        *,
        tags: Iterable[str] | None = None,
        note: str | None = None,
        color: str | None = None,
        start: int | None = None,
        end: int | None = None,
        shown_text: str | None = None,
    ) -> Highlight:
        """Change a highlight's tags, note, colour or range; durable on return. A new range
        is checked against ``shown_text`` as :meth:`add_highlight` checks it."""
        with self.lock:
            current = self.get_highlight(article_id, highlight_id)
            if tags is not None:
                current.tags = known_tag_names(tags, self.tag_names())
            if note is not None:
                current.note = clean_text(note)
            if color is not None:
                if color and not is_color(color):
                    raise HighlightError(f"colour {color!r} is not of the form #rrggbb")
                current.color = color or None
            if start is not None or end is not None:
                text = self.library.display(article_id).text
                _check_shown(article_id, text, shown_text)
                new_start = current.start if start is None else start
                new_end = current.end if end is None else end
                if not (0 <= new_start < new_end <= len(text)):
                    raise HighlightError(f"range {new_start}-{new_end} is outside {article_id!r}")
                if not text[new_start:new_end].strip():
                    raise HighlightError(
                        f"range {new_start}-{new_end} of {article_id!r} holds only white space"
                    )
                selector = quote_selector(text, new_start, new_end)
                current.start, current.end = new_start, new_end
                current.quote, current.prefix, current.suffix = (
                    selector.exact,
                    selector.prefix,
                    selector.suffix,
                )
            current.updated = now_iso()
            # Tags are created only once the change is known to be valid.
            new_tags = current.tags if tags is not None else []
            with self._tags_for_write(new_tags), self._highlights_table(article_id) as table:
                table.update(current.to_dict(), Query().id == highlight_id)
        return current

    def delete_highlight(self, article_id: str, highlight_id: str) -> Highlight:
        """Remove a highlight and return it (so the caller can offer undo)."""
        with self.lock:
            current = self.get_highlight(article_id, highlight_id)
            with self._highlights_table(article_id) as table:
                table.remove(Query().id == highlight_id)
        return current

    def restore_highlight(self, highlight: Highlight) -> Highlight:
        """Put back a deleted highlight exactly as it was (undo)."""
        with (
            self.lock,
            self._tags_for_write(highlight.tags),
            self._highlights_table(highlight.article_id) as table,
        ):
            table.upsert(highlight.to_dict(), Query().id == highlight.id)
        return highlight

    @contextmanager
    def _tags_for_write(self, names: Sequence[str]) -> Iterator[None]:
        """Put the tags ``names`` in the codebook for the highlight write in the block (under
        the lock). If the block fails, the tags this made are taken out again: the codebook is
        written first, and the error of a failed write says that nothing changed."""
        known = {doc.get("name") for doc in self._tags().all()} if names else set()
        made: list[str] = []
        try:
            for name in dict.fromkeys(names):
                self._ensure_tag_locked(name)
                if name not in known:
                    made.append(name)
            yield
        except BaseException as exc:
            if made:
                try:
                    self._tags().remove(Query().name.one_of(made))
                except StoreError as undo:
                    # One line, as every error: the caller shows this (the log would repeat it).
                    tags = ", ".join(made)
                    raise StoreError(
                        f"{exc} (but the new tags {tags} stay in the codebook: {undo})"
                    ) from None
            raise

    def import_highlights(
        self,
        article_id: str,
        highlights: Iterable[Highlight],
        tags: Iterable[Tag] = (),
        *,
        spans: bool = False,
    ) -> list[Highlight]:
        """Add ready-made highlights to one article in a single write (imports).

        Each must lie on the article's text with ``quote == text[start:end]``, unless it is an
        orphan (kept as one, with its last offsets, clamped to the text). One the article
        already had is skipped: the same id, or (not an orphan) a highlight over the same span
        with the same tags and its note, if it has one, so it would add nothing but a copy
        (``spans``: they come from labelled spans, see :func:`_import_adds_nothing`). Everything is
        checked before anything is written. Returns the highlights added.
        """
        text = self.library.display(article_id).text
        batch = list(highlights)
        in_use = self.tag_names()
        for h in batch:
            if not is_valid_highlight_id(h.id):
                raise HighlightError(str(InvalidId(h.id, "highlight id", HIGHLIGHT_ID_RULE)))
            if h.article_id != article_id:
                raise HighlightError(f"highlight {h.id!r} belongs to {h.article_id!r}")
            if h.orphaned:
                h.end = min(max(h.end, 1), len(text))
                h.start = min(max(h.start, 0), h.end - 1)
            elif not (0 <= h.start < h.end <= len(text)) or text[h.start : h.end] != h.quote:
                raise HighlightError(
                    f"highlight {h.id!r} does not match the text of {article_id!r}"
                )
            h.tags = known_tag_names(h.tags, in_use)
            in_use.update(h.tags)  # a file's "AI" and "ai" are one tag too
            h.note = clean_text(h.note)
            h.created, h.updated = _timestamp(h.created), _timestamp(h.updated or h.created)
            if h.color is not None and not is_color(h.color):
                h.color = None  # a colour we cannot draw falls back to the tag's
        known_tags: dict[str, Tag] = {}
        for record in tags:
            try:
                known_tags.setdefault(known_tag_name(record.name, in_use), record)
            except StoreError:
                continue  # a record no highlight can name: nothing takes its colour
        with self.lock:
            present = self.highlights(article_id)
            existing = {h.id for h in present}
            by_span: dict[tuple[int, int], list[Highlight]] = {}
            for h in present:
                if not h.orphaned:
                    by_span.setdefault((h.start, h.end), []).append(h)
            fresh: list[Highlight] = []
            for h in batch:
                if h.id in existing or (
                    not h.orphaned
                    and _import_adds_nothing(h, by_span.get((h.start, h.end), []), spans)
                ):
                    continue
                # Copies within the batch stay: they are the file's, not already here.
                existing.add(h.id)
                fresh.append(h)
            for name in {name for h in fresh for name in h.tags}:
                tag = known_tags.get(name)
                self._ensure_tag_locked(
                    name, tag.color if tag else None, tag.description if tag else ""
                )
            if fresh:
                with self._highlights_table(article_id) as table:
                    table.insert_multiple(h.to_dict() for h in fresh)
        return fresh

    def reanchor(self, article_id: str) -> ReanchorReport:
        """Put an article's highlights back on its text after the text changed.

        Each is trusted where it is when its quote and stored context are still there, and
        otherwise looked for as the exact quote or a fuzzy match in agreeing context
        (:func:`annotations.anchoring.anchor`); orphans are looked for too. One that cannot be
        placed becomes an orphan: kept with its quote, never dropped. A placed highlight gets
        its quote and context as they are now. Changes are written in one write, and the
        orphans left are remembered as looked for in this version of the article.
        """
        stamp = self.orphan_checks.stamp(article_id)  # before the text: a change after it counts
        text = self.library.display(article_id).text
        report = ReanchorReport()
        with self.lock:
            changed: list[Highlight] = []
            for h in self._read_highlights(article_id):
                found = anchor(text, h.selector(), h.start, h.end)
                if found is None:
                    report.orphaned.append(h)
                    if not h.orphaned:
                        h.orphaned = True
                        changed.append(h)
                    continue
                getattr(report, found.method).append(h)
                selector = quote_selector(text, found.start, found.end)
                now = (found.start, found.end, selector)
                if h.orphaned or (h.start, h.end, h.selector()) != now:
                    h.start, h.end, h.orphaned = found.start, found.end, False
                    h.quote, h.prefix, h.suffix = selector.exact, selector.prefix, selector.suffix
                    changed.append(h)
            if changed:
                with self._highlights_table(article_id) as table:
                    for h in changed:
                        table.update(h.to_dict(), Query().id == h.id)
            self.orphan_checks.remember(article_id, stamp, [h.id for h in report.orphaned])
        if report.orphaned:
            log.warning("%s: %d highlights not found in the text", article_id, len(report.orphaned))
        return report

    def guard_update(self, existing: Article) -> None:
        """Refuse to rewrite an article whose highlights cannot be read (an import's
        ``before_update``): they could not be moved onto the new text with it."""
        try:
            self.highlights(existing.id)
        except (StoreError, OSError) as exc:
            from corpus.importers import ImportFailed  # the importers load only for imports

            raise ImportFailed(f"not updated, its highlights cannot be read: {exc}") from None

    def reattach(
        self,
        article_id: str,
        highlight_id: str,
        start: int,
        end: int,
        *,
        shown_text: str | None = None,
    ) -> Highlight:
        """Put an orphan (or any highlight) on a new range of the current text (checked
        against ``shown_text`` as :meth:`add_highlight` checks it)."""
        with self.lock:
            self.update_highlight(
                article_id, highlight_id, start=start, end=end, shown_text=shown_text
            )
            with self._highlights_table(article_id) as table:
                table.update({"orphaned": False}, Query().id == highlight_id)
        return self.get_highlight(article_id, highlight_id)

    def highlight_color(self, highlight: Highlight) -> str:
        """The colour a highlight is drawn in: its own, else its first tag's, else the default."""
        return highlight.display_color({t.name: t for t in self.tags()})

    # -- tags ----------------------------------------------------------------------------------
    def tags(self) -> list[Tag]:
        """Every tag, by name."""
        tags = [self._record(Tag, doc) for doc in self._tags().all()]
        return sorted(tags, key=lambda t: t.name.casefold())

    def tag_names(self) -> set[str]:
        """The names in the codebook, for :func:`~annotations.model.known_tag_names` (every
        name on a highlight is in it: the store adds it with the highlight)."""
        return {doc["name"] for doc in self._tags().all() if isinstance(doc.get("name"), str)}

    def _ensure_tag_locked(self, name: str, color: str | None = None, description: str = "") -> Tag:
        table = self._tags()
        found = table.get(Query().name == name)
        if isinstance(found, dict):
            return Tag(
                found["name"],
                found.get("color", DEFAULT_HIGHLIGHT_COLOR),
                found.get("description", ""),
            )
        tag = Tag(name, color or palette_color(len(table)), description)
        table.insert(tag.to_dict())
        return tag

    def ensure_tag(self, name: str, color: str | None = None, description: str = "") -> Tag:
        """The tag with that name, created (with the next palette colour) if it is new."""
        clean = known_tag_name(name, self.tag_names())
        with self.lock:
            return self._ensure_tag_locked(clean, color, description)

    def update_tag(
        self, name: str, *, color: str | None = None, description: str | None = None
    ) -> Tag:
        """Recolour or describe a tag."""
        if color is not None and not is_color(color):
            raise StoreError(f"tag colour {color!r} is not of the form #rrggbb")
        with self.lock:
            name = known_tag_name(name, self.tag_names())
            tag = self._ensure_tag_locked(name)
            if color is not None:
                tag.color = color
            if description is not None:
                tag.description = description
            self._tags().update(tag.to_dict(), Query().name == name)
        return tag

    def write_codebook(self, after: Mapping[str, Tag | None]) -> None:
        """Set each named codebook record (``None`` removes it) in one write of
        ``workspace.json`` (the codebook operations' write; one tag is :meth:`update_tag`)."""
        with self.lock:
            records.write_tags(self.workspace.workspace_db, after)

    def write_highlights(self, changes: Mapping[str, HighlightChanges]) -> None:
        """For each article id, put highlights (replacing those with the same id, or added) and
        remove the highlight ids given: each article's file written once, and the files all
        together or none of them (a file that does not parse raises before any is written).
        Nothing is checked against the text or re-anchored: this is the write of changes made
        from stored highlights (the codebook operations).
        """
        with self.lock:
            records.write_highlight_files(
                {self.workspace.highlights_db(aid): change for aid, change in changes.items()}
            )

    # -- codebook operations (annotations/codebook.py has them and says how they are written) --
    def rename_tag(self, old: str, new: str) -> TagChange:
        """Rename a tag and its nested children; a new name already in use is an error."""
        return codebook.rename_tag(self, old, new)

    def merge_tags(self, sources: Sequence[str], into: str) -> TagChange:
        """Move the highlights of ``sources`` to ``into`` (made if missing); drop the sources."""
        return codebook.merge_tags(self, sources, into)

    def delete_tag(self, name: str) -> TagChange:
        """Take a tag off every highlight (the highlights stay) and out of the codebook."""
        return codebook.delete_tag(self, name)

    def create_tag(
        self, name: str, *, color: str | None = None, description: str = ""
    ) -> TagChange:
        """Add a new tag to the codebook."""
        return codebook.create_tag(self, name, color=color, description=description)

    def edit_tag(
        self, name: str, *, color: str | None = None, description: str | None = None
    ) -> TagChange:
        """Recolour or describe a tag."""
        return codebook.edit_tag(self, name, color=color, description=description)

    def bulk_code(
        self, spans: Iterable[CodeSpan | tuple[str, int, int]], tags: Sequence[str]
    ) -> TagChange:
        """Tag many ``(article_id, start, end)`` passages at once (new highlights, or tags added
        to a highlight over exactly that range); a :class:`CodeSpan` with a quote that its
        text no longer holds is skipped (``TagChange.skipped``)."""
        return codebook.bulk_code(self, spans, tags)

    def undo_tag_change(self, change: TagChange) -> None:
        """Put back exactly what a codebook change replaced."""
        codebook.undo_tag_change(self, change)

    # -- reading state ---------------------------------------------------------------------
    def state(self, article_id: str) -> ArticleState:
        """Reading state of one article (a fresh, unread state if it was never opened)."""
        found = self._state().get(Query().article_id == article_id)
        if isinstance(found, dict):
            return self._record(ArticleState, found)
        return ArticleState(article_id)

    def states(self) -> dict[str, ArticleState]:
        """Reading state of every article that has one."""
        states = [self._record(ArticleState, doc) for doc in self._state().all()]
        return {state.article_id: state for state in states}

    def forget_states(self, article_ids: Iterable[str]) -> None:
        """Drop the reading state of these articles (ones that no longer exist)."""
        gone = set(article_ids)
        with self.lock:
            self._state().remove(Query().article_id.one_of(sorted(gone)))

    def save_state(self, state: ArticleState) -> None:
        with self.lock:
            self._state().upsert(state.to_dict(), Query().article_id == state.article_id)

    def mark_opened(self, article_id: str, position: int | None = None) -> ArticleState:
        """Record that an article was opened: read, last opened now, and the last article;
        ``position`` is the cursor's offset, which also raises the furthest point reached."""
        with self.lock:
            state = self.state(article_id)
            state.read = True
            state.last_opened = now_iso()
            if position is not None:
                state.position = position
                state.furthest = max(state.furthest, position)
            self._state().upsert(state.to_dict(), Query().article_id == article_id)
            self._meta().upsert(
                {"key": "last_article", "value": article_id}, Query().key == "last_article"
            )
        return state

    def _set_states(self, article_ids: Iterable[str], **values: Any) -> list[ArticleState]:
        """Set ``values`` on the reading state of each article, in one write; returns them."""
        changed: list[ArticleState] = []
        with self.lock:
            states = self.states()
            for article_id in dict.fromkeys(article_ids):
                state = states.get(article_id) or ArticleState(article_id)
                for name, value in values.items():
                    setattr(state, name, value)
                changed.append(state)
            self._write_states(changed, states)
        return changed

    def _write_states(self, changed: list[ArticleState], known: Mapping[str, object]) -> None:
        """Write ``changed`` states: updated where ``known`` has the article, else added."""
        table = self._state()
        # At most two writes, not one per article: marking 500 articles read is one key.
        old = [s for s in changed if s.article_id in known]
        if old:
            table.update_multiple([(s.to_dict(), Query().article_id == s.article_id) for s in old])
        new = [s.to_dict() for s in changed if s.article_id not in known]
        if new:
            table.insert_multiple(new)

    def set_memo(self, article_id: str, text: str) -> ArticleState:
        """Set the memo of one article (``""`` clears it); lone surrogates become U+FFFD."""
        return self._set_states([article_id], memo=clean_text(text))[0]

    def set_memos(self, memos: Mapping[str, str]) -> list[ArticleState]:
        """Set the memos of several articles in one write (an import's), by article id."""
        with self.lock:
            states = self.states()
            changed = []
            for article_id, text in memos.items():
                state = states.get(article_id) or ArticleState(article_id)
                state.memo = clean_text(text)
                changed.append(state)
            self._write_states(changed, states)
        return changed

    def set_archived(self, article_ids: Iterable[str], archived: bool) -> list[ArticleState]:
        """Archive the articles (hidden from the list and search unless asked for), or bring
        them back with ``archived`` false."""
        return self._set_states(article_ids, archived=archived)

    def set_read(self, article_ids: Iterable[str], read: bool) -> list[ArticleState]:
        """Mark the articles read, or unread again with ``read`` false."""
        return self._set_states(article_ids, read=read)

    def last_article(self) -> str | None:
        """The article that was open last, if any."""
        found = self._meta().get(Query().key == "last_article")
        return found.get("value") if isinstance(found, dict) else None
