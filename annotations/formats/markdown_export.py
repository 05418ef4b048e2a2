"""Markdown export: highlights as blockquotes, one section per article, readable as it is.

Quotes, notes and titles are written as they read. The only escapes are the backslashes that
CommonMark needs for the rendered text to be the same text: before characters that would start
emphasis, code, links, HTML, strike-through or tables (``\\ * _ ` [ ] < | ~``), before ``&`` of
what would read as an entity, and before a line start that would open a block (a heading, a
list item, a quote, a rule). Line breaks inside a paragraph end with ``\\`` (a hard break), so
they survive rendering; blank lines separate paragraphs; spaces and tabs at either end of a
line are dropped (Markdown would drop them, or read an indented line as code). Spaces in tag
names become ``-`` so that ``#tag`` stays one word.

An article's memo follows its source and byline (``Memo: …``); the memos of the tags (their
descriptions) make a ``## Codebook`` section at the end, a ``###`` heading per tag that has one.
"""

from __future__ import annotations

import re

from annotations.formats.selection import Selection
from annotations.model import Highlight, Tag
from corpus.article import Article, now_iso

_INLINE = re.compile(r"[\\`*_\[\]<|~]|&(?=#?[A-Za-z0-9]+;)")
# A line start CommonMark would read as a block: ATX heading, quote, list item, ordered list
# item, or a line of = or - (a setext underline or a rule).
_BLOCK_START = re.compile(r"#{1,6}(?=[ \t]|$)|>|[-+](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))")
_UNDERLINE = re.compile(r"=[ \t=]*|-[ \t-]*")
_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f\x7f]*")


def escape_inline(text: str) -> str:
    """``text`` with backslashes before the characters Markdown would read as markup."""
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def _escape_line(line: str) -> str:
    """One line, trimmed, escaped so that it reads as text wherever a block could start."""
    line = escape_inline(line.strip(" \t"))
    if _UNDERLINE.fullmatch(line):
        return "\\" + line
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    # "1. x": the dot or parenthesis after the number; otherwise the marker itself.
    cut = match.end() if line[0].isdigit() else 0
    return f"{line[:cut]}\\{line[cut:]}"


def paragraphs(text: str) -> list[str]:
    """Markdown lines for plain text: blank lines kept, hard breaks inside paragraphs."""
    lines = [_escape_line(line) for line in re.split(r"\r\n|\r|\n", text)]
    return [
        line + "\\" if line and i + 1 < len(lines) and lines[i + 1] else line
        for i, line in enumerate(lines)
    ]


def tag_word(tag: str) -> str:
    """A tag as one ``#word``: white space becomes ``-``."""
    return "#" + escape_inline("-".join(tag.split()))


def _source_line(article: Article) -> str:
    url = (article.url or "").strip()
    if _AUTOLINK.fullmatch(url):
        return f"Source: <{url}>"
    if url:
        return f"Source: {escape_inline(url)}"
    return f"Source: reader article {escape_inline(article.id)}"


def _byline(article: Article) -> str | None:
    parts = [" ".join(p.split()) for p in (article.author, article.site, article.published) if p]
    text = " · ".join(p for p in parts if p)
    return escape_inline(text) if text else None


def _heading(title: str) -> str:
    return "## " + escape_inline(" ".join(title.split()) or "Untitled").replace("#", "\\#")


def _memo_lines(memo: str) -> list[str]:
    """An article's memo as paragraphs, the first starting ``Memo:``; none for no memo."""
    if not memo.strip():
        return []
    return ["", "Memo: " + "\n".join(paragraphs(memo.strip()))]


def _codebook_lines(tags: list[Tag]) -> list[str]:
    """The ``## Codebook`` section: each tag with a memo, under its name; none without any."""
    described = [t for t in tags if t.description.strip()]
    if not described:
        return []
    lines = ["", "## Codebook"]
    for tag in described:
        name = escape_inline(" ".join(tag.name.split())).replace("#", "\\#")
        lines += ["", f"### {name}", "", *paragraphs(tag.description.strip())]
    return lines


def _highlight_lines(highlight: Highlight) -> list[str]:
    lines = [f"> {line}" if line else ">" for line in paragraphs(highlight.quote)]
    if highlight.tags:
        lines += ["", " ".join(tag_word(t) for t in highlight.tags)]
    if highlight.note.strip():
        lines += ["", "Note: " + "\n".join(paragraphs(highlight.note.strip()))]
    return lines


def to_markdown(selection: Selection, exported: str | None = None) -> str:
    """The selection as a Markdown document."""
    count, articles = selection.count(), len(selection.articles)
    lines = [
        "# Highlights",
        "",
        f"Exported from reader on {exported or now_iso()}: {count} "
        f"highlight{'s' if count != 1 else ''} from {articles} "
        f"article{'s' if articles != 1 else ''}.",
    ]
    for article in selection.articles:
        lines += ["", _heading(article.title), "", _source_line(article)]
        byline = _byline(article)
        if byline:
            lines += ["", byline]
        lines += _memo_lines(selection.memos.get(article.id, ""))
        highlights = selection.highlights.get(article.id, [])
        if not highlights:
            lines += ["", "No highlights."]
        for highlight in highlights:
            lines += ["", *_highlight_lines(highlight)]
    lines += _codebook_lines(selection.tags)
    return "\n".join(lines) + "\n"
