"""Statistics over small hand-built workspaces, with counts worked out by hand."""

from __future__ import annotations

import json

import pytest

from annotations import stats
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library

BODY = "# Title\n\nAlpha beta gamma.\n\nDelta epsilon zeta.\n\n- item one\n- item two\n"


def span_of(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def counted(store: AnnotationStore, library: Library) -> AnnotationStore:
    """Three articles (one never annotated, one opened) and six highlights:

    one: "Alpha" [a, b]; "gamma" [c]          (paragraph 1)
         "Delta" [a]; "zeta" [b]              (paragraph 2)
         "beta gamma.\\n\\nDelta" [d]         (spans paragraphs 1 and 2)
    two: "item one" [a, b]
    three: nothing.
    """
    for article_id, title in (("one", "First"), ("two", "Second"), ("three", "Third")):
        library.save(Article(id=article_id, title=title, body=BODY))
    text = store.library.display("one").text
    store.add_highlight("one", *span_of(text, "Alpha"), tags=["a", "b"])
    store.add_highlight("one", *span_of(text, "gamma"), tags=["c"])
    store.add_highlight("one", *span_of(text, "Delta"), tags=["a"])
    store.add_highlight("one", *span_of(text, "zeta"), tags=["b"])
    store.add_highlight("one", *span_of(text, "beta gamma.\n\nDelta"), tags=["d"])
    store.add_highlight("two", *span_of(text, "item one"), tags=["a", "b"])
    store.ensure_tag("unused")
    store.mark_opened("two")
    return store


def test_per_tag_counts_highlights_and_lists_unused_tags(counted: AnnotationStore) -> None:
    assert stats.per_tag(counted) == {"a": 3, "b": 3, "c": 1, "d": 1, "unused": 0}


def test_per_article_most_highlights_first(counted: AnnotationStore) -> None:
    assert stats.per_article(counted) == [("one", "First", 5), ("two", "Second", 1)]


def test_cooccurrence_on_one_highlight(counted: AnnotationStore) -> None:
    assert stats.cooccurrence(counted, "highlight") == {("a", "b"): 2}


def test_cooccurrence_in_one_paragraph(counted: AnnotationStore) -> None:
    # paragraph 1 holds a, b, c, d; paragraph 2 holds a, b, d; the list item a, b.
    assert stats.cooccurrence(counted, "paragraph") == {
        ("a", "b"): 3,
        ("a", "d"): 2,
        ("b", "d"): 2,
        ("a", "c"): 1,
        ("b", "c"): 1,
        ("c", "d"): 1,
    }


def test_a_paragraph_count_stops_when_asked(counted: AnnotationStore) -> None:
    asked: list[int] = []

    def stop_at_the_second_article() -> bool:
        asked.append(1)
        return len(asked) == 2

    with pytest.raises(stats.Stopped):
        stats.cooccurrence(counted, "paragraph", stop=stop_at_the_second_article)
    assert len(asked) == 2  # asked before each annotated article, and stopped at once
    assert stats.cooccurrence(counted, "paragraph", stop=lambda: False)  # never stopped


def test_orphans_count_per_tag_but_not_per_paragraph(counted: AnnotationStore) -> None:
    text = counted.library.display("three").text
    counted.add_highlight("three", *span_of(text, "item two"), tags=["c", "d"])
    path = counted.workspace.highlights_db("three")
    data = json.loads(path.read_text())
    for record in data["highlights"].values():
        record["orphaned"] = True
    path.write_text(json.dumps(data))
    assert stats.per_tag(counted)["c"] == 2
    assert stats.cooccurrence(counted, "highlight")[("c", "d")] == 1
    assert stats.cooccurrence(counted, "paragraph")[("c", "d")] == 1  # not 2: it is an orphan


def test_reading_progress(counted: AnnotationStore) -> None:
    assert stats.reading_progress(counted) == stats.ReadingProgress(total=3, read=1, annotated=2)


def test_statistics_in_one_pass_agrees_with_each_function(counted: AnnotationStore) -> None:
    everything = stats.statistics(counted)
    assert everything.per_tag == stats.per_tag(counted)
    assert everything.per_article == stats.per_article(counted)
    assert everything.by_highlight == stats.cooccurrence(counted, "highlight")
    assert everything.by_paragraph == stats.cooccurrence(counted, "paragraph")
    assert everything.progress == stats.reading_progress(counted)
    assert everything.highlights == 6


def test_counts_follow_a_rename_and_a_merge(counted: AnnotationStore) -> None:
    counted.rename_tag("a", "z")
    assert stats.per_tag(counted) == {"b": 3, "z": 3, "c": 1, "d": 1, "unused": 0}
    assert stats.cooccurrence(counted, "highlight") == {("b", "z"): 2}
    counted.merge_tags(["b"], "z")
    assert stats.per_tag(counted)["z"] == 4  # "Alpha" and "item one" had both: counted once
    assert stats.cooccurrence(counted, "highlight") == {}


def test_an_empty_workspace(store: AnnotationStore) -> None:
    assert stats.per_tag(store) == {}
    assert stats.per_article(store) == []
    assert stats.cooccurrence(store, "paragraph") == {}
    assert stats.reading_progress(store) == stats.ReadingProgress(0, 0, 0)


def test_statistics_can_leave_paragraphs_out(counted: AnnotationStore) -> None:
    quick = stats.statistics(counted, paragraphs=False)
    assert quick.by_paragraph is None
    assert quick.by_highlight == {("a", "b"): 2}


def test_per_article_limit_keeps_the_most_annotated(counted: AnnotationStore) -> None:
    assert stats.per_article(counted, limit=1) == [("one", "First", 5)]
    assert stats.statistics(counted, top_articles=1).per_article == [("one", "First", 5)]
