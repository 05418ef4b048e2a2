"""corpus.terminal_safe: what the command line and the app do to text from files before a
terminal sees it (reliability findings D4)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from corpus.terminal_safe import KEPT_FORMAT_CHARACTERS, escape_json, terminal_safe, unshow

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


# Text as notes and tag descriptions hold it: ordinary characters with, often, the ones
# terminal_safe replaces (controls, CR LF, tabs, bidi and zero-width characters, joiners in and
# out of context, soft hyphens) and the characters their shown forms are made of.
NOTE_TEXT = st.lists(
    st.characters()
    | st.sampled_from(
        [
            *"\x1b\x07\x9b\r\n\t\u00ad\u200b\u200c\u200d\u202e\u2066\ufeff\ufffd<>U+0E2B ␤é日",
            *("\ud800", "\U000e0041", "\r\n", "<U+200B>"),
        ]
    )
).map("".join)


@given(NOTE_TEXT)
def test_unshow_of_the_shown_text_is_the_original(original: str) -> None:
    for multiline in (False, True):
        assert unshow(original, terminal_safe(original, multiline), multiline) == original


@given(NOTE_TEXT, NOTE_TEXT)
def test_typing_at_the_end_keeps_every_hidden_character_before_it(
    original: str, typed: str
) -> None:
    for multiline in (False, True):
        edited = terminal_safe(original, multiline) + typed
        assert unshow(original, edited, multiline) == original + typed


@given(NOTE_TEXT, NOTE_TEXT, NOTE_TEXT)
def test_typing_in_two_places_keeps_every_hidden_character(a: str, b: str, c: str) -> None:
    """``Z`` typed after ``a`` and ``Q`` after ``b`` (letters no shown form holds): the note
    comes back with both and every character of ``a``, ``b`` and ``c`` as it was."""
    # A soft hyphen is shown as nothing: one just after a typed letter looks the same as one
    # just before it, and unshow puts it before.
    assume(not b.startswith("\u00ad") and not c.startswith("\u00ad"))
    for multiline in (False, True):
        parts = [terminal_safe(part, multiline) for part in (a, b, c)]
        assume("".join(parts) == terminal_safe(a + b + c, multiline))  # no joiner, CR LF split
        edited = f"{parts[0]}Z{parts[1]}Q{parts[2]}"
        assert unshow(a + b + c, edited, multiline) == f"{a}Z{b}Q{c}"


def test_unshow_takes_what_was_changed_as_typed() -> None:
    note = "rlo \u202eabc zw\u200bx"
    assert terminal_safe(note) == "rlo <U+202E>abc zw<U+200B>x"
    assert unshow(note, "rlo <U+202E>abc zw<U+200B>xZ") == note + "Z"
    assert unshow(note, "rlo abc zw<U+200B>x") == "rlo abc zw\u200bx"  # a form deleted
    assert unshow(note, "rlo <U+202F>abc zw<U+200B>x") == "rlo <U+202F>abc zw\u200bx"  # edited
    assert unshow(note, "rlo <U+202Eabc zw<U+200B>x") == "rlo <U+202Eabc zw\u200bx"  # partly
    assert unshow(note, "rlo <U+202E>abc zw<U+200B>") == "rlo \u202eabc zw\u200b"
    assert unshow(note, "rlo <U+202E>ab zwx") == "rlo \u202eab zwx"
    assert unshow(note, "") == ""
    # Controls and line breaks; a tab shown as spaces comes back while its spaces are whole.
    multi = "multi\r\nline \x1b]52;c;cHduZWQ=\x07 note\tend"
    shown = terminal_safe(multi, multiline=True)
    assert shown == "multi\nline \ufffd]52;c;cHduZWQ=\ufffd note    end"
    assert unshow(multi, "Multi" + shown[5:], multiline=True) == "M" + multi[1:]
    assert unshow(multi, shown.replace("    ", "   "), multiline=True) == multi.replace("\t", "   ")
    assert unshow("a\nb", "a␤b!") == "a\nb!"  # one line: the ␤ is the line break
    # A soft hyphen, shown as nothing, stays between untouched neighbours only.
    assert unshow("hy\u00adphen", "hyphens") == "hy\u00adphens"
    assert unshow("hy\u00adphen", "hXphen") == "hXphen"
    # What was typed is the person's, hidden characters and placeholder look-alikes included.
    assert unshow("plain", "plain \u200b<U+202E>") == "plain \u200b<U+202E>"
