"""CSL-JSON: the exported articles as citation items, for Zotero, pandoc and citeproc.

One item per article of the export (the articles its highlights and memos are in, or the ones
named with ``--article``): ``id`` (the article id), ``type`` (``article-newspaper`` when the
article names its site, else ``webpage``), ``title``, ``author``, ``container-title`` (the
site's name, else the URL's host), ``URL``, ``issued`` (the publication date) and ``accessed``
(when the article was imported). Fields the article does not have are left out.

Author names are split the way citation managers expect: ``Jane Doe`` and ``Doe, Jane`` become
``{"family": "Doe", "given": "Jane"}`` (lower-case particles such as ``van`` go to
``non-dropping-particle``, ``Jr.`` to ``suffix``); several authors are separated by ``;``,
``and``, ``&`` or commas between full names; a name that reads as an organisation (``The
Editors``, ``Staff``, a single word) is kept whole as ``{"literal": ...}``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import orjson

from annotations.formats.selection import Selection
from corpus.article import Article

_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "dos", "das"}
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# Words that make a byline an organisation, not a person.
_GROUP_WORDS = frozenset(
    {
        "staff",
        "editors",
        "editorial",
        "desk",
        "team",
        "board",
        "newsroom",
        "news",
        "press",
        "reporters",
        "correspondents",
        "bureau",
        "agency",
        "wire",
        "contributors",
    }
)
_SEPARATORS = re.compile(r"\s*;\s*|\s+(?:and|&)\s+", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _literal(name: str) -> bool:
    words = name.split()
    if len(words) < 2 or any(ch.isdigit() for ch in name):
        return True
    return words[0].casefold() == "the" or any(
        w.casefold().strip(".,") in _GROUP_WORDS for w in words
    )


def _person(name: str) -> dict[str, str]:
    """One name as CSL: family and given (with particle and suffix), or a literal."""
    name = " ".join(name.split())
    if _literal(name.replace(",", " ")):
        return {"literal": name}
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if family and given:
            return {"family": family, "given": given}
        return {"literal": name}
    words = name.split()
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    # The family name is the last word with the lower-case particles before it.
    cut = len(words) - 1
    while cut > 1 and words[cut - 1] in _PARTICLES:
        cut -= 1
    person = {"family": words[-1], "given": " ".join(words[:cut])}
    if cut < len(words) - 1:
        person["non-dropping-particle"] = " ".join(words[cut:-1])
    if suffix:
        person["suffix"] = suffix
    return person


def authors(byline: str | None) -> list[dict[str, str]]:
    """The CSL names of a byline: ``"Jane Doe and John Roe"``, ``"Doe, Jane"``, ``"The
    Editors"``; none for no byline."""
    text = " ".join((byline or "").split())
    text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
    if not text:
        return []
    names: list[str] = []
    for part in _SEPARATORS.split(text):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # "Jane Doe, John Roe" is two people; "Doe, Jane" is one, family name first.
        if len(pieces) > 1 and all(len(p.split()) > 1 for p in pieces):
            names += pieces
        elif pieces:
            names.append(part.strip())
    return [_person(n) for n in names]


def date_parts(value: str | None) -> dict[str, Any] | None:
    """A date (``2023``, ``2023-07``, ``2023-07-26``, or a date-time) as CSL
    ``{"date-parts": [[y, m, d]]}``; any other text as ``{"raw": ...}``; ``None`` for none."""
    text = (value or "").strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match is None:
        return {"raw": text}
    parts = [int(p) for p in match.groups() if p is not None]
    month_ok = len(parts) < 2 or 1 <= parts[1] <= 12
    day_ok = len(parts) < 3 or 1 <= parts[2] <= 31
    if not (month_ok and day_ok):
        return {"raw": text}
    return {"date-parts": [parts]}


def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def csl_item(article: Article) -> dict[str, Any]:
    """One article as a CSL-JSON item."""
    site = " ".join((article.site or "").split())
    item: dict[str, Any] = {
        "id": article.id,
        "type": "article-newspaper" if site else "webpage",
        "title": " ".join(article.title.split()),
    }
    names = authors(article.author)
    if names:
        item["author"] = names
    container = site or _host(article.url)
    if container:
        item["container-title"] = container
    if article.url:
        item["URL"] = article.url.strip()
    issued = date_parts(article.published)
    if issued is not None:
        item["issued"] = issued
    accessed = date_parts(article.imported)
    if accessed is not None:
        item["accessed"] = accessed
    return item


def to_csl(selection: Selection) -> list[dict[str, Any]]:
    """The selection's articles as a CSL-JSON list of items."""
    return [csl_item(article) for article in selection.articles]


def csl_bytes(selection: Selection) -> bytes:
    return orjson.dumps(to_csl(selection), option=orjson.OPT_INDENT_2) + b"\n"
