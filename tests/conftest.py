"""Shared fixtures: a fresh workspace in tmp_path, its library and its annotation store."""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.lock import TIMEOUT_ENV_VAR
from corpus.sample_corpus import install_samples
from corpus.workspace import ENV_VAR, Workspace
from reader.settings import ENV_VAR as CONFIG_ENV_VAR
from tests.rewrite_cache import rewritten_modules, write_rewritten
from tests.web_server import TestServer, serve

# Property tests run on 2 xdist workers next to file-system tests: no deadline (a slow fsync
# must not fail a property), a bounded number of examples, and no example database in the repo.
# A failure prints the falsifying example and a @reproduce_failure decorator that replays it.
#
# Two profiles, chosen by READER_HYPOTHESIS_PROFILE. "reader" (the default: `make test`, CI)
# is derandomized: each test draws the same examples on every run, so a red run is caused by
# the change under test, never by a newly drawn example, and the same command shows it again.
# "explore" (`make check`) draws new examples each run, to find what the fixed ones miss; a
# failure there prints its example and decorator, so it can be kept as an @example.
# "reader" draws fewer (30): its examples are the same on every run, so after they have
# passed once, drawing more of the same finds nothing new, while "explore" keeps searching with
# the full number (tests that ask for their own number scale it: tests/test_hostile_fuzz.py).
EXAMPLES = {"reader": 30, "explore": 100}
for _name, _derandomize in (("reader", True), ("explore", False)):
    settings.register_profile(
        _name,
        derandomize=_derandomize,
        deadline=None,
        max_examples=int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", EXAMPLES[_name])),
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
        print_blob=True,
    )
settings.load_profile(os.environ.get("READER_HYPOTHESIS_PROFILE", "reader"))


def pytest_configure(config: pytest.Config) -> None:
    """In the process that hands tests to xdist workers (it imports no test module itself),
    rewrite the test modules' asserts once for all the workers (:mod:`tests.rewrite_cache`)."""
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        write_rewritten(config, rewritten_modules(Path(__file__).parent))
    if hasattr(config, "workerinput") and not os.environ.get("READER_TEST_FINALIZE"):
        atexit.register(_end_worker_without_finalizing)


def _end_worker_without_finalizing() -> None:
    """An xdist worker has sent every result before it exits; what is left is Python's own
    teardown of a process holding half a million objects (about 1.2 s each, four at once on two
    cores, while the run waits). Registered when the worker starts, this runs after the exit
    handlers registered later (temporary folders, process pools, a coverage tool's), then ends
    the process. ``READER_TEST_FINALIZE=1`` keeps Python's teardown, for a tool that needs it."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep the cyclic garbage collector off the objects that live as long as the test process.

    Once the test modules are imported, Textual, Rich, Hypothesis, the app's modules and their
    caches are a few hundred thousand objects that never become garbage, and every full
    collection walked them again: with the default thresholds about a third of a UI test
    file's CPU time went to the collector (6.2 of 22.5 s in test_note_editor + test_codebook_ui,
    42 full collections). Frozen, they are left out; a larger first threshold makes the young
    collections rarer too (UI tests allocate millions of short-lived objects). Garbage is still
    collected, only less often: 2.9 s in all, 8 full collections."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


ARTICLE_BODY = """\
# A Strike Over Faces

Actors walked the *picket line* on Monday. The union says **87 percent** of members
do not reach the health threshold. See [the report](https://example.org/report).

- first point about `digital replicas`
- second point

> A quoted passage from a worker who was there.

The end of the article, with one more sentence for context. The union says it again.
"""


@pytest.fixture(autouse=True)
def _isolated_default_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may read or write the user's real workspace or settings by accident, nor
    inherit a lock timeout from the environment it runs in."""
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "default-workspace"))
    monkeypatch.setenv(CONFIG_ENV_VAR, str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv(TIMEOUT_ENV_VAR, raising=False)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


@pytest.fixture
def library(ws: Workspace) -> Library:
    return Library(ws)


@pytest.fixture
def store(ws: Workspace) -> Iterator[AnnotationStore]:
    with AnnotationStore(ws) as opened:
        yield opened


@pytest.fixture
def article(library: Library) -> Article:
    """One saved article with headings, spans, a list and a quote."""
    saved = Article(
        id="a-strike-over-faces",
        title="A Strike Over Faces",
        body=ARTICLE_BODY,
        author="Dana Whitfield",
        site="The Ledger Line",
        url="https://example.org/ledger-line/strike",
        published="2023-07-26",
    )
    library.save(saved)
    return saved


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus installed once per test process, for :func:`sample_ws` to copy."""
    workspace = Workspace(tmp_path_factory.mktemp("samples") / "workspace")
    workspace.ensure()
    install_samples(Library(workspace))
    return workspace.root


@pytest.fixture
def sample_ws(tmp_path: Path, _sample_template: Path) -> Workspace:
    """A workspace holding the bundled sample corpus (named ``workspace``, as snapshots show).

    A copy of one installed per session: installing writes each article durably (fsync), which
    cost every one of the hundreds of tests using it about 0.1 s."""
    shutil.copytree(_sample_template, tmp_path / "workspace", symlinks=True)
    return Workspace(tmp_path / "workspace")


@pytest.fixture(scope="module")
def web_server() -> Iterator[TestServer]:
    """A real HTTP server on 127.0.0.1 serving the web fixtures (see tests/web_server.py)."""
    with serve() as server:
        yield server


# Takes the workspace lock the way annotations/lock.py does (flock + pid) and holds it until
# its stdin is closed.
LOCK_HOLDER = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    print("locked", flush=True)
    sys.stdin.read()
    """
)


@pytest.fixture
def lock_holder(ws: Workspace) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace lock, until its stdin is closed."""
    ws.annotations_dir.mkdir(parents=True, exist_ok=True)
    child = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(ws.lock_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "locked\n"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
