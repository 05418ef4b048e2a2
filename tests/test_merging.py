"""Three-way merge of highlights by id: nothing either coder wrote is lost."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from annotations.merging import Event, merge_records


def rec(hid: str, note: str = "", updated: str = "2026-01-01T00:00:00+00:00") -> dict[str, Any]:
    return {"id": hid, "note": note, "updated": updated}


def test_each_sides_additions_and_edits_are_kept() -> None:
    base = {"h1": rec("h1"), "h2": rec("h2")}
    ours = {**base, "h1": rec("h1", "ana's note"), "a1": rec("a1")}
    theirs = {"h1": rec("h1"), "b1": rec("b1")}  # ben deleted h2 and added b1
    merged = merge_records(base, ours, theirs)
    assert merged.records == {"a1": rec("a1"), "b1": rec("b1"), "h1": rec("h1", "ana's note")}
    assert merged.conflicts == []
    assert merged.events == [
        Event("a1", "added", "ours"),
        Event("b1", "added", "theirs"),
        Event("h1", "updated", "ours"),
        Event("h2", "deleted", "theirs"),
    ]


def test_the_later_edit_wins_and_the_other_is_kept() -> None:
    base = {"h": rec("h")}
    ours = {"h": rec("h", "ana", "2026-02-01T10:00:00+00:00")}
    theirs = {"h": rec("h", "ben", "2026-02-01T11:00:00+00:00")}
    merged = merge_records(base, ours, theirs)
    assert merged.records["h"]["note"] == "ben"
    assert merged.conflicts == [ours["h"]]
    assert merged.events == [Event("h", "conflict", "theirs")]
    # The same from the other side gives the same highlight.
    assert merge_records(base, theirs, ours).records == merged.records


def test_an_edit_beats_a_deletion() -> None:
    base = {"h": rec("h")}
    merged = merge_records(base, {}, {"h": rec("h", "ben's reason")})
    assert merged.records == {"h": rec("h", "ben's reason")}
    assert merged.events == [Event("h", "kept-edit", "theirs")]


versions = st.dictionaries(
    st.sampled_from(["h1", "h2", "h3", "h4"]),
    st.builds(
        rec,
        st.sampled_from(["h"]),
        st.sampled_from(["", "x", "y"]),
        st.sampled_from(["2026-01-01", "2026-01-02"]),
    ),
    max_size=4,
)


@given(versions, versions, versions)
def test_nothing_written_on_either_side_is_lost(
    base: dict[str, dict[str, Any]],
    ours: dict[str, dict[str, Any]],
    theirs: dict[str, dict[str, Any]],
) -> None:
    merged = merge_records(base, ours, theirs)
    kept = [*merged.records.values(), *merged.conflicts]
    for side in (ours, theirs):
        for hid, record in side.items():
            if record != base.get(hid):  # every change either side made is somewhere
                assert record in kept
    # Merging a side with itself, or with the base, changes nothing.
    assert merge_records(base, ours, ours).records == ours
    assert merge_records(base, ours, base).records == ours
