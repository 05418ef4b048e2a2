"""Hostile and broken input on the command line: every failure is one line on stderr naming the
file or item, status 1, no traceback, and not one byte of the workspace changes.

The cases are commands × bad inputs: bad files to import (articles and annotations), broken
files inside the workspace, files where folders belong, a full disk and a read-only disk.
Every path involved has spaces and non-ASCII letters in it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from tests.hostile import (
    Setup,
    assert_one_line_error,
    build,
    fail_writes,
    fill,
    invoke,
    remount_read_only,
    run_cli_bound_by_permissions,
    snapshot,
    tmpfs,
    writes_are_refused,
)

BIG = 50_000_000


@pytest.fixture
def s(tmp_path: Path) -> Setup:
    return build(tmp_path)


@pytest.fixture(autouse=True)
def _app_never_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """``reader open`` must fail before the app would take the terminal."""

    def run(self: object) -> None:
        raise AssertionError("the app was started")

    monkeypatch.setattr("reader.app.ReaderApp.run", run)


# -- bad files to import as articles ------------------------------------------------------------
def _big(path: Path) -> None:
    with open(path, "wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.truncate(BIG)


BAD_SOURCES: dict[str, Callable[[Path], object]] = {
    "empty": lambda p: p.write_bytes(b""),
    "blank": lambda p: p.write_bytes(b" \n\t\n\r\n"),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 64),
    "50 MB": _big,
    "missing": lambda p: None,
    "a folder": lambda p: p.mkdir(),
}


@pytest.mark.parametrize("command", ["import", "open"])
@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
@pytest.mark.parametrize("bad", list(BAD_SOURCES))
def test_bad_article_files_are_refused(s: Setup, command: str, suffix: str, bad: str) -> None:
    source = s.outside(f"bäd {bad}{suffix}")
    BAD_SOURCES[bad](source)
    before = snapshot(s.root)
    result = invoke(s.ws, command, str(source))
    assert_one_line_error(result, source)
    assert snapshot(s.root) == before


@pytest.mark.parametrize("command", ["import", "open"])
@pytest.mark.parametrize("suffix", [".md", ".txt", ".html", ".xml"])
def test_a_missing_file_is_called_missing(s: Setup, command: str, suffix: str) -> None:
    source = s.outside(f"gone{suffix}")
    result = invoke(s.ws, command, str(source))
    assert_one_line_error(result, source)
    assert "no such file" in result.output


@pytest.mark.parametrize("command", ["import", "open"])
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad yaml.md", b"---\ntitle: [unclosed\n---\n\nBody text.\n"),
        ("bad yaml tab.md", b"---\ntitle: a\n\tauthor: b\n---\n\nBody text.\n"),
        ("list yaml.md", b"---\n- a\n- b\n---\n\nBody text.\n"),
        ("impossible date.md", b"---\ntitle: T\ndate: 2023-02-30\n---\n\nBody text.\n"),
        ("not a boolean.md", b"---\ntitle: T\nok: !!bool maybe\n---\n\nBody text.\n"),
        ("only front matter.md", b"---\ntitle: Nothing else\n---\n"),
        ("not a feed.xml", b"<rss><channel><item>"),
        ("a word document.docx", b"PK\x03\x04 zipped"),
    ],
)
def test_bad_front_matter_and_unknown_kinds_are_refused(
    s: Setup, command: str, name: str, content: bytes
) -> None:
    source = s.outside(name)
    source.write_bytes(content)
    before = snapshot(s.root)
    assert_one_line_error(invoke(s.ws, command, str(source)), source)
    assert snapshot(s.root) == before


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
def test_invalid_utf8_is_read_as_cp1252_and_imported_once(s: Setup, suffix: str) -> None:
    """Not an error: bytes of uncertain encoding are decoded, never refused (decode_text)."""
    source = s.outside(f"lätin{suffix}")
    body = b"<html><body><article><p>Caf\xe9 cr\xe8me \xff text.</p></article></body></html>"
    source.write_bytes(body if suffix == ".html" else b"Caf\xe9 cr\xe8me\n\nSome \xff text.\n")
    before = snapshot(s.root)
    first = invoke(s.ws, "import", str(source))
    assert first.exit_code == 0, first.output
    added = set(snapshot(s.root)) - set(before)
    assert len(added) == 1 and "Café crème" in (s.root / added.pop()).read_text()
    again = invoke(s.ws, "import", str(source))
    assert again.stdout.startswith("unchanged"), again.output


def test_two_files_with_one_title_become_two_articles(s: Setup) -> None:
    for name in ("ä.md", "b.md"):
        s.outside(name).write_text(f"# Same Title\n\nText of {name}.\n")
    result = invoke(s.ws, "import", str(s.outside("ä.md")), str(s.outside("b.md")))
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "imported same-title",
        "imported same-title-2",
    ]


# -- bad annotation files -----------------------------------------------------------------------
def _native(*articles: dict[str, object]) -> bytes:
    return json.dumps({"format": "reader-annotations", "version": 1, "articles": articles}).encode()


def _h(hid: str, quote: str, **extra: object) -> dict[str, object]:
    return {"id": hid, "quote": quote, "start": 0, "end": len(quote), **extra}


def _w3c(*ids: str, source: str = "https://example.org/strike") -> bytes:
    target = {"source": source, "selector": {"type": "TextQuoteSelector", "exact": "union"}}
    return json.dumps([{"type": "Annotation", "id": i, "target": target} for i in ids]).encode()


A = "strike-over-faces"
BAD_ANNOTATIONS: dict[str, bytes | None] = {
    "empty": b"",
    "blank": b"  \n\n",
    "binary": bytes(range(256)) * 4,
    "invalid utf-8": b'{"format": "reader-annotations", "note": "\xff\xfe"}',
    "50 MB of garbage": b"garbage " * (BIG // 8),
    "truncated native": _native({"id": A, "highlights": [_h("n1", "union")]})[:-7],
    "truncated w3c": _w3c("urn:x:1")[:40],
    "html": b"<html><body>Not annotations</body></html>",
    "a number": b"42",
    "null": b"null",
    "a list of numbers": b"[1, 2, 3]",
    "articles not a list": b'{"format": "reader-annotations", "version": 1, "articles": {}}',
    "start is a string": _native({"id": A, "highlights": [_h("n1", "union", start="0")]}),
    "quote is missing": _native({"id": A, "highlights": [{"id": "n1", "start": 0, "end": 5}]}),
    "tags not strings": _native({"id": A, "highlights": [_h("n1", "union", tags=[1])]}),
    "version 2": b'{"format": "reader-annotations", "version": 2, "articles": []}',
    "empty tag name": _native({"id": A, "highlights": [_h("n1", "union", tags=[" "])]}),
    "control character in a tag": _native(
        {"id": A, "highlights": [_h("n1", "union", tags=["\x07"])]}
    ),
    "bad timestamp": _native({"id": A, "highlights": [_h("n1", "union", created="yesterday")]}),
    "w3c without target": b'{"type": "Annotation", "id": "urn:x:1"}',
    "w3c without quote": b'{"type": "Annotation", "id": "x", "target": {"source": "s"}}',
    "doccano label outside": b'{"text": "short", "label": [[0, 99, "x"]]}\n',
    "doccano bad line": b'{"text": "fine", "label": []}\n{"text": \n',
    "same highlight id twice": _native(
        {"id": A, "highlights": [_h("dup", "union", note="one"), _h("dup", "faces", note="two")]}
    ),
    "same id in two entries": _native(
        {"id": A, "highlights": [_h("dup", "union")]}, {"id": A, "highlights": [_h("dup", "faces")]}
    ),
    "same w3c id twice": _w3c("urn:x:1", "urn:x:1"),
    "missing": None,
    "a folder": None,
}


@pytest.mark.parametrize("bad", list(BAD_ANNOTATIONS))
def test_bad_annotation_files_are_refused(s: Setup, bad: str) -> None:
    path = s.outside(f"ännotations {bad}.json")
    content = BAD_ANNOTATIONS[bad]
    if content is not None:
        path.write_bytes(content)
    elif bad == "a folder":
        path.mkdir()
    before = snapshot(s.root)
    assert_one_line_error(invoke(s.ws, "import-annotations", str(path)), path)
    assert snapshot(s.root) == before


def test_two_article_files_claiming_one_url_refuse_an_import_by_url(s: Setup) -> None:
    with AnnotationStore(s.ws) as store:
        for article_id in ("one", "two"):
            store.library.save(
                Article(article_id, "T", "The union said so.\n", url="https://example.org/strike")
            )
    path = s.outside("by url.json")
    path.write_bytes(_w3c("urn:x:1"))
    before = snapshot(s.root)
    assert_one_line_error(
        invoke(s.ws, "import-annotations", str(path)), "https://example.org/strike"
    )
    assert snapshot(s.root) == before


# -- broken files inside the workspace ----------------------------------------------------------
DB_CONTENT = {
    "empty": b"",
    "binary": bytes(range(256)),
    "invalid utf-8": b'{"tags": {"1": {"name": "\xff"}}}',
    "garbage": b"<<<garbage>>>",
    "a list": b"[1, 2, 3]",
    "tables of lists": b'{"tags": [1, 2]}',
}
BAD_RECORD = {
    "workspace.json": b'{"meta": {"1": {"key": "schema", "value": "one"}}}',
    "highlights": b'{"highlights": {"1": {"note": "no id, no quote, no offsets"}}}',
}
ARTICLE_CONTENT = {
    "bad yaml": b"---\ntitle: [unclosed\n---\n\nHello world.\n",
    "invalid utf-8": b"---\ntitle: x\n---\n\nHello \xff world.\n",
    "binary": bytes(range(256)),
    "impossible date": b"---\ntitle: x\ndate: 2023-02-30\n---\n\nHello world.\n",
}


def _break(s: Setup, which: str, kind: str) -> Path:
    """Break one file of the workspace; returns its path."""
    if which == "article":
        path = s.article_file
        if kind == "a folder":
            path.unlink()
            path.mkdir()
        else:
            path.write_bytes(ARTICLE_CONTENT[kind])
        return path
    path = s.ws.workspace_db if which == "workspace.json" else s.highlights_file
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[:-9])
    else:
        path.write_bytes(BAD_RECORD[which] if kind == "bad record" else DB_CONTENT[kind])
    return path


DB_KINDS = ["empty", "binary", "invalid utf-8", "truncated", "garbage", "a list"]
DB_KINDS += ["tables of lists", "bad record"]
BROKEN = [("workspace.json", k) for k in DB_KINDS] + [("highlights", k) for k in DB_KINDS]
ARTICLE_KINDS = ["bad yaml", "invalid utf-8", "binary", "impossible date", "a folder"]
BROKEN += [("article", k) for k in ARTICLE_KINDS]


def _commands(s: Setup) -> dict[str, list[str]]:
    native = s.outside("valid.json")
    native.write_bytes(_native({"id": s.article_id, "highlights": [_h("new1", "faces")]}))
    return {
        "list": ["list"],
        "list --json": ["list", "--json"],
        "export": ["export", "--format", "w3c"],
        "export -o": ["export", "-o", str(s.outside("éxport.json"))],
        "annotate": ["annotate", s.article_id, "--quote", "union", "--tag", "néw"],
        "import-annotations": ["import-annotations", str(native)],
        "import (update)": ["import", str(s.source)],
        "open": ["open", s.article_id],
    }


# What a broken file does not concern: list reads no highlight record and opening the app with
# a readable workspace.json is the app's business (tests/test_hostile_app.py); re-importing the
# source of an unreadable article imports it anew (nothing is lost) and a folder named like an
# article is not an article to import-annotations (its highlights are reported as skipped).
NOT_CONCERNED = {
    ("highlights", "bad record", "list"),
    ("highlights", "bad record", "list --json"),
    *(("highlights", k, "open") for k in DB_KINDS),
    *(("article", k, c) for k in ARTICLE_KINDS for c in ("open", "import (update)")),
    ("article", "a folder", "import-annotations"),
}  # fmt: skip


READERS = ["list", "list --json", "export", "export -o", "annotate", "import-annotations"]
READERS += ["import (update)", "open"]
BROKEN_CASES = [
    (which, kind, command)
    for which, kind in BROKEN
    for command in READERS
    if (which, kind, command) not in NOT_CONCERNED
]


@pytest.mark.parametrize(("which", "kind", "command"), BROKEN_CASES)
def test_broken_workspace_files(s: Setup, which: str, kind: str, command: str) -> None:
    args = _commands(s)[command]
    broken = _break(s, which, kind)
    s.source.write_text(s.source.read_text() + "\nOne more paragraph.\n")  # for the update
    before = snapshot(s.root)
    result = invoke(s.ws, *args)
    assert_one_line_error(result, broken, stdout=command.startswith("list"))
    assert snapshot(s.root) == before


@pytest.mark.parametrize("record", [{"start": "0"}, {"quote": 5}, {"start": 1e300}])
def test_highlight_records_of_the_wrong_types(s: Setup, record: dict[str, object]) -> None:
    data = json.loads(s.highlights_file.read_bytes())
    for doc in data["highlights"].values():
        doc.update(record)
    s.highlights_file.write_text(json.dumps(data))
    before = snapshot(s.root)
    assert_one_line_error(invoke(s.ws, "export"), s.highlights_file)
    assert snapshot(s.root) == before


# -- a file where a folder belongs (and read-only folders) ---------------------------------------
def _write_commands(s: Setup) -> dict[str, list[str]]:
    new = s.outside("néw article.md")
    new.write_text("# New\n\nSome new text.\n")
    doccano = s.outside("dóccano.jsonl")
    doccano.write_text(json.dumps({"text": "A doccano text.", "label": [[2, 9, "x"]]}) + "\n")
    return {
        **_commands(s),
        "import": ["import", str(new)],
        "open new": ["open", str(new)],
        "import doccano": ["import-annotations", str(doccano)],
        "samples": ["samples"],
    }


PLACES = ["workspace", "articles", "annotations", "highlights"]
ALL_COMMANDS = ["list", "export", "annotate", "import-annotations", "import", "open new"]
ALL_COMMANDS += ["import doccano", "samples"]


@pytest.mark.parametrize("command", ALL_COMMANDS)
@pytest.mark.parametrize("place", PLACES)
def test_a_file_where_a_folder_belongs(s: Setup, place: str, command: str) -> None:
    args = _write_commands(s)[command]
    folder = {
        "workspace": s.ws.root,
        "articles": s.ws.articles_dir,
        "annotations": s.ws.annotations_dir,
        "highlights": s.ws.highlights_dir,
    }[place]
    shutil.rmtree(folder)
    folder.write_text("a file, not a folder")
    before = snapshot(s.root)
    assert_one_line_error(invoke(s.ws, *args), folder)
    assert snapshot(s.root) == before


def test_export_into_a_file_or_onto_a_folder(s: Setup) -> None:
    blocker = s.outside("a fïle")
    blocker.write_text("x")
    before = snapshot(s.root)
    for target in (blocker / "export.json", blocker.parent):
        assert_one_line_error(invoke(s.ws, "export", "-o", str(target)), target)
    assert snapshot(s.root) == before


WRITERS = ["annotate", "import-annotations", "import", "import doccano", "samples", "open new"]


@pytest.mark.parametrize("command", WRITERS)
def test_read_only_folders(s: Setup, command: str) -> None:
    """Folders at 0o555. Root ignores permission bits, so then the command runs in a child
    process without CAP_DAC_OVERRIDE, where they bind as for anyone else."""
    args = _write_commands(s)[command]
    folders = [p for p in [s.ws.root, *s.ws.root.rglob("*")] if p.is_dir()]
    for folder in folders:
        folder.chmod(0o555)
    try:
        before = snapshot(s.root)
        if writes_are_refused(s.ws.articles_dir):
            assert_one_line_error(invoke(s.ws, *args), s.ws.root)
        else:
            done = run_cli_bound_by_permissions(s.ws, *args, probe=s.ws.articles_dir)
            assert (done.returncode, done.stdout) == (1, ""), done.stderr
            assert "Traceback" not in done.stderr
            (line,) = done.stderr.splitlines()
            assert str(s.ws.root) in line and "Permission denied" in line
        assert snapshot(s.root) == before
    finally:
        for folder in folders:
            folder.chmod(0o755)


# -- a full disk and a read-only disk -----------------------------------------------------------
@pytest.mark.parametrize("command", [*WRITERS, "export -o"])
def test_a_full_disk(s: Setup, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    args = _write_commands(s)[command]
    if command == "import-annotations":
        args = ["import-annotations", str(_native_file(s))]
    fail_writes(monkeypatch)
    before = snapshot(s.root)
    result = invoke(s.ws, *args)
    written = s.outside("éxport.json") if command == "export -o" else s.ws.root
    assert_one_line_error(result, written)
    assert "No space left on device" in result.stderr
    assert snapshot(s.root) == before


def _native_file(s: Setup) -> Path:
    """Highlights for two articles, so that a disk filling up after the first is seen."""
    with AnnotationStore(s.ws) as store:
        store.library.save(Article("second", "Second", "The union again, and faces.\n"))
    path = s.outside("twö articles.json")
    path.write_bytes(
        _native(
            {"id": s.article_id, "highlights": [_h("n1", "faces")]},
            {"id": "second", "highlights": [_h("n2", "union", tags=["brand new"])]},
        )
    )
    return path


@pytest.mark.parametrize("allowed", [1, 2])
@pytest.mark.parametrize("command", ["import-annotations", "import doccano"])
def test_a_disk_filling_up_half_way_through_an_import_changes_nothing(
    s: Setup, command: str, allowed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _write_commands(s)[command]
    if command == "import-annotations":
        args = ["import-annotations", str(_native_file(s))]
    before = snapshot(s.root)
    fail_writes(monkeypatch, after=allowed)
    result = invoke(s.ws, *args)
    assert_one_line_error(result, s.ws.root)
    assert snapshot(s.root) == before


def test_reading_commands_work_on_a_full_disk(s: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_writes(monkeypatch)
    before = snapshot(s.root)
    for args in (["list"], ["list", "--json"], ["export", "--format", "csv"]):
        result = invoke(s.ws, *args)
        assert result.exit_code == 0 and result.stderr == "", result.output
    assert snapshot(s.root) == before


@pytest.mark.parametrize("disk", ["full", "read-only"])
def test_a_real_small_disk(tmp_path: Path, disk: str) -> None:
    """A 64 KiB tmpfs, filled up or remounted read-only (skipped where mounting is refused)."""
    with tmpfs(tmp_path / "mnt") as mount:
        s = build(mount / "böx")
        commands = _write_commands(s)
        inputs = {c: commands[c] for c in WRITERS}
        inputs["import-annotations"] = ["import-annotations", str(_native_file(s))]
        for args in inputs.values():  # the inputs live on the small disk too: move them out
            for i, arg in enumerate(args):
                if arg.startswith(str(s.outside(""))):
                    moved = tmp_path / "inputs" / Path(arg).name
                    moved.parent.mkdir(exist_ok=True)
                    shutil.copy(arg, moved)
                    args[i] = str(moved)
        if disk == "full":
            fill(mount)
        else:
            remount_read_only(mount)
        before = snapshot(s.ws.root)
        for command, args in inputs.items():
            result = invoke(s.ws, *args)
            assert_one_line_error(result, s.ws.root)
            reason = "No space left on device" if disk == "full" else "Read-only file system"
            assert reason in result.stderr, (command, result.stderr)
            assert snapshot(s.ws.root) == before, command
        os.sync()


# -- awkward paths that are not errors ----------------------------------------------------------
def test_spaces_and_unicode_everywhere_round_trip(s: Setup, tmp_path: Path) -> None:
    out = s.outside("éxports/my ännotations.json")
    result = invoke(s.ws, "export", "-o", str(out))
    assert result.exit_code == 0 and str(out) in result.stderr, result.output
    other = tmp_path / "ånother wörkspace"
    assert invoke(other, "import", str(s.source)).exit_code == 0
    result = invoke(other, "import-annotations", str(out))
    assert result.exit_code == 0 and "imported 1 highlight" in result.stdout, result.output
    with AnnotationStore(s.ws) as mine, AnnotationStore(Workspace(other)) as theirs:
        (original,) = mine.highlights(s.article_id)
        (copied,) = theirs.highlights(s.article_id)
    assert (copied.id, copied.quote, copied.tags, copied.note) == (
        original.id,
        original.quote,
        original.tags,
        original.note,
    )
