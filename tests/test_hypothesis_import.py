"""Importing Hypothesis' JSON: API responses and lists of rows, matched by normalised URL.

The fixture (tests/fixtures/hypothesis/api-search.json) is a hand-written API search response
for two sample articles, linked with http for https, ``www.``, tracking parameters, a trailing
slash and a fragment; a quote that occurs twice in its article (the prefix decides); a page
note; a reply; and a row for a page the workspace does not hold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotations.formats.hypothesis import hypothesis_coder
from annotations.formats.importing import read_annotations
from annotations.store import AnnotationStore
from corpus.urls import normalise_url
from corpus.workspace import Workspace
from reader.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "hypothesis" / "api-search.json"
NETFLIX = "netflix-ai-job-picket-line"
HEALTH = "health-threshold-explainer"


def import_file(ws: Workspace, path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["--workspace", str(ws.root), "import-annotations", str(path)]
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_fixture_lands_on_the_right_articles_and_words(sample_ws: Workspace) -> None:
    code, stdout, stderr = import_file(sample_ws, FIXTURE)
    assert code == 0, stderr
    assert stdout == (
        f"imported 3 highlights from {FIXTURE} (hypothesis); 0 already there; "
        "1 skipped (1 in 1 article not in the workspace)\n"
    )
    assert stderr.splitlines() == [
        f"skipped: {FIXTURE}: 1 reply skipped (a reply is not a highlight)",
        f"skipped: {FIXTURE}: page note pN3c7mZYEe6kU1eHq0RzTg on "
        "https://www.example.org/ledger-line/2023/07/netflix-ai-job not imported (it quotes "
        "nothing): 'Page note: the whole piece frames the listing aga…'",
        f"skipped: {FIXTURE}: article "
        "https://news.example.net/2023/07/studios-respond-to-ai-claims is not in the workspace",
    ]
    store = AnnotationStore(sample_ws)
    netflix_text = store.library.display(NETFLIX).text
    pay, replica = store.highlights(NETFLIX)
    # "$900,000" is in the text twice: the prefix ("… $300,000 to ") picks the second.
    assert netflix_text.count("$900,000") == 2
    assert pay.start == netflix_text.index("$900,000", netflix_text.index("$900,000") + 1)
    assert netflix_text[pay.start - 12 : pay.end] == "$300,000 to $900,000"
    assert (pay.id, pay.coder, pay.tags) == ("Zs6yUGZVEe6nY2sTKy1HxA", "ana", ["pay gap"])
    assert pay.note.startswith("The top of the band")
    assert (pay.created, pay.updated) == ("2023-07-27T09:14:03Z", "2023-07-27T09:15:40Z")
    assert replica.quote == "a digital replica to be used only in the production"
    assert (replica.coder, replica.tags) == ("ben.okafor", ["AI/likeness", "consent"])
    (threshold,) = store.highlights(HEALTH)
    health_text = store.library.display(HEALTH).text
    assert health_text[threshold.start - 12 : threshold.end] == "do not earn $26,470"
    assert threshold.start != health_text.index("$26,470")  # not the first of five


def test_importing_again_adds_nothing(sample_ws: Workspace) -> None:
    import_file(sample_ws, FIXTURE)
    code, stdout, _ = import_file(sample_ws, FIXTURE)
    assert code == 0
    assert "imported 0 highlights" in stdout and "3 already there" in stdout
    assert AnnotationStore(sample_ws).highlight_count(NETFLIX) == 2


def test_a_bare_list_of_rows_is_read_too(sample_ws: Workspace, tmp_path: Path) -> None:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["rows"]
    bare = tmp_path / "rows.json"
    bare.write_text(json.dumps(rows), encoding="utf-8")
    incoming = read_annotations(bare)
    assert incoming.format == "hypothesis"
    assert sum(len(a.highlights) for a in incoming.articles) == 4
    code, stdout, _ = import_file(sample_ws, bare)
    assert code == 0 and stdout.startswith("imported 3 highlights")


def test_the_client_s_own_export_is_read_too(sample_ws: Workspace, tmp_path: Path) -> None:
    """The Hypothesis client's Export writes its rows under ``annotations``."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["rows"]
    exported = tmp_path / "hypothesis-export.json"
    content = {
        "export_date": "2023-07-30T10:00:00.000Z",
        "export_userid": "acct:ana@hypothes.is",
        "client_version": "1.1363.0",
        "annotations": rows,
    }
    exported.write_text(json.dumps(content), encoding="utf-8")
    code, stdout, _ = import_file(sample_ws, exported)
    assert code == 0 and stdout.startswith("imported 3 highlights")
    rows[2]["tags"] = [7]
    exported.write_text(json.dumps(content), encoding="utf-8")
    code, _, stderr = import_file(sample_ws, exported)
    assert stderr == f"Error: {exported}.annotations[2].tags[0]: expected a string\n"


def test_only_unknown_pages_is_exit_1_and_changes_nothing(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["rows"]
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"total": 1, "rows": rows[-1:]}), encoding="utf-8")
    AnnotationStore(sample_ws).close()  # the files any command makes when it opens the store

    def snapshot() -> dict[Path, bytes]:
        paths = sample_ws.root.rglob("*")
        return {p: p.read_bytes() for p in paths if p.is_file() and p.name != ".lock"}

    before = snapshot()
    code, _, stderr = import_file(sample_ws, unknown)
    assert code == 1
    assert "studios-respond-to-ai-claims is not in the workspace" in stderr
    assert stderr.endswith("nothing imported: none of its 1 highlight could be placed\n")
    assert snapshot() == before


def test_a_bad_row_names_the_field_and_changes_nothing(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    data["rows"][2]["created"] = "yesterday"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, stderr = import_file(sample_ws, bad)
    assert code == 1
    assert stderr == f"Error: {bad}.rows[2].created: 'yesterday' is not an ISO date-time\n"
    assert AnnotationStore(sample_ws).highlight_count(NETFLIX) == 0


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.example.org/ledger-line/2023/07/netflix-ai-job/?utm_source=x&utm_medium=y#a",
        "https://EXAMPLE.org/ledger-line/2023/07/netflix-ai-job?fbclid=abc&gclid=d&mc_cid=1",
        "https://example.org:443/ledger-line/2023/07/netflix-ai-job/?ref=home&mc_eid=2",
    ],
)
def test_url_variants_normalise_alike(variant: str) -> None:
    assert normalise_url(variant) == normalise_url(
        "https://example.org/ledger-line/2023/07/netflix-ai-job"
    )


def test_other_query_parameters_are_kept_and_sorted() -> None:
    assert normalise_url("http://example.org/a/?b=2&utm_campaign=z&a=1") == (
        "https://example.org/a?a=1&b=2"
    )
    assert normalise_url("https://example.org/story?id=1") != normalise_url(
        "https://example.org/story?id=2"
    )
    assert normalise_url("urn:reader:article:x") == "urn:reader:article:x"


@given(st.sampled_from(["http", "https"]), st.booleans(), st.booleans(), st.text("ab/?=&#"))
def test_normalising_twice_changes_nothing(scheme: str, www: bool, slash: bool, rest: str) -> None:
    url = f"{scheme}://{'www.' if www else ''}example.org/{rest}{'/' if slash else ''}"
    once = normalise_url(url)
    assert normalise_url(once) == once


def test_coder_names() -> None:
    assert hypothesis_coder("acct:ana@hypothes.is") == "ana"
    assert hypothesis_coder("ana") == "ana"
