"""Codebook operations on real store files: rename, merge, delete, edit, bulk coding, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace

OTHER_BODY = (
    "# Second\n\nLikeness rights and likeness pay. The likeness clause.\n\nA new paragraph.\n"
)


def span_of(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def snapshot(store: AnnotationStore) -> dict[str, Any]:
    """Everything a codebook change may touch: every highlight's record and the codebook."""
    return {
        "highlights": {
            (h.article_id, h.id): h.to_dict()
            for aid in store.annotated_article_ids()
            for h in store.highlights(aid)
        },
        "tags": [t.to_dict() for t in store.tags()],
    }


def file_bytes(ws: Workspace) -> dict[str, bytes]:
    return {
        str(p.relative_to(ws.root)): p.read_bytes()
        for p in sorted(ws.annotations_dir.rglob("*.json"))
    }


def tags_by_id(store: AnnotationStore) -> dict[str, list[str]]:
    return {h.id: h.tags for aid in store.annotated_article_ids() for h in store.highlights(aid)}


@pytest.fixture
def second(library: Library) -> Article:
    saved = Article(id="second", title="Second", body=OTHER_BODY)
    library.save(saved)
    return saved


@pytest.fixture
def coded(store: AnnotationStore, article: Article, second: Article) -> AnnotationStore:
    """Five highlights over two articles with nested and overlapping tags."""
    text = store.library.display(article.id).text
    store.add_highlight(article.id, *span_of(text, "picket line"), tags=["AI", "strike"])
    store.add_highlight(article.id, *span_of(text, "87 percent"), tags=["AI/likeness", "pay"])
    store.add_highlight(article.id, *span_of(text, "health threshold"), tags=["health"])
    other = store.library.display(second.id).text
    store.add_highlight(second.id, *span_of(other, "Likeness rights"), tags=["AI/likeness"])
    store.add_highlight(second.id, *span_of(other, "likeness pay"), tags=["pay", "strike"])
    store.update_tag("AI", color="#123456", description="Artificial intelligence")
    return store


# -- bulk coding -----------------------------------------------------------------------------------


def test_bulk_code_makes_one_highlight_per_span(store: AnnotationStore, second: Article) -> None:
    text = store.library.display(second.id).text
    spans = [(second.id, *span_of(text.lower(), "likeness", n)) for n in range(3)]
    change = store.bulk_code(spans, ["likeness"])
    made = store.highlights(second.id)
    assert [(h.start, h.end) for h in made] == [s[1:] for s in spans]
    assert all(h.tags == ["likeness"] and h.quote.lower() == "likeness" for h in made)
    assert sorted(change.created) == sorted((second.id, h.id) for h in made)
    assert change.label == "coded 3 passages in 1 article with #likeness"
    assert [t.name for t in store.tags()] == ["likeness"]


def test_bulk_code_tags_an_existing_highlight_over_the_same_range(
    store: AnnotationStore, second: Article
) -> None:
    text = store.library.display(second.id).text
    first = span_of(text, "Likeness")
    existing = store.add_highlight(second.id, *first, tags=["old"], note="kept")
    change = store.bulk_code([(second.id, *first), (second.id, *first)], ["new", "old"])
    (only,) = store.highlights(second.id)
    assert only.id == existing.id
    assert (only.tags, only.note) == (["old", "new"], "kept")
    assert change.created == [] and [h.id for h in change.highlights_before] == [existing.id]


def test_bulk_code_undo_removes_exactly_what_it_made(
    coded: AnnotationStore, second: Article
) -> None:
    before = snapshot(coded)
    text = coded.library.display(second.id).text
    spans = [
        (second.id, *span_of(text, "Likeness rights")),  # an existing highlight: gains a tag
        (second.id, *span_of(text, "likeness clause")),  # new
        ("a-strike-over-faces", 0, 8),  # new, another article
    ]
    change = coded.bulk_code(spans, ["bulk"])
    assert len(change.created) == 2 and len(change.highlights_before) == 1
    assert sum(len(coded.highlights(a)) for a in coded.annotated_article_ids()) == 7
    coded.undo_tag_change(change)
    assert snapshot(coded) == before


def test_bulk_code_checks_every_span_before_writing(
    coded: AnnotationStore, second: Article, ws: Workspace
) -> None:
    before = file_bytes(ws)
    bad = [(second.id, 0, 6), (second.id, 5, 10_000)]
    with pytest.raises(StoreError, match="outside article 'second'"):
        coded.bulk_code(bad, ["x"])
    with pytest.raises(StoreError, match="no article with id 'nope'"):
        coded.bulk_code([(second.id, 0, 6), ("nope", 0, 3)], ["x"])
    with pytest.raises(StoreError, match="at least one tag"):
        coded.bulk_code([(second.id, 0, 6)], [])
    assert file_bytes(ws) == before


def test_bulk_code_writes_each_article_file_once(
    coded: AnnotationStore, second: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotations import storage

    written: list[Path] = []
    real = storage.AtomicJSONStorage.write

    def counting(self: storage.AtomicJSONStorage, data: dict[str, Any]) -> None:
        written.append(self.path)
        real(self, data)

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", counting)
    text = coded.library.display(second.id).text
    spans = [(second.id, *span_of(text.lower(), "likeness", n)) for n in range(3)]
    coded.bulk_code([*spans, ("a-strike-over-faces", 0, 8)], ["new-tag"])
    names = [p.name for p in written]
    assert sorted(names) == ["a-strike-over-faces.json", "second.json", "workspace.json"]
    assert names[0] == "workspace.json"  # the new tag is in the codebook first
