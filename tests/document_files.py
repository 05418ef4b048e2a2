"""PDF, EPUB and Word files built at test time, so no test depends on a binary fixture.

Each builder writes the few parts its format needs by hand: a PDF of Helvetica text lines
placed with ``Td`` (one content stream per page), an EPUB's container, OPF, navigation and
chapters, a .docx's content types, relationships, document, footnotes and core properties.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

# -- PDF -------------------------------------------------------------------------------------


@dataclass
class PdfLine:
    """One line of text on a page: its left edge and baseline in points (origin bottom left)."""

    text: str
    x: float = 72
    y: float = 720
    size: float = 11


@dataclass
class PdfPage:
    lines: list[PdfLine] = field(default_factory=list)


def _pdf_string(text: str) -> bytes:
    data = text.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf_bytes(pages: Sequence[PdfPage], info: dict[str, str] | None = None) -> bytes:
    """A PDF whose pages show ``pages``' lines in Helvetica (WinAnsi), with an optional
    document information dictionary (``Title``, ``Author``, ``CreationDate``…)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    tree = len(objects) + 1 + 2 * len(pages)
    kids = []
    for page in pages:
        ops = []
        for line in page.lines:
            ops.append(
                b"BT /F1 %g Tf %g %g Td %s Tj ET" % (line.size, line.x, line.y, _pdf_string(line.text))
            )
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (tree, font, content)
            )
        )
    assert add(
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    ) == tree
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    info_ref = b""
    if info:
        entries = b" ".join(b"/%s %s" % (k.encode(), _pdf_string(v)) for k, v in info.items())
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info_ref, xref)
    )
    return out.getvalue()


def page_of(
    paragraphs: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    number: str | None = None,
    top: float = 700,
    leading: float = 14,
) -> PdfPage:
    """A page of paragraphs (each a list of its lines), a blank line's space between them,
    with a running header above and a page number below."""
    page = PdfPage()
    if header is not None:
        page.lines.append(PdfLine(header, x=72, y=750, size=9))
    y = top
    for paragraph in paragraphs:
        for line in paragraph:
            page.lines.append(PdfLine(line, y=y))
            y -= leading
        y -= leading
    if number is not None:
        page.lines.append(PdfLine(number, x=300, y=40, size=9))
    return page


# -- zips (EPUB, docx) -----------------------------------------------------------------------


def zip_bytes(parts: dict[str, str | bytes], *, stored_first: str | None = None) -> bytes:
    """A zip of ``parts`` (name -> text or bytes); ``stored_first`` is written first and
    uncompressed, as EPUB's ``mimetype`` must be."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(stored_first, parts[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != stored_first:
                archive.writestr(name, data)
    return out.getvalue()
