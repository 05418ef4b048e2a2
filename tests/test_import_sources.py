"""What an import item is: folders that do not lead outside themselves, URLs in any case,
unsupported schemes named as such, names that cannot break an error line, and an article id
or file that is not there (findings R-D17, U-D18)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from corpus.workspace import Workspace
from reader import launch
from reader.cli import main
from tests.web_server import PAGES_DIR, TestServer


def reader(ws: Path, *args: str) -> Result:
    Workspace(ws).ensure()  # one that is there: a new one adds its own line on stderr
    return CliRunner().invoke(main, ["--workspace", str(ws), *args])


@pytest.fixture(autouse=True)
def _app_never_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: object) -> None:
        raise AssertionError("the app was started")

    monkeypatch.setattr("reader.app.ReaderApp.run", run)


def test_a_folder_import_skips_links_that_leave_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    (folder / "nested").mkdir(parents=True)
    (folder / "note.md").write_text("# A note\n\nKept in the folder.\n")
    (folder / "nested" / "alias.md").symlink_to(folder / "note.md")  # inside: fine
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n\nNot in the folder.\n")
    (folder / "secret.md").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)  # not followed
    ws = tmp_path / "ws"

    result = reader(ws, "import", str(folder))

    assert result.exit_code == 1
    assert sorted(result.stdout.splitlines()) == ["imported a-note: A note", "unchanged a-note"]
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    for name, target in (("passwd.txt", "/etc/passwd"), ("secret.md", str(secret))):
        (line,) = [e for e in errors if f"/{name}:" in e]
        assert line == (f"Error: {folder / name}: a link to {target}, outside {folder}; skipped"), (
            line
        )
    assert [p.name for p in (ws / "articles").iterdir()] == ["a-note.md"]


def test_http_in_capitals_is_a_url(tmp_path: Path, web_server: TestServer) -> None:
    url = web_server.url("/same-canonical/1").replace("http://", "HTTP://")
    result = reader(tmp_path / "ws", "import", url)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("imported page-1-the-harbour-ferry-timetable: ")


@pytest.mark.parametrize(
    ("source", "scheme"),
    [
        ("file:///etc/passwd", "file"),
        ("FTP://example.org/a.txt", "ftp"),
        ("data:text/html,<p>hello</p>", "data"),
        ("javascript:alert(1)", "javascript"),
    ],
)
@pytest.mark.parametrize("command", ["import", "open"])
def test_other_url_schemes_are_named_unsupported(
    tmp_path: Path, command: str, source: str, scheme: str
) -> None:
    result = reader(tmp_path / "ws", command, source)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.endswith(f"{source}: unsupported URL scheme '{scheme}' (only http and https)")


def test_a_name_with_a_newline_stays_on_one_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "two\nlines.md").write_bytes(b"")  # empty: refused
    (folder / "esc\x1b[31m.md").write_bytes(b"")
    result = reader(tmp_path / "ws", "import", str(folder))
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2, errors
    # Shown as every line of the command line is (corpus/terminal_safe.py), never obeyed.
    assert any(f"{folder}/two␤lines.md: " in e for e in errors), errors
    assert any(f"{folder}/esc\ufffd[31m.md: " in e for e in errors), errors
    assert "\x1b" not in result.stderr


def test_an_unknown_article_id_is_neither_article_nor_file(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    with pytest.raises(launch.LaunchError) as refused:
        launch.prepare(ws.root, "no-such-id")
    assert str(refused.value) == "no-such-id: no article or file of that name"
    result = reader(ws.root, "open", "no-such-id")
    assert result.exit_code == 1
    assert result.stderr == "Error: no-such-id: no article or file of that name\n"


def test_a_file_given_by_a_link_to_outside_is_still_imported(tmp_path: Path) -> None:
    """Only folders are kept to themselves: a link named on the command line is the user's."""
    link = tmp_path / "page.html"
    os.symlink(PAGES_DIR / "01-wordpress.html", link)
    result = reader(tmp_path / "ws", "import", str(link))
    assert result.exit_code == 0, result.output
