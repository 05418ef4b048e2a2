"""HTML export: a standalone "highlighted document" for reading in any browser.

One UTF-8 file, no scripts, no external assets (the style sheet is inline), so it can be
mailed, archived or printed as it is. It holds:

* a heading and the export line, then the codebook: each tag's colour, its number of
  highlights in the export and its memo (its description);
* a list of the articles (when there are several), then each article: its title, author,
  site, date and source link, its memo, then its display text block by block (paragraphs,
  headings, list items, quotes) with every highlight a ``<mark>`` in its colour (its own, else
  its first tag's). Overlapping and nested highlights split the text where any of them starts
  or ends: each piece is one ``<mark>`` whose ``data-highlights`` names every highlight over
  it, drawn in horizontal bands of their colours, and whose ``title`` names their tags;
* notes as numbered footnotes: a superscript number after the highlight links to the note
  and the note links back. The numbers run through the whole file;
* highlights whose quote is no longer in the text (orphans), listed after the text.

Every text from the workspace (titles, notes, memos, tag names, URLs) is escaped; a link is
made only of an ``http`` or ``https`` URL. Characters HTML does not allow (control
characters, noncharacters) become U+FFFD. Inline styles (bold, links) of the text are not
kept: the document shows the words and their highlights.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from annotations.codebook import plural
from annotations.formats.selection import Selection
from annotations.model import DEFAULT_HIGHLIGHT_COLOR, Highlight, Tag, is_color
from corpus.article import Article, now_iso
from corpus.markdown_text import Block

_NONCHARACTERS = "".join(
    chr(plane + low) for plane in range(0, 0x110000, 0x10000) for low in (0xFFFE, 0xFFFF)
)
# What an HTML document may not hold as text: control characters other than white space,
# lone surrogates and noncharacters (parse errors, and a validator's complaints).
_NOT_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
_WEB_URL = re.compile(r"https?://[^\s<>\"\x00-\x1f\x7f]+", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

STYLE = """
:root { color-scheme: light; }
body { font: 17px/1.6 Georgia, "Times New Roman", serif; color: #1d1d1f; background: #fff;
  max-width: 46em; margin: 2em auto; padding: 0 1.2em; }
h1, h2, h3, h4, h5, h6, nav, .meta, .exported, .codebook, .notes, .lost, sup.ref {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.8em; margin-bottom: .2em; }
.exported, .meta { color: #555; font-size: .9em; }
article { border-top: 2px solid #ddd; margin-top: 2.5em; padding-top: .5em; }
.text p { margin: 0 0 .8em; white-space: pre-wrap; }
.text .li { margin-bottom: .3em; padding-left: 1.2em; text-indent: -1.2em; }
.text .q { border-left: 3px solid #ccc; padding-left: .8em; color: #333; }
.text .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em;
  margin: 0; background: #f6f6f6; }
.text .rule { text-align: center; color: #888; }
mark { color: #111; -webkit-box-decoration-break: clone;
  box-decoration-break: clone; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
mark.dark { color: #fff; }
sup.ref { font-size: .7em; line-height: 0; }
sup.ref a, .notes a.back { text-decoration: none; }
.memo { background: #f7f5ee; border-left: 4px solid #c9b458; padding: .3em 1em; margin: 1em 0; }
.memo h3, .notes h3, .lost h3 { font-size: 1em; margin: .6em 0 .3em; }
.codebook dt { font-weight: 600; margin-top: .6em; }
.codebook dd { margin: .2em 0 .2em 1.6em; color: #333; }
.codebook .count { color: #777; font-weight: normal; font-size: .9em; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px;
  vertical-align: -.1em; margin-right: .4em; border: 1px solid rgba(0,0,0,.25);
  print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.notes, .lost { font-size: .92em; border-top: 1px solid #eee; margin-top: 1.5em; }
.notes p, .lost p, .memo p, .codebook p { margin: .2em 0; white-space: pre-wrap; }
.tags { color: #555; font-size: .9em; }
:target { outline: 2px solid #56ccf2; outline-offset: 2px; }
@media print { body { max-width: none; } article { break-before: page; } }
""".strip()


def _clean(text: str) -> str:
    return _NOT_HTML.sub("\ufffd", text)


def _escape_clean(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def escape(text: str) -> str:
    """``text`` as HTML text or a (double-quoted) attribute value: ``& < > "`` escaped,
    characters HTML cannot hold as U+FFFD."""
    return _escape_clean(_clean(text))


def _paragraphs(text: str, head: str = "", tail: str = "") -> str:
    """Plain text as ``<p>`` paragraphs (blank lines part them; a line break stays one, by
    ``white-space: pre-wrap``); ``head`` and ``tail`` (markup) begin the first and end the
    last."""
    parts = [escape(p) for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()] or [""]
    parts[0] = head + parts[0]
    parts[-1] += tail
    return "".join(f"<p>{p}</p>" for p in parts)


def _luminance(color: str) -> float:
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _safe_color(color: str) -> str:
    """A colour fit for a style attribute: ``#rrggbb`` as stored, else the default."""
    return color.lower() if is_color(color) else DEFAULT_HIGHLIGHT_COLOR


def _tag_words(tags: Iterable[str]) -> str:
    return " ".join(f"#{name}" for name in tags)


@dataclass
class _Notes:
    """The footnotes of the whole file: numbered in the order their references appear."""

    count: int = 0
    items: list[tuple[int, Highlight]] = field(default_factory=list)

    def ref(self, highlight: Highlight) -> str:
        """The reference after a highlight with a note; its footnote joins this article's."""
        self.count += 1
        self.items.append((self.count, highlight))
        n = self.count
        return f'<sup class="ref" id="ref-{n}"><a href="#note-{n}">{n}</a></sup>'

    def section(self) -> list[str]:
        """This article's footnotes (those referred to since the last call)."""
        if not self.items:
            return []
        first = self.items[0][0]
        out = ['<section class="notes">', "<h3>Notes</h3>", f'<ol start="{first}">']
        for n, h in self.items:
            tags = f'<span class="tags">{escape(_tag_words(h.tags))}</span> ' if h.tags else ""
            back = f' <a class="back" href="#ref-{n}" aria-label="back to the text">↩</a>'
            out.append(f'<li id="note-{n}">{_paragraphs(h.note, tags, back)}</li>')
        out += ["</ol>", "</section>"]
        self.items = []
        return out


def _mark(text: str, over: Sequence[Highlight], colors: dict[str, str]) -> str:
    """One piece of the article's text (already without what HTML cannot hold: see
    :func:`_text_html`) under the highlights ``over``, in the order they start."""
    if not over:
        return _escape_clean(text)
    shades = [colors[h.id] for h in over]
    if len(shades) == 1:
        background = shades[0]
    else:
        step = 100 / len(shades)
        bands = ", ".join(
            f"{c} {i * step:.4g}% {(i + 1) * step:.4g}%" for i, c in enumerate(shades)
        )
        background = f"linear-gradient({bands})"
    dark = sum(_luminance(c) for c in shades) / len(shades) < 0.45
    tags = dict.fromkeys(name for h in over for name in h.tags)
    label = _tag_words(tags) or "highlight"
    ids = escape(" ".join(h.id for h in over))
    cls = ' class="dark"' if dark else ""
    return (
        f'<mark{cls} style="background: {background}" data-highlights="{ids}" '
        f'title="{escape(label)}">{_escape_clean(text)}</mark>'
    )


def _block_open(block: Block) -> tuple[str, str]:
    """The opening and closing tags of one block of display text."""
    indent = 1.5 * block.depth + 1.2 * block.quote
    style = f' style="margin-left: {indent:.3g}em"' if indent else ""
    classes = {"list_item": "li", "code": "code", "rule": "rule", "table_row": "row"}
    names = [n for n in (classes.get(block.kind), "q" if block.quote else None) if n]
    cls = f' class="{" ".join(names)}"' if names else ""
    if block.kind == "heading":
        level = min(block.level + 2, 6)
        return f"<h{level}{cls}{style}>", f"</h{level}>"
    return f"<p{cls}{style}>", "</p>"


def _text_html(
    text: str,
    blocks: Sequence[Block],
    placed: list[Highlight],
    colors: dict[str, str],
    notes: _Notes,
) -> list[str]:
    """The display text, block by block, with the highlights marked and note references."""
    # Cleaned once, not piece by piece (a third of the time of a large export): one character
    # for one, so the offsets stay.
    text = _clean(text)
    blocks = list(blocks) or [Block("paragraph", 0, len(text))]
    starts = [b.start for b in blocks]
    # Where each note's reference goes: after the highlight's last character shown (a
    # highlight may end in the blank line between two blocks, which is not shown).
    refs: dict[int, list[Highlight]] = {}
    for h in placed:
        if h.note.strip():
            i = max(bisect.bisect_left(starts, h.end) - 1, 0)
            at = max(min(h.end, blocks[i].end), blocks[i].start)
            refs.setdefault(at, []).append(h)
    cuts = sorted({p for h in placed for p in (h.start, h.end)} | set(refs))
    by_start = sorted(placed, key=lambda h: (h.start, -h.end))
    waiting = 0
    active: list[Highlight] = []
    out = []
    for block in blocks:
        opening, closing = _block_open(block)
        parts = [opening]
        inside = cuts[bisect.bisect_right(cuts, block.start) : bisect.bisect_left(cuts, block.end)]
        edges = [block.start, *inside, block.end]
        for a, b in pairwise(edges):
            if a == b:
                continue
            while waiting < len(by_start) and by_start[waiting].start <= a:
                active.append(by_start[waiting])
                waiting += 1
            active = [h for h in active if h.end > a]
            parts.append(_mark(text[a:b], active, colors))
            parts += [notes.ref(h) for h in refs.pop(b, [])]
        out.append("".join(parts) + closing)
    for left in refs.values():  # a note on text no block shows: still numbered and linked
        out.append("<p>" + "".join(notes.ref(h) for h in left) + "</p>")
    return out


def _meta(article: Article) -> list[str]:
    parts = [" ".join(p.split()) for p in (article.author, article.site, article.published) if p]
    out = []
    words = " · ".join(escape(p) for p in parts if p)
    url = (article.url or "").strip()
    if _WEB_URL.fullmatch(url):
        link = f'<a href="{escape(url)}">{escape(url)}</a>'
        words = f"{words} · {link}" if words else link
    elif url:
        words = f"{words} · {escape(url)}" if words else escape(url)
    if words:
        out.append(f'<p class="meta">{words}</p>')
    return out


def _article_html(
    article: Article,
    highlights: list[Highlight],
    memo: str,
    colors: dict[str, str],
    notes: _Notes,
) -> list[str]:
    display = article.display
    text = display.text
    placed = [
        h
        for h in highlights
        if not h.orphaned and 0 <= h.start < h.end <= len(text) and text[h.start : h.end] == h.quote
    ]
    shown = {h.id for h in placed}
    lost = [h for h in highlights if h.id not in shown]
    title = " ".join(article.title.split()) or "Untitled"
    out = [
        f'<article id="article-{escape(article.id)}">',
        f"<h2>{escape(title)}</h2>",
        *_meta(article),
    ]
    if memo.strip():
        out += ['<section class="memo">', "<h3>Memo</h3>", _paragraphs(memo), "</section>"]
    if not highlights:
        out.append('<p class="meta">No highlights.</p>')
    out += [
        '<div class="text">',
        *_text_html(text, display.blocks, placed, colors, notes),
        "</div>",
    ]
    out += notes.section()
    if lost:
        out += ['<section class="lost">', "<h3>Highlights no longer in the text</h3>", "<ul>"]
        for h in lost:
            tags = f' <span class="tags">{escape(_tag_words(h.tags))}</span>' if h.tags else ""
            note = f"<br>{escape(h.note.strip())}" if h.note.strip() else ""
            color = colors.get(h.id, DEFAULT_HIGHLIGHT_COLOR)
            cls = ' class="dark"' if _luminance(color) < 0.45 else ""
            mark = f'<mark{cls} style="background: {color}">{escape(h.quote)}</mark>'
            out.append(f"<li><p>{mark}{tags}{note}</p></li>")
        out += ["</ul>", "</section>"]
    out.append("</article>")
    return out


def _codebook(tags: list[Tag], counts: dict[str, int]) -> list[str]:
    if not tags:
        return []
    out = ['<section class="codebook">', "<h2>Tags</h2>", "<dl>"]
    for tag in tags:
        swatch = f'<span class="swatch" style="background: {_safe_color(tag.color)}"></span>'
        count = f' <span class="count">({plural(counts.get(tag.name, 0), "highlight")})</span>'
        out.append(f"<dt>{swatch}{escape(tag.name)}{count}</dt>")
        if tag.description.strip():
            out.append(f"<dd>{_paragraphs(tag.description)}</dd>")
    out += ["</dl>", "</section>"]
    return out


def to_html(selection: Selection, exported: str | None = None) -> str:
    """The selection as one standalone HTML document."""
    tags = {t.name: t for t in selection.tags}
    colors: dict[str, str] = {}
    counts: dict[str, int] = {}
    for hs in selection.highlights.values():
        for h in hs:
            colors[h.id] = _safe_color(h.display_color(tags))
            for name in h.tags:
                counts[name] = counts.get(name, 0) + 1
    count, n_articles = selection.count(), len(selection.articles)
    single = selection.articles[0].title if n_articles == 1 else ""
    title = f"Highlights: {' '.join(single.split())}" if single.strip() else "Highlights"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="reader">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Highlights</h1>",
        f'<p class="exported">Exported from reader on {escape(exported or now_iso())}: '
        f"{plural(count, 'highlight')} from {plural(n_articles, 'article')}.</p>",
        "</header>",
        *_codebook(selection.tags, counts),
    ]
    if n_articles > 1:
        out += ["<nav>", "<h2>Articles</h2>", "<ol>"]
        for article in selection.articles:
            n = len(selection.highlights.get(article.id, []))
            name = " ".join(article.title.split()) or "Untitled"
            out.append(
                f'<li><a href="#article-{escape(article.id)}">{escape(name)}</a> '
                f"({plural(n, 'highlight')})</li>"
            )
        out += ["</ol>", "</nav>"]
    notes = _Notes()
    for article in selection.articles:
        out += _article_html(
            article,
            selection.highlights.get(article.id, []),
            selection.memos.get(article.id, ""),
            colors,
            notes,
        )
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
