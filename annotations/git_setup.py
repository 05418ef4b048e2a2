"""Putting a workspace under git so that a team can share it: the merge driver for the
annotation files, and what git should not carry.

``reader init-git`` runs :func:`init_git`: it makes the workspace a git repository if it is not
inside one, tells git (in ``.gitattributes``, shared with the team through the repository) that
the annotation files merge with the ``reader`` driver, registers that driver in this clone's
git config (each clone runs ``reader init-git`` once: git never takes a command to run from a
repository), and writes a ``.gitignore`` for what is one person's (the lock, the crash journal,
caches, backups). Running it again changes nothing.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from annotations.storage import StoreError
from corpus.workspace import Workspace

DRIVER = "reader"
ATTRIBUTES = "annotations/**/*.json merge=reader"
IGNORED = (
    ".cache/",
    "backups/",
    "annotations/.lock",
    "annotations/.undo-journal.json",
    "annotations/*.undo.tmp",
    "annotations/history.json",
    "annotations/history/",
)


@dataclass
class GitSetup:
    """What :func:`init_git` did, as lines for a person."""

    done: list[str] = field(default_factory=list)


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise StoreError("git: not found; install git to share a workspace") from None
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise StoreError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}")
    return done.stdout.strip()


def _add_lines(path: Path, lines: tuple[str, ...] | list[str]) -> bool:
    """Add the lines ``path`` lacks, keeping what is there; whether anything was added."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    have = set(text.splitlines())
    missing = [line for line in lines if line not in have]
    if not missing:
        return False
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + "".join(f"{line}\n" for line in missing), encoding="utf-8")
    return True


def init_git(workspace: Workspace, reader_command: str) -> GitSetup:
    """Set the workspace up for sharing through git (see the module's docstring);
    ``reader_command`` is how git should run reader (the path of this ``reader``)."""
    setup = GitSetup()
    root = workspace.root
    try:
        _git(root, "rev-parse", "--show-toplevel")
    except StoreError:
        _git(root, "init", "-q")
        setup.done.append(f"{root}: made a git repository")
    if _add_lines(root / ".gitattributes", [ATTRIBUTES]):
        setup.done.append(f"{root / '.gitattributes'}: annotation files merge with reader")
    if _add_lines(root / ".gitignore", IGNORED):
        setup.done.append(
            f"{root / '.gitignore'}: caches, backups, the lock and the undo history stay out"
        )
    driver = f"{shlex.quote(reader_command)} merge-driver %O %A %B %P"
    _git(root, "config", f"merge.{DRIVER}.name", "reader: merge annotations by highlight id")
    _git(root, "config", f"merge.{DRIVER}.driver", driver)
    setup.done.append(f"git config merge.{DRIVER}.driver: {driver}")
    return setup
