"""Our own exports imported back: nothing that is there already is made twice (U1), and the
summary counts what could not be placed (U21).

The workspace is the sample corpus, whose articles are formatted Markdown (italics, headings,
links, lists), so an article's display text, which doccano JSONL carries, is not its body.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotations.formats.importing import AnnotationImportError, merge, read_annotations
from annotations.formats.registry import FORMATS, export_to_file
from annotations.store import AnnotationStore
from corpus.library import Library
from corpus.sample_corpus import install_samples
from corpus.workspace import Workspace
from reader.cli import main

ARTICLE = "netflix-ai-job-picket-line"
ROUND_TRIP = ["json", "w3c", "jsonl"]


def workspace(root: Path, *, samples: bool = True) -> AnnotationStore:
    ws = Workspace(root)
    ws.ensure()
    if samples:
        install_samples(Library(ws))
    return AnnotationStore(ws)


def annotate(store: AnnotationStore) -> None:
    """Bulk-coded phrases in three formatted articles, an untagged highlight, one with two tags
    and a note, and an untagged and a tagged highlight over one span."""
    from corpus.search import SearchIndex

    spans = [
        (m.article_id, m.start, m.end)
        for m in SearchIndex(store.library).search('"digital replica"')
    ]
    assert len({a for a, _, _ in spans}) >= 3
    store.bulk_code(spans, ["AI/likeness"])
    text = store.library.display(ARTICLE).text
    start = text.index("picket line")
    store.add_highlight(ARTICLE, start, start + 11)  # untagged
    start = text.index("$300,000 to $900,000")
    store.add_highlight(ARTICLE, start, start + 20, tags=["pay", "range"], note="The range.")
    start = text.index("Netflix")
    store.add_highlight(ARTICLE, start, start + 7)
    store.add_highlight(ARTICLE, start, start + 7, tags=["company"])


def state(store: AnnotationStore) -> tuple[list[str], list[tuple[object, ...]], list[str]]:
    """Article ids, every highlight (id aside), tag names."""
    highlights = sorted(
        (h.article_id, h.start, h.end, h.quote, tuple(h.tags), h.note, h.orphaned)
        for h in store.all_highlights()
    )
    return store.library.ids(), highlights, sorted(t.name for t in store.tags())


def export(store: AnnotationStore, fmt: str, folder: Path) -> Path:
    path = folder / f"export{FORMATS[fmt].suffix}"
    export_to_file(store, fmt, path, replace=True)
    return path


def import_cli(store: AnnotationStore, path: Path) -> Result:
    return CliRunner().invoke(
        main, ["--workspace", str(store.workspace.root), "import-annotations", str(path)]
    )


# -- U1: into the workspace that holds the data ----------------------------------------------------
@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_an_export_imported_back_adds_nothing(tmp_path: Path, fmt: str) -> None:
    store = workspace(tmp_path / "ws")
    annotate(store)
    before = state(store)
    path = export(store, fmt, tmp_path)
    result = import_cli(store, path)
    assert result.exit_code == 0, result.output
    # doccano has a line per span, not per highlight: the untagged and the tagged highlight
    # over one span are one there.
    count = len({h[:3] for h in before[1]}) if fmt == "jsonl" else len(before[1])
    assert result.stdout == f"imported 0 highlights from {path} ({fmt}); {count} already there\n"
    assert result.stderr == ""
    assert state(store) == before
    assert "highlight" not in before[2]


def test_doccano_lines_without_our_ids_find_their_articles_by_display_text(
    tmp_path: Path,
) -> None:
    """doccano's own exports number their lines: the text alone finds the article."""
    store = workspace(tmp_path / "ws")
    annotate(store)
    before = state(store)
    path = export(store, "jsonl", tmp_path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for n, record in enumerate(lines, start=1):
        record["id"] = n
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines))
    report = merge(store, read_annotations(path))
    assert (report.articles_created, report.added) == ([], 0)
    assert state(store) == before


def test_an_untagged_span_does_not_come_back_tagged_highlight(tmp_path: Path) -> None:
    line = {"id": 1, "text": "Actors walked out.", "label": [[0, 6, "strike"], [0, 6, "highlight"]]}
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps(line) + "\n")
    (article,) = read_annotations(path).articles
    assert [h.tags for h in article.highlights] == [["strike"]]


# -- U1: into a workspace without the highlights (or without the articles) -------------------------
@pytest.mark.parametrize("fmt", ROUND_TRIP)
def test_an_export_imported_elsewhere_makes_what_is_missing(tmp_path: Path, fmt: str) -> None:
    source = workspace(tmp_path / "a")
    annotate(source)
    path = export(source, fmt, tmp_path)
    target = workspace(tmp_path / "b")
    first = import_cli(target, path)
    assert first.exit_code == 0, first.output
    # The two highlights over one span, untagged and tagged, may come back as one in doccano,
    # which has no highlights, only labelled spans; nothing else differs.
    articles, highlights, tags = state(target)
    expected = state(source)
    if fmt == "jsonl":
        expected = (expected[0], [h for h in expected[1] if h[3:5] != ("Netflix", ())], [])
        highlights = [(*h[:5], "", h[6]) for h in highlights]  # doccano carries no notes
        expected = (expected[0], [(*h[:5], "", h[6]) for h in expected[1]], [])
        tags = []
    assert (articles, highlights, tags) == expected
    again = import_cli(target, path)
    assert again.exit_code == 0 and "imported 0 highlights" in again.stdout


def test_doccano_into_an_empty_workspace_creates_the_articles_once(tmp_path: Path) -> None:
    source = workspace(tmp_path / "a")
    annotate(source)
    path = export(source, "jsonl", tmp_path)
    target = workspace(tmp_path / "b", samples=False)
    report = merge(target, read_annotations(path))
    annotated = source.annotated_article_ids()
    assert len(report.articles_created) == len(annotated)
    quotes = sorted(h.quote for h in target.all_highlights())
    assert quotes == sorted({(h.article_id, h.start, h.quote): h.quote
                             for h in source.all_highlights()}.values())  # fmt: skip
    again = merge(target, read_annotations(path))
    assert (again.articles_created, again.added) == ([], 0)
    assert len(target.library.ids()) == len(annotated)


# -- U21: what could not be placed is counted, and nothing placed is a failure ---------------------
@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_nothing_placed_is_counted_and_exits_1(tmp_path: Path, fmt: str) -> None:
    source = workspace(tmp_path / "a")
    annotate(source)
    path = export(source, fmt, tmp_path)
    target = workspace(tmp_path / "b", samples=False)
    result = import_cli(target, path)
    assert result.exit_code == 1
    total = len(list(source.all_highlights()))
    articles = len(source.annotated_article_ids())
    assert result.stdout == (
        f"imported 0 highlights from {path} ({fmt}); 0 already there; "
        f"{total} skipped ({total} in {articles} articles not in the workspace)\n"
    )
    errors = result.stderr.splitlines()
    assert len(errors) == articles + 1
    assert errors[-1] == (
        f"Error: {path}: nothing imported: none of its {total} highlights could be placed"
    )
    assert list(target.all_highlights()) == []


def test_some_placed_some_skipped_is_counted_and_exits_0(tmp_path: Path) -> None:
    source = workspace(tmp_path / "a")
    annotate(source)
    path = export(source, "json", tmp_path)
    target = workspace(tmp_path / "b")
    target.library.workspace.article_file("feature-the-price-of-a-face").unlink()
    text = target.library.get(ARTICLE)
    text.body = text.body.replace("picket line", "picket queue")
    target.library.save(text)
    gone = [h for h in source.all_highlights() if h.article_id == "feature-the-price-of-a-face"]
    assert gone
    result = import_cli(target, path)
    assert result.exit_code == 0, result.output
    total = len(list(source.all_highlights()))
    skipped = len(gone) + 1
    summary = result.stdout.splitlines()[-1]
    assert summary == (
        f"imported {total - skipped} highlights from {path} (json); 0 already there; "
        f"{skipped} skipped ({len(gone)} in 1 article not in the workspace, "
        "1 quote not found)"
    )
    assert "quote not found in" in result.stderr and "'picket line'" in result.stderr


def test_a_doccano_id_is_never_a_path(tmp_path: Path) -> None:
    """A line's id names an article only as listed in articles/, never as a file path: one
    that could name a path is refused, as every id from a file is (tests/test_ids.py)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.md").write_text("# Victim\n\nText outside the workspace.\n")
    store = workspace(tmp_path / "ws", samples=False)
    line = {"id": "../../outside/victim", "text": "Text outside.", "label": [[0, 4, "x"]]}
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(line) + "\n")
    with pytest.raises(AnnotationImportError, match="not a valid document id"):
        merge(store, read_annotations(path))
    assert sorted(p.name for p in outside.iterdir()) == ["victim.md"]
    assert store.library.ids() == []
