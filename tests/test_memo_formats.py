"""Memos in the exports and back: an article's memo (its state's ``memo``) and a tag's (its
description) in every format that can carry them, and ``import-annotations`` bringing them in
without losing the one a workspace has, or doubling anything on a second import."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from annotations.formats.importing import joined_memo, merge, read_annotations
from annotations.formats.registry import FORMATS, export_to_file
from annotations.formats.selection import Filters, select
from annotations.model import parse_time
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main
from tests.test_cli import validate
from tests.test_html_export import one, parse, text_of

MEMO = "Why this article matters:\nthe pay band.\n\nA second *paragraph* & <more>."
TAG_MEMO = "Money: salaries, ranges,\nbonuses.\n\nNot benefits."
BODY = "Actors walked the picket line on Monday.\n\nThe union says 87 percent.\n"
OTHER = "A second article about pay.\n"


def articles(library: Library) -> None:
    library.save(Article(id="strike", title="Strike", body=BODY, url="https://example.org/s"))
    library.save(Article(id="other", title="Other", body=OTHER))
    library.save(Article(id="memo-only", title="Memo only", body="Nothing highlighted here.\n"))


def coded(store: AnnotationStore) -> AnnotationStore:
    """Three articles: one highlighted with a memo, one highlighted, one with only a memo."""
    articles(store.library)
    store.add_highlight("strike", 18, 29, tags=["pay"], note="A note.")  # "picket line"
    store.add_highlight("other", 2, 8, tags=["other"])  # "second"
    store.update_tag("pay", description=TAG_MEMO)
    store.set_memo("strike", MEMO)
    store.set_memo("memo-only", "Read again later.")
    return store


def render(store: AnnotationStore, fmt: str, filters: Filters | None = None) -> bytes:
    return FORMATS[fmt].render(select(store, filters or Filters()))


def test_every_format_that_can_carry_memos_has_them(store: AnnotationStore) -> None:
    coded(store)
    native = json.loads(render(store, "json"))
    validate(native)
    assert {a["id"]: a["memo"] for a in native["articles"]} == {
        "memo-only": "Read again later.",
        "other": "",
        "strike": MEMO,
    }
    assert {t["name"]: t["description"] for t in native["tags"]}["pay"] == TAG_MEMO

    markdown = render(store, "markdown").decode()
    section = markdown.split("## Strike\n")[1].split("\n## ")[0]
    # Under the article's heading and source, before its highlights; Markdown kept readable.
    assert section.index("Memo: Why this article matters:\\\nthe pay band.") < section.index(
        "> picket line"
    )
    assert "A second \\*paragraph\\* & \\<more>." in section
    codebook = markdown.split("\n## Codebook\n")[1]
    assert codebook == "\n### pay\n\nMoney: salaries, ranges,\\\nbonuses.\n\nNot benefits.\n"

    items = json.loads(render(store, "w3c"))["first"]["items"]
    memos = [i for i in items if i["motivation"] == "commenting"]
    assert memos == [
        {
            "id": "urn:reader:memo:memo-only",
            "type": "Annotation",
            "motivation": "commenting",
            "body": {
                "type": "TextualBody",
                "value": "Read again later.",
                "purpose": "commenting",
                "format": "text/plain",
            },
            "target": "urn:reader:article:memo-only",
        },
        {
            "id": "urn:reader:memo:strike",
            "type": "Annotation",
            "motivation": "commenting",
            "body": {
                "type": "TextualBody",
                "value": MEMO,
                "purpose": "commenting",
                "format": "text/plain",
            },
            "target": "https://example.org/s",  # the whole source: no selector
        },
    ]

    qdc = ET.fromstring(render(store, "qdc"))
    ns = "{urn:QDA-XML:codebook:1.0}"
    pay = next(c for c in qdc.iter(f"{ns}Code") if c.get("name") == "pay")
    assert pay.findtext(f"{ns}Description") == TAG_MEMO

    html = parse(render(store, "html"))
    strike = one(html, ".//article[@id='article-strike']")
    memo = one(strike, "section[@class='memo']")
    assert [text_of(p) for p in memo.findall("p")] == MEMO.split("\n\n")
    legend = one(html, ".//section[@class='codebook']/dl")
    assert TAG_MEMO.replace("\n\n", "") in [text_of(e) for e in legend]

    # CSV has a row per highlight and tag: a memo is no highlight's, and repeated on every
    # row of its article it would be counted as often. It is left out (see docs/formats.md).
    rows = list(csv.DictReader(io.StringIO(render(store, "csv").decode())))
    assert all("matters" not in value for row in rows for value in row.values())
    assert [r["article"] for r in rows] == ["other", "strike"]


def test_only_the_articles_in_the_export_bring_their_memo(store: AnnotationStore) -> None:
    coded(store)
    store.set_memo("gone", "A memo kept for an article that is no longer there.")

    def memos(filters: Filters) -> dict[str, str]:
        selection = select(store, filters)
        assert set(selection.memos) <= {a.id for a in selection.articles}
        return {a["id"]: a["memo"] for a in json.loads(render(store, "json", filters))["articles"]}

    # Everything: an article with a memo and no highlights is in it, with its memo.
    assert memos(Filters()) == {"memo-only": "Read again later.", "other": "", "strike": MEMO}
    assert (
        "## Memo only\n\nSource: reader article memo-only\n\nMemo: Read again later.\n\n"
        "No highlights.\n" in render(store, "markdown").decode()
    )
    # A tag or a date keeps the articles of the highlights kept, and only their memos.
    assert memos(Filters(tags=("pay",))) == {"strike": MEMO}
    assert memos(Filters(tags=("other",))) == {"other": ""}
    assert memos(Filters(since=parse_time("2999-01-01T00:00:00Z"))) == {}
    # An article named is in it, highlights or not.
    assert memos(Filters(articles=("memo-only",))) == {"memo-only": "Read again later."}
    # The tag memos of a filtered export: the tags of its highlights.
    markdown = render(store, "markdown", Filters(tags=("other",))).decode()
    assert "## Codebook" not in markdown and "Money" not in markdown


def workspace(root: Path) -> AnnotationStore:
    """A second workspace with the same articles and nothing else."""
    ws = Workspace(root)
    ws.ensure()
    target = AnnotationStore(ws)
    articles(target.library)
    return target


def state_of(store: AnnotationStore) -> tuple[dict[str, str], dict[str, str], int]:
    memos = {i: s.memo for i, s in store.states().items() if s.memo}
    tags = {t.name: t.description for t in store.tags() if t.description}
    return memos, tags, sum(1 for _ in store.all_highlights())


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_memos_round_trip_and_a_second_import_doubles_nothing(
    fmt: str, store: AnnotationStore, tmp_path: Path
) -> None:
    coded(store)
    out = tmp_path / f"export{FORMATS[fmt].suffix}"
    export_to_file(store, fmt, out)
    target = workspace(tmp_path / "b")
    report = merge(target, read_annotations(out))
    memos, tags, count = state_of(target)
    assert memos == {"strike": MEMO, "memo-only": "Read again later."}
    # W3C has no place for a tag's memo; the native format keeps it (the tag's description).
    assert tags == ({"pay": TAG_MEMO} if fmt == "json" else {})
    assert count == 2 and report.added == 2
    assert sorted(report.memos_added) == ["article memo-only", "article strike"]
    again = merge(target, read_annotations(out))
    assert state_of(target) == (memos, tags, count)
    assert (again.added, again.memos_added, again.memos_joined) == (0, [], [])
    assert again.already_there == 2 and again.memo_phrase() is None
    # Into its own workspace: nothing added, nothing doubled.
    before = state_of(store)
    merge(store, read_annotations(out))
    assert state_of(store) == before


def test_a_different_memo_is_joined_below_the_one_here_and_said(
    store: AnnotationStore, tmp_path: Path
) -> None:
    coded(store)
    out = tmp_path / "theirs.json"
    export_to_file(store, "json", out)
    target = workspace(tmp_path / "b")
    target.add_highlight("strike", 18, 29, tags=["pay"])
    target.update_tag("pay", description="Our own codebook entry.")
    target.set_memo("strike", "My own memo.")
    target.set_memo("memo-only", "Read again later.")  # the same as the file's: stays one

    def run() -> Any:
        argv = ["import-annotations", "-w", str(target.workspace.root), str(out)]
        return CliRunner().invoke(main, argv, catch_exceptions=False)

    result = run()
    assert result.exit_code == 0, result.stderr
    assert target.state("strike").memo == f"My own memo.\n\n{MEMO}"
    assert target.state("memo-only").memo == "Read again later."
    tags = {t.name: t.description for t in target.tags()}
    assert tags["pay"] == f"Our own codebook entry.\n\n{TAG_MEMO}"
    assert result.stdout.endswith("; 2 memos joined below the ones here\n")
    assert f"joined: {out}: the memo of article strike is below the different one it had" in (
        result.stderr
    )
    assert "the memo of tag pay is below" in result.stderr
    # The same file again: both parts are there already.
    before = state_of(target)
    result = run()
    assert result.exit_code == 0 and result.stdout.endswith("; 2 already there\n")
    assert "joined" not in result.stderr
    assert state_of(target) == before


def test_joined_memo() -> None:
    assert joined_memo("", " New.\n") == "New."
    assert joined_memo("Mine.", "") is None
    assert joined_memo("Mine.", "Mine.\n") is None
    assert joined_memo("Mine.", "Theirs.") == "Mine.\n\nTheirs."
    assert joined_memo("Mine.\n\nTheirs.", "Theirs.") is None  # joined before
    assert joined_memo("Mine.\n\nTheirs.\n\nMore.", "Theirs.") is None
    # A part of a paragraph is not the same memo.
    assert joined_memo("Mine and theirs.", "theirs.") == "Mine and theirs.\n\ntheirs."


def test_a_w3c_comment_on_a_whole_source_is_its_memo(
    store: AnnotationStore, tmp_path: Path
) -> None:
    articles(store.library)
    page_note = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "id": "https://hypothes.is/a/1",
        "motivation": "commenting",
        "body": [{"type": "TextualBody", "value": "A page note from another tool."}],
        "target": {"source": "https://example.org/s"},
    }
    path = tmp_path / "note.jsonld"
    path.write_text(json.dumps(page_note))
    report = merge(store, read_annotations(path))
    assert store.state("strike").memo == "A page note from another tool."
    assert report.memos_added == ["article strike"] and not report.placed_nothing
    # Without a body it is neither a memo nor a highlight: the file is refused, as before.
    del page_note["body"]
    path.write_text(json.dumps(page_note))
    result = CliRunner().invoke(
        main, ["import-annotations", "-w", str(store.workspace.root), str(path)]
    )
    assert result.exit_code == 1
    assert "target: has no selector to anchor the quote" in result.stderr


def test_a_file_from_before_memos_imports_as_before(store: AnnotationStore, tmp_path: Path) -> None:
    coded(store)
    document: dict[str, Any] = json.loads(render(store, "json"))
    for article in document["articles"]:
        del article["memo"]
    validate(document)  # memo is optional in the schema
    path = tmp_path / "old.json"
    path.write_text(json.dumps(document))
    target = workspace(tmp_path / "b")
    report = merge(target, read_annotations(path))
    assert report.added == 2 and report.memos_added == []
    assert {i: s.memo for i, s in target.states().items() if s.memo} == {}
