"""What the reading pane's place shows in a workspace without articles: how to get some."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from reader.shown import safe_content


class EmptyWorkspace(Static):
    """Says how to import articles, or get the samples, into the workspace at ``root``; the
    main screen removes it when an article opens."""

    def __init__(self, root: Path) -> None:
        hint = (
            "No articles here yet.\n\n"
            "Press i to import a file, a folder, a URL or a feed "
            "(Markdown, text, HTML, RSS, Atom).\n\n"
            f"For the ten sample articles, run: reader samples -w {root}"
        )
        super().__init__(safe_content(hint, multiline=True), id="empty-workspace")
