"""Rendering hides no text: every word of a Markdown body is in its display text, in order.

Findings R-D12: markdown-it stops at its nesting limit, so everything after a list nested 10
levels was not shown, searchable or annotatable, and text 20 quote levels deep vanished.

A *word* here is a run of ASCII letters and digits. Punctuation is Markdown's syntax (``*``,
``_``, ``#``, ``>``, ``-``, ``[``, ``]``, `````, ``~``, ``!``, ``|``) and rendering rightly
consumes it; letters and digits are never markup in the constructs generated here (no
entities, no ordinals followed by ``.`` or ``)``, no raw HTML, whose tags a reader is not meant
to see). Words in a link's or an image's destination are not shown (the link keeps its URL as
an attribute), so only the words of a link's text and an image's description must appear.
Likewise a line that starts with three tildes or backticks opens a code fence, whose info
string (the language) is not shown: a generated line never starts so (``~~`` around ``~~a~~``
would), since it is meant as strikethrough.
"""

from __future__ import annotations

import operator
import re
import sqlite3
import string

from hypothesis import assume, example, given
from hypothesis import strategies as st

from corpus.article import Article
from corpus.library import Library
from corpus.markdown_text import RENDERER_VERSION, render
from corpus.search import INDEX_VERSION, SearchIndex

# Words matching [a-z][a-z0-9]{0,7}, built from characters: from_regex draws the same words
# at several times the cost, which made this the slowest test.
WORD = st.builds(
    operator.add,
    st.sampled_from(string.ascii_lowercase),
    st.text(string.ascii_lowercase + string.digits, max_size=7),
)
PHRASE = st.lists(WORD, min_size=1, max_size=4)
DISPLAY_WORD = re.compile(r"[A-Za-z0-9]+")

# A piece of Markdown and the words a reader must see in it, in order.
Piece = tuple[str, list[str]]


def _words(words: list[str]) -> Piece:
    return " ".join(words), words


def _wrapped(parts: tuple[str, list[Piece]]) -> Piece:
    mark, children = parts
    return f"{mark}{' '.join(p[0] for p in children)}{mark}", [w for p in children for w in p[1]]


def _linked(parts: tuple[list[Piece], str]) -> Piece:
    children, target = parts
    return f"[{' '.join(p[0] for p in children)}](https://example.org/{target})", [
        w for p in children for w in p[1]
    ]


INLINE: st.SearchStrategy[Piece] = st.recursive(
    st.one_of(
        PHRASE.map(_words),
        PHRASE.map(lambda ws: (f"`{' '.join(ws)}`", ws)),
        PHRASE.map(lambda ws: (f"![{' '.join(ws)}](picture.png)", ws)),
    ),
    lambda inner: st.one_of(
        st.tuples(
            st.sampled_from(["*", "**", "_", "__", "~~", "***"]),
            st.lists(inner, min_size=1, max_size=3),
        ).map(_wrapped),
        st.tuples(st.lists(inner, min_size=1, max_size=3), WORD).map(_linked),
    ),
    max_leaves=40,
)


@st.composite
def line(draw: st.DrawFn) -> Piece:
    """One line of inline Markdown: words, emphasis (nested), code, links and images."""
    pieces = draw(st.lists(INLINE, min_size=1, max_size=5))
    source = " ".join(p[0] for p in pieces)
    assume(not source.startswith(("~~~", "```")))  # a code fence, not inline text (see above)
    return source, [w for p in pieces for w in p[1]]


# A block is a list of source lines (no trailing newline) and its words.
Block = tuple[list[str], list[str]]


@st.composite
def leaf(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(["paragraph", "lines", "heading", "code", "rule"]))
    if kind == "paragraph":
        source, words = draw(line())
        return [source], words
    if kind == "lines":  # soft and hard line breaks inside one paragraph
        first, second = draw(line()), draw(line())
        end = draw(st.sampled_from(["", "  ", "\\"]))
        return [first[0] + end, second[0]], first[1] + second[1]
    if kind == "heading":
        source, words = draw(line())
        return ["#" * draw(st.integers(1, 6)) + " " + source], words
    if kind == "code":
        rows = draw(st.lists(PHRASE, min_size=1, max_size=3))
        return ["```", *(" ".join(r) for r in rows), "```"], [w for r in rows for w in r]
    return [draw(st.sampled_from(["* * *", "---", "___"]))], []


def joined(blocks: list[Block]) -> Block:
    lines: list[str] = []
    for source, _ in blocks:
        if lines:
            lines.append("")
        lines.extend(source)
    return lines, [w for _, words in blocks for w in words]


def quoted(block: Block) -> Block:
    return [f"> {ln}" if ln else ">" for ln in block[0]], block[1]


def listed(items: list[Block], ordered: bool) -> Block:
    lines: list[str] = []
    for n, (source, _) in enumerate(items, start=1):
        marker = f"{n}. " if ordered else "- "
        lines.append(marker + source[0])
        lines.extend(" " * len(marker) + ln if ln else "" for ln in source[1:])
    return lines, [w for _, words in items for w in words]


def wrapped(inner: st.SearchStrategy[Block]) -> st.SearchStrategy[Block]:
    return st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(joined).map(quoted),
        st.tuples(st.lists(inner, min_size=1, max_size=3), st.booleans()).map(
            lambda t: listed(t[0], t[1])
        ),
    )


BLOCKS: st.SearchStrategy[Block] = st.recursive(leaf(), wrapped, max_leaves=12)


@st.composite
def deep(draw: st.DrawFn) -> Block:
    """A block nested in quotes and lists, up to twice as deep as markdown-it's limit."""
    block = draw(leaf())
    for _ in range(draw(st.integers(1, 40))):
        quote = draw(st.booleans())
        block = quoted(block) if quote else listed([block], draw(st.booleans()))
    return block


BODIES = st.lists(st.one_of(BLOCKS, deep()), min_size=1, max_size=5).map(joined)


def assert_every_word_shown(body: Block) -> None:
    source, words = body
    shown = DISPLAY_WORD.findall(render("\n".join(source) + "\n").text)
    remaining = iter(shown)
    missing = [w for w in words if not any(w == s for s in remaining)]
    assert not missing, (missing[:5], "\n".join(source)[:2000])


OUTLINE = (
    "".join("  " * level + f"- level{level}\n" for level in range(11))
    + "\n## A heading\n\nA very important sentence.\n"
)


def test_text_after_a_list_nested_eleven_deep_is_shown() -> None:
    """The findings' outline: an 11-level list, then a heading and a sentence."""
    text = render(OUTLINE).text
    assert "level9" in text and "level10" in text
    assert text.endswith("A heading\n\nA very important sentence.")


def test_text_twenty_quote_levels_deep_is_shown() -> None:
    assert "deep quote text" in render(">" * 21 + " deep quote text\n\nafter\n").text
    assert render("> " * 25 + "twenty-five\n\nafter\n").text.endswith("twenty-five\n\nafter")


@given(BODIES)
@example(
    (
        [*(" " * (2 * n) + f"- w{n}" for n in range(12)), "", "after"],
        [f"w{n}" for n in range(12)] + ["after"],
    )
)
@example((["> " * 22 + "deep", "", "after"], ["deep", "after"]))
def test_every_word_of_a_body_is_in_its_display_text(body: Block) -> None:
    assert_every_word_shown(body)


def test_an_index_of_the_previous_rendering_is_rebuilt(library: Library) -> None:
    """The search index keeps display texts: one built by the renderer that hid the text after
    deep nesting (its version mark without a renderer) is rebuilt, and the text is found."""
    library.save(Article(id="outline", title="Outline", body=OUTLINE))
    index = SearchIndex(library)
    assert [m.article_id for m in index.search("important")] == ["outline"]
    path = library.workspace.cache_dir / "search.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'version'")
        db.execute("UPDATE texts SET text = '', folded = ''")
    db.close()

    found = SearchIndex(library).search("important")

    assert [m.article_id for m in found] == ["outline"]
    with sqlite3.connect(path) as db:
        (mark,) = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    db.close()
    assert mark == f"{INDEX_VERSION}/renderer {RENDERER_VERSION}"
