"""Full-text search over a workspace's articles, with an index kept under ``.cache/``.

Queries are words and ``"quoted phrases"``, matched as whole words, case- and accent-insensitive.
Several terms find the occurrences of each term, in the articles that contain every term. With
``regex=True`` the query is one Python regular expression.

Matching never happens on the display text itself but on its *folded* form (:func:`fold`): lower
case, accents stripped, exactly one character for each character of the display text, so an
offset found in the folded text is an offset in the display text, the one highlights use.

The index (:class:`SearchIndex`) is a SQLite file, ``.cache/search.sqlite3``:

* ``docs``: per article its file's ``mtime_ns``, size and ``ctime_ns`` (so a refresh re-renders
  only new or changed articles) and its title; small, so checking 10,000 files for changes
  reads little. The change time is there because an edit can keep the size and the
  modification time (`touch -r`, `rsync -t`, sync tools), but no one can set the change time.
* ``texts``: per article its display text and its folded text. Patterns run on the folded
  texts; a display text is read only for the context lines of an article with matches.
* ``terms``: a contentless FTS5 table of the folded words, which finds the *candidate* articles
  of a word query. The exact offsets come from running the compiled patterns over the folded
  text of the candidates only. Regular expressions cannot use it: they scan every article.

It is a cache: a file that is corrupt, foreign or from another version is replaced and built
again, and SQLite's own locking keeps two processes from corrupting it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, TypeVar

from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound, Library
from corpus.markdown_text import RENDERER_VERSION
from corpus.workspace import is_valid_id

log = logging.getLogger(__name__)
T = TypeVar("T")

# Bump when fold(), the tokens given to FTS or the table layout change: older indexes are rebuilt.
INDEX_VERSION = 3
# The index keeps display texts, so one written by another renderer is rebuilt too.
_VERSION_MARK = f"{INDEX_VERSION}/renderer {RENDERER_VERSION}"
INDEX_NAME = "search.sqlite3"
BATCH = 200  # articles rendered, then written in one transaction
CONTEXT_BEFORE, CONTEXT_AFTER = 40, 60  # characters of context either side of a match
CONTEXT_SLACK = 15  # how far a cut may move to land on a word boundary
MATCH_SHOWN = 200  # a longer match (a greedy regex) is shortened in its context line
_WORDS = re.compile(r"\w+")
_QUOTES = '"“”„'


# -- folding ---------------------------------------------------------------------------------------
# Typographic apostrophes and hyphens read as the ones a keyboard types: "don't" finds "don’t".
_SAME_AS = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"}


def _fold_step(ch: str) -> str:
    if ch in _SAME_AS:
        return _SAME_AS[ch]
    lowered = ch.lower()
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    ).lower()
    if len(stripped) == 1:
        return stripped
    return lowered if len(lowered) == 1 else ch


class _FoldTable(dict[int, str]):
    """Code point -> folded character, filled on first use (``str.translate`` consults it)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        # Repeat until stable, so fold is idempotent even when a decomposition yields a
        # character that folds further (modifier letter capital A -> "A" -> "a").
        for _ in range(4):
            folded = _fold_step(ch)
            if folded == ch:
                break
            ch = folded
        self[code] = ch
        return ch


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """``text`` in lower case without accents, one character for each character of ``text``.

    Each character is lower-cased and decomposed (NFKD) with its combining marks dropped; when
    that does not give exactly one character (``ﬁ``, ``Ⅻ``) the lower-cased character is kept,
    or the character itself. Curly apostrophes become ``'``, hyphen characters ``-``.
    ``len(fold(text)) == len(text)`` always.
    """
    return text.translate(_FOLD)


def _is_mark(ch: str) -> bool:
    return unicodedata.combining(ch) != 0


def has_marks(folded: str) -> bool:
    """True when combining marks stand on their own in the text (decomposed accents)."""
    if folded.isascii():
        return False
    return any(_is_mark(ch) for ch in set(folded) if ch >= "\u0300")  # no mark comes earlier


# -- queries ---------------------------------------------------------------------------------------
class QueryError(ValueError):
    """A query that cannot be run: a bad regular expression. The message is one line."""


def split_query(query: str) -> list[str]:
    """The terms of a query: ``"quoted phrases"`` (straight or curly quotes) and single words.

    An unclosed quote runs to the end of the query.
    """
    terms: list[str] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES:
            j = i + 1
            while j < n and query[j] not in _QUOTES:
                j += 1
            phrase = " ".join(query[i + 1 : j].split())
            if phrase:
                terms.append(phrase)
            i = j + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _QUOTES:
                j += 1
            terms.append(query[i:j])
            i = j
    return terms


def _term_pattern(term: str) -> re.Pattern[str]:
    folded = fold(term)
    body = r"\s+".join(re.escape(word) for word in folded.split())
    # Whole words: no word character may touch a term that starts or ends with one.
    before = r"(?<!\w)" if re.match(r"\w", folded) else ""
    after = r"(?!\w)" if re.search(r"\w$", folded) else ""
    return re.compile(before + body + after)


def compile_query(query: str, *, regex: bool = False) -> list[re.Pattern[str]]:
    """Patterns to run on ``fold(text)``: one per term, or the one regular expression.

    A regular expression is compiled case-insensitive and multi-line; a bad one raises
    :class:`QueryError`. An empty query gives no patterns (and finds nothing).
    """
    if regex:
        if not query:
            return []
        try:
            return [re.compile(query, re.IGNORECASE | re.MULTILINE)]
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise QueryError(f"bad regular expression {query!r}: {exc.msg}{where}") from None
        except (OverflowError, RecursionError, ValueError) as exc:
            raise QueryError(f"bad regular expression {query!r}: {exc}") from None
    return [_term_pattern(term) for term in dict.fromkeys(split_query(query))]


def _fts_query(query: str) -> str | None:
    """An FTS5 query finding a superset of the articles that hold every term, or None when
    no term has a word in it (then every article is a candidate).

    Every token is a quoted string of word characters, so no user input can be FTS syntax.
    """
    phrases = []
    for term in split_query(query):
        tokens = _WORDS.findall(_strip_marks(fold(term)))
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"')
    return " AND ".join(phrases) or None


def _strip_marks(folded: str) -> str:
    return "".join(ch for ch in folded if not _is_mark(ch))


def _fts_tokens(folded: str) -> str:
    return " ".join(_WORDS.findall(_strip_marks(folded)))


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


def context_line(text: str, start: int, end: int) -> tuple[str, int, int]:
    """One line of ``text`` around ``text[start:end]``: ``(line, match_start, match_end)``.

    About 40 characters before and 60 after, cut at word boundaries and never across a block
    (a blank line), line breaks shown as spaces; ``…`` marks a cut. A match longer than 200
    characters is shortened in the middle. (Called once per match, so written for speed:
    plain comparisons instead of ``min``/``max``, one slice for the usual short match.)
    """
    left = start - CONTEXT_BEFORE
    if left < 0:
        left = 0
    block = text.rfind("\n\n", left - 1 if left else 0, start)
    if block >= 0:
        left, lead = block + 2, ""
    elif left:
        limit = left + CONTEXT_SLACK
        space = text.find(" ", left, limit if limit < start else start)
        if space >= 0:
            left = space + 1
        lead = "…"
    else:
        lead = ""
    size = len(text)
    right = end + CONTEXT_AFTER
    if right > size:
        right = size
    block = text.find("\n\n", end, right + 1)
    if block >= 0:
        right, tail = block, ""
    elif right < size:
        low = right - CONTEXT_SLACK
        space = text.rfind(" ", low if low > end else end, right)
        if space >= 0:
            right = space
        tail = "…"
    else:
        tail = ""
    at = len(lead) + start - left
    if end - start <= MATCH_SHOWN:
        return lead + text[left:right].replace("\n", " ") + tail, at, at + end - start
    half = MATCH_SHOWN // 2
    matched = text[start : start + half] + "…" + text[end - half : end]
    line = text[left:start] + matched + text[end:right]
    return lead + line.replace("\n", " ") + tail, at, at + len(matched)


_WORD_START = r"(?<!\w)"


@lru_cache(maxsize=256)
def _without_lookbehind(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A term's pattern without its leading ``(?<!\w)``, or None for any other pattern.

    The look-behind keeps ``re`` from skipping ahead to the term's first letters (20 times
    slower on long texts), so :func:`_finditer` checks it by hand instead. Regular expressions
    from users are compiled with other flags, and are never rewritten.
    """
    if pattern.flags == re.UNICODE and pattern.pattern.startswith(_WORD_START):
        return re.compile(pattern.pattern[len(_WORD_START) :], pattern.flags)
    return None


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The non-empty matches of ``pattern`` in ``text``, as ``finditer`` would find them."""
    fast = _without_lookbehind(pattern)
    if fast is None:
        for found in pattern.finditer(text):
            if found.end() > found.start():
                yield found.span()
        return
    pos = 0
    while (m := fast.search(text, pos)) is not None:
        start, end = m.span()
        if start and _is_word(text[start - 1]):
            pos = start + 1
            continue
        yield start, end
        pos = max(end, start + 1)


def _spans(
    patterns: list[re.Pattern[str]], folded: str, *, require_all: bool
) -> list[tuple[int, int]]:
    """Non-empty, non-overlapping matches of the patterns in document order (the leftmost,
    then the longest, wins an overlap); none unless every pattern matches when ``require_all``."""
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        spans = list(_finditer(pattern, folded))
        if require_all and not spans:
            return []
        found.extend(spans)
    if len(patterns) == 1:
        return found
    found.sort(key=lambda s: (s[0], -s[1]))
    kept: list[tuple[int, int]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def find_spans(
    patterns: list[re.Pattern[str]],
    folded: str,
    *,
    require_all: bool = True,
    marks: bool | None = None,
) -> list[tuple[int, int]]:
    """Where the patterns match ``folded`` (the folded form of a text), as offsets into it.

    Decomposed accents (a letter followed by a combining mark) are matched as if the marks
    were not there; the offsets still cover the marks. ``marks`` says whether the text has
    any (found out when ``None``).
    """
    if not (has_marks(folded) if marks is None else marks):
        return _spans(patterns, folded, require_all=require_all)
    positions = [i for i, ch in enumerate(folded) if not _is_mark(ch)]
    stripped = "".join(folded[i] for i in positions)
    spans = []
    for s, e in _spans(patterns, stripped, require_all=require_all):
        end = positions[e - 1] + 1
        while end < len(folded) and _is_mark(folded[end]):
            end += 1
        spans.append((positions[s], end))
    return spans


# -- the index -------------------------------------------------------------------------------------
_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,"
    " title TEXT NOT NULL,"
    " marks INTEGER NOT NULL)",
    "CREATE TABLE texts(rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, folded TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE terms USING fts5(tokens, content='',"
    " tokenize='unicode61 remove_diacritics 2')",
)
_OURS = {"meta", "docs", "texts", "terms"}
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26
FETCH = 100  # rows read per query while scanning


Stamp = tuple[int, int, int]  # a file's mtime_ns, size and ctime_ns: one version of it


@dataclass(frozen=True)
class _Entry:
    article_id: str
    mtime_ns: int
    size: int
    ctime_ns: int
    title: str
    text: str

    @property
    def folded(self) -> str:
        return fold(self.text)


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

    def _render(self, library: Library, article_id: str, stamp: Stamp) -> _Entry:
        try:
            title = library.get(article_id).title
            text = library.display(article_id).text
        except (ArticleFormatError, ArticleNotFound) as exc:
            # Indexed as empty, so it is not read again until its file changes.
            log.warning("search index: %s", exc)
            title, text = article_id, ""
        return _Entry(article_id, *stamp, title, text)

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
        # A library of its own, dropped at the end: the renderings do not stay in memory.
        library = Library(self.library.workspace)
        for i in range(0, len(todo), BATCH):
            batch = [self._render(library, a, on_disk[a]) for a in todo[i : i + BATCH]]
            self._write(db, batch, [])
            if on_progress is not None:
                on_progress(min(i + BATCH, len(todo)), len(todo))
        return len(gone) + len(todo)

    def _write(self, db: sqlite3.Connection, entries: list[_Entry], gone: list[str]) -> None:
        db.execute("BEGIN IMMEDIATE")
        try:
            for article_id in gone:
                self._delete(db, article_id)
            for entry in entries:
                self._delete(db, entry.article_id)
                folded = entry.folded
                cursor = db.execute(
                    "INSERT INTO docs(id, mtime_ns, size, ctime_ns, title, marks)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        entry.article_id,
                        entry.mtime_ns,
                        entry.size,
                        entry.ctime_ns,
                        entry.title,
                        has_marks(folded),
                    ),
                )
                db.execute(
                    "INSERT INTO texts(rowid, text, folded) VALUES (?, ?, ?)",
                    (cursor.lastrowid, entry.text, folded),
                )
                db.execute(
                    "INSERT INTO terms(rowid, tokens) VALUES (?, ?)",
                    (cursor.lastrowid, _fts_tokens(folded)),
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
    ) -> list[Match]:
        """Every match of ``query`` (up to ``limit``): article by article in id order, in
        document order within an article. Refreshes the index first (see ``recheck_after``).

        Raises :class:`QueryError` for a bad regular expression.
        """
        patterns = compile_query(query, regex=regex)
        if not patterns or limit == 0:
            return []
        self._refresh_for_search()
        return self._retrying(
            lambda db: self._search(db, query, patterns, regex, article_ids, limit)
        )

    def count(
        self, query: str, *, regex: bool = False, article_ids: Collection[str] | None = None
    ) -> tuple[int, int]:
        """How many matches :meth:`search` finds, and in how many articles, without building
        them (cheaper for a common word). Refreshes the index first."""
        patterns = compile_query(query, regex=regex)
        if not patterns:
            return 0, 0
        self._refresh_for_search()

        def run(db: sqlite3.Connection) -> tuple[int, int]:
            matches = articles = 0
            for chunk in self._scan(db, query, patterns, regex, article_ids):
                articles += len(chunk)
                matches += sum(len(spans) for _, _, _, spans in chunk)
            return matches, articles

        return self._retrying(run)

    def _search(
        self,
        db: sqlite3.Connection,
        query: str,
        patterns: list[re.Pattern[str]],
        regex: bool,
        article_ids: Collection[str] | None,
        limit: int | None,
    ) -> list[Match]:
        matches: list[Match] = []
        for chunk in self._scan(db, query, patterns, regex, article_ids):
            texts = dict(_select(db, "SELECT rowid, text FROM texts", [c[0] for c in chunk]))
            for rowid, article_id, title, spans in chunk:
                text = texts.get(rowid, "")
                for start, end in spans:
                    line, at, to = context_line(text, start, end)
                    matches.append(
                        Match(article_id, title, start, end, line, at, to, text[start:end])
                    )
                    if limit is not None and len(matches) >= limit:
                        return matches
        return matches

    def _scan(
        self,
        db: sqlite3.Connection,
        query: str,
        patterns: list[re.Pattern[str]],
        regex: bool,
        article_ids: Collection[str] | None,
    ) -> Iterator[list[tuple[int, str, str, list[tuple[int, int]]]]]:
        """The articles with matches, in id order, a few at a time: ``(rowid, id, title,
        spans)``. Only the folded texts are read; the display texts only for those with
        matches."""
        fts = None if regex else _fts_query(query)
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
                    "SELECT rowid, id, title, marks, folded FROM docs JOIN texts USING (rowid)",
                    rowids,
                )
            }
            chunk = []
            for rowid in rowids:
                if rowid in rows:
                    article_id, title, marks, folded = rows[rowid]
                    spans = find_spans(patterns, folded, require_all=not regex, marks=bool(marks))
                    if spans:
                        chunk.append((rowid, article_id, title, spans))
            if chunk:
                yield chunk


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
