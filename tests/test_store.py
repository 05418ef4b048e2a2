"""The annotation store on real TinyDB files: highlights, tags, state, durability, corruption."""

from __future__ import annotations

import errno
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.model import DEFAULT_HIGHLIGHT_COLOR, TAG_PALETTE, ArticleState
from annotations.storage import StoreError
from annotations.store import (
    SCHEMA_VERSION,
    AnnotationStore,
    DuplicateHighlight,
    HighlightError,
)
from corpus.article import Article
from corpus.library import Library
from corpus.sample_corpus import sample_articles
from corpus.workspace import Workspace


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def display_text(store: AnnotationStore, article_id: str) -> str:
    return store.library.display(article_id).text


# -- highlights: add, update, delete, restore ------------------------------------------------


def test_add_highlight_stores_quote_and_32_chars_of_context(
    store: AnnotationStore, article: Article
) -> None:
    text = display_text(store, article.id)
    start, end = span_of(text, "87 percent")
    added = store.add_highlight(article.id, start, end, tags=["stat"], note="check it")
    assert added.quote == "87 percent" == text[start:end]
    assert added.prefix == text[start - 32 : start] and len(added.prefix) == 32
    assert added.suffix == text[end : end + 32] and len(added.suffix) == 32
    assert (added.tags, added.note, added.created) == (["stat"], "check it", added.updated)
    assert store.highlights(article.id) == [added]


def test_context_is_cut_at_the_ends_of_the_text(store: AnnotationStore, article: Article) -> None:
    text = display_text(store, article.id)
    first = store.add_highlight(article.id, 0, 8)
    last = store.add_highlight(article.id, len(text) - 6, len(text))
    assert (first.quote, first.prefix, first.suffix) == ("A Strike", "", text[8:40])
    assert (last.quote, last.suffix) == ("again.", "")
    assert last.prefix == text[len(text) - 38 : len(text) - 6]


def test_highlights_are_in_document_order(store: AnnotationStore, article: Article) -> None:
    text = display_text(store, article.id)
    later = store.add_highlight(article.id, *span_of(text, "second point"))
    earlier = store.add_highlight(article.id, *span_of(text, "picket line"))
    assert [h.id for h in store.highlights(article.id)] == [earlier.id, later.id]


def test_update_highlight_changes_fields_and_recomputes_quote(
    store: AnnotationStore, article: Article
) -> None:
    text = display_text(store, article.id)
    added = store.add_highlight(article.id, *span_of(text, "picket"), tags=["a"])
    start, end = span_of(text, "picket line on Monday")
    updated = store.update_highlight(
        article.id, added.id, tags=["b", "b", " c  d "], note="n", color="#123456", end=end
    )
    assert (updated.start, updated.end, updated.quote) == (start, end, "picket line on Monday")
    assert updated.suffix == text[end : end + 32]
    assert (updated.tags, updated.note, updated.color) == (["b", "c d"], "n", "#123456")
    assert updated.created == added.created
    assert store.get_highlight(article.id, added.id) == updated
    assert store.update_highlight(article.id, added.id, color="").color is None


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (9, 4), (330, 337), (20, 21)])
def test_update_to_a_bad_range_is_refused(
    store: AnnotationStore, article: Article, start: int, end: int
) -> None:
    added = store.add_highlight(article.id, 0, 8)
    assert display_text(store, article.id)[20:21] == "\n"
    with pytest.raises(HighlightError):
        store.update_highlight(article.id, added.id, start=start, end=end)
    assert store.highlights(article.id) == [added]


def test_delete_then_restore_puts_back_the_same_highlight(
    store: AnnotationStore, article: Article
) -> None:
    text = display_text(store, article.id)
    keep = store.add_highlight(article.id, *span_of(text, "Actors"))
    gone = store.add_highlight(article.id, *span_of(text, "Monday"), tags=["day"], note="x")
    assert store.delete_highlight(article.id, gone.id) == gone
    assert store.highlights(article.id) == [keep]
    with pytest.raises(HighlightError):
        store.delete_highlight(article.id, gone.id)
    store.restore_highlight(gone)
    assert AnnotationStore(store.workspace).highlights(article.id) == [keep, gone]


def test_duplicate_highlight_id_is_refused(store: AnnotationStore, article: Article) -> None:
    store.add_highlight(article.id, 0, 8, highlight_id="fixed")
    with pytest.raises(HighlightError, match="already exists"):
        store.add_highlight(article.id, 9, 15, highlight_id="fixed", tags=["unused"])
    assert len(store.highlights(article.id)) == 1
    assert store.tags() == []


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (-1, 4, "outside"),
        (0, 0, "outside"),
        (10, 5, "outside"),
        (300, 337, "outside"),
        (19, 21, "white space"),  # the "\n\n" between the heading and the paragraph
    ],
)
def test_bad_ranges_are_refused_and_nothing_is_written(
    store: AnnotationStore, article: Article, start: int, end: int, reason: str
) -> None:
    with pytest.raises(HighlightError, match=reason):
        store.add_highlight(article.id, start, end, tags=["never"])
    assert store.highlights(article.id) == []
    assert store.tags() == []
    assert not store.workspace.highlights_db(article.id).exists()


def test_unknown_article_is_refused(store: AnnotationStore) -> None:
    with pytest.raises(HighlightError, match="no article"):
        store.add_highlight("no-such-article", 0, 1)
    with pytest.raises(HighlightError):
        store.get_highlight("no-such-article", "abc")


# -- tags ----------------------------------------------------------------------------------------


def test_new_tags_take_palette_colours_in_turn_and_are_reused(
    store: AnnotationStore, article: Article
) -> None:
    store.add_highlight(article.id, 0, 8, tags=["strike", "ai"])
    store.add_highlight(article.id, 9, 15, tags=["ai", "union"])
    colours = {t.name: t.color for t in store.tags()}
    assert colours == {"strike": TAG_PALETTE[0], "ai": TAG_PALETTE[1], "union": TAG_PALETTE[2]}
    assert [t.name for t in store.tags()] == ["ai", "strike", "union"]
    assert store.ensure_tag("ai").color == TAG_PALETTE[1]
    assert len(store.tags()) == 3


def test_tag_names_are_validated(store: AnnotationStore, article: Article) -> None:
    for bad in ["", "   ", "x" * 65]:
        with pytest.raises(StoreError):
            store.add_highlight(article.id, 0, 8, tags=[bad])
    assert store.highlights(article.id) == [] and store.tags() == []


def test_highlight_colour_is_own_then_first_tag_then_default(
    store: AnnotationStore, article: Article
) -> None:
    store.update_tag("red", color="#ff0000", description="hot")
    plain = store.add_highlight(article.id, 0, 8)
    tagged = store.add_highlight(article.id, 9, 15, tags=["red"])
    own = store.add_highlight(article.id, 22, 28, tags=["red"], color="#00ff00")
    assert store.highlight_color(plain) == DEFAULT_HIGHLIGHT_COLOR
    assert store.highlight_color(tagged) == "#ff0000"
    assert store.highlight_color(own) == "#00ff00"
    (red,) = AnnotationStore(store.workspace).tags()
    assert (red.color, red.description) == ("#ff0000", "hot")


# -- reading state -------------------------------------------------------------------------------


def test_reading_state_and_last_article(store: AnnotationStore) -> None:
    assert store.last_article() is None
    assert store.state("a") == ArticleState("a")
    opened = store.mark_opened("a", position=120)
    store.mark_opened("b")
    assert (opened.read, opened.position) == (True, 120)
    assert opened.last_opened and opened.last_opened.endswith("Z")
    reopened = AnnotationStore(store.workspace)
    assert reopened.last_article() == "b"
    assert reopened.state("a") == opened
    assert set(reopened.states()) == {"a", "b"}
    assert reopened.states()["b"].position == 0
    reopened.save_state(ArticleState("a", position=7, read=False))
    assert store.state("a") == ArticleState("a", position=7, read=False)


# -- persistence and layout --------------------------------------------------------------------


def test_everything_persists_in_per_article_files(
    store: AnnotationStore, article: Article, ws: Workspace
) -> None:
    added = store.add_highlight(article.id, 0, 8, tags=["t"], note="n")
    store.mark_opened(article.id)
    store.close()
    assert (
        ws.highlights_db(article.id) == ws.root / "annotations/highlights/a-strike-over-faces.json"
    )
    assert ws.highlights_db(article.id).is_file()
    raw = json.loads(ws.workspace_db.read_text())
    assert {"key": "schema", "value": SCHEMA_VERSION} in raw["meta"].values()
    assert SCHEMA_VERSION == 2
    assert [r["name"] for r in raw["tags"].values()] == ["t"]
    assert "highlights" not in raw
    again = AnnotationStore(ws)
    assert again.highlights(article.id) == [added]
    assert again.highlight_counts() == {article.id: 1}
    assert again.annotated_article_ids() == [article.id]
    assert list(again.all_highlights()) == [added]


@given(st.data())
def test_stored_quotes_match_the_display_text_after_reopening(data: st.DataObject) -> None:
    sample = sample_articles()[0]
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(Path(folder))
        Library(ws).save(sample)
        text = Library(ws).display(sample.id).text
        wanted: list[tuple[int, int]] = []
        with AnnotationStore(ws) as store:
            for _ in range(data.draw(st.integers(1, 4))):
                start = data.draw(st.integers(0, len(text) - 1))
                end = data.draw(st.integers(start + 1, min(len(text), start + 300)))
                if (start, end) in wanted:  # the same range again adds nothing
                    with pytest.raises(DuplicateHighlight):
                        store.add_highlight(sample.id, start, end)
                elif text[start:end].strip():
                    store.add_highlight(sample.id, start, end)
                    wanted.append((start, end))
                else:
                    with pytest.raises(HighlightError):
                        store.add_highlight(sample.id, start, end)
        stored = AnnotationStore(ws).highlights(sample.id)
    assert sorted((h.start, h.end) for h in stored) == sorted(wanted)
    for h in stored:
        assert h.quote == text[h.start : h.end]
        assert h.prefix == text[max(0, h.start - 32) : h.start]
        assert h.suffix == text[h.end : h.end + 32]


# -- atomic writes ---------------------------------------------------------------------------------


def leftover_temp_files(ws: Workspace) -> list[Path]:
    return [p for p in ws.root.rglob("*") if p.name.endswith(".tmp")]


@pytest.fixture
def failing_replace(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make the rename at the end of every atomic write fail, after the temp file is written."""
    attempted: list[Path] = []

    def replace(src: str | Path, dst: str | Path) -> None:
        assert Path(src).read_bytes()  # the temp file was written in full first
        attempted.append(Path(dst))
        raise OSError(errno.EIO, "injected I/O error")

    monkeypatch.setattr("corpus.fsutil.os.replace", replace)
    return attempted


def test_failed_highlight_write_leaves_old_file_and_no_temp(
    store: AnnotationStore, article: Article, ws: Workspace, request: pytest.FixtureRequest
) -> None:
    first = store.add_highlight(article.id, 0, 8)
    before = ws.highlights_db(article.id).read_bytes()
    attempted = request.getfixturevalue("failing_replace")
    with pytest.raises(StoreError, match="cannot write") as caught:
        store.add_highlight(article.id, 9, 15)
    assert attempted == [ws.highlights_db(article.id)]
    assert str(ws.highlights_db(article.id)) in str(caught.value)
    with pytest.raises(StoreError):
        store.delete_highlight(article.id, first.id)
    assert ws.highlights_db(article.id).read_bytes() == before
    assert leftover_temp_files(ws) == []
    assert AnnotationStore(ws).highlights(article.id) == [first]


def test_failed_workspace_write_leaves_old_file_and_no_temp(
    store: AnnotationStore, article: Article, ws: Workspace, request: pytest.FixtureRequest
) -> None:
    store.ensure_tag("old")
    before = ws.workspace_db.read_bytes()
    request.getfixturevalue("failing_replace")
    with pytest.raises(StoreError, match="nothing changed"):
        store.add_highlight(article.id, 0, 8, tags=["new"])
    with pytest.raises(StoreError):
        store.mark_opened(article.id)
    assert ws.workspace_db.read_bytes() == before
    assert not ws.highlights_db(article.id).exists()
    assert leftover_temp_files(ws) == []
    reopened = AnnotationStore(ws)
    assert [t.name for t in reopened.tags()] == ["old"]
    assert reopened.last_article() is None


def test_store_works_again_once_writes_succeed(
    store: AnnotationStore, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr("corpus.fsutil.os.replace", _raise_eio)
        with pytest.raises(StoreError):
            store.add_highlight(article.id, 0, 8)
    added = store.add_highlight(article.id, 0, 8)  # the lock was released, the db not poisoned
    assert AnnotationStore(store.workspace).highlights(article.id) == [added]


def _raise_eio(src: object, dst: object) -> None:
    raise OSError(errno.EIO, "injected I/O error")


def test_tag_updates_are_checked(store: AnnotationStore) -> None:
    with pytest.raises(StoreError, match="control character"):
        store.update_tag("bad\x01name", color="#ffffff")
    with pytest.raises(StoreError, match="#rrggbb"):
        store.update_tag("pay", color="red")
    assert store.tags() == []
    assert store.update_tag("pay", color="#112233", description="Money").color == "#112233"


def test_timestamps_are_normalised_to_utc(store: AnnotationStore, article: Article) -> None:
    made = store.add_highlight(article.id, 0, 5, created="2023-07-26T10:00:00+02:00")
    assert made.created == "2023-07-26T08:00:00Z"


def test_undecodable_command_line_bytes_are_stored_as_replacement(
    store: AnnotationStore, article: Article
) -> None:
    # What Python makes of the byte 0xff in argv: a lone surrogate, which JSON cannot hold.
    made = store.add_highlight(article.id, 0, 5, note="bad \udcff byte", tags=["t\udcff"])
    assert made.note == "bad \ufffd byte" and made.tags == ["t\ufffd"]
    assert store.get_highlight(article.id, made.id).note == "bad \ufffd byte"


def test_tag_counts_count_highlights_per_tag(store: AnnotationStore, article: Article) -> None:
    store.add_highlight(article.id, 0, 5, tags=["a", "b"])
    store.add_highlight(article.id, 6, 10, tags=["a"])
    assert store.tag_counts() == {"a": 2, "b": 1}
