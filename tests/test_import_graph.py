"""No import cycle runs through reader's start-up modules (``startup``, ``cli``, ``launch``,
``app``): each of them can be imported, and understood, without the ones that come after it.

The graph is built from the source (ast), with the imports inside functions as well as at the
top of a module, since a function-level import closes a cycle the moment it runs; an import
only for type checking (``if TYPE_CHECKING:``) runs never and is left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
START_UP = ("reader.startup", "reader.cli", "reader.launch", "reader.app")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def run_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node of ``tree`` but those under ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def imports(source: str, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The modules of ``known`` that ``module``'s source imports, anywhere in it."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in run_time_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            found.add(origin)
            # ``from reader import launch`` imports the module reader.launch
            found.update(f"{origin}.{alias.name}" for alias in node.names)
    return (found & known) - {module}


def import_graph(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` and the modules of ``package`` it imports."""
    paths = {module_name(p): p for p in (ROOT / package).rglob("*.py")}
    known = set(paths)
    return {
        name: imports(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", known)
        for name, path in paths.items()
    }


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A shortest chain of imports from ``start`` back to itself, or ``None``."""
    paths = {start: [start]}
    todo = [start]
    while todo:
        following: list[str] = []
        for node in todo:
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    return [*paths[node], start]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        todo = following
    return None


@pytest.mark.parametrize("module", START_UP)
def test_no_import_cycle_runs_through_start_up(module: str) -> None:
    cycle = cycle_through(import_graph("reader"), module)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph("reader")
    assert {"reader.startup", "reader.screens.main", "reader.gc_policy"} <= set(graph)
    assert "reader.launch" in graph["reader.cli"]  # from reader import launch
    assert "reader.app" in graph["reader.launch"]  # inside a function
    assert "reader.gc_policy" in graph["reader.screens.main"]  # inside a method
    known = {"reader.a", "reader.b", "reader.c"}
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import reader.a\n"
    source += "else:\n    from . import b\ndef f():\n    from .c import x\n"
    assert imports(source, "reader.z", False, known) == {"reader.b", "reader.c"}


def test_a_cycle_is_found_and_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycle_through(graph, "a") == ["a", "b", "c", "a"]
    assert cycle_through(graph, "d") is None
