"""CSL-JSON export of the articles, validated against the CSL-JSON input schema.

The schema (tests/fixtures/csl/csl-data.json) is the Citation Style Language project's own
(MIT); see tests/fixtures/csl/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.formats.csl import authors, date_parts
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.cli import main

SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "csl" / "csl-data.json").read_text(encoding="utf-8")
)


DOE = {"family": "Doe", "given": "Jane"}
ROE = {"family": "Roe", "given": "John"}


def validate_csl(items: object, schema: object) -> None:
    # Imported here: only the process that runs these tests pays for it.
    import jsonschema

    jsonschema.validate(items, schema)


def export(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_articles_as_valid_csl_json(sample_ws: Workspace, tmp_path: Path) -> None:
    store = AnnotationStore(sample_ws)
    store.add_highlight("netflix-ai-job-picket-line", 0, 10)
    store.library.save(
        Article(
            id="no-site",
            title="A page\nwith no site",
            body="Words.\n",
            author="The Editors",
            url="https://www.blog.example.net/post/1",
            published="2023-08",
            imported="2026-11-23T18:40:00Z",
        )
    )
    store.add_highlight("no-site", 0, 5)
    out = tmp_path / "refs.json"
    code, _, stderr = export(sample_ws, "--format", "csl", "-o", str(out))
    assert code == 0, stderr
    items = json.loads(out.read_text(encoding="utf-8"))
    validate_csl(items, SCHEMA)
    netflix, no_site = items
    assert netflix["id"] == "netflix-ai-job-picket-line"
    assert netflix["type"] == "article-newspaper"
    assert netflix["title"] == "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line"
    assert netflix["author"] == [{"family": "Whitfield", "given": "Dana"}]
    assert netflix["container-title"] == "The Ledger Line"
    assert netflix["URL"] == "https://example.org/ledger-line/2023/07/netflix-ai-job"
    assert netflix["issued"] == {"date-parts": [[2023, 7, 26]]}
    assert "accessed" in netflix
    assert no_site == {
        "id": "no-site",
        "type": "webpage",
        "title": "A page with no site",
        "author": [{"literal": "The Editors"}],
        "container-title": "blog.example.net",
        "URL": "https://www.blog.example.net/post/1",
        "issued": {"date-parts": [[2023, 8]]},
        "accessed": {"date-parts": [[2026, 11, 23]]},
    }


def test_to_standard_output_with_the_article_filter(sample_ws: Workspace) -> None:
    code, stdout, _ = export(sample_ws, "--format", "csl", "--article", "deep-fake-love")
    assert code == 0
    (item,) = json.loads(stdout)
    validate_csl([item], SCHEMA)
    assert item["author"] == [{"family": "Carrasco-Lowell", "given": "Inés"}]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Jane Doe", [DOE]),
        ("Doe, Jane", [DOE]),
        ("The Editors", [{"literal": "The Editors"}]),
        (None, []),
        ("", []),
        ("By Jane Doe and John Roe", [DOE, ROE]),
        ("Jane Doe, John Roe", [DOE, ROE]),
        ("Ludwig van Beethoven", [{"family": "Beethoven", "given": "Ludwig",
                                   "non-dropping-particle": "van"}]),
        ("Martin Luther King Jr.", [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}]),
        ("Reuters", [{"literal": "Reuters"}]),
        ("Staff Reporter", [{"literal": "Staff Reporter"}]),
    ],
)  # fmt: skip
def test_author_names(byline: str | None, expected: list[dict[str, str]]) -> None:
    assert authors(byline) == expected
    validate_csl([{"id": "x", "type": "webpage", "author": expected}], SCHEMA)


def test_dates() -> None:
    assert date_parts("2023-07-26T10:00:00Z") == {"date-parts": [[2023, 7, 26]]}
    assert date_parts("2023") == {"date-parts": [[2023]]}
    assert date_parts("July 2023") == {"raw": "July 2023"}
    assert date_parts("2023-13-01") == {"raw": "2023-13-01"}
    assert date_parts(None) is None
