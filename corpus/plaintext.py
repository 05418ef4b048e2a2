"""Plain text to Markdown: paragraphs, page furniture, and escaping so text stays text.

Scraped pages carry furniture ("Leave a Comment", "Share this", photo credits) that a reader does
not want. Lines are dropped only when they stand alone and match a known pattern in full, so a
sentence that merely mentions sharing or photos is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.markdown_text import CONTROL_CHARS

_FURNITURE = re.compile(
    r"""^(?:
        leave\ a\ (?:comment|reply)
      | \d+\ comments?
      | (?:no\ )?comments?
      | scroll\ to\ (?:top|bottom)
      | back\ to\ top
      | skip\ to\ (?:main\ )?content
      | share\ (?:this|this\ (?:article|story|post|page))(?:\ on\ \w+)?:?
      | share(?:\ on)?\ (?:facebook|twitter|x|linkedin|whatsapp|reddit|email)
      | (?:click\ to\ )?(?:share|email|print)(?:\ on\ \w+)?\ \(opens\ in\ new\ window\)
      | tweet|pin\ it|email|print|share
      | advertisement|sponsored\ content
      | (?:subscribe|sign\ up)(?:\ now|\ to\ our\ newsletter)?
      | related(?:\ (?:articles|posts|stories))?:?
      | read\ more(?:\ \W)?
      | (?:photo|image|photograph|picture)(?:\ credit)?:\ .{1,100}
      | (?:photo|image|photograph|picture)\ by\ (?:\S+\ ){0,5}\S+
      | photo(?:graph)?\ by\ .{1,80}\ on\ (?:unsplash|pexels|pixabay)
      | \(?(?:photo|image)\ (?:by|courtesy\ of|credit:?)\ (?:\S+\ ){0,5}\S+\)
      | credit:\ .{1,80}
      | (?:getty\ images|shutterstock|ap\ photo|reuters)(?:/.{1,40})?
      | your\ email\ address\ will\ not\ be\ published.{0,80}
      | required\ fields\ are\ marked.{0,20}
      | (?:comment|name|email|website)\ ?\*
      | (?:post|submit)\ (?:a\ )?comment
      | comments?\ \(\d+\)
      | click\ here\ to\ subscribe.{0,80}
      | (?:subscribe|sign\ up)\ (?:to|for)\ (?:our|the)\ newsletter.{0,80}
      | posted\ in\ .{1,80}
      | (?:tags|tagged|filed\ under|categories|category):?\ .{1,100}
      | cookie\ policy:.{0,200}
      | we\ use\ cookies.{0,200}
      | home\ ?(?:>|›|»)\ ?.{1,80}
      | print\ this\ (?:page|article|story)
      | (?:related|you\ may\ also\ like|read\ more|read\ next|see\ also):\ .{1,100}
    )\.?$""",
    re.IGNORECASE | re.VERBOSE,
)

# A line that starts a block of furniture: the lines under it (link titles) go with it.
_FURNITURE_SECTION = re.compile(
    r"^(?:related(?: posts| articles| stories)?|you may also like|more stories"
    r"|most (?:read|popular)|trending(?: now)?|recommended(?: for you)?)\s*:?$",
    re.IGNORECASE,
)

_ESCAPE_ANYWHERE = re.compile(r"([\\`*_\[\]<>#|~&!])")
_LIST_START = re.compile(r"^(\d{1,9})([.)])")
_SPACES = re.compile(r"\s+")


def is_furniture(line: str) -> bool:
    """True when a whole line is page furniture rather than article text."""
    stripped = line.strip()
    return bool(stripped) and len(stripped) <= 140 and bool(_FURNITURE.match(stripped))


def normalise_paragraph(text: str) -> str:
    """Collapse runs of white space to single spaces and trim: how a paragraph is displayed.

    Control characters become U+FFFD, as the display text shows them.
    """
    return CONTROL_CHARS.sub("\ufffd", _SPACES.sub(" ", text).strip())


def escape_markdown(paragraph: str) -> str:
    """Escape a one-line paragraph so Markdown shows exactly its characters.

    ``render(escape_markdown(p)).text == p`` for every normalised paragraph ``p``.
    """
    escaped = _ESCAPE_ANYWHERE.sub(r"\\\1", paragraph)
    if escaped[:1] in ("-", "+", "="):
        escaped = "\\" + escaped
    return _LIST_START.sub(r"\1\\\2", escaped)


def text_paragraphs(text: str, blank_separated: bool | None = None) -> list[str]:
    """Split plain text into paragraphs.

    Blank lines separate paragraphs and the lines inside one are joined; text with no blank
    lines at all (common in scraped pages) has one paragraph per line. ``blank_separated``
    says which, when the caller knows better than this text alone (the rest of a file).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    lines = text.split("\n")
    if blank_separated is None:
        blank_separated = any(not line.strip() for line in lines)
    if blank_separated:
        chunks = re.split(r"\n[ \t]*\n", text)
        groups = [chunk.split("\n") for chunk in chunks]
    else:
        groups = [[line] for line in lines]
    paragraphs: list[str] = []
    for group in groups:
        kept = []
        for line in group:
            if _FURNITURE_SECTION.match(line.strip()):
                break  # the header and the link titles listed under it
            if not is_furniture(line):
                kept.append(line)
        paragraph = normalise_paragraph(" ".join(kept))
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def decode_text(data: bytes, declared: Sequence[str | None] = ()) -> str:
    """Decode bytes of uncertain encoding, never failing.

    A BOM first, then UTF-8 (valid UTF-8 is almost never anything else, so it wins even over a
    server that declares latin-1), then each ``declared`` charset that decodes, then cp1252,
    then latin-1 (which decodes anything).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", *(d for d in declared if d), "cp1252"):
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")
