"""Every highlight of the corpus: the view's one function, and ``reader highlights``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotations.formats.export import export
from annotations.formats.selection import Filters
from annotations.highlights_view import UNTAGGED, context_of, highlights_view
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import parse_article
from corpus.library import ArticleNotFound
from corpus.workspace import Workspace
from reader.cli import main
from reader.cli_highlights import JSON_KEYS

JOB = "netflix-ai-job-picket-line"
GAMES = "netflix-games-generative-ai-role"


def _mark(store: AnnotationStore, article_id: str, quote: str, *tags: str, note: str = "") -> str:
    text = store.library.display(article_id).text
    start = text.index(quote)
    return store.add_highlight(article_id, start, start + len(quote), tags=tags, note=note).id


def code_samples(workspace: Workspace) -> AnnotationStore:
    """Five highlights in two sample articles: nested tags, two tags on one, one untagged."""
    store = AnnotationStore(workspace)
    _mark(store, JOB, "$900,000", "AI/likeness", "pay", note="The headline number")
    _mark(store, JOB, "picket", "strikes")
    _mark(store, JOB, "Machine Learning Platform", "AI", note="An AI role")
    _mark(store, GAMES, "generative AI", "AI/jobs", note="Café talk")
    _mark(store, GAMES, "650,000")
    return store


@pytest.fixture
def coded(sample_ws: Workspace) -> AnnotationStore:
    return code_samples(sample_ws)


def _quotes(items: Any) -> list[str]:
    return [item.highlight.quote for item in items]


# -- the function -----------------------------------------------------------------------------
def test_groups_by_tag_in_tree_order_and_nested_tags_roll_up(coded: AnnotationStore) -> None:
    view = highlights_view(coded)
    assert [(g.key, g.depth, g.count) for g in view.groups] == [
        ("AI", 0, 3),  # its own one, and one each under AI/jobs and AI/likeness
        ("AI/jobs", 1, 1),
        ("AI/likeness", 1, 1),
        ("pay", 0, 1),
        ("strikes", 0, 1),
        (UNTAGGED, 0, 1),
    ]
    by_key = {g.key: g for g in view.groups}
    assert _quotes(by_key["AI"].items) == ["Machine Learning Platform"]  # only its own
    assert _quotes(by_key["AI/likeness"].items) == ["$900,000"]
    assert _quotes(by_key["pay"].items) == ["$900,000"]  # two tags: listed under both
    assert _quotes(by_key[UNTAGGED].items) == ["650,000"]
    assert len(view.items) == len(set(view.ids)) == 5  # each highlight once in the items
    assert view.articles == 2


def test_groups_by_article_in_document_order(coded: AnnotationStore) -> None:
    view = highlights_view(coded, by="article")
    assert [(g.key, g.count) for g in view.groups] == [(JOB, 3), (GAMES, 2)]
    assert view.groups[0].label == coded.library.get(JOB).title
    starts = [item.highlight.start for item in view.groups[0].items]
    assert starts == sorted(starts)


def test_filters_by_tag_nested_included_text_and_article(coded: AnnotationStore) -> None:
    ai = highlights_view(coded, tags=["ai"])  # any case, nested tags too
    assert set(_quotes(ai.items)) == {"$900,000", "generative AI", "Machine Learning Platform"}
    # Only the tags asked for are groups: not pay, which $900,000 also carries.
    assert [g.key for g in ai.groups] == ["AI", "AI/jobs", "AI/likeness"]
    # Words in the quote or the note, folded as search folds them (cafe finds Café).
    assert _quotes(highlights_view(coded, text="cafe").items) == ["generative AI"]
    assert _quotes(highlights_view(coded, text="HEADLINE 900").items) == ["$900,000"]
    assert highlights_view(coded, text="headline picket").items == []
    only = highlights_view(coded, articles=[GAMES], tags=["AI"], by="article")
    assert _quotes(only.items) == ["generative AI"]
    with pytest.raises(ArticleNotFound):
        highlights_view(coded, articles=["no-such-article"])


def test_context_is_the_quotes_sentence_cut_to_a_width(coded: AnnotationStore) -> None:
    view = highlights_view(coded, width=60)
    for item in view.items:
        assert len(item.context) <= 60
        assert "\n" not in item.context
        assert item.context[item.context_start : item.context_end] == item.highlight.quote
    h = Highlight(
        "x", "a", 10, 15, "quote", prefix="An end. Then the ", suffix=" goes on. And more"
    )
    assert context_of(h) == ("Then the quote goes on.", 9, 14)
    # Cut mid-sentence on both sides: an ellipsis, and whole words only.
    h = Highlight("x", "a", 40, 45, "quote", prefix="x" * 9 + " some words before the ")
    h.suffix = " and words after it, which run on"  # the text goes on past it
    assert context_of(h) == ("…some words before the quote and words after it, which run…", 23, 28)
    assert context_of(h, width=40) == ("…before the quote and words after it,…", 12, 17)
    # A quote longer than the line: its two ends.
    long = Highlight("x", "a", 0, 300, "word " * 60)
    line, start, end = context_of(long, width=50)
    assert len(line) == 50 and (start, end) == (0, 50) and "…" in line


# -- exporting exactly some highlights ---------------------------------------------------------
def test_an_export_filtered_by_highlight_ids_writes_exactly_those(
    coded: AnnotationStore, tmp_path: Path
) -> None:
    shown = highlights_view(coded, text="ai").ids
    assert len(shown) == 2
    result = export(coded, tmp_path / "out.json", "json", Filters(highlights=shown))
    assert result.refused is None
    data = json.loads((tmp_path / "out.json").read_text())
    written = [h["id"] for a in data["articles"] for h in a["highlights"]]
    assert sorted(written) == sorted(shown)
    assert {t["name"] for t in data["tags"]} == {"AI", "AI/jobs"}  # only the tags they use


# -- reader highlights -------------------------------------------------------------------------
def _cli(ws: Workspace, *args: str) -> Any:
    return CliRunner().invoke(main, ["highlights", "-w", str(ws.root), *args])


def test_cli_json_lines_have_exactly_the_keys_and_slice_the_display_text(
    coded: AnnotationStore, sample_ws: Workspace
) -> None:
    result = _cli(sample_ws, "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 5
    for record in records:
        assert tuple(record) == JSON_KEYS
        # Checked against the article file itself, not through reader show.
        path = sample_ws.article_file(record["article_id"])
        text = parse_article(record["article_id"], path.read_text()).display.text
        assert text[record["start"] : record["end"]] == record["quote"]
    assert [r["article_id"] for r in records] == [JOB, JOB, JOB, GAMES, GAMES]
    ai = _cli(sample_ws, "--json", "--tag", "AI", "--article", JOB)
    assert [json.loads(line)["quote"] for line in ai.output.splitlines()] == [
        "$900,000",
        "Machine Learning Platform",
    ]


def test_cli_plain_lines_and_errors(coded: AnnotationStore, sample_ws: Workspace) -> None:
    result = _cli(sample_ws, "--tag", "pay")
    assert result.exit_code == 0
    (line,) = result.output.splitlines()
    assert line.startswith(
        next(h.id for h in coded.all_highlights() if h.tags == ["AI/likeness", "pay"])
    )
    assert "“$900,000”" in line and "#AI/likeness #pay" in line and "The headline number" in line
    assert len(_cli(sample_ws).output.splitlines()) == 5
    unknown = _cli(sample_ws, "--tag", "nope")
    assert unknown.exit_code == 1 and "Error: no tag 'nope'" in unknown.output
    missing = _cli(sample_ws, "--article", "no-such-article")
    assert missing.exit_code == 1 and "no article with id 'no-such-article'" in missing.output
