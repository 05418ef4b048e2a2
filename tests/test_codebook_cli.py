"""`reader tags ...` on a real workspace: list, rename, merge, recolor, describe, delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main

BODY = "# Notes\n\nThe union met on Monday. The union voted on Tuesday.\n\nThe end.\n"


def run(*args: str | Path, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


@pytest.fixture
def wsdir(tmp_path: Path) -> Path:
    """A workspace with three highlights: [AI, union], [AI/likeness], [union, vote]."""
    ws = Workspace(tmp_path / "ws")
    Library(ws).save(Article(id="notes", title="Notes", body=BODY))
    store = AnnotationStore(ws)
    text = store.library.display("notes").text
    for quote, tags in (("union met", ["AI", "union"]), ("Monday", ["AI/likeness"])):
        start = text.index(quote)
        store.add_highlight("notes", start, start + len(quote), tags=tags)
    start = text.index("union voted")
    store.add_highlight("notes", start, start + 11, tags=["union", "vote"])
    store.update_tag("AI", color="#112233", description="Machines")
    return ws.root


def tags_of(wsdir: Path) -> list[dict[str, object]]:
    result = run("-w", wsdir, "tags", "list", "--json")
    assert result.exit_code == 0, result.stderr
    tags: list[dict[str, object]] = json.loads(result.stdout)
    return tags


def highlight_tags(wsdir: Path) -> list[list[str]]:
    return [h.tags for h in AnnotationStore(Workspace(wsdir)).highlights("notes")]


def files(wsdir: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((wsdir / "annotations").rglob("*.json"))}


def test_list_json(wsdir: Path) -> None:
    assert tags_of(wsdir) == [
        {"name": "AI", "color": "#112233", "count": 1, "description": "Machines"},
        {"name": "AI/likeness", "color": "#56ccf2", "count": 1, "description": ""},
        {"name": "union", "color": "#6fcf97", "count": 2, "description": ""},
        {"name": "vote", "color": "#f2994a", "count": 1, "description": ""},
    ]


def test_list_nests_children_under_their_parent(wsdir: Path) -> None:
    result = run("tags", "--workspace", wsdir)  # no command: the list
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "AI          #112233      1  Machines",
        "  likeness  #56ccf2      1",
        "union       #6fcf97      2",
        "vote        #f2994a      1",
    ]


def test_rename_moves_children_too(wsdir: Path) -> None:
    result = run("-w", wsdir, "tags", "rename", "AI", "ML")
    assert (result.exit_code, result.stdout) == (0, "renamed #AI to #ML (2 highlights)\n")
    assert highlight_tags(wsdir) == [["ML", "union"], ["ML/likeness"], ["union", "vote"]]
    assert [t["name"] for t in tags_of(wsdir)] == ["ML", "ML/likeness", "union", "vote"]


def test_merge_into(wsdir: Path) -> None:
    result = run("tags", "merge", "vote", "AI", "--into", "union", "-w", wsdir)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "merged #vote, #AI into #union (2 highlights)\n"
    assert highlight_tags(wsdir) == [["union"], ["AI/likeness"], ["union"]]


def test_recolor_and_describe(wsdir: Path) -> None:
    assert run("-w", wsdir, "tags", "recolor", "vote", "#ABCDEF").exit_code == 0
    assert run("-w", wsdir, "tags", "describe", "vote", "Ballots").exit_code == 0
    vote = next(t for t in tags_of(wsdir) if t["name"] == "vote")
    assert (vote["color"], vote["description"]) == ("#ABCDEF", "Ballots")


def test_delete_asks_first_and_keeps_the_highlights(wsdir: Path) -> None:
    before = files(wsdir)
    refused = run("-w", wsdir, "tags", "delete", "union", stdin="n\n")
    assert refused.exit_code == 1
    assert "Delete tag 'union'? 2 highlights will lose it." in refused.stdout
    assert files(wsdir) == before
    agreed = run("-w", wsdir, "tags", "delete", "union", stdin="y\n")
    assert agreed.exit_code == 0
    assert highlight_tags(wsdir) == [["AI"], ["AI/likeness"], ["vote"]]
    assert run("-w", wsdir, "tags", "delete", "vote", "--yes").exit_code == 0
    assert highlight_tags(wsdir) == [["AI"], ["AI/likeness"], []]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rename", "union", "vote"], "tag 'vote' already exists; merge 'union' into it instead"),
        (["rename", "nope", "x"], "no tag 'nope'"),
        (["merge", "nope", "--into", "union"], "no tag 'nope'"),
        (
            ["recolor", "union", "blue"],
            "'blue' is not a colour: name one of amber, green, sky, orange, violet, red, "
            "teal, pink, or give #rrggbb",
        ),
        (["describe", "nope", "text"], "no tag 'nope'"),
        (["delete", "nope", "--yes"], "no tag 'nope'"),
    ],
)
def test_errors_are_one_line_and_change_nothing(wsdir: Path, args: list[str], message: str) -> None:
    before = files(wsdir)
    result = run("-w", wsdir, "tags", *args)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert files(wsdir) == before
