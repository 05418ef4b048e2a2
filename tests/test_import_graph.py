"""No import cycle runs through reader's start-up modules (``startup``, ``cli``, ``launch``,
``app``): each of them can be imported, and understood, without the ones that come after it.

The graph is built from the source (ast), with the imports inside functions as well as at the
top of a module, since a function-level import closes a cycle the moment it runs; an import
only for type checking (``if TYPE_CHECKING:``) runs never and is left out.
"""

from __future__ import annotations

import pytest

from tests.import_scan import cycle_through, import_graph, imported_modules

START_UP = ("reader.startup", "reader.cli", "reader.launch", "reader.app")


@pytest.mark.parametrize("module", START_UP)
def test_no_import_cycle_runs_through_start_up(module: str) -> None:
    cycle = cycle_through(import_graph("reader", type_checking=False), module)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph("reader", type_checking=False)
    assert {"reader.startup", "reader.screens.main", "reader.gc_policy"} <= set(graph)
    assert "reader.launch" in graph["reader.cli"]  # from reader import launch
    assert "reader.app" in graph["reader.launch"]  # inside a function
    assert "reader.gc_policy" in graph["reader.screens.main"]  # inside a method
    known = {"reader.a", "reader.b", "reader.c"}
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import reader.a\n"
    source += "else:\n    from . import b\ndef f():\n    from .c import x\n"
    found = imported_modules(source, "reader", type_checking=False)
    assert found & known == {"reader.b", "reader.c"}


def test_a_cycle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycle_through(graph, "a") == ["a", "b", "c", "a"]
    assert cycle_through(graph, "d") is None
