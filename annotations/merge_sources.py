"""The source of ``reader merge`` (:mod:`annotations.workspace_merge`), read and checked: a
workspace folder or a native JSON export, as articles with their highlights and memos, and a
codebook.

A workspace folder is only read: no file is made, changed or locked in it. Its articles are
parsed and (when needed) rendered in memory, never through a :class:`corpus.library.Library`,
which caches renderings on disk, nor an :class:`annotations.store.AnnotationStore`, which takes
the lock and migrates. A folder with an interrupted write (its journal) is refused: only
reader opening it may roll that back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson

from annotations import records
from annotations.formats.importing import AnnotationImportError, parse_native
from annotations.journal import journal_path
from annotations.model import DEFAULT_HIGHLIGHT_COLOR, Highlight, Tag, workspace_problem
from annotations.storage import StoreError
from annotations.store import SCHEMA_VERSION
from corpus.article import Article, ArticleFormatError, parse_article
from corpus.workspace import Workspace, is_valid_id


class MergeError(StoreError):
    """A source that cannot be merged; ``str()`` is one line naming it. Nothing was written."""


def not_merged(exc: Exception) -> MergeError:
    """``exc``'s one line (naming the file, source or ours, at fault), saying nothing merged."""
    return MergeError(f"{str(exc).removesuffix('; left untouched')}; nothing merged")


@dataclass
class SourceArticle:
    """One article of the source: a workspace's (``article`` is its whole file, read) or an
    export's (only an id, a URL and a title)."""

    id: str
    url: str | None
    title: str
    memo: str
    highlights: list[Highlight]
    article: Article | None = None
    _text: str | None = None

    @property
    def text(self) -> str | None:
        """The display text (``None`` for an export's article, which carries none)."""
        if self.article is None:
            return None
        if self._text is None:
            self._text = self.article.display.text
        return self._text


@dataclass
class Source:
    """What a source holds, read and checked: its articles and its codebook."""

    path: Path
    kind: Literal["workspace", "json"]
    articles: list[SourceArticle]
    tags: list[Tag]


# -- reading the source ---------------------------------------------------------------------------
def read_source(path: Path, here: Workspace) -> Source:
    """The source named ``path``: a workspace folder or a native JSON export. Raises
    :class:`MergeError` (one line naming it) for one that is missing, not a workspace or an
    export, does not parse, or is this workspace."""
    name = str(path)
    if not path.exists():
        raise MergeError(f"{name}: no such file or folder; nothing merged")
    if path.is_dir():
        if here.root.exists() and os.path.samefile(path, here.root):
            raise MergeError(f"{name}: is this workspace; nothing merged")
        return _read_workspace(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MergeError(f"{name}: cannot read ({exc.strerror or exc}); nothing merged") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if not (isinstance(data, dict) and data.get("format") == "reader-annotations"):
        raise MergeError(
            f"{name}: not a workspace folder or a native JSON export (reader export --format "
            "json); W3C and doccano files go through reader import-annotations; nothing merged"
        )
    try:
        incoming = parse_native(data, name)
    except AnnotationImportError as exc:
        raise not_merged(exc) from None
    articles = [
        SourceArticle(a.id or "", a.url, a.title or a.id or "", a.memo, a.highlights)
        for a in incoming.articles
    ]
    return Source(path, "json", articles, incoming.tags)


def _read_workspace(root: Path) -> Source:
    ws = Workspace(root.absolute())
    if not ws.exists():
        raise MergeError(
            f"{root}: not a reader workspace (it has no articles folder); nothing merged"
        )
    if journal_path(ws).exists():
        raise MergeError(
            f"{root}: a write there was interrupted (open it with reader once to finish it); "
            "nothing merged"
        )
    try:
        data = records.read_workspace(ws.workspace_db) or {}
    except StoreError as exc:
        raise not_merged(exc) from None
    problem = workspace_problem(data)
    if problem is not None:
        raise MergeError(f"{ws.workspace_db}: {problem}; nothing merged")
    for record in data.get(records.META_TABLE, {}).values():
        if record.get("key") == "schema" and record.get("value", 0) > SCHEMA_VERSION:
            raise MergeError(f"{ws.workspace_db}: written by a newer reader; nothing merged")
    tags = [
        Tag(r["name"], r.get("color") or DEFAULT_HIGHLIGHT_COLOR, r.get("description") or "")
        for r in data.get(records.TAGS_TABLE, {}).values()
    ]
    memos = {
        r["article_id"]: r.get("memo") or "" for r in data.get(records.STATE_TABLE, {}).values()
    }
    try:
        names = sorted(os.listdir(ws.articles_dir))
    except OSError as exc:
        raise MergeError(
            f"{ws.articles_dir}: cannot read ({exc.strerror or exc}); nothing merged"
        ) from None
    articles = []
    for file_name in names:
        article_id = file_name[:-3]
        if not file_name.endswith(".md") or not is_valid_id(article_id):
            continue
        path = ws.article_file(article_id)
        try:
            article = parse_article(article_id, path.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, ArticleFormatError) as exc:
            raise MergeError(f"{path}: cannot read ({exc}); nothing merged") from None
        try:
            highlights = records.read_highlights(ws.highlights_db(article_id))
        except StoreError as exc:
            raise not_merged(exc) from None
        articles.append(
            SourceArticle(
                article_id,
                article.url,
                article.title,
                memos.get(article_id, ""),
                highlights,
                article,
            )
        )
    return Source(root, "workspace", articles, tags)
