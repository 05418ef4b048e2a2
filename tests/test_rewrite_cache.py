"""The test modules' rewritten asserts, written once by the xdist controller (see
tests/rewrite_cache.py): pytest still reads what is written, and the rewriting is the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import _read_pyc

from tests.rewrite_cache import cached_pyc, is_cached, rewritten_modules, write_rewritten

FAILING_TEST = """\
def test_compares():
    left = [1, 2, 3]
    assert left == [1, 2, 4]
"""


def test_a_test_module_is_rewritten_once_and_pytest_then_loads_it_from_the_cache(
    tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    module = tmp_path / "test_cached.py"
    module.write_text(FAILING_TEST)
    assert not is_cached(module)
    assert write_rewritten(pytestconfig, [module]) == 1
    assert is_cached(module)
    code = _read_pyc(module, cached_pyc(module))
    assert code is not None and "@pytest_ar" in code.co_names  # the asserts were rewritten
    assert write_rewritten(pytestconfig, [module]) == 0  # up to date: not written again
    # A pytest process that may not write bytecode, as the workers of `make test` may not,
    # finds it and shows the failing values as for a module it rewrote itself.
    debug = tmp_path / "debug.log"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly"),
            *("-p", "no:xdist", f"--debug={debug}", "--rootdir", str(tmp_path), str(module)),
        ],
        cwd=tmp_path,
        # Without the installed plugins (hypothesis, asyncio, snapshots, ...), which this
        # plain module needs none of: they made this run ~2 of its ~3 CPU-s.
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "At index 2 diff: 3 != 4" in run.stdout
    assert f"found cached rewritten pyc for {module}" in debug.read_text()


def test_a_changed_module_is_rewritten_again(tmp_path: Path, pytestconfig: pytest.Config) -> None:
    module = tmp_path / "test_changed.py"
    module.write_text(FAILING_TEST)
    write_rewritten(pytestconfig, [module])
    module.write_text(FAILING_TEST.replace("[1, 2, 4]", "[1, 2, 5]"))
    assert not is_cached(module)
    assert write_rewritten(pytestconfig, [module]) == 1
    assert is_cached(module)


def test_the_modules_are_the_test_files_and_the_conftest() -> None:
    modules = {path.name for path in rewritten_modules(Path(__file__).parent)}
    assert {"conftest.py", "test_rewrite_cache.py", "test_app.py"} <= modules
    assert "rewrite_cache.py" not in modules and "waits.py" not in modules


def test_many_modules_are_rewritten_by_forked_copies_and_all_counted(
    tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    """A fresh clone's ~120 modules are shared among one process per core (at least 16 are
    needed for that); every one is written, and the count comes back from the children."""
    modules = []
    for number in range(40):
        module = tmp_path / f"test_many_{number}.py"
        module.write_text(FAILING_TEST.replace("[1, 2, 4]", f"[1, 2, {number}]"))
        modules.append(module)
    assert write_rewritten(pytestconfig, modules) == 40
    assert all(is_cached(module) for module in modules)
    assert write_rewritten(pytestconfig, modules) == 0
