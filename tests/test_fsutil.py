"""Durable writes of several files at once (tag renames and bulk codes touch hundreds)."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.fsutil import atomic_write_bytes, atomic_write_many


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


# -- what the user set on a file: permissions and symbolic links ----------------------------------
@pytest.mark.parametrize("many", [False, True])
def test_a_file_keeps_its_permissions(tmp_path: Path, many: bool) -> None:
    private, shared = tmp_path / "private.json", tmp_path / "shared.json"
    for path, mode in ((private, 0o600), (shared, 0o664)):
        path.write_text("old")
        path.chmod(mode)
    if many:
        atomic_write_many([(private, b"new"), (shared, b"new")])
    else:
        atomic_write_bytes(private, b"new")
        atomic_write_bytes(shared, b"new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert private.read_bytes() == shared.read_bytes() == b"new"


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        atomic_write_bytes(tmp_path / "new.json", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o644


@pytest.mark.parametrize("many", [False, True])
def test_a_symbolic_link_is_written_through(tmp_path: Path, many: bool) -> None:
    """The linked file (in a synced folder, say) gets the new content, replaced atomically in
    its own folder; the link stays a link."""
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "notes.json"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "work" / "notes.json"
    link.parent.mkdir()
    link.symlink_to(target)
    other = tmp_path / "work" / "other.json"
    if many:
        atomic_write_many([(link, b"new"), (other, b"other")])
    else:
        atomic_write_bytes(link, b"new")
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in synced.iterdir()) == ["notes.json"]  # no temporary file left


def test_a_link_to_a_link_and_a_dangling_link(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old")
    middle = tmp_path / "middle.json"
    middle.symlink_to(target)
    outer = tmp_path / "outer.json"
    outer.symlink_to(middle)
    atomic_write_bytes(outer, b"new")
    assert target.read_bytes() == b"new" and outer.is_symlink() and middle.is_symlink()
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "not-yet.json")
    atomic_write_bytes(dangling, b"made")  # the link names where the file goes
    assert dangling.is_symlink() and (tmp_path / "not-yet.json").read_bytes() == b"made"


@pytest.mark.parametrize("many", [False, True])
def test_a_read_only_file_is_refused_and_left_as_it_is(tmp_path: Path, many: bool) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text("old")
    locked.chmod(0o444)
    other = tmp_path / "other.json"
    other.write_text("old")
    with pytest.raises(OSError) as raised:
        if many:
            atomic_write_many([(other, b"new"), (locked, b"new")])
        else:
            atomic_write_bytes(locked, b"new")
    assert raised.value.filename == str(locked)
    assert raised.value.errno == errno.EACCES
    assert locked.read_text() == other.read_text() == "old"
    assert stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.json", "other.json"]


def test_a_file_written_in_pieces_is_whole_and_a_failure_leaves_the_old_one(
    tmp_path: Path,
) -> None:
    from corpus import fsutil

    path = tmp_path / "export.json"
    pieces = [b"x" * 1000] * 3000  # over WRITE_BUFFER: written in several writes
    fsutil.atomic_write_bytes(path, iter(pieces))
    assert path.read_bytes() == b"".join(pieces)

    def failing() -> Iterator[bytes]:
        yield b"half"
        raise MemoryError("out of memory, say")

    with pytest.raises(MemoryError):
        fsutil.atomic_write_bytes(path, failing())
    with pytest.raises(MemoryError):
        fsutil.atomic_create_bytes(tmp_path / "new.json", failing())
    assert path.read_bytes() == b"".join(pieces)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]
