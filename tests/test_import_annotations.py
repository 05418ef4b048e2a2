"""Importing annotations: round trips through native and W3C, doccano, and bad files."""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.formats.importing import AnnotationImportError, merge, read_annotations
from annotations.formats.registry import export_to_file
from annotations.model import Highlight
from annotations.store import AnnotationStore, DuplicateHighlight
from corpus.library import Library
from corpus.sample_corpus import install_samples
from corpus.workspace import Workspace
from reader.cli import main

ARTICLE = "netflix-ai-job-picket-line"
NOTES = st.text(alphabet=st.sampled_from(list("abc xyz\n😀🎬مرحباשלוםé\u0301\u05d0")), max_size=30)
TAGS = st.lists(
    st.sampled_from(["strike", "AI/likeness", "pay", "health plan", "😀"]), unique=True, max_size=3
)


def fresh_workspace(root: Path) -> AnnotationStore:
    workspace = Workspace(root)
    workspace.ensure()
    install_samples(Library(workspace))
    return AnnotationStore(workspace)


def comparable(h: Highlight, *, with_color: bool = True) -> tuple[object, ...]:
    return (
        h.id,
        h.article_id,
        h.start,
        h.end,
        h.quote,
        h.prefix,
        h.suffix,
        tuple(h.tags),
        h.note,
        h.color if with_color else None,
        h.created,
    )


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@st.composite
def highlight_specs(draw: st.DrawFn) -> list[tuple[int, int, list[str], str]]:
    specs = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        start = draw(st.integers(min_value=0, max_value=3000))
        length = draw(st.integers(min_value=1, max_value=120))
        specs.append((start, start + length, draw(TAGS), draw(NOTES)))
    return specs


@pytest.mark.parametrize("fmt", ["json", "w3c"])
@settings(max_examples=25)
@given(specs=highlight_specs())
def test_export_then_import_gives_back_the_same_highlights(
    fmt: str, specs: list[tuple[int, int, list[str], str]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = fresh_workspace(Path(tmp) / "a")
        text = source.library.display(ARTICLE).text
        for start, end, tags, note in specs:
            if text[start:end].strip():
                with contextlib.suppress(DuplicateHighlight):  # the same passage is one highlight
                    source.add_highlight(ARTICLE, start, end, tags=tags, note=note)
        exported = Path(tmp) / f"out.{fmt}"
        export_to_file(source, fmt, exported)

        target = fresh_workspace(Path(tmp) / "b")
        report = merge(target, read_annotations(exported))
        before = sorted(comparable(h, with_color=fmt == "json") for h in source.highlights(ARTICLE))
        after = sorted(comparable(h, with_color=fmt == "json") for h in target.highlights(ARTICLE))
        assert after == before
        assert report.added == len(before) and not report.unanchored
        if fmt == "json":
            assert {t.name: t.color for t in target.tags()} == {
                t.name: t.color for t in source.tags()
            }
        again = merge(target, read_annotations(exported))
        assert again.added == 0 and again.already_there == len(before)


def test_quotes_are_reanchored_on_changed_local_text(tmp_path: Path) -> None:
    source = fresh_workspace(tmp_path / "a")
    text = source.library.display(ARTICLE).text
    start = text.index("$300,000 to $900,000")
    source.add_highlight(ARTICLE, start, start + 20, tags=["pay"])
    export_to_file(source, "json", tmp_path / "out.json")

    target = fresh_workspace(tmp_path / "b")
    article = target.library.get(ARTICLE)
    article.body = "A new opening paragraph pushes everything down.\n\n" + article.body
    target.library.save(article)
    merge(target, read_annotations(tmp_path / "out.json"))
    (moved,) = target.highlights(ARTICLE)
    assert moved.quote == "$300,000 to $900,000"
    assert target.library.display(ARTICLE).text[moved.start : moved.end] == moved.quote
    assert moved.start > start


def test_unknown_articles_and_missing_quotes_are_reported_not_written(tmp_path: Path) -> None:
    data = {
        "format": "reader-annotations",
        "version": 1,
        "tags": [],
        "articles": [
            {"id": "not-here", "highlights": []},
            {
                "id": ARTICLE,
                "highlights": [
                    {"id": "h1", "quote": "words that are nowhere", "start": 0, "end": 22}
                ],
            },
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    store = fresh_workspace(tmp_path / "ws")
    report = merge(store, read_annotations(path))
    assert report.unknown_articles == ["not-here"]
    assert report.unanchored == [(ARTICLE, "words that are nowhere")]
    assert store.highlights(ARTICLE) == []


def test_doccano_jsonl_creates_articles_with_their_spans(tmp_path: Path) -> None:
    text = "Actors walked out. The studios wanted scans.\n\nA second paragraph about pay."
    lines = [
        json.dumps({"id": 7, "text": text, "label": [[0, 18, "strike"], [19, 44, "likeness"]]}),
        json.dumps({"text": "Only text here.", "label": []}),
    ]
    path = tmp_path / "spans.jsonl"
    path.write_text("\n".join(lines) + "\n")
    store = fresh_workspace(tmp_path / "ws")
    report = merge(store, read_annotations(path))
    assert len(report.articles_created) == 2 and report.added == 2
    created = report.articles_created[0]
    display = store.library.display(created).text
    quotes = {h.quote: h.tags for h in store.highlights(created)}
    assert quotes == {"Actors walked out.": ["strike"], "The studios wanted scans.": ["likeness"]}
    assert display.startswith("Actors walked out.")
    again = merge(store, read_annotations(path))
    assert again.articles_created == [] and again.already_there == 2


BAD_FILES = {
    "bad.json": (
        '{"format": "reader-annotations", "version": 1, "tags": [], "articles": '
        '[{"id": "x", "highlights": [{"id": "a", "quote": "q", "start": "0", "end": 1}]}]}',
        "articles[0].highlights[0].start",
    ),
    "newer.json": ('{"format": "reader-annotations", "version": 9, "articles": []}', "version"),
    "w3c.jsonld": (
        '{"type": "Annotation", "id": "urn:x", "target": {"source": "https://e.org", '
        '"selector": {"type": "XPathSelector", "value": "/p"}}}',
        "TextQuoteSelector",
    ),
    "lines.jsonl": (
        '{"text": "abc", "label": [[0, 2, "t"]]}\n{"text": "abc", "label": [[2, 9, "t"]]}',
        ":2.label[0]",
    ),
    "broken.jsonl": ('{"text": "abc", "label": []}\n{not json', ":2: not JSON"),
    "empty.json": ("   ", "empty file"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_changes_nothing_and_names_the_problem(tmp_path: Path, name: str) -> None:
    content, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(content)
    ws = tmp_path / "ws"
    fresh_workspace(ws).close()
    before = snapshot(ws)
    result = CliRunner().invoke(main, ["--workspace", str(ws), "import-annotations", str(path)])
    assert result.exit_code == 1
    assert str(path) in result.output and expected in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert snapshot(ws) == before
    with pytest.raises(AnnotationImportError):
        read_annotations(path)


def test_cli_import_reports_counts(tmp_path: Path) -> None:
    source = fresh_workspace(tmp_path / "a")
    text = source.library.display(ARTICLE).text
    start = text.index("strike")
    source.add_highlight(ARTICLE, start, start + 6, tags=["strike"], note="first")
    export_to_file(source, "w3c", tmp_path / "out.jsonld")
    fresh_workspace(tmp_path / "b").close()
    runner = CliRunner()
    args = ["--workspace", str(tmp_path / "b"), "import-annotations", str(tmp_path / "out.jsonld")]
    first = runner.invoke(main, args)
    assert first.exit_code == 0 and "imported 1 highlight from" in first.output
    second = runner.invoke(main, args)
    assert "imported 0 highlights from" in second.output and "1 already there" in second.output


def test_doccano_lines_without_ids_are_separate_articles(tmp_path: Path) -> None:
    store = fresh_workspace(tmp_path / "ws")
    for n, text in enumerate(("First text.", "Other text.")):
        path = tmp_path / f"noid{n}.jsonl"
        path.write_text(json.dumps({"text": text, "label": [[0, 5, "x"]]}))
        report = merge(store, read_annotations(path))
        assert len(report.articles_created) == 1 and report.added == 1
    quotes = sorted(h.quote for h in store.all_highlights())
    assert quotes == ["First", "Other"]


def test_one_file_with_two_texts_of_the_same_title_makes_two_articles(tmp_path: Path) -> None:
    texts = ["Same title\n\nfirst body", "Same title\n\nsecond body", "Same title\n\nfirst body"]
    path = tmp_path / "same.jsonl"
    path.write_text("\n".join(json.dumps({"text": t, "label": [[0, 4, "x"]]}) for t in texts))
    store = fresh_workspace(tmp_path / "ws")
    report = merge(store, read_annotations(path))
    assert len(report.articles_created) == 2 and len(set(report.articles_created)) == 2
    bodies = sorted(store.library.display(a).text for a in report.articles_created)
    assert bodies == ["Same title\n\nfirst body", "Same title\n\nsecond body"]
    assert report.added == 2 and report.already_there == 1


def test_orphans_survive_a_native_round_trip(tmp_path: Path) -> None:
    source = fresh_workspace(tmp_path / "a")
    article = source.library.get(ARTICLE)
    text = article.display.text
    start = text.index("machine learning system")
    made = source.add_highlight(ARTICLE, start, start + 23, note="about the platform")
    article.body = article.body.replace("machine learning system", "recommendation engine")
    source.library.save(article)
    assert source.get_highlight(ARTICLE, made.id).orphaned
    export_to_file(source, "json", tmp_path / "out.json")
    exported = json.loads((tmp_path / "out.json").read_text())
    assert exported["articles"][0]["highlights"][0]["orphaned"] is True

    target = fresh_workspace(tmp_path / "b")
    target.library.save(article)  # the same changed text
    report = merge(target, read_annotations(tmp_path / "out.json"))
    assert report.added == 1 and not report.unanchored
    (kept,) = target.highlights(ARTICLE)
    assert kept.orphaned and kept.quote == "machine learning system"
    assert kept.note == "about the platform"


def test_an_imported_quote_whose_passage_is_gone_is_not_put_on_its_copy(tmp_path: Path) -> None:
    """Context decides for imports as for re-anchoring (R5): the local article lost the
    paragraph the highlight was made in, and the same words elsewhere are another passage."""
    source = fresh_workspace(tmp_path / "a")
    text = source.library.display(ARTICLE).text
    assert text.count("Netflix") > 1
    last = text.rindex("Netflix")
    source.add_highlight(ARTICLE, last, last + len("Netflix"), note="the last mention")
    export_to_file(source, "json", tmp_path / "out.json")

    target = fresh_workspace(tmp_path / "b")
    article = target.library.get(ARTICLE)
    paragraphs = article.body.split("\n\n")
    holding = max(i for i, p in enumerate(paragraphs) if "Netflix" in p)
    article.body = "\n\n".join(paragraphs[:holding] + paragraphs[holding + 1 :])
    target.library.save(article)
    report = merge(target, read_annotations(tmp_path / "out.json"))
    assert report.added == 0
    assert [quote for _, quote in report.unanchored] == ["Netflix"]
    assert target.highlights(ARTICLE) == []
