"""No control character from content reaches the terminal from the command line (reliability
findings D4): titles, authors, sites, tags, descriptions, notes and file names with escape
sequences (OSC 0 window title, OSC 52 clipboard, OSC 8 link, CSI), BEL, C1 controls, bidi
overrides and zero-width characters are shown, never sent, by every command."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.article import Article
from tests.hostile import ROOT, invoke

PAYLOAD = (
    "\x1b]0;PWNED-TITLE\x07 \x1b]52;c;UFdORUQtQ0xJUA==\x07 \x1b[31mRED\x1b[0m "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b2J \x9d0;C1-TITLE\x9c "
    "\x1b[2J\x1bc \u202egnp.exe \u2066iso\u2069 a\u200bb"
)
NOTE = f"note {PAYLOAD}\nsecond line \x1b]0;NOTE-PWN\x07"
TAGS = ["tag\u202eflip", "a\u200b"]  # control characters are refused in tags; these are not
ARTICLE = "hostile"


def unsafe(text: str) -> list[str]:
    """Characters a terminal obeys or that hide: controls but the line break, C1, bidi and
    zero-width format characters."""
    return [
        ch
        for ch in text
        if (unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n") or ch in "\u2028\u2029"
    ]


def assert_clean(*outputs: str) -> None:
    for output in outputs:
        assert unsafe(output) == [], output


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace whose every field a command prints carries the payload."""
    root = tmp_path / "ws"
    from corpus.workspace import Workspace

    workspace = Workspace(root)
    with AnnotationStore(workspace) as store:
        store.library.save(
            Article(
                ARTICLE,
                f"Evil {PAYLOAD}",
                "First paragraph about faces.\n\nSecond paragraph about faces and unions.\n",
                author=f"Author {PAYLOAD}",
                site=f"Site {PAYLOAD}",
            )
        )
        text = store.library.display(ARTICLE).text
        start = text.index("Second paragraph")
        store.add_highlight(ARTICLE, start, start + 16, tags=TAGS, note=NOTE)
        store.update_tag(TAGS[0], description=f"described {PAYLOAD}")
    return root


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def run(ws: Path, *args: str) -> tuple[str, str]:
    result = invoke(ws, *args)
    return result.stdout, result.stderr


def test_the_payload_is_stored_as_given(ws: Path) -> None:
    """Content is kept as it was written; only what shows it changes it."""
    from corpus.workspace import Workspace

    with AnnotationStore(Workspace(ws)) as store:
        assert store.library.get(ARTICLE).title == f"Evil {PAYLOAD}"
        (highlight,) = store.highlights(ARTICLE)
        assert highlight.note == NOTE and highlight.tags == TAGS


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--tag", TAGS[0]],
        ["search", "faces"],
        ["search", "--notes", "note"],
        ["search", "--notes", "PWNED"],
        ["tags"],
        ["tags", "list"],
        ["doctor"],
        ["code", "unions", "--tag", f"new{PAYLOAD[:9]}", "--yes"],
        ["tags", "rename", TAGS[1], "b\u200b"],
        ["tags", "describe", TAGS[0], "plain now"],
        ["annotate", ARTICLE, "--quote", "First", "--note", NOTE, "--tag", TAGS[1]],
    ],
    ids=lambda args: " ".join(a.split("\x1b")[0] for a in args),
)
def test_every_line_a_command_prints_is_clean(ws: Path, args: list[str]) -> None:
    out, err = run(ws, *args)
    assert out or err
    assert_clean(out, err)


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--json"],
        ["search", "faces", "--json"],
        ["search", "--notes", "note", "--json"],
        ["tags", "list", "--json"],
    ],
)
def test_json_output_is_clean_and_keeps_the_data(ws: Path, args: list[str]) -> None:
    out, err = run(ws, *args)
    assert_clean(out, err)
    data = [json.loads(line) for line in out.splitlines()] if "search" in args else json.loads(out)
    assert any(PAYLOAD in text for text in strings(data))  # all there, written as \u escapes


def test_the_lines_of_an_import_are_clean(ws: Path, tmp_path: Path) -> None:
    source = tmp_path / "evil.md"
    source.write_text(
        f"---\ntitle: {json.dumps('Imported ' + PAYLOAD)}\n---\n\nA body about imports.\n"
    )
    bad = tmp_path / "bad \x1b]0;FILE-PWN\x07 name.md"
    bad.write_bytes(b"")
    result = invoke(ws, "import", str(source), str(bad))
    assert result.exit_code == 1
    assert result.stdout.startswith("imported ")
    assert "FILE-PWN" in result.stderr
    assert_clean(result.stdout, result.stderr)


def test_error_lines_are_clean(ws: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing \x1b]0;ERR-PWN\x07 \u202e.json"
    (tmp_path / "a file").write_text("a file where a folder would be")
    for args in (
        ["import-annotations", str(missing)],
        ["annotate", ARTICLE, "--quote", f"not there {PAYLOAD}"],
        ["tags", "rename", "no such tag", f"x{PAYLOAD}"],
        ["export", "-o", str(tmp_path / "a file" / "x\x1b]0;OUT\x07.json")],
        ["search", "--regex", f"[{PAYLOAD}"],
    ):
        out, err = run(ws, *args)
        assert err.startswith("Error: "), (args, err)
        assert_clean(out, err)


def test_doctor_names_files_cleanly(ws: Path) -> None:
    (ws / "articles" / "bad\x1b]0;DOC-PWN\x07.md").write_text("# x\n")
    (ws / "annotations" / "highlights" / "gone.json").write_text("{nope")
    out, err = run(ws, "doctor")
    assert "DOC-PWN" in err and "gone.json" in err
    assert_clean(out, err)


def test_log_lines_are_clean(ws: Path) -> None:
    """Warnings logged on stderr (an unreadable article while searching) quote file names."""
    (ws / "articles" / "broken.md").write_text("---\ntitle: [\x1b]0;LOG-PWN\x07\n---\n")
    done = subprocess.run(
        [sys.executable, "-c", CLI, "--workspace", str(ws), "search", "faces"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert "broken.md" in done.stderr
    assert_clean(done.stdout, done.stderr)


# -- a real terminal --------------------------------------------------------------------------
CLI = "import sys; from reader.cli import main; sys.argv[0] = 'reader'; main()"


def in_a_terminal(*args: str) -> bytes:
    """Run ``reader ARGS`` with its stdout and stderr on a pseudo-terminal; what it wrote."""
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-c", CLI, *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"},
    )
    os.close(follower)
    output = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        elif child.poll() is not None:
            break
    child.wait(timeout=10)
    os.close(leader)
    return output


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["search", "faces"],
        ["export", "--format", "markdown"],
        ["export"],
        ["export", "--format", "csv"],
    ],
)
def test_in_a_real_terminal(ws: Path, args: list[str]) -> None:
    """On a terminal, ``search`` puts its own bold around the match (and only that), and an
    export is shown like every other output (in a file or a pipe it is data, byte for byte)."""
    output = in_a_terminal("--workspace", str(ws), *args).decode("utf-8")
    sequences = re.findall(r"\x1b\[[0-9;]*[A-Za-z]", output)
    assert all(seq.endswith("m") for seq in sequences), sequences  # colours, nothing else
    assert_clean(re.sub(r"\x1b\[[0-9;]*m", "", output).replace("\r", ""))
    assert "PWNED-TITLE" in output or "faces" in output


def test_an_export_into_a_pipe_is_the_data_byte_for_byte(ws: Path, tmp_path: Path) -> None:
    written = tmp_path / "export.csv"  # csv: no export time in it
    assert invoke(ws, "export", "--format", "csv", "-o", str(written)).exit_code == 0
    piped = subprocess.run(
        [sys.executable, "-c", CLI, "--workspace", str(ws), "export", "--format", "csv"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert piped.stdout == written.read_bytes()
    assert b"\x1b]0;NOTE-PWN\x07" in piped.stdout


def test_the_app_s_own_start_up_error_line_is_clean(tmp_path: Path) -> None:
    """``reader -w W`` opens the app without click (reader/startup.py): its error line too."""
    where = tmp_path / "ws \x1b]0;START-PWN\x07 \u202e"
    where.write_text("a file where the workspace folder would be")
    code = "import sys; from reader.startup import main; sys.argv[0] = 'reader'; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "-w", str(where)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "START-PWN" in done.stderr and done.stderr.count("\n") == 1
    assert_clean(done.stdout, done.stderr)
