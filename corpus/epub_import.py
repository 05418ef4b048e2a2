"""EPUB books to articles: one article per book, its chapters in reading order as headings.

Read with :mod:`zipfile` and lxml (EbookLib is AGPL): ``META-INF/container.xml`` names the
package document (OPF), whose metadata gives the title, author(s), date and language, and whose
spine gives the chapters' order. Each chapter's XHTML body is written as Markdown by
:func:`corpus.document_html.markdown_blocks`, the code web pages' text goes through. A chapter
that does not open with a heading gets its title from the table of contents (the EPUB 3
navigation document or the EPUB 2 NCX) as one. The navigation document itself and chapters
with no text (a cover picture) are left out. The archive is read through
:class:`corpus.zip_parts.ZipParts`: sizes capped, and a reference that leaves the archive is
refused. A book whose chapters are encrypted (DRM) is refused in one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from corpus.article import Article
from corpus.document_html import first_heading, local_name, markdown_blocks
from corpus.importers import ImportFailed
from corpus.plaintext import escape_markdown, normalise_paragraph
from corpus.zip_parts import ZipParts, resolve

LANGUAGE_KEY = "language"
_CONTAINER = "META-INF/container.xml"
_XHTML_TYPES = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}


def draft_from_epub(path: Path) -> Article:
    """A draft from an EPUB file. Raises :class:`ImportFailed` with one line naming the file."""
    with ZipParts(path, "an EPUB") as parts:
        if not parts.has(_CONTAINER):
            raise ImportFailed(f"{path}: not an EPUB file (no {_CONTAINER} in it)")
        container = _xml(parts, _CONTAINER)
        rootfile = next(
            (e.get("full-path") for e in container.iter() if local_name(e) == "rootfile"), None
        )
        if not rootfile:
            raise ImportFailed(f"{path}: damaged EPUB, {_CONTAINER} names no package document")
        opf_name = resolve("", rootfile)
        if opf_name is None:
            raise ImportFailed(f"{path}: refers to {rootfile!r}, outside the archive")
        opf = _xml(parts, opf_name)
        meta = _metadata(opf)
        manifest = {
            item.get("id"): item
            for item in opf.iter()
            if local_name(item) == "item" and item.get("id")
        }
        spine = next((e for e in opf.iter() if local_name(e) == "spine"), None)
        if spine is None:
            raise ImportFailed(f"{path}: damaged EPUB, its package document has no spine")
        labels = _toc_labels(parts, opf_name, manifest, spine)
        encrypted = _encrypted_parts(parts)
        blocks: list[str] = []
        for itemref in spine:
            item = manifest.get(itemref.get("idref")) if local_name(itemref) == "itemref" else None
            if item is None or item.get("media-type") not in _XHTML_TYPES:
                continue
            if "nav" in (item.get("properties") or "").split():
                continue  # the table of contents as a page: the headings are the contents
            name = resolve(opf_name, item.get("href") or "")
            if name is None:
                raise ImportFailed(f"{path}: refers to {item.get('href')!r}, outside the archive")
            if name in encrypted:
                raise ImportFailed(
                    f"{path}: DRM-protected EPUB, its chapters are encrypted (remove the DRM "
                    "with the software that came with the book first)"
                )
            chapter = _chapter_blocks(parts, name)
            if not chapter:
                continue
            label = labels.get(name)
            if label and not chapter[0].startswith("#"):
                chapter.insert(0, f"# {escape_markdown(label)}")
            blocks.extend(chapter)
    if not blocks:
        raise ImportFailed(f"{path}: empty, no text to read in this EPUB")
    title = meta.get("title") or first_heading(blocks) or path.stem
    return Article(
        id="draft",
        title=title[:200],
        body="\n\n".join(blocks) + "\n",
        author=meta.get("creator"),
        published=(meta.get("date") or "")[:10] or None,
        imported_from=str(path.resolve()),
        extra={LANGUAGE_KEY: meta["language"]} if meta.get("language") else {},
    )


def _xml(parts: ZipParts, name: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        return etree.fromstring(parts.read(name), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"{parts.path}: damaged EPUB, {name} is not valid XML ({exc})") from None


def _metadata(opf: Any) -> dict[str, str]:
    """``title``, ``creator`` (several joined with commas), ``date`` and ``language``."""
    found: dict[str, list[str]] = {}
    metadata = next((e for e in opf.iter() if local_name(e) == "metadata"), None)
    for element in metadata if metadata is not None else []:
        name = local_name(element)
        text = normalise_paragraph("".join(element.itertext()))
        if name in ("title", "creator", "date", "language") and text:
            found.setdefault(name, []).append(text)
    meta = {name: values[0] for name, values in found.items()}
    if "creator" in found:
        meta["creator"] = ", ".join(found["creator"])
    return meta


def _toc_labels(
    parts: ZipParts, opf_name: str, manifest: dict[Any, Any], spine: Any
) -> dict[str, str]:
    """Each chapter file's first title in the table of contents."""
    labels: dict[str, str] = {}
    nav = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
    ncx = manifest.get(spine.get("toc"))
    try:
        if nav is not None and (name := resolve(opf_name, nav.get("href") or "")):
            for link in _xml(parts, name).iter():
                if local_name(link) == "a" and (target := resolve(name, link.get("href") or "")):
                    labels.setdefault(target, normalise_paragraph("".join(link.itertext())))
        elif ncx is not None and (name := resolve(opf_name, ncx.get("href") or "")):
            for point in _xml(parts, name).iter():
                if local_name(point) != "navpoint":
                    continue
                text = next((e for e in point.iter() if local_name(e) == "text"), None)
                content = next((e for e in point.iter() if local_name(e) == "content"), None)
                if text is not None and content is not None:
                    target = resolve(name, content.get("src") or "")
                    if target:
                        labels.setdefault(target, normalise_paragraph("".join(text.itertext())))
    except ImportFailed:
        return {}  # a damaged table of contents costs the labels, not the book
    return {target: label for target, label in labels.items() if label}


def _encrypted_parts(parts: ZipParts) -> set[str]:
    """The parts ``META-INF/encryption.xml`` lists as encrypted (fonts often are, harmlessly;
    chapters are when a book has DRM)."""
    name = "META-INF/encryption.xml"
    if not parts.has(name):
        return set()
    try:
        root = _xml(parts, name)
    except ImportFailed:
        return set()
    return {
        target
        for element in root.iter()
        if local_name(element) == "cipherreference"
        and (target := resolve("", element.get("URI") or ""))
    }


def _chapter_blocks(parts: ZipParts, name: str) -> list[str]:
    from lxml import etree, html

    data = parts.read(name)
    if not data.strip():
        return []
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        root = html.document_fromstring(data)  # not well-formed: read as HTML, as browsers do
    body = next((e for e in root.iter() if local_name(e) == "body"), root)
    return markdown_blocks(body)
