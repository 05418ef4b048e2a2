"""The command palette reaches every key of the main screen by name (U16): filter, delete, the
motions, the mark; and it has one "Keys" entry, which opens the help screen."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.article_filter import FilterDialog
from reader.dialogs.help import HelpScreen
from reader.screens.main import MainScreen
from reader.widgets.reading_pane import ReadingPane
from tests.waits import settle, type_text


def _titles(app: ReaderApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def _run_from_palette(pilot: Pilot[Any], typed: str) -> None:
    """Open the palette, type ``typed`` and run the best match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, typed)
    await settle(pilot)  # the palette's search runs in a worker
    await pilot.press("enter")
    await settle(pilot)


def test_every_binding_has_a_palette_name() -> None:
    """A key added to the main screen, the reading pane or the sidebar needs a palette name
    (reader.palette.COMMANDS), or a reason why another command already runs it."""
    from reader.palette import COMMANDS, SAME_AS_ANOTHER, bindings

    unnamed = [
        (target, binding.action)
        for target, binding in bindings(list(MainScreen.BINDINGS))
        if (target, binding.action) not in COMMANDS
        and (target, binding.action) not in SAME_AS_ANOTHER
    ]
    assert unnamed == []
    titles = [title for title, _ in COMMANDS.values()]
    assert len(titles) == len(set(titles))


async def test_the_palette_names_filter_delete_motions_and_marks(
    ws: Workspace, article: Article
) -> None:
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = _titles(app)
        for word in ("filter", "delete", "next sentence", "previous paragraph", "mark"):
            assert any(word in title.lower() for title in titles), word
        assert titles.count("Keys") == 1


async def test_palette_commands_do_what_their_keys_do(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    text = store.library.display(article.id).text
    start = text.index("picket line")
    store.add_highlight(article.id, start, start + len("picket line"))
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        pane.move_to(0)
        await _run_from_palette(pilot, "next sentence")
        assert pane.cursor > 0
        pane.move_to(start + 2)
        await _run_from_palette(pilot, "delete highlight")
        assert AnnotationStore(ws).highlights(article.id) == []
        await _run_from_palette(pilot, "filter articles")
        assert isinstance(app.screen, FilterDialog)
        await pilot.press("escape")
        await pilot.pause()
        await _run_from_palette(pilot, "keys")
        assert isinstance(app.screen, HelpScreen)
