"""The core never depends on the UI: imports point reader -> annotations -> corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_scan import imported_modules

ROOT = Path(__file__).resolve().parent.parent
CORE = ("corpus", "annotations")
UI = ("reader", "textual")

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
names = []
for package in ("corpus", "annotations"):
    module = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(module.__path__, prefix=package + "."):
        importlib.import_module(info.name)
        names.append(info.name)
# Rendering and parsing import their heavy dependencies lazily: exercise those paths too.
from corpus.article import parse_article
from corpus.markdown_text import render
render("# Heading\\n\\n- item with *em*")
parse_article("x", "---\\ntags: [a, b]\\n---\\nbody")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("reader", "textual"))
print(json.dumps({"imported": names, "ui": loaded}))
"""


def test_importing_every_core_module_loads_no_ui() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    expected = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for package in CORE
        for path in (ROOT / package).rglob("*.py")
    }
    assert set(report["imported"]) == expected
    assert report["ui"] == []


def top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import textual.app", {"textual.app"}),
        ("def f():\n    from reader.app import ReaderApp", {"reader.app", "reader.app.ReaderApp"}),
        ("from . import native", {"annotations.formats", "annotations.formats.native"}),
        ("from ..store import x", {"annotations.store", "annotations.store.x"}),
        ("from ...corpus import x", {"corpus", "corpus.x"}),
        ("import importlib\nimportlib.import_module('reader.cli')", {"importlib", "reader.cli"}),
    ],
)
def test_the_scanner_sees_every_kind_of_import(source: str, expected: set[str]) -> None:
    assert imported_modules(source, "annotations.formats") == expected


CORE_FILES = sorted(path for package in CORE for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_source_imports_point_one_way(path: Path) -> None:
    relative = path.relative_to(ROOT).with_suffix("")
    package = ".".join(relative.parts[:-1])
    modules = {top(m) for m in imported_modules(path.read_text(encoding="utf-8"), package)}
    assert not modules & set(UI), f"{relative} imports the UI: {modules & set(UI)}"
    if relative.parts[0] == "corpus":
        assert "annotations" not in modules, f"{relative} imports annotations"


def test_there_are_core_files_to_check() -> None:
    names = {str(p.relative_to(ROOT)) for p in CORE_FILES}
    assert {"corpus/markdown_text.py", "annotations/store.py"} <= names
