"""Page furniture trafilatura keeps, taken out of an imported web page (U12 in the UX report).

trafilatura finds the article well, but some furniture sits inside the element it picks, or
in the metadata it reads:

- the title carries the byline or the site (``… | Eleanor Ainge Roy``, ``… - BBC News``), or
  is the blog's name (Blogger's ``<h1>``) rather than the post's;
- the author is named twice in two cases (``Jeffrey Gettleman; JEFFREY GETTLEMAN``), with the
  site (``Name; CNN``) or with a job title (``Name Staff Writer``);
- a list of date, section and comment count over a BBC-style story, reading times and clap
  counts, a section label and the headline again at the top of the text;
- lines such as "Continue reading the main story", "Story continues below advertisement",
  photo captions and credits, and closing sections ("Most read", "Also from this source")
  with their lists.

Each rule is on whole blocks (or whole list items) whose text is nothing but furniture, near
the top or bottom where a rule says so: a sentence of the article is never cut in two.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"\s+[|–—-]\s+|\s*[|:]\s+")
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{4}}-\d\d-\d\d)"
)
_TIME = r"\d{1,2}(?::\d\d|\.\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?"
# A whole block (or list item) that only dates, files, counts or offers the story: dropped
# near the top or the bottom of the text (a date heading in a diary is text).
_META_EDGE = re.compile(
    rf"""^(?:
        (?:published|updated|posted|last\ updated)(?:\ on)?:?(?:\s+.{{0,60}})?
      | {_DATE}(?:\s*(?:at\s+)?{_TIME})?(?:,?\s*{_DATE})?
      | {_TIME},?\s+{_DATE}
      | from\ the\ section\ .{{1,60}}
      | \d[\d,.]*k?\ (?:comments?|shares?|responses?|likes?|claps?)
      | comments?\ \(\d+\)
      | \d{{1,3}}[\s-]min(?:ute)?s?\ (?:read|listen)(?:\W+{_DATE})?
      | listen\ ·\ \d+:\d\d | playlist | download | embed | save | listen
      | -{{2}}\d*
      | source:\ .{{1,40}}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Such a block anywhere in the text.
_META_ANYWHERE = re.compile(
    r"""^(?:
        continue\ reading\ the\ main\ story
      | story\ continues\ below\ (?:advertisement|this\ ad)
      | (?:image|photo)\ (?:copyright|caption)(?:\ .{0,80})?
      | (?:click\ here\ to\ )?share\ (?:on|to)\ social\ media.{0,20}
      | subscribe\ to:\ post\ comments\ \(atom\)
      | our\ standards:\ the\ .{1,40}\ trust\ principles\.?(?:,\ opens\ new\ tab)?
      | sign\ up\ for\ .{1,80}(?:alerts|newsletters?)
      | must\ read\ stories
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A heading or label that opens a closing section of links (dropped with the list after it).
_SECTION = re.compile(
    r"^(?:most\ (?:read|viewed|popular)|also\ from\ this\ source|more\ on\ this\ story"
    r"|related(?:\ (?:stories|articles|posts|content|to\ this\ story))?|read\ (?:more|next)"
    r"|keep\ reading|recommended(?:\ for\ you)?|more\ from\ .{1,60}|you\ may\ also\ like)\s*:?$",
    re.IGNORECASE | re.VERBOSE,
)
# Credits that close a wire story: "Reporting by …; Editing by …".
_SIGN_OFF = re.compile(
    r"^(?:reporting|writing|additional reporting) by .{1,160}; editing by .+$", re.I
)
# A dateline left alone on its line: "Los Angeles CNN —".
_DATELINE = re.compile(r"^[\w .,'’()-]{2,40}\s*[—–-]$")
_LINK = re.compile(r"\[([^\]]*)\]\(<[^>]*>\)")
_ESCAPE = re.compile(r"\\(.)")
_JOB_TITLE = re.compile(
    r"\s*,?\s+(?:staff\ (?:writer|reporter|photographer)|staff|correspondent|contributor"
    r"|contributing\ writer|senior\ (?:writer|reporter))$",
    re.IGNORECASE | re.VERBOSE,
)


def plain(block: str) -> str:
    """A Markdown block (as html_import writes them) as the words it shows, on one line."""
    text = _LINK.sub(r"\1", block)
    text = re.sub(r"(?m)^(?:#{1,6} |> ?|- |\d+\\?\. )", "", text)
    text = text.replace("\\\n", " ")
    text = re.sub(r"(?<!\\)\*+", "", text)
    return " ".join(_ESCAPE.sub(r"\1", text).split())


def _folded(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def is_meta(text: str, edge: bool = True) -> bool:
    """True for a line that only dates, files, counts or offers the story: one of
    :data:`_META_ANYWHERE`, or with ``edge`` (near the top or bottom) of :data:`_META_EDGE`."""
    line = " ".join(text.split())
    if not line or len(line) > 160:
        return False
    return bool(_META_ANYWHERE.match(line) or (edge and _META_EDGE.match(line)))


def _is_list(block: str) -> bool:
    return all(re.match(r"(?:- |\d+\. )", line) for line in block.split("\n") if line.strip())


def _without_meta_items(block: str, edge: bool) -> str:
    """A list block without its furniture items ("" when all of them are)."""
    kept = [line for line in block.split("\n") if not is_meta(plain(line), edge)]
    return "\n".join(kept)


def clean_blocks(blocks: list[str], title: str) -> list[str]:
    """The article's blocks without the furniture this module describes."""
    out: list[str] = []
    skip_list = False
    for index, block in enumerate(blocks):
        text = plain(block)
        edge = index < 6 or index >= len(blocks) - 3
        if skip_list and _is_list(block):
            skip_list = False
            continue
        skip_list = False
        if _SECTION.match(text) and len(text) <= 80:
            skip_list = True
            continue
        if _is_list(block):
            block = _without_meta_items(block, edge)
            if not block.strip():
                continue
        elif is_meta(text, edge):
            continue
        out.append(block)
    # The top: a section label and the headline again, before the first paragraph.
    folded_title = _folded(title)
    for index, block in enumerate(out[:4]):
        if folded_title and _folded(plain(block)) == folded_title:
            before = out[:index]
            if all(len(plain(b)) <= 40 and not plain(b).endswith(".") for b in before):
                out = out[index + 1 :]
            break
    if out and _DATELINE.match(plain(out[0])):
        out = out[1:]
    elif len(out) > 1 and _DATELINE.match(plain(out[1])) and len(plain(out[1])) < 40:
        out = out[:1] + out[2:]
    # The bottom: a wire story's credits.
    while out and _SIGN_OFF.match(plain(out[-1])):
        out.pop()
    return out


def clean_title(
    title: str, *, author: str | None, site: str | None, page_title: str, headings: list[str]
) -> str:
    """The article's title without a byline or site name glued to it, and the post's title
    rather than the blog's. ``headings`` are the page's h1 to h3 texts."""
    title = " ".join(title.split())
    shown = [" ".join(h.split()) for h in headings]
    # The page's own headline, when the metadata's title is it and a suffix.
    for heading in shown:
        rest = title[len(heading) :]
        if len(heading) >= 8 and rest and title.startswith(heading) and _SEPARATORS.match(rest):
            return heading
    # A last part that is the author or the site ("… | Eleanor Ainge Roy", "… - BBC News").
    names = [_folded(n) for n in (author, site) if n and n.strip()]
    cut = title
    while matches := list(_SEPARATORS.finditer(cut)):
        tail = _folded(cut[matches[-1].end() :])
        if tail and not any(tail == n or tail.startswith(n + " ") for n in names):
            break
        cut = cut[: matches[-1].start()]
    title = cut.strip() or title
    # A blog's name as the title, when the page's <title> is "Blog: Post" and the post's
    # title is a heading on the page.
    page_title = " ".join(page_title.split())
    for separator in (": ", " | ", " - ", " – "):
        rest = page_title[len(title) + len(separator) :]
        if page_title.startswith(title + separator) and rest in shown:
            return rest
    return title


def clean_author(author: str | None, site: str | None) -> str | None:
    """The author once: names repeated in another case, the site and job titles dropped."""
    if not author:
        return None
    names: list[str] = []
    for part in re.split(r"\s*;\s*", author):
        part = _JOB_TITLE.sub("", " ".join(part.split()))
        if not part or (site and _folded(part) == _folded(site)):
            continue
        if _folded(part) in {_folded(n) for n in names}:
            continue
        names.append(part)
    return "; ".join(names) or None


def page_parts(html: str | bytes) -> tuple[str, list[str]]:
    """The page's ``<title>`` and its h1 to h3 texts, for :func:`clean_title`."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return "", []
    page_title = root.findtext(".//title") or ""
    headings = [h.text_content() for h in root.iter("h1", "h2", "h3")]
    return page_title, [h for h in headings if h.strip()]
