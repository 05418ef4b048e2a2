"""The Obsidian vault export: a note per article, reader's part between markers, updated in place.

Real workspaces and real files: the CLI (``reader export --format obsidian -o VAULT``), a YAML
parser (PyYAML) on the properties, and the app's export dialog driven with keys."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import assume, example, given
from hypothesis import strategies as st
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Select

from annotations.formats.obsidian import (
    END,
    START,
    _parse,
    block_id,
    note_stem,
    obsidian_tag,
    reader_id,
    render_note,
    yaml_string,
)
from annotations.formats.registry import FORMATS
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from tests.waits import paste

ARTICLE = "netflix-ai-job-picket-line"
HOSTILE_TITLE = 'Strike: the "last" offer\nand ../../etc/x'


def export(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "export", *args])
    return result.exit_code, result.stdout, result.stderr


def vault_export(ws: Workspace, vault: Path) -> str:
    code, _, stderr = export(ws, "--format", "obsidian", "-o", str(vault))
    assert code == 0, stderr
    return stderr


def annotated(ws: Workspace) -> AnnotationStore:
    store = AnnotationStore(ws)
    store.add_highlight(ARTICLE, 0, 12, tags=["AI/likeness", "pay gap"], note="A note.\n\nTwo.")
    store.add_highlight(ARTICLE, 40, 52, tags=["2023"], coder="ana")
    store.set_memo(ARTICLE, "What this article is for.")
    return store


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_note_per_article_with_properties_memo_quotes_block_ids_and_notes(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    highlights = store.highlights(ARTICLE)
    vault = tmp_path / "vault"
    line = vault_export(sample_ws, vault)
    assert line == f"wrote 2 highlights to {vault} (1 note: 1 new; made the folder {vault})\n"
    (note,) = vault.iterdir()
    assert note.name == "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line.md"
    text = note.read_text(encoding="utf-8")
    assert front_matter(text) == {
        "title": "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line",
        "author": "Dana Whitfield",
        "url": "https://example.org/ledger-line/2023/07/netflix-ai-job",
        "published": __import__("datetime").date(2023, 7, 26),
        "tags": ["AI/likeness", "_2023", "pay-gap"],
        "reader-id": ARTICLE,
    }
    part = text.split(START + "\n")[1].split(END)[0]
    first, second = highlights
    assert part.index("> [!note] Memo\n> What this article is for.") < part.index("[!quote]")
    assert (
        f"> [!quote]\n> {first.quote}\n>\n> #AI/likeness #pay-gap\n\n^{first.id}\n\nA note.\n\nTwo."
    ) in part
    assert f"> [!quote] ana\n> {second.quote.strip()}\n>\n> #_2023\n\n^{second.id}\n" in part


def test_exporting_twice_changes_no_byte(sample_ws: Workspace, tmp_path: Path) -> None:
    annotated(sample_ws)
    AnnotationStore(sample_ws).add_highlight("deep-fake-love", 0, 20, tags=["genre"])
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    before = files(vault)
    stamps = {p: p.stat().st_mtime_ns for p in vault.iterdir()}
    assert vault_export(sample_ws, vault).endswith("(2 notes: 2 unchanged)\n")
    assert files(vault) == before
    assert {p: p.stat().st_mtime_ns for p in vault.iterdir()} == stamps  # not even rewritten


def test_what_the_person_wrote_survives_an_update(sample_ws: Workspace, tmp_path: Path) -> None:
    store = annotated(sample_ws)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    (note,) = vault.iterdir()
    text = note.read_text(encoding="utf-8")
    # The person adds a property (with a comment), a line above reader's part and below it,
    # and edits reader's own title property (reader's keys are reader's).
    text = text.replace("---\n", "---\nstatus: reading  # mine\naliases:\n  - Netflix job\n", 1)
    text = text.replace("\nreader-id:", "\n# a comment of mine\nreader-id:", 1)
    text = text.replace(START, f"My thoughts before.\n\n{START}")
    text = text.replace('title: "Netflix', 'title: "Edited Netflix')
    text += "\n## Follow-up\n\nAsk the union for the numbers.\n"
    note.write_text(text, encoding="utf-8")
    added = store.add_highlight(ARTICLE, 100, 120, tags=["new"])
    assert vault_export(sample_ws, vault).endswith("(1 note: 1 updated)\n")
    after = note.read_text(encoding="utf-8")
    assert "My thoughts before.\n\n" + START in after
    assert after.endswith(END + "\n\n## Follow-up\n\nAsk the union for the numbers.\n")
    assert f"^{added.id}" in after
    props = front_matter(after)
    assert props["status"] == "reading"
    assert props["aliases"] == ["Netflix job"]
    assert props["title"] == "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line"
    assert "status: reading  # mine\n" in after  # the person's line as they wrote it
    assert "\n# a comment of mine\nreader-id:" in after
    assert "new" in props["tags"]  # type: ignore[operator]
    # And once more: nothing changes.
    assert vault_export(sample_ws, vault).endswith("(1 note: 1 unchanged)\n")
    assert note.read_text(encoding="utf-8") == after


def test_a_hostile_title_stays_in_the_vault_and_valid_yaml(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = AnnotationStore(sample_ws)
    store.library.save(
        Article(id="hostile", title=HOSTILE_TITLE, body="Words to quote here.\n", author='A "B"')
    )
    store.add_highlight("hostile", 0, 5)
    vault = tmp_path / "deep" / "vault"
    vault_export(sample_ws, vault)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "workspace"]
    assert [str(p.relative_to(tmp_path)) for p in (tmp_path / "deep").rglob("*")] == [
        "deep/vault",
        "deep/vault/Strike - the last offer and … … etc x.md",
    ]
    note = next(vault.iterdir())
    props = front_matter(note.read_text(encoding="utf-8"))
    assert props["title"] == HOSTILE_TITLE
    assert props["author"] == 'A "B"'
    assert not (tmp_path / "etc").exists()


def test_a_file_that_is_not_reader_s_is_never_written_over(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    annotated(sample_ws)
    vault = tmp_path / "vault"
    vault.mkdir()
    mine = vault / "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line.md"
    mine.write_text("My own note with the same name.\n", encoding="utf-8")
    vault_export(sample_ws, vault)
    assert mine.read_text(encoding="utf-8") == "My own note with the same name.\n"
    ours = vault / f"Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line ({ARTICLE}).md"
    assert front_matter(ours.read_text(encoding="utf-8"))["reader-id"] == ARTICLE
    vault_export(sample_ws, vault)  # found again under its name: no third file
    assert len(list(vault.iterdir())) == 2


def test_a_renamed_or_moved_note_is_updated_where_it_is(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    (note,) = vault.iterdir()
    (vault / "sources").mkdir()
    moved = vault / "sources" / "Netflix job.md"
    note.rename(moved)
    added = store.add_highlight(ARTICLE, 100, 120)
    vault_export(sample_ws, vault)
    assert [p.name for p in vault.rglob("*.md")] == ["Netflix job.md"]
    assert f"^{added.id}" in moved.read_text(encoding="utf-8")


def test_colliding_titles_get_different_stable_names(sample_ws: Workspace, tmp_path: Path) -> None:
    store = AnnotationStore(sample_ws)
    for article_id in ("same-b", "same-a"):
        store.library.save(Article(id=article_id, title="Same: Title", body="Some words.\n"))
        store.add_highlight(article_id, 0, 4)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    names = sorted(p.name for p in vault.iterdir())
    assert names == ["Same - Title (same-b).md", "Same - Title.md"]
    assert front_matter((vault / "Same - Title.md").read_text(encoding="utf-8")) == {
        "title": "Same: Title",
        "tags": [],
        "reader-id": "same-a",
    }
    vault_export(sample_ws, vault)
    assert sorted(p.name for p in vault.iterdir()) == names


def test_a_note_with_broken_markers_refuses_the_export_and_nothing_changes(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    store.add_highlight("deep-fake-love", 0, 20)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    broken = next(p for p in vault.iterdir() if p.name.startswith("Netflix"))
    broken.write_text(broken.read_text(encoding="utf-8").replace(END, ""), encoding="utf-8")
    store.add_highlight("deep-fake-love", 30, 40)
    before = files(vault)
    code, _, stderr = export(sample_ws, "--format", "obsidian", "-o", str(vault))
    assert code == 1
    assert stderr.startswith(f"Error: {broken}: not one '{START}' line followed by one")
    assert stderr.count("\n") == 1
    assert files(vault) == before


def test_properties_made_invalid_refuse_the_export_with_the_line(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    annotated(sample_ws)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    (note,) = vault.iterdir()
    text = note.read_text(encoding="utf-8").replace("---\n", "---\nstatus: [reading\n", 1)
    note.write_text(text, encoding="utf-8")
    code, _, stderr = export(sample_ws, "--format", "obsidian", "-o", str(vault))
    assert code == 1
    assert stderr.startswith(f"Error: {note}: its properties are not valid YAML (line ")
    assert [p.name for p in vault.iterdir()] == [note.name]  # no second note beside it
    assert note.read_text(encoding="utf-8") == text


def test_a_date_that_is_no_date_is_quoted_and_one_in_the_person_s_properties_refused(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = AnnotationStore(sample_ws)
    store.library.save(Article(id="odd", title="Odd", body="Some words.\n", published="2023-02-30"))
    store.add_highlight("odd", 0, 4)
    vault = tmp_path / "vault"
    vault_export(sample_ws, vault)
    note = vault / "Odd.md"
    assert front_matter(note.read_text(encoding="utf-8"))["published"] == "2023-02-30"
    text = note.read_text(encoding="utf-8").replace("---\n", "---\nreviewed: 2023-02-31\n", 1)
    note.write_text(text, encoding="utf-8")
    code, _, stderr = export(sample_ws, "--format", "obsidian", "-o", str(vault))
    assert (code, stderr) == (1, f"Error: {note}: its properties are not valid YAML\n")


def test_standard_output_and_a_file_are_refused(sample_ws: Workspace, tmp_path: Path) -> None:
    annotated(sample_ws)
    code, stdout, stderr = export(sample_ws, "--format", "obsidian")
    assert (code, stdout) == (1, "")
    assert "writes a folder, not standard output" in stderr
    a_file = tmp_path / "notes"
    a_file.write_text("x", encoding="utf-8")
    code, _, stderr = export(sample_ws, "--format", "obsidian", "-o", str(a_file))
    assert code == 1
    assert stderr == f"Error: {a_file}: is a file; the obsidian format writes a folder: name one\n"
    assert a_file.read_text(encoding="utf-8") == "x"
    inside = a_file / "vault"
    code, _, stderr = export(sample_ws, "--format", "obsidian", "-o", str(inside))
    assert (code, stderr) == (1, f"Error: {inside}: cannot write ({a_file} is a file)\n")


# Any text but lone surrogates, with what YAML treats specially made likely.
_NO_SURROGATES = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from('"\\\n\t\r:#-\x00\x85\u2028\ufeff\U0001f3ad'),
    )
)


@given(_NO_SURROGATES)
@example('a "quoted" title: with a colon')
@example("back\\slash\nand a line break\t#not a comment")
@example("\x85\u2028\ufeff\x00\x7f\U0001f3ad")
def test_any_text_reads_back_from_its_yaml_string(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(text)}\nother: 1\n") == {"key": text, "other": 1}


@given(st.text(), st.text(min_size=1, alphabet="abc-0123"))
def test_note_names_are_safe(title: str, article_id: str) -> None:
    name = note_stem(title, article_id)
    assert name and len(name) <= 100 and len(name.encode("utf-8")) <= 128
    assert not re.search(r'[\\/:*?"<>|#^\[\]]|\.\.', name)
    assert not any((ch.isspace() and ch != " ") or ord(ch) < 32 for ch in name)
    assert not name.startswith(".") and name == name.strip()
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@given(st.text(min_size=1))
def test_tags_and_block_ids_follow_obsidian_s_rules(text: str) -> None:
    tag = obsidian_tag(text)
    assert re.fullmatch(r"[\w\-/]+", tag) and not tag.replace("/", "").isdigit()
    assert " " not in tag
    assert re.fullmatch(r"[A-Za-z0-9-]+", block_id(text))


def test_tag_and_block_id_examples() -> None:
    assert obsidian_tag("AI/likeness") == "AI/likeness"
    assert obsidian_tag("job cuts") == "job-cuts"
    assert obsidian_tag("C++ / émigré") == "C/émigré"
    assert obsidian_tag("1984") == "_1984"
    assert block_id("b9430d230947") == "b9430d230947"
    assert block_id("Zs6yUGZ_VEe6") != block_id("Zs6yUGZ-VEe6")


async def test_the_export_dialog_writes_a_vault(sample_ws: Workspace, tmp_path: Path) -> None:
    """Choosing obsidian in the dialog and typing a folder writes the vault there."""
    store = annotated(sample_ws)
    vault = tmp_path / "My vault"
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        select = app.screen.query_one("#export-format", Select)
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        # The list holds the formats in the registry's order, the current one (json) chosen.
        downs = list(FORMATS).index("obsidian") - list(FORMATS).index("json")
        await pilot.press(*["down"] * downs, "enter")
        await pilot.pause()
        assert select.value == "obsidian"
        await pilot.press("tab", "end", "ctrl+u")
        await paste(pilot, str(vault))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
    toasts = [m.notification.message for m in seen if isinstance(m, Notify)]
    assert toasts == [
        f"Wrote 2 highlights as obsidian to {vault} (1 note: 1 new; made the folder {vault})"
    ]
    (note,) = vault.iterdir()
    assert front_matter(note.read_text(encoding="utf-8"))["reader-id"] == ARTICLE
    assert os.path.commonpath([note, vault]) == str(vault)


def test_a_symbolic_link_in_the_vault_is_not_written_through(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    """A link to a note of reader's outside the vault is not taken for the article's note:
    writing it would write outside the vault."""
    annotated(sample_ws)
    first = tmp_path / "first"
    vault_export(sample_ws, first)
    (outside,) = first.iterdir()
    before = outside.read_bytes()
    AnnotationStore(sample_ws).add_highlight(ARTICLE, 100, 120)
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "linked.md").symlink_to(outside)
    vault_export(sample_ws, vault)
    assert outside.read_bytes() == before
    assert sorted(p.name for p in vault.iterdir()) == [outside.name, "linked.md"]
    assert not (vault / outside.name).is_symlink()


# Text with what could confuse a note made likely: markers, comments, rules, quotes, ids.
_LINE_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r"), max_size=8),
        st.sampled_from(["%%", "%% reader:end %%", "---", "> ", "^", "\n", "#", ":", '"']),
    ),
    max_size=6,
).map("".join)


@given(
    title=_LINE_TEXT,
    memo=_LINE_TEXT,
    quotes=st.lists(st.tuples(_LINE_TEXT, _LINE_TEXT, st.lists(_LINE_TEXT, max_size=2))),
    before=_LINE_TEXT,
    after=_LINE_TEXT,
)
def test_a_note_round_trips_and_keeps_what_surrounds_reader_s_part(
    title: str, memo: str, quotes: list[tuple[str, str, list[str]]], before: str, after: str
) -> None:
    """Rendered, then updated with a person's text around reader's part: reader's part and
    properties come out the same, the person's text is kept, and updating again changes
    nothing; the properties read back as they were, whatever the title holds."""
    lines = {line.strip() for line in f"{before}\n{after}".split("\n")}
    assume(START not in lines and END not in lines)
    article = Article(id="a1", title=title, body="", author=title, url="https://x.example/")
    highlights = [
        Highlight(f"h{n}", "a1", 0, 1, quote or "q", tags=tags, note=note)
        for n, (quote, note, tags) in enumerate(quotes)
    ]
    note = render_note(article, memo, highlights)
    edited = note.replace(START, f"{before}\n{START}", 1) + after
    parsed = _parse(edited, Path("n.md"))
    again = render_note(article, memo, highlights, parsed)
    assert again == edited
    assert render_note(article, memo, highlights, _parse(again, Path("n.md"))) == again
    props = yaml.safe_load(again.split("---\n")[1])
    assert (props["title"], props.get("author", ""), props["reader-id"]) == (title, title, "a1")
    assert reader_id(again) == "a1"
