"""Backups of article texts: ``backups/articles/<id>-<UTC time>.md``.

An import that rewrites an article (a new version of the same file or URL) and a restore copy
the article file as it was, byte for byte, into ``backups/articles/`` first; only then is the
new text written. The newest :data:`KEEP` backups of each article are kept. ``reader doctor
--backups`` lists them and ``reader doctor --restore`` puts one back
(:func:`annotations.article_import.restore_article`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.fsutil import atomic_write_bytes
from corpus.workspace import Workspace

KEEP = 10  # per article, as many as the rolling annotation backups
_NAME = re.compile(r"^(?P<id>.+)-(?P<stamp>\d{8}T\d{12}Z)\.md$")


@dataclass(frozen=True)
class ArticleBackup:
    """One backed-up article file."""

    path: Path
    article_id: str
    stamp: str  # UTC, as in the name: 20261206T151904123456Z

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def time(self) -> str:
        """When the backup was made, ISO 8601 in UTC to the second."""
        parsed = dt.datetime.strptime(self.stamp, "%Y%m%dT%H%M%S%fZ")
        return parsed.replace(microsecond=0).isoformat() + "Z"


def article_backups(workspace: Workspace, article_id: str | None = None) -> list[ArticleBackup]:
    """The backups (of one article, or of all), oldest first."""
    try:
        names = os.listdir(workspace.article_backups_dir)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for name in names:
        match = _NAME.match(name)
        if match and (article_id is None or match.group("id") == article_id):
            path = workspace.article_backups_dir / name
            found.append(ArticleBackup(path, match.group("id"), match.group("stamp")))
    return sorted(found, key=lambda b: (b.stamp, b.article_id))


def back_up_article(workspace: Workspace, article_id: str, keep: int = KEEP) -> Path | None:
    """Copy an article's file into the backups (``None`` when it has no file), then delete
    all but its newest ``keep`` backups. Raises ``OSError`` if the copy cannot be written: the
    caller must then leave the article as it is."""
    try:
        data = workspace.article_file(article_id).read_bytes()
    except FileNotFoundError:
        return None
    folder = workspace.article_backups_dir
    folder.mkdir(parents=True, exist_ok=True)
    while True:  # a name of its own: an earlier backup is never written over
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{article_id}-{stamp}.md"
        if not target.exists():
            break
    atomic_write_bytes(target, data)
    for old in article_backups(workspace, article_id)[:-keep]:
        old.path.unlink(missing_ok=True)
    return target
