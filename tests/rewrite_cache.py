"""The test modules' assertion rewriting, done once per run instead of once per xdist worker.

pytest rewrites the ``assert`` statements of every test module it imports (so a failure shows
the values), which costs about 9 CPU-seconds for this suite's modules. It keeps the rewritten
code in ``__pycache__/*-pytest-*.pyc`` for the next run, but writes it only where Python may
write bytecode (not under ``PYTHONDONTWRITEBYTECODE``), and on a fresh clone there is none yet:
then each of ``make test``'s three workers rewrote every module, 27 CPU-seconds where 9 do. The
controller process, which imports no test module, writes the cache before the workers start;
they find it and load the rewritten code as it is (pytest checks each file's source hash).

pytest has no public way to do this, so every private name it is done with is here, and
``tests/test_rewrite_cache.py`` checks that pytest still reads what this writes: when a pytest
release changes them, that test names what changed.
"""

from __future__ import annotations

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
    assertions are not rewritten (``--assert=plain``)."""
    if config.getoption("assertmode") != "rewrite":
        return 0
    state = config.stash[assertstate_key]
    written = 0
    for source in sources:
        if is_cached(source) or not try_makedirs(get_cache_dir(source)):
            continue
        source_hash, code = _rewrite_test(source, config)
        written += _write_pyc(state, code, source_hash, cached_pyc(source))
    return written


def rewritten_modules(folder: Path) -> list[Path]:
    """The modules of ``folder`` pytest rewrites: its test files and its conftest."""
    return [*sorted(folder.glob("test_*.py")), folder / "conftest.py"]
