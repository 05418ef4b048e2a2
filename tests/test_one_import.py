"""``reader import``, ``reader PATH`` and the app's ``i`` import through one function
(:func:`annotations.article_import.import_articles`), so they refuse, update and report alike."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.message import Message
from textual.notifications import Notify

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader import launch
from reader.app import ReaderApp
from reader.cli import main
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from tests.waits import paste

ROOT = Path(__file__).resolve().parent.parent
STORY = "# Story\n\nThe studios wanted scans. Actors said no.\n\nThe strike went on.\n"
REVISED = "# Story\n\nThe studios wanted scans. Actors said no, again.\n\nThe strike went on.\n"


def _truncated(path: Path) -> None:
    path.write_text('{"highlights": {"1": ', encoding="utf-8")


def _a_folder(path: Path) -> None:
    path.unlink()
    path.mkdir()  # unreadable as a file even to root


def _no_permission(path: Path) -> None:
    path.chmod(0)


class Broken:
    """A workspace with one imported article whose highlights file cannot be read (by default
    it does not parse), and whose source file has since been revised."""

    def __init__(self, tmp_path: Path, spoil: Callable[[Path], None] = _truncated) -> None:
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
        spoil(self.highlights)
        self.source.write_text(REVISED, encoding="utf-8")
        self.before = self.files()
        self.guarded = self.article_and_highlights()

    def article_and_highlights(self) -> tuple[bytes | None, bytes | None, list[str]]:
        """What a refused update must leave as it was: the article file, the highlights file
        and the article backups (none made)."""
        backups = self.ws.article_backups_dir
        return (
            self.ws.article_file(self.article_id).read_bytes(),
            _bytes(self.highlights),
            sorted(p.name for p in backups.rglob("*")) if backups.exists() else [],
        )

    def files(self) -> dict[str, bytes | None]:
        return {
            str(p.relative_to(self.ws.root)): _bytes(p)
            for p in sorted(self.ws.root.rglob("*"))
            if p.is_file() and p != self.ws.lock_file
        } | {"highlights is a folder": str(self.highlights.is_dir()).encode()}


def _bytes(path: Path) -> bytes | None:
    """The file's bytes; ``None`` for a folder, or a file this test may not read."""
    try:
        return path.read_bytes()
    except OSError:
        return None


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


def _refused_by_reader_import(broken: Broken) -> str:
    result = CliRunner().invoke(main, ["-w", str(broken.ws.root), "import", str(broken.source)])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: "), line
    return line.removeprefix("Error: ")


def _refused_by_reader_path(broken: Broken) -> str:
    """``reader -w WS PATH``, the command as it is run: through the start-up module."""
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
    assert line.startswith("Error: "), line
    return line.removeprefix("Error: ")


def test_the_reader_path_command_refuses_it_too(broken: Broken) -> None:
    line = _refused_by_reader_path(broken)
    assert line.startswith(f"{broken.source}: not updated, its highlights cannot be read")
    assert broken.files() == broken.before


def test_reader_import_refuses_it_in_the_same_words(broken: Broken) -> None:
    line = _refused_by_reader_import(broken)
    assert line.startswith(f"{broken.source}: not updated, its highlights cannot be read")
    assert broken.files() == broken.before


UNREADABLE = [
    pytest.param(_truncated, id="does-not-parse"),
    pytest.param(_a_folder, id="a-folder"),
    pytest.param(
        _no_permission,
        id="chmod-000",
        marks=pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file"),
    ),
]


async def _refused_by_the_app(broken: Broken) -> str:
    """The app's ``i``, the path typed into the import dialog; the app shows another article."""
    store = AnnotationStore(broken.ws)
    other = store.library.add(
        Article(id="", title="Other", body="Nothing to do with the story.\n")
    ).article.id
    seen: list[Message] = []
    app = ReaderApp(store, other)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await paste(pilot, str(broken.source))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    shown = [m.notification for m in seen if isinstance(m, Notify)]
    (refusal,) = [n for n in shown if n.title == "Not imported"]
    assert refusal.severity == "error"
    return refusal.message


@pytest.mark.parametrize("spoil", UNREADABLE)
async def test_all_three_entry_points_refuse_an_unreadable_highlights_file_alike(
    tmp_path: Path, spoil: Callable[[Path], None]
) -> None:
    """``reader import``, ``reader PATH`` and the app's ``i`` run one import: the same check
    before any write, the same one-line refusal, the article and its highlights untouched."""
    broken = Broken(tmp_path, spoil)
    refusals = {"reader import": _refused_by_reader_import(broken)}
    assert broken.article_and_highlights() == broken.guarded
    refusals["reader PATH"] = _refused_by_reader_path(broken)
    assert broken.article_and_highlights() == broken.guarded
    refusals["the app's i"] = await _refused_by_the_app(broken)
    assert broken.article_and_highlights() == broken.guarded
    assert len(set(refusals.values())) == 1, refusals
    line = refusals["reader import"]
    assert line.startswith(f"{broken.source}: not updated, its highlights cannot be read: ")
    assert str(broken.highlights) in line and "\n" not in line


def test_reader_path_imports_a_whole_folder_as_reader_import_does(tmp_path: Path) -> None:
    """``reader FOLDER`` imported the folder's first article and stopped; the rest were left
    out without a word. Now every item is imported, and the first article opens."""
    folder = tmp_path / "stories"
    folder.mkdir()
    for n in (1, 2, 3):
        (folder / f"s{n}.md").write_text(f"# Story {n}\n\nText number {n}.\n", encoding="utf-8")
    store, opened = launch.prepare(tmp_path / "ws", str(folder))
    imported = sorted(i for i in store.library.ids() if i.startswith("story-"))
    assert imported == ["story-1", "story-2", "story-3"]
    assert opened == "story-1"


def test_reader_path_names_a_failure_in_a_folder_after_importing_the_rest(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a.md").write_text("# Story\n\nText.\n", encoding="utf-8")
    for name in ("b.txt", "c.txt"):
        (folder / name).write_bytes(b"\x00\x01 not text")
    with pytest.raises(launch.LaunchError) as refused:
        launch.prepare(tmp_path / "ws", str(folder))
    assert str(refused.value).startswith(f"{folder / 'b.txt'}: ")
    assert str(refused.value).endswith("; 1 other item not imported either")
    assert "story" in AnnotationStore(Workspace(tmp_path / "ws")).library.ids()


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
        await pilot.press("i")
        await paste(pilot, str(long_story))
        await pilot.press("enter")
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
