"""The `reader` command line, end to end on a real workspace (never the Textual app)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from annotations.formats.native import schema
from annotations.store import AnnotationStore
from corpus.workspace import ENV_VAR, Workspace
from reader.cli import main

NOTES = "Picket Line Notes\n\nThe union met on Monday. The union voted on Tuesday.\n\nThe end.\n"
NOTES_ID = "picket-line-notes"
DIARY = "Strike Diary\n\nDay one of the strike. We walked.\n"
DIARY_ID = "strike-diary"


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)


def validate(document: dict[str, Any]) -> None:
    # Imported here: only the process that runs these tests pays for it.
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema())
    errors = list(Draft202012Validator(schema()).iter_errors(document))
    assert errors == [], [e.message for e in errors]


@pytest.fixture
def wsdir(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture
def imported(wsdir: Path, notes: Path, tmp_path: Path) -> Path:
    diary = tmp_path / "diary.txt"
    diary.write_text(DIARY, encoding="utf-8")
    assert run("--workspace", wsdir, "import", notes, diary).exit_code == 0
    return wsdir


def export(wsdir: Path, *args: str) -> dict[str, Any]:
    result = run("export", "--workspace", wsdir, *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    validate(document)
    return document


def quotes(document: dict[str, Any]) -> dict[str, list[str]]:
    return {a["id"]: [h["quote"] for h in a["highlights"]] for a in document["articles"]}


# -- import ------------------------------------------------------------------------------------


def test_import_reports_imported_then_unchanged(wsdir: Path, notes: Path) -> None:
    first = run("--workspace", wsdir, "import", notes)
    assert (first.exit_code, first.stdout) == (0, f"imported {NOTES_ID}: Picket Line Notes\n")
    second = run("--workspace", wsdir, "import", notes)
    assert (second.exit_code, second.stdout, second.stderr) == (0, f"unchanged {NOTES_ID}\n", "")
    assert sorted(p.name for p in (wsdir / "articles").iterdir()) == [f"{NOTES_ID}.md"]


def test_import_edited_file_reports_updated(wsdir: Path, notes: Path) -> None:
    run("-w", wsdir, "import", notes)
    notes.write_text(NOTES.replace("Tuesday", "Wednesday"), encoding="utf-8")
    result = run("-w", wsdir, "import", notes)
    assert result.stdout == f"updated {NOTES_ID}: Picket Line Notes\n"


def test_bad_file_is_one_error_line_and_the_others_import(
    wsdir: Path, notes: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x00\x00")
    missing = tmp_path / "missing.md"
    diary = tmp_path / "diary.txt"
    diary.write_text(DIARY, encoding="utf-8")
    Workspace(wsdir).ensure()  # one that is there: a new one adds its own line on stderr
    result = run("import", notes, binary, missing, diary, "--workspace", wsdir)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"imported {NOTES_ID}: Picket Line Notes",
        f"imported {DIARY_ID}: Strike Diary",
    ]
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("Error: ") and str(binary) in errors[0] and "binary" in errors[0]
    assert str(missing) in errors[1] and "no such file" in errors[1]


# -- list ----------------------------------------------------------------------------------------


def test_list_shows_ids_highlight_counts_and_titles(imported: Path) -> None:
    run("annotate", NOTES_ID, "--quote", "The union met", "-w", imported)
    run("annotate", NOTES_ID, "--quote", "Tuesday", "-w", imported)
    result = run("list", "-w", imported)
    assert result.exit_code == 0
    rows = [line.split(None, 2) for line in result.stdout.splitlines()]
    assert rows == [[NOTES_ID, "2", "Picket Line Notes"], [DIARY_ID, "0", "Strike Diary"]]


def test_list_json(imported: Path) -> None:
    run("annotate", DIARY_ID, "--quote", "We walked", "-w", imported)
    AnnotationStore(Workspace(imported)).mark_opened(DIARY_ID)
    rows = json.loads(run("list", "--json", "-w", imported).stdout)
    assert [(r["id"], r["title"], r["highlights"], r["read"]) for r in rows] == [
        (NOTES_ID, "Picket Line Notes", 0, False),
        (DIARY_ID, "Strike Diary", 1, True),
    ]
    assert set(rows[0]) >= {"author", "site", "url", "published"}


# -- annotate ------------------------------------------------------------------------------------


def test_annotate_picks_the_requested_occurrence(imported: Path) -> None:
    result = run("annotate", NOTES_ID, "--quote", "The union", "--occurrence", "2", "-w", imported)
    assert result.exit_code == 0
    highlight_id = result.stdout.strip()
    store = AnnotationStore(Workspace(imported))
    text = store.library.display(NOTES_ID).text
    second = text.index("The union", text.index("The union") + 1)
    (highlight,) = store.highlights(NOTES_ID)
    assert (highlight.id, highlight.start, highlight.quote) == (highlight_id, second, "The union")
    assert highlight.prefix.endswith("Monday. ")


def test_annotate_with_tags_and_note(imported: Path) -> None:
    result = run(
        "annotate", DIARY_ID, "--quote", "Day one", "--tag", "strike", "--tag", "day",
        "--note", "first day", "-w", imported,
    )  # fmt: skip
    assert result.exit_code == 0
    (highlight,) = AnnotationStore(Workspace(imported)).highlights(DIARY_ID)
    assert (highlight.tags, highlight.note) == (["strike", "day"], "first day")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quote", "not in the text"], "quote not found"),
        (["--quote", "The union", "--occurrence", "3"], "occurs 2 times"),
        (["--quote", "The union", "--occurrence", "0"], "--occurrence"),
    ],
)
def test_annotate_failures_are_one_line_with_exit_1(
    imported: Path, args: list[str], message: str
) -> None:
    result = run("annotate", NOTES_ID, *args, "-w", imported)
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.stdout == ""
    if "--occurrence" not in message:
        assert result.exit_code == 1
        assert len(result.stderr.splitlines()) == 1
    assert AnnotationStore(Workspace(imported)).highlights(NOTES_ID) == []


def test_annotate_unknown_article(imported: Path) -> None:
    result = run("annotate", "nope", "--quote", "x", "-w", imported)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: no article with id 'nope'"]


# -- export --------------------------------------------------------------------------------------


@pytest.fixture
def annotated(imported: Path) -> Path:
    store = AnnotationStore(Workspace(imported))
    notes = store.library.display(NOTES_ID).text
    diary = store.library.display(DIARY_ID).text
    old = "2020-01-01T00:00:00Z"
    store.add_highlight(NOTES_ID, 0, 9, tags=["labour"], created=old)  # "The union"
    store.add_highlight(NOTES_ID, notes.index("Tuesday"), notes.index("Tuesday") + 7)
    store.add_highlight(DIARY_ID, diary.index("We walked"), len(diary) - 1, tags=["strike"])
    return imported


def test_export_everything_is_valid_native_json(annotated: Path) -> None:
    document = export(annotated)
    assert quotes(document) == {NOTES_ID: ["The union", "Tuesday"], DIARY_ID: ["We walked"]}
    assert [t["name"] for t in document["tags"]] == ["labour", "strike"]
    assert [(a["id"], a["title"]) for a in document["articles"]] == [
        (NOTES_ID, "Picket Line Notes"),
        (DIARY_ID, "Strike Diary"),
    ]


def test_export_filters(annotated: Path) -> None:
    assert quotes(export(annotated, "--article", DIARY_ID)) == {DIARY_ID: ["We walked"]}
    assert quotes(export(annotated, "--tag", "labour")) == {NOTES_ID: ["The union"]}
    by_tag = export(annotated, "--tag", "labour", "--tag", "strike")
    assert quotes(by_tag) == {NOTES_ID: ["The union"], DIARY_ID: ["We walked"]}
    assert [t["name"] for t in by_tag["tags"]] == ["labour", "strike"]
    assert quotes(export(annotated, "--since", "2021-01-01")) == {
        NOTES_ID: ["Tuesday"],
        DIARY_ID: ["We walked"],
    }
    assert quotes(export(annotated, "--since", "2999-01-01")) == {}
    assert quotes(export(annotated, "--article", NOTES_ID, "--tag", "strike")) == {NOTES_ID: []}


def test_export_bad_filters_fail_cleanly(annotated: Path) -> None:
    result = run("export", "--since", "last week", "-w", annotated)
    assert result.exit_code == 1 and "not a date" in result.stderr
    result = run("export", "--article", "nope", "-w", annotated)
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        "Error: no article with id 'nope'"
    ]


def test_export_to_a_file(annotated: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "export.json"
    out.parent.mkdir()
    result = run("export", "-o", out, "--tag", "strike", "-w", annotated)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "wrote 1 highlight to" in result.stderr and str(out) in result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    validate(document)
    assert quotes(document) == {DIARY_ID: ["We walked"]}


# -- choosing the workspace ------------------------------------------------------------------


def test_reader_workspace_environment_variable(tmp_path: Path, notes: Path) -> None:
    env_ws = tmp_path / "from-env"
    result = run("import", notes, env={ENV_VAR: str(env_ws)})
    assert result.exit_code == 0
    assert (env_ws / "articles" / f"{NOTES_ID}.md").is_file()
    listed = run("list", env={ENV_VAR: str(env_ws)})
    assert listed.stdout.split()[0] == NOTES_ID
    # An explicit --workspace wins over the environment.
    other = tmp_path / "explicit"
    run("--workspace", other, "import", notes, env={ENV_VAR: str(env_ws)})
    assert (other / "articles" / f"{NOTES_ID}.md").is_file()


@pytest.mark.parametrize("position", ["before", "after"])
def test_workspace_option_before_or_after_the_command(
    wsdir: Path, notes: Path, position: str
) -> None:
    option = ["--workspace", str(wsdir)]
    args = (
        [*option, "import", str(notes)] if position == "before" else ["import", str(notes), *option]
    )
    assert run(*args).exit_code == 0
    listed = run(*option, "list") if position == "before" else run("list", *option)
    assert listed.stdout.split()[0] == NOTES_ID


def test_samples_command_is_idempotent(wsdir: Path) -> None:
    first = run("samples", "-w", wsdir).stdout.splitlines()
    second = run("samples", "-w", wsdir).stdout.splitlines()
    assert len(first) == len(second) >= 8
    assert all(line.startswith("imported ") for line in first)
    assert all(line.startswith("unchanged ") for line in second)


# -- the documented flow in a real process -----------------------------------------------------


def reader(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from reader.cli import main; main()", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_documented_flow_in_a_subprocess(tmp_path: Path, notes: Path) -> None:
    ws = tmp_path / "W"
    imported = reader("--workspace", ws, "import", notes)
    assert imported.returncode == 0, imported.stderr
    article_id = imported.stdout.split()[1].rstrip(":")
    assert article_id == NOTES_ID
    annotated = reader(
        "--workspace", ws, "annotate", article_id, "--quote", "voted on Tuesday", "--tag", "strike"
    )
    assert annotated.returncode == 0, annotated.stderr
    exported = reader("--workspace", ws, "export", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    validate(document)
    ((article),) = document["articles"]
    (highlight,) = article["highlights"]
    assert article["id"] == NOTES_ID
    assert highlight["id"] == annotated.stdout.strip()
    assert (highlight["quote"], highlight["tags"]) == ("voted on Tuesday", ["strike"])
    assert document["tags"][0]["name"] == "strike"
