"""Bringing a codebook into the workspace's tags (``reader tags import``): a REFI-QDA codebook
(``.qdc``, the standard's ``Codebook.xsd``; reader's own qdc export among them) or a CSV file
with the header ``name,description,color`` (``color`` optional, ``#rrggbb``).

The file is read and checked whole first: a name that cannot be a tag, a colour that is not
one, a CSV without the header, XML that does not parse is one error naming the file (and the
line), and nothing changes. Then each tag is merged, through the codebook operations
(:meth:`AnnotationStore.create_tag`, :meth:`AnnotationStore.edit_tag`):

* a tag the codebook lacks is added, with the file's colour (else the next palette colour)
  and description;
* a tag it has keeps its colour (a different one in the file is reported), and takes the
  file's description when it has none; a different description is joined below its own,
  after a blank line, and reported (one already there, whole or joined, adds nothing: an
  import done twice changes nothing the second time).

Names are matched as everywhere (:func:`~annotations.model.known_tag_names`: ``ai/LIKENESS``
is ``AI/likeness``). With ``dry_run`` the same plan is made and nothing is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from annotations.formats.importing import joined_memo
from annotations.formats.qdc import NAMESPACE as CODEBOOK_NAMESPACE
from annotations.formats.qdpx_import import ProjectError, code_tags, parse_xml
from annotations.model import Tag, clean_text, known_tag_name, tag_color
from annotations.storage import StoreError
from annotations.store import AnnotationStore

MAX_CODEBOOK = 16 * 1024 * 1024  # bytes: a codebook is text a person wrote


class CodebookFileError(StoreError):
    """A codebook file that cannot be imported; ``str()`` names the file and the problem."""


@dataclass
class CodebookImport:
    """What an import did (or, dry, would do), by tag name."""

    added: list[Tag] = field(default_factory=list)
    described: list[str] = field(default_factory=list)  # had no description, took the file's
    joined: list[str] = field(default_factory=list)  # the file's below a different one
    colors_kept: list[tuple[str, str, str]] = field(default_factory=list)  # name, here, file's
    unchanged: list[str] = field(default_factory=list)


def read_codebook(path: Path) -> list[Tag]:
    """The tags of a ``.qdc`` codebook or a CSV codebook (``color`` "" where none is given),
    in the file's order."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CODEBOOK + 1)
    except OSError as exc:
        raise CodebookFileError(f"{name}: {exc.strerror or exc}") from None
    if len(data) > MAX_CODEBOOK:
        raise CodebookFileError(f"{name}: larger than {MAX_CODEBOOK >> 20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookFileError(f"{name}: not UTF-8 (byte {exc.start})") from None
    if text.lstrip().startswith("<"):
        try:
            root = parse_xml(data, name, f"{{{CODEBOOK_NAMESPACE}}}CodeBook", "a REFI-QDA codebook")
            codes = root.find("q:Codes", {"q": CODEBOOK_NAMESPACE})
            return code_tags(codes, CODEBOOK_NAMESPACE, name)[1]
        except ProjectError as exc:
            raise CodebookFileError(str(exc)) from None
    return _csv_tags(text, name)


def _csv_tags(text: str, name: str) -> list[Tag]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip().lower() for cell in next(rows, [])]
    if header not in (["name", "description"], ["name", "description", "color"]):
        raise CodebookFileError(
            f"{name}: not a codebook: a CSV needs the header name,description,color "
            "(color optional), or a .qdc codebook"
        )
    tags = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise CodebookFileError(
                f"{name}:{line}: {len(row)} fields, the header has {len(header)}"
            )
        row += [""] * (len(header) - len(row))
        color = row[2].strip() if len(header) == 3 else ""
        if color:
            try:
                color = tag_color(color)
            except StoreError as exc:
                raise CodebookFileError(f"{name}:{line}: {exc}") from None
        tags.append(Tag(row[0], color.lower(), clean_text(row[1]).strip()))
    return tags


def import_codebook(
    store: AnnotationStore, tags: list[Tag], name: str, *, dry_run: bool = False
) -> CodebookImport:
    """Merge ``tags`` into the codebook (see the module docstring); ``name`` names their file
    in errors. Every name is checked before anything is written."""
    codebook = {t.name: t for t in store.tags()}
    known = set(codebook) | set(store.tag_counts())
    planned: dict[str, Tag] = {}  # by the name each file tag means here
    for tag in tags:
        try:
            tag_name = known_tag_name(tag.name, [*known, *planned])
        except StoreError as exc:
            raise CodebookFileError(f"{name}: {exc}") from None
        earlier = planned.get(tag_name)
        if earlier is None:
            planned[tag_name] = Tag(tag_name, tag.color, tag.description)
        else:  # the same tag twice in the file: one, with both descriptions
            earlier.color = earlier.color or tag.color
            joined = joined_memo(earlier.description, tag.description)
            earlier.description = earlier.description if joined is None else joined
    result = CodebookImport()
    for tag_name, tag in planned.items():
        here = codebook.get(tag_name)
        if here is None:
            result.added.append(tag)
            if not dry_run:
                store.create_tag(tag_name, color=tag.color or None, description=tag.description)
            continue
        changed = False
        if tag.color and tag.color.lower() != here.color.lower():
            result.colors_kept.append((tag_name, here.color, tag.color))
        description = joined_memo(here.description, tag.description)
        if description is not None:
            (result.joined if here.description.strip() else result.described).append(tag_name)
            changed = True
            if not dry_run:
                store.edit_tag(tag_name, description=description)
        if not changed:
            result.unchanged.append(tag_name)
    return result
