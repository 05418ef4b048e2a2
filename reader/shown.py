"""Text from files (titles, tags, notes, file names) as widgets show it.

:func:`corpus.terminal_safe.terminal_safe` makes it safe for the terminal; wrapping it in
``Content`` keeps a widget from reading it as markup, as a plain ``str`` would be read by a
``Label``, a ``Static`` or an ``OptionList`` (``[@click=app.quit]`` in a title would be an
action, ``[/]`` an error).
"""

from __future__ import annotations

from textual.content import Content

from corpus.terminal_safe import terminal_safe


def safe_content(text: str, multiline: bool = False) -> Content:
    """``text`` as plain, terminal-safe content (one line unless ``multiline``)."""
    return Content(terminal_safe(text, multiline))
