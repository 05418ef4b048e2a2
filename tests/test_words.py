"""Words that mean what they say (issue 16: U18, U23-U26): the command line's error lines, one
style for all of them, nothing on stderr that is not ours, and counts and summaries that name
what was done."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from textual.widgets import DataTable

from annotations.backups import make_backup
from annotations.store import AnnotationStore
from corpus.sample_corpus import sample_articles
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.command_line import COMMANDS
from reader.dialogs.help import HelpScreen, _rows
from reader.textual_private import notifications_shown
from tests.test_codebook_ui import code, go_to, open_codebook, settle

ARTICLE = "netflix-ai-job-picket-line"


@pytest.fixture
def wsdir(ws: Workspace) -> Path:
    """A workspace that is there already: a new one adds its own line on stderr."""
    ws.ensure()
    return ws.root


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(
        main, [str(a) for a in args], catch_exceptions=False, prog_name="reader"
    )


def reader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``reader`` in a process of its own: logging is set up as a real run sets it up."""
    return subprocess.run(
        [sys.executable, "-c", "from reader.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# -- one error style (U18, U26) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["list", "--bogus"], "Error: No such option '--bogus' (see reader list --help)"),
        (
            ["export", "--format", "bad"],
            "Error: Invalid value for '--format': 'bad' is not one of 'json', 'w3c', "
            "'markdown', 'csv', 'jsonl', 'qdc', 'html', 'qdpx', 'qdpx-crlf', 'obsidian', 'csl' "
            "(see reader export --help)",
        ),
        (["import"], "Error: Missing argument 'SOURCES...' (see reader import --help)"),
        (["--bogus"], "Error: No such option '--bogus' (see reader --help)"),
        (["tags", "rename"], "Error: Missing argument 'OLD' (see reader tags rename --help)"),
    ],
)
def test_usage_errors_are_one_line_and_status_1(wsdir: Path, args: list[str], says: str) -> None:
    result = run("-w", wsdir, *args)
    assert (result.exit_code, result.stderr.splitlines()) == (1, [says])


def test_an_unknown_command_is_named_as_one(wsdir: Path) -> None:
    result = run("-w", wsdir, "rm", "x")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: rm: no command, article or file of that name (commands: "
        f"{', '.join(sorted(COMMANDS))})"
    ]


def test_import_failures_say_error_as_every_other_error(tmp_path: Path, wsdir: Path) -> None:
    result = run("-w", wsdir, "import", tmp_path / "missing.md")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"Error: {tmp_path / 'missing.md'}: no such file"]


def test_missing_file_without_an_extension_is_no_such_file(tmp_path: Path, wsdir: Path) -> None:
    """Already so on 58e2f67 (issue 14/15); pinned here: not "unsupported file type (none)"."""
    missing = tmp_path / "scratch"
    result = run("-w", wsdir, "import", missing)
    assert result.stderr.splitlines() == [f"Error: {missing}: no such file"]


def test_the_supported_types_list_names_every_type(tmp_path: Path, wsdir: Path) -> None:
    """Already so on 58e2f67; pinned here: web pages and feeds are in the list."""
    slides = tmp_path / "a.odp"  # a kind reader does not read (a PDF it reads since issue 20)
    slides.write_bytes(b"PK\x03\x04")
    result = run("-w", wsdir, "import", slides)
    (line,) = result.stderr.splitlines()
    kinds = (".md", ".markdown", ".txt", ".html", ".htm", ".xhtml", ".rss", ".atom", ".xml")
    for suffix in (*kinds, ".pdf", ".epub", ".docx", ".opml", ".csv"):
        assert f"{suffix}," in line or f"{suffix})" in line, (suffix, line)


def test_a_word_that_is_no_article_or_file_says_so(wsdir: Path) -> None:
    """Already so on 58e2f67 (tests/test_import_sources.py checks the same through click)."""
    done = reader("-w", wsdir, "no-such-id")
    assert (done.returncode, done.stderr) == (
        1,
        "Error: no-such-id: no article or file of that name\n",
    )


def test_a_library_logs_nothing_on_stderr(tmp_path: Path, wsdir: Path) -> None:
    """An empty HTML file: trafilatura logs "lxml parsing failed" and three more lines; only
    the command's own line is shown."""
    empty = tmp_path / "empty.html"
    empty.write_text("", encoding="utf-8")
    done = reader("-w", wsdir, "import", empty)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"Error: {empty}: empty after extraction (no article text found)"
    ]


# -- counts and summaries that name what was done (U26) ------------------------------------------


def test_a_codebook_export_says_it_wrote_a_codebook(sample_ws: Workspace, tmp_path: Path) -> None:
    store = AnnotationStore(sample_ws)
    article_id = store.library.ids()[0]
    store.add_highlight(article_id, 0, 5, tags=["AI/likeness", "AI/jobs", "framing"])
    out = tmp_path / "codes.qdc"
    result = run("-w", sample_ws.root, "export", "-o", out)
    assert result.exit_code == 0, result.stderr
    # AI, AI/likeness, AI/jobs and framing: four codes, whatever the highlights number
    assert result.stderr.splitlines() == [f"wrote a codebook of 4 codes to {out}"]


def test_doctor_counts_one_backup_as_one(sample_ws: Workspace) -> None:
    make_backup(sample_ws)
    result = run("-w", sample_ws.root, "doctor")
    assert result.exit_code == 0, result.output
    assert "; 1 backup (newest: " in result.stdout.splitlines()[-1]


def test_samples_names_each_article_as_import_does(wsdir: Path) -> None:
    result = run("-w", wsdir, "samples")
    titles = {article.id: article.title for article in sample_articles()}
    assert result.stdout.splitlines() == [
        f"imported {article_id}: {titles[article_id]}" for article_id in sorted(titles)
    ]


# -- what the app says (U24, U25) ---------------------------------------------------------------


async def test_the_help_screen_shows_keys_as_typed(sample_ws: Workspace) -> None:
    """Every row shows its keys as typed: `/`, never `slash` (Textual finds no character for
    "slash", whose Unicode name is "solidus")."""
    async with ReaderApp(AnnotationStore(sample_ws), ARTICLE).run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, HelpScreen)
        rows = [row for _, bindings in screen.groups for row in _rows(bindings)]
        assert ("/", "Find") in rows
        named = {"slash", "percent_sign", "question_mark", "left_square_bracket"}
        assert not [keys for keys, _ in rows if named & set(keys.split(", "))]


async def test_the_delete_toast_names_the_quote(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    async with ReaderApp(store, ARTICLE).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s", "a")
        await pilot.pause()
        (made,) = store.highlights(ARTICLE)
        await pilot.press("d")
        await pilot.pause()
        assert store.highlights(ARTICLE) == []
        said = [n.message for n in notifications_shown(pilot.app)]
        start = " ".join(text[made.start : made.end].split())[:49].rstrip()
        assert f"Deleted “{start}…” (u undoes)." in said, said


async def test_undoing_a_tag_delete_puts_the_cursor_on_the_tag(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    code(store, "$300,000 to $900,000", ["pay"])
    code(store, "health", ["health-plan"])
    code(store, "machine learning", ["AI", "AI/likeness"])
    async with ReaderApp(store, ARTICLE).run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "health-plan")
        await pilot.press("d", "y")
        await settle(pilot)
        assert "health-plan" not in store.tag_counts()
        await pilot.press("u")
        await settle(pilot)
        assert "health-plan" in store.tag_counts()
        assert screen.rows[screen.query_one(DataTable).cursor_row].name == "health-plan"
