"""Finding a quote a person typed or pasted in an article's display text (``reader annotate``).

Pasted quotes come from browsers, PDFs and keyboards: curly or straight quote marks and
apostrophes, Unicode or ASCII hyphens, line breaks where the text has a space. These are
treated alike, as search treats them (:func:`corpus.text_match.fold`), each character to one
stand-in, so offsets carry over; any run of white space matches any other. Letters, their case
and their accents must match: the quote is what the highlight stores, and "The" must not land
on "the".
"""

from __future__ import annotations

import re

# Each character to one stand-in, so a match in the translated text is at the same offsets in
# the text itself.
_LOOSE = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u02bc": "'",  # ʼ
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u2010": "-",  # ‐ hyphen
        "\u2011": "-",  # ‑ non-breaking hyphen
    }
)


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` of ``text`` that reads as ``quote`` (see the module), in order,
    overlapping ones included; none for a quote of only white space. Leading and trailing
    white space of the quote is not part of a match."""
    words = quote.translate(_LOOSE).split()
    if not words:
        return []
    pattern = re.compile("(?=(" + r"\s+".join(re.escape(word) for word in words) + "))")
    return [(m.start(1), m.end(1)) for m in pattern.finditer(text.translate(_LOOSE))]
