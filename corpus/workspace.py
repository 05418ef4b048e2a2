"""Where a workspace lives and what is in it: the one module that owns paths.

A workspace is a plain folder a person can read and put under git::

    <workspace>/
        articles/<id>.md              one article per file, YAML front matter + Markdown
        annotations/workspace.json    tags, reading state, schema version (TinyDB)
        annotations/highlights/<id>.json
                                      the highlights of one article (TinyDB)
        annotations/.lock             advisory lock taken around every write
        .cache/display/<id>.json      rendered display text of long articles (rebuildable)
        backups/articles/<id>-<time>.md
                                      an article's text as it was before an import replaced it

The default is the user data directory for ``reader`` (platformdirs); ``READER_WORKSPACE``
overrides it, and the ``--workspace`` option of every command overrides both.
Nothing here touches the disk until a method is called.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "READER_WORKSPACE"


def default_workspace_root() -> Path:
    """The workspace used when neither ``--workspace`` nor ``READER_WORKSPACE`` is given."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # ~15 ms to import: only when no folder is named

    return Path(platformdirs.user_data_dir("reader", appauthor=False))


@dataclass(frozen=True)
class Workspace:
    """The paths of one workspace. Cheap to build; creates nothing until :meth:`ensure`."""

    root: Path

    @classmethod
    def resolve(cls, option: str | os.PathLike[str] | None = None) -> Workspace:
        """The workspace named by a command-line option, else the environment, else the default."""
        root = Path(option).expanduser() if option else default_workspace_root()
        return cls(root.absolute())

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def highlights_dir(self) -> Path:
        return self.annotations_dir / "highlights"

    @property
    def workspace_db(self) -> Path:
        return self.annotations_dir / "workspace.json"

    @property
    def lock_file(self) -> Path:
        return self.annotations_dir / ".lock"

    @property
    def cache_dir(self) -> Path:
        """Derived data that can always be rebuilt (rendered long articles)."""
        return self.root / ".cache"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def article_backups_dir(self) -> Path:
        """Article texts as they were before an import or a restore replaced them."""
        return self.backups_dir / "articles"

    def display_cache(self, article_id: str) -> Path:
        return self.cache_dir / "display" / f"{article_id}.json"

    def article_file(self, article_id: str) -> Path:
        return self.articles_dir / f"{article_id}.md"

    def highlights_db(self, article_id: str) -> Path:
        return self.highlights_dir / f"{article_id}.json"

    def exists(self) -> bool:
        return self.articles_dir.is_dir()

    def ensure(self) -> None:
        """Create the folders of the workspace if they are missing."""
        for folder in (self.articles_dir, self.highlights_dir):
            folder.mkdir(parents=True, exist_ok=True)
