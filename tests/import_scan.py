"""Reading a package's imports from its source (ast), for the tests of its layering: the
core never imports the UI (``test_boundaries.py``), ``annotations/`` has no import cycle
(``test_one_writer.py``), and no cycle runs through reader's start-up (``test_import_graph.py``).

Every import counts wherever it is, inside a function as well as at the top of a module, since a
function-level import closes a cycle the moment it runs. An import under ``if TYPE_CHECKING:``
never runs: whether it counts is the caller's choice (a cycle through one still makes two
modules that cannot be understood apart).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    """``annotations/formats/w3c.py`` -> ``annotations.formats.w3c``."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _nodes(tree: ast.AST, *, type_checking: bool) -> Iterator[ast.AST]:
    """Every node of ``tree``, or every one but those under ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if (
            not type_checking
            and isinstance(node, ast.If)
            and "TYPE_CHECKING" in ast.unparse(node.test)
        ):
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _dynamic_import(node: ast.AST) -> str | None:
    """The module of ``importlib.import_module("x")`` or ``__import__("x")``."""
    if not (isinstance(node, ast.Call) and node.args):
        return None
    name = getattr(node.func, "attr", getattr(node.func, "id", ""))
    first = node.args[0]
    if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def imported_modules(source: str, package: str, *, type_checking: bool = True) -> set[str]:
    """Every module ``source`` imports, as absolute names. ``package`` resolves relative
    imports: the module's own package (the module itself for an ``__init__.py``).
    ``from annotations import store`` gives both ``annotations`` and ``annotations.store``."""
    found: set[str] = set()
    for node in _nodes(ast.parse(source), type_checking=type_checking):
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
            found.update(f"{origin}.{alias.name}" for alias in node.names)
        elif (module := _dynamic_import(node)) is not None:
            found.add(module)
    return found


def import_graph(package: str, *, type_checking: bool) -> dict[str, set[str]]:
    """Each module of ``package`` and the modules of ``package`` it imports."""
    paths = {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        own = name if path.name == "__init__.py" else name.rpartition(".")[0]
        source = path.read_text(encoding="utf-8")
        graph[name] = (imported_modules(source, own, type_checking=type_checking) & set(paths)) - {
            name
        }
    return graph


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


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph``, as the modules along it (the first repeated at the end)."""
    for start in sorted(graph):
        if (cycle := cycle_through(graph, start)) is not None:
            return cycle
    return None
