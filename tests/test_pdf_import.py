"""PDF files becoming articles: text rebuilt from positioned lines, pages kept, failures named.

Every PDF is written by the test (tests/document_files.py): Helvetica lines placed by hand, so
what a page holds, and where, is known exactly.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.formats.registry import FORMATS
from annotations.formats.selection import select
from annotations.store import AnnotationStore
from corpus.importers import ImportFailed, draft_from_file
from corpus.library import Library
from corpus.pdf_import import _join, page_at, page_starts
from corpus.sources import import_sources
from tests.document_files import PdfLine, PdfPage, page_of, pdf_bytes

HEADER = "Screen Work Report 2024"
REPORT_PAGES = [
    page_of(
        [
            [
                "Screen work changed in 2024. This is the first para-",
                "graph of the report, and a well-",
                "known fact is that it goes on",
                "and its infor-",
            ]
        ],
        header=HEADER,
        number="1",
    ),
    page_of(
        [
            ["mation runs into the next page. That ends here."],
            ["A second paragraph is well-known to", "everyone who reads it."],
        ],
        header=HEADER,
        number="2",
    ),
    page_of([["The third page has one paragraph of text, no", "more."]], header=HEADER, number="3"),
]
INFO = {"Title": "Screen Work in 2024", "Author": "Ana Ruiz", "CreationDate": "D:20240315120000Z"}


def report(tmp_path: Path, pages: list[PdfPage] | None = None, **info: str) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes(pages or REPORT_PAGES, info=info or INFO))
    return path


def paragraphs_of(body: str) -> list[str]:
    return [p for p in body.strip("\n").split("\n\n")]


def test_a_report_reads_as_paragraphs_without_headers_page_numbers_or_broken_words(
    tmp_path: Path,
) -> None:
    draft = draft_from_file(report(tmp_path))
    assert paragraphs_of(draft.body) == [
        "Screen work changed in 2024. This is the first paragraph of the report, and a "
        "well-known fact is that it goes on and its information runs into the next page. "
        "That ends here.",
        "A second paragraph is well-known to everyone who reads it.",
        "The third page has one paragraph of text, no more.",
    ]
    assert HEADER not in draft.body
    assert (draft.title, draft.author, draft.published) == (
        "Screen Work in 2024",
        "Ana Ruiz",
        "2024-03-15",
    )


def test_each_page_start_is_kept_as_a_display_offset(tmp_path: Path) -> None:
    draft = draft_from_file(report(tmp_path))
    text = draft.display.text
    starts = page_starts(draft)
    assert len(starts) == 3
    assert [text[s : s + 12] for s in starts] == [
        "Screen work ",
        "mation runs ",  # page 2 begins inside the word the line break hyphenated
        "The third pa",
    ]
    second = text.index("A second paragraph")
    assert [page_at(draft, 0), page_at(draft, second), page_at(draft, len(text) - 1)] == [1, 2, 3]


def test_paragraphs_apart_when_gaps_between_them_are_the_commonest(tmp_path: Path) -> None:
    """An interview: one-line questions between two-line answers, so the gap between
    paragraphs is commoner than the gap between lines; the smaller common gap is the line
    spacing."""
    words = ["pay", "consent", "likeness", "residuals", "scans", "studios", "unions", "votes"]
    # No answer ends in a short line: only the gaps tell where it ends.
    paragraphs = []
    for w in words:
        paragraphs += [[f"Q: {w}?"], [f"The talk turned to {w}", f"and stayed on {w} a while."]]
    path = tmp_path / "interview.pdf"
    path.write_bytes(pdf_bytes([page_of(paragraphs[:8]), page_of(paragraphs[8:])]))
    expected = []
    for w in words:
        expected += [f"Q: {w}?", f"The talk turned to {w} and stayed on {w} a while."]
    assert paragraphs_of(draft_from_file(path).body) == expected


def test_without_document_info_the_title_is_the_first_heading(tmp_path: Path) -> None:
    pages = [
        PdfPage(
            [
                PdfLine("Residuals and the Machine", y=720, size=20),
                PdfLine("Body text of the report begins here and goes on.", y=690),
            ]
        )
    ]
    path = tmp_path / "heading.pdf"
    path.write_bytes(pdf_bytes(pages))
    draft = draft_from_file(path)
    assert draft.title == "Residuals and the Machine"
    assert paragraphs_of(draft.body) == ["Body text of the report begins here and goes on."]
    assert (draft.author, draft.published) == (None, None)


def test_a_file_name_as_the_document_title_is_not_used(tmp_path: Path) -> None:
    path = report(tmp_path, Title="Microsoft Word - report_final.docx")
    # No heading and no short first line either: the file's name.
    assert draft_from_file(path).title == "report"


def test_a_highlight_on_the_text_exports_its_page(
    tmp_path: Path, store: AnnotationStore, library: Library
) -> None:
    outcomes = list(import_sources(library, [str(report(tmp_path))]))
    article = outcomes[0].result.article if outcomes[0].result else None
    assert article is not None
    text = library.display(article.id).text
    start = text.index("A second paragraph")
    highlight = store.add_highlight(article.id, start, start + len("A second paragraph"))
    assert highlight.quote == "A second paragraph"
    rows = FORMATS["csv"].render(select(store, texts=False)).decode().splitlines()
    assert rows[0].endswith(",coder,page")
    assert rows[1].endswith(",2")


def test_articles_without_pages_export_no_page_column(
    store: AnnotationStore, article: object
) -> None:
    from corpus.article import Article

    assert isinstance(article, Article)
    store.add_highlight(article.id, 0, 4)
    header = FORMATS["csv"].render(select(store, texts=False)).decode().splitlines()[0]
    assert not header.endswith("page")


def test_reimporting_is_unchanged_and_a_revision_is_updated_with_its_pages(
    tmp_path: Path, library: Library
) -> None:
    path = report(tmp_path)
    first = [o.result.status for o in import_sources(library, [str(path)]) if o.result]
    again = [o.result.status for o in import_sources(library, [str(path)]) if o.result]
    revised = [
        *REPORT_PAGES,
        page_of([["A fourth page was added later."]], header=HEADER, number="4"),
    ]
    report(tmp_path, revised)
    results = [o.result for o in import_sources(library, [str(path)]) if o.result]
    assert (first, again, [r.status for r in results]) == (["imported"], ["unchanged"], ["updated"])
    stored = library.get(results[0].article.id)
    assert len(page_starts(stored)) == 4


def empty_pages(count: int) -> list[PdfPage]:
    return [PdfPage() for _ in range(count)]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (pdf_bytes(empty_pages(2)), r"no text in this PDF \(a scanned document\? run OCR first\)"),
        (b"Hello, this is text with a .pdf name.\n", "not a PDF file"),
        (pdf_bytes(REPORT_PAGES)[:300], "damaged PDF"),
        (b"", "not a PDF file"),
    ],
    ids=["no text layer", "not a PDF", "truncated", "empty"],
)
def test_a_pdf_that_cannot_be_read_is_one_line_naming_it(
    tmp_path: Path, library: Library, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=reason) as caught:
        draft_from_file(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)
    [outcome] = import_sources(library, [str(path)])
    assert outcome.error == str(caught.value)
    assert library.ids() == []


def encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(REPORT_PAGES, info=INFO))))
    writer.encrypt(user_password, "owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_one_line_and_one_with_an_empty_password_opens(
    tmp_path: Path,
) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(encrypted("secret"))
    with pytest.raises(ImportFailed, match="encrypted PDF") as caught:
        draft_from_file(locked)
    assert str(caught.value).startswith(f"{locked}: ")
    open_ = tmp_path / "open.pdf"
    open_.write_bytes(encrypted(""))
    assert "That ends here." in draft_from_file(open_).body


def test_a_folder_imports_its_pdf_and_names_the_broken_one(
    tmp_path: Path, library: Library
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    report(folder)
    (folder / "scan.pdf").write_bytes(pdf_bytes(empty_pages(1)))
    outcomes = list(import_sources(library, [str(folder)]))
    assert [o.error for o in outcomes if o.error] == [
        f"{folder / 'scan.pdf'}: no text in this PDF (a scanned document? run OCR first)"
    ]
    assert [o.result.status for o in outcomes if o.result] == ["imported"]


# -- joining lines ------------------------------------------------------------------------------

words = st.text(alphabet="abcdefgh", min_size=1, max_size=8)


@given(st.lists(st.lists(words, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=6))
def test_lines_without_hyphens_join_with_spaces_and_offsets_find_each_line(
    lines: list[str],
) -> None:
    text, offsets = _join(lines, set())
    assert text == " ".join(lines)
    assert [text[o : o + len(line)] for o, line in zip(offsets, lines, strict=True)] == lines


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["infor-", "mation"], "information"),
        (["a well-", "known fact"], "a well-known fact"),  # "well-known" is written elsewhere
        (["COVID-", "19 cases"], "COVID-19 cases"),
        (["non-", "European"], "non-European"),
        (["a dash -", "then"], "a dash - then"),
    ],
)
def test_hyphenated_line_ends(lines: list[str], joined: str) -> None:
    assert _join(lines, {"well-known"})[0] == joined


# -- the app --------------------------------------------------------------------------------------


async def test_the_apps_import_takes_a_folder_of_pdf_epub_and_docx(
    tmp_path: Path, store: AnnotationStore
) -> None:
    from reader.app import ReaderApp
    from reader.widgets.reading_pane import ReadingPane
    from tests.document_files import docx_bytes, docx_paragraph, epub_bytes
    from tests.waits import paste, settle

    folder = tmp_path / "sources"
    folder.mkdir()
    report(folder)
    (folder / "book.epub").write_bytes(
        epub_bytes([("c.xhtml", "One", "<h1>One</h1><p>A chapter.</p>")])
    )
    (folder / "notes.docx").write_bytes(
        docx_bytes([docx_paragraph("Interview notes", style="Heading1"), docx_paragraph("Hi.")])
    )
    app = ReaderApp(store)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await paste(pilot, str(folder))
        await pilot.press("enter")
        await settle(pilot)
        assert sorted(store.library.ids()) == ["a-book", "interview-notes", "screen-work-in-2024"]
        pane = app.screen.query_one(ReadingPane)
        assert pane.article_id in store.library.ids()


def test_a_pdf_at_a_url_is_imported_with_its_pages(tmp_path: Path, library: Library) -> None:
    import functools
    import http.server
    import threading

    served = tmp_path / "site"
    served.mkdir()
    report(served)
    (served / "scan.pdf").write_bytes(pdf_bytes(empty_pages(1)))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(served))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            good, bad = import_sources(library, [f"{base}/report.pdf", f"{base}/scan.pdf"])
        finally:
            server.shutdown()
    assert good.result is not None and good.result.status == "imported"
    article = library.get(good.result.article.id)
    assert (article.title, article.url, len(page_starts(article))) == (
        "Screen Work in 2024",
        f"{base}/report.pdf",
        3,
    )
    assert bad.error == (
        f"{base}/scan.pdf: no text in this PDF (a scanned document? run OCR first)"
    )
