"""A record of the wrong shape in workspace.json (reliability findings D10): one line naming the
file and the record, from every command and from the app, `reader doctor` reports it, nothing
writes over the file, and the app never crashes, also when the file goes bad while it runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.article import Article
from reader.app import ReaderApp
from reader.textual_private import notifications_shown, unhandled_exception
from tests.hostile import ROOT, Setup, assert_one_line_error, build, invoke, snapshot

# (table, record): each breaks one rule the store relies on.
MALFORMED = {
    "tag without a name": ("tags", {"nme": "x"}),
    "tag name a number": ("tags", {"name": 7, "color": "#ffffff"}),
    "tag colour not a colour": ("tags", {"name": "red", "color": "red"}),
    "tag description a list": ("tags", {"name": "d", "description": ["x"]}),
    "state without an article": ("state", {"position": 3, "read": True}),
    "state position text": ("state", {"article_id": "x", "position": "3"}),
    "state position negative": ("state", {"article_id": "x", "position": -1}),
    "state read a string": ("state", {"article_id": "x", "read": "yes"}),
    "last article a number": ("meta", {"key": "last_article", "value": 5}),
    "meta without a key": ("meta", {"value": 1}),
}


@pytest.fixture
def s(tmp_path: Path) -> Setup:
    return build(tmp_path)


@pytest.fixture(autouse=True)
def _app_never_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: object) -> None:
        raise AssertionError("the app was started")

    monkeypatch.setattr("reader.app.ReaderApp.run", run)


def add_record(s: Setup, table: str, record: dict[str, object]) -> None:
    data = json.loads(s.ws.workspace_db.read_text())
    data.setdefault(table, {})["99"] = record
    s.ws.workspace_db.write_text(json.dumps(data))


COMMANDS = {
    "list": ["list"],
    "export": ["export", "--format", "json"],
    "annotate --tag": ["annotate", "strike-over-faces", "--quote", "union", "--tag", "zz"],
    "annotate": ["annotate", "strike-over-faces", "--quote", "union"],
    "tags rename": ["tags", "rename", "tägged", "renamed"],
    "tags describe": ["tags", "describe", "tägged", "what it means"],
    "search --notes": ["search", "--notes", "nöte"],
    "open": ["open", "strike-over-faces"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("malformed", list(MALFORMED))
def test_every_command_refuses_in_one_line_and_writes_nothing(
    s: Setup, malformed: str, command: str
) -> None:
    add_record(s, *MALFORMED[malformed])
    before = snapshot(s.root)
    result = invoke(s.ws, *COMMANDS[command])
    assert_one_line_error(result, s.ws.workspace_db)
    assert "record 99" in result.stderr
    assert snapshot(s.root) == before


@pytest.mark.parametrize("malformed", list(MALFORMED))
def test_doctor_reports_it(s: Setup, malformed: str) -> None:
    add_record(s, *MALFORMED[malformed])
    before = snapshot(s.root)
    for args in (["doctor"], ["doctor", "--repair"]):
        result = invoke(s.ws, *args)
        assert result.exit_code == 1, result.output
        problems = [line for line in result.stderr.splitlines() if line.startswith("problem:")]
        assert len(problems) == 1, result.output
        assert str(s.ws.workspace_db) in problems[0] and "record 99" in problems[0]
    assert snapshot(s.root) == before


def test_the_app_started_from_the_command_line_says_why_it_does_not_open(s: Setup) -> None:
    """``reader -w W`` goes through reader/startup.py, not click: a real process, one line."""
    add_record(s, *MALFORMED["tag without a name"])
    before = snapshot(s.root)
    code = "import sys; from reader.startup import main; sys.argv[0] = 'reader'; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "-w", str(s.ws.root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{s.ws.workspace_db}: tags record 99: no name; left untouched" in done.stderr
    assert snapshot(s.root) == before


KEYS = {
    "tag": ["v", "w", "t"],
    "highlight and quit": ["v", "w", "a", "q"],
    "tag manager": ["T"],
    "statistics": ["percent_sign"],
    "filter": ["F"],
    "next article": ["tab", "shift+tab", "down", "enter"],
    "quit": ["q"],
}


@pytest.mark.parametrize("keys", list(KEYS))
async def test_the_app_keeps_running_when_the_file_goes_bad(s: Setup, keys: str) -> None:
    store = AnnotationStore(s.ws)
    store.library.add(Article("", "Another", "Another article about faces and unions.\n"))
    app = ReaderApp(store, s.article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        add_record(s, *MALFORMED["tag without a name"])
        broken = s.ws.workspace_db.read_bytes()
        for key in KEYS[keys]:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        errors = [n.message for n in notifications_shown(app) if n.severity == "error"]
    assert unhandled_exception(app) is None
    assert s.ws.workspace_db.read_bytes() == broken
    if keys not in ("quit", "next article"):
        assert any("workspace.json: tags record 99: no name" in e for e in errors), errors


@pytest.mark.parametrize("broken", ["malformed record", "not JSON", "lock is a folder"])
def test_screenshot_of_a_broken_workspace_is_one_line(
    s: Setup, broken: str, tmp_path: Path
) -> None:
    """``reader screenshot --no-demo`` opened the store inside the app: a traceback (D17)."""
    if broken == "malformed record":
        add_record(s, *MALFORMED["tag without a name"])
        culprit = s.ws.workspace_db
    elif broken == "not JSON":
        s.ws.workspace_db.write_text("{garbage")
        culprit = s.ws.workspace_db
    else:
        s.ws.lock_file.unlink(missing_ok=True)
        s.ws.lock_file.mkdir()
        culprit = s.ws.lock_file
    before = snapshot(s.root)
    output = tmp_path / "shot.svg"
    result = invoke(s.ws, "screenshot", "--no-demo", str(output))
    assert_one_line_error(result, culprit)
    assert not output.exists()
    assert snapshot(s.root) == before
