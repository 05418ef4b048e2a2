"""Issue 20's done criterion: one folder holding every kind of source a researcher has imports
in one ``reader import DIR``, each article's title and text right.

Each kind is a builder that writes its files into the folder (URLs point at the test server on
127.0.0.1) and says which articles it should give. The PDF, EPUB and .docx files are built
here by tests/document_files.py, as their own tests build them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main
from tests import test_docx_import, test_epub_import, test_pdf_import
from tests.test_reading_lists import opml, pocket_html
from tests.web_server import FEEDS_DIR, PAGES_DIR, TestServer
from tests.web_sites import SITES_DIR


@dataclass(frozen=True)
class Expected:
    """An article the folder should give: its title and a sentence of its text."""

    title: str
    sentence: str


Builder = Callable[[Path, TestServer], list[Expected]]
PAGES = {p["file"]: p for p in json.loads((PAGES_DIR / "expected.json").read_text("utf-8"))}
SITES = {p["file"]: p for p in json.loads((SITES_DIR / "expected.json").read_text("utf-8"))}
FEEDS = json.loads((FEEDS_DIR / "expected.json").read_text("utf-8"))


def _page(name: str) -> Expected:
    return Expected(PAGES[name]["title"], PAGES[name]["body_must_contain"][0])


def pocket_export(folder: Path, server: TestServer) -> list[Expected]:
    (folder / "ril_export.html").write_text(pocket_html(server, missing=False), "utf-8")
    return [_page(n) for n in ("01-wordpress.html", "02-newspaper.html", "03-amp.html")]


def opml_list(folder: Path, server: TestServer) -> list[Expected]:
    gone = f'<outline type="rss" text="Gone" xmlUrl="{server.url("/missing")}"/>\n'
    text = opml(server).replace(gone, "")
    (folder / "subscriptions.opml").write_text(text, "utf-8")
    import feedparser
    import lxml.html

    expected = []
    for feed in FEEDS:
        parsed = feedparser.parse((FEEDS_DIR / feed["file"]).read_bytes())
        for entry, want in zip(parsed.entries, feed["entries"], strict=True):
            if want["full_content"]:
                expected.append(Expected(want["title"], want["body_must_contain"][0]))
            else:  # a summary: its first words
                summary = lxml.html.fromstring(entry.summary).text_content()
                expected.append(Expected(want["title"], " ".join(summary.split()[:8])))
    return expected


def html_pages(folder: Path, server: TestServer) -> list[Expected]:
    pages = folder / "pages"
    pages.mkdir()
    shutil.copy(PAGES_DIR / "05-wire-service.html", pages)
    shutil.copy(SITES_DIR / "02-guardian.html", pages)
    shutil.copy(SITES_DIR / "01-bbc.html", pages)
    return [
        _page("05-wire-service.html"),
        Expected(SITES["02-guardian.html"]["title"], SITES["02-guardian.html"]["text"][:80]),
        Expected(SITES["01-bbc.html"]["title"], SITES["01-bbc.html"]["text"][:80]),
    ]


def pdf_report(folder: Path, server: TestServer) -> list[Expected]:
    test_pdf_import.report(folder)  # report.pdf: three pages, a running header, numbers
    return [Expected("Screen Work in 2024", "information runs into the next page.")]


def epub_book(folder: Path, server: TestServer) -> list[Expected]:
    test_epub_import.book(folder)  # strike.epub: two chapters and a cover
    return [Expected("The Long Strike", "It began with a call at dawn.")]


def docx_notes(folder: Path, server: TestServer) -> list[Expected]:
    test_docx_import.document(folder)  # notes.docx: headings, a list, a table, a footnote
    return [Expected("Interview notes: Ana", "We met on Tuesday and talked about residuals.")]


BUILDERS: list[Builder] = [
    pocket_export,
    opml_list,
    html_pages,
    pdf_report,
    epub_book,
    docx_notes,
]


def test_one_folder_of_every_kind_imports_in_one_command(
    tmp_path: Path, web_server: TestServer
) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    expected = [article for build in BUILDERS for article in build(folder, web_server)]
    ws = Workspace(tmp_path / "ws")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "import", str(folder)])
    assert result.exit_code == 0, result.output
    library = Library(ws)
    articles = [library.get(i) for i in library.ids()]
    assert sorted(a.title for a in articles) == sorted(e.title for e in expected)
    for want in expected:
        texts = [
            " ".join(library.display(a.id).text.split()) for a in articles if a.title == want.title
        ]
        assert any(" ".join(want.sentence.split()) in text for text in texts), want
    # Again: nothing new, every line "unchanged".
    again = CliRunner().invoke(main, ["--workspace", str(ws.root), "import", str(folder)])
    assert again.exit_code == 0
    assert again.stdout.count("unchanged") == len(expected)
    assert len(Library(ws).ids()) == len(expected)
