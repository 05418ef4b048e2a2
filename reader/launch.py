"""Opening the app: ``reader``, ``reader PATH`` and ``reader open``, without click.

The command line (:mod:`reader.cli`) parses every command with click; this module holds what
opening the app does once the arguments are known, so that :mod:`reader.startup` can open the
app without importing click or the other commands when the arguments only name a workspace
and an article (:func:`reader.command_line.read_command_line` says when). Both ways run
:func:`prepare` and :func:`run`, so they report the same one-line errors.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.terminal_safe import terminal_safe
from corpus.workspace import Workspace


class LaunchError(Exception):
    """The app cannot open: one line naming the file or item and the reason."""


def os_error(exc: OSError | ArticleFormatError) -> str:
    """One line for a file-system error: the file it concerns and why."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    return str(exc)


def open_store(workspace: Workspace, *, announce: bool = True) -> AnnotationStore:
    """The workspace's store, or :class:`LaunchError` saying why it cannot be opened. A
    workspace that is not there yet is made, and (with ``announce``) one line on stderr says
    so: a mistyped ``--workspace`` shows at once instead of starting an empty project."""
    from reader.coders import current_coder

    new = not workspace.exists()
    try:
        store = AnnotationStore(workspace, coder=current_coder())
    except StoreError as exc:
        raise LaunchError(str(exc)) from None
    except OSError as exc:
        raise LaunchError(f"{workspace.root}: not a usable workspace ({os_error(exc)})") from None
    if new and announce:
        announce_new_workspace(workspace)
    return store


def announce_new_workspace(workspace: Workspace, *, samples: bool = False) -> None:
    """The one line that says a workspace was made: where, and with what in it."""
    what = "with the sample articles" if samples else "empty"
    line = f"reader: made a new workspace at {workspace.root} ({what})"
    print(terminal_safe(line), file=sys.stderr)


def is_users_workspace(workspace: Workspace) -> bool:
    """Whether ``workspace`` is the user's own one in the user data directory, the only one
    the sample corpus goes into unasked."""
    from corpus.workspace import user_workspace_root

    return workspace.root == Workspace.resolve(user_workspace_root()).root


def prepare(workspace: str | Path | None, path: str | None) -> tuple[AnnotationStore, str | None]:
    """Open the workspace and, with ``path`` (a file, URL or folder to import, or an article
    id), find the article to show. A new workspace is announced on stderr; the user's own one
    in the user data directory gets the sample corpus on its first run, and a project folder
    named by ``--workspace`` or ``READER_WORKSPACE`` starts empty (``reader samples`` fills
    it). Raises :class:`LaunchError`."""
    ws = Workspace.resolve(workspace)
    first_run = not ws.exists()
    store = open_store(ws, announce=False)
    if first_run:
        samples = is_users_workspace(ws)
        if samples:
            from corpus.sample_corpus import install_samples

            install_samples(store.library)
        announce_new_workspace(ws, samples=samples)
    article_id = None
    if path:
        if path in store.library and not Path(path).exists():
            article_id = path
        elif _names_nothing(path):
            raise LaunchError(f"{path}: no article or file of that name")
        else:
            article_id = _import(store, path)
    return store, article_id


def _import(store: AnnotationStore, path: str) -> str | None:
    """Import ``path`` as ``reader import`` does (every article of a folder or feed, with the
    same checks, through the one import); the id of its first article, to open. A failure is
    the :class:`LaunchError` that ``reader import`` would print for it, after the other items
    are imported."""
    from annotations.article_import import import_articles

    outcomes = list(import_articles(store, [path]))
    failed = [outcome.line() for outcome in outcomes if outcome.failed]
    if failed:
        others = len(failed) - 1
        more = f"; {others} other item{'s' if others > 1 else ''} not imported either"
        raise LaunchError(failed[0] + (more if others else ""))
    return next((o.article.id for o in outcomes if o.article is not None), None)


def _names_nothing(path: str) -> bool:
    """Whether ``path``, which is not an article id, reads as one (a bare word: no folder, no
    file type, no URL scheme) and names no file either: then it is neither, and saying "no
    such file" would be only half the answer."""
    if os.path.lexists(path) or os.sep in path or Path(path).suffix:
        return False
    from corpus.sources import url_scheme

    return url_scheme(path) is None


class SafeFormatter(logging.Formatter):
    """Log lines quote file names, ids and titles: shown, never obeyed by the terminal that
    shows them (:func:`corpus.terminal_safe.terminal_safe`; tracebacks keep their lines)."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal_safe(super().format(record), multiline=True)


# The packages whose log lines are ours to show: each logs under its module's name.
_OUR_LOGGERS = ("reader", "corpus", "annotations")


def ours(record: logging.LogRecord) -> bool:
    """Whether a log line comes from reader's own code. A library's lines (trafilatura says
    "lxml parsing failed" and three more for an empty page) are its working notes, not ours
    to show: the one line that says what failed is the command's own."""
    return record.name.split(".", 1)[0] in _OUR_LOGGERS


def log_to_stderr() -> None:
    """How every ``reader`` command logs until the app takes the terminal: warnings and
    errors of reader's own code (:func:`ours`), one line each, on stderr."""
    handler = logging.StreamHandler()
    handler.addFilter(ours)
    handler.setFormatter(SafeFormatter("reader: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])


def run(store: AnnotationStore, article_id: str | None) -> None:
    """Run the app until the user quits."""
    from reader.app import ReaderApp

    _log_to_file(store.workspace)
    ReaderApp(store, article_id=article_id).run()


def _log_to_file(ws: Workspace) -> None:
    """While the app has the terminal, log to ``.cache/reader.log``: a line on stderr would be
    drawn over the screen."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    try:
        ws.cache_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(
            ws.cache_dir / "reader.log", encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()  # a read-only workspace: the app shows errors itself
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
