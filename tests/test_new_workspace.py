"""New and empty workspaces (issue 16, U19): the sample corpus goes only into the user's own
workspace, a workspace that is made says so in one line, an empty one says what to do, and the
keyboard starts in the reading pane when an article is open."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Static

import corpus.workspace
from annotations.store import AnnotationStore
from corpus.library import Library
from corpus.sample_corpus import sample_articles
from corpus.workspace import ENV_VAR, Workspace
from reader import launch
from reader.app import ReaderApp
from reader.cli import main
from reader.widgets.article_list import ArticleList
from reader.widgets.reading_pane import ReadingPane
from tests.waits import paste, settle


def test_a_named_project_folder_starts_empty_and_says_it_was_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "myproject"
    store, article_id = launch.prepare(project, None)
    assert (store.library.ids(), article_id) == ([], None)
    assert capsys.readouterr().err == f"reader: made a new workspace at {project} (empty)\n"


def test_the_users_own_workspace_gets_the_samples_on_its_first_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "data" / "reader"
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setattr(corpus.workspace, "user_workspace_root", lambda: own)
    store, _ = launch.prepare(None, None)
    assert store.workspace.root == own
    assert sorted(store.library.ids()) == sorted(a.id for a in sample_articles())
    assert capsys.readouterr().err == (
        f"reader: made a new workspace at {own} (with the sample articles)\n"
    )
    launch.prepare(None, None)  # the second run: nothing to say
    assert capsys.readouterr().err == ""


def test_a_command_on_a_mistyped_workspace_says_it_made_one(tmp_path: Path) -> None:
    typo = tmp_path / "projcet"
    result = CliRunner().invoke(main, ["-w", str(typo), "list"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == f"reader: made a new workspace at {typo} (empty)\n"
    again = CliRunner().invoke(main, ["-w", str(typo), "list"], catch_exceptions=False)
    assert again.stderr == ""


async def test_an_empty_workspace_says_what_to_do(ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(ws))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        hint = str(app.screen.query_one("#empty-workspace", Static).render())
        assert "Press i to import" in hint
        assert f"reader samples -w {ws.root}" in hint


async def test_the_hint_goes_when_an_article_is_imported(ws: Workspace, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Picket Notes\n\nThe union met on Monday.\n", encoding="utf-8")
    app = ReaderApp(AnnotationStore(ws))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await paste(pilot, str(source))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ReadingPane).article_id == "picket-notes"
        assert not app.screen.query("#empty-workspace")


async def test_the_first_run_starts_with_the_keyboard_in_the_reading_pane(
    sample_ws: Workspace,
) -> None:
    """No article was open before, so the newest one opens: its pane has the keyboard, and
    a motion moves at once (U27 of the findings: `g } v` did nothing in the list)."""
    app = ReaderApp(AnnotationStore(sample_ws))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert isinstance(app.focused, ReadingPane)
        await pilot.press("right_curly_bracket")
        assert pane.cursor > 0
        assert not isinstance(app.focused, ArticleList)


def test_reader_samples_fills_a_project_folder_when_asked(tmp_path: Path) -> None:
    project = tmp_path / "myproject"
    result = CliRunner().invoke(main, ["-w", str(project), "samples"], catch_exceptions=False)
    assert result.exit_code == 0
    assert (
        result.stderr == f"reader: made a new workspace at {project} (with the sample articles)\n"
    )
    assert len(Library(Workspace(project)).ids()) == len(sample_articles())
