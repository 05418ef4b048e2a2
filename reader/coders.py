"""Who is coding: the name every highlight made in this process records as its ``coder``.

The first of these that is set wins: the ``--coder NAME`` option of ``reader``, the
``READER_CODER`` environment variable, ``coder = "NAME"`` in the config file
(:mod:`reader.settings`), else the login name. A team sets it once per person (the config
file) and overrides it for a session (``--coder``); an agreement study names each coder so.
"""

from __future__ import annotations

import getpass
import os

from annotations.model import clean_coder

ENV_VAR = "READER_CODER"

# What ``reader --coder NAME`` gave, for every store this process opens.
option: str | None = None


def current_coder() -> str:
    """The coder of this process (see the module's docstring) in its stored form; raises
    :class:`annotations.errors.StoreError` for a name that cannot be one."""
    from reader.settings import load

    for given in (option, os.environ.get(ENV_VAR)):
        if given is not None and given.strip():
            return clean_coder(given)
    configured = load().text("coder")
    if configured and configured.strip():
        return clean_coder(configured)
    try:
        return clean_coder(getpass.getuser())
    except Exception:  # no login name (a container without a passwd entry): no coder
        return ""
