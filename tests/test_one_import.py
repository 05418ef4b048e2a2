"""``reader import``, ``reader PATH`` and the app's ``i`` import through one function
(:func:`annotations.article_import.import_articles`), so they refuse, update and report alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader import launch
from reader.app import ReaderApp
from reader.cli import main
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown

ROOT = Path(__file__).resolve().parent.parent
STORY = "# Story\n\nThe studios wanted scans. Actors said no.\n\nThe strike went on.\n"
REVISED = "# Story\n\nThe studios wanted scans. Actors said no, again.\n\nThe strike went on.\n"


class Broken:
    """A workspace with one imported article whose highlights file does not parse, and whose
    source file has since been revised."""

    def __init__(self, tmp_path: Path) -> None:
        self.source = tmp_path / "story.md"
        self.source.write_text(STORY, encoding="utf-8")
        self.ws = Workspace(tmp_path / "ws")
        result = CliRunner().invoke(main, ["-w", str(self.ws.root), "import", str(self.source)])
        assert result.exit_code == 0, result.output
        store = AnnotationStore(self.ws)
        (self.article_id,) = store.library.ids()
        text = store.library.display(self.article_id).text
        start = text.index("Actors said no")
        store.add_highlight(self.article_id, start, start + len("Actors said no"))
        self.highlights = self.ws.highlights_db(self.article_id)
        self.highlights.write_text('{"highlights": {"1": ', encoding="utf-8")  # truncated
        self.source.write_text(REVISED, encoding="utf-8")
        self.before = self.files()

    def files(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.ws.root)): p.read_bytes()
            for p in sorted(self.ws.root.rglob("*"))
            if p.is_file() and p != self.ws.lock_file
        }


@pytest.fixture
def broken(tmp_path: Path) -> Broken:
    return Broken(tmp_path)


def test_reader_path_refuses_to_update_an_article_whose_highlights_cannot_be_read(
    broken: Broken,
) -> None:
    with pytest.raises(launch.LaunchError) as refused:
        launch.prepare(broken.ws.root, str(broken.source))
    message = str(refused.value)
    assert "\n" not in message
    assert "not updated, its highlights cannot be read" in message
    assert str(broken.highlights) in message
    assert broken.files() == broken.before


def test_the_reader_path_command_refuses_it_too(broken: Broken) -> None:
    command = [sys.executable, "-c", "from reader.startup import main; main()"]
    done = subprocess.run(
        [*command, "-w", str(broken.ws.root), str(broken.source)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"Error: {broken.source}: not updated, its highlights cannot be read")
    assert broken.files() == broken.before


def test_reader_import_refuses_it_in_the_same_words(broken: Broken) -> None:
    result = CliRunner().invoke(main, ["-w", str(broken.ws.root), "import", str(broken.source)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {broken.source}: not updated, its highlights cannot be read")
    assert broken.files() == broken.before


async def test_the_app_shows_what_was_kept(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.ensure()
    long_story = tmp_path / "long.md"
    long_story.write_text(
        "# Long story\n\n" + "A sentence about the strike and the studios. " * 40 + "\n",
        encoding="utf-8",
    )
    store = AnnotationStore(ws)
    (first,) = [o for o in _import(store, long_story)]
    article = store.library.get(first)
    long_story.write_text("# Long story\n\nA sentence about the strike.\n", encoding="utf-8")
    app = ReaderApp(store, first)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i", *str(long_story), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in notifications_shown(app)]
        assert any(m.startswith(f"kept {first}: Long story (") for m in messages), messages
        assert any("1 kept" in m for m in messages), messages
        assert isinstance(app.screen, MainScreen)
    assert store.library.get(first).body == article.body


def _import(store: AnnotationStore, path: Path) -> list[str]:
    from annotations.article_import import import_articles

    return [o.article.id for o in import_articles(store, [str(path)]) if o.article]
