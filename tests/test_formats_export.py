"""The Markdown, CSV, doccano JSONL and QDC exports, and every format from the command line."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotations.formats.csv_export import COLUMNS, to_csv
from annotations.formats.doccano import to_doccano
from annotations.formats.markdown_export import tag_word, to_markdown
from annotations.formats.qdc import code_guid, to_qdc
from annotations.formats.registry import FORMATS
from annotations.formats.selection import Selection, select
from annotations.model import Highlight, Tag
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.markdown_text import render
from reader.cli import main
from tests.test_html_export import html_quotes

EXPORTED = "2026-11-23T19:01:07Z"
# Emoji (a ZWJ sequence with a skin tone, a flag), combining marks, Arabic and Hebrew.
UNICODE_BODY = """\
# Voices 🎭

Café au lait: the word cafe\u0301 has a combining accent. 👩🏽‍🔬 Scientists 🇺🇦 joined.

Arabic: مرحبا بالعالم. Hebrew: שלום עולם, said נ\u05b8ה.
"""
UNICODE_QUOTES = ["cafe\u0301", "👩🏽‍🔬 Scientists 🇺🇦", "مرحبا بالعالم", "שלום עולם, said נ\u05b8ה"]
# Text for notes and quotes: any character but surrogates and control characters (which the
# display text never holds), with the ones Markdown, CSV and XML treat specially made likely.
TEXT = st.text(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from("\n\n  *_`[]<>|~&#;-+=.)!\\\"',\u200f\u202e🎭👩🏽‍🔬"),
    ),
    max_size=60,
)


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


@pytest.fixture
def annotated(store: AnnotationStore, article: Article, library: Library) -> AnnotationStore:
    """Two articles: the conftest one (with a URL) and a local one in many scripts."""
    library.save(Article(id="voices", title="Voices: عربي / עברית 🎭", body=UNICODE_BODY))
    text = store.library.display(article.id).text
    store.add_highlight(
        article.id,
        *span(text, "87 percent"),
        tags=["figures", "AI/likeness"],
        note="Check the *source* & <report>.",
    )
    store.add_highlight(article.id, *span(text, "picket line"))
    store.add_highlight(article.id, *span(text, "The end"), note="Last words.\nSecond line.")
    voices = store.library.display("voices").text
    for n, quote in enumerate(UNICODE_QUOTES):
        tags = ["ünï cödé"] if n % 2 else []
        store.add_highlight("voices", *span(voices, quote), tags=tags, note=f"ملاحظة {n} 📝")
    return store


def rendered_words(markdown: str) -> str:
    """The text a Markdown document shows, white space collapsed."""
    return " ".join(render(markdown).text.split())


def words(text: str) -> str:
    return " ".join(text.split())


# -- Markdown ------------------------------------------------------------------------------------


def test_markdown_has_every_quote_tag_and_note(annotated: AnnotationStore) -> None:
    markdown = FORMATS["markdown"].render(select(annotated)).decode("utf-8")
    shown = rendered_words(markdown)
    for highlight in list(annotated.all_highlights()):
        assert f"> {highlight.quote}" in markdown
        for tag in highlight.tags:
            assert tag_word(tag) in markdown
        assert words(highlight.note) in shown
    assert "#figures #AI/likeness" in markdown
    assert "#ünï-cödé" in markdown
    assert "Note: Check the \\*source\\* & \\<report>." in markdown
    assert "Note: Last words.\\\nSecond line." in markdown


def test_markdown_sections_per_article(annotated: AnnotationStore) -> None:
    markdown = to_markdown(select(annotated), exported=EXPORTED)
    assert markdown.startswith(
        "# Highlights\n\nExported from reader on 2026-11-23T19:01:07Z: "
        "7 highlights from 2 articles.\n\n## A Strike Over Faces\n\n"
        "Source: <https://example.org/ledger-line/strike>\n\n"
        "Dana Whitfield · The Ledger Line · 2023-07-26\n\n> picket line\n\n> 87 percent\n\n"
        "#figures #AI/likeness\n\nNote: Check"
    )
    assert "\n## Voices: عربي / עברית 🎭\n\nSource: reader article voices\n\n> cafe\u0301\n" in (
        markdown
    )
    headings = [line for line in markdown.splitlines() if line.startswith(("# ", "## "))]
    assert headings == ["# Highlights", "## A Strike Over Faces", "## Voices: عربي / עברית 🎭"]


def test_markdown_article_without_highlights(article: Article) -> None:
    markdown = to_markdown(Selection([article], {article.id: []}), exported=EXPORTED)
    assert "0 highlights from 1 article." in markdown
    assert markdown.endswith(
        "## A Strike Over Faces\n\nSource: <https://example.org/ledger-line/strike>\n\n"
        "Dana Whitfield · The Ledger Line · 2023-07-26\n\nNo highlights.\n"
    )


def test_multi_line_quote_keeps_each_line_quoted() -> None:
    article = Article(id="a", title="# Not *a* heading #", body="x")
    quote = "First paragraph\nwith a hard break.\n\n# Heading-like line\n- list-like\n---\n1. one"
    highlight = Highlight("h", "a", 0, len(quote), quote, tags=["t"])
    markdown = to_markdown(Selection([article], {"a": [highlight]}), exported=EXPORTED)
    assert (
        "> First paragraph\\\n> with a hard break.\n>\n> \\# Heading-like line\\\n"
        "> \\- list-like\\\n> \\---\\\n> 1\\. one\n\n#t\n"
    ) in markdown
    assert "## \\# Not \\*a\\* heading \\#\n" in markdown
    assert render(markdown).text.split("\n\n")[2:4] == [
        "# Not *a* heading #",
        "Source: reader article a",
    ]


@given(quote=TEXT.filter(str.strip), note=TEXT)
def test_markdown_renders_to_the_same_text(quote: str, note: str) -> None:
    """Whatever a quote or note holds, the rendered Markdown shows that text."""
    highlight = Highlight("h", "a", 0, len(quote), quote, note=note)
    selection = Selection([Article(id="a", title="T", body="x")], {"a": [highlight]})
    shown = rendered_words(to_markdown(selection))
    assert words(quote) in shown
    assert words(note) in shown


# -- CSV -----------------------------------------------------------------------------------------


def csv_rows(data: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_csv_has_a_row_per_highlight_and_tag(annotated: AnnotationStore) -> None:
    data = FORMATS["csv"].render(select(annotated))
    assert data.startswith(b"id,article,title,tag,quote,note,start,end,created,coder\r\n")
    assert data.endswith(b"\r\n")
    titles = {a.id: a.title for a in annotated.library.articles()}
    expected = [
        {
            "id": h.id,
            "article": h.article_id,
            "title": titles[h.article_id],
            "tag": tag,
            "quote": h.quote,
            "note": h.note,
            "start": str(h.start),
            "end": str(h.end),
            "created": h.created,
            "coder": h.coder,
        }
        for h in list(annotated.all_highlights())
        for tag in h.tags or [""]
    ]
    assert csv_rows(data) == expected
    assert len(expected) == len(list(annotated.all_highlights())) + 1  # one highlight has two tags


def test_csv_quotes_only_what_needs_it() -> None:
    article = Article(id="a", title='Commas, and "quotes"', body="x")
    highlight = Highlight(
        "h1", "a", 3, 9, "plain", note="two\nlines", created="2026-01-01", coder="ana"
    )
    text = to_csv(Selection([article], {"a": [highlight]}))
    assert text.split("\r\n", 1)[1] == (
        'h1,a,"Commas, and ""quotes""",,plain,"two\nlines",3,9,2026-01-01,ana\r\n'
    )


@given(quote=TEXT.filter(str.strip), note=TEXT, tag=TEXT.filter(str.strip))
def test_csv_round_trips_any_text(quote: str, note: str, tag: str) -> None:
    article = Article(id="a", title=note, body="x")
    highlight = Highlight("h", "a", 0, len(quote), quote, tags=[tag], note=note)
    (row,) = csv_rows(to_csv(Selection([article], {"a": [highlight]})).encode("utf-8"))
    assert (row["quote"], row["note"], row["tag"], row["title"]) == (quote, note, tag, note)


# -- doccano JSONL -------------------------------------------------------------------------------


def jsonl_records(data: bytes) -> list[dict[str, Any]]:
    text = data.decode("utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_has_a_line_per_article_with_spans(annotated: AnnotationStore) -> None:
    data = FORMATS["jsonl"].render(select(annotated))
    assert "مرحبا".encode() in data  # UTF-8 as it is, not \u escapes
    records = jsonl_records(data)
    assert [r["id"] for r in records] == ["a-strike-over-faces", "voices"]
    for record in records:
        highlights = annotated.highlights(record["id"])
        assert record["text"] == annotated.library.display(record["id"]).text
        assert record["label"] == [
            [h.start, h.end, tag] for h in highlights for tag in h.tags or ["highlight"]
        ]
        by_span = {(h.start, h.end): h.quote for h in highlights}
        for start, end, _ in record["label"]:
            assert record["text"][start:end] == by_span[start, end]
    assert set(records[1]["label"][1][2:]) == {"ünï cödé"}
    assert [label for *_, label in records[0]["label"]] == [
        "highlight", "figures", "AI/likeness", "highlight"
    ]  # fmt: skip


def test_jsonl_article_without_highlights_has_no_labels() -> None:
    article = Article(id="a", title="A", body="Line one.\u2028Still one.\x85\u2029End.")
    text = to_doccano(Selection([article], {"a": []}))
    assert text.count("\n") == len(text.splitlines()) == 1
    (record,) = jsonl_records(text.encode("utf-8"))
    assert record == {"id": "a", "text": article.display.text, "label": []}
    assert "\u2028" in record["text"]


@given(body=TEXT.filter(str.strip), tags=st.lists(TEXT.filter(str.strip), max_size=3))
def test_jsonl_spans_slice_to_the_quote(body: str, tags: list[str]) -> None:
    article = Article(id="a", title="A", body=body)
    text = article.display.text
    highlights = [Highlight("h", "a", 0, len(text), text, tags=tags)] if text.strip() else []
    (record,) = jsonl_records(to_doccano(Selection([article], {"a": highlights})).encode())
    assert record["text"] == text
    if not highlights:  # e.g. a body of "#" renders to no text at all
        assert record["label"] == []
        return
    assert [text[s:e] for s, e, _ in record["label"]] == [text] * len(tags or highlights)
    assert [label for *_, label in record["label"]] == (tags or ["highlight"])


# -- REFI-QDA codebook ---------------------------------------------------------------------------

QDA = "{urn:QDA-XML:codebook:1.0}"
GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def codes(data: bytes) -> dict[str, ET.Element]:
    """Every code by its path of names (``AI/likeness``), checking the document as it goes."""
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    root = ET.fromstring(data)
    assert (root.tag, root.get("origin")) == (f"{QDA}CodeBook", "reader")
    (codes_element,) = root
    assert codes_element.tag == f"{QDA}Codes"
    found: dict[str, ET.Element] = {}

    def walk(element: ET.Element, prefix: str) -> None:
        for code in element.findall(f"{QDA}Code"):
            assert GUID.fullmatch(code.get("guid", "")) and code.get("isCodable") == "true"
            assert re.fullmatch(r"#[0-9A-F]{6}", code.get("color", "#000000"))
            assert [c.tag for c in code][:1] in ([], [f"{QDA}Description"], [f"{QDA}Code"])
            path = f"{prefix}{code.get('name')}"
            found[path] = code
            walk(code, path + "/")

    walk(codes_element, "")
    assert len({c.get("guid") for c in found.values()}) == len(found)
    return found


def test_qdc_nests_tags_by_slash(annotated: AnnotationStore) -> None:
    annotated.ensure_tag("unused", color="#abc", description="Kept: <all> & every tag")
    found = codes(FORMATS["qdc"].render(select(annotated)))
    assert sorted(found) == ["AI", "AI/likeness", "figures", "unused", "ünï cödé"]
    assert found["AI"].find(f"{QDA}Code") is found["AI/likeness"]
    assert found["AI"].get("color") is None  # made only as a parent
    tags = {t.name: t for t in annotated.tags()}
    assert found["AI/likeness"].get("color") == tags["AI/likeness"].color.upper()
    assert found["unused"].get("color") == "#AABBCC"
    assert found["unused"].findtext(f"{QDA}Description") == "Kept: <all> & every tag"
    assert found["AI/likeness"].get("guid") == code_guid("AI/likeness")


def test_qdc_parent_tag_and_stable_guids(store: AnnotationStore) -> None:
    # "a//b/" and "/" as a workspace from before tag names were cleaned of them may hold them.
    store.write_codebook({name: Tag(name) for name in ["AI/likeness/voice", "AI", "a//b/", "/"]})
    store.update_tag("AI", description="bad \u0001 char \ufffe")
    found = codes(FORMATS["qdc"].render(select(store)))
    assert sorted(found) == ["/", "AI", "AI/likeness", "AI/likeness/voice", "a", "a/b"]
    assert found["AI"].get("color") and found["AI"].findtext(f"{QDA}Description") == (
        "bad \ufffd char \ufffd"
    )
    assert found["a/b"].get("guid") == code_guid("a//b/")
    # The same in every export and workspace: a fixed namespace, pinned here.
    assert found["AI"].get("guid") == "925c913c-afb3-5d2e-8a5b-411414977352"


@given(names=st.lists(TEXT.map(lambda t: " ".join(t.split())[:64]).filter(bool), max_size=6))
def test_qdc_any_tag_names_parse(names: list[str]) -> None:
    tags = [Tag(name, "#F2C94C", name) for name in dict.fromkeys(names)]
    found = codes(to_qdc(Selection([], {}, tags)))
    assert len(found) >= len(tags)
    real = [c for c in found.values() if c.get("color")]
    assert sorted(c.get("guid", "") for c in real) == sorted(code_guid(t.name) for t in tags)


# -- every format: Unicode, and the command line --------------------------------------------------


@given(note=TEXT)
def test_unicode_survives_every_format(note: str) -> None:
    article = Article(id="voices", title="Voices 🎭 عربي", body=UNICODE_BODY)
    text = article.display.text
    tags = ["ünï/cödé 🎭", "עברית"]
    highlights = [
        Highlight(f"h{n}", "voices", *span(text, q), q, tags=tags, note=note)
        for n, q in enumerate(UNICODE_QUOTES)
    ]
    selection = Selection([article], {"voices": highlights}, [Tag(t) for t in tags])
    out = {name: fmt.render(selection) for name, fmt in FORMATS.items() if not fmt.writes_folder}
    native = json.loads(out["json"])["articles"][0]["highlights"]
    assert [(h["quote"], h["note"]) for h in native] == [(q, note) for q in UNICODE_QUOTES]
    items = json.loads(out["w3c"])["first"]["items"]
    assert [i["target"]["selector"][0]["exact"] for i in items] == UNICODE_QUOTES
    assert all(i["body"][-1]["value"] == (note or "עברית") for i in items)
    markdown = out["markdown"].decode("utf-8")
    assert all(f"> {q}\n" in markdown for q in UNICODE_QUOTES)
    assert words(note) in rendered_words(markdown)
    rows = csv_rows(out["csv"])
    assert [(r["quote"], r["note"], r["tag"]) for r in rows[::2]] == [
        (q, note, tags[0]) for q in UNICODE_QUOTES
    ]
    (record,) = jsonl_records(out["jsonl"])
    assert [record["text"][s:e] for s, e, _ in record["label"][::2]] == UNICODE_QUOTES
    assert sorted(codes(out["qdc"])) == ["ünï", "ünï/cödé 🎭", "עברית"]


def exported(fmt: str, path: Path) -> set[str]:
    """What an export file holds: its quotes, or for a codebook its codes."""
    if fmt == "obsidian":  # the first line of each quote callout (these quotes are one line)
        lines = [line for note in path.glob("*.md") for line in note.read_text().splitlines()]
        return {after[2:] for line, after in itertools.pairwise(lines) if line == "> [!quote]"}
    data = path.read_bytes()
    if fmt == "json":
        return {h["quote"] for a in json.loads(data)["articles"] for h in a["highlights"]}
    if fmt == "w3c":
        items = json.loads(data).get("first", {"items": []})["items"]
        return {i["target"]["selector"][0]["exact"] for i in items}
    if fmt == "markdown":
        return {line[2:] for line in data.decode().splitlines() if line.startswith("> ")}
    if fmt == "csv":
        return {row["quote"] for row in csv_rows(data)}
    if fmt == "jsonl":
        records = jsonl_records(data) if data else []
        return {r["text"][s:e] for r in records for s, e, _ in r["label"]}
    if fmt == "html":
        return set(html_quotes(data).values())
    if fmt in ("qdpx", "qdpx-crlf"):
        return qdpx_quotes(data)
    if fmt == "csl":
        return {item["id"] for item in json.loads(data)}
    assert fmt == "qdc"
    return set(codes(data))


def qdpx_quotes(data: bytes) -> set[str]:
    """The text at each selection's positions in a REFI-QDA project, line ends as LF."""
    import zipfile
    from xml.etree import ElementTree as ET

    quotes = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        for source in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
            entry = "sources/" + source.get("plainTextPath", "").removeprefix("internal://")
            text = archive.read(entry).decode("utf-8")
            for selection in source.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                quotes.add(text[start:end].replace("\r\n", "\n"))
    return quotes


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_from_the_command_line(
    fmt: str, annotated: AnnotationStore, tmp_path: Path
) -> None:
    text = annotated.library.display("voices").text
    annotated.add_highlight("voices", *span(text, "Hebrew"), created="2020-01-01T00:00:00Z")

    runs = iter(range(100))

    def run(*args: str) -> set[str]:
        out = tmp_path / "out" / f"export{FORMATS[fmt].suffix}"
        if FORMATS[fmt].writes_folder:  # a vault keeps the notes of earlier runs: a new one
            out = tmp_path / f"vault{next(runs)}"
        argv = ["export", "-w", str(annotated.workspace.root), "--format", fmt, "-o", str(out)]
        argv.append("--force")  # each run replaces the last one's file
        result = CliRunner().invoke(main, [*argv, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "" and f"to {out}" in result.stderr
        return exported(fmt, out)

    everything = run()
    if fmt == "csl":  # citations of the articles, not the highlights
        assert everything == set(annotated.annotated_article_ids())
        assert run("--article", "voices") == {"voices"}
        assert run("--tag", "figures") == {
            h.article_id for h in annotated.all_highlights() if "figures" in h.tags
        }
        return
    if fmt == "qdc":
        assert everything == {"AI", "AI/likeness", "figures", "ünï cödé"}
        assert run("--tag", "ünï cödé") == {"ünï cödé"}
        assert run("--since", "2999-01-01") == set()
        return
    assert everything == {h.quote for h in list(annotated.all_highlights())}
    assert run("--article", "voices") == {*UNICODE_QUOTES, "Hebrew"}
    assert run("--tag", "figures") == {"87 percent"}
    assert run("--since", "2021-01-01") == everything - {"Hebrew"}
    assert run("--article", "voices", "--since", "2999-01-01") == set()
