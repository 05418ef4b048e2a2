"""The HTML of a document (an EPUB chapter, a Word file through mammoth) as Markdown.

A web page goes through trafilatura, which finds the article among navigation and ads. A
document's HTML is all article, and trafilatura's guesses would only lose parts of it (a short
paragraph, a table, a list of notes), so its elements are mapped one to one onto the XML that
trafilatura writes (``head``, ``p``, ``list``/``item``, ``hi``, ``ref``, ``quote``, ``table``/
``row``/``cell``, ``lb``) and written as Markdown by the same code as web pages
(:func:`corpus.html_import._blocks`), with the same escaping: the display text reads exactly as
the document's text.
"""

from __future__ import annotations

from typing import Any

_BLOCK_TAGS = {
    **{f"h{level}": ("head", {"rend": f"h{level}"}) for level in range(1, 7)},
    "p": ("p", {}),
    "ul": ("list", {"rend": "ul"}),
    "ol": ("list", {"rend": "ol"}),
    "li": ("item", {}),
    "blockquote": ("quote", {}),
    "pre": ("code", {}),
    "table": ("table", {}),
    "tr": ("row", {}),
    "td": ("cell", {}),
    "th": ("cell", {}),
    "dt": ("p", {}),
    "dd": ("p", {}),
    "figcaption": ("p", {}),
}
_INLINE_TAGS = {
    "b": ("hi", {"rend": "#b"}),
    "strong": ("hi", {"rend": "#b"}),
    "i": ("hi", {"rend": "#i"}),
    "em": ("hi", {"rend": "#i"}),
    "cite": ("hi", {"rend": "#i"}),
    "code": ("hi", {"rend": "#t"}),
    "s": ("del", {}),
    "del": ("del", {}),
    "strike": ("del", {}),
    "br": ("lb", {}),
}
_CONTAINERS = {"div", "section", "article", "main", "body", "aside", "header", "footer", "nav"}
_CONTAINERS |= {"thead", "tbody", "tfoot", "dl", "figure", "hgroup", "details", "summary"}
_SKIPPED = {"script", "style", "head", "title", "img", "svg", "math", "video", "audio", "object"}
_SKIPPED |= {"iframe", "noscript", "template", "button", "input", "form", "picture", "map"}


def local_name(element: Any) -> str:
    """An element's tag without its namespace, lower-cased ("" for comments)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def heading_text(block: str) -> str | None:
    """The text a Markdown heading block shows (escapes undone), or ``None`` for another block."""
    from corpus.markdown_text import render

    return render(block).text.strip() if block.startswith("#") else None


def first_heading(blocks: list[str]) -> str:
    """The text of the first heading among Markdown blocks, or ``""``."""
    return next((t for t in map(heading_text, blocks) if t), "")


def markdown_blocks(root: Any) -> list[str]:
    """The Markdown blocks of an HTML or XHTML element (its body, usually)."""
    from corpus.html_import import _blocks

    return _blocks(_convert(root))


def _convert(element: Any) -> Any:
    """``element`` as trafilatura's XML: a ``div`` holding the mapped children."""
    from lxml import etree

    out = etree.Element("div")
    _children(element, out, block=True)
    return out


def _children(source: Any, target: Any, *, block: bool) -> None:
    """Copy ``source``'s text and children into ``target``. In a block container, loose text
    and inline elements are gathered into paragraphs, so no text is lost."""
    from lxml import etree

    loose: Any = None

    def add_text(text: str | None) -> None:
        nonlocal loose
        if not text:
            return
        if block:
            if not text.strip() and loose is None:
                return
            if loose is None:
                loose = etree.SubElement(target, "p")
            _append_text(loose, text)
        else:
            _append_text(target, text)

    add_text(source.text)
    for child in source:
        name = local_name(child)
        if name in _SKIPPED or not name:
            add_text(child.tail)
            continue
        if name in _BLOCK_TAGS or name in _CONTAINERS:
            if not block:  # a block inside inline content (<p> in <li>): a line break
                etree.SubElement(target, "lb")
            loose = None
            if name in _CONTAINERS:
                container = etree.SubElement(target, "div") if block else target
                _children(child, container, block=block)
            else:
                tag, attributes = _BLOCK_TAGS[name]
                converted = etree.SubElement(target, tag, attributes)
                inner_block = tag in ("list", "quote", "table", "row")
                if tag == "code":
                    converted.text = "".join(child.itertext())
                else:
                    _children(child, converted, block=inner_block)
        else:
            holder = target
            if block:
                if loose is None:
                    loose = etree.SubElement(target, "p")
                holder = loose
            _inline(child, name, holder)
        add_text(child.tail)


def _inline(element: Any, name: str, target: Any) -> None:
    from lxml import etree

    if name == "a":
        href = (element.get("href") or "").strip()
        converted = etree.SubElement(target, "ref", {"target": href} if href else {})
    elif name in _INLINE_TAGS:
        tag, attributes = _INLINE_TAGS[name]
        converted = etree.SubElement(target, tag, attributes)
    else:  # span, sup, small…: their text, inline
        converted = etree.SubElement(target, "span")
    _children(element, converted, block=False)


def _append_text(element: Any, text: str) -> None:
    """Add ``text`` at the end of ``element``'s content (after its last child, if any)."""
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text
