"""Bringing articles into a workspace without losing a highlight: the one import that
``reader import``, ``reader PATH`` and the app's ``i`` run, and restoring an article's text
from its backups (``reader doctor --restore``).

:func:`import_articles` runs :func:`corpus.sources.import_sources` on the store's library, so
an import holds the same workspace lock as every annotation write. Before an article is
rewritten with a new version of its text, its highlights must be readable
(:meth:`AnnotationStore.guard_update`: otherwise it is not updated), and afterwards they are
re-anchored on the new text; each item's :class:`ArticleImport` says what happened, in a line
the command line prints and the app shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from annotations.codebook import plural
from annotations.storage import StoreError
from annotations.store import AnnotationStore, ReanchorReport
from corpus.article import Article, ArticleFormatError, parse_article
from corpus.article_backups import ArticleBackup, article_backups

if TYPE_CHECKING:
    from corpus.cancel import Cancel


def _moved(moved: int, not_found: int) -> str:
    """What re-anchoring did, as the import and restore lines say it."""
    return f"{plural(moved, 'highlight')} moved, {not_found} not found, kept"


@dataclass(frozen=True)
class ArticleImport:
    """What importing one item did.

    ``status`` is ``imported``, ``updated``, ``unchanged`` or ``kept`` (see
    :class:`corpus.library.ImportResult`), or ``None`` when the item failed; ``error`` is then
    one line naming the item and the reason. An update whose highlights could not be moved has
    both: the text is updated, and ``error`` says why its highlights were not moved (they are
    found again the next time they are read). ``moved`` and ``not_found`` count the highlights
    an update moved and could not place (those are kept, as orphans).
    """

    source: str
    status: str | None = None
    article: Article | None = None
    note: str = ""
    moved: int = 0
    not_found: int = 0
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    def line(self) -> str:
        """One line: ``imported <id>: <title>``, ``unchanged <id>``, ``updated <id>: <title>
        (2 highlights moved, 1 not found, kept)``, ``kept <id>: <title> (why)``, or the
        error."""
        if self.error is not None:
            return self.error
        assert self.article is not None and self.status is not None
        if self.status == "unchanged":
            return f"unchanged {self.article.id}" + (f" ({self.note})" if self.note else "")
        details = []
        if self.moved or self.not_found:
            details.append(
                f"{plural(self.moved, 'highlight')} moved, {self.not_found} not found, kept"
            )
        if self.note:
            details.append(self.note)
        line = f"{self.status} {self.article.id}: {self.article.title}"
        return f"{line} ({'; '.join(details)})" if details else line


def import_articles(
    store: AnnotationStore,
    sources: list[str],
    *,
    fetch_full: bool = False,
    on_item: Callable[[int, int], None] | None = None,
    cancel: Cancel | None = None,
) -> Iterator[ArticleImport]:
    """Import files, folders, URLs and feeds into the store's workspace, one
    :class:`ArticleImport` per article or failure; a failure never stops the rest.
    ``on_item(done, total)`` reports progress over the expanded list of sources; ``cancel``
    ends fetches under way and stops the import before its next item."""
    from corpus.sources import import_sources  # the importers load only for an import

    for outcome in import_sources(
        store.library,
        sources,
        fetch_full=fetch_full,
        on_item=on_item,
        before_update=store.guard_update,
        cancel=cancel,
    ):
        if outcome.error is not None:
            yield ArticleImport(outcome.source, error=outcome.error)
            continue
        assert outcome.result is not None
        result = outcome.result
        done = ArticleImport(outcome.source, result.status, result.article, result.note)
        if result.status == "updated":
            try:
                report = store.reanchor(result.article.id)
            except StoreError as exc:
                yield ArticleImport(
                    outcome.source,
                    result.status,
                    result.article,
                    result.note,
                    error=f"{outcome.source}: highlights not moved: {exc}",
                )
                continue
            done = _with_report(done, report)
        listed = outcome.listed
        if listed is not None and done.article is not None:
            # a reading list's tags, state and highlights
            from annotations.reading_list_import import record_listed

            try:
                details = record_listed(store, done.article.id, listed)
            except (StoreError, OSError) as exc:
                done = replace(
                    done,
                    error=f"{done.source}: imported, but what {listed.service} knew of it was "
                    f"not recorded: {exc}",
                )
            else:
                done = replace(done, note="; ".join(p for p in (done.note, *details) if p))
        yield done


def _with_report(done: ArticleImport, report: ReanchorReport) -> ArticleImport:
    moved = len(report.moved) + len(report.fuzzy)
    return ArticleImport(
        done.source, done.status, done.article, done.note, moved, len(report.orphaned)
    )


class RestoreError(StoreError):
    """A backup that cannot be restored; nothing was changed."""


@dataclass(frozen=True)
class Restored:
    """A restored article: the backup put back, where the text it replaced was saved (``None``
    when the article had no file), and what re-anchoring did to its highlights."""

    backup: ArticleBackup
    saved: Path | None
    moved: int
    not_found: int

    def line(self) -> str:
        line = f"restored {self.backup.article_id} from {self.backup.name}"
        if self.saved is not None:
            line += f"; the text it replaced is in {self.saved.name}"
        if self.moved or self.not_found:
            line += f" ({plural(self.moved, 'highlight')} moved, {self.not_found} not found, kept)"
        return line


def find_backup(store: AnnotationStore, which: str) -> ArticleBackup:
    """The backup named ``which`` (a file name in ``backups/articles``), or the newest backup
    of the article with that id. Raises :class:`RestoreError`."""
    every = article_backups(store.workspace)
    named = [b for b in every if which in (b.name, str(b.path))]
    newest = [b for b in every if b.article_id == which][-1:]
    if not (named or newest):
        raise RestoreError(
            f"{which}: no backup of an article or backup file of that name in "
            f"{store.workspace.article_backups_dir} (reader doctor --backups lists them)"
        )
    return (named or newest)[0]


def restore_article(store: AnnotationStore, which: str) -> Restored:
    """Put an article's text back from a backup (see :func:`find_backup`), after backing up
    the text it replaces, and re-anchor its highlights on it. An article whose highlights
    cannot be read is not restored (they could not be moved with it). Raises
    :class:`RestoreError` or another :class:`StoreError`, with nothing changed."""
    backup = find_backup(store, which)
    try:
        data = backup.path.read_bytes()
        parse_article(backup.article_id, data.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ArticleFormatError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise RestoreError(
            f"{backup.path}: cannot be restored ({reason}); nothing changed"
        ) from None
    with store.lock:
        try:
            store.highlights(backup.article_id, check=False)
        except (StoreError, OSError) as exc:
            raise RestoreError(
                f"{backup.article_id}: not restored, its highlights cannot be read: {exc}"
            ) from None
        try:
            saved = store.library.restore_file(backup.article_id, data)
        except OSError as exc:
            raise RestoreError(
                f"{exc.filename or backup.path}: cannot write ({exc.strerror or exc}); "
                f"{backup.article_id} not restored"
            ) from None
        report = store.reanchor(backup.article_id)
    return Restored(backup, saved, len(report.moved) + len(report.fuzzy), len(report.orphaned))
