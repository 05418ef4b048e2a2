"""Full-text search over a workspace's articles, with an index kept under ``.cache/``.

Queries are words and ``"quoted phrases"``, matched as whole words, case- and accent-insensitive;
in scripts written without spaces (Chinese, Japanese, Thai...) anywhere in a run of letters.
Several terms find the occurrences of each term, in the articles that contain every term. An
unquoted ``word*`` finds the words starting so; with ``stem=True`` an unquoted word finds its
forms (Snowball English stems). With ``regex=True`` the query is one Python regular
expression. What matches what is
:mod:`corpus.text_match`'s: patterns run on the *folded* text (:func:`~corpus.text_match.fold`),
and a span found there is mapped back to the display text, the offsets highlights use.

The index (:class:`SearchIndex`) is a SQLite file, ``.cache/search.sqlite3``:

* ``docs``: per article its file's ``mtime_ns``, size and ``ctime_ns`` (so a refresh re-renders
  only new or changed articles), its title, and whether its text folds unevenly (some character
  to other than one: then offsets need mapping back); small, so checking 10,000 files for
  changes reads little. The change time is there because an edit can keep the size and the
  modification time (`touch -r`, `rsync -t`, sync tools), but no one can set the change time.
* ``texts``: per article its folded text, which patterns run on, and what makes the display
  text again (issue 22: one copy of each text, not two). When every character folds to one,
  the display text is the folded one but for a few runs (capitals, accented letters, curly
  quotes): those runs' positions (``runs``, ``uint32`` offsets) and their
  display characters (``originals``) are kept, and only the part of the text a context line
  shows is made again. A text that folds unevenly (``ß`` -> ``ss``) keeps its display text
  whole (``text``), zlib-compressed.
* ``terms``: a contentless FTS5 table of the folded words (each character of an unspaced script
  a word of its own), which finds the *candidate* articles
  of a word query. The exact offsets come from running the compiled patterns over the folded
  text of the candidates only. A prefix, and a stemmed word, ask FTS for the words starting
  with the prefix (a stemmed word's forms all start with :func:`~corpus.text_match.stem_prefix`
  of its stem), so stems need no index of their own. Regular expressions cannot use it: they
  scan every article.

It is a cache: a file that is corrupt, foreign or from another version is replaced and built
again, and SQLite's own locking keeps two processes from corrupting it.
"""

from __future__ import annotations

import builtins
import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar

from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound, Library
from corpus.markdown_text import RENDERER_VERSION
from corpus.text_match import (
    _FOLD,
    UNSPACED,
    FoldedText,
    Matcher,
    Span,
    compile_query,
    context_line,
    context_window,
    find_spans,
    fold,
    folds_unevenly,
    index_terms,
)
from corpus.workspace import Workspace, is_valid_id

log = logging.getLogger(__name__)
T = TypeVar("T")

# Bump when fold(), the tokens given to FTS or the table layout change: older indexes are rebuilt.
# 4: one fold for search and find (ligatures, dashes, quotes, invisible characters), uneven flag.
# 5: each character of a script without spaces (CJK, Thai...) is a token of its own.
# 6: smaller (issue 22): no folded copy of an ASCII text (it is text.lower()), and FTS keeps
#    no positions (detail=none): a phrase asks FTS for articles with all its words.
# 7: one copy of each text: the folded one, and the runs where the display text differs.
INDEX_VERSION = 7
# The index keeps display texts, so one written by another renderer is rebuilt too.
_VERSION_MARK = f"{INDEX_VERSION}/renderer {RENDERER_VERSION}"
INDEX_NAME = "search.sqlite3"
BATCH = 200  # articles rendered, then written in one transaction
PARALLEL_FROM = 1000  # articles to index, from which they are rendered in worker processes
MAX_WORKERS = 4
# The tokens given to FTS: words of spaced scripts whole; in scripts without spaces (CJK, Thai,
# ...), where no tokenizer knows where words end, each character alone, so a word of any length
# there (人工, two characters: too short for FTS5's trigram tokenizer) is the phrase of its
# characters, and FTS finds it wherever those stand together.
_WORDS = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}]+")
# Texts with no such character, most of them, are split by the simpler and faster pattern.
_SPACED_WORDS = re.compile(r"\w+")
_ANY_UNSPACED = re.compile(f"[{UNSPACED}]")


def _words(folded: str) -> list[str]:
    """The FTS tokens of a folded text or query term, as a list."""
    if _ANY_UNSPACED.search(folded) is None:
        return _SPACED_WORDS.findall(folded)
    return _WORDS.findall(folded)


def _fts_query(query: str, stem: bool = False) -> str | None:
    """An FTS5 query finding a superset of the articles that hold every term, or None when
    no term has a word in it (then every article is a candidate).

    Every token is a quoted string of word characters, so no user input can be FTS syntax;
    a prefix (``likeness*``, or what every form of a stemmed word starts with) is FTS's
    prefix phrase, ``"likeness"*``.
    """
    phrases: list[str] = []
    for words, prefix in index_terms(query, stem=stem):
        tokens = _words(words)
        # The index keeps no positions (detail=none), so a phrase is all of its words; the
        # patterns find where they stand together. A prefix applies to the last word.
        phrases.extend(f'"{token}"' for token in tokens[:-1])
        if tokens:
            phrases.append(f'"{tokens[-1]}"' + ("*" if prefix else ""))
    return " AND ".join(dict.fromkeys(phrases)) or None


def _fts_tokens(folded: str) -> str:
    return " ".join(_words(folded))


# -- matches ---------------------------------------------------------------------------------------
class Match(NamedTuple):
    """One occurrence: ``start``/``end`` are code-point offsets into the article's display text.

    ``context`` is one line around it (newlines as spaces), and the match is
    ``context[context_start:context_end]``. ``quote`` is the matched display text,
    ``text[start:end]`` as the index holds it: bulk coding checks that the article still
    reads so there before tagging it. (A named tuple: a common word makes tens of thousands,
    and a tuple is built several times faster than a frozen dataclass.)
    """

    article_id: str
    title: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int
    quote: str


# -- the index -------------------------------------------------------------------------------------
_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,"
    " title TEXT NOT NULL,"
    " uneven INTEGER NOT NULL)",
    # runs and originals make the display text from folded (see _Display); text (compressed)
    # is there instead when the text folds unevenly. The small columns first: SQLite reads a
    # row's columns in order, through the long ones' overflow pages.
    "CREATE TABLE texts(rowid INTEGER PRIMARY KEY, runs BLOB, originals TEXT, folded TEXT NOT NULL,"
    " text BLOB)",
    # Python's \w+ words (letters, numbers, "_") are FTS tokens whole: a quoted query word is
    # then one token, never a phrase, which detail=none cannot answer.
    "CREATE VIRTUAL TABLE terms USING fts5(tokens, content='', detail=none,"
    " tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co Pc'\")",
)
_OURS = {"meta", "docs", "texts", "terms"}
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
FETCH = 100  # rows read per query while scanning


Stamp = tuple[int, int, int]  # a file's mtime_ns, size and ctime_ns: one version of it
# An article with matches: rowid, id, title, spans, and its folded text (None once dropped).
_Found = tuple[int, str, str, list[Span], str | None]
# The order of a search's articles: by id, or those with the most matches first.
Sort = Literal["article", "count"]
SORTS: tuple[Sort, ...] = ("article", "count")


@dataclass(frozen=True)
class _Entry:
    """One article as the index stores it: rendered, folded and split into FTS tokens (in a
    worker process when many are built at once)."""

    article_id: str
    mtime_ns: int
    size: int
    ctime_ns: int
    title: str
    folded: str
    runs: bytes | None  # see _display_runs; None when the text is stored (compressed)
    originals: str | None
    text: bytes | None
    uneven: bool
    tokens: str


def _render(library: Library, article_id: str, stamp: Stamp) -> _Entry:
    try:
        title = library.get(article_id).title
        text = library.display(article_id).text
    except (ArticleFormatError, ArticleNotFound) as exc:
        # Indexed as empty, so it is not read again until its file changes.
        log.warning("search index: %s", exc)
        title, text = article_id, ""
    folded = fold(text)
    uneven = folds_unevenly(text)
    if uneven or len(folded) != len(text):
        runs, originals, whole = None, None, zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
    else:
        (runs, originals), whole = _display_runs(text), None
    return _Entry(
        article_id, *stamp, title, folded, runs, originals, whole, uneven, _fts_tokens(folded)
    )


_NON_ASCII = re.compile("[^\x00-\x7f]")


def _display_runs(text: str) -> tuple[bytes, str]:
    """Where a text that folds evenly (each character to one) differs from its fold.

    The runs' characters in the display text, joined; and where each run starts in the text
    (then ``len(text)``), followed by where it starts in that string (then its length), as
    ``uint32`` (native order: a cache of this machine). A run's length is the next one's
    start in the string less its own. Not compressed: a search printing every match of a
    common word reads those of most articles, and zlib would take longer than the rest of
    making their context lines."""
    # A character differs from its fold when it is an ASCII capital or a non-ASCII character
    # whose fold differs (each folds alone: fold() is the per-character table's).
    changing = "".join(sorted(c for c in set(_NON_ASCII.findall(text)) if _FOLD[ord(c)] != c))
    runs = re.compile(f"([A-Z{re.escape(changing)}]+)" if changing else "([A-Z]+)")
    # Split in C: kept, run, kept, run, ..., kept; then offsets summed in C too.
    parts = runs.split(text)
    originals = parts[1::2]
    # Where each part starts: the runs' (odd parts') starts, and the end, are the odd ones.
    offsets = array("I", accumulate(map(len, parts), initial=0))[1::2]
    offsets.extend(accumulate(map(len, originals), initial=0))
    return offsets.tobytes(), "".join(originals)


class _Display:
    """A display text made again from its fold and the runs where it differs (see
    :func:`_display_runs`): only the parts asked for (a context line, a quote)."""

    __slots__ = ("_folded", "_originals", "_starts", "_within", "size")

    def __init__(self, folded: str, runs: bytes, originals: str) -> None:
        self._folded, self._originals, self.size = folded, originals, len(folded)
        # Read in place (no copy, no int made but for the few looked at).
        offsets = memoryview(runs).cast("I")
        half = len(offsets) // 2
        self._starts, self._within = offsets[:half], offsets[half:]

    def slice(self, a: int, b: int) -> str:
        """``text[a:b]``."""
        starts, within, folded = self._starts, self._within, self._folded
        n = bisect_right(starts, a) - 1  # the last run starting at or before a, if any
        pieces: list[str]
        if n < 0:
            n, at, pieces = 0, a, []
        elif n == len(starts) - 1:  # the sentinel: a is at the end
            return folded[a:b]
        else:
            start = starts[n]
            end = start + within[n + 1] - within[n]
            if end <= a:  # it ends before a: the next one
                n, at, pieces = n + 1, a, []
            else:  # a is inside it
                if end > b:
                    end = b
                skip = within[n] + a - start
                n, at, pieces = n + 1, end, [self._originals[skip : skip + end - a]]
        start = starts[n]
        while start < b:  # the sentinel starts at the end
            end = start + within[n + 1] - within[n]
            if end > b:
                end = b
            pieces.append(folded[at:start])
            pieces.append(self._originals[within[n] : within[n] + end - start])
            at = end
            n += 1
            start = starts[n]
        if not pieces:
            return folded[a:b]
        pieces.append(folded[at:b])
        return "".join(pieces)

    def whole(self) -> str:
        return self.slice(0, self.size)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: builtins.slice) -> str:  # (the method slice hides the type)
        """``text[a:b]`` for ``0 <= a <= b <= len(text)`` (what :func:`context_window` gives):
        so a search slices a stored whole text and one made from runs alike."""
        start, stop = key.start, key.stop
        assert isinstance(start, int) and isinstance(stop, int)
        return self.slice(start, stop)


def _shown(
    folded: str, runs: bytes | None, originals: str | None, whole: bytes | None
) -> str | _Display:
    """An article's display text as the index keeps it: its folded text and runs, else its
    whole text (decompressed), else, with neither, the folded text itself."""
    if runs is not None and originals is not None:
        return _Display(folded, runs, originals)
    return _decompress(whole) if whole is not None else folded


def _render_batch(root: str, items: list[tuple[str, Stamp]]) -> list[_Entry]:
    """:func:`_render` of each article, in a worker process (a library of its own)."""
    library = Library(Workspace(Path(root)))
    return [_render(library, article_id, stamp) for article_id, stamp in items]


def worker_processes(most: int = MAX_WORKERS) -> int:
    """How many worker processes a parallel pass over the articles uses: one per CPU this
    process may run on, at most ``most`` (the index build here, export's anchor checks in
    :mod:`annotations.check_workers`)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return min(cpus, most)


class SearchIndex:
    """The search index of one workspace's articles, kept in ``.cache/search.sqlite3``.

    Safe to share between threads: each call opens its own connection, and refreshes take turns.
    """

    def __init__(self, library: Library, *, recheck_after: float = 0.0) -> None:
        """``recheck_after``: seconds during which a search does not look for changed files
        again, unless the articles folder changed (adding, removing or replacing a file
        changes it; editing one in place does not). The app sets it so typing a query does
        not stat every article on each key; the default checks on every search."""
        self.library = library
        self.path: Path = library.workspace.cache_dir / INDEX_NAME
        self.recheck_after = recheck_after
        self._refreshing = threading.RLock()
        self._memory: sqlite3.Connection | None = None  # when the workspace is read-only
        self._checked: tuple[float, int] | None = None  # (when, articles folder's mtime_ns)

    # -- connections -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection to a usable index: a corrupt or foreign file is replaced first."""
        if self._memory is not None:
            with self._refreshing:  # one connection shared by the threads: take turns
                yield self._memory
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = self._open()
        except (OSError, sqlite3.OperationalError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and not _cannot_open(exc):
                raise
            log.warning("%s: cannot write the search index (%s); kept in memory", self.path, exc)
            self._memory = sqlite3.connect(
                ":memory:", isolation_level=None, check_same_thread=False
            )
            self._reset(self._memory)
            with self._refreshing:
                yield self._memory
            return
        try:
            yield db
        finally:
            db.close()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            self._prepare(db)
            return db
        except sqlite3.DatabaseError as exc:
            db.close()
            if _busy(exc):
                raise
            log.warning("%s: not a search index (%s); building it again", self.path, exc)
        self.discard()
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            self._prepare(db)
        except BaseException:
            db.close()
            raise
        return db

    def _prepare(self, db: sqlite3.Connection) -> None:
        """Make ``db`` an index of this version: created when empty, reset when foreign or old.
        Raises sqlite3.DatabaseError for a file that is not a database."""
        _use_wal(db)
        # A cache: a commit need not wait for the disk (WAL stays consistent; a power cut
        # may lose the last batches, which the next refresh indexes again).
        db.execute("PRAGMA synchronous=NORMAL")
        if not self._current(db):
            self._reset(db)

    def _current(self, db: sqlite3.Connection) -> bool:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not _OURS.issubset(tables):
            return False
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return row is not None and row[0] == _VERSION_MARK

    def _reset(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            if not self._current(db):  # another process may have just done it
                names = db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
                    " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'terms_%'"
                ).fetchall()
                for (name,) in names:
                    db.execute(f'DROP TABLE IF EXISTS "{name.replace(chr(34), chr(34) * 2)}"')
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('version', ?)", (_VERSION_MARK,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def discard(self) -> None:
        """Delete the index file (it is rebuilt on the next use)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def _retrying(self, call: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``call`` on a connection; an index found corrupt midway is rebuilt once."""
        try:
            with self._connection() as db:
                return call(db)
        except sqlite3.DatabaseError as exc:
            if not _corrupt(exc) or self._memory is not None:
                raise
        log.warning("%s: the search index is damaged; building it again", self.path)
        self.discard()
        with self._connection() as db:
            return call(db)

    def display_bytes(self) -> int:
        """The UTF-8 size of the display texts the index holds (the bench weighs the index's
        size against it)."""

        def run(db: sqlite3.Connection) -> int:
            total = 0
            rows = db.execute("SELECT length(CAST(folded AS BLOB)), originals, text FROM texts")
            for folded_bytes, originals, whole in rows:
                if whole is not None:
                    total += len(zlib.decompress(whole))
                else:  # each run's characters stand for their folds, one for one
                    total += folded_bytes + _utf8(originals) - _utf8(fold(originals))
            return total

        return self._retrying(run)

    # -- refreshing ------------------------------------------------------------------------------
    def _on_disk(self) -> dict[str, Stamp]:
        found: dict[str, Stamp] = {}
        try:
            entries = os.scandir(self.library.workspace.articles_dir)
        except FileNotFoundError:
            return found
        with entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".md") and is_valid_id(name[:-3]):
                    with contextlib.suppress(OSError):
                        st = entry.stat()
                        found[name[:-3]] = (st.st_mtime_ns, st.st_size, st.st_ctime_ns)
        return found

    def refresh(self, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Index new and changed articles and forget removed ones; returns how many changed.

        ``on_progress(done, total)`` is called after each batch of new or changed articles; it
        may raise to stop early (what was indexed so far is kept).
        """
        with self._refreshing:
            folder = self._folder_stamp()
            changed = self._retrying(lambda db: self._refresh(db, on_progress))
            self._checked = (time.monotonic(), folder)
            return changed

    def _folder_stamp(self) -> int:
        try:
            return self.library.workspace.articles_dir.stat().st_mtime_ns
        except OSError:
            return -1

    def _refresh_for_search(self) -> None:
        checked = self._checked
        if (
            checked is not None
            and time.monotonic() - checked[0] < self.recheck_after
            and self._folder_stamp() == checked[1]
        ):
            return
        self.refresh()

    def _refresh(
        self, db: sqlite3.Connection, on_progress: Callable[[int, int], None] | None
    ) -> int:
        on_disk = self._on_disk()
        indexed = {
            row[0]: (row[1], row[2], row[3])
            for row in db.execute("SELECT id, mtime_ns, size, ctime_ns FROM docs")
        }
        gone = [article_id for article_id in indexed if article_id not in on_disk]
        todo = sorted(a for a, stamp in on_disk.items() if indexed.get(a) != stamp)
        if gone:
            self._write(db, [], gone)
        batches = [
            [(a, on_disk[a]) for a in todo[i : i + BATCH]] for i in range(0, len(todo), BATCH)
        ]
        done = 0
        for batch in self._rendered(batches, parallel=len(todo) >= PARALLEL_FROM):
            self._write(db, batch, [])
            done += len(batch)
            if on_progress is not None:
                on_progress(done, len(todo))
        return len(gone) + len(todo)

    def _rendered(
        self, batches: list[list[tuple[str, Stamp]]], parallel: bool
    ) -> Iterator[list[_Entry]]:
        """Each batch rendered, in order: in worker processes when ``parallel`` and there is
        more than one CPU, with at most two batches per worker waiting to be written."""
        workers = worker_processes() if parallel else 1
        if workers < 2:
            # A library of its own, dropped at the end: the renderings do not stay in memory.
            library = Library(self.library.workspace)
            for batch in batches:
                yield [_render(library, a, stamp) for a, stamp in batch]
            return
        from concurrent.futures import Future, ProcessPoolExecutor
        from multiprocessing import get_context

        root = str(self.library.workspace.root)
        # spawn, not fork: refresh runs in the app's threads, and a fork copies their locks.
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
        try:
            waiting: list[Future[list[_Entry]]] = []
            todo = iter(batches)
            for batch in todo:
                waiting.append(pool.submit(_render_batch, root, batch))
                if len(waiting) >= 2 * workers:
                    break
            while waiting:
                result = waiting.pop(0).result()
                following = next(todo, None)
                if following is not None:
                    waiting.append(pool.submit(_render_batch, root, following))
                yield result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _write(self, db: sqlite3.Connection, entries: list[_Entry], gone: list[str]) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            for article_id in gone:
                self._delete(db, article_id)
            for entry in entries:
                self._delete(db, entry.article_id)
                cursor = db.execute(
                    "INSERT INTO docs(id, mtime_ns, size, ctime_ns, title, uneven)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        entry.article_id,
                        entry.mtime_ns,
                        entry.size,
                        entry.ctime_ns,
                        entry.title,
                        entry.uneven,
                    ),
                )
                db.execute(
                    "INSERT INTO texts(rowid, runs, originals, folded, text)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (cursor.lastrowid, entry.runs, entry.originals, entry.folded, entry.text),
                )
                db.execute(
                    "INSERT INTO terms(rowid, tokens) VALUES (?, ?)",
                    (cursor.lastrowid, entry.tokens),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _delete(self, db: sqlite3.Connection, article_id: str) -> None:
        row = db.execute(
            "SELECT docs.rowid, folded FROM docs LEFT JOIN texts USING (rowid) WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return
        rowid, folded = row
        # A contentless FTS table forgets a row when given the very tokens it indexed.
        db.execute(
            "INSERT INTO terms(terms, rowid, tokens) VALUES ('delete', ?, ?)",
            (rowid, _fts_tokens(folded or "")),
        )
        db.execute("DELETE FROM docs WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM texts WHERE rowid = ?", (rowid,))

    # -- searching -------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        regex: bool = False,
        article_ids: Collection[str] | None = None,
        limit: int | None = None,
        stem: bool = False,
        sort: Sort = "article",
    ) -> list[Match]:
        """Every match of ``query`` (up to ``limit``), in document order within an article;
        the articles in id order, or with ``sort="count"`` those with the most matches first
        (then by id). ``stem``: a word also finds its other forms (:mod:`corpus.text_match`).
        Refreshes the index first (see ``recheck_after``).

        Raises :class:`QueryError` for a bad regular expression.
        """
        patterns = compile_query(query, regex=regex, stem=stem)
        if not patterns or limit == 0:
            return []
        self._refresh_for_search()
        fts = None if regex else _fts_query(query, stem)

        def run(db: sqlite3.Connection) -> list[Match]:
            chunks = self._scan(db, fts, patterns, regex, article_ids)
            if sort == "count":
                chunks = _by_count(chunks)
            return self._matches(db, chunks, limit)

        return self._retrying(run)

    def count(
        self,
        query: str,
        *,
        regex: bool = False,
        article_ids: Collection[str] | None = None,
        stem: bool = False,
    ) -> tuple[int, int]:
        """How many matches :meth:`search` finds, and in how many articles, without building
        them (cheaper for a common word). Refreshes the index first."""
        patterns = compile_query(query, regex=regex, stem=stem)
        if not patterns:
            return 0, 0
        self._refresh_for_search()
        fts = None if regex else _fts_query(query, stem)

        def run(db: sqlite3.Connection) -> tuple[int, int]:
            matches = articles = 0
            for chunk in self._scan(db, fts, patterns, regex, article_ids):
                articles += len(chunk)
                matches += sum(len(found[3]) for found in chunk)
            return matches, articles

        return self._retrying(run)

    def _matches(
        self, db: sqlite3.Connection, chunks: Iterable[list[_Found]], limit: int | None
    ) -> list[Match]:
        """The matches of the articles found, each with its context line, up to ``limit``."""
        matches: list[Match] = []
        for chunk in chunks:
            # The folded texts the scan read come along (not read twice) unless dropped.
            folded_too = "folded" if any(found[4] is None for found in chunk) else "NULL"
            texts = {
                row[0]: row[1:]
                for row in _select(
                    db,
                    f"SELECT rowid, runs, originals, text, {folded_too} FROM texts",
                    [found[0] for found in chunk],
                )
            }
            for rowid, article_id, title, spans, scanned in chunk:
                runs, originals, whole, folded = texts.get(rowid, (None, None, None, ""))
                if scanned is not None:
                    folded = scanned
                shown = _shown(folded, runs, originals, whole)
                size = len(shown)
                for start, end in spans:
                    a, b = context_window(start, end, size)
                    part = shown[a:b]
                    line, at, to = context_line(part, start - a, end - a)
                    quote = part[start - a : end - a]
                    matches.append(Match(article_id, title, start, end, line, at, to, quote))
                    if limit is not None and len(matches) >= limit:
                        return matches
        return matches

    def _scan(
        self,
        db: sqlite3.Connection,
        fts: str | None,
        patterns: list[Matcher],
        regex: bool,
        article_ids: Collection[str] | None,
    ) -> Iterator[list[_Found]]:
        """The articles with matches, in id order, a few at a time: ``(rowid, id, title,
        spans)``, spans of the display text. ``fts`` narrows the articles read to those the
        FTS index finds (None: all). Only the folded texts are read; the display texts only
        for those with matches that fold unevenly (to map the spans back)."""
        if fts is None:
            order = db.execute("SELECT id, rowid FROM docs ORDER BY id").fetchall()
        else:
            order = db.execute(
                "SELECT id, rowid FROM docs WHERE rowid IN (SELECT rowid FROM terms(?)) "
                "ORDER BY id",
                (fts,),
            ).fetchall()
        if article_ids is not None:
            wanted = set(article_ids)
            order = [row for row in order if row[0] in wanted]
        for i in range(0, len(order), FETCH):
            rowids = [rowid for _, rowid in order[i : i + FETCH]]
            rows = {
                row[0]: row[1:]
                for row in _select(
                    db,
                    "SELECT rowid, id, title, uneven, folded FROM docs JOIN texts USING (rowid)",
                    rowids,
                )
            }
            chunk = []
            for rowid in rowids:
                if rowid in rows:
                    article_id, title, uneven, folded = rows[rowid]
                    spans = find_spans(patterns, folded, require_all=not regex)
                    if spans and uneven:
                        ((whole,),) = _select(db, "SELECT text FROM texts", [rowid])
                        text = _decompress(whole)
                        spans = FoldedText(text, folded, uneven=True).display_spans(spans)
                    if spans:
                        chunk.append((rowid, article_id, title, spans, folded))
            if chunk:
                yield chunk


def indexed_texts(
    workspace: Workspace, article_ids: Collection[str]
) -> dict[str, tuple[Stamp, str]]:
    """The display texts the search index holds for these articles, each with the stamp
    (``mtime_ns``, size, ``ctime_ns``) of the article file it was rendered from: a text is the
    file's display text as long as the file's stamp is that one. Nothing when there is no index
    of this version and renderer, or it cannot be read; the index is never made or changed.

    Export's anchor checks use it: reading a text here costs far less than rendering it."""
    path = workspace.cache_dir / INDEX_NAME
    if not article_ids or not path.is_file():
        return {}
    try:
        # mode=rw: a missing file is an error, not a new empty database.
        db = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=5)
    except (sqlite3.Error, ValueError):
        return {}
    try:
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if version is None or version[0] != _VERSION_MARK:
            return {}
        ids = list(article_ids)
        found: dict[str, tuple[Stamp, str]] = {}
        for i in range(0, len(ids), 500):
            some = ids[i : i + 500]
            for article_id, mtime_ns, size, ctime_ns, runs, originals, folded, whole in db.execute(
                "SELECT id, mtime_ns, size, ctime_ns, runs, originals, folded, text"
                f" FROM docs JOIN texts USING (rowid) WHERE id IN ({','.join('?' * len(some))})",
                some,
            ):
                shown = _shown(folded, runs, originals, whole)
                text = shown if isinstance(shown, str) else shown.whole()
                found[article_id] = ((mtime_ns, size, ctime_ns), text)
        return found
    except (sqlite3.Error, zlib.error):
        return {}
    finally:
        db.close()


def _utf8(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def _decompress(whole: bytes) -> str:
    """A display text stored whole (one that folds unevenly)."""
    return zlib.decompress(whole).decode("utf-8", "surrogatepass")


def _by_count(chunks: Iterable[list[_Found]]) -> Iterator[list[_Found]]:
    """The articles of ``chunks``, those with the most matches first (in their order when
    equal), in chunks again."""
    # Without their folded texts, which all of them together would hold in memory.
    found: list[_Found] = sorted(
        (
            (rowid, article_id, title, spans, None)
            for chunk in chunks
            for rowid, article_id, title, spans, _ in chunk
        ),
        key=lambda row: -len(row[3]),
    )
    for i in range(0, len(found), FETCH):
        yield found[i : i + FETCH]


def _select(db: sqlite3.Connection, sql: str, rowids: list[int]) -> sqlite3.Cursor:
    """``sql`` restricted to the rows with these rowids."""
    return db.execute(f"{sql} WHERE rowid IN ({','.join('?' * len(rowids))})", rowids)


def _corrupt(exc: sqlite3.DatabaseError) -> bool:
    """A file that is not a database, or a damaged one (as opposed to a busy one)."""
    return getattr(exc, "sqlite_errorcode", None) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def _use_wal(db: sqlite3.Connection, wait: float = 30.0) -> None:
    """Put the file in WAL mode (it stays so). Switching needs the file to itself, and SQLite
    answers "database is locked" at once, without its busy timeout, while another process
    is creating the index too: so wait and try again, as the timeout would."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _busy(exc: sqlite3.DatabaseError) -> bool:
    """Another process holds the file for longer than the timeout."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (5, 6)


def _cannot_open(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_CANTOPEN or SQLITE_READONLY: the folder or the file cannot be written."""
    return (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (14, 8)
