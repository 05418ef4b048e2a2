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
                b"BT /F1 %g Tf %g %g Td %s Tj ET"
                % (line.size, line.x, line.y, _pdf_string(line.text))
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
    assert (
        add(
            b"<< /Type /Pages /Kids [%s] /Count %d >>"
            % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
        )
        == tree
    )
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


# -- Word .docx ------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx_run(text: str, *, bold: bool = False, italic: bool = False) -> str:
    """A run of text (``<w:r>``), bold or italic."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>'


def docx_footnote_ref(number: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{number}"/></w:r>'


def docx_paragraph(*runs: str, style: str | None = None, list_id: int | None = None) -> str:
    """A paragraph of runs (plain strings become runs), with a paragraph style (``Heading1``)
    or in a list (``list_id`` 1 is bulleted, 2 numbered)."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if list_id is not None:
        props += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{list_id}"/></w:numPr>'
    body = "".join(r if r.startswith("<") else docx_run(r) for r in runs)
    return f"<w:p><w:pPr>{props}</w:pPr>{body}</w:p>"


def docx_table(rows: Sequence[Sequence[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{docx_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


def docx_bytes(
    body: Sequence[str],
    *,
    footnotes: Sequence[str] = (),
    title: str | None = None,
    creator: str | None = None,
    created: str | None = None,
) -> bytes:
    """A .docx of the given body parts (paragraphs, tables), footnotes numbered from 1, and
    core properties when any is given."""
    overrides = [
        ("/word/document.xml", "wordprocessingml.document.main+xml"),
        ("/word/styles.xml", "wordprocessingml.styles+xml"),
        ("/word/numbering.xml", "wordprocessingml.numbering+xml"),
        ("/word/footnotes.xml", "wordprocessingml.footnotes+xml"),
    ]
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{name}" '
            f'ContentType="application/vnd.openxmlformats-officedocument.{kind}"/>'
            for name, kind in overrides
        )
        + '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
    )
    rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    )
    document_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/footnotes" Target="footnotes.xml"/>'
        "</Relationships>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{_W}">'
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="Heading{n}"><w:name w:val="heading {n}"/>'
            "</w:style>"
            for n in (1, 2, 3)
        )
        + "</w:styles>"
    )
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{_W}">'
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/>'
        "</w:lvl></w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
        "</w:lvl></w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
    )
    notes = "".join(
        f'<w:footnote w:id="{n}">{docx_paragraph(text)}</w:footnote>'
        for n, text in enumerate(footnotes, start=1)
    )
    footnotes_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{_W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p/></w:footnote>'
        f"{notes}</w:footnotes>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}" xmlns:r="{_R}">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": rels,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": document_rels,
        "word/styles.xml": styles,
        "word/numbering.xml": numbering,
        "word/footnotes.xml": footnotes_xml,
    }
    properties = {"dc:title": title, "dc:creator": creator, "dcterms:created": created}
    if any(properties.values()):
        parts["docProps/core.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            + "".join(
                f"<{key}>{_xml_text(value)}</{key}>"
                if key != "dcterms:created"
                else f'<{key} xsi:type="dcterms:W3CDTF">{_xml_text(value)}</{key}>'
                for key, value in properties.items()
                if value
            )
            + "</cp:coreProperties>"
        )
    return zip_bytes(parts)


# -- EPUB ------------------------------------------------------------------------------------


def xhtml(body: str, title: str = "Chapter") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>{title}</title></head><body>{body}</body></html>"
    )


def epub_bytes(
    chapters: Sequence[tuple[str, str, str]],
    *,
    metadata: str = "<dc:title>A Book</dc:title>",
    nav: bool = True,
    extra_parts: dict[str, str | bytes] | None = None,
    hrefs: dict[str, str] | None = None,
) -> bytes:
    """An EPUB 3 of ``chapters`` (file name, title in the table of contents, body XHTML) in
    spine order, under ``OEBPS/``; ``hrefs`` overrides a chapter's href in the manifest (to
    point outside the archive)."""
    hrefs = hrefs or {}
    manifest = "".join(
        f'<item id="c{n}" href="{hrefs.get(name, name)}" media-type="application/xhtml+xml"/>'
        for n, (name, _, _) in enumerate(chapters)
    )
    spine = "".join(f'<itemref idref="c{n}"/>' for n in range(len(chapters)))
    if nav:
        manifest += (
            '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
        )
        spine = '<itemref idref="nav"/>' + spine
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" '
        'version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:identifier id="id">urn:uuid:1</dc:identifier>{metadata}</metadata>'
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    toc = "".join(f'<li><a href="{name}">{label}</a></li>' for name, label, _ in chapters)
    parts: dict[str, str | bytes] = {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": (
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>"
        ),
        "OEBPS/content.opf": opf,
        "OEBPS/nav.xhtml": xhtml(
            '<nav xmlns:epub="http://www.idpf.org/2007/ops" epub:type="toc">'
            f"<h1>Contents</h1><ol>{toc}</ol></nav>"
        ),
    }
    for name, _, body in chapters:
        parts[f"OEBPS/{name}"] = xhtml(body)
    parts.update(extra_parts or {})
    return zip_bytes(parts, stored_first="mimetype")
