"""``reader list --json`` answered before click and the store are imported, when the list's
output cache (:mod:`annotations.list_cache`) holds it for the workspace's files as they are now:
the whole process is then a directory scan, one read and one write (issue 22). Anything else
(other options, a workspace not made yet, a stale or missing cache, stdout that is not UTF-8)
is left to the click command, which prints the same bytes and writes the cache.
"""

from __future__ import annotations

import os
import sys

_ENV_VAR = "READER_WORKSPACE"  # corpus.workspace.ENV_VAR (tests/test_list_json.py checks)


def workspace_root(option: str | None) -> str:
    """``Workspace.resolve(option).root``, as a string, without importing pathlib's users."""
    chosen = option or os.environ.get(_ENV_VAR)
    if chosen:
        root = os.path.expanduser(chosen)
        if root.startswith("~"):  # no such user: Path.expanduser raises, click says so
            raise LookupError(root)
    else:
        import platformdirs

        root = platformdirs.user_data_dir("reader", appauthor=False)
    # Path.absolute(): joined to the working directory, not normalised (``a/..`` is kept).
    return root if os.path.isabs(root) else os.path.join(os.getcwd(), root)


def answer(option: str | None) -> bool:
    """Print ``reader list --json``'s output from the cache and say so, or print nothing and
    say it was not answered. ``option``: the workspace option's value, if it was given (the
    arguments are ``list --json`` and that option: :mod:`reader.command_line` says so)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if encoding != "utf8":  # click.echo would encode the text otherwise
        return False
    from annotations.list_cache import fingerprint, hand_on, load

    try:
        root = workspace_root(option)
    except LookupError:
        return False
    made_from = fingerprint(root)
    if made_from is None:
        return False
    body = load(root, made_from[0])
    if body is None:
        hand_on(root, made_from)  # to the click command, which writes the cache
        return False
    try:
        sys.stdout.flush()
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    except BrokenPipeError:  # as click does: no traceback for `reader list --json | head`
        sys.stdout = None  # nothing more to flush at exit
        sys.exit(1)
    return True
