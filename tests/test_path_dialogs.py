"""The import and export dialogs' paths (D17): ``~`` is the home folder in both, tab completes
the path being typed, and the import dialog takes several paths, one per line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.export import ExportDialog
from reader.screens.main import MainScreen
from tests.waits import paste, settle, type_text


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of its own (``~``) holding two articles, one with a space in its name."""
    folder = tmp_path / "home"
    articles = folder / "articles"
    articles.mkdir(parents=True)
    (articles / "one strike.md").write_text("# One Strike\n\nPickets at dawn.\n")
    (articles / "two.md").write_text("# Two\n\nA second article.\n")
    (folder / "reports-2023").mkdir()
    (folder / ".hidden").mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_tab_completes_the_longest_common_prefix(home: Path) -> None:
    from reader.path_completion import complete

    assert complete("~/ar").text == "~/articles/"
    assert complete("~/articles/").text == "~/articles/"
    assert complete("~/articles/").matches == ("one strike.md", "two.md")
    assert complete("~/articles/o").text == "~/articles/one strike.md"
    assert complete("~/articles/o").matches == ()
    assert complete("~/").matches == ("articles/", "reports-2023/")  # no hidden ones
    assert complete("~/.h").text == "~/.hidden/"
    assert complete("~").text == "~/"
    assert complete(f"{home}/rep").text == f"{home}/reports-2023/"
    assert complete("rep", cwd=home).text == "reports-2023/"
    assert complete("~/nothing-like-it").text == "~/nothing-like-it"
    assert complete("https://example.org/a").text == "https://example.org/a"


async def test_import_completes_expands_home_and_takes_a_path_per_line(
    ws: Workspace, article: Article, home: Path
) -> None:
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await type_text(pilot, "~/ar")
        await pilot.press("tab", "tab")
        await pilot.pause()
        shown = app.screen.query_one("#import-matches", Label)
        assert shown.display and "one strike.md" in str(shown.render())
        await pilot.press("o", "tab", "ctrl+j")
        await type_text(pilot, "~/articles/t")
        await pilot.press("tab")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    titles = {a.title for a in AnnotationStore(ws).library.articles()}
    assert {"One Strike", "Two"} <= titles


async def test_a_pasted_list_imports_every_line(
    ws: Workspace, article: Article, home: Path
) -> None:
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await paste(pilot, f"{home}/articles/one strike.md\n  ~/articles/two.md\n\n")
        await pilot.press("enter")
        await settle(pilot)
    titles = {a.title for a in AnnotationStore(ws).library.articles()}
    assert {"One Strike", "Two"} <= titles


async def test_export_completes_and_expands_home(
    ws: Workspace, article: Article, home: Path
) -> None:
    store = AnnotationStore(ws)
    start = store.library.display(article.id).text.index("picket line")
    store.add_highlight(article.id, start, start + len("picket line"))
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one("#export-path", Input)
        field.value = ""
        await type_text(pilot, "~/rep")
        await pilot.press("tab")
        assert field.value == "~/reports-2023/"
        await type_text(pilot, "q3.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    written = home / "reports-2023" / "q3.csv"
    assert "picket line" in written.read_text()
    assert not (home / "reports-2023" / "q3.json").exists()
