"""What a user sets on a workspace file survives reader's next write of it (reliability findings
D13): permission bits stay, a symbolic link keeps pointing at a file that gets the new content,
and a read-only file is refused in one line and left as it is."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from annotations.storage import StoreError
from annotations.store import AnnotationStore
from tests.hostile import Setup, assert_one_line_error, build, fail_writes, invoke, snapshot


@pytest.fixture
def s(tmp_path: Path) -> Setup:
    return build(tmp_path)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def annotate(s: Setup, *extra: str) -> None:
    result = invoke(s.ws, "annotate", s.article_id, "--quote", "faces", *extra)
    assert result.exit_code == 0, result.output


def highlight_count(s: Setup) -> int:
    with AnnotationStore(s.ws) as store:
        return len(store.highlights(s.article_id))


def test_private_files_stay_private(s: Setup) -> None:
    s.highlights_file.chmod(0o600)
    s.ws.workspace_db.chmod(0o600)
    s.article_file.chmod(0o640)
    annotate(s, "--tag", "a-new-tag")  # rewrites the highlights file and workspace.json
    result = invoke(s.ws, "tags", "rename", "a-new-tag", "renamed")  # the codebook's writes
    assert result.exit_code == 0, result.output
    changed = s.source.read_text().replace("again", "once more")
    s.source.write_text(changed)
    result = invoke(s.ws, "import", str(s.source))  # rewrites the article file
    assert result.stdout.startswith("updated"), result.output
    assert mode(s.highlights_file) == 0o600
    assert mode(s.ws.workspace_db) == 0o600
    assert mode(s.article_file) == 0o640


def test_a_symlinked_highlights_file_is_written_through(s: Setup, tmp_path: Path) -> None:
    synced = tmp_path / "synced folder"
    synced.mkdir()
    target = synced / s.highlights_file.name
    s.highlights_file.rename(target)
    s.highlights_file.symlink_to(target)
    annotate(s)
    result = invoke(s.ws, "tags", "rename", "tägged", "renamed")
    assert result.exit_code == 0, result.output
    assert s.highlights_file.is_symlink()
    assert s.highlights_file.resolve() == target
    assert highlight_count(s) == 2
    assert "renamed" in target.read_text()
    assert sorted(p.name for p in synced.iterdir()) == [target.name]


@pytest.mark.parametrize("which", ["highlights", "workspace.json"])
def test_a_read_only_file_is_refused(s: Setup, which: str) -> None:
    path = s.highlights_file if which == "highlights" else s.ws.workspace_db
    path.chmod(0o444)
    before = snapshot(s.root)
    # A new tag is written to workspace.json (first), the highlight to the highlights file.
    tag = ["--tag", "new"] if which == "workspace.json" else []
    result = invoke(s.ws, "annotate", s.article_id, "--quote", "faces", *tag)
    assert_one_line_error(result, path)
    assert "read-only" in result.stderr
    assert "stay in the codebook" not in result.stderr  # no tag was made: none to take out
    assert snapshot(s.root) == before
    assert mode(path) == 0o444


def test_a_failed_annotations_import_puts_a_symlinked_file_back_through_the_link(
    s: Setup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """import-annotations undoes a half-done merge by putting the old files back: a linked
    file is put back where the link points, and the link stays."""
    synced = tmp_path / "synced folder"
    synced.mkdir()
    target = synced / "workspace.json"
    s.ws.workspace_db.rename(target)
    s.ws.workspace_db.symlink_to(target)
    before = target.read_bytes()
    incoming = tmp_path / "incoming.json"
    highlight = {"id": "n1", "quote": "union", "start": 0, "end": 5, "tags": ["brand-new"]}
    article = {"id": s.article_id, "highlights": [highlight]}
    incoming.write_text(
        json.dumps({"format": "reader-annotations", "version": 1, "articles": [article]})
    )
    fail_writes(monkeypatch, after=1)  # the new tag is written, the highlights file is not
    result = invoke(s.ws, "import-annotations", str(incoming))
    assert_one_line_error(result, incoming)
    assert s.ws.workspace_db.is_symlink()
    assert target.read_bytes() == before


# -- "nothing changed" is true of the codebook too (reliability findings D14) ---------------------
def test_a_refused_highlight_leaves_no_new_tag(s: Setup) -> None:
    """The codebook is written before the highlights file; when that write is refused, the
    tag made for it is taken out again, so "nothing changed" is true."""
    s.highlights_file.chmod(0o444)
    before = snapshot(s.root)
    result = invoke(s.ws, "annotate", s.article_id, "--quote", "faces", "--tag", "q")
    assert_one_line_error(result, s.highlights_file)
    assert "nothing changed" in result.stderr
    assert snapshot(s.root) == before


@pytest.mark.parametrize("call", ["add", "update", "restore"])
def test_a_failed_highlight_write_takes_its_new_tags_out_again(s: Setup, call: str) -> None:
    with AnnotationStore(s.ws) as store:
        (existing,) = store.highlights(s.article_id)
        if call == "restore":
            store.delete_highlight(s.article_id, existing.id)
            existing.tags = [*existing.tags, "brand-new", "also-new"]
        codebook = s.ws.workspace_db.read_bytes()
        s.highlights_file.chmod(0o444)  # the codebook can be written, the highlights cannot
        with pytest.raises(StoreError, match="nothing changed"):
            if call == "add":
                text = store.library.display(s.article_id).text
                start = text.index("faces")
                store.add_highlight(
                    s.article_id, start, start + 5, tags=["tägged", "brand-new", "also-new"]
                )
            elif call == "update":
                tags = [*existing.tags, "brand-new", "also-new"]
                store.update_highlight(s.article_id, existing.id, tags=tags)
            else:
                store.restore_highlight(existing)
        assert s.ws.workspace_db.read_bytes() == codebook
        assert {t.name for t in store.tags()} == {"tägged"}


def test_when_the_tags_cannot_be_taken_out_the_error_says_so(
    s: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    with AnnotationStore(s.ws) as store:
        text = store.library.display(s.article_id).text
        start = text.index("faces")
        fail_writes(monkeypatch, after=1)  # "new" is written; then the disk is full
        with pytest.raises(StoreError) as raised:
            store.add_highlight(s.article_id, start, start + 5, tags=["new"])
        monkeypatch.undo()
        assert "the new tags new stay in the codebook" in str(raised.value)
        assert "\n" not in str(raised.value)
        assert {t.name for t in store.tags()} == {"tägged", "new"}
