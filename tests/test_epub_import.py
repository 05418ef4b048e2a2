"""EPUB books becoming one article each: spine order, chapter headings, metadata, a safe zip.

Every EPUB is written by the test (tests/document_files.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import corpus.zip_parts
from annotations.store import AnnotationStore
from corpus.importers import ImportFailed, draft_from_file
from corpus.library import Library
from corpus.sources import import_sources
from corpus.zip_parts import resolve, safe_name
from tests.document_files import epub_bytes, xhtml, zip_bytes

METADATA = (
    "<dc:title>The Long Strike</dc:title><dc:creator>Ana Ruiz</dc:creator>"
    "<dc:creator>Ben Ode</dc:creator><dc:date>2023-09-01T00:00:00Z</dc:date>"
    "<dc:language>en</dc:language>"
)
CHAPTERS = [
    (
        "ch1.xhtml",
        "One: The Call",
        "<h1>One: The Call</h1><p>It began with a <em>call</em> at dawn.</p>"
        "<blockquote><p>We walk out today.</p></blockquote>",
    ),
    ("cover.xhtml", "Cover", '<div><img src="cover.jpg" alt="cover"/></div>'),
    (
        "ch2.xhtml",
        "Two: The Picket",
        "<p>No heading in this file; <b>bold</b> 5 * 3 &amp; a list:</p>"
        "<ul><li>signs</li><li><p>coffee</p></li></ul>Loose text at the end.",
    ),
]


def book(tmp_path: Path, name: str = "strike.epub", **kwargs: object) -> Path:
    path = tmp_path / name
    chapters = kwargs.pop("chapters", CHAPTERS)
    path.write_bytes(epub_bytes(chapters, metadata=METADATA, **kwargs))  # type: ignore[arg-type]
    return path


def test_a_book_is_one_article_with_its_chapters_in_spine_order(tmp_path: Path) -> None:
    draft = draft_from_file(book(tmp_path))
    assert draft.body == (
        "# One: The Call\n\nIt began with a *call* at dawn.\n\n> We walk out today.\n\n"
        "# Two: The Picket\n\n"  # from the table of contents: the file has no heading
        "No heading in this file; **bold** 5 \\* 3 \\& a list:\n\n- signs\n- coffee\n\n"
        "Loose text at the end.\n"
    )
    assert "Contents" not in draft.body  # the navigation document is not a chapter
    assert (draft.title, draft.author, draft.published) == (
        "The Long Strike",
        "Ana Ruiz, Ben Ode",
        "2023-09-01",
    )
    assert draft.extra == {"language": "en"}
    assert draft.display.text.startswith("One: The Call\n\nIt began with a call at dawn.")


def test_an_epub2_table_of_contents_names_the_chapters(tmp_path: Path) -> None:
    ncx = (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>'
        '<navPoint id="p1"><navLabel><text>Prologue</text></navLabel>'
        '<content src="text/p.xhtml#start"/></navPoint></navMap></ncx>'
    )
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Old Book</dc:title>'
        '</metadata><manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
        '<item id="p" href="text/p.xhtml" media-type="application/xhtml+xml"/></manifest>'
        '<spine toc="ncx"><itemref idref="p"/></spine></package>'
    )
    path = tmp_path / "old.epub"
    path.write_bytes(
        zip_bytes(
            {
                "mimetype": "application/epub+zip",
                "META-INF/container.xml": '<container xmlns="urn:oasis:names:tc:opendocument:'
                'xmlns:container"><rootfiles><rootfile full-path="book.opf"/></rootfiles>'
                "</container>",
                "book.opf": opf,
                "toc.ncx": ncx,
                "text/p.xhtml": xhtml("<p>Before it all.</p>"),
            },
            stored_first="mimetype",
        )
    )
    draft = draft_from_file(path)
    assert (draft.title, draft.body) == ("Old Book", "# Prologue\n\nBefore it all.\n")


def test_a_highlight_made_on_the_text_quotes_it(
    tmp_path: Path, store: AnnotationStore, library: Library
) -> None:
    [outcome] = import_sources(library, [str(book(tmp_path))])
    assert outcome.result is not None and outcome.result.status == "imported"
    article_id = outcome.result.article.id
    text = library.display(article_id).text
    start = text.index("5 * 3 & a list")
    highlight = store.add_highlight(article_id, start, start + len("5 * 3 & a list"))
    assert highlight.quote == "5 * 3 & a list"
    again = [o.result.status for o in import_sources(library, [str(book(tmp_path))]) if o.result]
    assert again == ["unchanged"]


def test_a_revised_book_is_updated(tmp_path: Path, library: Library) -> None:
    path = book(tmp_path)
    list(import_sources(library, [str(path)]))
    longer = [*CHAPTERS, ("ch3.xhtml", "Three", "<h1>Three</h1><p>An epilogue, added.</p>")]
    book(tmp_path, chapters=longer)
    [outcome] = import_sources(library, [str(path)])
    assert outcome.result is not None and outcome.result.status == "updated"
    assert "An epilogue, added." in library.get(outcome.result.article.id).body


def one_line_error(path: Path, reason: str) -> str:
    with pytest.raises(ImportFailed, match=reason) as caught:
        draft_from_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def test_a_corrupt_zip_is_one_line(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "broken.epub"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    message = one_line_error(path, r"not an EPUB file \(not a valid zip archive\)")
    [outcome] = import_sources(library, [str(path)])
    assert (outcome.error, library.ids()) == (message, [])


def test_a_zip_that_is_no_epub_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "other.epub"
    path.write_bytes(zip_bytes({"readme.txt": "hello"}))
    one_line_error(path, "not an EPUB file")


@pytest.mark.parametrize("href", ["../../etc/passwd", "/etc/passwd", "..", "C:/x.xhtml"])
def test_a_reference_outside_the_archive_is_refused(tmp_path: Path, href: str) -> None:
    path = book(tmp_path, hrefs={"ch2.xhtml": href})
    one_line_error(path, "outside the archive")


def test_a_part_that_unpacks_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus.zip_parts, "MAX_PART_BYTES", 200)
    big = [("ch1.xhtml", "One", "<p>" + "word " * 100 + "</p>")]
    one_line_error(book(tmp_path, chapters=big), "too large")


def test_a_book_without_text_is_one_line(tmp_path: Path) -> None:
    path = book(tmp_path, chapters=[CHAPTERS[1]])
    one_line_error(path, "empty, no text to read")


def test_a_chapter_that_is_not_well_formed_is_read_as_html(tmp_path: Path) -> None:
    path = book(tmp_path)
    broken = epub_bytes(
        CHAPTERS[:1],
        metadata=METADATA,
        extra_parts={"OEBPS/ch1.xhtml": "<html><body><p>Unclosed <b>bold<p>Next</body>"},
    )
    path.write_bytes(broken)
    assert "Unclosed **bold**" in draft_from_file(path).body


@pytest.mark.parametrize(
    ("base", "href", "name"),
    [
        ("OEBPS/content.opf", "text/a.xhtml#x", "OEBPS/text/a.xhtml"),
        ("OEBPS/text/a.xhtml", "../images/b.xhtml", "OEBPS/images/b.xhtml"),
        ("OEBPS/content.opf", "a%20b.xhtml", "OEBPS/a b.xhtml"),
        ("OEBPS/content.opf", "../../x", None),
        ("OEBPS/content.opf", "https://example.org/x", None),
        ("", "/abs", None),
    ],
)
def test_references_resolve_inside_the_archive_only(base: str, href: str, name: str | None) -> None:
    assert resolve(base, href) == name


def test_safe_names() -> None:
    assert safe_name("a/./b/../c") == "a/c"
    assert [safe_name(n) for n in ("../a", "/a", "a\\b", "c:/a", "")] == [None] * 5


def test_without_a_title_in_the_metadata_the_first_heading_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "untitled.epub"
    path.write_bytes(epub_bytes(CHAPTERS, metadata="<dc:language>en</dc:language>"))
    assert draft_from_file(path).title == "One: The Call"


def test_a_book_with_encrypted_chapters_is_one_line_and_encrypted_fonts_are_fine(
    tmp_path: Path,
) -> None:
    def encryption(uri: str) -> str:
        return (
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
            'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
            f'<enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>'
            "</enc:EncryptedData></encryption>"
        )

    path = tmp_path / "drm.epub"
    path.write_bytes(
        epub_bytes(CHAPTERS, extra_parts={"META-INF/encryption.xml": encryption("OEBPS/ch2.xhtml")})
    )
    one_line_error(path, "DRM-protected EPUB")
    path.write_bytes(
        epub_bytes(CHAPTERS, extra_parts={"META-INF/encryption.xml": encryption("OEBPS/f.otf")})
    )
    assert "Loose text at the end." in draft_from_file(path).body
