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
from pathlib import Path
from typing import Any, Literal

from annotations import records
from annotations.storage import NATURAL_KEYS, StoreError

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


# -- whole files ---------------------------------------------------------------------------------
CONFLICTS_TABLE = records.CONFLICTS_TABLE


@dataclass
class FileMerge:
    """One annotation file merged: the data to write and what happened, per table."""

    data: dict[str, dict[str, Any]]
    tables: dict[str, Merged]

    def count(self, outcome: Outcome) -> int:
        return sum(m.count(outcome) for m in self.tables.values())

    def lines(self, name: str) -> list[str]:
        """What a person is told: one line per conflict or kept edit, then a summary line."""
        out = []
        for table, merged in self.tables.items():
            for e in merged.events:
                if e.outcome == "conflict":
                    out.append(
                        f"{name}: {table} {e.highlight_id!r} was changed on both sides; kept "
                        f"{e.side}' later version, the other is in the {CONFLICTS_TABLE!r} table"
                    )
                elif e.outcome == "kept-edit":
                    out.append(
                        f"{name}: {table} {e.highlight_id!r} was deleted on one side and edited on "
                        f"the other; kept the edit ({e.side})"
                    )
        added, updated, deleted = (self.count(k) for k in ("added", "updated", "deleted"))
        out.append(
            f"{name}: merged by id: {added} added, {updated} updated, {deleted} deleted, "
            f"{self.count('conflict')} in conflict"
        )
        return out


def _by_key(table: Mapping[str, Any], key: str) -> dict[str, dict[str, Any]] | None:
    """A table's records by their natural key; ``None`` when a record has none, or two share
    one (a file reader did not write that way, which a merge by key could not keep whole)."""
    out: dict[str, dict[str, Any]] = {}
    for record in table.values():
        name = record.get(key) if isinstance(record, dict) else None
        if not isinstance(name, str) or name in out:
            return None
        out[name] = record
    return out


class NotMergeable(ValueError):
    """A file the merge by id cannot take (it does not parse, or its records have no ids)."""


def merge_databases(
    base: Mapping[str, Mapping[str, Any]],
    ours: Mapping[str, Mapping[str, Any]],
    theirs: Mapping[str, Mapping[str, Any]],
) -> FileMerge:
    """Merge three versions of one annotation file (a highlights file or ``workspace.json``):
    reader's tables record by record (:func:`merge_records`, by the field
    :data:`annotations.storage.NATURAL_KEYS` names), other tables as a whole where one side
    changed them (ours where both did). Raises :class:`NotMergeable`."""
    data: dict[str, dict[str, Any]] = {}
    tables: dict[str, Merged] = {}
    conflicts: list[dict[str, Any]] = []
    for name in sorted({*base, *ours, *theirs} - {CONFLICTS_TABLE}):
        b, o, t = base.get(name, {}), ours.get(name, {}), theirs.get(name, {})
        key = NATURAL_KEYS.get(name)
        if key is None:
            data[name] = dict(t if o == b else o)
            continue
        versions = [_by_key(x, key) for x in (b, o, t)]
        if any(v is None for v in versions):
            raise NotMergeable(f"table {name!r} has records without a {key!r}, or two alike")
        vb, vo, vt = versions
        assert vb is not None and vo is not None and vt is not None
        merged = merge_records(vb, vo, vt)
        tables[name] = merged
        data[name] = {str(n): r for n, r in enumerate(merged.records.values(), 1)}
        conflicts.extend({"table": name, **r} for r in merged.conflicts)
    kept = [*ours.get(CONFLICTS_TABLE, {}).values(), *theirs.get(CONFLICTS_TABLE, {}).values()]
    kept = [r for n, r in enumerate(kept) if r not in kept[:n]] + [
        r for r in conflicts if r not in kept
    ]
    if kept:
        data[CONFLICTS_TABLE] = {str(n): r for n, r in enumerate(kept, 1)}
    return FileMerge(data, tables)


def merge_files(base: Path, ours: Path, theirs: Path) -> FileMerge:
    """Merge three versions of one annotation file as git's merge driver does: the result
    replaces ``ours``. Raises :class:`NotMergeable` (naming the file) and changes nothing when
    a version does not parse or cannot be merged by id, so git falls back to its own conflict."""
    try:
        versions = [records.read_any_database(p) for p in (base, ours, theirs)]
        result = merge_databases(*versions)
    except StoreError as exc:
        raise NotMergeable(str(exc)) from None
    except NotMergeable as exc:
        raise NotMergeable(f"{ours}: {exc}") from None
    records.write_database(ours, result.data)
    return result
