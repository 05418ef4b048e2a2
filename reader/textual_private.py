"""The few things reader asks Textual that Textual answers only in private attributes.

Textual has no public way to ask these, so every read of its private state is here, one
function per question, and ``tests/test_textual_private.py`` checks each attribute on a
running app: when a Textual release renames or retypes one, that test names it, rather than the
app quietly reading a default (a pane that never runs its after-paint work) or a test failing
somewhere else with an ``AttributeError``.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets._footer import FooterKey


def footer_key(widget: Widget) -> FooterKey | None:
    """``widget`` as one key of a ``Footer`` (what ``Footer.compose`` yields for a binding:
    its ``key_display``, ``description`` and ``action``), or ``None`` for anything else.
    ``textual.widgets`` does not export ``FooterKey``."""
    return widget if isinstance(widget, FooterKey) else None


def preset_compact(key: FooterKey, compact: bool) -> None:
    """Give a footer key, before it is mounted, the ``compact`` value its footer will bind to it.

    ``FooterKey.compact`` defaults to True and its watcher runs when the key is mounted, so each
    key of a wide footer was given the ``-compact`` class and had it taken away again a moment
    later by its binding to the footer's value: two style updates per key, with 25-30 keys per
    footer and a footer composed again at each change of width or bindings, about a third of
    the CPU an app spends starting. Set beforehand, neither update happens (the binding then
    sets the same value, which changes no class). The palette key (``-command-palette``) is
    not bound to its footer's value and keeps its own."""
    if key.has_class("-command-palette"):
        return
    key.set_reactive(FooterKey.compact, compact)
    key.set_class(compact, "-compact", update=False)


def in_batch_update(app: App[Any]) -> bool:
    """Whether ``app`` is inside an update batch (``App.batch_update``, or the one Textual
    mounts the app in): a frame rendered now is not sent to the terminal (``App._display``
    returns early while ``App._batch_count`` is set)."""
    return app._batch_count > 0


def notifications_shown(app: App[Any]) -> list[Notification]:
    """The notifications (toasts) ``app`` has now, oldest first, expired ones left out."""
    return list(app._notifications)


def unhandled_exception(app: App[Any]) -> BaseException | None:
    """The error that ended ``app`` (its handlers raised it), or ``None``."""
    return app._exception


def screen_strips(screen: Screen[Any]) -> list[Strip]:
    """What Textual would send the terminal to draw ``screen`` now, one strip per row."""
    return screen._compositor.render_strips()
