"""Orphans are looked for again whenever their article's text changes, and only then.

Findings R-D9: an article file that was empty for a moment (a crashed editor, a sync conflict)
orphaned its highlights on the next read of any kind, and restoring the file byte for byte
did not bring them back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

import annotations.store as store_module
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.cli import main

ARTICLE = "netflix-ai-job-picket-line"
WORDS = ("Netflix", "strike", "union")


def annotate(ws: Workspace) -> list[Highlight]:
    store = AnnotationStore(ws)
    text = store.library.display(ARTICLE).text
    return [
        store.add_highlight(ARTICLE, text.index(w), text.index(w) + len(w), note=f"on {w}")
        for w in WORDS
    ]


def empty_for_a_moment(ws: Workspace) -> bytes:
    """Empty the article file, let a reader (a fresh store, as any command) see it, and return
    the original bytes."""
    path = ws.article_file(ARTICLE)
    saved = path.read_bytes()
    path.write_bytes(b"")
    assert all(h.orphaned for h in AnnotationStore(ws).highlights(ARTICLE))
    return saved


def placed_as_before(highlights: list[Highlight], before: list[Highlight]) -> bool:
    def where(h: Highlight) -> tuple[str, int, int, str, str]:
        return (h.id, h.start, h.end, h.quote, h.note)

    return not any(h.orphaned for h in highlights) and sorted(map(where, highlights)) == sorted(
        map(where, before)
    )


def test_a_restored_article_brings_its_orphans_back_on_read(sample_ws: Workspace) -> None:
    before = annotate(sample_ws)
    app_store = AnnotationStore(sample_ws)  # a long-lived reader (the app) that saw them go
    assert not any(h.orphaned for h in app_store.highlights(ARTICLE))
    saved = empty_for_a_moment(sample_ws)
    assert all(h.orphaned for h in app_store.highlights(ARTICLE))

    sample_ws.article_file(ARTICLE).write_bytes(saved)

    assert placed_as_before(AnnotationStore(sample_ws).highlights(ARTICLE), before)
    assert placed_as_before(app_store.highlights(ARTICLE), before)
    assert placed_as_before(app_store.highlights(ARTICLE, check=False), before)  # saved


def test_doctor_finds_orphans_again_and_repair_places_them(sample_ws: Workspace) -> None:
    before = annotate(sample_ws)
    saved = empty_for_a_moment(sample_ws)
    sample_ws.article_file(ARTICLE).write_bytes(saved)

    def doctor(*args: str) -> Any:
        return CliRunner().invoke(main, ["--workspace", str(sample_ws.root), "doctor", *args])

    checked = doctor()
    assert checked.exit_code == 1
    assert f"{ARTICLE}: orphans found in the text again: 3 (--repair fixes this)" in checked.stderr
    assert "orphan:" not in checked.stdout
    store = AnnotationStore(sample_ws)
    assert all(h.orphaned for h in store.highlights(ARTICLE, check=False))  # a check writes nothing

    repaired = doctor("--repair")

    assert repaired.exit_code == 0, repaired.output
    assert f"re-anchored {ARTICLE}: 0 moved, 3 found again, 0 orphaned" in repaired.stdout
    assert placed_as_before(store.highlights(ARTICLE, check=False), before)


def test_doctor_still_lists_orphans_that_are_not_in_the_text(sample_ws: Workspace) -> None:
    annotate(sample_ws)
    empty_for_a_moment(sample_ws)
    result = CliRunner().invoke(main, ["--workspace", str(sample_ws.root), "doctor", "--repair"])
    assert result.exit_code == 0
    assert result.stdout.count("orphan: ") == 3
    assert "found in the text again" not in result.output


@pytest.fixture
def anchor_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The quotes the store looks for (a spy on the search, which it otherwise runs as is)."""
    calls: list[str] = []
    real: Callable[..., Any] = store_module.anchor

    def counting(text: str, selector: Any, start: int, end: int) -> Any:
        calls.append(selector.exact)
        return real(text, selector, start, end)

    monkeypatch.setattr(store_module, "anchor", counting)
    return calls


def test_orphans_are_looked_for_once_per_version_of_the_text(
    sample_ws: Workspace, anchor_calls: list[str]
) -> None:
    annotate(sample_ws)
    path = sample_ws.article_file(ARTICLE)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Netflix", "The streamer"), encoding="utf-8")
    store = AnnotationStore(sample_ws)
    store.highlights(ARTICLE)
    assert [h.quote for h in store.highlights(ARTICLE) if h.orphaned] == ["Netflix"]
    anchor_calls.clear()

    store.highlights(ARTICLE)
    AnnotationStore(sample_ws).highlights(ARTICLE)  # another process: the cache on disk
    assert anchor_calls == []

    # Any new version of the file is looked at again, even with the same text.
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [h.orphaned for h in store.highlights(ARTICLE)].count(True) == 1
    assert "Netflix" in anchor_calls
    anchor_calls.clear()
    store.highlights(ARTICLE)
    assert anchor_calls == []


def test_an_orphan_that_arrives_later_is_looked_for(
    sample_ws: Workspace, anchor_calls: list[str]
) -> None:
    """An orphan imported from an annotation file was never looked for in this text, though
    the article's other orphans were."""
    store = AnnotationStore(sample_ws)
    path = sample_ws.article_file(ARTICLE)
    text = store.library.display(ARTICLE).text
    start = text.index("strike")
    incoming = store.add_highlight(ARTICLE, start, start + len("strike"), note="from a file")
    store.delete_highlight(ARTICLE, incoming.id)
    incoming.orphaned = True  # as exported from a workspace that had lost it
    store.add_highlight(ARTICLE, text.index("Netflix"), text.index("Netflix") + len("Netflix"))
    path.write_text(path.read_text(encoding="utf-8").replace("Netflix", "It"), encoding="utf-8")
    assert [h.quote for h in store.highlights(ARTICLE) if h.orphaned] == ["Netflix"]
    text = store.library.display(ARTICLE).text
    anchor_calls.clear()

    store.import_highlights(ARTICLE, [incoming])

    (found,) = [h for h in store.highlights(ARTICLE) if h.id == incoming.id]
    assert "strike" in anchor_calls
    assert not found.orphaned and text[found.start : found.end] == "strike"


def test_an_unreadable_cache_only_costs_a_search(sample_ws: Workspace) -> None:
    before = annotate(sample_ws)
    saved = empty_for_a_moment(sample_ws)
    sample_ws.cache_dir.mkdir(parents=True, exist_ok=True)
    (sample_ws.cache_dir / "orphan-checks.json").write_bytes(b"\x00not json")
    sample_ws.article_file(ARTICLE).write_bytes(saved)
    assert placed_as_before(AnnotationStore(sample_ws).highlights(ARTICLE), before)
