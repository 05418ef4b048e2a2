"""Text from articles, notes and tags made safe to show on a terminal.

Titles, authors, sites, tags, notes and file names come from files other people wrote, and are
stored exactly as given. A terminal, though, obeys some characters instead of showing them: ESC
starts sequences that set the window title (OSC 0), the clipboard (OSC 52), links (OSC 8) or
clear the screen (CSI), BEL rings, C1 characters (U+0080-U+009F) are controls as well, and
bidirectional overrides and zero-width characters make text read differently from what it is,
or two different names look the same. So whatever shows such text, every line the command line
prints and every widget of the app, passes it through :func:`terminal_safe` first:

* control characters (C0, DEL, C1) and lone surrogates become U+FFFD, as in the display text
  (:mod:`corpus.markdown_text`), so the terminal gets no ESC, BEL or CSI from content;
* a line break, in text shown on one line, becomes ``␤``; a tab becomes a space (four in
  text shown on several lines, as in the display text);
* invisible format characters (bidi embeddings, overrides and isolates, LRM and RLM,
  zero-width spaces and joiners, the BOM, Unicode tag characters) are shown as ``<U+202E>``,
  so they can neither reorder a line nor hide in a name. A zero-width joiner or non-joiner
  between two non-ASCII characters (an emoji sequence, Persian or Indic text) is left alone,
  and a soft hyphen, an invisible hyphenation hint, is dropped.

:func:`unshow` goes the other way for a text field that shows a stored text so: the person's
edit of the shown text, with every hidden character they left untouched put back, so that
editing one word of a note or a tag's description does not rewrite the rest of it.

:func:`escape_json` does the same for JSON output without changing the data: it writes those
characters as ``\\uXXXX`` escapes, which JSON reads back as the same characters.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Invisible format characters (Unicode category Cf) shown as <U+XXXX>. The other Cf characters
# (Arabic, Syriac, Kaithi and Egyptian marks drawn with the characters around them) are kept:
# tests/test_terminal_safe.py checks that every Cf character is in one list or the other.
_INVISIBLE = (
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\u2028\u2029"
)
KEPT_FORMAT_CHARACTERS = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd\U00013430-\U0001343f"
)
_JOINERS = "\u200c\u200d"
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
_UNSAFE = re.compile(f"\r\n?|[\n\t{_CONTROLS}{_INVISIBLE}\u00ad]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\ud800-\udfff{_INVISIBLE}\u00ad]")
# The invisible characters alone, for the reading pane: its text keeps every character (offsets
# are the highlights' contract), so it leaves them out where it draws (reader/text_layout.py).
INVISIBLE = re.compile(f"[{_INVISIBLE}]")


def _visible(char: str) -> str:
    return f"<U+{ord(char):04X}>"


def _joins(text: str, at: int) -> bool:
    """Whether the joiner at ``at`` sits between two non-ASCII, non-space characters."""
    if at == 0 or at + 1 >= len(text):
        return False
    before, after = text[at - 1], text[at + 1]
    return before > "\x7f" and after > "\x7f" and not before.isspace() and not after.isspace()


def _shown_form(text: str, match: re.Match[str], multiline: bool) -> str:
    """What :func:`terminal_safe` shows for the unsafe character (or CR LF) ``match`` found in
    ``text`` (a joiner's form depends on its neighbours)."""
    char = match.group()
    if char[0] in "\r\n":
        return "\n" if multiline else "␤"
    if char == "\t":
        return "    " if multiline else " "
    if char == "\u00ad":
        return ""
    if char in _JOINERS and _joins(text, match.start()):
        return char
    if char <= "\x9f" or "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return _visible(char)


def terminal_safe(text: str, multiline: bool = False) -> str:
    """``text`` as it can be written to a terminal: nothing in it is a control, nothing
    invisible (see the module). ``multiline`` keeps line breaks (notes, an export shown on the
    terminal); otherwise the result is one line."""
    if _UNSAFE.search(text) is None:
        return text  # almost every title and note: no copy
    return _UNSAFE.sub(lambda match: _shown_form(text, match, multiline), text)


def unshow(original: str, edited: str, multiline: bool = False) -> str:
    """The text a person meant by ``edited``, their edit of ``terminal_safe(original,
    multiline)`` in a text field: each character of ``original`` whose shown form they left
    untouched comes back as it was (an ESC shown as ``�``, a bidi override shown as
    ``<U+202E>``, a tab shown as spaces); what they typed, deleted or changed is taken as
    typed, and so is a shown form only partly edited. ``unshow(t, terminal_safe(t)) == t``.

    terminal_safe replaces one character (or a CR LF) at a time, so the replaced ones and
    where their shown forms lie are known; the shown text is then aligned with the edited one
    (:class:`difflib.SequenceMatcher`, after the common start and end), and a shown form whose
    every character is matched, in one piece, is untouched. A soft hyphen, shown as nothing,
    is kept when the characters on both sides of it are, before anything typed between them.
    """
    # (start, end) in the shown text of each replaced character, and that character.
    pieces: list[tuple[int, int, str]] = []
    shown_parts: list[str] = []
    at = length = 0
    for match in _UNSAFE.finditer(original):
        form = _shown_form(original, match, multiline)
        length += match.start() - at
        if form != match.group():
            pieces.append((length, length + len(form), match.group()))
        shown_parts += [original[at : match.start()], form]
        length += len(form)
        at = match.end()
    if not pieces:
        return edited
    shown = "".join(shown_parts) + original[at:]
    where = _matched(shown, edited)

    kept: list[str] = []
    done = 0  # how much of ``edited`` is in ``kept``
    for start, end, char in pieces:
        if start == end:  # shown as nothing: kept between two untouched characters
            if (start > 0 and where[start - 1] < 0) or (start < len(shown) and where[start] < 0):
                continue
            into = where[start - 1] + 1 if start > 0 else 0  # before anything typed there
        else:
            into = where[start]
            if into < 0 or any(where[i] != into + i - start for i in range(start + 1, end)):
                continue  # (partly) edited: as typed
        kept += [edited[done:into], char]
        done = into + end - start
    kept.append(edited[done:])
    return "".join(kept)


def _matched(shown: str, edited: str) -> list[int]:
    """For each character of ``shown``, where it is in ``edited``, or -1 where it was deleted
    or changed."""
    where = [-1] * len(shown)
    limit = min(len(shown), len(edited))
    head = 0
    while head < limit and shown[head] == edited[head]:
        head += 1
    tail = 0
    while tail < limit - head and shown[-1 - tail] == edited[-1 - tail]:
        tail += 1
    where[:head] = range(head)
    where[len(shown) - tail :] = range(len(edited) - tail, len(edited))
    # Without autojunk: a long note's frequent characters (spaces, e) must match as well.
    middle = SequenceMatcher(
        None, shown[head : len(shown) - tail], edited[head : len(edited) - tail], autojunk=False
    )
    for i, j, size in middle.get_matching_blocks():
        where[head + i : head + i + size] = range(head + j, head + j + size)
    return where


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON has \u escapes for UTF-16 code units only: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def escape_json(serialized: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``, which already escapes C0
    controls) with every character :func:`terminal_safe` would change written as a ``\\u``
    escape: the same data for any JSON reader, and nothing a terminal obeys or hides."""
    return _JSON_UNSAFE.sub(_json_escape, serialized)
