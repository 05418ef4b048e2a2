"""The test modules' assertion rewriting, done once per run instead of once per xdist worker.

pytest rewrites the ``assert`` statements of every test module it imports (so a failure shows
the values), which costs about 9 CPU-seconds for this suite's modules. It keeps the rewritten
code in ``__pycache__/*-pytest-*.pyc`` for the next run, but writes it only where Python may
write bytecode (not under ``PYTHONDONTWRITEBYTECODE``), and on a fresh clone there is none yet:
then each of ``make test``'s workers rewrote every module, three or four times the CPU. The
controller process, which imports no test module, writes the cache before the workers start
(with one forked copy of itself per core); they find it and load the rewritten code as it is
(pytest checks each file's source hash).

pytest has no public way to do this, so every private name it is done with is here, and
``tests/test_rewrite_cache.py`` checks that pytest still reads what this writes: when a pytest
release changes them, that test names what changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _pytest.assertion.rewrite import (
    PYC_TAIL,
    _read_pyc,
    _rewrite_test,
    _write_pyc,
    assertstate_key,
    get_cache_dir,
    try_makedirs,
)


def cached_pyc(source: Path) -> Path:
    """Where pytest keeps the rewritten code of the test module ``source``."""
    return get_cache_dir(source) / (source.name[:-3] + PYC_TAIL)


def is_cached(source: Path) -> bool:
    """Whether pytest would load ``source`` from its cache, not rewrite it again."""
    return _read_pyc(source, cached_pyc(source)) is not None


def write_rewritten(config: pytest.Config, sources: list[Path]) -> int:
    """Rewrite each of ``sources`` whose cache is missing or out of date, as pytest's import
    hook does, and write the cache it reads; the number written. Nothing happens when
    assertions are not rewritten (``--assert=plain``).

    On a fresh clone that is every module, ~3-4 s while the workers wait to be started, so
    the modules are shared among forked copies of this process, one per core."""
    if config.getoption("assertmode") != "rewrite":
        return 0
    todo = [s for s in sources if not is_cached(s) and try_makedirs(get_cache_dir(s))]
    processes = min(len(os.sched_getaffinity(0)), 4) if hasattr(os, "sched_getaffinity") else 1
    if len(todo) < 16 or processes < 2 or not hasattr(os, "fork"):
        return _rewrite(config, todo)
    children = []
    for part in range(1, processes):
        pid = os.fork()
        if pid == 0:  # the child rewrites its share and ends here, whatever happens
            try:
                os._exit(min(_rewrite(config, todo[part::processes]), _FAILED - 1))
            finally:
                os._exit(_FAILED)
        children.append(pid)
    written = _rewrite(config, todo[0::processes])
    for pid in children:
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        # A child that failed or was killed wrote an unknown part of its share: counted as
        # none (a worker rewrites what is missing itself).
        written += code if 0 <= code < _FAILED else 0
    return written


_FAILED = 255  # a forked child's exit status when its rewriting raised


def _rewrite(config: pytest.Config, sources: list[Path]) -> int:
    state = config.stash[assertstate_key]
    written = 0
    for source in sources:
        source_hash, code = _rewrite_test(source, config)
        written += _write_pyc(state, code, source_hash, cached_pyc(source))
    return written


def rewritten_modules(folder: Path) -> list[Path]:
    """The modules of ``folder`` pytest rewrites: its test files and its conftest."""
    return [*sorted(folder.glob("test_*.py")), folder / "conftest.py"]
