"""Word ``.docx`` files to articles: mammoth writes clean HTML, which becomes Markdown.

mammoth maps Word's styles to HTML (headings, lists, bold and italic, tables, footnotes and
endnotes) and leaves out Word's look. That HTML goes through
:func:`corpus.document_html.markdown_blocks`, as an EPUB chapter does. Footnotes come at the
end under a "Notes" heading, each marker in the text (``[1]``) matching its note; pictures are
left out. The title, author and date come from the document's core properties
(``docProps/core.xml``), else the title is the first heading.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from corpus.article import Article
from corpus.document_html import first_heading, heading_text, local_name, markdown_blocks
from corpus.importers import ImportFailed
from corpus.plaintext import normalise_paragraph
from corpus.zip_parts import MAX_PART_BYTES, ZipParts

log = logging.getLogger(__name__)

_CORE = "docProps/core.xml"
_DOCUMENT = "word/document.xml"


def draft_from_docx(path: Path) -> Article:
    """A draft from a Word file. Raises :class:`ImportFailed` with one line naming the file."""
    import mammoth
    from lxml import etree, html

    with ZipParts(path, "a Word .docx") as parts:
        if not parts.has(_DOCUMENT):
            raise ImportFailed(f"{path}: not a Word .docx file (no {_DOCUMENT} in it)")
        for name, entry in parts.names.items():
            if name.endswith((".xml", ".rels")) and entry.file_size > MAX_PART_BYTES:
                raise ImportFailed(
                    f"{path}: {name} unpacks to {entry.file_size:,} bytes; too large"
                )
        core = _core_properties(parts.read(_CORE)) if parts.has(_CORE) else {}
        document = io.BytesIO(path.read_bytes())
    try:
        # Pictures are left out of the text: never read (mammoth would inline each one).
        no_pictures = mammoth.images.img_element(lambda _image: {})
        converted = mammoth.convert_to_html(document, convert_image=no_pictures)
    except Exception as exc:  # mammoth raises many kinds of error on a damaged document
        log.info("converting %s failed", path, exc_info=True)
        raise ImportFailed(
            f"{path}: damaged Word file, cannot be read ({type(exc).__name__})"
        ) from None
    for message in converted.messages:
        log.debug("%s: %s", path, message)
    markup = str(converted.value)
    if not markup.strip():
        raise ImportFailed(f"{path}: empty, no text to read")
    root = html.fragment_fromstring(markup, create_parent="div")
    _mark_notes(root, etree)
    blocks = markdown_blocks(root)
    if not blocks:
        raise ImportFailed(f"{path}: empty, no text to read")
    title = core.get("title") or first_heading(blocks)
    if (heading_text(blocks[0]) or "").casefold() == title.casefold() and len(blocks) > 1:
        blocks = blocks[1:]  # the heading is the title, which the pane shows
    return Article(
        id="draft",
        title=(title or path.stem)[:200],
        body="\n\n".join(blocks) + "\n",
        author=core.get("creator"),
        published=(core.get("created") or "")[:10] or None,
        imported_from=str(path.resolve()),
    )


def _core_properties(data: bytes) -> dict[str, str]:
    """``title``, ``creator`` and ``created`` from ``docProps/core.xml`` (those that are set)."""
    from lxml import etree

    try:
        root = etree.fromstring(
            data, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return {}
    found: dict[str, str] = {}
    for element in root:
        name = local_name(element)
        text = normalise_paragraph(element.text or "")
        if name in ("title", "creator", "created") and text:
            found[name] = text
    return found


def _mark_notes(root: Any, etree: Any) -> None:
    """Put a "Notes" heading above mammoth's footnote and endnote lists, and drop the "↑" links
    back to the text (a reader moves with the keys, and the marker says which note it is)."""
    for link in list(root.iter("a")):
        if (link.get("href") or "").startswith(("#footnote-ref-", "#endnote-ref-")):
            parent, before, tail = link.getparent(), link.getprevious(), link.tail or ""
            parent.remove(link)
            if before is not None:
                before.tail = (before.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    for notes in list(root.iter("ol")):
        first = next(iter(notes), None)
        if first is not None and (first.get("id") or "").startswith(("footnote-", "endnote-")):
            heading = etree.Element("h2")
            heading.text = "Notes"
            notes.addprevious(heading)
