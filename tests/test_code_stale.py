"""Bulk coding codes only the words the search matched: a stale search index or an article that
changed after the search never gets other words tagged (`reader code`, the store's bulk_code)."""

from __future__ import annotations

import os
import pty
import resource
import select
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotations.codebook import CodeSpan
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.textual_private import notifications_shown
from tests.waits import settle, type_text

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from reader.cli import main; main()"]
BEFORE = b"The quick brown fox jumps over the"
AFTER = b"Tha slow green cat leaps over  the"  # the same length: the file keeps its size


def reader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture
def fox(ws: Workspace) -> Path:
    """A workspace with one article, ``t``, about a fox; returns its file."""
    Library(ws).save(Article(id="t", title="T", body=BEFORE.decode() + " lazy dog.\n"))
    return ws.article_file("t")


def _rewrite_keeping_size_and_mtime(path: Path) -> None:
    """Edit the file the way `rsync -t`, `touch -r` or a sync tool can: same size, same mtime."""
    st = path.stat()
    data = path.read_bytes()
    assert len(BEFORE) == len(AFTER) and BEFORE in data
    path.write_bytes(data.replace(BEFORE, AFTER))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def _quotes(ws: Workspace) -> list[tuple[str, list[str]]]:
    with AnnotationStore(ws) as store:
        return [(h.quote, h.tags) for h in store.all_highlights()]


# -- the findings' reproduction (R-D11), through the real command line ---------------------------
def test_code_after_an_edit_that_keeps_size_and_mtime_codes_no_other_words(
    ws: Workspace, fox: Path
) -> None:
    searched = reader("-w", ws.root, "search", "fox")
    assert searched.returncode == 0 and "1 match in 1 article" in searched.stdout
    _rewrite_keeping_size_and_mtime(fox)
    again = reader("-w", ws.root, "search", "fox")  # the index notices the edit
    assert again.returncode == 0 and again.stdout.strip() == "0 matches in 0 articles"
    coded = reader("-w", ws.root, "code", "fox", "--tag", "animal2", "--yes")
    assert coded.returncode == 0, coded.stderr
    assert _quotes(ws) == []
    assert reader("-w", ws.root, "search", "cat").stdout.strip().endswith("1 match in 1 article")


def test_code_skips_a_match_that_changed_while_it_asked(ws: Workspace, fox: Path) -> None:
    """The article changes between the preview and the answer at "Code them?" (a terminal)."""
    Library(ws).save(Article(id="u", title="U", body="Another fox, which stays where it is.\n"))
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [*CLI, "-w", str(ws.root), "code", "fox", "--tag", "animal"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(slave)
    try:
        assert child.stdout is not None
        shown = ""
        deadline = time.monotonic() + 60
        while "Code them?" not in shown and time.monotonic() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], 1)
            if ready:
                shown += os.read(child.stdout.fileno(), 1000).decode()
        assert "2 matches in 2 articles will be highlighted" in shown, shown
        _rewrite_keeping_size_and_mtime(fox)
        os.write(master, b"y\n")
        out, err = child.communicate(timeout=60)
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
    assert child.returncode == 1, (out, err)
    assert "coded 1 passage in 1 article with #animal; skipped 1 match" in out
    assert err == "skipped: t 16-19: no longer reads 'fox' (the article changed); not coded\n"
    assert _quotes(ws) == [("fox", ["animal"])]


# -- the store ---------------------------------------------------------------------------------
def test_bulk_code_skips_spans_that_no_longer_hold_their_quote(
    store: AnnotationStore, article: Article
) -> None:
    text = store.library.display(article.id).text
    good = text.index("picket line")
    wrong = text.index("health threshold")
    change = store.bulk_code(
        [
            CodeSpan(article.id, good, good + 11, "picket line"),
            CodeSpan(article.id, wrong, wrong + 16, "health thresholt"),
            CodeSpan(article.id, len(text) - 3, len(text) + 20, "past the end"),
            CodeSpan("gone-since-the-search", 0, 3, "fox"),
        ],
        ["strike"],
    )
    assert [h.quote for h in store.highlights(article.id)] == ["picket line"]
    assert sorted(s.quote or "" for s in change.skipped) == [
        "fox",
        "health thresholt",
        "past the end",
    ]
    assert change.label == (
        "coded 1 passage in 1 article with #strike; "
        "skipped 3 matches whose text changed since the search"
    )


def test_bulk_code_with_every_span_changed_writes_nothing(
    store: AnnotationStore, article: Article
) -> None:
    change = store.bulk_code([CodeSpan(article.id, 0, 3, "fox")], ["animal"])
    assert change.created == [] and change.tags_before == {}
    assert store.tags() == [] and store.highlights(article.id) == []
    assert not store.workspace.highlights_db(article.id).exists()


# Opens the store, limits the size of files it may write, and codes every "e": the codebook
# (small) can be written, the article's highlights file (large) cannot.
LIMITED = textwrap.dedent(
    """
    import resource, sys
    from pathlib import Path
    from annotations.storage import StoreError
    from annotations.store import AnnotationStore
    from corpus.workspace import Workspace

    store = AnnotationStore(Workspace(Path(sys.argv[1])))
    text = store.library.display(sys.argv[2]).text
    spans = []
    at = text.find("e")
    while at != -1:
        spans.append((sys.argv[2], at, at + 1))
        at = text.find("e", at + 1)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, resource.RLIM_INFINITY))
    try:
        store.bulk_code(spans, ["s"])
    except StoreError as exc:
        print(exc)
    """
)


def test_bulk_code_that_cannot_write_leaves_the_codebook_as_it_was(
    store: AnnotationStore, article: Article
) -> None:
    """R-D14: it said "nothing changed", and the codebook had gained the tag."""
    store.ensure_tag("kept")
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, str(store.workspace.root), article.id],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "cannot write" in done.stdout and "nothing changed" in done.stdout, done.stdout
    assert [t.name for t in store.tags()] == ["kept"]
    assert store.highlights(article.id) == []


def test_bulk_code_still_checks_spans_without_a_quote(
    store: AnnotationStore, article: Article
) -> None:
    with pytest.raises(StoreError, match="outside article"):
        store.bulk_code([(article.id, 0, 10_000)], ["x"])


# -- the app: ctrl+t in the search screen ----------------------------------------------------------
async def test_app_bulk_code_skips_a_match_whose_text_changed(ws: Workspace, fox: Path) -> None:
    from reader.app import ReaderApp
    from reader.screens.main import MainScreen
    from reader.screens.search import ConfirmCode, SearchScreen

    Library(ws).save(Article(id="u", title="U", body="Another fox, which stays where it is.\n"))
    store = AnnotationStore(ws)
    app = ReaderApp(store, "u")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f")
        await type_text(pilot, "fox")
        await settle(pilot)
        screen = app.screen_stack[1]
        assert isinstance(screen, MainScreen) and isinstance(app.screen, SearchScreen)
        assert screen._search_index is not None
        # Within the app's re-check window the index is not asked about files again (an edit in
        # place leaves the folder as it was): the stale index of R-D11, made certain.
        screen._search_index.recheck_after = 3600
        await pilot.press("ctrl+t")
        await type_text(pilot, "animal")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        _rewrite_keeping_size_and_mtime(fox)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        (warning,) = [n.message for n in notifications_shown(app) if n.severity == "warning"]
        assert "skipped 1 match whose text changed since the search" in warning
    assert _quotes(ws) == [("fox", ["animal"])]


def test_reader_code_that_cannot_write_adds_no_tag(sample_ws: Workspace) -> None:
    """R-D14 through the command line: files limited to 40 KB (`ulimit -f 40`), enough for the
    codebook and the search index, not for the largest article's highlights."""
    assert reader("-w", sample_ws.root, "search", "the").returncode == 0  # the index, built

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, resource.RLIM_INFINITY))

    coded = subprocess.run(
        [*CLI, "-w", str(sample_ws.root), "code", "the", "--tag", "s", "--yes"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limit,
    )
    assert coded.returncode == 1
    assert "cannot write (File too large); nothing changed" in coded.stderr, coded.stderr
    with AnnotationStore(sample_ws) as store:
        assert store.tags() == []
        assert store.tag_counts() == {}
