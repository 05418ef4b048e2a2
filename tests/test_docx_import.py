"""Word .docx files becoming articles through mammoth and the HTML-to-Markdown path.

Every .docx is written by the test (tests/document_files.py): the few XML parts Word needs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.importers import ImportFailed, draft_from_file
from corpus.library import Library
from corpus.sources import import_sources
from tests.document_files import (
    docx_bytes,
    docx_footnote_ref,
    docx_paragraph,
    docx_run,
    docx_table,
    zip_bytes,
)

BODY = [
    docx_paragraph("Interview notes: Ana", style="Heading1"),
    docx_paragraph(
        "We met on ",
        docx_run("Tuesday", italic=True),
        " and talked about ",
        docx_run("residuals", bold=True),
        ".",
        docx_footnote_ref(1),
    ),
    docx_paragraph("Themes", style="Heading2"),
    docx_paragraph("Pay", list_id=1),
    docx_paragraph("Consent *for* likeness", list_id=1),
    docx_paragraph("First", list_id=2),
    docx_paragraph("Second", list_id=2),
    docx_table([["Name", "Role"], ["Ana", "Actor"]]),
]


def document(tmp_path: Path, body: list[str] | None = None, **core: str) -> Path:
    path = tmp_path / "notes.docx"
    path.write_bytes(docx_bytes(body or BODY, footnotes=["Recorded with consent."], **core))
    return path


def test_headings_emphasis_lists_tables_and_footnotes(tmp_path: Path) -> None:
    draft = draft_from_file(document(tmp_path))
    assert draft.body == (
        "We met on *Tuesday* and talked about **residuals**.\\[1\\]\n\n"
        "## Themes\n\n"
        "- Pay\n- Consent \\*for\\* likeness\n\n"
        "1. First\n2. Second\n\n"
        "Name \\| Role\n\nAna \\| Actor\n\n"
        "## Notes\n\n1. Recorded with consent.\n"
    )
    # The first heading is the title (no core properties), so the text does not repeat it.
    assert (draft.title, draft.author, draft.published) == ("Interview notes: Ana", None, None)


def test_the_title_author_and_date_come_from_the_core_properties(tmp_path: Path) -> None:
    path = document(tmp_path, title="Ana, 2 May", creator="Ben Ode", created="2024-05-02T10:00:00Z")
    draft = draft_from_file(path)
    assert (draft.title, draft.author, draft.published) == ("Ana, 2 May", "Ben Ode", "2024-05-02")
    assert draft.body.startswith("# Interview notes: Ana\n\n")


def test_a_highlight_made_on_the_text_quotes_it(
    tmp_path: Path, store: AnnotationStore, library: Library
) -> None:
    [outcome] = import_sources(library, [str(document(tmp_path))])
    assert outcome.result is not None and outcome.result.status == "imported"
    article_id = outcome.result.article.id
    text = library.display(article_id).text
    start = text.index("Consent *for* likeness")
    highlight = store.add_highlight(article_id, start, start + len("Consent *for* likeness"))
    assert highlight.quote == "Consent *for* likeness"
    again = [
        o.result.status for o in import_sources(library, [str(document(tmp_path))]) if o.result
    ]
    assert again == ["unchanged"]


def one_line_error(path: Path, reason: str) -> str:
    with pytest.raises(ImportFailed, match=reason) as caught:
        draft_from_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_a_corrupt_zip_is_one_line_and_nothing_is_written(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(document(tmp_path).read_bytes()[:200])
    message = one_line_error(path, r"not a Word \.docx file \(not a valid zip archive\)")
    [outcome] = import_sources(library, [str(path)])
    assert (outcome.error, library.ids()) == (message, [])


def test_a_zip_without_a_document_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    path.write_bytes(zip_bytes({"[Content_Types].xml": "<Types/>"}))
    one_line_error(path, r"not a Word \.docx file \(no word/document\.xml in it\)")


def test_a_damaged_document_part_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "damaged.docx"
    path.write_bytes(zip_bytes({"word/document.xml": "<w:document><unclosed>"}))
    one_line_error(path, "damaged Word file")


def test_an_empty_document_is_one_line(tmp_path: Path) -> None:
    one_line_error(document(tmp_path, [docx_paragraph("")]), "empty, no text to read")


def test_a_heading_title_reads_as_its_text_not_its_markdown(tmp_path: Path) -> None:
    body = [docx_paragraph("Pay & *likeness* \\ 2024", style="Heading1"), docx_paragraph("Text.")]
    draft = draft_from_file(document(tmp_path, body))
    assert (draft.title, draft.body) == ("Pay & *likeness* \\ 2024", "Text.\n")
