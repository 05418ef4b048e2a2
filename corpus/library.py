"""The articles of a workspace: one Markdown file each under ``articles/``.

:class:`Library` lists, reads, writes and imports articles. Reads are cached by file modification
time, so re-reading an unchanged article costs a ``stat``.

Listing a workspace needs only each article's front matter. :meth:`Library.summaries` keeps it,
with the body's checksum, in ``.cache/articles.json``, keyed by each file's modification time,
size and inode: opening a workspace of 10,000 articles reads one file and stats the rest instead
of parsing 80 MB of Markdown. Any file that changed, by any program, is read again. A small
workspace (under ``SUMMARY_CACHE_FROM`` articles and ``SUMMARY_CACHE_BYTES`` of files) is read
without the cache file.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.article import Article, ArticleFormatError, now_iso, parse_article, slugify
from corpus.file_cache import load_records, save_records, stamped_listing
from corpus.fsutil import atomic_write_bytes, fsync_dir
from corpus.lock import WorkspaceLock
from corpus.markdown_text import DisplayText, dump_display, load_display
from corpus.workspace import InvalidId, Workspace, is_valid_id, quote_id

log = logging.getLogger(__name__)
CACHE_FROM_CHARS = 50_000  # shorter articles render in a few milliseconds: not worth a file
SUMMARY_CACHE_VERSION = 1
_SUMMARY_HEADER = {"version": SUMMARY_CACHE_VERSION}
# Fewer articles than this, with fewer bytes than that, parse in under ~15 ms: the list is read
# without a cache file. (One 1 MB article takes 4 ms to read, split and checksum.)
SUMMARY_CACHE_FROM = 200
SUMMARY_CACHE_BYTES = 500_000


class ArticleNotFound(KeyError):
    """No article with that id in the workspace (an id that cannot be one included)."""

    def __str__(self) -> str:
        article_id = self.args[0]
        if not is_valid_id(article_id):
            return str(InvalidId(article_id))
        return f"no article with id {quote_id(article_id)}"


@dataclass(frozen=True)
class ArticleSummary:
    """An article's metadata without its body: what lists, filters and duplicate checks need."""

    id: str
    title: str
    author: str | None
    site: str | None
    url: str | None
    published: str | None
    imported: str | None
    imported_from: str | None
    checksum: str

    @property
    def source(self) -> str:
        """Where it comes from, as lists show it: the site, else the author, else nothing."""
        return self.site or self.author or ""

    def fields(self) -> list[str | None]:
        """Every field but the id, in order (``dataclasses.astuple`` is ten times slower)."""
        return [
            self.title,
            self.author,
            self.site,
            self.url,
            self.published,
            self.imported,
            self.imported_from,
            self.checksum,
        ]

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(
            article.id,
            article.title,
            article.author,
            article.site,
            article.url,
            article.published,
            article.imported,
            article.imported_from,
            article.checksum,
        )


@dataclass(frozen=True)
class ImportResult:
    """What importing one item did: ``imported``, ``updated``, ``unchanged`` or ``kept`` (an
    article we hold, not replaced by a shorter version of it; ``article`` is the one we hold).
    ``note`` says why, when the status alone does not: what was kept, or which article with
    the same source or URL a new one was imported beside."""

    status: str
    article: Article
    note: str = ""


class Library:
    """Reads and writes the article files of one workspace."""

    def __init__(self, workspace: Workspace, lock: WorkspaceLock | None = None) -> None:
        self.workspace = workspace
        # Taken around an import's duplicate check, id choice and write, so that two imports
        # at once never give two articles one id. An annotation store shares its own.
        self.lock = lock or WorkspaceLock(workspace.lock_file)
        # Parsed articles by file stamp: the change time too, since an edit can keep the size
        # and the modification time (`touch -r`, `rsync -t`), but not the change time.
        self._cache: dict[str, tuple[tuple[int, int, int], Article]] = {}
        self._displays: dict[str, tuple[str, DisplayText]] = {}

    # -- reading -----------------------------------------------------------------------------
    def ids(self) -> list[str]:
        """Every article id, sorted: the ``.md`` files whose name is a valid id (``reader
        doctor`` names the others)."""
        try:
            names = os.listdir(self.workspace.articles_dir)
        except FileNotFoundError:
            return []
        return sorted(n[:-3] for n in names if n.endswith(".md") and is_valid_id(n[:-3]))

    def __contains__(self, article_id: object) -> bool:
        return is_valid_id(article_id) and self.workspace.article_file(str(article_id)).is_file()

    def get(self, article_id: str) -> Article:
        """Read one article. Raises :class:`ArticleNotFound` (also for an id that cannot be
        one) or :class:`ArticleFormatError`."""
        if not is_valid_id(article_id):
            raise ArticleNotFound(article_id)
        path = self.workspace.article_file(article_id)
        try:
            st = path.stat()
        except FileNotFoundError:
            raise ArticleNotFound(article_id) from None
        stamp = (st.st_mtime_ns, st.st_size, st.st_ctime_ns)
        cached = self._cache.get(article_id)
        if cached and cached[0] == stamp:
            return cached[1]
        article = self._parse(article_id, path)
        self._cache[article_id] = (stamp, article)
        return article

    def _parse(self, article_id: str, path: Path) -> Article:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArticleFormatError(f"{path}: not UTF-8 text (byte {exc.start})") from None
        except FileNotFoundError:  # removed since it was listed
            raise ArticleNotFound(article_id) from None
        except OSError as exc:  # a folder where the file should be, no permission, an I/O error
            raise ArticleFormatError(f"{path}: cannot read ({exc.strerror or exc})") from None
        try:
            return parse_article(article_id, text)
        except ArticleFormatError as exc:
            raise ArticleFormatError(f"{path}: {exc}") from None

    def display(self, article_id: str, draft: Article | None = None) -> DisplayText:
        """The display text of one article (what highlight offsets refer to).

        Long articles are rendered once and cached under ``.cache/display``, keyed by the
        body's checksum and the renderer version, so reopening a 1 MB article skips the parse.
        ``draft``, the article just written, gives the rendering its import already made,
        when its body is the file's.
        """
        article = self.get(article_id)
        if len(article.body) < CACHE_FROM_CHARS:
            return article.display
        checksum = article.checksum
        remembered = self._displays.get(article_id)
        if remembered and remembered[0] == checksum:
            return remembered[1]
        path = self.workspace.display_cache(article_id)
        display = None
        with contextlib.suppress(OSError):
            display = load_display(path.read_bytes(), checksum)
        if display is None:
            display = (draft if draft and draft.checksum == checksum else article).display
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(path, dump_display(display, checksum))
            except OSError as exc:
                log.warning("%s: cannot cache the rendering (%s)", path, exc.strerror or exc)
        self._displays[article_id] = (checksum, display)
        return display

    def summaries(
        self, problems: list[str] | None = None, *, log_problems: bool = True
    ) -> list[ArticleSummary]:
        """Every readable article's metadata, sorted by file name, from the on-disk cache where
        the file has not changed since it was cached. Unreadable files are skipped, logged
        (unless not ``log_problems``: the caller shows them) and added to ``problems`` as
        :meth:`articles` does."""
        files = stamped_listing(self.workspace.articles_dir, ".md")
        size = sum(current[1] for _, _, current in files)
        use_cache = len(files) >= SUMMARY_CACHE_FROM or size >= SUMMARY_CACHE_BYTES
        cache = self.workspace.cache_dir / "articles.json"
        cached = load_records(cache, _SUMMARY_HEADER) if use_cache else {}
        fresh: dict[str, list[Any]] = {}
        out: list[ArticleSummary] = []
        changed = False
        for article_id, path, current in files:
            record: Any = cached.get(article_id)
            summary = None
            if isinstance(record, list) and record[:3] == current:
                with contextlib.suppress(TypeError):
                    summary = ArticleSummary(article_id, *record[3:])
            if summary is None:
                changed = True
                try:
                    # Not through get(): its cache would keep every body (80 MB for 10,000).
                    summary = ArticleSummary.of(self._parse(article_id, Path(path)))
                except ArticleNotFound:
                    continue
                except ArticleFormatError as exc:
                    if log_problems:
                        log.warning("%s", exc)
                    if problems is not None:
                        problems.append(str(exc))
                    continue
                record = [*current, *summary.fields()]
            fresh[article_id] = record
            out.append(summary)
        if use_cache and (changed or len(fresh) != len(cached)):
            save_records(cache, _SUMMARY_HEADER, fresh, "cache the article list")
        return out

    def articles(self, problems: list[str] | None = None) -> Iterator[Article]:
        """Every readable article. Unreadable files are skipped, logged, and their one-line
        errors added to ``problems`` when it is given (so a caller can show them)."""
        for article_id in self.ids():
            try:
                yield self.get(article_id)
            except ArticleFormatError as exc:
                log.warning("%s", exc)
                if problems is not None:
                    problems.append(str(exc))

    # -- writing -----------------------------------------------------------------------------
    def save(self, article: Article) -> None:
        """Write an article file atomically (temp file, fsync, rename)."""
        self.workspace.articles_dir.mkdir(parents=True, exist_ok=True)
        path = self.workspace.article_file(article.id)
        atomic_write_bytes(path, article.to_file_text().encode("utf-8"))
        self._cache.pop(article.id, None)

    def unique_id(self, title: str) -> str:
        """A slug of the title that no article in the workspace uses yet."""
        base = slugify(title)
        candidate, n = base, 2
        while candidate in self:
            candidate = f"{base}-{n}"
            n += 1
        return candidate

    def find_existing(self, article: Article) -> Article | None:
        """An article already in the workspace from the same origin, or with the same text."""
        checksum = article.checksum
        for existing in self.summaries():
            if (
                (article.imported_from and existing.imported_from == article.imported_from)
                or (article.url and existing.url == article.url)
                or existing.checksum == checksum
            ):
                with contextlib.suppress(ArticleNotFound, ArticleFormatError):  # gone since
                    return self.get(existing.id)
        return None

    def holding(self, checksum: str) -> Article | None:
        """The article whose body has this checksum, if the workspace holds one: importing that
        text again leaves it ``unchanged`` (as :meth:`add` finds)."""
        for summary in self.summaries():
            if summary.checksum == checksum:
                with contextlib.suppress(ArticleNotFound, ArticleFormatError):  # gone since
                    return self.get(summary.id)
        return None

    def add(
        self, draft: Article, before_update: Callable[[Article], None] | None = None
    ) -> ImportResult:
        """Add a drafted article, or recognise it as one the workspace already holds.

        The same text as an article's is ``unchanged``. Otherwise an article from the same
        source (``imported_from``: the same file or fetched URL), or failing that with the same
        URL, is compared with the draft (:mod:`corpus.identity`): a revision from the same
        source rewrites it under its old id (``updated``; details a person corrected are
        kept, :meth:`Article.keep_edits_of`), after ``before_update(existing)``,
        which may refuse by raising, and after a backup of its file; a shorter version of it is
        not imported (``kept``); anything else is another article, imported under a new id.
        The checks, the choice of id and the write happen under the workspace lock, so two
        imports at once neither take one id nor both add the same article.
        """
        with self.lock:
            result = self._add_locked(draft, before_update)
        if result.status in ("imported", "updated"):
            # A long article's rendering is cached now, not on first open: the draft's own.
            self.display(draft.id, draft)
        return result

    def _add_locked(
        self, draft: Article, before_update: Callable[[Article], None] | None
    ) -> ImportResult:
        from corpus.identity import Likeness

        summaries = self.summaries()
        checksum = draft.checksum
        for summary in summaries:
            if summary.checksum == checksum:
                with contextlib.suppress(ArticleNotFound, ArticleFormatError):  # gone since
                    return ImportResult("unchanged", self.get(summary.id))
        origin, url = draft.imported_from, draft.url
        # The newest article from the same source: an earlier, different article from it was
        # imported beside an older one, and is what the source gave last.
        same_source = sorted(
            (s for s in summaries if origin and s.imported_from == origin),
            key=lambda s: (s.imported or "", s.id),
            reverse=True,
        )[:1]
        same_url = [s for s in summaries if url and s.url == url and s not in same_source]
        beside = ""
        for summary, from_source in [(s, True) for s in same_source] + [
            (s, False) for s in same_url
        ]:
            try:
                held = self.get(summary.id)
            except (ArticleNotFound, ArticleFormatError):
                continue  # unreadable: never rewritten; `reader doctor` reports it
            likeness = Likeness.of(held, draft)
            if from_source and likeness.is_revision():
                if before_update is not None:
                    before_update(held)
                self._back_up(held.id)
                draft.id = held.id
                draft.imported = now_iso()
                draft.keep_edits_of(held)  # a person's corrections of its details stay
                self.save(draft)
                return ImportResult("updated", draft)
            if likeness.adds_nothing():
                sizes = f"{likeness.new_length:,} of {likeness.old_length:,} characters"
                note = (
                    f"its source now gives a much shorter text, {sizes}; not replaced"
                    if from_source
                    else f"a shorter version of it came from elsewhere, {sizes}; not imported"
                )
                return ImportResult("kept", held, note)
            if not beside:
                shared = "source" if from_source else "URL"
                beside = f"another article than {held.id}, which has the same {shared}; both kept"
        draft.id = self.unique_id(draft.title)
        draft.imported = draft.imported or now_iso()
        self.save(draft)
        return ImportResult("imported", draft, beside)

    def remove(self, article_id: str) -> None:
        """Remove an article's file (the caller has kept a copy: the trash) and forget what
        was cached of it; an article already gone is no error."""
        with self.lock:
            with contextlib.suppress(FileNotFoundError):
                self.workspace.article_file(article_id).unlink()
                fsync_dir(self.workspace.articles_dir)
            with contextlib.suppress(FileNotFoundError):
                self.workspace.display_cache(article_id).unlink()
        self._cache.pop(article_id, None)
        self._displays.pop(article_id, None)

    def restore_file(self, article_id: str, data: bytes) -> Path | None:
        """Write ``data`` (a whole article file) as an article's file, under the lock, after
        backing up the file it replaces; returns that backup (``None`` when there was no
        file). Raises ``OSError`` when either cannot be written, the backup first."""
        from corpus.article_backups import back_up_article

        with self.lock:
            saved = back_up_article(self.workspace, article_id)
            self.workspace.articles_dir.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.workspace.article_file(article_id), data)
            self._cache.pop(article_id, None)
        return saved

    def _back_up(self, article_id: str) -> None:
        """Copy an article's file into ``backups/articles/`` before it is rewritten."""
        from corpus.article_backups import back_up_article
        from corpus.importers import ImportFailed

        try:
            back_up_article(self.workspace, article_id)
        except OSError as exc:
            where = exc.filename or self.workspace.article_backups_dir
            raise ImportFailed(
                f"not updated: cannot back up its text ({where}: {exc.strerror or exc})"
            ) from None

    def import_path(self, path: Path) -> ImportResult:
        """Import one file (Markdown or plain text) into the workspace."""
        from corpus.importers import draft_from_file

        return self.add(draft_from_file(path))
