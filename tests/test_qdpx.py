"""REFI-QDA projects (.qdpx): the export validates against the standard's Project.xsd, keeps
its GUIDs and bytes from one export to the next, counts positions in code points (and CR LF
when asked), and imports back, ours and one written by hand as another tool writes it."""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.formats.importing import merge, read_annotations
from annotations.formats.qdpx import NAMESPACE, to_qdpx
from annotations.formats.registry import export_to_file
from annotations.formats.selection import select
from annotations.store import AnnotationStore, DuplicateHighlight
from corpus.article import Article
from corpus.library import Library
from corpus.plaintext import escape_markdown
from corpus.workspace import Workspace
from reader.cli import main

if TYPE_CHECKING:
    import xmlschema

FIXTURES = Path(__file__).parent / "fixtures" / "refi"
ARTICLE = "netflix-ai-job-picket-line"
FIXED = "2026-01-02T03:04:05+00:00"
Q = {"q": NAMESPACE}


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema10:
    # Imported here: only the process that runs these tests pays for it.
    import xmlschema

    return xmlschema.XMLSchema10(str(FIXTURES / "Project.xsd"))


def coded(ws: Workspace) -> AnnotationStore:
    """The sample corpus with tags (nested, described), notes, two memos and two coders."""
    store = AnnotationStore(ws)
    text = store.library.display(ARTICLE).text
    for phrase, tags, note, coder in [
        ("picket line", ["strike"], "Where the story starts.", "ana"),
        ("$300,000 to $900,000", ["pay", "AI/likeness"], "The range.\nTwo lines.", "ben"),
        ("Netflix", [], "", "ben"),
        ("Netflix", ["company"], "", "ana"),
    ]:
        start = text.index(phrase)
        store.add_highlight(ARTICLE, start, start + len(phrase), tags=tags, note=note, coder=coder)
    other = "qa-labor-economist"
    start = store.library.display(other).text.index("digital replica")
    store.add_highlight(other, start, start + 15, tags=["AI/likeness"], coder="ben")
    # In a code block, whose line breaks and runs of spaces the display text keeps.
    code = "newsletter-the-34x-number"
    text = store.library.display(code).text
    start = text.index("low, high")
    end = text.index("# 34.0") + 6
    store.add_highlight(code, start, end, tags=["figures"], coder="ana")
    store.update_tag("AI/likeness", description="A person's face, voice or body, copied.")
    store.set_memo(ARTICLE, "The story that started it.\n\nSecond paragraph.")
    store.set_memo(other, "An interview.")
    return store


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def cli(ws: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(ws), *args])


def snapshot(store: AnnotationStore) -> list[tuple[object, ...]]:
    return sorted(
        (h.article_id, h.start, h.end, h.quote, tuple(h.tags), h.note, h.coder)
        for h in store.all_highlights()
    )


# -- export ---------------------------------------------------------------------------------------
def test_the_sample_export_validates_and_holds_each_article_text(
    sample_ws: Workspace, tmp_path: Path, project_schema: xmlschema.XMLSchema10
) -> None:
    store = coded(sample_ws)
    path = tmp_path / "out" / "project.qdpx"
    result = cli(sample_ws.root, "export", "-o", str(path))  # the extension picks qdpx
    assert result.exit_code == 0, result.output
    files = members(path.read_bytes())
    project_schema.validate(io.BytesIO(files["project.qde"]))
    root = ET.fromstring(files["project.qde"])
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", Q)}
    assert set(users) == {"ana", "ben"}
    sources = {s.get("name"): s for s in root.iterfind("q:Sources/q:TextSource", Q)}
    article = store.library.get(ARTICLE)
    source = sources[article.title]
    guid = source.get("guid")
    assert source.get("plainTextPath") == f"internal://{guid}.txt"
    text = files[f"sources/{guid}.txt"].decode("utf-8")
    assert text == article.display.text
    for selection in source.iterfind("q:PlainTextSelection", Q):
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert text[start:end] == selection.get("name")
    codes = {c.get("name"): c for c in root.iter(f"{{{NAMESPACE}}}Code")}
    assert codes["likeness"].findtext("q:Description", None, Q) == (
        "A person's face, voice or body, copied."
    )
    assert codes["AI"].find("q:Code", Q) is codes["likeness"]
    notes = [n.findtext("q:PlainTextContent", None, Q) for n in root.iterfind("q:Notes/q:Note", Q)]
    assert "The range.\nTwo lines." in notes
    assert "The story that started it.\n\nSecond paragraph." in notes
    ranged = next(
        s for s in source.iterfind("q:PlainTextSelection", Q) if "$300,000" in s.get("name")
    )
    assert ranged.get("creatingUser") == users["ben"]
    assert len(ranged.findall("q:Coding", Q)) == 2


def test_guids_and_bytes_are_the_same_every_export(sample_ws: Workspace, tmp_path: Path) -> None:
    store = coded(sample_ws)
    first = to_qdpx(select(store), exported=FIXED)
    assert to_qdpx(select(store), exported=FIXED) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # Exported at another time: only the time differs, every GUID is the same.
    export_to_file(store, "qdpx", tmp_path / "a.qdpx")
    export_to_file(store, "qdpx", tmp_path / "b.qdpx")

    def guids(path: Path) -> list[str]:
        root = ET.fromstring(members(path.read_bytes())["project.qde"])
        return [e.get("guid") or "" for e in root.iter() if e.get("guid")]

    assert guids(tmp_path / "a.qdpx") == guids(tmp_path / "b.qdpx")
    assert len(guids(tmp_path / "a.qdpx")) > 20


def _one_article(ws: Workspace, body: str) -> AnnotationStore:
    Library(ws).save(Article(id="emoji", title="Emoji", body=body))
    return AnnotationStore(ws)


def test_positions_count_code_points_an_emoji_is_one(ws: Workspace) -> None:
    store = _one_article(ws, "Faces 😀 and 𝒳 before.\n\nThe scan is the contract.\n")
    text = store.library.display("emoji").text
    start = text.index("scan")
    store.add_highlight("emoji", start, start + 4, tags=["t"])
    root = ET.fromstring(members(to_qdpx(select(store)))["project.qde"])
    selection = root.find(".//q:PlainTextSelection", Q)
    assert selection is not None
    # Two characters outside the Basic Multilingual Plane come first: UTF-16 would count 2 more.
    assert text == "Faces 😀 and 𝒳 before.\n\nThe scan is the contract."
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("27", "31")


def test_crlf_line_ends_are_counted_in_positions(ws: Workspace) -> None:
    store = _one_article(ws, "One 😀 line.\n\nTwo lines\n\nand three.\n")
    text = store.library.display("emoji").text
    start = text.index("lines")
    store.add_highlight("emoji", start, len(text) - 1, tags=["t"])
    files = members(to_qdpx(select(store), line_ends="crlf"))
    written = next(v for k, v in files.items() if k.startswith("sources/")).decode("utf-8")
    assert written == text.replace("\n", "\r\n")
    selection = ET.fromstring(files["project.qde"]).find(".//q:PlainTextSelection", Q)
    assert selection is not None
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    assert written[start:end] == "lines\r\n\r\nand three"


def test_the_crlf_format_is_offered_and_keeps_the_qdpx_extension(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    coded(sample_ws)
    path = tmp_path / "crlf.qdpx"
    result = cli(sample_ws.root, "export", "--format", "qdpx-crlf", "-o", str(path))
    assert result.exit_code == 0, result.output
    texts = [v for k, v in members(path.read_bytes()).items() if k.startswith("sources/")]
    assert texts and all(b"\r\n" in t for t in texts)


# -- import ---------------------------------------------------------------------------------------
def test_the_sample_export_imports_into_an_empty_workspace(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = coded(sample_ws)
    before = snapshot(store)
    path = tmp_path / "p.qdpx"
    export_to_file(store, "qdpx", path)
    empty = Workspace(tmp_path / "empty")
    empty.ensure()
    result = cli(empty.root, "import-annotations", str(path))
    assert result.exit_code == 0, result.output
    after = AnnotationStore(empty)
    # The articles keep their ids and texts, and every highlight is at the same place.
    assert snapshot(after) == before
    for article_id in {h[0] for h in before}:
        assert after.library.display(article_id).text == store.library.display(article_id).text
    assert after.state(ARTICLE).memo == store.state(ARTICLE).memo
    tags = {t.name: t for t in after.tags()}
    assert tags["AI/likeness"].description == "A person's face, voice or body, copied."
    made = after.library.get(ARTICLE)
    original = store.library.get(ARTICLE)
    assert (made.title, made.url, made.author) == (original.title, original.url, original.author)


def test_importing_into_the_workspace_that_holds_it_adds_nothing(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = coded(sample_ws)
    before = (snapshot(store), store.library.ids(), store.state(ARTICLE).memo)
    for line_ends in ("qdpx", "qdpx-crlf"):
        path = tmp_path / f"{line_ends}.qdpx"
        export_to_file(store, line_ends, path)
        result = cli(sample_ws.root, "import-annotations", str(path))
        assert result.exit_code == 0, result.output
        assert "imported 0 highlights" in result.stdout
        assert "6 already there" in result.stdout
    assert (snapshot(store), store.library.ids(), store.state(ARTICLE).memo) == before


def other_tool(tmp_path: Path) -> Path:
    """The hand-written project of tests/fixtures/refi/other-tool, zipped."""
    path = tmp_path / "other-tool.qdpx"
    folder = FIXTURES / "other-tool"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return path


def test_the_hand_written_fixture_is_valid(project_schema: xmlschema.XMLSchema10) -> None:
    project_schema.validate(str(FIXTURES / "other-tool" / "project.qde"))


def test_a_project_from_another_tool_lands_on_the_right_words(
    ws: Workspace, tmp_path: Path
) -> None:
    path = other_tool(tmp_path)
    result = cli(ws.root, "import-annotations", str(path))
    assert result.exit_code == 0, result.output
    assert "imported 4 highlights" in result.stdout
    store = AnnotationStore(ws)
    found = {
        (h.quote, tuple(h.tags), h.note, h.coder)
        for h in store.all_highlights()
        if store.library.display(h.article_id).text[h.start : h.end] == h.quote
    }
    assert found == {
        # Across a CR LF line end: the line end is a space, as lines in a paragraph are shown.
        (
            "They scanned my whole body in a van. Nobody told me",
            ("Consent/Scanning",),
            "Consent was never asked; compare with interview 3.",
            "Researcher A",
        ),
        ("$187", ("Pay",), "", "Researcher B"),
        # After an emoji and a CR LF: code points, CR LF counted as two.
        ("my face", ("Consent/Likeness", "Consent/Scanning"), "", "Researcher B"),
        # The inline PlainTextContent source.
        ("about AI and scans", ("Consent/Likeness",), "", "Researcher A"),
    }
    tags = {t.name: t for t in store.tags()}
    assert "Consent" not in tags  # a parent that cannot be coded: implied by its children
    assert tags["Consent/Likeness"].color == "#33cc99"
    assert tags["Consent/Scanning"].description.startswith("Being scanned")
    (interview,) = [a for a in store.library.articles() if a.title.startswith("Interview 1")]
    assert store.state(interview.id).memo == "Recorded on the picket line, 20 minutes."
    assert interview.display.text.startswith("Interview with a background actor\n\nThey")
    # Twice: nothing is made twice.
    again = cli(ws.root, "import-annotations", str(path))
    assert again.exit_code == 0, again.output
    assert "imported 0 highlights" in again.stdout and "4 already there" in again.stdout
    assert len(store.library.ids()) == 2


# -- bad input ------------------------------------------------------------------------------------
def _zip(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _fixture_files() -> dict[str, bytes | str]:
    folder = FIXTURES / "other-tool"
    return {
        f.relative_to(folder).as_posix(): f.read_bytes() for f in folder.rglob("*") if f.is_file()
    }


def _edited(old: str, new: str) -> dict[str, bytes | str]:
    files = _fixture_files()
    project = (FIXTURES / "other-tool" / "project.qde").read_text(encoding="utf-8")
    assert old in project
    files["project.qde"] = project.replace(old, new)
    return files


TXT = "6B29FC40-CA47-1067-B31D-00DD010662DA.txt"
BAD = {
    "not a zip": (lambda p: p.write_text("just text") and p, "not a zip archive"),
    "no project.qde": (
        lambda p: _zip(p, {"sources/a.txt": "text"}),
        "has no project.qde",
    ),
    "not XML": (lambda p: _zip(p, {"project.qde": "<Project><unclosed>"}), "is not XML"),
    "outside its text": (
        lambda p: _zip(p, _edited('endPosition="161"', 'endPosition="900"')),
        "positions 154-900 are outside its text (177 characters)",
    ),
    "../ in plainTextPath": (
        lambda p: _zip(p, _edited(f"internal://{TXT}", f"internal://../../{TXT}")),
        "is outside the archive",
    ),
    "absolute plainTextPath": (
        lambda p: _zip(p, _edited(f"internal://{TXT}", "file:///etc/passwd")),
        "is outside the archive",
    ),
    "absolute internal path": (
        lambda p: _zip(p, _edited(f"internal://{TXT}", "internal:///etc/passwd")),
        "is outside the archive",
    ),
    "entity expansion": (
        lambda p: _zip(
            p,
            {"project.qde": '<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "aaaa">]><P>&a;</P>'},
        ),
        "has a DOCTYPE",
    ),
    "unknown code": (
        lambda p: _zip(
            p,
            _edited(
                'CodeRef targetGUID="4B2C3D4E-5F60-4B7C-9D8E-0F1A2B3C4D5E"',
                'CodeRef targetGUID="00000000-0000-4000-8000-000000000000"',
            ),
        ),
        "which is no code",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_projects_are_one_line_and_import_nothing(
    ws: Workspace, tmp_path: Path, case: str
) -> None:
    make, problem = BAD[case]
    path = tmp_path / "bad.qdpx"
    make(path)
    ws.ensure()
    result = cli(ws.root, "import-annotations", str(path))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and problem in lines[0]
    assert Library(ws).ids() == []
    assert list(AnnotationStore(ws).all_highlights()) == []


def test_a_zip_is_read_only_up_to_the_cap(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text that inflates past the cap is refused after reading the cap, whatever size the
    zip's directory claims for it."""
    from annotations.formats import qdpx_import

    monkeypatch.setattr(qdpx_import, "MAX_ENTRY", 20_000)
    files = _fixture_files()
    files[f"sources/{TXT}"] = "a" * 10_000_000
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    ws.ensure()
    result = cli(ws.root, "import-annotations", str(path))
    assert result.exit_code == 1
    assert f"{path}: sources/{TXT} is larger than" in result.stderr
    assert Library(ws).ids() == []


def test_the_parsed_fixture_needs_no_workspace(tmp_path: Path) -> None:
    incoming = read_annotations(other_tool(tmp_path))
    assert incoming.format == "qdpx"
    assert [a.title for a in incoming.articles] == [
        "Interview 1: background actor",
        "Field note, picket line",
    ]


def test_merge_reports_created_articles(ws: Workspace, tmp_path: Path) -> None:
    store = AnnotationStore(ws)
    report = merge(store, read_annotations(other_tool(tmp_path)))
    assert len(report.articles_created) == 2
    assert report.added == 4


# -- round trip property --------------------------------------------------------------------------
WORDS = ["scan", "Likeness", "é", "😀", "𝒳y", "$900,000", "strike.", "naïve", "a", "中文"]
TAGS = ["AI/likeness", "pay", "AI", "Ünï 😀"]


@st.composite
def coded_texts(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, list[str], str, str]]]:
    paragraphs = draw(
        st.lists(
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
            min_size=1,
            max_size=4,
        )
    )
    text = "\n\n".join(paragraphs)
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, len(text) - 1), st.integers(1, len(text))),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    highlights = []
    for start, end in spans:
        if start < end and text[start:end].strip():
            tags = draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True))
            note = draw(st.sampled_from(["", "A note.", "Two\nlines 😀."]))
            coder = draw(st.sampled_from(["", "ana", "ben"]))
            highlights.append((start, end, tags, note, coder))
    return text, highlights


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coded_texts(), st.sampled_from(["lf", "crlf"]))
def test_round_trip_into_an_empty_workspace_and_back(
    case: tuple[str, list[tuple[int, int, list[str], str, str]]], line_ends: str
) -> None:
    text, spans = case
    with tempfile.TemporaryDirectory() as folder:
        source = Workspace(Path(folder) / "source")
        source.ensure()
        body = "\n\n".join(escape_markdown(p) for p in text.split("\n\n")) + "\n"
        Library(source).save(Article(id="random", title="Random", body=body))
        store = AnnotationStore(source)
        assert store.library.display("random").text == text
        for start, end, tags, note, coder in spans:
            with contextlib.suppress(DuplicateHighlight):
                store.add_highlight("random", start, end, tags=tags, note=note, coder=coder)
        before = snapshot(store)
        path = Path(folder) / "p.qdpx"
        path.write_bytes(to_qdpx(select(store), line_ends="crlf" if line_ends == "crlf" else "lf"))
        empty = Workspace(Path(folder) / "empty")
        empty.ensure()
        report = merge(AnnotationStore(empty), read_annotations(path))
        assert report.skipped == 0
        assert snapshot(AnnotationStore(empty)) == before
        again = merge(store, read_annotations(path))
        assert (again.added, again.articles_created) == (0, [])
        assert snapshot(store) == before


@given(
    st.lists(
        st.sampled_from(["word", "😀", "é", " ", "  ", "\t", "\r\n", "\n", "\r", "\r\n\r\n"]),
        min_size=1,
        max_size=30,
    ).map("".join),
    st.data(),
)
def test_another_tools_positions_keep_their_words(raw: str, data: st.DataObject) -> None:
    """Over any text with any line ends and spaces, a span lands on the same words."""
    from annotations.formats.qdpx_import import _Text

    start = data.draw(st.integers(0, len(raw)))
    end = data.draw(st.integers(start, len(raw)))
    shown = _Text(raw)
    span = shown.span(start, end)
    words = raw[start:end].split()
    if span is None:
        assert words == []
    else:
        assert shown.text[span[0] : span[1]].split() == words
    assert shown.text.split() == raw.split()
