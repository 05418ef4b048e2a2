"""Durable writes of several files at once (tag renames and bulk codes touch hundreds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.fsutil import atomic_write_many


def test_every_file_is_replaced_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    files = [(tmp_path / f"{n}.json", f"new {n}".encode()) for n in range(20)]
    for path, _ in files[:10]:
        path.write_text("old")
    atomic_write_many(files)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        path.name: data for path, data in files
    }


def test_if_one_file_cannot_be_written_none_is_replaced(tmp_path: Path) -> None:
    good = [tmp_path / f"{n}.json" for n in range(5)]
    for path in good:
        path.write_text("old")
    missing = tmp_path / "no-such-folder" / "x.json"
    with pytest.raises(OSError) as raised:
        atomic_write_many(
            [(p, b"new") for p in good[:3]] + [(missing, b"new")] + [(p, b"new") for p in good[3:]]
        )
    assert raised.value.filename == str(missing)
    assert all(p.read_text() == "old" for p in good)
    # and the temporary files written before the failure are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in good)


def test_one_file_or_none(tmp_path: Path) -> None:
    atomic_write_many([])
    assert list(tmp_path.iterdir()) == []
    atomic_write_many([(tmp_path / "a", b"x")])
    assert (tmp_path / "a").read_bytes() == b"x"
