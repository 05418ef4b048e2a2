"""doccano JSONL export: each article's display text with its highlights as labelled spans.

One JSON object per line, one line per article::

    {"id": "<article id>", "text": "<display text>", "label": [[start, end, "tag"], ...]}

A highlight has a label per tag, or the label ``highlight`` when it has none. When coders are
recorded, ``"meta": {"coders": [...]}`` names the coder of each label, in order. Offsets are
code points of ``text`` (Python string indices), so ``text[start:end]`` is the quote. Text is
written as UTF-8, not ``\\u`` escapes; only the characters that some line splitters take for a
line end (U+0085, U+2028, U+2029) are escaped, so every line is exactly one record.
"""

from __future__ import annotations

import json
from typing import Any

from annotations.formats.selection import Selection

UNTAGGED_LABEL = "highlight"
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_doccano_records(selection: Selection) -> list[dict[str, Any]]:
    """One record per article of the selection; when any of its highlights records a coder,
    ``meta.coders`` names each label's coder, in the order of ``label``."""
    records = []
    for article in selection.articles:
        spans = [
            (h, tag)
            for h in selection.highlights.get(article.id, [])
            for tag in h.tags or [UNTAGGED_LABEL]
        ]
        record: dict[str, Any] = {
            "id": article.id,
            "text": article.display.text,
            "label": [[h.start, h.end, tag] for h, tag in spans],
        }
        if any(h.coder for h, _ in spans):
            record["meta"] = {"coders": [h.coder for h, _ in spans]}
        records.append(record)
    return records


def _line(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False)
    for char, escape in _LINE_BREAKS.items():
        line = line.replace(char, escape)
    return line


def to_doccano(selection: Selection) -> str:
    """The selection as doccano JSONL text, each line ending in ``\\n``."""
    return "".join(_line(record) + "\n" for record in to_doccano_records(selection))
