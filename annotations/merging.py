"""Three-way merge of one article's highlights by highlight id: what git's merge driver and
``reader merge`` decide, with no files in sight.

Two coders who cloned one workspace change the same highlights file. Line merging cannot know
that two records are one highlight, so :func:`merge_records` merges records: the base (the
common ancestor), ours and theirs, each a mapping of highlight id to record.

* A highlight only one side changed (added, edited or deleted) takes that side's version.
* Both sides made the same change: that version.
* Both changed it differently: the version with the later ``updated`` time wins (ours on a
  tie), and the other is kept in :attr:`Merged.conflicts` and reported, so nothing is lost.
* One side deleted it and the other edited it: the edit is kept (a deletion loses nothing
  worth keeping, an edit may), and reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Record = Mapping[str, Any]
Outcome = Literal["added", "updated", "deleted", "conflict", "kept-edit"]


@dataclass(frozen=True)
class Event:
    """What the merge did with one highlight that both sides did not leave alike: ``side`` is
    where the kept version came from (``"ours"``, ``"theirs"`` or ``"both"``)."""

    highlight_id: str
    outcome: Outcome
    side: str


@dataclass
class Merged:
    """The merged records (by highlight id, in id order), the versions a conflict did not
    keep, and what happened to each highlight that changed on either side."""

    records: dict[str, dict[str, Any]]
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for e in self.events if e.outcome == outcome)


def _later(ours: Record, theirs: Record) -> bool:
    """Whether ``theirs`` was changed after ``ours`` (ISO times compare as text once both are
    UTC with the same form; the store writes them so)."""

    def when(r: Record) -> str:
        return str(r.get("updated") or r.get("created") or "")

    return when(theirs) > when(ours)


def merge_records(
    base: Mapping[str, Record], ours: Mapping[str, Record], theirs: Mapping[str, Record]
) -> Merged:
    """Merge three versions of one article's highlights (see the module's rules)."""
    merged = Merged(records={})
    for hid in sorted({*base, *ours, *theirs}):
        b, o, t = base.get(hid), ours.get(hid), theirs.get(hid)
        if o == t:  # same on both sides, present or not
            if o is not None:
                merged.records[hid] = dict(o)
            if o != b:
                outcome: Outcome = "deleted" if o is None else ("added" if b is None else "updated")
                merged.events.append(Event(hid, outcome, "both"))
            continue
        if o == b:  # only theirs changed
            _take(merged, hid, b, t, "theirs")
        elif t == b:  # only ours changed
            _take(merged, hid, b, o, "ours")
        elif o is None or t is None:  # deleted on one side, edited on the other
            kept, side = (t, "theirs") if o is None else (o, "ours")
            assert kept is not None
            merged.records[hid] = dict(kept)
            merged.events.append(Event(hid, "kept-edit", side))
        else:  # both changed it, differently
            win, lose, side = (t, o, "theirs") if _later(o, t) else (o, t, "ours")
            merged.records[hid] = dict(win)
            merged.conflicts.append(dict(lose))
            merged.events.append(Event(hid, "conflict", side))
    return merged


def _take(merged: Merged, hid: str, base: Record | None, new: Record | None, side: str) -> None:
    if new is None:
        merged.events.append(Event(hid, "deleted", side))
        return
    merged.records[hid] = dict(new)
    merged.events.append(Event(hid, "added" if base is None else "updated", side))
