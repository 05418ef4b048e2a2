"""Inter-coder agreement: hand-computed cases, and every count checked unit by unit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.agreement import CodedSpan, Counts, Disagreement, compare


def span(start: int, end: int, *tags: str, article: str = "a") -> CodedSpan:
    return CodedSpan(article, start, end, tags)


def test_a_hand_computed_case() -> None:
    # Ten units: A marks 0-4, B marks 2-6. Both 2, A only 2, B only 2, neither 4.
    # p_o = 0.6; chance = .4*.4 + .6*.6 = .52; kappa = .08/.48 = 1/6.
    # alpha: n = 20 values, 8 ones, 12 zeros, 8 off-diagonal coincidences:
    # 1 - 19 * 8 / (2 * 8 * 12) = 40/192.
    [result] = compare({"a": 10}, [span(0, 4, "pay")], [span(2, 6, "pay")])
    assert result.counts == Counts(both=2, only_a=2, only_b=2, neither=4)
    assert result.agreement == pytest.approx(0.6)
    assert result.kappa == pytest.approx(1 / 6)
    assert result.alpha == pytest.approx(40 / 192)
    assert result.disagreements == [Disagreement("a", 0, 2, "a"), Disagreement("a", 4, 6, "b")]


def test_perfect_agreement_and_none_where_undefined() -> None:
    [same] = compare({"a": 10}, [span(3, 7, "x")], [span(3, 7, "x")])
    assert (same.agreement, same.kappa, same.alpha) == (1.0, 1.0, 1.0)
    # Neither coder used the tag in these articles: nothing to tell chance from agreement.
    [empty] = compare({"a": 10}, [span(0, 5, "x")], [span(0, 5, "x")], tags=["y"])
    assert empty.agreement == 1.0 and empty.kappa is None and empty.alpha is None


def test_nested_tags_count_for_their_parent_and_overlaps_count_once() -> None:
    a = [span(0, 5, "AI/likeness"), span(3, 8, "AI/jobs")]
    b = [span(0, 8, "AI")]
    results = {r.tag: r for r in compare({"a": 20}, a, b)}
    assert list(results) == ["AI", "AI/jobs", "AI/likeness"]
    assert results["AI"].counts == Counts(both=8, neither=12)
    assert results["AI/likeness"].counts == Counts(only_a=5, neither=15)


def test_articles_are_pooled_and_others_ignored() -> None:
    a = [span(0, 2, "t", article="x"), span(0, 2, "t", article="y"), span(0, 9, "t", article="z")]
    b = [span(0, 2, "t", article="x")]
    [result] = compare({"x": 4, "y": 4}, a, b)
    assert result.counts == Counts(both=2, only_a=2, neither=4)
    assert result.disagreements == [Disagreement("y", 0, 2, "a")]


spans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(["p", "p/q", "r"])),
    max_size=6,
)


@given(spans, spans, st.integers(1, 40))
def test_counts_and_passages_agree_with_a_unit_by_unit_count(
    raw_a: list[tuple[int, int, str]], raw_b: list[tuple[int, int, str]], length: int
) -> None:
    a = [span(min(s, e), max(s, e), t) for s, e, t in raw_a]
    b = [span(min(s, e), max(s, e), t) for s, e, t in raw_b]
    for result in compare({"a": length}, a, b, tags=["p", "p/q", "r"]):

        def marked(coded: list[CodedSpan], unit: int, tag: str = result.tag) -> bool:
            return any(
                c.start <= unit < c.end and any(t == tag or t.startswith(tag + "/") for t in c.tags)
                for c in coded
            )

        labels = [(marked(a, u), marked(b, u)) for u in range(length)]
        assert result.counts == Counts(
            both=labels.count((True, True)),
            only_a=labels.count((True, False)),
            only_b=labels.count((False, True)),
            neither=labels.count((False, False)),
        )
        # The passages cover exactly the units one coder marked, each run once.
        covered = sorted(u for d in result.disagreements for u in range(d.start, d.end))
        assert covered == [u for u, (x, y) in enumerate(labels) if x != y]
        for d in result.disagreements:
            assert all(labels[u] == (d.coder == "a", d.coder == "b") for u in range(d.start, d.end))
