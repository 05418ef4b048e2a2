"""Reading-list exports: the links a researcher saved in Pocket, Instapaper or Readwise.

Each export is recognised by its content (the CSV header, Pocket's HTML list), whatever its
file name, and read into :class:`ReadingItem` values: a URL to fetch and import as
``reader import URL`` would, the tags or folder it had in the service, whether it was
archived there, and (Readwise) the highlights made on it, to be placed again by quote once the
page is imported (``annotations.article_import`` does that: this module only reads).

Formats read:

- Pocket's HTML export (``ril_export.html``): ``<ul><li><a href=… time_added=… tags="a,b">``
  under ``<h1>Unread</h1>`` and ``<h1>Read Archive</h1>``;
- Pocket's CSV export: ``title,url,time_added,tags,status`` (tags joined by ``|``, status
  ``unread`` or ``archive``);
- Instapaper's CSV export: ``URL,Title,Selection,Folder,Timestamp`` (and ``Tags`` in newer
  ones, a JSON list); the folders ``Unread`` and ``Archive`` are states, ``Starred`` and any
  folder of one's own become tags;
- Readwise's highlights CSV export: ``Highlight,Book Title,Book Author,Amazon Book ID,Note,
  Color,Tags,Location Type,Location,Highlighted at,Document tags``, and Readwise's CSV import
  layout ``Highlight,Title,Author,URL,Note,Location,Date``; rows are grouped by document.
  The export has no URL column: a document without a URL can only be matched, by title, to an
  article the workspace already holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from corpus.importers import ImportFailed

LIST_SUFFIXES = {".csv", ".opml"}  # besides .html (Pocket) and .xml (OPML), told by content
MAX_ITEMS = 10_000


@dataclass(frozen=True)
class ListHighlight:
    """A highlight made in a reading service: its quote, note and tags there."""

    quote: str
    note: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReadingItem:
    """One saved link (or, from OPML, one feed): where to fetch it and what the service knew."""

    url: str | None
    service: str  # "Pocket", "Instapaper", "Readwise" or "OPML"
    title: str = ""
    tags: tuple[str, ...] = ()
    archived: bool = False
    highlights: tuple[ListHighlight, ...] = field(default=())
    feed: bool = False  # an OPML feed: imported as a feed, each entry an article


@dataclass(frozen=True)
class ReadingList:
    """A parsed export: which kind it is (``pocket-html``, ``pocket-csv``, ``instapaper-csv``,
    ``readwise-csv`` or ``opml``) and its items in the file's order."""

    kind: str
    items: list[ReadingItem]


_POCKET_HTML = re.compile(rb"<title>\s*Pocket Export\s*</title>|<a\s[^>]*\btime_added=", re.I)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header(data: bytes) -> list[str]:
    first = _text(data[:4096]).splitlines()[:1]
    if not first:
        return []
    try:
        row = next(csv.reader(first))
    except (csv.Error, StopIteration):
        return []
    return [name.strip().casefold() for name in row]


def _csv_kind(header: list[str]) -> str | None:
    names = set(header)
    if {"url", "title", "time_added"} <= names:
        return "pocket-csv"
    if {"url", "title", "selection", "folder"} <= names:
        return "instapaper-csv"
    if "highlight" in names and ({"book title", "title"} & names):
        return "readwise-csv"
    return None


def reading_list_kind(data: bytes, suffix: str) -> str | None:
    """The kind of reading list ``data`` is (see :class:`ReadingList`), or ``None``. Only a
    file's first bytes are looked at, so this is cheap for any HTML or XML file."""
    head = data[:4096]
    if suffix in (".opml", ".xml") and b"<opml" in head.lower():
        return "opml"
    if suffix in (".html", ".htm") and _POCKET_HTML.search(head):
        return "pocket-html"
    if suffix == ".csv":
        return _csv_kind(_header(data))
    return None


def split_tags(value: str, separator: str = ",") -> tuple[str, ...]:
    """Tag names from an export's field: split, trimmed, empty ones and repeats dropped."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        try:
            listed = json.loads(value, strict=False)  # a control character is refused later
        except ValueError:
            listed = None
        if isinstance(listed, list):
            names = [
                str(item.get("name", "")) if isinstance(item, dict) else str(item)
                for item in listed
            ]
            return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    return tuple(dict.fromkeys(p.strip() for p in value.split(separator) if p.strip()))


def _is_web(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


def _pocket_html(data: bytes) -> list[ReadingItem]:
    import lxml.html

    root = lxml.html.fromstring(_text(data))
    items = []
    archived = False
    for element in root.iter("h1", "a"):
        if element.tag == "h1":
            archived = "archive" in (element.text_content() or "").casefold()
            continue
        url = (element.get("href") or "").strip()
        if not url:
            continue
        title = " ".join(element.text_content().split())
        tags = split_tags(element.get("tags") or "")
        items.append(ReadingItem(url, "Pocket", title, tags, archived))
    return items


def _rows(data: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_text(data), newline=""))
    rows = []
    for row in reader:
        rows.append({(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()})
    return rows


def _pocket_csv(data: bytes) -> list[ReadingItem]:
    items = []
    for row in _rows(data):
        tags = split_tags(row.get("tags", ""), "|")
        archived = row.get("status", "").casefold() in ("archive", "archived", "read")
        items.append(
            ReadingItem(row.get("url", ""), "Pocket", row.get("title", ""), tags, archived)
        )
    return items


_INSTAPAPER_STATES = {"unread": False, "archive": True}


def _instapaper_csv(data: bytes) -> list[ReadingItem]:
    items = []
    for row in _rows(data):
        folder = row.get("folder", "")
        tags = list(split_tags(row.get("tags", "")))
        if folder and folder.casefold() not in _INSTAPAPER_STATES:
            tags.insert(0, folder)
        archived = _INSTAPAPER_STATES.get(folder.casefold(), False)
        title = row.get("title", "")
        items.append(ReadingItem(row.get("url", ""), "Instapaper", title, tuple(tags), archived))
    return items


@dataclass
class _Document:
    """One document of a Readwise export, as its rows add to it."""

    title: str
    tags: list[str] = field(default_factory=list)
    marks: list[ListHighlight] = field(default_factory=list)


def _readwise_csv(data: bytes) -> list[ReadingItem]:
    documents: dict[tuple[str, str], _Document] = {}
    for row in _rows(data):
        quote = row.get("highlight", "")
        url = row.get("url") or row.get("source url") or ""
        title = row.get("book title") or row.get("title") or ""
        if not (url or title):
            continue
        doc = documents.setdefault((url, title if not url else ""), _Document(title))
        doc.tags = list(dict.fromkeys([*doc.tags, *split_tags(row.get("document tags", ""))]))
        if quote:
            doc.marks.append(
                ListHighlight(quote, row.get("note", ""), split_tags(row.get("tags", "")))
            )
    return [
        ReadingItem(
            url or None, "Readwise", doc.title, tuple(doc.tags), highlights=tuple(doc.marks)
        )
        for (url, _), doc in documents.items()
    ]


_NAMES = {
    "pocket-html": "Pocket export",
    "pocket-csv": "Pocket export",
    "instapaper-csv": "Instapaper export",
    "readwise-csv": "Readwise export",
    "opml": "OPML list",
}


def parse_reading_list(data: bytes, origin: str, kind: str) -> ReadingList:
    """The items of a reading list of ``kind`` (from :func:`reading_list_kind`). Raises
    :class:`ImportFailed` (one line naming ``origin``) for one with nothing to import. An
    item whose URL is not http(s) is kept: importing it gives its own one-line failure."""
    if kind == "opml":
        from corpus.opml import parse_opml

        items = parse_opml(data, origin)
    else:
        try:
            items = {
                "pocket-html": _pocket_html,
                "pocket-csv": _pocket_csv,
                "instapaper-csv": _instapaper_csv,
                "readwise-csv": _readwise_csv,
            }[kind](data)
        except (csv.Error, ValueError) as exc:
            raise ImportFailed(f"{origin}: not a readable {_NAMES[kind]} ({exc})") from None
    items = [item for item in items if item.url or item.highlights]
    if not items:
        raise ImportFailed(f"{origin}: a {_NAMES[kind]} with no link to import")
    if len(items) > MAX_ITEMS:
        raise ImportFailed(f"{origin}: {len(items):,} links, more than {MAX_ITEMS:,} at once")
    return ReadingList(kind, items)


def not_a_reading_list(origin: str, data: bytes) -> ImportFailed:
    """The failure for a ``.csv`` or ``.opml`` file that is none of the exports read here."""
    header = ",".join(_header(data))[:80]
    return ImportFailed(
        f"{origin}: not a Pocket, Instapaper or Readwise CSV export or an OPML list"
        + (f" (its first line: {header})" if header else "")
    )


def web_url(item: ReadingItem) -> str | None:
    """The item's URL when it is one to fetch (http or https)."""
    return item.url if item.url and _is_web(item.url) else None
