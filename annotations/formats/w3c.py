"""W3C Web Annotation export: an ``AnnotationCollection`` of highlights, in JSON-LD.

Follows the W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/):

* The collection carries ``@context``, an IRI ``id``, ``type``, ``label`` and ``total``. Its
  one page is embedded as ``first`` (with ``last`` naming it) only when there is at least one
  annotation, because a page MUST hold one or more items.
* Each highlight is an ``Annotation`` with motivation ``highlighting``; its target is a
  ``SpecificResource`` on the article (its URL, else ``urn:reader:article:<id>``) selected twice
  over, by a ``TextQuoteSelector`` and a ``TextPositionSelector`` in code points of reader's
  display text.
* Tags and the note are ``TextualBody`` bodies with purpose ``tagging`` and ``commenting``.
* An article's memo is an ``Annotation`` of its own, motivation ``commenting``, whose target
  is the article itself (its IRI, no selector: the memo is about the whole source), id
  ``urn:reader:memo:<article id>``; it follows the article's highlights.
* Times are ``xsd:dateTime`` in UTC with a ``Z``; one that cannot be read is left out.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any
from urllib.parse import quote

import orjson

from annotations.formats.selection import Selection
from annotations.model import Highlight, parse_time
from corpus.article import Article, now_iso

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEMO_URN = "urn:reader:memo:"
_OPTION = orjson.OPT_INDENT_2
# Fixed: the same export time and highlights always give the same collection id.
_COLLECTION_NAMESPACE = uuid.UUID("6f0c2b1e-5d0a-4c7e-9a53-3f1b8e2d7c41")
# An absolute IRI as an article URL must be to serve as a target's source: a scheme, then no
# white space or characters that IRIs exclude.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x1f\x7f]+")
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def _segment(value: str) -> str:
    """``value`` as one URN segment: unreserved characters kept, the rest percent-encoded."""
    if _PLAIN_SEGMENT.fullmatch(value):  # ids as the store makes them: nothing to encode
        return value
    return quote(value, safe="-._~!$&'()*+,;=@")


def article_iri(article: Article) -> str:
    """The IRI a target's source names: the article URL, else a URN for a local article."""
    url = (article.url or "").strip()
    if _IRI.fullmatch(url):
        return url
    return f"urn:reader:article:{_segment(article.id)}"


def highlight_iri(highlight: Highlight) -> str:
    return f"urn:reader:highlight:{_segment(highlight.id)}"


def xsd_datetime(value: str) -> str | None:
    """An ISO time as an ``xsd:dateTime`` in UTC with ``Z``; ``None`` if it is not a time."""
    if not value:
        return None
    if _UTC_SECONDS.fullmatch(value):  # the form the store writes: already what is wanted
        try:
            dt.datetime.fromisoformat(value[:-1])  # a real date and time?
        except ValueError:
            return None
        return value
    try:
        parsed = parse_time(value)
    except ValueError:
        return None
    return parsed.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _bodies(highlight: Highlight) -> list[dict[str, str]]:
    bodies = [
        {"type": "TextualBody", "value": tag, "purpose": "tagging", "format": "text/plain"}
        for tag in highlight.tags
    ]
    if highlight.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": highlight.note,
                "purpose": "commenting",
                "format": "text/plain",
            }
        )
    return bodies


def to_annotation(article: Article, highlight: Highlight) -> dict[str, Any]:
    """One highlight as a Web Annotation (without ``@context``, as inside a collection)."""
    annotation: dict[str, Any] = {
        "id": highlight_iri(highlight),
        "type": "Annotation",
        "motivation": "highlighting",
    }
    for key, value in (("created", highlight.created), ("modified", highlight.updated)):
        stamp = xsd_datetime(value)
        if stamp:
            annotation[key] = stamp
    if highlight.coder:
        annotation["creator"] = {"type": "Person", "name": highlight.coder}
    bodies = _bodies(highlight)
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = {
        "type": "SpecificResource",
        "source": article_iri(article),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": highlight.quote,
                "prefix": highlight.prefix,
                "suffix": highlight.suffix,
            },
            {"type": "TextPositionSelector", "start": highlight.start, "end": highlight.end},
        ],
    }
    return annotation


def memo_annotation(article: Article, memo: str) -> dict[str, Any]:
    """An article's memo as a Web Annotation commenting on the whole article."""
    return {
        "id": f"{MEMO_URN}{_segment(article.id)}",
        "type": "Annotation",
        "motivation": "commenting",
        "body": {
            "type": "TextualBody",
            "value": memo,
            "purpose": "commenting",
            "format": "text/plain",
        },
        "target": article_iri(article),
    }


def _items(selection: Selection) -> Iterator[tuple[str, Callable[[], dict[str, Any]]]]:
    """Each annotation of the collection, in order: its id, and how to make it."""
    for article in selection.articles:
        for highlight in selection.highlights.get(article.id, []):
            yield highlight_iri(highlight), partial(to_annotation, article, highlight)
        memo = selection.memos.get(article.id, "")
        if memo.strip():
            yield f"{MEMO_URN}{_segment(article.id)}", partial(memo_annotation, article, memo)


def _collection(generated: str, ids: list[str], items: list[Any]) -> dict[str, Any]:
    """The collection around ``items``, named from ``generated`` and the items' ``ids``."""
    name = "\n".join([generated, *ids])
    collection_id = f"urn:reader:export:{uuid.uuid5(_COLLECTION_NAMESPACE, name)}"
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Highlights exported from reader",
        "total": len(ids),
    }
    stamp = xsd_datetime(generated)
    if stamp:
        collection["generated"] = stamp
    if ids:
        page_id = f"{collection_id}:page:1"
        collection["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        }
        collection["last"] = page_id
    return collection


def to_w3c(selection: Selection, exported: str | None = None) -> dict[str, Any]:
    """The selection as a W3C ``AnnotationCollection`` with its one page embedded."""
    made = list(_items(selection))
    return _collection(
        exported or now_iso(), [item_id for item_id, _ in made], [make() for _, make in made]
    )


# orjson writes an item of the page's list at this depth: each of its lines is indented so.
_ITEM_INDENT = b"\n" + b" " * 6
_PLACEHOLDER = "\x00reader: the items\x00"


def w3c_chunks(selection: Selection, exported: str | None = None) -> Iterator[bytes]:
    """``orjson.dumps(to_w3c(selection), option=OPT_INDENT_2) + b"\\n"`` in pieces, byte for
    byte: the collection's head (which names every item), then each annotation as it is made,
    then the tail. 100,000 annotations are never all in memory as objects at once."""
    made = list(_items(selection))
    ids = [item_id for item_id, _ in made]
    whole = orjson.dumps(_collection(exported or now_iso(), ids, [_PLACEHOLDER]), option=_OPTION)
    if not made:
        yield whole + b"\n"
        return
    placeholder = orjson.dumps(_PLACEHOLDER)
    at = whole.index(placeholder)
    yield whole[:at]
    for number, (_, make) in enumerate(made):
        item = orjson.dumps(make(), option=_OPTION).replace(b"\n", _ITEM_INDENT)
        yield (b"," + _ITEM_INDENT + item) if number else item
    yield whole[at + len(placeholder) :] + b"\n"
