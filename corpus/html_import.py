"""HTML pages to articles: trafilatura finds the article, this module writes it as Markdown.

trafilatura (the field's standard extractor) removes navigation, ads, comments, share buttons
and captions, and reads the metadata (title, author, date, site, canonical URL, including
JSON-LD). Its XML tree of the article is then written as Markdown here rather than with its own
Markdown output, because that drops block quotes and does not escape text: a literal ``*`` or
``_`` in an article would turn into emphasis and disappear. Every text node is escaped, so the
display text reads exactly as the extracted text.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.article import Article
from corpus.importers import ImportFailed
from corpus.plaintext import escape_markdown, is_furniture

_SPACES = re.compile(r"\s+")
_EMPHASIS = {"#b": "**", "#strong": "**", "#i": "*", "#em": "*", "#t": "`", "#del": "~~"}


def _text(value: str | None) -> str:
    """A text node as Markdown: white space collapsed as HTML does, special characters escaped."""
    if not value:
        return ""
    collapsed = _SPACES.sub(" ", value)
    if not collapsed.strip():
        return collapsed
    lead = " " if collapsed[0] == " " else ""
    tail = " " if collapsed[-1] == " " else ""
    return lead + escape_markdown(collapsed.strip()) + tail


def _inline(element: Any) -> str:
    """The Markdown of an element's inline content (text, emphasis, links, line breaks)."""
    parts = [_text(element.text)]
    for child in element:
        tag = child.tag
        if tag == "hi" or tag == "del":
            inner = _inline(child).strip()
            mark = _EMPHASIS.get(child.get("rend", "#del" if tag == "del" else ""), "")
            if inner and mark == "`":
                inner = "".join(child.itertext()).strip().replace("`", "'")
            parts.append(f"{mark}{inner}{mark}" if inner else "")
        elif tag == "ref":
            inner = _inline(child).strip()
            target = (child.get("target") or "").strip()
            if inner and target.startswith(("http://", "https://", "mailto:")):
                parts.append(f"[{inner}](<{target.replace('>', '%3E')}>)")
            else:
                parts.append(inner)
        elif tag == "lb":
            parts.append("\\\n")
        elif tag != "graphic":
            parts.append(_inline(child))
        parts.append(_text(child.tail))
    return "".join(parts)


def _paragraph(markdown: str) -> str:
    lines = [line.strip() for line in markdown.split("\\\n")]
    return "\\\n".join(line for line in lines if line)


def _blocks(element: Any, depth: int = 0) -> list[str]:
    """Markdown blocks for an element's children."""
    blocks: list[str] = []
    for child in element:
        tag = child.tag
        if tag == "head":
            level = int((child.get("rend") or "h2").lstrip("h") or 2)
            text = _paragraph(_inline(child)).replace("\\\n", " ")
            if text:
                blocks.append(f"{'#' * min(max(level, 1), 6)} {text}")
        elif tag == "p":
            text = _paragraph(_inline(child))
            if text and not is_furniture("".join(child.itertext())):
                blocks.append(text)
        elif tag == "list":
            blocks.append(_list(child, depth))
        elif tag == "quote":
            inner = (
                _blocks(child, depth)
                if len(child) and child[0].tag in ("p", "list")
                else [_paragraph(_inline(child))]
            )
            quoted = "\n>\n".join(
                "\n".join(f"> {line}" if line else ">" for line in block.split("\n"))
                for block in inner
                if block
            )
            if quoted:
                blocks.append(quoted)
        elif tag == "code":
            code = "".join(child.itertext()).strip("\n")
            if code:
                fence = "````" if "```" in code else "```"
                blocks.append(f"{fence}\n{code}\n{fence}")
        elif tag == "table":
            for row in child.iter("row"):
                cells = [_paragraph(_inline(cell)).replace("\\\n", " ") for cell in row]
                if any(cells):
                    blocks.append(" \\| ".join(cells))
        elif tag in ("div", "section", "body"):
            blocks.extend(_blocks(child, depth))
        elif tag != "graphic":
            text = _paragraph(_inline(child))
            if text:
                blocks.append(text)
    return [block for block in blocks if block.strip()]


def _list(element: Any, depth: int) -> str:
    ordered = element.get("rend") in ("ol", "ol-numbered")
    items = []
    for number, item in enumerate(element.findall("item"), start=1):
        marker = f"{number}. " if ordered else "- "
        indent = " " * len(marker)
        nested = [c for c in item if c.tag == "list"]
        for sub in nested:
            item.remove(sub)
        text = _paragraph(_inline(item)).replace("\\\n", " ") or "\\-"
        lines = [marker + text]
        for sub in nested:
            lines.extend(indent + line for line in _list(sub, depth + 1).split("\n"))
        items.append("\n".join(lines))
    return "\n".join(items)


def draft_from_html(html: str | bytes, origin: str, url: str | None = None) -> Article:
    """An article draft from an HTML page. Raises :class:`ImportFailed` when no article text
    can be found in it."""
    import trafilatura  # imported here: loading it costs half a second
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html,
        url=url,
        output_format="python",
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
        # Captions and photo credits are furniture, wherever a theme puts them.
        prune_xpath=[
            "//figcaption",
            "//*[contains(@class, 'credit')]",
            "//*[contains(@class, 'caption')]",
        ],
    )
    if not isinstance(document, Document) or document.body is None or not len(document.body):
        raise ImportFailed(f"{origin}: empty after extraction (no article text found)")
    blocks = _blocks(document.body)
    title = (document.title or "").strip()
    # Furniture trafilatura keeps: a byline in the title, dates and captions in the text.
    from corpus.web_cleaning import clean_author, clean_blocks, clean_title, page_parts

    page_title, headings = page_parts(html)
    site = document.sitename or None
    title = clean_title(
        title, author=document.author, site=site, page_title=page_title, headings=headings
    )
    blocks = clean_blocks(blocks, title)
    if blocks and title and blocks[0].startswith("#"):
        first = blocks[0].lstrip("#").strip().replace("\\", "")
        if first.casefold() == title.casefold():
            blocks = blocks[1:]  # the headline is the title; the pane shows it already
    if not blocks:
        raise ImportFailed(f"{origin}: empty after extraction (no article text found)")
    if not title:
        title = next((b.lstrip("#").strip() for b in blocks if b.startswith("#")), "") or origin
    published = (document.date or "")[:10] or None
    return Article(
        id="draft",
        title=" ".join(title.split())[:200],
        body="\n\n".join(blocks) + "\n",
        author=clean_author(document.author, site),
        site=(document.sitename or None),
        url=(document.url or url or None),
        published=published,
        imported_from=origin,
    )
