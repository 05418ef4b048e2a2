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
from textual.css.stylesheet import Stylesheet
from textual.notifications import Notification
from textual.screen import Screen
from textual.strip import Strip


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


class _SharedParseCache:
    """Stands in for a ``Stylesheet``'s own cache of parsed CSS (``Stylesheet._parse_cache``, an
    ``LRUCache`` of 64 sources keyed by source text and origin), shared by every stylesheet given
    one in this process.

    An app's stylesheet holds about 90 sources (reader.tcss and each widget class's
    ``DEFAULT_CSS``), so its own cache of 64 dropped sources it parsed a moment ago, and each
    app parsed every source again: about a tenth of the CPU an app spends starting, paid again
    by each of the hundreds of apps the tests start in one process. Parsed rules depend on the
    stylesheet's variables (the theme's colours) too, which Textual's own key leaves out
    because it empties the cache when they change; here they are part of the key, so emptying
    is not needed (and would empty it for every app)."""

    def __init__(self) -> None:
        self._rules: dict[tuple[object, ...], object] = {}
        self._variables: dict[str, str] | None = None  # the last variables seen, and their key
        self._variables_key: tuple[tuple[str, str], ...] = ()

    def _key(self, stylesheet: Any, key: tuple[object, ...]) -> tuple[object, ...]:
        variables = stylesheet._variables
        if variables is not self._variables:
            self._variables, self._variables_key = variables, tuple(sorted(variables.items()))
        return (self._variables_key, *key)

    def get(self, stylesheet: Any, key: tuple[object, ...]) -> object:
        return self._rules[self._key(stylesheet, key)]

    def put(self, stylesheet: Any, key: tuple[object, ...], rules: object) -> None:
        if len(self._rules) >= 4096:  # a bound for a long-lived process that keeps changing theme
            self._rules.clear()
        self._rules[self._key(stylesheet, key)] = rules


class _StylesheetParseCache:
    """One stylesheet's view of the shared cache: the three operations ``Stylesheet`` uses."""

    def __init__(self, shared: _SharedParseCache, stylesheet: Any) -> None:
        self._shared = shared
        self._stylesheet = stylesheet

    def __getitem__(self, key: tuple[object, ...]) -> object:
        return self._shared.get(self._stylesheet, key)

    def __setitem__(self, key: tuple[object, ...], rules: object) -> None:
        self._shared.put(self._stylesheet, key, rules)

    def clear(self) -> None:
        """The variables changed (``Stylesheet.set_variables``): they are part of the key."""


_PARSED_CSS = _SharedParseCache()


def share_parsed_css(stylesheet: Stylesheet) -> None:
    """Let ``stylesheet`` (an app's) keep what it parses, and find what other stylesheets of
    this process parsed with the same variables (see ``_SharedParseCache``). A stylesheet
    Textual makes afresh (``Stylesheet.reparse``, after a screen's own ``CSS`` or a new theme)
    keeps its own."""
    stylesheet._parse_cache = _StylesheetParseCache(_PARSED_CSS, stylesheet)  # type: ignore[assignment]
