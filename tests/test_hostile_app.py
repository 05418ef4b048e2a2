"""Hostile and broken input in the app, driven with key presses (Pilot): a broken file or a
full disk is a notification naming the file, and not one byte of the workspace changes.

Time is frozen and a recent backup exists, so that opening the app rewrites the reading state
with the same bytes and takes no new backup: any difference is a change the failure made.
A broken workspace.json cannot reach the app (the store does not open: ``reader open`` says why,
tests/test_hostile_input.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.notifications import Notification
from textual.widgets import TextArea

from annotations.backups import make_backup
from annotations.store import AnnotationStore
from corpus.article import Article
from reader.app import ReaderApp
from reader.textual_private import notifications_shown
from tests.hostile import Setup, build, fail_writes, snapshot
from tests.waits import until

FROZEN = "2026-01-02T03:04:05Z"


@pytest.fixture
def s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    monkeypatch.setattr("annotations.store.now_iso", lambda: FROZEN)
    setup = build(tmp_path)
    with AnnotationStore(setup.ws) as store:
        store.library.save(Article("other", "Other", "Another article with the union in it.\n"))
        text = store.library.display("other").text
        store.add_highlight("other", text.index("union"), text.index("union") + 5)
    make_backup(setup.ws)
    return setup


async def run_app(
    s: Setup,
    *keys: str,
    first: Callable[[], None] | None = None,
    source: Path | None = None,
    error_naming: str | Path | None = None,
) -> list[Notification]:
    """Open the app on the article, call ``first()``, press ``keys`` (``i`` opens the import
    dialog, given ``source``), wait for the workers (and, given ``error_naming``, for an error
    naming it: a loaded machine may show it a frame later); returns the notifications."""
    store = AnnotationStore(s.ws)
    app = ReaderApp(store, s.article_id)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            if first is not None:
                first()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                if key == "i" and source is not None:  # typed at once: spaces and accents
                    app.screen.query_one("#import-source", TextArea).text = str(source)
            await app.workers.wait_for_complete()
            await pilot.pause()
            if error_naming is not None:
                needle = str(error_naming)
                await until(
                    pilot,
                    lambda: any(
                        n.severity == "error" and needle in n.message
                        for n in notifications_shown(app)
                    ),
                    f"an error naming {needle}",
                )
            return notifications_shown(app)
    finally:
        store.close()


def assert_notified(notes: list[Notification], needle: str | Path) -> None:
    errors = [n for n in notes if n.severity == "error"]
    assert any(str(needle) in n.message for n in errors), [n.message for n in notes]
    assert all("\n" not in n.message for n in errors)


# -- broken files -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("whose", "content"),
    [
        ("open", b'{"highlights": {"1": {"note": "no id, no quote, no offsets"}}}'),
        ("open", b"{garbage"),
        ("open", b""),
        ("open", b"[1, 2, 3]"),
        ("open", bytes(range(256))),
        ("other", b"{garbage"),
    ],
)
async def test_a_broken_highlights_file(s: Setup, whose: str, content: bytes) -> None:
    path = s.highlights_file if whose == "open" else s.ws.highlights_db("other")
    path.write_bytes(content)
    before = snapshot(s.root)
    assert_notified(await run_app(s, error_naming=path), path)
    assert snapshot(s.root) == before


@pytest.mark.parametrize(
    ("whose", "content"),
    [
        ("open", b"---\ntitle: [unclosed\n---\n\nHello world.\n"),
        ("open", b"---\ntitle: x\n---\n\nHello \xff world.\n"),
        ("other", b"---\ntitle: [unclosed\n---\n\nText.\n"),
    ],
)
async def test_a_broken_article_file(s: Setup, whose: str, content: bytes) -> None:
    path = s.article_file if whose == "open" else s.ws.article_file("other")
    path.write_bytes(content)
    before = snapshot(s.root)
    assert_notified(await run_app(s), path)
    assert snapshot(s.root) == before


# -- a full disk while annotating, importing and exporting -------------------------------------
FULL_DISK_KEYS = {
    "highlight a sentence": ("s", "a"),
    "tag a sentence": ("s", "t", *"fresh", "enter"),
    "tag a highlight": ("right_square_bracket", "t", *"fresh", "enter"),
    "note on a highlight": ("right_square_bracket", "c", *"more", "ctrl+s"),
    "delete a highlight": ("right_square_bracket", "d"),
    "import an article": ("i", "enter"),
    "export": ("e", "enter"),
}


@pytest.mark.parametrize("action", list(FULL_DISK_KEYS))
async def test_a_full_disk(s: Setup, action: str, monkeypatch: pytest.MonkeyPatch) -> None:
    new = s.outside("néw ärticle.md")
    new.write_text("# New\n\nSome new text to import.\n")
    written = {
        "tag a sentence": s.ws.workspace_db,
        "tag a highlight": s.ws.workspace_db,
        "import an article": new,
        "export": s.ws.root / "exports" / "annotations.json",
    }.get(action, s.highlights_file)
    before = snapshot(s.root)
    notes = await run_app(
        s, *FULL_DISK_KEYS[action], first=lambda: fail_writes(monkeypatch), source=new
    )
    assert_notified(notes, written)
    assert any("No space left on device" in n.message for n in notes)
    assert snapshot(s.root) == before


# -- bad files through the import dialog ----------------------------------------------------------
def _big(path: Path) -> None:
    with open(path, "wb") as out:
        out.truncate(50_000_000)


BAD_IMPORTS: dict[str, Callable[[Path], object]] = {
    "empty.md": lambda p: p.write_bytes(b""),
    "binary.html": lambda p: p.write_bytes(bytes(range(256)) * 16),
    "50 MB.html": _big,
    "bad yaml.md": lambda p: p.write_bytes(b"---\ntitle: [x\n---\n\nBody.\n"),
    "an empty folder": lambda p: p.mkdir(),
    "missing.txt": lambda p: None,
}


@pytest.mark.parametrize("name", list(BAD_IMPORTS))
async def test_bad_files_in_the_import_dialog(s: Setup, name: str) -> None:
    source = s.outside(f"bäd {name}")
    BAD_IMPORTS[name](source)
    before = snapshot(s.root)
    assert_notified(await run_app(s, "i", "enter", source=source), source)
    assert snapshot(s.root) == before


async def test_importing_a_changed_article_whose_highlights_are_broken(s: Setup) -> None:
    s.highlights_file.write_bytes(b"{garbage")
    s.source.write_text(s.source.read_text() + "\nOne more paragraph.\n")
    before = snapshot(s.root)
    assert_notified(await run_app(s, "i", "enter", source=s.source), s.highlights_file)
    assert snapshot(s.root) == before
