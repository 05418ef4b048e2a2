"""What the app does differently in a browser (``reader serve``): an export is also handed to
the browser as a download, since the person reading may not be on the machine that holds the
workspace's ``exports/`` folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App


def offer_download(app: App[Any], path: Path | None) -> None:
    """In a browser, send the file just written at ``path`` as a download, and say so; in a
    terminal (the file is already where the toast says), nothing."""
    if path is None or not app.is_web:
        return
    app.deliver_binary(path)
    app.notify(f"Sent {path.name} to the browser as a download.", timeout=6)
