"""Codebook operations on real store files: rename, merge, delete, edit, bulk coding, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.codebook import TagChange
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
    from annotations import records, storage

    written: list[list[str]] = []
    real_write = storage.AtomicJSONStorage.write
    real_many = records.atomic_write_many

    def one(self: storage.AtomicJSONStorage, data: dict[str, Any]) -> None:
        written.append([self.path.name])
        real_write(self, data)

    def many(files: list[tuple[Path, bytes]]) -> None:
        written.append(sorted(path.name for path, _ in files))
        real_many(files)

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", one)
    monkeypatch.setattr(records, "atomic_write_many", many)
    text = coded.library.display(second.id).text
    spans = [(second.id, *span_of(text.lower(), "likeness", n)) for n in range(3)]
    coded.bulk_code([*spans, ("a-strike-over-faces", 0, 8)], ["new-tag"])
    # The new tag is in the codebook first; then both article files, in one batch.
    assert written == [["workspace.json"], ["a-strike-over-faces.json", "second.json"]]


# -- rename, merge, delete -------------------------------------------------------------------------


def test_rename_keeps_every_highlight_and_renames_nested_children(coded: AnnotationStore) -> None:
    before = tags_by_id(coded)
    ai = next(t for t in coded.tags() if t.name == "AI")
    change = coded.rename_tag("AI", "Tech")
    after = tags_by_id(coded)
    assert after.keys() == before.keys()
    expected = {
        hid: [{"AI": "Tech", "AI/likeness": "Tech/likeness"}.get(n, n) for n in tags]
        for hid, tags in before.items()
    }
    assert after == expected
    names = [t.name for t in coded.tags()]
    assert "AI" not in names and "AI/likeness" not in names
    assert {"Tech", "Tech/likeness"} <= set(names)
    tech = next(t for t in coded.tags() if t.name == "Tech")
    assert (tech.color, tech.description) == (ai.color, ai.description)
    assert change.label == "renamed #AI to #Tech"
    assert len(change.highlights_before) == 3


def test_rename_an_implicit_parent_renames_its_children(
    store: AnnotationStore, second: Article
) -> None:
    text = store.library.display(second.id).text
    h = store.add_highlight(second.id, *span_of(text, "Likeness"), tags=["AI/likeness", "AIx"])
    store.rename_tag("AI", "ML")
    assert store.get_highlight(second.id, h.id).tags == ["ML/likeness", "AIx"]
    assert [t.name for t in store.tags()] == ["AIx", "ML/likeness"]


def test_merge_into_an_existing_tag(coded: AnnotationStore) -> None:
    before = tags_by_id(coded)
    pay = next(t for t in coded.tags() if t.name == "pay")
    coded.merge_tags(["health"], "pay")
    after = tags_by_id(coded)
    assert after.keys() == before.keys()
    assert after == {
        hid: ["pay" if n == "health" else n for n in tags] for hid, tags in before.items()
    }
    assert "health" not in [t.name for t in coded.tags()]
    assert next(t for t in coded.tags() if t.name == "pay") == pay


def test_merge_where_a_highlight_has_both_tags_gives_it_one(coded: AnnotationStore) -> None:
    coded.merge_tags(["strike", "pay"], "pay")
    counts = coded.tag_counts()
    assert "strike" not in counts
    assert all(tags.count("pay") <= 1 for tags in tags_by_id(coded).values())
    assert counts["pay"] == 3  # "picket line", "87 percent", "likeness pay" (had both)


def test_merge_into_a_new_tag_takes_the_first_sources_colour(coded: AnnotationStore) -> None:
    strike = next(t for t in coded.tags() if t.name == "strike")
    coded.merge_tags(["strike", "health"], "labour")
    labour = next(t for t in coded.tags() if t.name == "labour")
    assert labour.color == strike.color
    assert coded.tag_counts()["labour"] == 3


def test_delete_takes_the_tag_off_and_keeps_the_highlights(coded: AnnotationStore) -> None:
    before = tags_by_id(coded)
    change = coded.delete_tag("pay")
    after = tags_by_id(coded)
    assert after.keys() == before.keys()
    assert after == {hid: [n for n in tags if n != "pay"] for hid, tags in before.items()}
    assert "pay" not in [t.name for t in coded.tags()]
    assert len(change.highlights_before) == 2


def test_edit_recolours_and_describes(coded: AnnotationStore) -> None:
    change = coded.edit_tag("pay", color="#abcdef", description="Money")
    pay = next(t for t in coded.tags() if t.name == "pay")
    assert (pay.color, pay.description) == ("#abcdef", "Money")
    assert change.label == "recoloured and described #pay"
    before = snapshot(coded)
    coded.undo_tag_change(coded.edit_tag("AI", description="changed"))
    assert snapshot(coded) == before


@pytest.mark.parametrize(
    "operation",
    [
        lambda s: s.rename_tag("AI", "Tech"),
        lambda s: s.rename_tag("strike", "pay"),
        lambda s: s.merge_tags(["AI", "health"], "pay"),
        lambda s: s.merge_tags(["strike"], "new"),
        lambda s: s.delete_tag("pay"),
        lambda s: s.delete_tag("AI"),
        lambda s: s.edit_tag("AI/likeness", color="#000000"),
        lambda s: s.create_tag("brand-new"),
    ],
)
def test_undo_restores_exactly(coded: AnnotationStore, operation: Any) -> None:
    before = snapshot(coded)
    try:
        change = operation(coded)
    except StoreError:
        assert snapshot(coded) == before
        return
    assert snapshot(coded) != before
    coded.undo_tag_change(change)
    assert snapshot(coded) == before
    coded.undo_tag_change(change)  # twice is harmless
    assert snapshot(coded) == before


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (lambda s: s.rename_tag("strike", "pay"), "tag 'pay' already exists; merge 'strike'"),
        (lambda s: s.rename_tag("AI", "AI/sub"), "a name nested inside it"),
        (lambda s: s.rename_tag("nope", "other"), "no tag 'nope'"),
        (lambda s: s.rename_tag("pay", "pay"), "already has that name"),
        (lambda s: s.rename_tag("pay", "  "), "cannot be empty"),
        (lambda s: s.rename_tag("pay", "a\x07b"), "control character"),
        (lambda s: s.merge_tags(["nope"], "pay"), "no tag 'nope'"),
        (lambda s: s.merge_tags(["pay"], "pay"), "nothing to merge"),
        (lambda s: s.delete_tag("nope"), "no tag 'nope'"),
        (lambda s: s.edit_tag("nope", color="#000000"), "no tag 'nope'"),
        (lambda s: s.edit_tag("pay", color="red"), "not of the form #rrggbb"),
        (lambda s: s.create_tag("pay"), "already exists"),
    ],
)
def test_errors_leave_every_file_byte_identical(
    coded: AnnotationStore, ws: Workspace, operation: Any, message: str
) -> None:
    before = file_bytes(ws)
    with pytest.raises(StoreError, match=message) as caught:
        operation(coded)
    assert "\n" not in str(caught.value)
    assert file_bytes(ws) == before


def test_a_corrupt_article_file_stops_a_rename_before_anything_is_written(
    coded: AnnotationStore, ws: Workspace
) -> None:
    ws.highlights_db("zzz-broken").write_text("{not json")
    before = file_bytes(ws)
    with pytest.raises(StoreError, match=r"zzz-broken\.json"):
        coded.rename_tag("pay", "money")
    assert file_bytes(ws) == before


def test_a_crashed_rename_completes_when_run_again(
    coded: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    expected_ids = set(tags_by_id(coded))
    real = os.replace
    calls = 0

    def crash_after_one(src: Any, dst: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OSError("simulated crash")
        real(src, dst)

    assert len(coded.annotated_article_ids()) > 1  # "pay" is on highlights in two files
    monkeypatch.setattr(os, "replace", crash_after_one)
    with pytest.raises(StoreError):
        coded.rename_tag("pay", "money")
    monkeypatch.setattr(os, "replace", real)
    assert calls == 2  # one article file was replaced, the next one was not
    assert "pay" in [t.name for t in coded.tags()]  # the old record is still there
    coded.rename_tag("pay", "money")
    after = tags_by_id(coded)
    assert set(after) == expected_ids
    assert not any("pay" in tags for tags in after.values())
    assert sum("money" in tags for tags in after.values()) == 2
    assert "money" in [t.name for t in coded.tags()]


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["rename", "merge", "delete", "edit"]),
        st.sampled_from(["AI", "AI/likeness", "pay", "strike", "health", "x", "x/y"]),
        st.sampled_from(["AI", "pay", "x", "x/y", "z", "AI/likeness"]),
    ),
    max_size=6,
)


@given(OPERATIONS)
def test_any_sequence_of_changes_undone_in_reverse_restores_the_start(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, str, str]]
) -> None:
    ws = Workspace(tmp_path_factory.mktemp("prop") / "ws")
    library = Library(ws)
    library.save(Article(id="second", title="Second", body=OTHER_BODY))
    store = AnnotationStore(ws)
    text = store.library.display("second").text
    store.add_highlight("second", *span_of(text, "Likeness rights"), tags=["AI", "AI/likeness"])
    store.add_highlight("second", *span_of(text, "likeness pay"), tags=["pay", "strike"])
    store.add_highlight("second", *span_of(text, "new paragraph"), tags=["health", "pay"])
    store.add_highlight("second", *span_of(text, "clause"), note="no tags")
    start = snapshot(store)
    ids = set(tags_by_id(store))
    done: list[TagChange] = []
    for kind, a, b in operations:
        try:
            if kind == "rename":
                done.append(store.rename_tag(a, b))
            elif kind == "merge":
                done.append(store.merge_tags([a], b))
            elif kind == "delete":
                done.append(store.delete_tag(a))
            else:
                done.append(store.edit_tag(a, color="#010203", description=b))
        except StoreError:
            pass
        assert set(tags_by_id(store)) == ids  # no highlight is ever lost
    for change in reversed(done):
        store.undo_tag_change(change)
    assert snapshot(store) == start


def test_the_tag_name_rules_in_the_model() -> None:
    from annotations.model import (
        TAG_PALETTE,
        clean_tag_names,
        implied_parents,
        is_nested_in,
        palette_color,
        renamed_tag,
    )

    assert clean_tag_names(["  a \t b ", "a b", "c\udcff"]) == ["a b", "c\ufffd"]
    for bad, message in (("  ", "cannot be empty"), ("a\x07", "control"), ("x" * 65, "longer")):
        with pytest.raises(StoreError, match=message):
            clean_tag_names(["fine", bad])
    assert is_nested_in("AI/likeness", "AI") and not is_nested_in("AIx", "AI")
    assert [renamed_tag(n, "AI", "ML") for n in ("AI", "AI/x/y", "AIx", "b/AI")] == [
        "ML",
        "ML/x/y",
        "AIx",
        "b/AI",
    ]
    assert implied_parents("a/b/c") == ["a", "a/b"]
    assert implied_parents("a//b") == implied_parents("/x") == implied_parents("a") == []
    assert [palette_color(n) for n in (0, len(TAG_PALETTE) + 1)] == list(TAG_PALETTE[:2])
