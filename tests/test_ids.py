"""Article and highlight ids from any input are ids the workspace could have made, so that no id
names a file outside the workspace (reliability findings D3).

Each input that carries an id (a native, W3C or doccano annotations file, a command-line
argument, workspace.json) is tried with ids that climb out of the workspace, are absolute, hold
a NUL or are too long: each is refused with one line naming the file or argument, and not one
file or folder changes, inside the workspace or outside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.storage import StoreError
from annotations.store import AnnotationStore, HighlightError
from corpus.article import Article, slugify
from corpus.library import ArticleNotFound, Library
from corpus.workspace import InvalidId, Workspace, check_id, is_valid_id
from tests.hostile import Setup, assert_one_line_error, build, invoke


@pytest.fixture
def s(tmp_path: Path) -> Setup:
    setup = build(tmp_path)
    victim = setup.root / "outside" / "victim.md"
    victim.parent.mkdir()
    victim.write_text("# Victim\n\nThis is a file outside the workspace with text to anchor.\n")
    return setup


@pytest.fixture(autouse=True)
def _app_never_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: object) -> None:
        raise AssertionError("the app was started")

    monkeypatch.setattr("reader.app.ReaderApp.run", run)


def victim(s: Setup) -> Path:
    """``victim.md`` outside the workspace, without its suffix (as an id would name it)."""
    return s.root / "outside" / "victim"


def bad_ids(s: Setup) -> dict[str, str]:
    target = str(victim(s))
    return {
        # Enough "../" to reach "/" from any folder of the workspace, then the victim's path:
        # the same file from articles/, annotations/highlights/ and .cache/display/.
        "climbs out": "../" * 40 + target.lstrip("/"),
        "absolute": target,
        "one level up": "../victim",
        "NUL": "victim\x00.md",
        "too long": "a" * 129,
        "hidden": ".victim",
        "a folder": "sub/victim",
        "empty": "",
        "newline": "victim\n",
    }


BAD = ["climbs out", "absolute", "one level up", "NUL", "too long", "hidden", "a folder", "empty"]
# Highlight ids never name a file (they are stored inside one), so only what cannot be shown on
# a terminal or told apart is refused; "../x" is a harmless (if odd) highlight id.
BAD_HIGHLIGHT_IDS = {
    "NUL": "h\x00",
    "ESC": "h\x1b]0;PWNED\x07",
    "newline": "h\n1",
    "right-to-left override": "h\u202e1",
    "zero-width space": "\u200b",
    "blank": "   ",
    "empty": "",
    "too long": "h" * 129,
}


def everything(root: Path) -> dict[str, str]:
    """Every file (by content) and folder under ``root``: what must not change."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.join(folder, name)] = "folder"
        for name in files:
            if name != ".lock":
                path = Path(folder, name)
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def assert_refused(s: Setup, *args: str, needle: str) -> None:
    """The command fails with one line naming ``needle``, and nothing under the test's root
    (the workspace and the folder outside it) changes."""
    before = everything(s.root)
    result = invoke(s.ws, *args)
    assert_one_line_error(result, needle)
    assert everything(s.root) == before
    assert not victim(s).with_suffix(".json").exists()


# -- the ids the workspace makes ----------------------------------------------------------------
@given(st.text(max_size=300))
def test_every_slug_is_a_valid_id(title: str) -> None:
    assert is_valid_id(slugify(title))


@given(st.text(max_size=300), st.integers(min_value=2, max_value=10**9))
def test_every_numbered_slug_is_a_valid_id(title: str, n: int) -> None:
    assert is_valid_id(f"{slugify(title)}-{n}")  # Library.unique_id's second, third... article


def test_highlight_ids_the_workspace_makes_are_valid() -> None:
    assert all(is_valid_id(os.urandom(6).hex()) for _ in range(100))  # Highlight.on_text
    assert is_valid_id(hashlib.sha1(b"any").hexdigest()[:12])  # W3C and doccano imports


def test_the_sample_ids_and_existing_test_ids_are_valid(sample_ws: Workspace) -> None:
    ids = Library(sample_ws).ids()
    assert len(ids) == 10
    assert all(map(is_valid_id, [*ids, "a", "other", "x", "art-0", "h1", "evil1"]))


def test_the_workspace_refuses_a_path_for_a_bad_id(s: Setup) -> None:
    for name, bad in bad_ids(s).items():
        for make_path in (s.ws.article_file, s.ws.highlights_db, s.ws.display_cache):
            with pytest.raises(InvalidId) as raised:
                make_path(bad)
            assert "\n" not in str(raised.value), name
            assert len(str(raised.value)) < 200, name
    assert check_id("a-b_c.D9") == "a-b_c.D9"


def test_the_library_and_the_store_refuse_a_bad_id(s: Setup) -> None:
    """The backstop under every input: reads and writes with a bad id fail in one line."""
    with AnnotationStore(s.ws) as store:
        for name, bad in bad_ids(s).items():
            assert bad not in store.library, name
            with pytest.raises(ArticleNotFound, match="is not a valid article id"):
                store.library.get(bad)
            with pytest.raises(ArticleNotFound):
                store.library.display(bad)
            with pytest.raises(HighlightError, match="is not a valid article id"):
                store.highlights(bad)
            with pytest.raises(StoreError):
                store.add_highlight(bad, 0, 5)
        text = store.library.display(s.article_id).text
        with pytest.raises(HighlightError, match="is not a valid highlight id"):
            store.add_highlight(s.article_id, 0, len(text), highlight_id="x\x1b]0;t\x07")
    assert not victim(s).with_suffix(".json").exists()


# -- annotations files --------------------------------------------------------------------------
def _native_file(s: Setup, article_id: str, highlight_id: str = "h1") -> Path:
    path = s.root / "outside" / "hostile.json"
    highlight = {"id": highlight_id, "quote": "outside the workspace", "start": 0, "end": 5}
    data = {"format": "reader-annotations", "version": 1, "articles": [{"id": article_id}]}
    data["articles"][0]["highlights"] = [highlight]  # type: ignore[index]
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("bad", BAD)
def test_native_article_ids_are_checked(s: Setup, bad: str) -> None:
    path = _native_file(s, bad_ids(s)[bad])
    assert_refused(s, "import-annotations", str(path), needle=f"{path}.articles[0].id")


@pytest.mark.parametrize("bad", list(BAD_HIGHLIGHT_IDS))
def test_native_highlight_ids_are_checked(s: Setup, bad: str) -> None:
    path = _native_file(s, s.article_id, highlight_id=BAD_HIGHLIGHT_IDS[bad])
    needle = f"{path}.articles[0].highlights[0].id"
    assert_refused(s, "import-annotations", str(path), needle=needle)


def _w3c_file(s: Setup, source: str, annotation_id: str = "urn:uuid:1") -> Path:
    path = s.root / "outside" / "hostile.jsonld"
    target = {
        "source": source,
        "selector": {"type": "TextQuoteSelector", "exact": "outside the workspace"},
    }
    path.write_text(json.dumps({"type": "Annotation", "id": annotation_id, "target": target}))
    return path


@pytest.mark.parametrize("bad", BAD)
def test_w3c_article_urns_are_checked(s: Setup, bad: str) -> None:
    path = _w3c_file(s, "urn:reader:article:" + bad_ids(s)[bad])
    assert_refused(s, "import-annotations", str(path), needle=f"{path}.target.source")


@pytest.mark.parametrize("bad", list(BAD_HIGHLIGHT_IDS))
def test_w3c_highlight_urns_are_checked(s: Setup, bad: str) -> None:
    encoded = quote(BAD_HIGHLIGHT_IDS[bad], safe="")  # as the export writes an odd id
    path = _w3c_file(s, f"urn:reader:article:{s.article_id}", "urn:reader:highlight:" + encoded)
    assert_refused(s, "import-annotations", str(path), needle=f"{path}.id")


def test_odd_highlight_ids_stay_inside_the_file_and_survive_a_w3c_round_trip(s: Setup) -> None:
    """An id another tool gave ("../x", spaces, accents) is kept as it is: it names no file,
    and the W3C export percent-encodes it, which the import decodes."""
    odd = "../../../outside/victim é#1"
    path = _native_file(s, s.article_id, highlight_id=odd)
    data = json.loads(path.read_text())
    data["articles"][0]["highlights"][0]["quote"] = "Hello"
    path.write_text(json.dumps(data))
    outside = everything(s.root / "outside")
    assert invoke(s.ws, "import-annotations", str(path)).exit_code == 0
    exported = s.root / "outside" / "w3c.jsonld"
    assert invoke(s.ws, "export", "--format", "w3c", "-o", str(exported)).exit_code == 0
    assert everything(s.root / "outside").keys() - outside.keys() == {str(exported)}
    other = build(s.root / "other")
    result = invoke(other.ws, "import-annotations", str(exported))
    assert result.exit_code == 0, result.output
    with AnnotationStore(other.ws) as store:
        assert odd in {h.id for h in store.highlights(other.article_id)}


@pytest.mark.parametrize("bad", BAD)
def test_doccano_ids_are_checked(s: Setup, bad: str) -> None:
    path = s.root / "outside" / "hostile.jsonl"
    row = {"id": bad_ids(s)[bad], "text": "Some text to label.", "label": [[0, 4, "x"]]}
    path.write_text(json.dumps(row) + "\n")
    assert_refused(s, "import-annotations", str(path), needle=f"{path}:1.id")


def test_doccano_numbers_its_documents(s: Setup) -> None:
    path = s.root / "outside" / "numbered.jsonl"
    row = {"id": 17, "text": "Some text to label.", "label": [[0, 4, "x"]]}
    path.write_text(json.dumps(row) + "\n")
    result = invoke(s.ws, "import-annotations", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 1 highlight" in result.stdout


def test_a_good_id_still_imports(s: Setup) -> None:
    path = _native_file(s, s.article_id, highlight_id="Good_id.1")
    data = json.loads(path.read_text())
    data["articles"][0]["highlights"][0]["quote"] = "Hello"
    path.write_text(json.dumps(data))
    result = invoke(s.ws, "import-annotations", str(path))
    assert result.exit_code == 0, result.output
    with AnnotationStore(s.ws) as store:
        assert "Good_id.1" in {h.id for h in store.highlights(s.article_id)}


# -- command-line arguments ---------------------------------------------------------------------
@pytest.mark.parametrize("bad", BAD)
def test_annotate_checks_its_article_id(s: Setup, bad: str) -> None:
    args = ("annotate", bad_ids(s)[bad], "--quote", "outside the workspace", "--note", "x")
    assert_refused(s, *args, needle="ARTICLE_ID")


@pytest.mark.parametrize("bad", BAD)
def test_export_checks_its_article_ids(s: Setup, bad: str) -> None:
    out = s.root / "outside" / "export.json"
    args = ("export", "--article", s.article_id, "--article", bad_ids(s)[bad], "-o", str(out))
    assert_refused(s, *args, needle="--article")
    assert not out.exists()


@pytest.mark.parametrize("bad", ["climbs out", "absolute", "one level up"])
def test_open_does_not_take_a_path_outside_for_an_article(s: Setup, bad: str) -> None:
    """``reader ID`` opens an article by id; a path outside (which names no file as given:
    the file has ``.md`` after it) is not one, and is not opened."""
    before = everything(s.root)
    result = invoke(s.ws, "open", bad_ids(s)[bad])
    assert result.exit_code == 1, result.output
    assert "the app was started" not in repr(result.exception)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert everything(s.root) == before


# -- workspace.json and hand-named files ----------------------------------------------------------
async def test_a_last_article_outside_is_not_opened(s: Setup) -> None:
    """workspace.json names the last article open; a hand-edited one is not followed."""
    from reader.app import ReaderApp
    from reader.screens.main import MainScreen

    data = json.loads(s.ws.workspace_db.read_text())
    for record in data["meta"].values():
        if record["key"] == "last_article":
            record["value"] = bad_ids(s)["absolute"]
    s.ws.workspace_db.write_text(json.dumps(data))
    before = everything(s.root / "outside")
    store = AnnotationStore(s.ws)
    assert store.last_article() == bad_ids(s)["absolute"]
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.article_id == s.article_id  # the only article, not the victim
    assert everything(s.root / "outside") == before


def test_files_not_named_by_an_id_are_not_read_and_doctor_names_them(s: Setup) -> None:
    with AnnotationStore(s.ws) as store:
        store.library.save(Article("Hand_named.v2", "By hand", "Named by a person.\n"))
    (s.ws.articles_dir / "my notes.md").write_text("# My notes\n\nA space in the name.\n")
    (s.ws.highlights_dir / "-x.json").write_text("{}")
    with AnnotationStore(s.ws) as store:
        assert store.library.ids() == sorted([s.article_id, "Hand_named.v2"])
        assert store.annotated_article_ids() == [s.article_id]
    result = invoke(s.ws, "doctor")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "rename it" in line]
    assert len(problems) == 2, result.output
    assert str(s.ws.articles_dir / "my notes.md") in problems[1] + problems[0]
