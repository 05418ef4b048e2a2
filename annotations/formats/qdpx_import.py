"""Reading a REFI-QDA project (``.qdpx``) back: its text sources as articles, its coded
selections as highlights (see :mod:`annotations.formats.qdpx` for what reader writes).

Everything is read and checked before :func:`~annotations.formats.importing.merge` writes
anything: a file that is not a zip, a zip without ``project.qde``, XML that does not parse, a
selection outside its text, a code or note a selection names that is not there, or a
``plainTextPath`` outside the archive (``../``, an absolute or external path) is one error
naming the file and the problem. What is read from the zip is capped (:data:`MAX_ENTRY`,
:data:`MAX_TOTAL`), whatever sizes its directory claims, and a DOCTYPE (entity expansion) is
refused.

* A text's line ends (CR LF, or CR alone) become LF, and positions are moved with them, so a
  project whose tool counts CR LF as two characters lands on the same words. Positions count
  code points.
* A project reader exported (it declares the ``reader id`` variable) keeps each text as it
  is: an article made from it gets a body that shows exactly that text (:func:`exact_body`).
  In another tool's text, runs of white space inside a paragraph become one space (blank
  lines separate paragraphs), as in any article's display text; positions move with them.
* An article is matched by the ``reader id`` variable, then by its text; else it is made,
  titled by the source's name, with the ``url``, ``author``, ``site`` and ``published``
  variables as its metadata.
* A selection's codes are its tags (a nested code is ``parent/child``), the notes it (or one of
  its codings) refers to are its note, its ``creatingUser`` (else its first coding's) is its
  coder. Notes a source refers to are the article's memo.
"""

from __future__ import annotations

import bisect
import itertools
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from annotations.anchoring import quote_selector
from annotations.errors import StoreError
from annotations.formats.incoming import AnnotationImportError, Incoming, IncomingArticle
from annotations.formats.qdc import rgb
from annotations.formats.qdpx import (
    INTERNAL,
    NAMESPACE,
    PROJECT_FILE,
    SOURCES_FOLDER,
    VARIABLES,
)
from annotations.model import Highlight, Tag, clean_coder, parse_time
from corpus.markdown_text import CONTROL_CHARS, render
from corpus.plaintext import escape_markdown, normalise_paragraph
from corpus.workspace import InvalidId, check_id

MAX_ENTRY = 64 * 1024 * 1024  # bytes of one file read from the zip
MAX_TOTAL = 512 * 1024 * 1024  # bytes of all of them
MAX_ENTRIES = 100_000
_NS = {"q": NAMESPACE}
_READER_ID = VARIABLES[0]
_WORD = re.compile(r"\S+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` between blank lines."""
    spans, start = [], 0
    for blank in _BLANK_LINE.finditer(text):
        spans.append((start, blank.start()))
        start = blank.end()
    spans.append((start, len(text)))
    return spans


class ProjectError(AnnotationImportError):
    """A project file that cannot be imported: ``str()`` names the file and the problem."""


@dataclass
class ProjectSource:
    """One text source as an article with highlights (``Highlight.article_id`` still "")."""

    guid: str
    title: str
    text: str
    body: str | None = None  # Markdown showing ``text`` exactly, when one could be made
    reader_id: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    memo: str = ""
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class Project:
    sources: list[ProjectSource]
    tags: list[Tag]


def _guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


class _Zip:
    """The archive's files, read with caps on size."""

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.read_so_far = 0
        try:
            self.archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile:
            raise ProjectError(f"{name}: not a zip archive (a .qdpx project is one)") from None
        except OSError as exc:
            raise ProjectError(f"{name}: {exc.strerror or exc}") from None
        infos = self.archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ProjectError(f"{name}: holds {len(infos)} files, more than {MAX_ENTRIES}")
        self.files = {info.filename: info for info in infos if not info.is_dir()}

    def read(self, entry: str) -> bytes:
        info = self.files.get(entry)
        if info is None:
            raise ProjectError(f"{self.name}: has no {entry}")
        try:
            with self.archive.open(info) as handle:
                data = handle.read(MAX_ENTRY + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
            raise ProjectError(f"{self.name}: {entry} cannot be read ({exc})") from None
        if len(data) > MAX_ENTRY:
            raise ProjectError(f"{self.name}: {entry} is larger than {_size(MAX_ENTRY)}")
        self.read_so_far += len(data)
        if self.read_so_far > MAX_TOTAL:
            raise ProjectError(f"{self.name}: holds more than {_size(MAX_TOTAL)} of text")
        return data


def _size(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n:,} bytes"


def _project_entry(files: dict[str, zipfile.ZipInfo], name: str) -> str:
    if PROJECT_FILE in files:
        return PROJECT_FILE
    top = [f for f in files if "/" not in f and f.lower().endswith(".qde")]
    if len(top) == 1:
        return top[0]
    raise ProjectError(f"{name}: has no {PROJECT_FILE} (not a REFI-QDA project)")


def _decode(data: bytes, name: str, entry: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{name}: {entry} is not UTF-8 (byte {exc.start})") from None


def parse_xml(data: bytes, where: str, root_tag: str, what: str) -> ET.Element:
    """A REFI-QDA file's XML, whose root must be ``root_tag`` (``{namespace}Project``);
    ``where`` names it in errors, ``what`` says what it should be."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ProjectError(f"{where} has a DOCTYPE, which {what} never needs")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ProjectError(f"{where} is not XML ({exc})") from None
    if root.tag != root_tag:
        raise ProjectError(f"{where} is not {what} (its root is {root.tag!r})")
    return root


def _internal_entry(path: str, name: str, where: str) -> str:
    """The zip entry an ``internal://`` path names; anything else (another scheme, an
    absolute path, a ``..``) would read outside the archive, and is refused."""
    if not path.startswith(INTERNAL):
        raise ProjectError(f"{name}: {where}: plainTextPath {path!r} is outside the archive")
    rest = path[len(INTERNAL) :].replace("\\", "/")
    parts = rest.split("/")
    if not rest or rest.startswith("/") or ":" in rest or ".." in parts:
        raise ProjectError(f"{name}: {where}: plainTextPath {path!r} is outside the archive")
    return SOURCES_FOLDER + posixpath.normpath(rest)


class _Text:
    """A source's text as an article shows it, and where each of its positions went."""

    def __init__(self, raw: str, *, exact: bool = False) -> None:
        # CR LF and lone CR become LF: the CR of each CR LF is dropped.
        self._dropped = [m.start() for m in re.finditer("\r\n", raw)]
        lf = raw.replace("\r\n", "\n").replace("\r", "\n")
        # With ``exact`` (a text reader exported, which a body can show as it is: see
        # exact_body) only the line ends change.
        self.body = exact_body(lf) if exact else None
        if self.body is not None:
            self.text = lf
            self._before = list(range(len(lf) + 1))
            return
        # How many characters of the shown text each character of the LF text makes: a word's
        # one each; a run of white space between words one space (counted on its first
        # character), between paragraphs a blank line ("\n\n"), at either end none.
        made = [0] * len(lf)
        out: list[str] = []
        last_end: int | None = None  # where the last word written ended
        for start, end in _paragraphs(lf):
            words = list(_WORD.finditer(lf, start, end))
            for k, word in enumerate(words):
                if last_end is not None:
                    gap = "\n\n" if k == 0 else " "
                    out.append(gap)
                    made[last_end] = len(gap)
                out.append(word.group())
                for i in range(word.start(), word.end()):
                    made[i] = 1
                last_end = word.end()
        self.text = CONTROL_CHARS.sub("\ufffd", "".join(out))
        self._before = list(itertools.accumulate(made, initial=0))

    def lf(self, position: int) -> int:
        """A position of the raw text as a position of its LF text."""
        return position - bisect.bisect_left(self._dropped, position)

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The raw span ``[start, end)`` on the shown text; ``None`` when nothing of it is
        shown (white space at the end of a paragraph)."""
        first, last = self._before[self.lf(start)], self._before[self.lf(end)]
        return (first, last) if first < last else None


def exact_body(text: str) -> str | None:
    """A Markdown body whose display text is ``text`` exactly, or ``None``: each paragraph
    escaped, and one whose spaces or line breaks a paragraph would not keep (a code block, as
    reader showed it) fenced as code."""
    parts = []
    for paragraph in text.split("\n\n"):
        if paragraph and normalise_paragraph(paragraph) == paragraph:
            parts.append(escape_markdown(paragraph))
        else:
            longest = max((len(run) for run in re.findall("`+", paragraph)), default=0)
            fence = "`" * max(3, longest + 1)
            parts.append(f"{fence}\n{paragraph}\n{fence}")
    body = "\n\n".join(parts) + "\n"
    return body if render(body).text == text else None


def _attr_time(element: ET.Element, key: str) -> str:
    value = element.get(key) or ""
    try:
        return parse_time(value).isoformat() if value else ""
    except ValueError:
        return ""  # another tool's odd date: the import stamps its own


def code_tags(
    codes: ET.Element | None, namespace: str, name: str
) -> tuple[dict[str, str], list[Tag]]:
    """The codes under ``codes`` (a ``Codes`` element of a project or a codebook): each code's
    GUID with its tag name (nested codes as ``parent/child``; a ``/`` in a code's own name
    becomes ``∕``, so as not to nest), and the tags of the codebook (``color`` "" when the
    code has none). A code with children and neither colour nor description is a parent only,
    implied by its children's names (reader's exports write the parents they imply so)."""
    names: dict[str, str] = {}
    tags: list[Tag] = []
    space = {"q": namespace}

    def walk(element: ET.Element, path: tuple[str, ...]) -> None:
        for code in element.findall("q:Code", space):
            code_name = " ".join((code.get("name") or "").split())
            code_guid = _guid(code.get("guid"))
            if not code_name or not code_guid:
                raise ProjectError(f"{name}: a code without a name or guid")
            full = (*path, code_name.replace("/", "∕"))
            names[code_guid] = "/".join(full)
            color = rgb(code.get("color") or "")
            description = (code.findtext("q:Description", "", space) or "").strip()
            if color or description or code.find("q:Code", space) is None:
                tags.append(Tag("/".join(full), (color or "").lower(), description))
            walk(code, full)

    if codes is not None:
        walk(codes, ())
    return names, tags


def _note_text(note: ET.Element, archive: _Zip, name: str) -> str:
    content = note.find("q:PlainTextContent", _NS)
    if content is not None:
        return content.text or ""
    path = note.get("plainTextPath")
    if path:
        entry = _internal_entry(path, name, f"note {note.get('guid')}")
        return _decode(archive.read(entry), name, entry)
    return ""


def _joined(texts: list[str]) -> str:
    return "\n\n".join(t.strip() for t in texts if t.strip())


def read_project(path: Path) -> Project:
    """Parse a ``.qdpx`` archive; raises :class:`ProjectError` naming the file and problem."""
    name = str(path)
    archive = _Zip(path, name)
    with archive.archive:
        entry = _project_entry(archive.files, name)
        root = parse_xml(
            archive.read(entry),
            f"{name}: {entry}",
            f"{{{NAMESPACE}}}Project",
            "a REFI-QDA project",
        )
        users = {
            _guid(u.get("guid")): u.get("name") or u.get("id") or ""
            for u in root.findall("q:Users/q:User", _NS)
        }
        codes, tags = code_tags(root.find("q:CodeBook/q:Codes", _NS), NAMESPACE, name)
        variables = {
            _guid(v.get("guid")): v.get("name") or ""
            for v in root.findall("q:Variables/q:Variable", _NS)
        }
        notes = {
            _guid(n.get("guid")): _note_text(n, archive, name)
            for n in root.findall("q:Notes/q:Note", _NS)
        }
        sources = [
            _source(element, archive, name, users, codes, variables, notes)
            for element in root.findall("q:Sources/q:TextSource", _NS)
        ]
    return Project(sources, tags)


def _refs(element: ET.Element, notes: dict[str, str], name: str, where: str) -> list[str]:
    texts = []
    for ref in element.findall("q:NoteRef", _NS):
        target = _guid(ref.get("targetGUID"))
        if target not in notes:
            raise ProjectError(f"{name}: {where}: refers to note {target}, which is not there")
        texts.append(notes[target])
    return texts


def _coder(user: str | None, users: dict[str, str], name: str, where: str) -> str:
    if not user:
        return ""
    try:
        return clean_coder(users.get(_guid(user), ""))
    except StoreError as exc:
        raise ProjectError(f"{name}: {where}: {exc}") from None


def _source(
    element: ET.Element,
    archive: _Zip,
    name: str,
    users: dict[str, str],
    codes: dict[str, str],
    variables: dict[str, str],
    notes: dict[str, str],
) -> ProjectSource:
    source_guid = _guid(element.get("guid"))
    where = f"source {element.get('name') or source_guid}"
    content = element.find("q:PlainTextContent", _NS)
    path = element.get("plainTextPath")
    if content is not None:
        raw = content.text or ""
    elif path:
        entry = _internal_entry(path, name, where)
        raw = _decode(archive.read(entry), name, entry)
    else:
        raise ProjectError(f"{name}: {where}: has neither PlainTextContent nor plainTextPath")
    text = _Text(raw, exact=_READER_ID in variables.values())
    values: dict[str, str] = {}
    for value in element.findall("q:VariableValue", _NS):
        ref = value.find("q:VariableRef", _NS)
        variable = variables.get(_guid(ref.get("targetGUID") if ref is not None else ""))
        shown = next((v.text for v in value if v.tag != f"{{{NAMESPACE}}}VariableRef"), None)
        if variable and shown and shown.strip():
            values[variable] = shown.strip()
    source = ProjectSource(
        guid=source_guid,
        title=" ".join((element.get("name") or "").split()) or "Untitled",
        text=text.text,
        body=text.body,
        reader_id=values.get(_READER_ID),
        variables=values,
        memo=_joined(_refs(element, notes, name, where)),
    )
    for selection in element.findall("q:PlainTextSelection", _NS):
        highlight = _highlight(selection, text, raw, name, where, users, codes, notes)
        if highlight is not None:
            source.highlights.append(highlight)
    return source


def _highlight(
    selection: ET.Element,
    text: _Text,
    raw: str,
    name: str,
    where: str,
    users: dict[str, str],
    codes: dict[str, str],
    notes: dict[str, str],
) -> Highlight | None:
    own = _guid(selection.get("guid"))
    at = f"{where}: selection {own}"
    try:
        start = int(selection.get("startPosition") or "")
        end = int(selection.get("endPosition") or "")
    except ValueError:
        raise ProjectError(f"{name}: {at}: startPosition and endPosition must be numbers") from None
    if not 0 <= start < end <= len(raw):
        raise ProjectError(
            f"{name}: {at}: positions {start}-{end} are outside its text ({len(raw)} characters)"
        )
    span = text.span(start, end)
    if span is None:
        return None  # only white space: nothing to show as a highlight
    tags: list[str] = []
    note_texts = _refs(selection, notes, name, at)
    coding_user = None
    for coding in selection.findall("q:Coding", _NS):
        ref = coding.find("q:CodeRef", _NS)
        target = _guid(ref.get("targetGUID") if ref is not None else "")
        if target not in codes:
            raise ProjectError(f"{name}: {at}: codes with {target or '?'}, which is no code")
        if codes[target] not in tags:
            tags.append(codes[target])
        note_texts += _refs(coding, notes, name, at)
        coding_user = coding_user or coding.get("creatingUser")
    selector = quote_selector(text.text, *span)
    created = _attr_time(selection, "creationDateTime")
    return Highlight(
        id=own or f"{span[0]}-{span[1]}",
        article_id="",
        start=span[0],
        end=span[1],
        quote=selector.exact,
        prefix=selector.prefix,
        suffix=selector.suffix,
        tags=tags,
        note=_joined(note_texts),
        created=created,
        updated=_attr_time(selection, "modifiedDateTime") or created,
        coder=_coder(selection.get("creatingUser") or coding_user, users, name, at),
    )


def parse_qdpx(path: Path) -> Incoming:
    """A ``.qdpx`` project as annotations to merge: each text source an article (made from its
    text when the workspace has no article with its ``reader id`` or text)."""
    project = read_project(path)
    articles = []
    for source in project.sources:
        reader_id = source.reader_id
        if reader_id is not None:
            try:
                reader_id = check_id(reader_id, "article id")
            except InvalidId:
                reader_id = None  # not one of ours: the text finds the article
        values = source.variables
        articles.append(
            IncomingArticle(
                id=reader_id,
                url=values.get("url"),
                title=source.title,
                text=source.text,
                memo=source.memo,
                highlights=source.highlights,
                origin=f"qdpx:{source.guid}",
                author=values.get("author"),
                site=values.get("site"),
                published=values.get("published"),
                keep_id=reader_id is not None,
                body=source.body,
            )
        )
    return Incoming("qdpx", articles, project.tags)
