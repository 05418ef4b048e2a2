"""Tab completion of a typed path, as a shell does it: the longest common prefix of the
entries that start with what was typed, a ``/`` after a folder, ``~`` read as the home folder.

Textual-free; the import and export dialogs' path fields (:mod:`reader.widgets.path_field`)
call :func:`complete` on tab.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Completion:
    """``text``: what the field should hold (``typed`` itself when nothing can be added);
    ``matches``: the entries that fit, when there are several (folders end in ``/``)."""

    text: str
    matches: tuple[str, ...] = ()


def complete(typed: str, cwd: Path | None = None) -> Completion:
    """Complete ``typed``, a path being typed, relative to ``cwd`` (default the current
    folder). The typed text is kept as typed (``~/Doc`` gives ``~/Documents/``); URLs and
    folders that cannot be listed are left alone. Hidden entries are offered only when the
    typed name starts with a dot."""
    if "://" in typed:
        return Completion(typed)
    folder_part, _, prefix = typed.rpartition("/")
    if "/" in typed:
        folder_part += "/"
    folder = Path(os.path.expanduser(folder_part or "."))
    if cwd is not None and not folder.is_absolute():
        folder = cwd / folder
    if typed == "~":  # the home folder itself: its "/" is all there is to add
        return Completion("~/" if Path.home().is_dir() else typed)
    try:
        entries = [
            entry.name + ("/" if _is_dir(entry) else "")
            for entry in os.scandir(folder)
            if entry.name.startswith(prefix) and (prefix.startswith(".") or entry.name[0] != ".")
        ]
    except OSError:
        return Completion(typed)
    if not entries:
        return Completion(typed)
    entries.sort()
    text = folder_part + _common_prefix(entries[0], entries[-1])
    return Completion(text, tuple(entries) if len(entries) > 1 else ())


def _common_prefix(first: str, last: str) -> str:
    """The characters that the first and the last of sorted names (so all of them) begin
    with: names, not path components, are completed."""
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder, a link to one included (as a shell completes it)."""
    try:
        return entry.is_dir()
    except OSError:
        return False
