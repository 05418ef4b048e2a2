"""The W3C Web Annotation export, checked against the Data Model's rules in code."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.formats.registry import FORMATS, export_bytes
from annotations.formats.selection import Filters, select
from annotations.formats.w3c import CONTEXT, to_w3c
from annotations.store import AnnotationStore, DuplicateHighlight, HighlightError
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace

# The motivations of the Web Annotation Vocabulary: the only purposes a body may have here.
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}  # fmt: skip
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
XSD_DATETIME = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
EXPORTED = "2026-11-23T19:01:07Z"


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and ABSOLUTE_IRI.fullmatch(value) is not None


def is_datetime(value: Any) -> bool:
    if not isinstance(value, str) or not XSD_DATETIME.fullmatch(value):
        return False
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))  # a real date and time
    return True


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_annotation(item: dict[str, Any], texts: dict[str, str]) -> None:
    """Every MUST of the model for one annotation, and the selectors against the text."""
    assert is_iri(item["id"]) and item["id"].startswith("urn:reader:highlight:")
    assert "Annotation" in ([item["type"]] if isinstance(item["type"], str) else item["type"])
    assert item.get("motivation", "highlighting") in MOTIVATIONS
    for key in ("created", "modified", "generated"):
        if key in item:
            assert is_datetime(item[key]) and item[key].endswith("Z"), item[key]
    target = item["target"]
    assert target["type"] == "SpecificResource"
    assert is_iri(target["source"])
    text = texts[target["source"]]
    selectors = target["selector"]
    assert [s["type"] for s in selectors] == ["TextQuoteSelector", "TextPositionSelector"]
    quote, position = selectors
    assert isinstance(quote["exact"], str) and quote["exact"]
    for key in ("prefix", "suffix"):
        assert isinstance(quote.get(key, ""), str)
    assert is_count(position["start"]) and is_count(position["end"])
    assert position["start"] <= position["end"] <= len(text)
    # Both selectors pick the same text: the quote, with its context around it.
    start, end = position["start"], position["end"]
    assert text[start:end] == quote["exact"]
    assert text[:start].endswith(quote.get("prefix", ""))
    assert text[end:].startswith(quote.get("suffix", ""))
    assert item.get("body") != [], "an empty body list is left out, not written"
    for body in item.get("body", []):
        assert body["type"] == "TextualBody"
        assert isinstance(body["value"], str)
        assert body["purpose"] in MOTIVATIONS
        assert body["format"] == "text/plain"


def check_collection(document: dict[str, Any], texts: dict[str, str]) -> list[dict[str, Any]]:
    """Every MUST (and the SHOULDs we keep) for the collection; returns its annotations."""
    assert document["@context"] == CONTEXT
    assert is_iri(document["id"])
    assert document["type"] == "AnnotationCollection"
    assert isinstance(document["label"], str) and document["label"]
    assert is_count(document["total"])
    if document["total"] == 0:
        assert "first" not in document and "last" not in document
        return []
    page = document["first"]
    assert "@context" not in page  # embedded: it SHOULD NOT repeat the context
    assert is_iri(page["id"]) and page["id"] != document["id"]
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == document["id"]
    assert page["startIndex"] == 0
    assert document["last"] == page["id"]
    items: list[dict[str, Any]] = page["items"]
    assert len(items) == document["total"] >= 1
    for item in items:
        check_annotation(item, texts)
    assert len({item["id"] for item in items}) == len(items)
    return items


def texts_of(store: AnnotationStore) -> dict[str, str]:
    """Display texts by the IRI each article is exported under."""
    texts = {}
    for article in store.library.articles():
        source = article.url or f"urn:reader:article:{article.id}"
        texts[source] = store.library.display(article.id).text
    return texts


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def test_highlights_tags_and_notes_become_annotations(
    store: AnnotationStore, article: Article
) -> None:
    text = store.library.display(article.id).text
    tagged = store.add_highlight(
        article.id, *span(text, "87 percent"), tags=["figures", "AI/likeness"], note="Check it."
    )
    plain = store.add_highlight(article.id, *span(text, "picket line"))
    noted = store.add_highlight(article.id, *span(text, "The end"), note="Last words")
    document = to_w3c(select(store), exported=EXPORTED)
    items = check_collection(document, texts_of(store))
    assert document["total"] == 3
    assert document["generated"] == EXPORTED
    by_id = {item["id"]: item for item in items}
    first = by_id[f"urn:reader:highlight:{tagged.id}"]
    assert first["motivation"] == "highlighting"
    assert first["target"]["source"] == "https://example.org/ledger-line/strike"
    assert first["body"] == [
        {"type": "TextualBody", "value": "figures", "purpose": "tagging", "format": "text/plain"},
        {
            "type": "TextualBody",
            "value": "AI/likeness",
            "purpose": "tagging",
            "format": "text/plain",
        },
        {
            "type": "TextualBody",
            "value": "Check it.",
            "purpose": "commenting",
            "format": "text/plain",
        },
    ]
    assert first["created"] == tagged.created and first["modified"] == tagged.updated
    assert "body" not in by_id[f"urn:reader:highlight:{plain.id}"]
    assert [b["purpose"] for b in by_id[f"urn:reader:highlight:{noted.id}"]["body"]] == [
        "commenting"
    ]
    # Annotations come in document order.
    assert [item["id"] for item in items] == [
        f"urn:reader:highlight:{h.id}" for h in store.highlights(article.id)
    ]


def test_local_article_is_a_urn_and_bad_urls_are_not_used(
    store: AnnotationStore, library: Library
) -> None:
    for article_id, url in [("local-notes", None), ("bad-url", "example.org/a page")]:
        library.save(Article(id=article_id, title=article_id, body="Some words here.", url=url))
        store.add_highlight(article_id, 5, 10)
    items = check_collection(
        to_w3c(select(store)),
        {f"urn:reader:article:{a}": "Some words here." for a in ("bad-url", "local-notes")},
    )
    assert [i["target"]["source"] for i in items] == [
        "urn:reader:article:bad-url",
        "urn:reader:article:local-notes",
    ]


def test_times_are_utc_and_odd_ids_are_percent_encoded(
    store: AnnotationStore, article: Article
) -> None:
    store.add_highlight(
        article.id, 2, 8, highlight_id="odd id/ü#1", created="2020-01-01T01:30:00+02:00"
    )
    (item,) = check_collection(to_w3c(select(store)), texts_of(store))
    assert item["id"] == "urn:reader:highlight:odd%20id%2F%C3%BC%231"
    assert item["created"] == item["modified"] == "2019-12-31T23:30:00Z"


def test_an_unreadable_time_is_refused_then_left_out(
    store: AnnotationStore, article: Article
) -> None:
    with pytest.raises(HighlightError, match="not an ISO date-time"):
        store.add_highlight(article.id, 2, 8, created="sometime")
    # A file edited by hand (or written by an older reader) can still hold one: leave it out.
    made = store.add_highlight(article.id, 2, 8)
    path = store.workspace.highlights_db(article.id)
    data = json.loads(path.read_text())
    for record in data["highlights"].values():
        if record["id"] == made.id:
            record["created"] = record["updated"] = "sometime"
    path.write_text(json.dumps(data))
    (item,) = check_collection(to_w3c(select(store)), texts_of(store))
    assert "created" not in item and "modified" not in item


def test_empty_selection_has_no_page(store: AnnotationStore, article: Article) -> None:
    document = to_w3c(select(store, Filters(articles=(article.id,))), exported=EXPORTED)
    check_collection(document, {})
    assert document["total"] == 0


def test_same_export_time_gives_the_same_document(store: AnnotationStore, article: Article) -> None:
    store.add_highlight(article.id, 2, 8, tags=["x"])
    first = to_w3c(select(store), exported=EXPORTED)
    assert to_w3c(select(store), exported=EXPORTED) == first
    assert to_w3c(select(store), exported="2026-11-24T00:00:00Z")["id"] != first["id"]


def test_registered_format_writes_json_ld(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    for article in list(store.library.articles())[:3]:
        text = store.library.display(article.id).text
        store.add_highlight(article.id, 0, text.index(" ", 5), tags=["lede"], note="Opening")
    data, selection = export_bytes(store, "w3c")
    assert FORMATS["w3c"].suffix == ".jsonld"
    document = json.loads(data.decode("utf-8"))
    items = check_collection(document, texts_of(store))
    assert len(items) == selection.count() == 3
    assert all(i["target"]["source"].startswith("https://") for i in items)


@given(
    ranges=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60)), min_size=1, max_size=6),
    tags=st.lists(st.sampled_from(["pay", "AI/likeness", "strike", "ethics"]), max_size=3),
    note=st.text(max_size=40),
)
def test_any_highlights_make_a_valid_collection(
    tmp_path_factory: Any, ranges: list[tuple[int, int]], tags: list[str], note: str
) -> None:
    workspace = Workspace(tmp_path_factory.mktemp("w3c"))
    store = AnnotationStore(workspace)
    body = "Actors walked out.\n\n> A quote — עברית and عربي 🎭.\n\nThe end, again and again."
    store.library.save(Article(id="a", title="A", body=body))
    text = store.library.display("a").text
    for start, length in ranges:
        start = min(start, len(text) - 1)
        end = min(len(text), start + length)
        if text[start:end].strip():
            with contextlib.suppress(DuplicateHighlight):  # the same passage is one highlight
                store.add_highlight("a", start, end, tags=tags, note=note)
    document = json.loads(FORMATS["w3c"].render(select(store)))
    items = check_collection(document, {"urn:reader:article:a": text})
    assert len(items) == sum(len(v) for v in select(store).highlights.values())
    for item in items:
        values = [(b["purpose"], b["value"]) for b in item.get("body", [])]
        assert values == [("tagging", t) for t in dict.fromkeys(tags)] + (
            [("commenting", note)] if note else []
        )
