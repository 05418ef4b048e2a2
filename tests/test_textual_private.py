"""reader against Textual's own names: the private state it reads (``reader/textual_private.py``)
is still there with the type it expects, no widget of ours hides a Textual method under an
attribute, and every message of ours is a dataclass."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
import textwrap
from typing import Any

import pytest
import textual
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import Notifications
from textual.widgets import Static

import reader
from annotations.store import AnnotationStore
from corpus.article import Article
from reader.app import ReaderApp
from reader.textual_private import (
    in_batch_update,
    notifications_shown,
    screen_strips,
    share_parsed_css,
    unhandled_exception,
)
from tests.waits import until


def assert_private(owner: object, name: str, expected: type | tuple[type, ...]) -> None:
    """``owner.name`` exists and is an ``expected``: else a line naming what Textual changed."""
    where = f"{type(owner).__name__}.{name} (Textual {textual.__version__})"
    assert hasattr(owner, name), f"{where} is gone: reader/textual_private.py reads it"
    value = getattr(owner, name)
    assert isinstance(value, expected), (
        f"{where} is now {type(value).__name__}, not {expected}: reader/textual_private.py reads it"
    )


async def test_the_private_state_reader_reads_is_there(
    store: AnnotationStore, article: Article
) -> None:
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert_private(app, "_batch_count", int)
        assert_private(app, "_notifications", Notifications)
        assert_private(app, "_exception", (type(None), BaseException))
        assert_private(app.screen, "_compositor", Compositor)

        # Start-up may still be in a batch: switching to the app's mode delays updates for
        # 50 ms (App.delay_update), which one pause does not outlast on a loaded machine.
        await until(pilot, lambda: not in_batch_update(app), "the start-up batch to end")
        with app.batch_update():
            assert in_batch_update(app)
            with app.batch_update():
                assert in_batch_update(app)
            assert in_batch_update(app)
        assert not in_batch_update(app)

        app.notify("a toast to find")
        await pilot.pause()
        assert "a toast to find" in [n.message for n in notifications_shown(app)]

        strips = screen_strips(app.screen)
        assert len(strips) == 30
        assert article.title in "\n".join(strip.text for strip in strips)
        assert unhandled_exception(app) is None


async def test_an_app_started_after_another_parses_no_css(
    store: AnnotationStore, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each app used to parse reader.tcss and every widget's DEFAULT_CSS again (about 200
    # parses); a Textual that no longer keeps its parsed CSS in Stylesheet._parse_cache, where
    # share_parsed_css puts the shared cache, parses them again here.
    parsed: list[str] = []
    parse = textual_stylesheet.parse

    def counted(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counted)
    for _ in range(2):
        parsed.clear()
        app = ReaderApp(store, article.id)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert len(app.stylesheet.rules) > 100
    assert parsed == []


def test_css_is_shared_only_between_stylesheets_with_the_same_variables() -> None:
    def color_rule(colour: str) -> Any:
        stylesheet = Stylesheet(variables={"test-colour": colour})
        share_parsed_css(stylesheet)
        stylesheet.add_source("Static { color: $test-colour; }", read_from=("test", "shared"))
        (rule,) = stylesheet.rules
        return rule

    red, blue, red_again = color_rule("red"), color_rule("blue"), color_rule("red")
    assert red.styles.color != blue.styles.color
    assert red_again is red  # parsed once


class Failing(App[None]):
    """An app whose screen's first handler raises."""

    def compose(self) -> ComposeResult:
        yield Static("x")

    def on_mount(self) -> None:
        raise RuntimeError("a handler failed")


async def test_unhandled_exception_is_the_error_that_ended_the_app() -> None:
    app = Failing()
    with pytest.raises(RuntimeError, match="a handler failed"):
        async with app.run_test():
            pass
    error = unhandled_exception(app)
    assert isinstance(error, RuntimeError) and str(error) == "a handler failed"


def reader_modules() -> list[Any]:
    """Every module of the ``reader`` package, imported."""
    modules = [reader]
    for info in pkgutil.walk_packages(reader.__path__, prefix="reader."):
        modules.append(importlib.import_module(info.name))
    return modules


def defined_here(module: Any, base: type) -> list[type]:
    """The subclasses of ``base`` defined in ``module``, nested ones included."""
    found: list[type] = []
    todo = [v for v in vars(module).values() if inspect.isclass(v)]
    while todo:
        cls = todo.pop()
        if cls.__module__ != module.__name__ or cls in found:
            continue
        if issubclass(cls, base):
            found.append(cls)
        todo.extend(v for v in vars(cls).values() if inspect.isclass(v))
    return found


def attributes_set(cls: type) -> set[str]:
    """The names ``cls``'s own methods assign on ``self`` (``self.name = ...``); not those of
    a class nested in it (a widget's messages)."""
    # Dedented, so that a nested class (a widget's message) parses on its own.
    (node,) = ast.parse(textwrap.dedent(inspect.getsource(cls))).body
    names: set[str] = set()
    todo: list[ast.AST] = list(ast.iter_child_nodes(node))
    while todo:
        child = todo.pop()
        if isinstance(child, ast.ClassDef):
            continue
        if (
            isinstance(child, ast.Attribute)
            and isinstance(child.ctx, ast.Store)
            and isinstance(child.value, ast.Name)
            and child.value.id == "self"
        ):
            names.add(child.attr)
        todo.extend(ast.iter_child_nodes(child))
    return names


def textual_method(cls: type, name: str) -> str | None:
    """The Textual class that defines ``name`` as a method, if one of ``cls``'s bases does."""
    for base in cls.__mro__:
        if base.__module__.split(".")[0] != "textual" or name not in vars(base):
            continue
        value = vars(base)[name]
        if isinstance(value, staticmethod | classmethod) or inspect.isfunction(value):
            return f"{base.__module__}.{base.__qualname__}.{name}"
    return None


def textual_state(cls: type) -> set[str]:
    """The attributes Textual's own ``__init__`` gives an instance of ``cls``'s nearest
    Textual base (``_layout_cache``, ``_dirty_regions``, ...)."""
    base = next(b for b in cls.__mro__ if b.__module__.split(".")[0] == "textual")
    return set(vars(base()))


def test_no_widget_hides_a_textual_method_or_overwrites_its_state() -> None:
    # ReadingPane.anchor once held the selection's other end: Widget.anchor() (keep scrolled
    # to the end) was then an int on the pane, for Textual or anyone else calling it.
    hidden = [
        f"{cls.__module__}.{cls.__qualname__}.{name} hides {method}"
        for module in reader_modules()
        for cls in defined_here(module, DOMNode)
        for name in sorted(attributes_set(cls))
        if (method := textual_method(cls, name)) is not None
    ]
    assert hidden == []
    overwritten = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for module in reader_modules()
        for cls in defined_here(module, DOMNode)
        for name in sorted(attributes_set(cls) & textual_state(cls))
    ]
    assert overwritten == []


def test_the_scan_sees_the_widgets() -> None:
    widgets = {cls.__qualname__ for m in reader_modules() for cls in defined_here(m, DOMNode)}
    assert {"ReadingPane", "ArticleList", "MainScreen", "ReaderApp", "FindBar"} <= widgets
    from reader.widgets.reading_pane import ReadingPane

    assert {"cursor", "selection_anchor", "display_text"} <= attributes_set(ReadingPane)
    assert "pane" not in attributes_set(ReadingPane)  # its messages' field
    assert {"_layout_cache", "_dirty_regions"} <= textual_state(ReadingPane)


def test_every_message_is_a_dataclass() -> None:
    messages = [cls for module in reader_modules() for cls in defined_here(module, Message)]
    assert len(messages) >= 15
    plain = [
        f"{c.__module__}.{c.__qualname__}" for c in messages if not dataclasses.is_dataclass(c)
    ]
    assert plain == []
