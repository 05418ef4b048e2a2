"""Every highlight records its coder: --coder, then READER_CODER, then the config file, then
the login name; highlights from before coders are read as by no coder."""

from __future__ import annotations

import csv
import getpass
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.store import SCHEMA_VERSION, AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.cli import main


def annotate(ws: Workspace, article: Article, quote: str, *args: str, env=None) -> str:
    result = CliRunner().invoke(
        main,
        [*args, "-w", str(ws.root), "annotate", article.id, "--quote", quote, "--tag", "AI"],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    with AnnotationStore(ws) as store:
        return store.get_highlight(article.id, result.output.strip()).coder


def test_the_coder_comes_from_the_option_then_the_environment_then_the_config(
    ws: Workspace, article: Article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READER_CODER", raising=False)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("READER_CONFIG", str(config))
    assert annotate(ws, article, "picket") == getpass.getuser()
    config.write_text('coder = "Dana  Ruiz"\n')
    assert annotate(ws, article, "Monday") == "Dana Ruiz"
    assert annotate(ws, article, "87 percent", env={"READER_CODER": "ben"}) == "ben"
    assert (
        annotate(ws, article, "quoted passage", "--coder", "ana", env={"READER_CODER": "ben"})
        == "ana"
    )


def test_a_coder_name_with_a_control_character_is_refused(ws: Workspace, article: Article) -> None:
    result = CliRunner().invoke(
        main,
        ["--coder", "\x1b[31mana", "-w", str(ws.root), "annotate", article.id, "--quote", "picket"],
    )
    assert result.exit_code == 1
    assert "coder name '\\x1b[31mana' contains a control character" in result.output
    assert not ws.highlights_db(article.id).exists()


def test_an_edit_keeps_the_coder_who_made_the_highlight(ws: Workspace, article: Article) -> None:
    with AnnotationStore(ws, coder="ana") as store:
        made = store.add_highlight(article.id, 0, 8, tags=["AI"])
    with AnnotationStore(ws, coder="ben") as store:
        store.update_highlight(article.id, made.id, note="ben's note")
        assert store.get_highlight(article.id, made.id).coder == "ana"


def test_a_schema_1_workspace_is_backed_up_and_its_highlights_have_no_coder(
    ws: Workspace, article: Article
) -> None:
    with AnnotationStore(ws) as store:
        made = store.add_highlight(article.id, 0, 8, tags=["AI"])
    data = json.loads(ws.workspace_db.read_text())
    for record in data["meta"].values():
        if record["key"] == "schema":
            record["value"] = 1
    ws.workspace_db.write_text(json.dumps(data))
    highlights = json.loads(ws.highlights_db(article.id).read_text())
    for record in highlights["highlights"].values():
        del record["coder"]
    ws.highlights_db(article.id).write_text(json.dumps(highlights))

    with AnnotationStore(ws, coder="ana") as store:
        assert store.get_highlight(article.id, made.id).coder == ""
    raw = json.loads(ws.workspace_db.read_text())
    assert {"key": "schema", "value": SCHEMA_VERSION} in raw["meta"].values()
    assert any(ws.backups_dir.rglob("*")), "no backup was made before the migration"


@pytest.mark.parametrize("fmt", ["json", "w3c"])
def test_the_coder_goes_out_in_every_export_and_comes_back(
    tmp_path: Path, ws: Workspace, article: Article, fmt: str
) -> None:
    from annotations.formats.importing import merge, read_annotations
    from annotations.formats.registry import FORMATS, export_to_file
    from corpus.library import Library

    with AnnotationStore(ws, coder="ana") as store:
        store.add_highlight(article.id, 0, 8, tags=["AI"])
        store.add_highlight(article.id, 10, 20, tags=["AI"], coder="ben")
        store.add_highlight(article.id, 30, 40, tags=["pay"], coder="")
        coders = sorted(h.coder for h in store.all_highlights())
        path = tmp_path / f"out{FORMATS[fmt].suffix}"
        export_to_file(store, fmt, path)
        csv_text = FORMATS["csv"].render(select(store)).decode()
        doccano = json.loads(FORMATS["jsonl"].render(select(store)))
    assert coders == ["", "ana", "ben"]
    rows = list(csv.DictReader(io.StringIO(csv_text, newline="")))
    assert sorted(row["coder"] for row in rows) == coders
    assert sorted(doccano["meta"]["coders"]) == coders
    other = Workspace(tmp_path / "other")
    other.ensure()
    Library(other).save(article)
    with AnnotationStore(other, coder="cleo") as store:
        merge(store, read_annotations(path))
        assert sorted(h.coder for h in store.all_highlights()) == coders


def select(store: AnnotationStore):  # type: ignore[no-untyped-def]
    from annotations.formats.selection import select as chosen

    return chosen(store)


def test_list_highlights_export_and_note_search_filter_by_coder(
    ws: Workspace, article: Article
) -> None:
    with AnnotationStore(ws) as store:
        a = store.add_highlight(article.id, 0, 8, tags=["AI"], note="ana on faces", coder="ana")
        b = store.add_highlight(article.id, 10, 20, tags=["AI"], note="ben on faces", coder="ben")

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["-w", str(ws.root), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    listed = [
        json.loads(line)["id"]
        for line in run("highlights", "--coder", "ben", "--json").splitlines()
    ]
    assert listed == [b.id]
    exported = json.loads(run("export", "--coder", "ana"))
    assert [h["id"] for h in exported["articles"][0]["highlights"]] == [a.id]
    assert run("list", "--coder", "ben").split()[0] == article.id
    assert run("list", "--coder", "cleo") == ""
    notes = run("search", "faces", "--notes", "--coder", "ana", "--json")
    assert [json.loads(line)["highlight_id"] for line in notes.splitlines()] == [a.id]
    refused = CliRunner().invoke(main, ["-w", str(ws.root), "search", "faces", "--coder", "ana"])
    assert refused.exit_code == 1 and "use it with --notes" in refused.output


def test_the_sidebar_and_the_highlights_view_name_the_coder(
    store: AnnotationStore, article: Article
) -> None:
    from annotations.highlights_view import highlights_view
    from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarEntry
    from reader.widgets.highlights_list import HighlightsList

    store.add_highlight(article.id, 0, 8, tags=["AI"], coder="ana")
    store.add_highlight(article.id, 10, 20, tags=["AI"])
    entry = SidebarEntry("h", "quote", (("AI", "#ffffff"),), "", "#ffffff", coder="ana")
    assert "#AI @ana" in AnnotationSidebar()._prompt(entry).plain
    unnamed = SidebarEntry("h", "quote", (("AI", "#ffffff"),), "", "#ffffff")
    assert "@" not in AnnotationSidebar()._prompt(unnamed).plain
    view = highlights_view(store)
    lines = [HighlightsList()._highlight(item, "").plain for item in view.items]
    assert sum("@ana" in line for line in lines) == 1 and all("@ " not in x for x in lines)
