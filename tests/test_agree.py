"""`reader agree`: per-tag agreement between two coders, checked against nltk's AnnotationTask
(an independent implementation of Cohen's kappa and Krippendorff's alpha)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.agreement import CodedSpan, compare
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main

TEXT = (
    "The studio scanned the faces of background actors for one day's pay. "
    "The union said the likeness could then be used forever. "
    "A director of generative AI for games was offered up to $650,000 a year."
)


def nltk_measures(
    length: int, a: list[CodedSpan], b: list[CodedSpan], tag: str
) -> tuple[float, float]:
    def label(spans: list[CodedSpan], unit: int) -> int:
        return int(
            any(
                s.start <= unit < s.end and any(t.split("/")[0] == tag or t == tag for t in s.tags)
                for s in spans
            )
        )

    # Imported here: only the process that runs these tests pays for it.
    from nltk.metrics.agreement import AnnotationTask

    task = AnnotationTask(
        [("a", u, label(a, u)) for u in range(length)]
        + [("b", u, label(b, u)) for u in range(length)]
    )
    return task.kappa(), task.alpha()


@pytest.fixture
def coded(ws: Workspace) -> Workspace:
    Library(ws).save(Article(id="scan", title="Scans", body=TEXT))
    Library(ws).save(Article(id="other", title="Only Ana", body=TEXT))
    with AnnotationStore(ws, coder="ana") as store:
        store.add_highlight("scan", 4, 40, tags=["AI/likeness"])
        store.add_highlight("scan", 71, 125, tags=["AI/likeness"], note="forever")
        store.add_highlight("scan", 126, 175, tags=["pay"])
        store.add_highlight("other", 0, 50, tags=["pay"])  # ben has nothing here: not compared
    with AnnotationStore(ws, coder="ben") as store:
        store.add_highlight("scan", 0, 60, tags=["AI"])
        store.add_highlight("scan", 150, 197, tags=["pay"])
    return ws


def test_agree_json_matches_an_independent_computation(coded: Workspace) -> None:
    result = CliRunner().invoke(
        main, ["-w", str(coded.root), "agree", "--coder", "ana", "--coder", "ben", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = {r["tag"]: r for r in map(json.loads, result.output.splitlines())}
    assert list(rows) == ["AI", "AI/likeness", "pay"]
    with AnnotationStore(coded) as store:
        spans = {
            coder: [
                CodedSpan(h.article_id, h.start, h.end, tuple(h.tags))
                for h in store.all_highlights()
                if h.coder == coder and h.article_id == "scan"
            ]
            for coder in ("ana", "ben")
        }
    for tag in ("AI", "pay"):
        kappa, alpha = nltk_measures(len(TEXT), spans["ana"], spans["ben"], tag)
        assert rows[tag]["kappa"] == pytest.approx(kappa)
        assert rows[tag]["alpha"] == pytest.approx(alpha)
        assert rows[tag]["units"] == len(TEXT)
    assert set(rows["pay"]) >= {"tag", "agreement", "kappa", "alpha", "units"}
    assert rows["pay"]["marked"] == {"ana": 175 - 126, "ben": 197 - 150}


def test_agree_prints_a_table_and_the_passages(coded: Workspace) -> None:
    result = CliRunner().invoke(
        main, ["-w", str(coded.root), "agree", "--coder", "ana", "--coder", "ben", "--tag", "pay"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"ana and ben over 1 article ({len(TEXT)} characters)"
    assert lines[2].startswith("pay ")
    assert f"  scan 126-150  only ana: {' '.join(TEXT[126:150].split())}\n" in result.output
    assert f"  scan 175-197  only ben: {TEXT[175:197]}\n" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--coder", "ana"], "--coder: give exactly two coders (got 1)"),
        (["--coder", "ana", "--coder", "ana"], "name two different coders"),
        (["--coder", "ana", "--coder", "cleo"], "coder 'cleo' has no highlights"),
        (["--coder", "ana", "--coder", "ben", "--article", "gone"], "no article with id 'gone'"),
    ],
)
def test_what_cannot_be_compared_is_one_line(coded: Workspace, args: list[str], words: str) -> None:
    result = CliRunner().invoke(main, ["-w", str(coded.root), "agree", *args])
    assert result.exit_code == 1
    assert words in result.output and len(result.output.strip().splitlines()) == 1


spans = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from(["p", "p/q", "r"])),
    max_size=4,
)


@settings(max_examples=60, deadline=None)
@given(spans, spans)
def test_kappa_and_alpha_equal_nltks(
    raw_a: list[tuple[int, int, str]], raw_b: list[tuple[int, int, str]]
) -> None:
    length = 36
    a = [CodedSpan("x", s, s + w, (t,)) for s, w, t in raw_a]
    b = [CodedSpan("x", s, s + w, (t,)) for s, w, t in raw_b]
    for result in compare({"x": length}, a, b, tags=["p", "r"]):
        if result.kappa is None or result.alpha is None:
            continue  # undefined (every unit alike): nltk divides by zero there
        kappa, alpha = nltk_measures(length, a, b, result.tag)
        assert result.kappa == pytest.approx(kappa)
        assert result.alpha == pytest.approx(alpha)
