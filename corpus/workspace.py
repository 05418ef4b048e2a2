"""Where a workspace lives and what is in it: the one module that owns paths.

A workspace is a plain folder a person can read and put under git::

    <workspace>/
        articles/<id>.md              one article per file, YAML front matter + Markdown
        annotations/workspace.json    tags, reading state, schema version (TinyDB)
        annotations/highlights/<id>.json
                                      the highlights of one article (TinyDB)
        annotations/.lock             advisory lock taken around every write
        annotations/history.json      the undo and redo history (the last 100 changes)
        annotations/history/<sha1>.json
                                      one large step of that history (a big rename)
        .cache/display/<id>.json      rendered display text of long articles (rebuildable)
        backups/articles/<id>-<time>.md
                                      an article's text as it was before an import replaced it
        trash/<id>--<time>/           a deleted article: its file, its highlights, its state

The default is the user data directory for ``reader`` (platformdirs); ``READER_WORKSPACE``
overrides it, and the ``--workspace`` option of every command overrides both.
Nothing here touches the disk until a method is called.

Every path made from an article id goes through :meth:`Workspace.article_file`,
:meth:`Workspace.highlights_db` or :meth:`Workspace.display_cache`, and they refuse an id that
is not of the form :func:`check_id` allows, so no id, wherever it came from (an annotations
file, a command-line argument, a hand-edited ``workspace.json``), names a file outside the
workspace.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "READER_WORKSPACE"
MAX_ID_LENGTH = 128
# The article ids the workspace makes are slugs of titles (corpus.article.slugify: lower-case
# ASCII letters and digits joined by "-", at most 60 characters, then "-2", "-3"... for a
# repeated title). Files named by hand are read too, so capitals, "_" and "." are allowed as
# well. Nothing else is: no "/" or "\\", no leading "." or "-" (so
# neither ".." nor a hidden or temporary file, nor an option), no space, no control character.
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_ID_LENGTH - 1}}}")


ID_RULE = f"1 to {MAX_ID_LENGTH} ASCII letters, digits, '-', '_' or '.', first a letter or digit"


class InvalidId(ValueError):
    """An id that cannot be one (an article id that could name a file elsewhere, say);
    ``str()`` is one line quoting (the start of) the id and saying what an id is."""

    def __init__(self, value: object, kind: str = "article id", rule: str = ID_RULE) -> None:
        super().__init__(value, kind, rule)
        self.value, self.kind, self.rule = value, kind, rule

    def __str__(self) -> str:
        return f"{quote_id(self.value)} is not a valid {self.kind} ({self.rule})"


def quote_id(value: object) -> str:
    """An id (or any value from a file) as error messages quote it: ``repr`` (which escapes
    control characters), cut after 40 characters so a 5,000-character id still makes one
    short line."""
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:40]!r}…"
    quoted = repr(value)
    return quoted if len(quoted) <= 42 else quoted[:41] + "…"


def is_valid_id(value: object) -> bool:
    """Whether ``value`` can be an article id (see :func:`check_id`)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def check_id(value: object, kind: str = "article id") -> str:
    """``value`` if it can be an article id: 1 to 128 ASCII letters, digits, ``-``, ``_`` or
    ``.``, the first a letter or digit. Raises :class:`InvalidId` otherwise."""
    if not is_valid_id(value):
        raise InvalidId(value, kind)
    assert isinstance(value, str)
    return value


def default_workspace_root() -> Path:
    """The workspace used when neither ``--workspace`` nor ``READER_WORKSPACE`` is given."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return user_workspace_root()


def user_workspace_root() -> Path:
    """The user's own workspace in the user data directory: the one the sample corpus is
    installed in on the first run (a folder named by ``--workspace`` or ``READER_WORKSPACE``
    is a project's, which starts empty)."""
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
    def history_file(self) -> Path:
        return self.annotations_dir / "history.json"

    @property
    def history_dir(self) -> Path:
        """The undo history's large steps, a file each (annotations/history.py)."""
        return self.annotations_dir / "history"

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

    @property
    def trash_dir(self) -> Path:
        """Deleted articles, one folder each, until restored (``annotations/trash.py``)."""
        return self.root / "trash"

    def display_cache(self, article_id: str) -> Path:
        """Raises :class:`InvalidId` for an id that is not one (as the two below do)."""
        return self.cache_dir / "display" / f"{check_id(article_id)}.json"

    def article_file(self, article_id: str) -> Path:
        return self.articles_dir / f"{check_id(article_id)}.md"

    def highlights_db(self, article_id: str) -> Path:
        return self.highlights_dir / f"{check_id(article_id)}.json"

    def exists(self) -> bool:
        return self.articles_dir.is_dir()

    def ensure(self) -> None:
        """Create the folders of the workspace if they are missing."""
        for folder in (self.articles_dir, self.highlights_dir):
            folder.mkdir(parents=True, exist_ok=True)
