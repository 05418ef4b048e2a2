"""The article list's order, title filter and progress; memos in the app; the export dialog's
scopes. Each test walks one whole flow (Pilot tests cost ~0.5 s each)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Label, Select

from annotations.formats.selection import Filters
from annotations.store import AnnotationStore
from corpus.text_match import fold
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.export import ExportDialog, ExportRequest
from reader.dialogs.note_editor import NoteEditor
from reader.screens.codebook import CodebookScreen
from reader.widgets.article_list import ArticleColumn, ArticleList
from reader.widgets.article_order import TitleFilter
from reader.widgets.reading_pane import ReadingPane
from tests.waits import paste, settle, until

ARTICLE = "netflix-ai-job-picket-line"
OTHER = "deep-fake-love"
SIZE = (120, 40)


def _text(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Label).render())


def _ids(pilot: Pilot[Any]) -> list[str]:
    return [row.id for row in pilot.app.screen.query_one(ArticleList).rows]


async def test_sort_title_filter_and_progress(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    for start in (0, 20, 40):  # OTHER has the most highlights
        store.add_highlight(OTHER, start, start + 5, tags=["AI"])
    store.add_highlight(ARTICLE, 0, 5)
    text = store.library.display(ARTICLE).text
    store.mark_opened(OTHER, 0)
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.pause()
        column = pilot.app.screen.query_one(ArticleColumn)
        by_date = _ids(pilot)
        # Reading: the end of the article is reached, and the list says so when it is left.
        await pilot.press("G")
        assert not store.state(ARTICLE).furthest  # kept in memory until the article is left
        column.articles.focus()
        await pilot.press("o")
        titles = [row.title for row in column.articles.rows]
        assert titles == sorted(titles, key=fold)
        assert "⇅ by title" in _text(pilot, "#list-filter")
        await pilot.press("o")
        assert _ids(pilot)[:2] == [OTHER, ARTICLE]  # most highlights first
        await pilot.press("o")
        assert _ids(pilot) == by_date and "newest first" in _text(pilot, "#list-filter")
        # The title filter narrows as one types, case and accents aside; enter goes to the list.
        await pilot.press("f")
        await paste(pilot, "FAKE deep")
        assert _ids(pilot) == [OTHER]  # words in any order and case
        assert "“FAKE deep” · 1 of 10" in _text(pilot, "#list-filter")
        await pilot.press("enter")
        assert isinstance(pilot.app.focused, ArticleList) and _ids(pilot) == [OTHER]
        await pilot.press("enter")  # opens it; the article left is saved read to its end
        state = store.state(ARTICLE)
        assert (state.position, state.furthest) == (len(text) - 1, len(text))  # seen to its end
        rows = {row.id: row for row in column.rows}
        assert rows[ARTICLE].progress == 100 and "✓" in rows[ARTICLE].meta
        await pilot.press("shift+tab", "f", "escape")
        assert len(_ids(pilot)) == 10 and not pilot.app.screen.query_one(TitleFilter).display
        assert isinstance(pilot.app.focused, ArticleList)
        # What the open article showed on screen counts as read: its first screen.
        pilot.app.screen.query_one(ReadingPane).focus()
        await pilot.press("q")
    furthest = store.state(OTHER).furthest
    assert 0 < furthest < len(store.library.display(OTHER).text) - 1
    # After a restart the list shows the progress from the stored state.
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = {row.id: row for row in pilot.app.screen.query_one(ArticleColumn).rows}
        assert rows[ARTICLE].progress == 100 and 0 < rows[OTHER].progress < 100
        assert f"{rows[OTHER].progress}%" in rows[OTHER].meta


async def test_memos_of_an_article_and_a_tag(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    store.add_highlight(ARTICLE, 0, 5, tags=["AI/likeness"])
    memo = "Why it matters:\nthe job post\nbecame a picket sign\nfourth line\nfifth"
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not pilot.app.screen.query_one("#sidebar-memo").display
        await pilot.press("M")
        assert isinstance(pilot.app.screen, NoteEditor)
        await paste(pilot, memo)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.state(ARTICLE).memo == memo
        # The tag's memo: e in the tag manager, many lines, shown under the table.
        await pilot.press("T")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CodebookScreen)
        await until(pilot, lambda: "AI/likeness" in [r.name for r in screen.rows], "the rows")
        await pilot.press("down")  # AI, then AI/likeness
        await pilot.press("e")
        await paste(pilot, "A face used\nwithout consent")
        await pilot.press("ctrl+s")
        await settle(pilot)
        tag = next(t for t in store.tags() if t.name == "AI/likeness")
        assert tag.description == "A face used\nwithout consent"
        assert "without consent" in _text(pilot, "#codebook-detail")
        await pilot.press("u")  # undoable, as any tag change
        await settle(pilot)
        assert next(t for t in store.tags() if t.name == "AI/likeness").description == ""
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = pilot.app.screen.query_one("#sidebar-memo", Label)
        assert shown.display  # its first three lines, the rest behind M
        assert str(shown.render()) == "Memo · Why it matters:\nthe job post\nbecame a picket sign …"


async def _choose(pilot: Pilot[Any], scope: str, **fields: str) -> str:
    """Choose ``scope`` in the open export dialog, fill ``fields`` and return its count line."""
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-scope", Select).value = scope
    for name, value in fields.items():
        widget = dialog.query_one(f"#export-{name}")
        if isinstance(widget, Select):
            widget.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await settle(pilot)
    return _text(pilot, "#export-count")


async def _write(pilot: Pilot[Any], path: Path) -> set[str]:
    """Export to ``path`` from the open dialog; the highlight ids the file holds."""
    field = pilot.app.screen.query_one("#export-path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await settle(pilot)
    data = json.loads(path.read_text())
    return {h["id"] for article in data["articles"] for h in article["highlights"]}


async def test_the_export_dialog_counts_and_writes_each_scope(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = AnnotationStore(sample_ws)
    made = {
        "own": store.add_highlight(ARTICLE, 0, 5, tags=["AI/likeness"]),
        "labour": store.add_highlight(ARTICLE, 10, 15, tags=["labour"]),
        "other": store.add_highlight(OTHER, 0, 5, tags=["AI"]),
        "old": store.add_highlight(OTHER, 10, 15),
    }
    old = made["old"]
    store.delete_highlight(OTHER, old.id)
    store.restore_highlight(replace(old, created="2023-08-01T10:00:00", updated=""))
    ids = {name: h.id for name, h in made.items()}
    expected = {
        "all": ("4 highlights", set(ids)),
        "article": ("2 highlights", {"own", "labour"}),
        "tag": ("2 highlights", {"own", "other"}),  # #AI with AI/likeness nested in it
        "dates": ("1 highlight", {"old"}),
    }
    fields = {"tag": {"tag": "AI"}, "dates": {"since": "2023", "until": "2023-08"}}
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        for scope, (said, names) in expected.items():
            await pilot.press("e")
            assert (
                await _choose(pilot, scope, **fields.get(scope, {})) == f"{said} will be written."
            )
            assert await _write(pilot, tmp_path / f"{scope}.json") == {ids[n] for n in names}
        await pilot.press("e")
        assert "is not a date" in await _choose(pilot, "dates", since="2023-02-30")
        await pilot.press("enter")  # refused, said, and the dialog stays open to fix it
        assert isinstance(pilot.app.screen, ExportDialog)
        await pilot.press("escape")
        # Opened from a view (the highlights view passes its filters), it exports that view.
        chosen: list[ExportRequest | None] = []
        view = ExportDialog(tmp_path, "view", store=store, filters=Filters(tags=("labour",)))
        pilot.app.push_screen(view, chosen.append)
        await settle(pilot)
        assert view.scope == "view"
        assert _text(pilot, "#export-count") == "1 highlight will be written."
        field = view.query_one("#export-path", Input)
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
    assert chosen[0] is not None and chosen[0].filters == Filters(tags=("labour",))


def test_text_lengths_are_measured_once_and_follow_the_file(ws: Workspace, article: Any) -> None:
    from corpus.library import Library
    from corpus.text_lengths import remember_length, text_lengths

    library = Library(ws)
    length = len(library.display(article.id).text)
    assert text_lengths(library, [article.id, "gone"], render=False) == {}
    assert text_lengths(library, [article.id, "gone"]) == {article.id: length}
    assert text_lengths(Library(ws), [article.id], render=False) == {article.id: length}
    path = ws.article_file(article.id)
    path.write_text(path.read_text() + "\nOne more paragraph.\n")
    assert text_lengths(Library(ws), [article.id], render=False) == {}  # the file changed
    remember_length(library, article.id, 12345)  # the pane measured it
    assert text_lengths(Library(ws), [article.id], render=False) == {article.id: 12345}
