"""One writer per file format: only the store's records module writes the annotation database,
and the modules of ``annotations/`` import one another without a cycle.

The highlights files (``annotations/highlights/<id>.json``) and ``workspace.json`` are TinyDB
databases whose shape :mod:`annotations.records` alone knows; the store works through it, and
everything else (the codebook operations included) through the store. These tests read the
source, so they fail the day a module starts writing those files by hand, as
``annotations/codebook.py`` once did.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.import_scan import find_cycle, import_graph, imported_modules, module_name

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("annotations", "corpus", "reader")
# The module that knows the files' shape, and the TinyDB storage it hands to TinyDB.
OWNERS = {"annotations/records.py", "annotations/storage.py"}

# The storage that writes a TinyDB database, and the write of several files at once (only
# codebook changes do that): any use of them outside the owners is a second writer, and so is
# opening a ``TinyDB(...)`` (naming the class in a type hint is not).
DATABASE_WRITERS = {"AtomicJSONStorage", "atomic_write_many"}
# The workspace's annotation database files, as modules name them.
DATABASE_FILES = {"highlights_db", "highlights_dir", "workspace_db"}
# Calls that put bytes in a file (or make the bytes of a JSON file). Exports, the undo journal,
# caches and article files are written with them too, so they count only in a module that also
# names a database file. Moving or removing a whole file (reader doctor's detach, the journal's
# roll-back) is not writing its shape, and is not counted.
FILE_WRITERS = {"atomic_write_bytes", "atomic_create_bytes", "write_bytes", "write_text", "dumps"}
# The one table of a highlights file: looking it up is knowing the shape.
HIGHLIGHTS_TABLE = "highlights"


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _opens_for_writing(node: ast.Call) -> bool:
    """``open(path, "w")`` and the like (builtin ``open`` only: ``tarfile.open`` writes an
    archive, not a database)."""
    if not (isinstance(node.func, ast.Name) and node.func.id == "open"):
        return False
    modes = [kw.value for kw in node.keywords if kw.arg == "mode"] + node.args[1:2]
    return any(
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and set(mode.value) & set("wax+")
        for mode in modes
    )


def database_writes(source: str) -> list[str]:
    """How a module's source writes the annotation database or reads its records by hand, one
    line each (``line 12: AtomicJSONStorage``); empty for a module that does neither."""
    tree = ast.parse(source)
    found: list[str] = []
    names_files = False
    writes: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name) and node.id in DATABASE_WRITERS:
            found.append(f"line {line}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in DATABASE_WRITERS:
            found.append(f"line {line}: {node.attr}")
        elif isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in DATABASE_WRITERS:
            found.append(f"line {line}: imports {node.name}")
        elif isinstance(node, ast.Attribute) and node.attr in DATABASE_FILES:
            names_files = True
        elif isinstance(node, ast.Call):
            called = _called_name(node)
            if called == "TinyDB":
                found.append(f"line {line}: TinyDB()")
            elif called in FILE_WRITERS or _opens_for_writing(node):
                writes.append(f"line {line}: {called}() beside a database file's name")
            elif (
                called in ("get", "setdefault", "pop", "table")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == HIGHLIGHTS_TABLE
            ):
                found.append(f"line {line}: the {HIGHLIGHTS_TABLE!r} table by hand")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and node.slice.value == HIGHLIGHTS_TABLE
        ):
            found.append(f"line {line}: the {HIGHLIGHTS_TABLE!r} table by hand")
    if names_files:
        found += writes
    return sorted(found, key=lambda s: int(s.split()[1].rstrip(":")))


def _sources() -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


SOURCES = list(_sources())


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_records_module_writes_the_annotation_database(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    if relative in OWNERS:
        return
    found = database_writes(path.read_text(encoding="utf-8"))
    assert not found, f"{relative} writes the annotation database by hand: {'; '.join(found)}"


def test_the_owners_are_where_the_rule_says() -> None:
    assert {str(p.relative_to(ROOT)) for p in SOURCES} >= OWNERS
    assert database_writes((ROOT / "annotations/records.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # What annotations/codebook.py did before the store's records module wrote for it.
        (
            "from corpus.fsutil import atomic_write_many\n"
            "def f(store, put):\n"
            "    data = read_database(store.workspace.highlights_db('a')) or {}\n"
            "    data.setdefault('highlights', {}).update(put)\n"
            "    atomic_write_many([(path, orjson.dumps(data))])\n",
            [
                "line 1: imports atomic_write_many",
                "line 4: the 'highlights' table by hand",
                "line 5: atomic_write_many",
                "line 5: dumps() beside a database file's name",
            ],
        ),
        ("AtomicJSONStorage(ws.workspace_db).write(data)", ["line 1: AtomicJSONStorage"]),
        ("db = TinyDB(path)", ["line 1: TinyDB()"]),
        ("from tinydb import TinyDB\ndef step(db: TinyDB) -> None: ...", []),
        ("n = len(data['highlights'])", ["line 1: the 'highlights' table by hand"]),
        (
            "with open(ws.highlights_db(a), mode='wb') as f:\n    f.write(b'{}')",
            ["line 1: open() beside a database file's name"],
        ),
        (
            "ws.highlights_db(a).write_text('{}')",
            ["line 1: write_text() beside a database file's name"],
        ),
        # An export writes its own file, and names no database file: not a database write.
        ("atomic_write_bytes(path, orjson.dumps({'highlights': rows}))", []),
        # Moving a highlights file aside, or reading its name, writes no record.
        ("os.replace(ws.highlights_db(a), target)", []),
        ("tarfile.open(partial, 'w:gz').add(ws.workspace_db)", []),
    ],
)
def test_the_rule_tells_a_database_write_from_other_writes(
    source: str, expected: list[str]
) -> None:
    assert database_writes(source) == expected


# -- imports inside annotations/ ---------------------------------------------------------------
# Every module of the package: named from its files, at collection time in each worker (the
# import graph's keys are the same names, for the price of parsing every module).
ANNOTATIONS = sorted(module_name(path) for path in (ROOT / "annotations").rglob("*.py"))


def test_the_scanner_finds_a_cycle_through_type_checking_and_package_imports() -> None:
    known = {"annotations", "annotations.store", "annotations.codebook"}
    store = imported_modules("from annotations import codebook", "annotations") & known
    codebook = known & imported_modules(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from annotations.store import AnnotationStore\n",
        "annotations",
    )
    assert store == {"annotations", "annotations.codebook"}
    assert codebook == {"annotations.store"}
    graph = {"annotations": set(), "annotations.store": store, "annotations.codebook": codebook}
    assert find_cycle(graph) == [
        "annotations.codebook",
        "annotations.store",
        "annotations.codebook",
    ]


def test_annotations_modules_import_each_other_without_a_cycle() -> None:
    graph = import_graph("annotations", type_checking=True)
    assert sorted(graph) == ANNOTATIONS  # the modules each imported alone below
    assert "annotations.codebook" in graph["annotations.store"]  # the store offers its operations
    assert "annotations.store" not in graph["annotations.codebook"]
    assert find_cycle(graph) is None


# Imports the modules outside reader's packages that ``annotations/`` and ``corpus/`` use
# (their dependencies and the standard library), then forks one child per module named in
# argv[2], which imports it first: our packages are as fresh in each child as in a new
# interpreter, without each child paying again for the interpreter and the dependencies (0.1
# CPU-s of a cold start each, 40 times). Prints each child's exit status, by module, as JSON.
IMPORTS_ALONE = """
import importlib, json, os, sys, traceback
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except ImportError:
        pass
ours = sorted(m for m in sys.modules if m.split(".")[0] in ("annotations", "corpus", "reader"))
assert not ours, f"imported before the fork: {ours}"
children = {}
for module in json.loads(sys.argv[2]):
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(module)
        except BaseException:
            print(module, traceback.format_exc().strip().splitlines()[-1], file=sys.stderr)
            os._exit(1)
        os._exit(0)
    children[module] = pid
print(json.dumps({module: os.waitpid(pid, 0)[1] for module, pid in children.items()}))
"""


def dependencies() -> list[str]:
    """The modules outside reader's packages that the sources of ``annotations/`` and
    ``corpus/`` import."""
    found: set[str] = set()
    for package in ("annotations", "corpus"):
        for path in (ROOT / package).rglob("*.py"):
            found |= imported_modules(path.read_text(encoding="utf-8"), package)
    return sorted(name for name in found if name.split(".")[0] not in PACKAGES)


def test_each_annotations_module_imports_alone() -> None:
    """Each module imported first in a fresh interpreter (for our packages: a child forked
    before any of them is imported): an import cycle shows as an ImportError only when the
    import starts at one of its modules."""
    run = subprocess.run(
        [sys.executable, "-c", IMPORTS_ALONE, json.dumps(dependencies()), json.dumps(ANNOTATIONS)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    statuses = json.loads(run.stdout)
    assert sorted(statuses) == ANNOTATIONS
    failed = sorted(module for module, status in statuses.items() if status)
    assert not failed, run.stderr


def test_a_module_that_imports_only_in_company_fails_alone(tmp_path: Path) -> None:
    # A cycle that breaks only when the import starts at one of its modules.
    package = tmp_path / "annotations"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from annotations.b import B\nA = 1\n")
    (package / "b.py").write_text("from annotations.a import A\nB = 2\n")
    run = subprocess.run(
        [sys.executable, "-c", IMPORTS_ALONE, json.dumps(["json"]), json.dumps(["annotations.a"])],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert json.loads(run.stdout) == {"annotations.a": 256}
    assert "ImportError" in run.stderr and "annotations.a" in run.stderr


def private_store_uses(source: str) -> list[str]:
    """``store._name`` (or ``self.store._name``...) in a module's source: reaching into the
    store's private helpers, as the codebook once wrote highlights files with them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and (
                (isinstance(node.value, ast.Name) and node.value.id == "store")
                or (isinstance(node.value, ast.Attribute) and node.value.attr == "store")
            )
        ):
            found.append(f"line {node.lineno}: store.{node.attr}")
    return found


def test_the_private_store_scanner() -> None:
    source = "(clean,) = store._clean_tags([n])\nself.store._tags().all()\nstore.__class__\n"
    assert private_store_uses(source) == ["line 1: store._clean_tags", "line 2: store._tags"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_uses_the_stores_private_helpers(path: Path) -> None:
    relative = str(path.relative_to(ROOT))
    found = private_store_uses(path.read_text(encoding="utf-8"))
    assert not found, f"{relative} uses the store's private helpers: {'; '.join(found)}"
