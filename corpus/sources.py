"""Import from anywhere: files, folders, URLs and feeds, one outcome per article.

:func:`import_sources` is what ``reader import`` and the app's import dialog call. It yields an
:class:`Outcome` per item (an article imported, updated or unchanged, or one failure with a
one-line reason) so the caller can show progress; a failure never stops the rest, and an
article is written whole or not at all (:meth:`Library.add` writes each file atomically).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from corpus.article import Article
from corpus.importers import (
    MARKDOWN_SUFFIXES,
    SUPPORTED_SUFFIXES,
    ImportFailed,
    draft_from_file,
    draft_from_markdown,
    draft_from_text,
    markdown_draft,
    read_source,
)
from corpus.library import ImportResult, Library
from corpus.lock import LockError
from corpus.plaintext import decode_text
from corpus.urls import is_url

if TYPE_CHECKING:  # httpx is imported only when something is fetched
    import httpx

    from corpus.cancel import Cancel
    from corpus.reading_lists import ReadingItem, ReadingList

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
ALL_SUFFIXES = SUPPORTED_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES
LIST_SUFFIXES = {".csv", ".opml"}  # reading-list exports and OPML (corpus/reading_lists.py)
ALL_SUFFIXES |= LIST_SUFFIXES
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
}
FETCH_WORKERS = (
    4  # concurrent page fetches for --fetch-full: enough to be quick, few enough to be polite
)


@dataclass(frozen=True)
class Outcome:
    """What happened to one item: a result, or an error line naming the item."""

    source: str
    result: ImportResult | None = None
    error: str | None = None
    # The reading-list entry the article came from: its tags, state and highlights there.
    listed: ReadingItem | None = None


# A scheme and "//" reads as a URL whatever the scheme; these read as URLs without "//".
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):(//)?")
_URL_ONLY_SCHEMES = {"about", "blob", "data", "file", "javascript", "mailto", "vbscript"}


class _LazyClient:
    """One import's HTTP client, made at its first fetch: importing local files never loads
    httpx (about 60 ms of ``reader FILE.md``). Feed pages and reading lists fetch from worker
    threads, so the first ``get`` is locked."""

    def __init__(self) -> None:
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def get(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                from corpus.fetch import client

                self._client = client()
            return self._client

    def __enter__(self) -> _LazyClient:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def url_scheme(source: str) -> str | None:
    """The scheme of a source that reads as a URL (``HTTP://…``, ``ftp://…``, ``data:…``,
    ``javascript:…``), lower-cased; ``None`` for a path."""
    match = _SCHEME.match(source)
    if match and (match.group(2) or match.group(1).lower() in _URL_ONLY_SCHEMES):
        return match.group(1).lower()
    return None


def expand(sources: list[str]) -> list[str]:
    """Folders become the supported files inside them (sorted, hidden ones skipped); a folder
    without any stays as it is, to be reported."""
    return [item for item, _ in _expand(sources)]


def _expand(sources: list[str]) -> list[tuple[str, str | None]]:
    """:func:`expand`, each item with the reason it is skipped, if it is: a link inside a
    folder to a file outside it (a folder import reads only what is in the folder)."""
    items: list[tuple[str, str | None]] = []
    for source in sources:
        path = Path(source)
        if url_scheme(source) is None and path.is_dir():
            inside = path.resolve()
            found: list[tuple[str, str | None]] = []
            for root, dirs, files in os.walk(path):  # links to folders are not followed
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.startswith(".") or Path(name).suffix.lower() not in ALL_SUFFIXES:
                        continue
                    file = Path(root) / name
                    skip = None
                    if file.is_symlink():
                        target = file.resolve()
                        if not target.is_relative_to(inside):
                            skip = f"{file}: a link to {target}, outside {source}; skipped"
                    found.append((str(file), skip))
            # A folder with nothing to import stays an item, so that it is reported.
            items.extend(sorted(found) or [(source, None)])
        else:
            items.append((source, None))
    return items


def _drafts_from_bytes(
    data: bytes, kind: str, origin: str, url: str | None, charset: str | None = None
) -> list[tuple[Article, str | None, bool]]:
    """Drafts from a resource's bytes: ``(draft, link, summary_only)`` per article."""
    from corpus.fetch import decode_page

    if kind == "feed":
        from corpus.feeds import parse_feed

        return [(e.draft, e.link, e.summary_only) for e in parse_feed(data, origin)]
    if kind == "pdf":
        from corpus.pdf_import import draft_from_pdf_data

        stem = Path(urlsplit(url or origin).path).stem or "document"
        pdf = draft_from_pdf_data(data, origin, origin, stem)
        pdf.url = pdf.url or url
        return [(pdf, None, False)]
    if kind == "html":
        from corpus.html_import import draft_from_html

        draft = draft_from_html(decode_page(data, charset), origin, url)
    elif kind == "markdown":
        draft = draft_from_markdown(decode_page(data, charset), origin, origin)
    else:
        draft = draft_from_text(decode_page(data, charset), origin)
    if url:
        draft.url = draft.url or url
    return [(draft, None, False)]


def _kind_of_file(path: Path, data: bytes) -> str:
    from corpus.feeds import looks_like_feed

    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES or (suffix not in HTML_SUFFIXES and looks_like_feed(data)):
        return "feed"
    return "html" if suffix in HTML_SUFFIXES else "file"


def _kind_of_response(url: str, mime: str, data: bytes) -> str:
    from corpus.feeds import looks_like_feed

    if mime in FEED_TYPES or looks_like_feed(data):
        return "feed"
    if mime in HTML_TYPES or (not mime and data.lstrip()[:1] == b"<"):
        return "html"
    if mime == "application/pdf" or data.startswith(b"%PDF-"):
        return "pdf"
    if mime == "text/markdown":
        return "markdown"
    if mime == "text/plain":
        return "text"
    raise ImportFailed(f"{url}: not HTML, a feed or text ({mime or 'no content type'})")


def import_sources(
    library: Library,
    sources: list[str],
    *,
    fetch_full: bool = False,
    on_item: Callable[[int, int], None] | None = None,
    before_update: Callable[[Article], None] | None = None,
    cancel: Cancel | None = None,
) -> Iterator[Outcome]:
    """Import every source; see the module docstring. ``on_item(done, total)`` reports progress
    over the expanded list of sources; ``before_update(existing)`` is called before an article
    is rewritten with a changed text and may refuse by raising :class:`ImportFailed`. Once
    ``cancel`` is cancelled, fetches under way end and no further item is imported."""
    items = _expand(sources)
    with _LazyClient() as http:
        extra = 0  # a reading list counts as its items, less the one it is among the sources
        for done, (source, skip) in enumerate(items, start=1):
            if cancel is not None and cancel.cancelled:
                return
            try:
                if skip is not None:
                    raise ImportFailed(skip)
                scheme = url_scheme(source)
                if scheme not in (None, "http", "https") and not os.path.lexists(source):
                    raise ImportFailed(
                        f"{source}: unsupported URL scheme '{scheme}' (only http and https)"
                    )
                listed = None if is_url(source) else _reading_list(Path(source))
                if listed is not None:
                    before = done - 1 + extra  # items reported done so far
                    extra += len(listed.items) - 1

                    def step(k: int, _before: int = before, _extra: int = extra) -> None:
                        if on_item:
                            on_item(_before + k, len(items) + _extra)

                    yield from _import_listed(
                        library, source, listed, fetch_full, http, before_update, cancel, step
                    )
                    drafts = []  # each of its items was added already
                elif is_url(source):
                    from corpus.fetch import fetch

                    fetched = fetch(source, session=http.get(), cancel=cancel)
                    kind = _kind_of_response(source, fetched.content_type, fetched.body)
                    if not fetched.body.strip():
                        raise ImportFailed(f"{source}: empty response")
                    drafts = _drafts_from_bytes(
                        fetched.body, kind, source, fetched.url, fetched.charset
                    )
                else:
                    path = Path(source)
                    suffix = path.suffix.lower()
                    if path.is_dir():
                        kinds = ", ".join(sorted(ALL_SUFFIXES))
                        raise ImportFailed(f"{source}: a folder with no file to import ({kinds})")
                    if suffix not in ALL_SUFFIXES:
                        if not os.path.lexists(path):
                            raise ImportFailed(f"{source}: no such file")
                        kinds = ", ".join(sorted(ALL_SUFFIXES))
                        raise ImportFailed(
                            f"{source}: unsupported file type {suffix or '(none)'} "
                            f"(supported: {kinds})"
                        )
                    if suffix in HTML_SUFFIXES | FEED_SUFFIXES:
                        data = read_source(path)  # the size limit and binary check too
                        drafts = _drafts_from_bytes(
                            data, _kind_of_file(path, data), str(path.resolve()), None
                        )
                    elif suffix in MARKDOWN_SUFFIXES:
                        # The checksum first: a file imported before is found without
                        # rendering it (300 ms for 1 MB), as `reader FILE.md` does each time.
                        text = decode_text(read_source(path))
                        origin = str(path.resolve())
                        quick = markdown_draft(text, origin)
                        held = library.holding(quick.checksum)
                        if held is not None:
                            yield Outcome(source, result=ImportResult("unchanged", held))
                            drafts = []
                        else:
                            draft = draft_from_markdown(text, origin, path.stem, quick)
                            drafts = [(draft, None, False)]
                    else:
                        drafts = [(draft_from_file(path), None, False)]
                yield from _add_all(
                    library, source, drafts, fetch_full, http, before_update, cancel
                )
            except ImportFailed as exc:
                yield Outcome(source, error=str(exc))
            except LockError as exc:
                yield Outcome(source, error=f"{source}: not imported: {exc}")
            except OSError as exc:
                reason = exc.strerror or str(exc)
                if exc.filename and str(exc.filename) != source:
                    reason = f"{exc.filename}: {reason}"  # a file of the workspace
                yield Outcome(source, error=f"{source}: {reason}")
            if on_item:
                on_item(done + extra, len(items) + extra)


def _add_all(
    library: Library,
    source: str,
    drafts: list[tuple[Article, str | None, bool]],
    fetch_full: bool,
    http: _LazyClient,
    before_update: Callable[[Article], None] | None = None,
    cancel: Cancel | None = None,
) -> Iterator[Outcome]:
    """Add drafts; with ``fetch_full``, summary-only feed entries are replaced by their pages."""

    def full_page(link: str) -> Article:
        from corpus.fetch import fetch
        from corpus.html_import import draft_from_html

        fetched = fetch(link, session=http.get(), cancel=cancel)
        return draft_from_html(fetched.text, link, fetched.url)

    wanted = [link for _, link, summary in drafts if fetch_full and summary and link]
    pages: dict[str, Article | ImportFailed] = {}
    if wanted:
        with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
            pages = dict(zip(wanted, pool.map(_catching(full_page), wanted), strict=True))
    for draft, entry_link, _summary in drafts:
        page = pages.get(entry_link) if entry_link else None
        where = entry_link or source
        if isinstance(page, ImportFailed):
            yield Outcome(where, error=str(page))
            continue
        chosen = page or draft
        if page is not None:  # imported from the page's URL, as `reader import URL` would
            chosen.published = chosen.published or draft.published
            chosen.author = chosen.author or draft.author
        try:
            yield Outcome(where, result=library.add(chosen, before_update))
        except ImportFailed as exc:
            yield Outcome(where, error=f"{where}: {exc}")


def _catching(call: Callable[[str], Article]) -> Callable[[str], Article | ImportFailed]:
    def run(link: str) -> Article | ImportFailed:
        try:
            return call(link)
        except ImportFailed as exc:
            return exc

    return run


def _reading_list(path: Path) -> ReadingList | None:
    """The reading list or OPML list a file holds (told by its content), or ``None`` for any
    other file. A ``.csv`` or ``.opml`` file that is neither is an :class:`ImportFailed`."""
    suffix = path.suffix.lower()
    if suffix not in LIST_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES or not path.is_file():
        return None
    from corpus.reading_lists import not_a_reading_list, parse_reading_list, reading_list_kind

    data = read_source(path)
    kind = reading_list_kind(data, ".opml" if suffix == ".xml" else suffix)
    if kind is None:
        if suffix in LIST_SUFFIXES:
            raise not_a_reading_list(str(path), data)
        return None
    return parse_reading_list(data, str(path), kind)


def _import_listed(
    library: Library,
    source: str,
    listed: ReadingList,
    fetch_full: bool,
    http: _LazyClient,
    before_update: Callable[[Article], None] | None,
    cancel: Cancel | None,
    step: Callable[[int], None] | None = None,
) -> Iterator[Outcome]:
    """Every item of a reading list fetched (at most :data:`FETCH_WORKERS` at once) and
    imported as ``reader import URL`` would import it, a feed of an OPML list as a feed; an
    item that cannot be fetched is one failure line and the rest go on. Each outcome carries
    its item (``listed``), for its tags, state and highlights."""
    from dataclasses import replace

    from corpus.fetch import fetch
    from corpus.reading_lists import web_url

    def drafts_of(item: ReadingItem) -> list[tuple[Article, str | None, bool]]:
        url = web_url(item)
        assert url is not None
        fetched = fetch(url, session=http.get(), cancel=cancel)
        if not fetched.body.strip():
            raise ImportFailed(f"{url}: empty response")
        kind = _kind_of_response(url, fetched.content_type, fetched.body)
        if item.feed and kind != "feed":
            raise ImportFailed(f"{url}: not an RSS or Atom feed ({fetched.content_type})")
        return _drafts_from_bytes(fetched.body, kind, url, fetched.url, fetched.charset)

    def run(item: ReadingItem) -> list[tuple[Article, str | None, bool]] | ImportFailed:
        try:
            return drafts_of(item)
        except ImportFailed as exc:
            return exc

    fetchable = [item for item in listed.items if web_url(item)]
    pool = ThreadPoolExecutor(max_workers=FETCH_WORKERS)
    results = pool.map(run, fetchable)  # in order, fetched ahead as workers are free
    try:
        for number, item in enumerate(listed.items, start=1):
            if cancel is not None and cancel.cancelled:
                return
            where = item.url or f"{source}: {item.title}"
            got = next(results) if web_url(item) else None
            if got is None:
                found = _held_by_title(library, item) if not item.url else None
                if found is not None:
                    yield Outcome(where, result=ImportResult("unchanged", found), listed=item)
                elif item.url:
                    yield Outcome(where, error=f"{item.url}: not an http or https URL; skipped")
                else:
                    yield Outcome(
                        where,
                        error=f"{source}: “{item.title}” has no URL in the export and no "
                        "article of that title is in the workspace; not imported",
                    )
            elif isinstance(got, ImportFailed):
                lost = len(item.highlights)
                also = f"; its {lost} {item.service} highlight(s) not imported" if lost else ""
                yield Outcome(where, error=f"{got}{also}")
            else:
                for outcome in _add_all(
                    library, where, got, fetch_full, http, before_update, cancel
                ):
                    yield replace(outcome, listed=item)
            if step is not None and number < len(listed.items):
                step(number)  # the last one is the source's own step
    finally:  # an import stopped early waits for no fetch that has not started
        pool.shutdown(wait=True, cancel_futures=True)


def _held_by_title(library: Library, item: ReadingItem) -> Article | None:
    """The article the workspace holds with the item's title (a Readwise document without a
    URL), if exactly one has it."""
    from corpus.article import ArticleFormatError
    from corpus.library import ArticleNotFound

    wanted = " ".join(item.title.split()).casefold()
    same = [s for s in library.summaries() if " ".join(s.title.split()).casefold() == wanted]
    if len(same) != 1:
        return None
    try:
        return library.get(same[0].id)
    except (ArticleNotFound, ArticleFormatError):
        return None


def count_items(sources: list[str]) -> int:
    """How many items importing ``sources`` reports progress over: :func:`expand`'s, a
    reading list or OPML list counting as its links (for the progress bar)."""
    total = 0
    for source in expand(sources):
        try:
            listed = None if url_scheme(source) else _reading_list(Path(source))
        except (ImportFailed, OSError):
            listed = None
        total += len(listed.items) if listed is not None else 1
    return total
