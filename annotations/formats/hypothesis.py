"""Hypothesis annotations: the JSON its API returns (``{"total": n, "rows": [...]}``), the file its
client's *Export* writes (``{"export_date": ..., "client_version": ..., "annotations": [...]}``),
or a bare list of its annotation rows, as a script saves them.

Each row with a ``TextQuoteSelector`` becomes a highlight: its ``exact`` quote with ``prefix``
and ``suffix`` (re-anchored on the article's display text by the merge: Hypothesis counts its
``TextPositionSelector`` offsets in the web page's rendered HTML, which is not our text, so
they are not used), ``text`` as the note, ``tags``, the ``user`` (``acct:ana@hypothes.is``)
as the coder ``ana``, ``created`` and ``updated``. The row's ``id`` is kept as the highlight
id, so importing the same file again adds nothing.

The article is the one whose URL matches the row's ``target[].source`` (else its ``uri``) once
both are normalised (:func:`corpus.urls.normalise_url`: http or https, ``www.``, a trailing
slash, a fragment and tracking parameters aside). Rows without a quote (page notes) and
replies (rows with ``references``) are not highlights: they are counted in
``Incoming.remarks``, which the command line prints.
"""

from __future__ import annotations

from typing import Any

from annotations.formats.incoming import AnnotationImportError, Incoming, IncomingArticle
from annotations.formats.incoming import coder_name as _coder
from annotations.formats.incoming import need as _need
from annotations.formats.incoming import strings as _strings
from annotations.formats.incoming import time_field as _time
from annotations.formats.incoming import unique_id as _unique
from annotations.model import Highlight
from corpus.urls import normalise_url


def is_hypothesis(data: Any) -> bool:
    """Whether parsed JSON looks like Hypothesis' own: an API search response (``rows``), a
    client export (``annotations`` with ``client_version`` or ``export_userid``), or a
    non-empty list of rows (each with ``uri`` and ``target``, no W3C ``type``)."""
    if isinstance(data, dict) and "type" not in data:
        if isinstance(data.get("annotations"), list):
            return "client_version" in data or "export_userid" in data
        return isinstance(data.get("rows"), list)
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return "uri" in data[0] and "target" in data[0] and "type" not in data[0]
    return False


def hypothesis_coder(user: str) -> str:
    """A Hypothesis account (``acct:ana@hypothes.is``) as a coder name (``ana``)."""
    name = user.removeprefix("acct:")
    return name.split("@", 1)[0] if "@" in name else name


def _excerpt(text: str, size: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def _quote(target: Any, where: str) -> tuple[str, str, str] | None:
    """The target's TextQuoteSelector as (exact, prefix, suffix), or ``None`` for none."""
    selectors = _need(target, "selector", list, where, optional=True) or []
    for k, selector in enumerate(selectors):
        at = f"{where}.selector[{k}]"
        if isinstance(selector, dict) and selector.get("type") == "TextQuoteSelector":
            exact = _need(selector, "exact", str, at)
            if exact.strip():
                return (
                    exact,
                    _need(selector, "prefix", str, at, optional=True) or "",
                    _need(selector, "suffix", str, at, optional=True) or "",
                )
    return None


def parse_hypothesis(data: Any, name: str) -> Incoming:
    """Hypothesis rows as incoming highlights, grouped by normalised URL."""
    if isinstance(data, dict):
        key = "rows" if "rows" in data else "annotations"
        rows = _need(data, key, list, name)
        prefix = f"{name}.{key}"
    else:
        rows, prefix = data, name
    by_url: dict[str, IncomingArticle] = {}
    seen: dict[str, str] = {}
    replies: list[str] = []
    remarks: list[str] = []
    for i, row in enumerate(rows):
        where = f"{prefix}[{i}]"
        if not isinstance(row, dict):
            raise AnnotationImportError(f"{where}: expected an annotation row (an object)")
        row_id = _need(row, "id", str, where)
        uri = _need(row, "uri", str, where)
        if _need(row, "references", list, where, optional=True):
            replies.append(row_id)
            continue
        targets = _need(row, "target", list, where, optional=True) or []
        target = targets[0] if targets else {}
        if not isinstance(target, dict):
            raise AnnotationImportError(f"{where}.target[0]: expected an object")
        quote = _quote(target, f"{where}.target[0]")
        source = _need(target, "source", str, f"{where}.target[0]", optional=True) or uri
        text = _need(row, "text", str, where, optional=True) or ""
        if quote is None:
            said = f": {_excerpt(text)!r}" if text.strip() else ""
            remarks.append(f"page note {row_id} on {uri} not imported (it quotes nothing){said}")
            continue
        key = normalise_url(source)
        article = by_url.setdefault(key, IncomingArticle(url=source))
        user = _need(row, "user", str, where, optional=True) or ""
        exact, before, after = quote
        created = _time(row, "created", where)
        article.highlights.append(
            Highlight(
                id=_unique(row_id, f"{where}.id", seen),
                article_id="",
                quote=exact,
                prefix=before,
                suffix=after,
                # Hypothesis offsets count the page's HTML text: no hint for ours.
                start=0,
                end=len(exact),
                tags=_strings(row, "tags", where),
                note=text,
                created=created,
                updated=_time(row, "updated", where) or created,
                coder=_coder(hypothesis_coder(user), f"{where}.user"),
            )
        )
    if replies:
        n = len(replies)
        remarks.insert(
            0, f"{n} repl{'ies' if n != 1 else 'y'} skipped (a reply is not a highlight)"
        )
    return Incoming("hypothesis", list(by_url.values()), remarks=remarks)
