"""Where the user's settings file is (:mod:`reader.settings` reads and writes it).

A module of its own, importing neither TOML nor dataclasses, so that ``reader --help``
(reader/help_page.py), which names the file, imports only what finding it takes.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "READER_CONFIG"


def config_path() -> Path:
    """Where the settings are: ``READER_CONFIG``, else the user config directory's
    ``config.toml``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # ~15 ms to import: only when no file is named

    return Path(platformdirs.user_config_dir("reader", appauthor=False)) / "config.toml"
