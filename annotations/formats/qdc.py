"""REFI-QDA codebook (QDC) export: the tags as codes, for QDA software (ATLAS.ti, MAXQDA,
NVivo, QualCoder and others that read the REFI-QDA standard).

* Root ``<CodeBook origin="reader">`` in namespace ``urn:QDA-XML:codebook:1.0``, then
  ``<Codes>`` with a ``<Code>`` per tag: ``guid``, ``name``, ``isCodable="true"``, ``color``
  (``#RRGGBB``) and a ``<Description>`` when the tag has one.
* A ``/`` in a tag name nests codes: ``AI/likeness`` is a code ``likeness`` inside ``AI``. A
  parent that is not itself a tag is made (codable, no colour) so the tree is whole.
* GUIDs are UUIDv5 of the tag name (a parent's is that of its path, ``AI``) in a fixed
  namespace, so the same tag has the same GUID in every export and every workspace.
* Characters XML 1.0 cannot hold become U+FFFD.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotations.formats.selection import Selection
from annotations.model import Tag

NAMESPACE = "urn:QDA-XML:codebook:1.0"
GUID_NAMESPACE = uuid.UUID("3d7e0b52-8f43-5c1a-9e6b-2a4f1c9d8e70")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_COLOR = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def code_guid(name: str) -> str:
    """The stable GUID of the code for tag ``name``."""
    return str(uuid.uuid5(GUID_NAMESPACE, name))


def rgb(color: str) -> str | None:
    """A colour as ``#RRGGBB``, or ``None`` if it is not a hex colour."""
    match = _COLOR.fullmatch(color.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits.upper()


@dataclass
class Code:
    """One node of the code tree."""

    name: str
    guid: str
    color: str | None = None
    description: str = ""
    is_tag: bool = False
    children: list[Code] = field(default_factory=list)


def code_tree(tags: Iterable[Tag]) -> list[Code]:
    """The top-level codes for ``tags``, children nested by ``/`` in the names."""
    roots: list[Code] = []
    nodes: dict[tuple[str, ...], Code] = {}
    for tag in tags:
        path = tuple(part.strip() for part in tag.name.split("/") if part.strip())
        if not path or nodes.get(path, Code("", "")).is_tag:
            path = (tag.name,)  # "/" alone, or the same path as another tag: kept whole
        siblings = roots
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key not in nodes:
                nodes[key] = Code(key[-1], code_guid("/".join(key)))
                siblings.append(nodes[key])
            siblings = nodes[key].children
        node = nodes[path]
        node.guid = code_guid(tag.name)
        node.color = rgb(tag.color)
        node.description = tag.description
        node.is_tag = True
    return roots


def code_count(tags: Iterable[Tag]) -> int:
    """How many codes the codebook of ``tags`` holds: one per tag, and one per parent made."""

    def count(codes: list[Code]) -> int:
        return sum(1 + count(code.children) for code in codes)

    return count(code_tree(tags))


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _element(parent: ET.Element, code: Code) -> None:
    attributes = {"guid": code.guid, "name": _xml_text(code.name), "isCodable": "true"}
    if code.color:
        attributes["color"] = code.color
    element = ET.SubElement(parent, "Code", attributes)
    if code.description:
        ET.SubElement(element, "Description").text = _xml_text(code.description)
    for child in code.children:
        _element(element, child)


def to_qdc(selection: Selection) -> bytes:
    """The selection's tags as a REFI-QDA codebook, UTF-8 XML with a declaration."""
    # The namespace is declared as the default on the root and the names written unprefixed:
    # ElementTree's own default_namespace refuses unprefixed attributes.
    root = ET.Element("CodeBook", {"xmlns": NAMESPACE, "origin": "reader"})
    codes = ET.SubElement(root, "Codes")
    for code in code_tree(selection.tags):
        _element(codes, code)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data + b"\n"
