"""Helpers for the hostile-input tests: a workspace on awkward paths, byte snapshots of it,
the command line, and disks that are full or read-only."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import corpus.fsutil
from annotations.store import AnnotationStore
from corpus.importers import draft_from_file
from corpus.workspace import Workspace
from reader.cli import main

SOURCE_TEXT = (
    "# Strike Over Faces\n\nHello world. The union says it again.\n\n"
    "A second paragraph about faces and contracts.\n"
)


@dataclass
class Setup:
    """A workspace with one imported article, a tagged and noted highlight, reading state."""

    root: Path  # everything lives under here; the workspace is one folder of it
    ws: Workspace
    article_id: str
    source: Path  # the file the article was imported from (outside the workspace)

    @property
    def highlights_file(self) -> Path:
        return self.ws.highlights_db(self.article_id)

    @property
    def article_file(self) -> Path:
        return self.ws.article_file(self.article_id)

    def outside(self, name: str) -> Path:
        """A path outside the workspace, in a folder with a space and accents."""
        folder = self.root / "ïnputs and öutputs"
        folder.mkdir(exist_ok=True)
        return folder / name


def build(root: Path) -> Setup:
    """The standard workspace, under paths with spaces and non-ASCII letters."""
    source = root / "söurce files" / "my ärticle.md"
    source.parent.mkdir(parents=True)
    source.write_text(SOURCE_TEXT, encoding="utf-8")
    ws = Workspace(root / "wörk space ü")
    with AnnotationStore(ws) as store:
        article = store.library.add(draft_from_file(source)).article
        text = store.library.display(article.id).text
        start = text.index("Hello")
        store.add_highlight(article.id, start, start + 5, tags=["tägged"], note="a nöte")
        store.mark_opened(article.id)
    return Setup(root, ws, article.id, source)


def snapshot(root: Path) -> dict[str, str]:
    """The sha256 of every file under ``root`` (the lock file aside: taking it is no change)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != ".lock":
            found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def invoke(ws: Workspace | Path, *args: str) -> Result:
    root = ws.root if isinstance(ws, Workspace) else ws
    return CliRunner().invoke(main, ["--workspace", str(root), *args])


def assert_one_line_error(result: Result, needle: str | Path, *, stdout: bool = False) -> None:
    """Status 1, no traceback, one line on stderr naming ``needle``; nothing on stdout unless
    ``stdout`` (``reader list`` still lists the articles it can read)."""
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(needle) in lines[0], (str(needle), lines[0])
    if not stdout:
        assert result.stdout == ""


# -- a full disk ------------------------------------------------------------------------------
def fail_writes(monkeypatch: pytest.MonkeyPatch, after: int = 0) -> None:
    """Every durable write (``corpus.fsutil``) after the first ``after`` fails with ENOSPC.

    Only fsutil's ``os`` is replaced, not the process's: pytest, Textual and xdist keep writing.
    """
    allowed = [after]

    def write(fd: int, data: bytes | memoryview) -> int:
        if allowed[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        allowed[0] -= 1
        return os.write(fd, data)

    fake = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os)})
    fake.write = write
    monkeypatch.setattr(corpus.fsutil, "os", fake)


@contextmanager
def tmpfs(where: Path, size: str = "64k") -> Iterator[Path]:
    """A small tmpfs mounted at ``where``; skips the test when mounting is not permitted."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def remount_read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def fill(folder: Path) -> None:
    """Write until the file system holding ``folder`` is full."""
    try:
        with open(folder / "filler", "wb", buffering=0) as out:
            while True:
                out.write(b"x" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC


ROOT = Path(__file__).resolve().parent.parent
CLI = "import sys; from reader.cli import main; sys.argv[0] = 'reader'; main()"
PROBE = "import sys, pathlib; pathlib.Path(sys.argv[1], '.probe').write_bytes(b'')"


def run_cli_bound_by_permissions(
    ws: Workspace, *args: str, probe: Path
) -> subprocess.CompletedProcess[str]:
    """Run ``reader`` in a child process without CAP_DAC_OVERRIDE, so that permission bits bind
    even when the tests run as root; skips where that cannot be arranged (no ``setpriv``, or
    the child can still write into ``probe``)."""
    drop = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
    try:
        probed = subprocess.run(
            [*drop, sys.executable, "-c", PROBE, str(probe)], capture_output=True, check=False
        )
    except FileNotFoundError:
        pytest.skip("permission bits do not bind root, and setpriv is not installed")
    if probed.returncode == 0:
        (probe / ".probe").unlink()
        pytest.skip("permission bits do not bind here, even without CAP_DAC_OVERRIDE")
    return subprocess.run(
        [*drop, sys.executable, "-c", CLI, "--workspace", str(ws.root), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def writes_are_refused(folder: Path) -> bool:
    """True when creating a file in ``folder`` fails (root ignores permission bits)."""
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return True
    probe.unlink()
    return False
