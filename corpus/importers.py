"""Turn files into article drafts: Markdown (``.md``, ``.markdown``) and plain text (``.txt``).

A draft is an :class:`~corpus.article.Article` without a final id; :meth:`Library.add` gives it
one and decides whether it is new, updated or already there.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from corpus.article import Article, ArticleFormatError, parse_article
from corpus.markdown_text import render
from corpus.plaintext import (
    decode_text,
    escape_markdown,
    is_furniture,
    normalise_paragraph,
    text_paragraphs,
)

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
TEXT_SUFFIXES = {".txt", ".text"}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES
# PDF, EPUB and Word files: binary, each read by its own module (see draft_from_file).
DOCUMENT_SUFFIXES = {".pdf", ".epub", ".docx"}
SUPPORTED_SUFFIXES |= DOCUMENT_SUFFIXES
MAX_FILE_BYTES = 20_000_000
TITLE_LIMIT = 200


class ImportFailed(Exception):
    """An item that could not be imported; ``str()`` is one line naming it and the reason."""


def check_file(path: Path, limit: int | None = None) -> None:
    """Refuse with :class:`ImportFailed` a file to import that is missing, a folder or larger
    than ``limit`` bytes (:data:`MAX_FILE_BYTES` when not given)."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder")
    if size > limit:
        raise ImportFailed(f"{path}: too large ({size / 1e6:.1f} MB, limit {limit / 1e6:g} MB)")


def read_source(path: Path) -> bytes:
    """The bytes of a file to import, refused with :class:`ImportFailed` when it is missing, a
    folder, larger than :data:`MAX_FILE_BYTES` or binary."""
    check_file(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(f"{path}: binary file, not text")
    return data


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1].rstrip() + "…"


def markdown_draft(text: str, origin: str) -> Article:
    """A draft's metadata and body from Markdown, not rendered yet (so not checked, and
    without a title taken from the text): enough for its checksum, which finds a file imported
    before without rendering it (:func:`draft_from_markdown` finishes the draft)."""
    try:
        article = parse_article("draft", text, default_title="")
    except ArticleFormatError as exc:
        raise ImportFailed(f"{origin}: {exc}") from None
    # The body as the article file gives it back (no leading blank lines, a final newline), so
    # importing the same file again finds the same checksum: unchanged, not updated.
    article.body = article.body.lstrip("\n")
    if not article.body.endswith("\n"):
        article.body += "\n"
    article.imported_from = origin
    return article


def draft_from_markdown(
    text: str, origin: str, fallback_title: str, article: Article | None = None
) -> Article:
    """A draft from Markdown: title from front matter, else the first heading, else first line.
    ``article`` is :func:`markdown_draft`'s of the same text, when the caller has it."""
    article = article or markdown_draft(text, origin)
    display = render(article.body)
    if not display.text.strip():
        raise ImportFailed(f"{origin}: empty, no text to read")
    article.rendered = (article.body, display)
    if not article.title:
        headings = [b for b in display.blocks if b.kind == "heading"]
        first = headings[0] if headings else display.blocks[0]
        article.title = _short(display.text[first.start : first.end]) or fallback_title
    return article


_NAME = r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}"
_DATE_TEXT = r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]{2,8} \d{4}"
_BYLINES = (
    re.compile(
        rf"^(?:by|written by)\s+(?P<name>{_NAME})(?:\s*[|·,–—-]\s*(?P<date>{_DATE_TEXT}))?$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^posted on (?P<date>{_DATE_TEXT}) by (?P<name>{_NAME})(?:\s*\|.*)?$", re.IGNORECASE
    ),
    re.compile(rf"^(?P<date>{_DATE_TEXT})$"),
)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%b. %d, %Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y")


def _iso_date(text: str) -> str | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _take_byline(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """Author and date from byline lines near the top, which are then dropped."""
    author: str | None = None
    published: str | None = None
    kept = []
    for index, line in enumerate(lines):
        stripped = " ".join(line.split())
        match = None
        if index < 8 and stripped:
            match = next((m for m in (b.match(stripped) for b in _BYLINES) if m), None)
        if match is None:
            kept.append(line)
            continue
        author = author or match.groupdict().get("name")
        if match.groupdict().get("date"):
            published = published or _iso_date(match.group("date"))
    return author, published, kept


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "prof",
    "vs",
    "no",
    "gen",
    "col",
    "e.g",
    "i.e",
}
PARAGRAPH_LINE = 100  # a first line longer than this that ends a sentence is a paragraph
SENTENCE_TITLE = 100  # a first sentence longer than this is cut near here for a title


def _is_paragraph(line: str) -> bool:
    """A first line that is text rather than a title: longer than :data:`PARAGRAPH_LINE` and
    ending a sentence, or longer than :data:`TITLE_LIMIT` whatever its end."""
    if len(line) > TITLE_LIMIT:
        return True
    return len(line) > PARAGRAPH_LINE and bool(re.search(r"[.!?…][\"'”’)\]]*$", line))


def first_sentence(paragraph: str) -> str:
    """A paragraph's first sentence, as a title: a sentence longer than
    :data:`SENTENCE_TITLE` is cut at the last word boundary before it, with an ellipsis."""
    end = len(paragraph)
    for match in _SENTENCE_END.finditer(paragraph):
        word = re.search(r"([\w.]+)[.!?…]?$", paragraph[: match.start() + 1])
        if word and word.group(1).rstrip(".").casefold() in _ABBREVIATIONS:
            continue  # "Dr. Ruiz": not the end of a sentence
        if word and re.fullmatch(r"[A-Z]", word.group(1).rstrip(".")):
            continue  # an initial: "J. Smith"
        end = match.end()
        break
    sentence = paragraph[:end].strip()
    if len(sentence) <= SENTENCE_TITLE:
        return sentence
    cut = sentence[: SENTENCE_TITLE + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > SENTENCE_TITLE // 2 else cut[:SENTENCE_TITLE]
    return cut.rstrip(" ,;:–—-") + "…"


def draft_from_text(text: str, origin: str) -> Article:
    """A draft from plain text: the first line is the title, the rest keeps its paragraphs.

    A byline near the top ("By Name | July 29, 2023", "Posted on … by Name") gives the author
    and the date, and a closing paragraph repeating the author as a bio is dropped.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(
        (i for i, line in enumerate(lines) if line.strip() and not is_furniture(line)), None
    )
    if first is None:
        raise ImportFailed(f"{origin}: empty, no text to read")
    title = normalise_paragraph(lines[first])
    author, published, rest = _take_byline(lines[first + 1 :])
    while rest and not rest[-1].strip():
        rest.pop()
    # A blank line anywhere after the title, even right after it, means the file separates
    # paragraphs with blank lines, so its other line breaks are only wrapping.
    paragraphs = text_paragraphs("\n".join(rest), any(not line.strip() for line in rest))
    if _is_paragraph(title):
        # A first line that long is text, not a title: keep it in the body, and name the
        # article by its first sentence.
        paragraphs.insert(0, title)
        title = first_sentence(title)
    if author:
        # The byline repeated as a bio at the end ("Name is a freelance writer…").
        while (
            len(paragraphs) > 1 and paragraphs[-1].startswith(author) and len(paragraphs[-1]) < 400
        ):
            paragraphs.pop()
    if not paragraphs:
        paragraphs = [title]
    body = "\n\n".join(escape_markdown(p) for p in paragraphs) + "\n"
    return Article(
        id="draft", title=title, body=body, author=author, published=published, imported_from=origin
    )


def draft_from_file(path: Path) -> Article:
    """Read a supported file into a draft. Raises :class:`ImportFailed` with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise ImportFailed(
            f"{path}: unsupported file type {suffix or '(none)'} (supported: {kinds})"
        )
    if suffix in DOCUMENT_SUFFIXES:
        return _draft_from_document(path, suffix)
    text = decode_text(read_source(path))
    origin = str(path.resolve())
    if suffix in MARKDOWN_SUFFIXES:
        return draft_from_markdown(text, origin, path.stem)
    return draft_from_text(text, origin)


def _draft_from_document(path: Path, suffix: str) -> Article:
    """A PDF, EPUB or Word file's draft; the readers (pypdf, lxml, mammoth) load on first use,
    never at start-up."""
    if suffix == ".pdf":
        from corpus.pdf_import import draft_from_pdf

        return draft_from_pdf(path)
    if suffix == ".epub":
        from corpus.epub_import import draft_from_epub

        return draft_from_epub(path)
    from corpus.docx_import import draft_from_docx

    return draft_from_docx(path)
