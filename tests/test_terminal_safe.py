"""corpus.terminal_safe: what the command line and the app do to text from files before a
terminal sees it (reliability findings D4)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from corpus.terminal_safe import KEPT_FORMAT_CHARACTERS, escape_json, terminal_safe

HOSTILE = (
    "Evil \x1b]0;PWNED-TITLE\x07 \x1b]52;c;UFdORUQtQ0xJUA==\x07 \x1b[31mRED\x1b[0m "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b2J \x85 \x00 \x7f "
    "\u202egnp.exe\u202c \u2066iso\u2069 a\u200bb \ufeffbom \U000e0041tag \ud800 soft\u00adhyphen"
)
JOINER_CONTEXTS = "\u200c\u200d"


def bad_characters(text: str, multiline: bool = False) -> list[str]:
    """What a terminal must not get: controls (a line break only in multi-line text), lone
    surrogates and invisible format characters, joiners between two non-ASCII characters and
    the marks drawn with their neighbours aside."""
    kept = re.compile(f"[{KEPT_FORMAT_CHARACTERS}]")
    found = []
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch == "\n" and multiline:
            continue
        if category in ("Cc", "Cs", "Zl", "Zp"):
            found.append(ch)
        elif category == "Cf" and not kept.match(ch):
            joined = (
                ch in JOINER_CONTEXTS
                and 0 < i < len(text) - 1
                and text[i - 1] > "\x7f"
                and text[i + 1] > "\x7f"
                and not text[i - 1].isspace()
                and not text[i + 1].isspace()
            )
            if not joined:
                found.append(ch)
    return found


@given(st.text())
def test_nothing_a_terminal_obeys_or_hides_is_left(text: str) -> None:
    one_line = terminal_safe(text)
    assert bad_characters(one_line) == []
    assert "\n" not in one_line
    assert bad_characters(terminal_safe(text, multiline=True), multiline=True) == []


@given(st.text())
def test_it_is_idempotent(text: str) -> None:
    for multiline in (False, True):
        once = terminal_safe(text, multiline)
        assert terminal_safe(once, multiline) == once


def test_what_each_character_becomes() -> None:
    shown = terminal_safe(HOSTILE)
    assert shown == (
        "Evil \ufffd]0;PWNED-TITLE\ufffd \ufffd]52;c;UFdORUQtQ0xJUA==\ufffd \ufffd[31mRED\ufffd[0m "
        "\ufffd]8;;https://evil.example\ufffd\\link\ufffd]8;;\ufffd\\ "
        "\ufffd2J \ufffd \ufffd \ufffd "
        "<U+202E>gnp.exe<U+202C> <U+2066>iso<U+2069> a<U+200B>b <U+FEFF>bom <U+E0041>tag \ufffd "
        "softhyphen"
    )
    assert terminal_safe("two\r\nlines\rand\nthree\tcolumns") == "two␤lines␤and␤three columns"
    multi = terminal_safe("two\r\nlines\rand\nthree\tcolumns", multiline=True)
    assert multi == "two\nlines\nand\nthree    columns"


def test_ordinary_text_is_left_alone() -> None:
    for text in (
        "Résumé — “quoted” 日本語の記事 مرحبا שלום",
        "👨\u200d👩\u200d👧 family, 🏳\ufe0f\u200d🌈 flag",  # emoji joined by ZWJ
        "می\u200cخواهم",  # Persian: a zero-width non-joiner between letters
        "क्\u200dष",  # Devanagari with a joiner
        "\u0600\u0661\u0662 an Arabic number sign",
        "",
    ):
        assert terminal_safe(text) == text
        assert terminal_safe(text, multiline=True) == text


def test_a_joiner_between_ascii_letters_is_shown() -> None:
    assert terminal_safe("a\u200db") == "a<U+200D>b"
    assert terminal_safe("a\u200c") == "a<U+200C>"
    assert terminal_safe("\u200dé") == "<U+200D>é"


def test_every_format_character_is_decided() -> None:
    """Each Unicode format character (category Cf) is either shown as <U+…> (or dropped, the
    soft hyphen) or kept: a Python with a newer Unicode fails here until it is decided."""
    kept = re.compile(f"[{KEPT_FORMAT_CHARACTERS}]")
    undecided = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.category(ch) != "Cf" or kept.match(ch):
            continue
        shown = terminal_safe(f"x{ch}x")
        if shown not in (f"x<U+{code:04X}>x", "xx"):
            undecided.append(f"U+{code:04X}")
    assert undecided == []


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    )
)
def test_json_keeps_the_data_and_shows_nothing_unsafe(data: object) -> None:
    for indent in (None, 2):
        text = escape_json(json.dumps(data, ensure_ascii=False, indent=indent))
        assert json.loads(text) == data
        assert bad_characters(text, multiline=True) == []
