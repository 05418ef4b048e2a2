"""Matching typed words against display text: folding, queries, spans, context lines.

Everything that finds words in text goes through :func:`fold`, so the reading pane's ``/`` find,
``ctrl+f`` / ``reader search`` over the corpus and the search in quotes and notes agree on what
"the same text" is. A person typing on a keyboard expects to find

* any case (``Deep`` finds ``DEEP``; ``strasse`` finds ``Straße``; ``σ`` finds ``ς``),
* any accent (``cafe`` finds ``café``, precomposed or with a combining mark),
* typographic punctuation by the keyboard's (``don't`` finds ``don’t``, ``"`` finds ``“`` and
  ``”``, ``-`` finds ``–`` and ``—``),
* compatibility forms by their letters (``find`` finds ``ﬁnd``; a no-break space is a space),
* and a word with an invisible soft hyphen or zero-width space inside it.

Folding may make a character several (``ﬁ`` -> ``fi``) or none (a combining mark, a soft
hyphen), so the folded text is not always as long as the display text. :class:`FoldedText`
keeps the way back: a span found in the folded text maps to the display text's span that
produced it, which is what highlights, selections and search results use. Most texts fold
one character to one, and then the map is the identity and is never built.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, NamedTuple, TypeAlias

CONTEXT_BEFORE, CONTEXT_AFTER = 40, 60  # characters of context either side of a match
CONTEXT_SLACK = 15  # how far a cut may move to land on a word boundary
MATCH_SHOWN = 200  # a longer match (a greedy regex) is shortened in its context line
_QUOTES = '"“”„'

# Scripts written without spaces between words: Han (CJK ideographs with their marks 々〆〇),
# kana, Hangul (whose particles are written onto the word), Thai, Lao, Khmer and Myanmar. In
# them a word is found anywhere in a run of letters, as ``/`` finds it: there is no boundary to
# check. (Bopomofo and Yi are rare enough in articles to be left to whole words.)
UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf"
    "\u3005-\u3007\u3021-\u3029\u3031-\u303c\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003ffff"
)
_UNSPACED = re.compile(f"[{UNSPACED}]")

# -- folding ---------------------------------------------------------------------------------------
# Typographic punctuation reads as what a keyboard types: "don't" finds "don’t".
_SAME_AS = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc", "'"),  # ‘ ’ ‚ ‛ ʼ
    **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),  # “ ” „ ‟
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # ‐ ‑ ‒ – — ― −
}
# Invisible characters that break no word for a reader: soft hyphen, zero-width space and
# joiners, word joiner, byte order mark.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(
        _SAME_AS.get(ch, ch)
        for ch in decomposed
        if not unicodedata.combining(ch) and ch not in _INVISIBLE
    )


class _FoldTable(dict[int, str]):
    """Code point -> its folded form, filled on first use (``str.translate`` consults it)."""

    def __missing__(self, code: int) -> str:
        text = chr(code)
        # Repeat until stable, so fold is idempotent even when a decomposition yields
        # characters that fold further (℡ -> "TEL" -> "tel").
        for _ in range(4):
            folded = _fold_once(text)
            if folded == text:
                break
            text = folded
        self[code] = text
        return text


_FOLD = _FoldTable()
_FEW = 40  # distinct characters to replace, past which fold() translates in one pass


def fold(text: str) -> str:
    """``text`` as matching sees it: case-folded, accents and combining marks dropped,
    compatibility forms decomposed (``ﬁ`` -> ``fi``, no-break space -> space), typographic
    apostrophes, quotes and dashes as the keyboard's, invisible characters dropped.

    Applied to a text and to what is looked for in it alike. The result may be longer or
    shorter than ``text``: :class:`FoldedText` maps its offsets back.
    """
    if text.isascii():  # nothing but case to fold, at C speed
        return text.lower()
    # str.translate takes ~300 ns a character once a text holds one non-ASCII character, and
    # an article holds a handful of distinct ones (’ — é): replace each whose fold differs,
    # then lower the ASCII letters (bytes.lower() touches nothing else; no fold holds an ASCII
    # capital, as fold is idempotent). Each character is folded alone, so this is the table's.
    changing = [c for c in set(text) if c > "\x7f" and _FOLD[ord(c)] != c]
    if len(changing) > _FEW:  # Hangul, say (each syllable decomposes): one pass instead
        return text.translate(_FOLD)
    for char in changing:
        text = text.replace(char, _FOLD[ord(char)])
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def folds_unevenly(text: str) -> bool:
    """True when some character of ``text`` folds to other than exactly one character: then
    offsets in ``fold(text)`` are not offsets in ``text``."""
    if text.isascii():
        return False
    return any(len(_FOLD[ord(ch)]) != 1 for ch in set(text))


Span = tuple[int, int]


class FoldedText:
    """A display text with its folded form, and the way from a folded span back to the
    display text's span that produced it."""

    __slots__ = ("_origin", "folded", "text")

    def __init__(self, text: str, folded: str | None = None, *, uneven: bool | None = None) -> None:
        """``folded`` and ``uneven`` may be given when known (the search index stores them)."""
        self.text = text
        self.folded = fold(text) if folded is None else folded
        if uneven is None:
            uneven = folds_unevenly(text)
        self._origin: list[int] | None = None
        if uneven:
            # origin[i]: the display offset of the character folded index i comes from.
            origin: list[int] = []
            for i, ch in enumerate(text):
                origin.extend([i] * len(_FOLD[ord(ch)]))
            self._origin = origin

    def display_span(self, start: int, end: int) -> Span:
        """The display text's span for the folded ``[start, end)`` (non-empty): from the
        character its first folded character comes from to the one its last comes from,
        with the marks and invisible characters that follow it (they belong to it)."""
        origin = self._origin
        if origin is None:
            return start, end
        text = self.text
        first, last = origin[start], origin[end - 1] + 1
        while last < len(text) and not _FOLD[ord(text[last])]:
            last += 1
        return first, last

    def display_spans(self, spans: Iterable[Span]) -> list[Span]:
        """:meth:`display_span` of each span, in order; a span that maps onto the same display
        span as the one before (two halves of one ``ß``) is left out."""
        if self._origin is None:
            return list(spans)
        out: list[Span] = []
        for start, end in spans:
            span = self.display_span(start, end)
            if not out or out[-1] != span:
                out.append(span)
        return out


# -- queries ---------------------------------------------------------------------------------------
class QueryError(ValueError):
    """A query that cannot be run: a bad regular expression. The message is one line."""


class Term(NamedTuple):
    """One term of a query as typed: ``text``, and whether it was in quotes (a quoted phrase
    is matched as written: no prefix, no word forms)."""

    text: str
    quoted: bool


def parse_query(query: str) -> list[Term]:
    """The terms of a query: ``"quoted phrases"`` (straight or curly quotes) and single words.

    An unclosed quote runs to the end of the query.
    """
    terms: list[Term] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in _QUOTES:
            j = i + 1
            while j < n and query[j] not in _QUOTES:
                j += 1
            phrase = " ".join(query[i + 1 : j].split())
            if phrase:
                terms.append(Term(phrase, True))
            i = j + 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _QUOTES:
                j += 1
            terms.append(Term(query[i:j], False))
            i = j
    return terms


def split_query(query: str) -> list[str]:
    """The texts of a query's terms (:func:`parse_query`)."""
    return [term.text for term in parse_query(query)]


def _spaced_word(ch: str) -> bool:
    """A word character of a script that puts spaces between its words."""
    return (ch.isalnum() or ch == "_") and _UNSPACED.match(ch) is None


# A word character of a spaced script touching a term's edge makes it part of a longer word.
# Letters of unspaced scripts never do: 人工 is found in 人工智能, and AI in 使用AI技术.
_SPACED_WORD = rf"[^\W{UNSPACED}]"
_WORD_START = f"(?<!{_SPACED_WORD})"
# (?!\w) first: what follows a word is nearly always a space or punctuation, and this
# simpler test answers those faster than the class of spaced letters.
_WORD_END = f"(?:(?!\\w)|(?=[{UNSPACED}]))"


_WORD_REST = f"{_SPACED_WORD}*"  # the rest of a word, after a prefix
_ONE_WORD = re.compile(f"{_SPACED_WORD}+")


_STEMMERS = threading.local()


def _stemmer() -> Any:
    """This thread's Snowball English stemmer (a stemmer keeps state while it works, so
    threads do not share one; loaded on first use: most searches never stem)."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=65536)
def stem_of(word: str) -> str:
    """The Snowball English stem of a folded word: ``likenesses`` -> ``like``, ``striking``
    -> ``strike``. Words with the same stem are forms of one word to a stemmed search."""
    return str(_stemmer().stemWord(word))


# Snowball changes at most a word's last two characters on the way to its stem ("dying" ->
# "die", "happy" -> "happi"), and never its first: so every word with a given stem starts
# with the stem less its last two characters (its first at least). Checked on Snowball's
# English vocabulary of 42,000 words and by tests/test_word_forms.py.
STEM_SLACK = 2


def stem_prefix(word_stem: str) -> str:
    """What every word whose stem is ``word_stem`` starts with."""
    return word_stem[: max(len(word_stem) - STEM_SLACK, 1)]


class WordForms:
    """A stemmed term's matcher: each whole word of a folded text whose stem is ``stem``.

    The words looked at are those starting with :func:`stem_prefix` (a regular expression
    finds them), so only those are stemmed. Used where a compiled pattern is, through
    :func:`find_spans`.
    """

    __slots__ = ("pattern", "stem")

    def __init__(self, word: str) -> None:
        """``word``: one folded word of a spaced script."""
        self.stem = stem_of(word)
        prefix = stem_prefix(self.stem)
        self.pattern = re.compile(_WORD_START + re.escape(prefix) + _WORD_REST)

    @property
    def prefix(self) -> str:
        """What a word must start with to be one of these forms (the index looks for it)."""
        return stem_prefix(self.stem)

    def spans(self, folded: str) -> Iterator[Span]:
        wanted = self.stem
        for start, end in _finditer(self.pattern, folded):
            if stem_of(folded[start:end]) == wanted:
                yield start, end


# What matches one term (or the regular expression) in a folded text.
Matcher: TypeAlias = re.Pattern[str] | WordForms


def _prefix_of(term: Term) -> str | None:
    """The folded prefix of ``likeness*`` (an unquoted word ending in ``*`` after a letter or
    digit of a spaced script), else None."""
    if term.quoted or not term.text.endswith("*"):
        return None
    folded = fold(term.text.rstrip("*"))
    return folded if folded.strip() and _spaced_word(folded[-1]) else None


class _Compiled(NamedTuple):
    """A term made ready: its matcher, and the folded words an article must hold for it
    (``prefix``: the last of them only as the start of a word)."""

    matcher: Matcher
    words: str
    prefix: bool


def _compile_term(term: Term, stemmed: bool) -> _Compiled | None:
    prefix = _prefix_of(term)
    text = term.text
    if prefix is None and not term.quoted and text.endswith("*"):
        # A * after a letter of a script without spaces: such a term is found inside runs of
        # letters already, so the star adds nothing (and a lone * is looked for as written).
        stripped = text.rstrip("*")
        if stripped and _UNSPACED.match(fold(stripped)[-1:]):
            text = stripped
    folded = fold(text) if prefix is None else prefix
    if not folded.strip():
        return None  # only invisible characters: nothing to look for
    if stemmed and prefix is None and not term.quoted and _ONE_WORD.fullmatch(folded):
        forms = WordForms(folded)
        return _Compiled(forms, forms.prefix, True)
    body = r"\s+".join(re.escape(word) for word in folded.split())
    # Whole words: no word character may touch a term that starts or ends with one; a prefix
    # runs on to the end of its word.
    before = _WORD_START if _spaced_word(folded[0]) else ""
    after = _WORD_END if _spaced_word(folded[-1]) else ""
    after = _WORD_REST if prefix is not None else after
    return _Compiled(re.compile(before + body + after), folded, prefix is not None)


def _compile_terms(query: str, stem: bool) -> list[_Compiled]:
    terms = (_compile_term(term, stem) for term in dict.fromkeys(parse_query(query)))
    return [term for term in terms if term is not None]


def index_terms(query: str, *, stem: bool = False) -> list[tuple[str, bool]]:
    """What each term of a (non-regex) query needs an article to hold: folded words standing
    together, and whether the last of them need only start a word (``likeness*``, and the
    forms of a stemmed word, which all start with :func:`stem_prefix` of its stem)."""
    return [(term.words, term.prefix) for term in _compile_terms(query, stem)]


def compile_query(query: str, *, regex: bool = False, stem: bool = False) -> list[Matcher]:
    """Matchers to run on ``fold(text)``: one per term, or the one regular expression.

    A term is a whole word or phrase; an unquoted ``word*`` is any word starting so; with
    ``stem``, an unquoted word is any of its forms (:class:`WordForms`). A regular expression
    is compiled case-insensitive and multi-line; a bad one raises :class:`QueryError`. An
    empty query gives no matchers (and finds nothing).
    """
    if regex:
        if not query:
            return []
        try:
            return [re.compile(query, re.IGNORECASE | re.MULTILINE)]
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            raise QueryError(f"bad regular expression {query!r}: {exc.msg}{where}") from None
        except (OverflowError, RecursionError, ValueError) as exc:
            raise QueryError(f"bad regular expression {query!r}: {exc}") from None
    return [term.matcher for term in _compile_terms(query, stem)]


@lru_cache(maxsize=256)
def _without_lookbehind(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A term's pattern without its leading :data:`_WORD_START`, or None for any other one.

    The look-behind keeps ``re`` from skipping ahead to the term's first letters (20 times
    slower on long texts), so :func:`_finditer` checks it by hand instead. Regular expressions
    from users are compiled with other flags, and are never rewritten.
    """
    if pattern.flags == re.UNICODE and pattern.pattern.startswith(_WORD_START):
        return re.compile(pattern.pattern[len(_WORD_START) :], pattern.flags)
    return None


def _finditer(pattern: re.Pattern[str], text: str) -> Iterator[Span]:
    """The non-empty matches of ``pattern`` in ``text``, as ``finditer`` would find them."""
    fast = _without_lookbehind(pattern)
    if fast is None:
        for found in pattern.finditer(text):
            if found.end() > found.start():
                yield found.span()
        return
    pos = 0
    while (m := fast.search(text, pos)) is not None:
        start, end = m.span()
        if start and _spaced_word(text[start - 1]):
            pos = start + 1
            continue
        yield start, end
        pos = max(end, start + 1)


def find_spans(patterns: list[Matcher], folded: str, *, require_all: bool = True) -> list[Span]:
    """Where the patterns match ``folded`` (a folded text), as offsets into it: non-empty,
    non-overlapping, in document order (the leftmost, then the longest, wins an overlap);
    none unless every pattern matches when ``require_all``."""
    found: list[Span] = []
    for pattern in patterns:
        if isinstance(pattern, WordForms):
            spans = list(pattern.spans(folded))
        else:
            spans = list(_finditer(pattern, folded))
        if require_all and not spans:
            return []
        found.extend(spans)
    if len(patterns) == 1:
        return found
    found.sort(key=lambda s: (s[0], -s[1]))
    kept: list[Span] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def find_query(
    patterns: list[Matcher], text: FoldedText, *, require_all: bool = True
) -> list[Span]:
    """:func:`find_spans` in ``text``, as spans of its display text."""
    return text.display_spans(find_spans(patterns, text.folded, require_all=require_all))


def find_all(text: FoldedText, needle: str) -> list[Span]:
    """Every occurrence of ``needle`` in ``text`` as the ``/`` find bar looks for it: anywhere
    (not only whole words), overlapping ones too, folded as :func:`fold` folds, any run of
    white space matching any other. Spans of the display text, in order."""
    folded = fold(needle)
    if not folded:
        return []
    if any(ch.isspace() for ch in folded):
        body = r"\s+".join(re.escape(part) for part in re.split(r"\s+", folded))
        pattern = re.compile(f"(?=({body}))")
        return text.display_spans(m.span(1) for m in pattern.finditer(text.folded))
    # One word: str.find is several times faster than a pattern (a keystroke on a long text).
    spans, size, haystack = [], len(folded), text.folded
    pos = haystack.find(folded)
    while pos != -1:
        spans.append((pos, pos + size))
        pos = haystack.find(folded, pos + 1)
    return text.display_spans(spans)


# -- context ---------------------------------------------------------------------------------------
def context_window(start: int, end: int, size: int) -> tuple[int, int]:
    """The part ``text[a:b]`` of a text of ``size`` characters that :func:`context_line` reads
    for ``text[start:end]``: ``context_line(text[a:b], start - a, end - a)`` is
    ``context_line(text, start, end)`` (the search index rebuilds only that part of a text)."""
    a = start - CONTEXT_BEFORE - 1
    b = end + CONTEXT_AFTER + 1
    return (a if a > 0 else 0), (b if b < size else size)


def context_line(text: str, start: int, end: int) -> tuple[str, int, int]:
    """One line of ``text`` around ``text[start:end]``: ``(line, match_start, match_end)``.

    About 40 characters before and 60 after, cut at word boundaries and never across a block
    (a blank line), line breaks shown as spaces; ``…`` marks a cut. A match longer than 200
    characters is shortened in the middle. (Called once per match, so written for speed:
    plain comparisons instead of ``min``/``max``, one slice for the usual short match.)
    """
    left = start - CONTEXT_BEFORE
    if left < 0:
        left = 0
    block = text.rfind("\n\n", left - 1 if left else 0, start)
    if block >= 0:
        left, lead = block + 2, ""
    elif left:
        limit = left + CONTEXT_SLACK
        space = text.find(" ", left, limit if limit < start else start)
        if space >= 0:
            left = space + 1
        lead = "…"
    else:
        lead = ""
    size = len(text)
    right = end + CONTEXT_AFTER
    if right > size:
        right = size
    block = text.find("\n\n", end, right + 1)
    if block >= 0:
        right, tail = block, ""
    elif right < size:
        low = right - CONTEXT_SLACK
        space = text.rfind(" ", low if low > end else end, right)
        if space >= 0:
            right = space
        tail = "…"
    else:
        tail = ""
    at = len(lead) + start - left
    if end - start <= MATCH_SHOWN:
        return lead + text[left:right].replace("\n", " ") + tail, at, at + end - start
    half = MATCH_SHOWN // 2
    matched = text[start : start + half] + "…" + text[end - half : end]
    line = text[left:start] + matched + text[end:right]
    return lead + line.replace("\n", " ") + tail, at, at + len(matched)
