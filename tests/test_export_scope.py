"""Scoped exports: the date range (``until``), and the count the export dialog shows."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.formats.export import export
from annotations.formats.selection import Filters, count_kept, date_bound
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from reader.cli import main


def _dated(store: AnnotationStore, h: Highlight, when: str) -> Highlight:
    """The highlight as if last changed at ``when``."""
    store.delete_highlight(h.article_id, h.id)
    return store.restore_highlight(replace(h, created=when, updated=when))


@pytest.fixture
def coded(store: AnnotationStore, article: Article, library: Library) -> dict[str, Highlight]:
    """Four highlights in two articles, tagged and dated apart."""
    other = Article(id="second-piece", title="Second", body="One two three four five six.")
    library.save(other)
    text = library.display(article.id).text
    made = {
        "may": store.add_highlight(article.id, 0, 5, tags=["AI/likeness"]),
        "june": store.add_highlight(article.id, 10, 20, tags=["AI"]),
        "june-end": store.add_highlight(other.id, 0, 3, tags=["labour"]),
        "july": store.add_highlight(other.id, 4, 7, tags=["AI/voice", "labour"]),
    }
    assert text  # the fixture's article has text to highlight
    times = {
        "may": "2024-05-31T23:59:00+00:00",
        "june": "2024-06-01T00:00:00+00:00",
        "june-end": "2024-06-30T22:00:00+00:00",
        "july": "2024-07-01T08:00:00+00:00",
    }
    return {name: _dated(store, h, times[name]) for name, h in made.items()}


def test_date_bounds_take_a_year_a_month_or_a_day() -> None:
    utc = dt.UTC
    assert date_bound("2024-06") == dt.datetime(2024, 6, 1, tzinfo=utc)
    assert date_bound("2024-06", end=True) == dt.datetime(2024, 6, 30, 23, 59, 59, 999999, utc)
    assert date_bound("2024-12", end=True).date() == dt.date(2024, 12, 31)
    assert date_bound("2024", end=True).date() == dt.date(2024, 12, 31)
    assert date_bound("2024-02-29", end=True).date() == dt.date(2024, 2, 29)
    assert date_bound("2024-06-01T12:00") == dt.datetime(2024, 6, 1, 12, tzinfo=utc)
    for bad in ("2024-13", "2023-02-29", "June", ""):
        with pytest.raises(ValueError, match="is not a date"):
            date_bound(bad)


def test_the_count_is_what_the_export_writes(
    store: AnnotationStore, coded: dict[str, Highlight], tmp_path: Path
) -> None:
    june = Filters(since=date_bound("2024-06"), until=date_bound("2024-06", end=True))
    cases = {
        "everything": (Filters(), {"may", "june", "june-end", "july"}),
        "article": (Filters(articles=("second-piece",)), {"june-end", "july"}),
        "tag with nested": (Filters(tags=("AI",)), {"may", "june", "july"}),
        "date range": (june, {"june", "june-end"}),
        "until only": (Filters(until=date_bound("2024-05-31", end=True)), {"may"}),
        "tag and dates": (replace(june, tags=("labour",)), {"june-end"}),
    }
    for name, (filters, expected) in cases.items():
        assert count_kept(store, filters) == len(expected), name
        result = export(store, tmp_path / f"{name}.json", "json", filters)
        written = json.loads((tmp_path / f"{name}.json").read_text())
        ids = {h["id"] for a in written["articles"] for h in a["highlights"]}
        assert ids == {coded[n].id for n in expected}, name
        assert result.count == len(expected), name


def test_the_count_leaves_out_what_the_export_cannot_read(
    store: AnnotationStore, coded: dict[str, Highlight], library: Library
) -> None:
    library.workspace.article_file("second-piece").unlink()
    assert count_kept(store) == 2
    assert count_kept(store, Filters(tags=("labour",))) == 0


def test_export_until_on_the_command_line(
    store: AnnotationStore, coded: dict[str, Highlight], tmp_path: Path
) -> None:
    root = str(store.workspace.root)
    args = ["export", "-w", root, "--format", "json", "--since", "2024-06-01"]
    result = CliRunner().invoke(main, [*args, "--until", "2024-06-30"])
    assert result.exit_code == 0, result.output
    ids = {h["id"] for a in json.loads(result.stdout)["articles"] for h in a["highlights"]}
    assert ids == {coded["june"].id, coded["june-end"].id}
    bad = CliRunner().invoke(main, [*args, "--until", "2024-06-31"])
    assert bad.exit_code == 1
    assert "'2024-06-31' is not a date" in bad.output
