"""OPML feed lists (what feed readers export): each ``<outline xmlUrl=…>`` is a feed to import.

Parsed with lxml, entities and network access off, rather than with ``listparser``: the
format is a few attributes on nested ``outline`` elements, and listparser was GPL-3.0 up to
0.19. The outlines a feed sits in (its folders) make its tag, nested as ``News/Science``.
"""

from __future__ import annotations

from corpus.importers import ImportFailed
from corpus.reading_lists import ReadingItem


def parse_opml(data: bytes, origin: str) -> list[ReadingItem]:
    """The feeds of an OPML document, in document order, each with its folders as tags.
    Raises :class:`ImportFailed` for a document that is not OPML."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"{origin}: not a readable OPML list ({exc})") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise ImportFailed(f"{origin}: not an OPML list (its root is not <opml>)")
    feeds: list[ReadingItem] = []
    seen: set[str] = set()
    for outline in root.iter("{*}outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        folders: list[str] = []
        for parent in outline.iterancestors("{*}outline"):
            name = " ".join((parent.get("title") or parent.get("text") or "").split())
            if name:
                folders.insert(0, name)
        title = " ".join((outline.get("title") or outline.get("text") or "").split())
        tags = ("/".join(f.replace("/", "-") for f in folders),) if folders else ()
        feeds.append(ReadingItem(url, "OPML", title, tags, feed=True))
    return feeds
