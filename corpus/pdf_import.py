"""PDF files to articles: the text layer read with pypdf, rebuilt into paragraphs.

A PDF holds positioned lines, not paragraphs. This module reads each page's lines in pypdf's
reading order with their baselines and font sizes, then:

- drops **running headers and footers**: a line among the first or last two of a page whose
  text, digits aside, recurs there in the same font size on three pages or on more than half
  of them (at least two), and a page number standing alone there ("3", "iv", "Page 3 of 9",
  "- 3 -"), so running titles go, and the same words in the body stay;
- rebuilds **paragraphs**: lines are joined with a space, and a paragraph ends at a gap between
  lines wider than 1.4 times the page's usual line spacing, at a change of font size, or after a
  line that ends a sentence well short of the page's full line width. A paragraph that runs
  over a page break goes on (unless the page ended a sentence);
- joins **hyphenated line ends**: "infor-" + "mation" is "information", unless the next line
  starts with a capital or a digit ("COVID-" + "19"), or the hyphenated word is written with
  its hyphen somewhere else in the document and not without it ("well-known");
- makes lines in a larger font than the body text **headings**.

Page boundaries are kept in the article's front matter as ``pages``: the display-text offset at
which each page's text starts, first page first, separated by spaces (a string, so the front
matter stays in the one-line form that is read without PyYAML). :func:`page_at` turns an
offset into a page number, which exports write beside a highlight.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.article import Article
from corpus.importers import ImportFailed, check_file
from corpus.markdown_text import render
from corpus.plaintext import escape_markdown, normalise_paragraph

log = logging.getLogger(__name__)

PAGES_KEY = "pages"
MAX_PDF_BYTES = 100_000_000
_EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be header or footer
_PARAGRAPH_GAP = 1.4  # times the usual line spacing
_HEADING_SIZE = 1.15  # times the body text's font size
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?(?:\d+|[ivxlcdm]+)(?:\s*(?:/|of)\s*\d+)?$|^[-–—]\s*\d+\s*[-–—]$", re.IGNORECASE
)
_ROMAN = re.compile(r"^[ivxlcdm]+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_HYPHENATED = re.compile(r"(\w+)-$")
_FILE_NAME_TITLE = re.compile(
    r"\.(?:docx?|pdf|odt|rtf|tex|indd|pptx?|xlsx?)$|^microsoft \w+ - ", re.I
)


@dataclass
class _Line:
    text: str
    x: float
    y: float
    size: float


@dataclass
class _Paragraph:
    text: str
    heading: bool
    # (page index, offset in ``text``) for each page whose text starts inside this paragraph
    page_starts: list[tuple[int, int]]


def page_at(article: Article, offset: int) -> int | None:
    """The page (1 for the first) that holds display-text ``offset`` of an article imported from
    a PDF, or ``None`` for an article without pages."""
    starts = page_starts(article)
    if not starts:
        return None
    return max(1, bisect.bisect_right(starts, offset))


def page_starts(article: Article) -> list[int]:
    """The display-text offset where each page starts, or ``[]`` for an article without pages."""
    value = article.extra.get(PAGES_KEY)
    if not isinstance(value, str):
        return []
    try:
        return [int(part) for part in value.split()]
    except ValueError:
        return []


def draft_from_pdf(path: Path) -> Article:
    """A draft from a PDF file. Raises :class:`ImportFailed` with one line naming the file for
    a file that is not a PDF, is damaged or encrypted, or has no text layer."""
    return draft_from_pdf_data(_read(path), str(path), str(path.resolve()), path.stem)


def draft_from_pdf_data(data: bytes, name: str, origin: str, fallback_title: str) -> Article:
    """A draft from a PDF's bytes; ``name`` (a path or a URL) is what error lines name,
    ``origin`` the article's ``imported_from``, ``fallback_title`` the title when the PDF
    suggests none."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = name
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ImportFailed(f"{path}: not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlock(reader):
            raise ImportFailed(
                f"{path}: encrypted PDF (it needs a password; save an unlocked copy)"
            )
        pages = [_page_lines(page) for page in reader.pages]
        info = reader.metadata
        meta = {
            "title": _info_text(info, "/Title"),
            "author": _info_text(info, "/Author"),
            "date": _info_text(info, "/CreationDate"),
        }
    except ImportFailed:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # pypdf raises many kinds of error on damaged files; the detail goes to the log.
        log.info("reading %s failed", path, exc_info=True)
        raise ImportFailed(f"{path}: damaged PDF, cannot be read ({type(exc).__name__})") from None
    if not any(line.text.strip() for page in pages for line in page):
        raise ImportFailed(f"{path}: no text in this PDF (a scanned document? run OCR first)")
    paragraphs = _paragraphs(_drop_running_lines(pages))
    title = meta["title"] if meta["title"] and not _FILE_NAME_TITLE.search(meta["title"]) else ""
    if not title:
        title = _first_heading_like(paragraphs) or fallback_title
    if len(paragraphs) > 1 and paragraphs[0].text.casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the title, which the pane shows already
    body = (
        "\n\n".join(("## " if p.heading else "") + escape_markdown(p.text) for p in paragraphs)
        + "\n"
    )
    return Article(
        id="draft",
        title=title[:200],
        body=body,
        author=meta["author"],
        published=_pdf_date(meta["date"]),
        imported_from=origin,
        extra={
            PAGES_KEY: " ".join(str(s) for s in _display_page_starts(body, paragraphs, len(pages)))
        },
    )


def _read(path: Path) -> bytes:
    check_file(path, MAX_PDF_BYTES)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path}: {exc.strerror or exc}") from None


def _unlock(reader: Any) -> bool:
    """Open a PDF encrypted with an empty user password (only its permissions restricted)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises for ciphers it cannot run (AES without cryptography)
        log.info("decrypting failed", exc_info=True)
        return False


def _info_text(info: Any, key: str) -> str | None:
    if info is None:
        return None
    value = info.get(key)
    text = normalise_paragraph(str(value)) if value is not None else ""
    return text or None


def _pdf_date(value: str | None) -> str | None:
    """``D:20240315120000Z`` (or ``2024-03-15…``) as ``2024-03-15``."""
    if not value:
        return None
    match = re.match(r"(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", value)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return None


def _page_lines(page: Any) -> list[_Line]:
    """A page's lines in pypdf's reading order, each with where its first text is and its size."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[float] | None = None

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        nonlocal where
        for index, piece in enumerate(text.split("\n")):
            if index:
                end_line()
            if piece.strip() and where is None:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = abs(tm[3] * cm[3]) or 1.0
                where = [x, y, size * scale]
            parts.append(piece)

    def end_line() -> None:
        nonlocal where
        text = normalise_paragraph("".join(parts))
        if text and where is not None:
            lines.append(_Line(text, *where))
        parts.clear()
        where = None

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _shape(line: _Line) -> str:
    """A line as it recurs: digits aside, and in its size (a title on the first page in a large
    font is not the running header that repeats it in a small one)."""
    text = "#" if _ROMAN.match(line.text) else _DIGITS.sub("#", line.text.casefold())
    return f"{round(line.size)}:{text}"


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Pages without the header and footer lines that recur across them."""
    if len(pages) < 2:
        return pages
    seen: Counter[str] = Counter()
    for lines in pages:
        edges = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
        seen.update({_shape(line) for line in edges})
    # On three pages, or on most pages of a short document: chapter titles in running headers
    # change from chapter to chapter, so "most pages" alone would miss them in a long one.
    recurring = {
        shape
        for shape, count in seen.items()
        if count >= 3 or (count >= 2 and count > len(pages) / 2)
    }
    kept = []
    for lines in pages:
        edge = set(range(min(_EDGE_LINES, len(lines)))) | set(
            range(max(0, len(lines) - _EDGE_LINES), len(lines))
        )
        kept.append(
            [
                line
                for index, line in enumerate(lines)
                if not (
                    index in edge and (_shape(line) in recurring or _PAGE_NUMBER.match(line.text))
                )
            ]
        )
    return kept


def _paragraphs(pages: list[list[_Line]]) -> list[_Paragraph]:
    """Lines joined into paragraphs over all pages, with the offsets where each page starts."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0  # the size most text is in
    words = _hyphen_evidence(pages)
    spacing = _line_spacing(pages)
    paragraphs: list[_Paragraph] = []
    current: list[str] = []  # the current paragraph's lines, hyphens still on
    starts: list[tuple[int, int]] = []
    heading = False
    last: _Line | None = None

    def close() -> None:
        nonlocal current, starts
        if current:
            text, offsets = _join(current, words)
            page_starts = [(page, offsets[line]) for page, line in starts]
            paragraphs.append(_Paragraph(text, heading, page_starts))
        current, starts = [], []

    for page_index, lines in enumerate(pages):
        if not lines:
            continue
        width = max(len(line.text) for line in lines)
        for index, line in enumerate(lines):
            is_heading = body_size > 0 and line.size > body_size * _HEADING_SIZE
            if last is None or not current:
                breaks = True
            elif index == 0:  # the first line of a page: the paragraph goes on unless it ended
                breaks = bool(_SENTENCE_END.search(last.text)) or is_heading or heading
            else:
                gap = last.y - line.y
                breaks = (
                    gap <= 0  # a new column, or text placed out of order
                    or (spacing > 0 and gap > spacing * _PARAGRAPH_GAP)
                    or is_heading != heading
                    or abs(line.size - last.size) > 0.5
                    or (bool(_SENTENCE_END.search(last.text)) and len(last.text) < 0.75 * width)
                )
            if breaks:
                close()
                heading = is_heading
            if index == 0:
                starts.append((page_index, len(current)))
            current.append(line.text)
            last = line
    close()
    return paragraphs


def _line_spacing(pages: list[list[_Line]]) -> float:
    """The usual distance between the baselines of consecutive lines of a paragraph, over the
    whole document (one page may have too few lines to tell)."""
    gaps: Counter[float] = Counter()
    for lines in pages:
        for above, below in itertools.pairwise(lines):
            if above.y > below.y:
                gaps[round(above.y - below.y, 1)] += 1
    if not gaps:
        return 0.0
    # The smallest of the common gaps: in text of two-line paragraphs the gap between
    # paragraphs is about as common as the one between lines.
    most = max(gaps.values())
    return min(gap for gap, count in gaps.items() if count >= most * 0.3)


def _hyphen_evidence(pages: list[list[_Line]]) -> set[str]:
    """The hyphenated words written inside a line somewhere, lower-cased ("well-known")."""
    found: set[str] = set()
    for lines in pages:
        for line in lines:
            found.update(re.findall(r"\w+(?:-\w+)+", line.text[:-1].casefold()))
    return found


def _join(lines: list[str], hyphenated: set[str]) -> tuple[str, list[int]]:
    """Lines joined into one paragraph, and the offset of each line's start in it."""
    text = ""
    offsets: list[int] = []
    for index, line in enumerate(lines):
        if index:
            broken = _HYPHENATED.search(lines[index - 1])  # text ends with it
            first = re.match(r"\w+", line)
            if broken and first:
                whole = f"{broken.group(1)}-{first.group()}".casefold()
                if line[0].islower() and whole not in hyphenated:
                    text = text[:-1]  # a word broken at the line end
                # else a hyphen of the word itself ("well-known", "COVID-19"): no space either
            else:
                text += " "
        offsets.append(len(text))
        text += line
    return text, offsets


def _first_heading_like(paragraphs: list[_Paragraph]) -> str:
    """The first heading, else the first short paragraph that does not end a sentence."""
    for paragraph in paragraphs[:20]:
        if paragraph.heading:
            return paragraph.text
    for paragraph in paragraphs[:5]:
        if len(paragraph.text) <= 120 and not _SENTENCE_END.search(paragraph.text):
            return paragraph.text
    return ""


def _display_page_starts(body: str, paragraphs: list[_Paragraph], count: int) -> list[int]:
    """Each page's first offset in the display text of ``body``; a page without text starts
    where the next one does (so an offset is never on it)."""
    display = render(body).text
    found_starts: dict[int, int] = {}
    position = 0
    for paragraph in paragraphs:
        found = display.find(paragraph.text, position)
        if found < 0:
            continue
        for page, offset in paragraph.page_starts:
            found_starts.setdefault(page, found + offset)
        position = found + len(paragraph.text)
    starts = [len(display)] * count
    following = len(display)
    for page in reversed(range(count)):
        following = min(found_starts.get(page, following), following)
        starts[page] = following
    if starts:
        starts[0] = 0
    return starts
