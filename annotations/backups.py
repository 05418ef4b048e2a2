"""Rolling backups of the annotation data: ``backups/annotations-<UTC time>.tar.gz``.

:func:`maybe_backup` runs when the store opens and writes a new archive only when the newest is
older than :data:`INTERVAL`, so the many short command-line runs of a working day cost a
``stat``. The last :data:`KEEP` archives are kept. Articles are plain files a person keeps
under git; the annotations are the data only reader holds, so they are what is archived.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

from corpus.workspace import Workspace

log = logging.getLogger(__name__)

INTERVAL = 3600.0  # seconds between backups
KEEP = 10
PREFIX = "annotations-"


def backups(workspace: Workspace) -> list[Path]:
    """The archives, oldest first."""
    folder = workspace.root / "backups"
    try:
        names = sorted(
            n for n in os.listdir(folder) if n.startswith(PREFIX) and n.endswith(".tar.gz")
        )
    except FileNotFoundError:
        return []
    return [folder / n for n in names]


def make_backup(workspace: Workspace, keep: int = KEEP) -> Path:
    """Archive ``annotations/`` now (written to a temporary name, then renamed), and delete
    all but the newest ``keep`` archives. Callers hold the workspace lock, so that no write is
    under way, and so that ``reader doctor`` can take a ``.partial`` file it finds under the
    lock for a leftover of a killed backup."""
    import tarfile  # only when a backup is due: it is not needed to start

    folder = workspace.root / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{PREFIX}{stamp}.tar.gz"
    partial = folder / f".{target.name}.partial"
    with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
        source = workspace.annotations_dir
        for path in sorted(source.rglob("*.json")):
            if not path.name.startswith("."):
                archive.add(path, arcname=str(path.relative_to(workspace.root)))
    os.replace(partial, target)
    for old in backups(workspace)[:-keep]:
        old.unlink(missing_ok=True)
    return target


def maybe_backup(workspace: Workspace, interval: float = INTERVAL) -> Path | None:
    """A backup if the newest is older than ``interval`` seconds (or there is none); never
    raises: a failed backup is logged and must not stop the user's work."""
    if not workspace.workspace_db.exists():
        return None
    existing = backups(workspace)
    if existing and time.time() - existing[-1].stat().st_mtime < interval:
        return None
    try:
        return make_backup(workspace)
    except OSError as exc:
        log.warning("%s: backup failed (%s)", workspace.root / "backups", exc.strerror or exc)
        return None
