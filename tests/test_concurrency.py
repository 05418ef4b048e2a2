"""Two writers on one workspace: processes, the command line and the app.

The workspace lock serialises every read-modify-write, so concurrent writers lose nothing; a
writer that cannot get the lock within its timeout fails with a message naming the workspace
and the holder's pid, and writes nothing. See "Concurrent use" in docs/architecture.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.lock import TIMEOUT_ENV_VAR
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.widgets.annotation_sidebar import AnnotationSidebar

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from reader.cli import main; main()"]
APP_ARTICLE = "netflix-ai-job-picket-line"

# Opens the store, says "ready", waits for a line on stdin, then adds highlights one after
# another and prints each id once add_highlight has returned. Each note is its own (pid and
# number): the store refuses a highlight that repeats one already there.
ADDER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from annotations.store import AnnotationStore
    from corpus.workspace import Workspace

    root, article, count, start, end = sys.argv[1:]
    store = AnnotationStore(Workspace(Path(root)))
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(int(count)):
        note = f"{os.getpid()} {n}"
        h = store.add_highlight(article, int(start), int(end), tags=["shared"], note=note)
        print(h.id, flush=True)
    """
)


def files(ws: Workspace) -> dict[str, bytes]:
    """Every file of the workspace but the lock file, with its bytes."""
    return {
        str(p.relative_to(ws.root)): p.read_bytes()
        for p in sorted(ws.root.rglob("*"))
        if p.is_file() and p != ws.lock_file
    }


def test_two_processes_adding_to_one_article_keep_all_200(ws: Workspace, article: Article) -> None:
    with AnnotationStore(ws) as store:
        store.ensure_tag("shared")
        text = store.library.display(article.id).text
    start = text.index("picket line")
    args = [str(ws.root), article.id, "100", str(start), str(start + len("picket line"))]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", ADDER, *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for writer in writers:  # both have opened the store before either starts writing
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    printed: list[str] = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert (writer.returncode, err) == (0, "")
        printed += out.split()
    assert len(printed) == len(set(printed)) == 200

    with AnnotationStore(ws) as store:
        stored = store.highlights(article.id)
    assert sorted(h.id for h in stored) == sorted(printed)
    assert {h.quote for h in stored} == {"picket line"}
    assert [t.name for t in store.tags()] == ["shared"]
    raw = json.loads(ws.highlights_db(article.id).read_text())
    assert len(raw["highlights"]) == 200


def test_annotate_gives_up_on_a_stuck_lock_holder_and_writes_nothing(
    ws: Workspace, article: Article, request: pytest.FixtureRequest
) -> None:
    AnnotationStore(ws).close()  # a workspace in use: workspace.json exists
    before = files(ws)
    holder: subprocess.Popen[str] = request.getfixturevalue("lock_holder")
    command = [*CLI, "--workspace", str(ws.root), "annotate", article.id, "--quote", "Monday"]
    # A short wait (the default is 5 s): the same code path gives up, sooner.
    env = {**os.environ, TIMEOUT_ENV_VAR: "0.3"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)

    assert done.returncode == 1
    assert done.stdout == ""
    message = done.stderr
    assert message.count("\n") == 1 and message.endswith("\n"), message
    assert str(ws.root) in message
    assert f"pid {holder.pid} for over 0.3 s" in message
    assert "busy" in message
    assert files(ws) == before

    assert holder.stdin is not None
    holder.stdin.close()  # the holder lets go: the same command now works
    assert holder.wait(timeout=10) == 0
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    (made,) = AnnotationStore(ws).highlights(article.id)
    assert (made.id, made.quote) == (done.stdout.strip(), "Monday")


async def test_app_and_command_line_on_one_article_lose_nothing(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(APP_ARTICLE).text
    quote = text.split(". ")[2].strip()  # a sentence the app's first one does not overlap
    assert quote and text.index(quote) > len(text.split(". ")[0])
    app = ReaderApp(store, APP_ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        cli = await asyncio.create_subprocess_exec(
            *CLI,
            "--workspace",
            str(sample_ws.root),
            "annotate",
            APP_ARTICLE,
            "--quote",
            quote,
            "--tag",
            "from-cli",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await cli.communicate()
        assert (cli.returncode, err) == (0, b"")
        cli_id = out.decode().strip()

        await pilot.press("s", "a")  # the app highlights its first sentence
        await pilot.pause()
        sidebar = app.screen.query_one(AnnotationSidebar)
        # The app redraws from the store after its own change, so it now shows both.
        assert len(sidebar.entries) == 2
        assert cli_id in {e.id for e in sidebar.entries}
        await pilot.press("q")

    stored = {h.id: h for h in AnnotationStore(sample_ws).highlights(APP_ARTICLE)}
    assert len(stored) == 2
    assert stored[cli_id].quote == quote and stored[cli_id].tags == ["from-cli"]
    (app_made,) = (h for h in stored.values() if h.id != cli_id)
    assert text.startswith(app_made.quote)


# -- a store that stays open (the app's) and a second writer both creating records --------
# TinyDB remembers the next document id in each Table; the store takes a fresh one for every
# operation, so an id another process took in between is never reused.


def test_open_store_makes_a_new_tag_after_the_command_line_made_one(
    ws: Workspace, article: Article
) -> None:
    app = AnnotationStore(ws)  # stays open, as the app's does
    app.add_highlight(article.id, 0, 8, tags=["first"])
    command = [*CLI, "--workspace", str(ws.root), "annotate", article.id, "--quote", "Monday"]
    done = subprocess.run(
        [*command, "--tag", "from-cli"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
    app.add_highlight(article.id, 9, 15, tags=["second"])
    assert len(AnnotationStore(ws).highlights(article.id)) == 3
    assert {t.name for t in app.tags()} == {"first", "from-cli", "second"}


def test_two_open_stores_record_reading_state_of_new_articles(ws: Workspace) -> None:
    one, two = AnnotationStore(ws), AnnotationStore(ws)  # two app instances
    one.mark_opened("a")
    two.mark_opened("b")
    one.mark_opened("c")
    assert sorted(AnnotationStore(ws).states()) == ["a", "b", "c"]


# Runs ``reader import FOLDER`` in this process once a line arrives on stdin, so that two of
# them start importing at the same moment.
IMPORTER = textwrap.dedent(
    """
    import sys
    from reader.cli import main

    root, folder = sys.argv[1:]
    print("ready", flush=True)
    sys.stdin.readline()
    main(["--workspace", root, "import", folder])
    """
)


def test_two_imports_at_once_never_give_two_articles_one_id(ws: Workspace, tmp_path: Path) -> None:
    """Findings R-D6: ids were chosen and files written outside the lock, so two imports of
    same-titled files printed the same id twice and one file replaced the other. Every file
    here has one title: each import takes the next free ``same-title-N``, the same race."""
    folders = []
    for side in ("a", "b"):
        folder = tmp_path / f"dup-{side}"
        folder.mkdir()
        for n in range(1, 41):
            (folder / f"{side}{n}.md").write_text(f"# Same title\n\nBody {n} from {side}.\n")
        folders.append(folder)
    ws.ensure()
    importers = [
        subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(ws.root), str(folder)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in folders
    ]
    for importer in importers:
        assert importer.stdout is not None and importer.stdout.readline() == "ready\n"
    for importer in importers:
        assert importer.stdin is not None
        importer.stdin.write("go\n")
        importer.stdin.flush()
    printed: list[str] = []
    for importer in importers:
        out, err = importer.communicate(timeout=120)
        assert (importer.returncode, err) == (0, "")
        printed += [line.split()[1].rstrip(":") for line in out.splitlines()]
    assert len(printed) == len(set(printed)) == 80
    assert sorted(p.stem for p in ws.articles_dir.glob("*.md")) == sorted(printed)
    bodies = {p.read_text().split("\n\n", 1)[1] for p in ws.articles_dir.glob("*.md")}
    assert len(bodies) == 80
