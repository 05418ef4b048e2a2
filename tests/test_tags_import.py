"""`reader tags import FILE`: a REFI-QDA codebook (.qdc, ours and another tool's) or a CSV
merged into the tags of a real workspace; a bad file is one line and changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from annotations.model import Tag
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
BODY = "The union met on Monday about the scans.\n"


def codebook_schema() -> Any:
    # Imported here: only the process that runs these tests pays for it.
    import xmlschema

    return xmlschema.XMLSchema10(str(FIXTURES / "Codebook.xsd"))


def run(ws: Path, *args: str | Path) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(ws), *[str(a) for a in args]])


@pytest.fixture
def wsdir(tmp_path: Path) -> Path:
    """Tags AI (described, #112233), AI/likeness and pay (on a highlight each)."""
    ws = Workspace(tmp_path / "ws")
    Library(ws).save(Article(id="notes", title="Notes", body=BODY))
    store = AnnotationStore(ws)
    store.add_highlight("notes", 4, 9, tags=["AI", "AI/likeness"])
    store.add_highlight("notes", 17, 23, tags=["pay"])
    store.update_tag("AI", color="#112233", description="Machines")
    store.update_tag("pay", color="#6fcf97")
    return ws.root


def db_file(ws: Path) -> Path:
    return Workspace(ws).workspace_db


def tags(ws: Path) -> list[Tag]:
    return AnnotationStore(Workspace(ws)).tags()


def test_our_qdc_export_round_trips_into_an_empty_workspace(wsdir: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "codebook.qdc"
    assert run(wsdir, "export", "-o", qdc).exit_code == 0
    codebook_schema().validate(str(qdc))
    empty = tmp_path / "empty"
    result = run(empty, "tags", "import", qdc)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        f"{qdc}: 3 added, 0 described, 0 joined, 0 colours kept, 0 unchanged\n"
    )
    assert tags(empty) == tags(wsdir)
    # Into the workspace it came from: nothing changes.
    before = db_file(wsdir).read_bytes()
    again = run(wsdir, "tags", "import", qdc)
    assert again.stdout == f"{qdc}: 0 added, 0 described, 0 joined, 0 colours kept, 3 unchanged\n"
    assert db_file(wsdir).read_bytes() == before


def test_another_tools_codebook_merges_into_the_tags(wsdir: Path) -> None:
    path = FIXTURES / "other-tool.qdc"
    codebook_schema().validate(str(path))
    result = run(wsdir, "tags", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "add #Consent/Scanning (#ffcc00)",
        "describe #pay",
        f"kept the colour of #pay: #6fcf97 ({path} has #eb5757)",
        f"{path}: 1 added, 1 described, 0 joined, 1 colour kept, 0 unchanged",
    ]
    found = {t.name: t for t in tags(wsdir)}
    assert "Consent" not in found  # a parent only: its child's name implies it
    assert found["Consent/Scanning"] == Tag(
        "Consent/Scanning", "#ffcc00", "Being scanned, and what the person was told about it."
    )
    assert found["pay"] == Tag("pay", "#6fcf97", "Money: wages, residuals, job listings.")


def test_a_csv_adds_describes_joins_and_keeps_colours(wsdir: Path, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text(
        "name,description,color\n"
        "ai,Models and the people they copy,#000000\n"
        "new/child,,\n"
        '"with, comma",A code with a comma,red\n'
        "AI/likeness,Faces and voices,\n",
        encoding="utf-8",
    )
    before = db_file(wsdir).read_bytes()
    dry = run(wsdir, "tags", "import", path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert db_file(wsdir).read_bytes() == before
    assert dry.stdout.splitlines()[-1] == (
        f"{path}: 2 added, 1 described, 1 joined, 1 colour kept, 0 unchanged"
        " (dry run: nothing changed)"
    )
    result = run(wsdir, "tags", "import", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "add #new/child",
        "add #with, comma (#eb5757)",
        "describe #AI/likeness",
        "join the description of #AI below the one it has",
        f"kept the colour of #AI: #112233 ({path} has #000000)",
        f"{path}: 2 added, 1 described, 1 joined, 1 colour kept, 0 unchanged",
    ]
    found = {t.name: t for t in tags(wsdir)}
    assert found["AI"] == Tag("AI", "#112233", "Machines\n\nModels and the people they copy")
    assert found["AI/likeness"].description == "Faces and voices"
    assert found["with, comma"].color == "#eb5757"
    again = run(wsdir, "tags", "import", path)
    assert again.stdout.splitlines()[-1] == (
        f"{path}: 0 added, 0 described, 0 joined, 1 colour kept, 4 unchanged"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name,colour\nx,#112233\n", "a CSV needs the header name,description,color"),
        ("name,description,color\nx,y,#zz\n", ":2: '#zz' is not a colour"),
        ("name,description\nx,y,z\n", ":2: 3 fields, the header has 2"),
        ("name,description\nbad\x07name,y\n", "contains a control character"),
        ("<CodeBook><Codes>", "is not XML"),
        ('<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "is not a REFI-QDA codebook"),
    ],
)
def test_a_bad_codebook_is_one_line_and_changes_nothing(
    wsdir: Path, tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    before = db_file(wsdir).read_bytes()
    result = run(wsdir, "tags", "import", path)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {path}") and problem in line
    assert db_file(wsdir).read_bytes() == before
