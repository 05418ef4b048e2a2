"""Tag names are cleaned in one place and told apart without regard to case (U11), and older
workspaces holding names from before these rules keep working."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotations.codebook import codebook_rows, delete_tag, merge_tags, rename_tag
from annotations.model import Highlight, Tag, clean_tag_name
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import now_iso
from corpus.workspace import Workspace
from reader.cli import main
from tests.waits import type_text

JOB = "netflix-ai-job-picket-line"


def code(store: AnnotationStore, quote: str, tags: list[str]) -> list[str]:
    text = store.library.display(JOB).text
    start = text.index(quote)
    return store.add_highlight(JOB, start, start + len(quote), tags=tags).tags


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("AI/", "AI"),
        ("/x", "x"),
        ("a//b", "a/b"),
        ("#hash", "hash"),
        (" AI  /  labour  market ", "AI/labour market"),
        ("ai/LIKENESS", "ai/LIKENESS"),  # case is kept; matching ignores it
    ],
)
def test_names_are_cleaned_of_empty_parts_and_outer_slashes(raw: str, clean: str) -> None:
    assert clean_tag_name(raw) == clean


@pytest.mark.parametrize("raw", ["/", "//", "#", " / "])
def test_a_name_of_nothing_but_slashes_is_refused(raw: str) -> None:
    with pytest.raises(StoreError, match="a tag name cannot be empty"):
        clean_tag_name(raw)


def test_a_new_spelling_takes_the_first_one(sample_ws: Workspace) -> None:
    """The D11 reproduction: the tag tree no longer grows AI/, ai and LIKENESS rows."""
    store = AnnotationStore(sample_ws)
    assert code(store, "Netflix", ["AI/likeness"]) == ["AI/likeness"]
    assert code(store, "strike", ["ai/LIKENESS"]) == ["AI/likeness"]
    assert code(store, "machine", ["Ai/new", "AI/", "/x", "a//b", "#hash"]) == [
        "AI/new",
        "AI",
        "x",
        "a/b",
        "hash",
    ]
    rows = codebook_rows(store.tags(), *store.tag_tallies())
    assert [(row.name, row.total) for row in rows] == [
        ("a", 1),
        ("a/b", 1),
        ("AI", 3),
        ("AI/likeness", 2),
        ("AI/new", 1),
        ("hash", 1),
        ("x", 1),
    ]


def test_the_command_line_filters_ignore_case(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["AI/likeness"])
    for tag in ("ai/likeness", "ai", "AI/LIKENESS"):
        result = CliRunner().invoke(
            main, ["-w", str(sample_ws.root), "list", "--json", "--tag", tag]
        )
        assert result.exit_code == 0, result.output
        assert [row["id"] for row in json.loads(result.stdout)] == [JOB]


def test_the_tag_command_takes_a_name_in_any_case(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["AI"])
    result = CliRunner().invoke(
        main, ["-w", str(sample_ws.root), "tags", "recolor", "ai", "#112233"]
    )
    assert result.exit_code == 0, result.output
    assert [(t.name, t.color) for t in store.tags()] == [("AI", "#112233")]


def test_a_workspace_holding_two_spellings_keeps_both(sample_ws: Workspace) -> None:
    """Written before the case rule: ``AI`` and ``ai`` as two tags, and odd names."""
    from annotations.model import known_tag_names

    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["AI"])
    store.write_codebook({"ai": Tag("ai"), "a//b": Tag("a//b")})
    text = store.library.display(JOB).text
    start = text.index("strike")
    old = Highlight.on_text(JOB, text, start, start + 6, tags=["ai", "a//b"], stamp=now_iso())
    store.write_highlights({JOB: ([old], ())})  # as an older version stored it
    # Each spelling in use is itself; another spelling takes the first (AI before ai).
    assert known_tag_names(["ai", "AI", "Ai", "a//b", "A//B"], store.tag_names()) == [
        "ai",
        "AI",
        "a//b",
        "A/B",  # a new name: "a//b" is no parent of it
    ]
    assert code(store, "machine", ["ai", "a//b"]) == ["ai", "a//b"]
    # A filter finds both spellings.
    result = CliRunner().invoke(main, ["-w", str(sample_ws.root), "export", "--tag", "ai"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["articles"][0]["highlights"]) == 3
    # The tag manager can still reach each one, and merge them.
    with pytest.raises(StoreError, match="tag 'AI' already exists; merge 'ai' into it"):
        rename_tag(store, "ai", "AI")
    merge_tags(store, ["ai"], "AI")
    assert {t.name for t in store.tags()} == {"AI", "a//b"}
    delete_tag(store, "a//b")
    assert [t.name for t in store.tags()] == ["AI"]


def test_tags_recolor_takes_the_colour_names_the_app_offers(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["pay"])

    def recolor(color: str) -> tuple[int, str]:
        result = CliRunner().invoke(
            main, ["-w", str(sample_ws.root), "tags", "recolor", "pay", color]
        )
        return result.exit_code, result.output

    assert recolor("red")[0] == 0
    assert [t.color for t in store.tags()] == ["#eb5757"]
    assert recolor("Teal")[0] == 0
    assert [t.color for t in store.tags()] == ["#2dd4bf"]
    assert recolor("112233")[0] == 0
    assert [t.color for t in store.tags()] == ["#112233"]
    assert recolor("crimson") == (
        1,
        "Error: 'crimson' is not a colour: name one of amber, green, sky, orange, violet, red, "
        "teal, pink, or give #rrggbb\n",
    )


def test_a_tag_filter_no_tag_answers_to_is_refused(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["AI/likeness"])
    for command in (["list"], ["export"]):
        result = CliRunner().invoke(
            main, ["-w", str(sample_ws.root), *command, "--tag", "nonexistent"]
        )
        assert (result.exit_code, result.output) == (
            1,
            "Error: no tag 'nonexistent' (reader tags lists them)\n",
        )
    result = CliRunner().invoke(main, ["-w", str(sample_ws.root), "export", "--tag", "ai"])
    assert result.exit_code == 0, result.output


async def test_the_colour_picker_takes_a_typed_name_too(sample_ws: Workspace) -> None:
    from textual.widgets import DataTable

    from reader.app import ReaderApp
    from reader.screens.codebook import CodebookScreen

    store = AnnotationStore(sample_ws)
    code(store, "Netflix", ["pay"])
    async with ReaderApp(store, JOB).run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CodebookScreen)
        assert screen.rows[screen.query_one(DataTable).cursor_row].name == "pay"
        await pilot.press("c", "tab", "ctrl+u")
        await type_text(pilot, "Teal")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert [t.color for t in store.tags()] == ["#2dd4bf"]
