"""REFI-QDA project (QDPX) export: the articles, highlights, codebook, notes, memos and coders
as one project for QDA software (ATLAS.ti, MAXQDA, NVivo, QualCoder, Quirkos).

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in namespace ``urn:QDA-XML:project:1.0``,
valid against the standard's ``Project.xsd``) and ``sources/<guid>.txt``, each article's display
text in UTF-8: the text reader's offsets count, so a highlight's ``startPosition`` and
``endPosition`` are its own ``start`` and ``end``.

* Positions count Unicode code points (an emoji outside the Basic Multilingual Plane is one),
  over the text as written in the zip. With ``line_ends="crlf"`` every line end is written as
  CR LF, and positions count both characters, as tools that read the text with CR LF do.
* Each article is a ``TextSource`` named by its title; its id, URL, author, site and
  publication date are ``VariableValue``\\s of project ``Variables`` (``reader id``, ``url``…).
* Each highlight is a ``PlainTextSelection`` (named by its quote) with a ``Coding`` per tag
  (``CodeRef`` into the codebook) and, when it has a note, a ``NoteRef`` to a ``Note``. An
  article memo is a ``Note`` the ``TextSource`` refers to. Orphaned highlights (their quote is
  not in the text) are left out: they have no place in it.
* Coders are ``Users``; a highlight's coder is the ``creatingUser`` of its selection and
  codings. The codebook is the one of :mod:`annotations.formats.qdc` (nesting by ``/``,
  colours ``#RRGGBB``, tag memos as descriptions).
* GUIDs are UUIDv5 of reader's ids in one fixed namespace (a code's is the one the ``.qdc``
  export gives it), so exporting again gives the same GUIDs; a highlight imported from a
  project keeps the GUID it had there. With the same ``exported`` time, the same data gives
  the same bytes: zip entries carry a fixed date.
"""

from __future__ import annotations

import io
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from typing import Literal

from annotations.formats.qdc import Code, code_guid, code_tree
from annotations.formats.selection import Selection
from annotations.model import Highlight, Tag
from corpus.article import Article, now_iso

NAMESPACE = "urn:QDA-XML:project:1.0"
# Every GUID of a project export is uuid5(GUID_NAMESPACE, "<kind>:<reader id>").
GUID_NAMESPACE = uuid.UUID("8c1f5a9e-3b27-5d64-a0c8-7e2b9f41d6a3")
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources/"
INTERNAL = "internal://"
# Article metadata as project variables, by variable name: reader's own id first, which an
# import into a workspace that has the article matches it by.
VARIABLES = ("reader id", "url", "author", "site", "published")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: no export time in the bytes
LineEnds = Literal["lf", "crlf"]
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GUID = re.compile(r"\{?[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\}?")


def guid(kind: str, *ids: str) -> str:
    """The stable GUID of one thing reader exports: ``guid("article", "netflix")``."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:" + "\0".join(ids)))


def user_guid(coder: str) -> str:
    """The GUID of a coder, from the name: the same coder is the same user in every export."""
    return guid("user", coder)


def selection_guid(highlight: Highlight) -> str:
    """A highlight's GUID: the one it came with from a project (its id is that GUID), else
    one made from its article's id and its own."""
    if _GUID.fullmatch(highlight.id):
        return highlight.id.strip("{}").lower()
    return guid("highlight", highlight.article_id, highlight.id)


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _time(value: str | None) -> str | None:
    """An ISO date-time as ``xsd:dateTime`` takes it, or ``None`` for one it would not."""
    from annotations.model import parse_time

    if not value:
        return None
    try:
        return parse_time(value).isoformat().replace("+00:00", "Z")
    except ValueError:
        return None


def _crlf_offsets(text: str) -> list[int]:
    """For a text written with CR LF line ends, where each offset of ``text`` lands: one more
    for every line end before it."""
    shift, offsets = 0, []
    for ch in text:
        offsets.append(shift)
        if ch == "\n":
            shift += 1
    offsets.append(shift)
    return [i + s for i, s in enumerate(offsets)]


def _attrs(**values: str | None) -> dict[str, str]:
    return {key.rstrip("_"): value for key, value in values.items() if value}


def _stamped(attrs: dict[str, str], user: str | None, created: str, updated: str) -> None:
    if user:
        attrs["creatingUser"] = user
    if _time(created):
        attrs["creationDateTime"] = _time(created) or ""
    if _time(updated) and updated != created:
        if user:
            attrs["modifyingUser"] = user
        attrs["modifiedDateTime"] = _time(updated) or ""


class _Project:
    """The XML tree being built, and the notes that go at its end."""

    def __init__(self, selection: Selection, exported: str, line_ends: LineEnds) -> None:
        self.selection = selection
        self.line_ends = line_ends
        self.root = ET.Element(
            "Project",
            {
                "xmlns": NAMESPACE,
                "name": "reader export",
                "origin": "reader",
                "creationDateTime": _time(exported) or exported,
            },
        )
        self.notes: list[ET.Element] = []
        self.texts: dict[str, bytes] = {}  # sources/<guid>.txt
        self.coders = sorted(
            {h.coder for hs in selection.highlights.values() for h in hs if h.coder}
        )

    def build(self) -> ET.Element:
        if self.coders:
            users = ET.SubElement(self.root, "Users")
            for coder in self.coders:
                ET.SubElement(users, "User", {"guid": user_guid(coder), "name": _xml(coder)})
        codes = code_tree(self._tags())
        if codes:
            codebook = ET.SubElement(self.root, "CodeBook")
            holder = ET.SubElement(codebook, "Codes")
            for code in codes:
                self._code(holder, code)
        if self.selection.articles:
            variables = ET.SubElement(self.root, "Variables")
            for name in VARIABLES:
                ET.SubElement(
                    variables,
                    "Variable",
                    {"guid": guid("variable", name), "name": name, "typeOfVariable": "Text"},
                )
            sources = ET.SubElement(self.root, "Sources")
            for article in self.selection.articles:
                self._source(sources, article)
        if self.notes:
            ET.SubElement(self.root, "Notes").extend(self.notes)
        return self.root

    def _tags(self) -> list[Tag]:
        """The selection's tags, and any tag a highlight has that the codebook lacks."""
        tags = list(self.selection.tags)
        known = {t.name for t in tags}
        for highlights in self.selection.highlights.values():
            for h in highlights:
                for name in h.tags:
                    if name not in known:
                        known.add(name)
                        tags.append(Tag(name))
        return tags

    def _code(self, parent: ET.Element, code: Code) -> None:
        attrs = {"guid": code.guid, "name": _xml(code.name), "isCodable": "true"}
        if code.color:
            attrs["color"] = code.color
        element = ET.SubElement(parent, "Code", attrs)
        if code.description:
            ET.SubElement(element, "Description").text = _xml(code.description)
        for child in code.children:
            self._code(element, child)

    def _note(self, note_guid: str, name: str, text: str, user: str | None, stamp: str) -> None:
        attrs = {"guid": note_guid, "name": _xml(name)}
        _stamped(attrs, user, stamp, stamp)
        note = ET.Element("Note", attrs)
        ET.SubElement(note, "PlainTextContent").text = _xml(text)
        self.notes.append(note)

    def _source(self, parent: ET.Element, article: Article) -> None:
        source_guid = guid("article", article.id)
        text = article.display.text
        offsets: list[int] | None = None
        written = text
        if self.line_ends == "crlf":
            offsets = _crlf_offsets(text)
            written = text.replace("\n", "\r\n")
        self.texts[f"{SOURCES_FOLDER}{source_guid}.txt"] = written.encode("utf-8", "replace")
        attrs = {
            "guid": source_guid,
            "name": _xml(article.title),
            "plainTextPath": f"{INTERNAL}{source_guid}.txt",
        }
        if _time(article.imported):
            attrs["creationDateTime"] = _time(article.imported) or ""
        element = ET.SubElement(parent, "TextSource", attrs)
        for h in self.selection.highlights.get(article.id, []):
            if h.orphaned:
                continue
            start, end = (offsets[h.start], offsets[h.end]) if offsets else (h.start, h.end)
            self._selection(element, h, start, end)
        memo = self.selection.memos.get(article.id, "")
        if memo.strip():
            memo_guid = guid("memo", article.id)
            self._note(memo_guid, f"Memo: {article.title}", memo, None, article.imported or "")
            ET.SubElement(element, "NoteRef", {"targetGUID": memo_guid})
        values = (article.id, article.url, article.author, article.site, article.published)
        for name, value in zip(VARIABLES, values, strict=True):
            if value:
                holder = ET.SubElement(element, "VariableValue")
                ET.SubElement(holder, "VariableRef", {"targetGUID": guid("variable", name)})
                ET.SubElement(holder, "TextValue").text = _xml(value)

    def _selection(self, parent: ET.Element, h: Highlight, start: int, end: int) -> None:
        user = user_guid(h.coder) if h.coder else None
        own = selection_guid(h)
        attrs = {
            "guid": own,
            "name": _xml(h.quote),
            "startPosition": str(start),
            "endPosition": str(end),
        }
        _stamped(attrs, user, h.created, h.updated)
        element = ET.SubElement(parent, "PlainTextSelection", attrs)
        for name in h.tags:
            coding = {"guid": guid("coding", own, name)}
            _stamped(coding, user, h.created, h.created)
            ET.SubElement(
                ET.SubElement(element, "Coding", coding), "CodeRef", {"targetGUID": code_guid(name)}
            )
        if h.note.strip():
            note_guid = guid("note", own)
            self._note(note_guid, f"Note: {_short(h.quote)}", h.note, user, h.updated)
            ET.SubElement(element, "NoteRef", {"targetGUID": note_guid})


def _short(quote: str) -> str:
    line = " ".join(quote.split())
    return line if len(line) <= 60 else line[:59] + "…"


def project_xml(
    selection: Selection, *, exported: str | None = None, line_ends: LineEnds = "lf"
) -> tuple[bytes, dict[str, bytes]]:
    """``project.qde`` for the selection (UTF-8 XML with a declaration), and the source texts
    it refers to by their names in the zip."""
    project = _Project(selection, exported or now_iso(), line_ends)
    root = project.build()
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n", project.texts


def to_qdpx(
    selection: Selection, *, exported: str | None = None, line_ends: LineEnds = "lf"
) -> bytes:
    """The selection as a REFI-QDA project archive (the bytes of a ``.qdpx`` zip)."""
    xml, texts = project_xml(selection, exported=exported, line_ends=line_ends)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _entries(xml, texts):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _entries(xml: bytes, texts: dict[str, bytes]) -> Iterable[tuple[str, bytes]]:
    yield PROJECT_FILE, xml
    yield from sorted(texts.items())
