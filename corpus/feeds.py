"""RSS and Atom feeds to article drafts, with feedparser.

An entry with full content becomes an article directly; an entry with only a summary becomes
one from its summary, unless the caller fetches the linked page instead (``--fetch-full``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from corpus.article import Article
from corpus.importers import ImportFailed
from corpus.plaintext import escape_markdown, text_paragraphs

_BLOCK_TAG = re.compile(r"<(?:p|div|ul|ol|h[1-6]|blockquote|table|pre|section|article)\b", re.I)
FULL_CONTENT_CHARS = 600  # less than this in an entry is a teaser, not the article


@dataclass
class FeedEntry:
    """One entry: its draft (from the feed's own text) and whether that text is only a summary."""

    draft: Article
    link: str | None
    summary_only: bool


def looks_like_feed(data: bytes) -> bool:
    """A cheap check on the first bytes: an RSS, RDF or Atom root element."""
    head = data[:2048].lstrip().lower()
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf"))


def _html_to_markdown(html: str, origin: str) -> str:
    """An entry's HTML as Markdown, through the same converter as whole pages."""
    from corpus.html_import import draft_from_html

    if not _BLOCK_TAG.search(html):  # inline text only: trafilatura keeps only what is in a block
        html = f"<p>{html}</p>"
    try:
        return draft_from_html(f"<html><body><article>{html}</article></body></html>", origin).body
    except ImportFailed:
        import lxml.html

        text = lxml.html.fromstring(f"<div>{html}</div>").text_content() if html.strip() else ""
        return "\n\n".join(escape_markdown(p) for p in text_paragraphs(text)) + "\n"


def _date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return dt.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def parse_feed(data: bytes, origin: str) -> list[FeedEntry]:
    """The entries of a feed. Raises :class:`ImportFailed` if ``data`` is not a feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise ImportFailed(f"{origin}: not an RSS or Atom feed")
    site = parsed.feed.get("title") or None
    entries = []
    for index, entry in enumerate(parsed.entries):
        contents = entry.get("content") or []
        html = max((c.get("value", "") for c in contents), key=len, default="")
        summary = entry.get("summary", "")
        text = html or summary
        link = entry.get("link") or None
        where = link or f"{origin}#{index + 1}"
        if not text.strip() and not link:
            continue
        body = _html_to_markdown(text, where) if text.strip() else ""
        title = " ".join((entry.get("title") or "").split()) or where
        draft = Article(
            id="draft",
            title=title[:200],
            body=body or "\\(no text in the feed)\n",
            author=entry.get("author") or None,
            site=site,
            url=link,
            published=_date(entry),
            # The feed and the entry, not the entry's link: the page at the link is another
            # source, so a summary here never counts as a new version of that page.
            imported_from=f"{origin}#{entry.get('id') or link or index + 1}",
        )
        summary_only = not html and len(summary) < FULL_CONTENT_CHARS
        entries.append(FeedEntry(draft, link, summary_only or not body))
    if not entries:
        raise ImportFailed(f"{origin}: a feed with no entry to import (none has text or a link)")
    return entries
