"""The HTML export: one standalone file, parsed strictly, everything escaped, highlights marked
(overlapping and nested ones too), notes as footnotes linked both ways."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import html5lib
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from annotations.formats.html_export import to_html
from annotations.formats.registry import FORMATS
from annotations.formats.selection import Filters, Selection, select
from annotations.model import Highlight, Tag
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from reader.cli import main

EXPORTED = "2026-11-23T19:01:07Z"
# What HTML may not hold as text: controls but white space, surrogates, noncharacters.
NOT_HTML = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef]"
    "|[\ufffe\uffff\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff"
    "\U0004fffe\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
    "\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff"
    "\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff"
    "\U0010fffe\U0010ffff]"
)
HOSTILE = '<script>alert("x")</script> & \'q\' "dq" &amp; </p>'
BODY = """\
# Faces

Actors walked the picket line on Monday. The union says 87 percent.

- first point about replicas
- second point

> A quoted passage from a worker.

The end.
"""


def parse(data: bytes) -> ET.Element:
    """The document, parsed by html5lib in strict mode: any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document: ET.Element = parser.parse(data)
    return document


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def one(document: ET.Element, path: str) -> ET.Element:
    """The element at ``path``, which must be there."""
    found = document.find(path)
    assert found is not None, path
    return found


def html_quotes(data: bytes) -> dict[str, str]:
    """Each highlight's text as the document marks it: its marks' texts joined, by id."""
    found: dict[str, str] = {}
    for mark in parse(data).iter("mark"):
        for highlight_id in mark.get("data-highlights", "").split():
            found[highlight_id] = found.get(highlight_id, "") + text_of(mark)
    return found


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def faces(store: AnnotationStore, library: Library, title: str = "Faces") -> str:
    library.save(Article(id="faces", title=title, body=BODY, url="https://example.org/f"))
    return store.library.display("faces").text


def test_a_standalone_document_that_parses_strictly(
    store: AnnotationStore, library: Library
) -> None:
    text = faces(store, library)
    store.add_highlight("faces", *span(text, "picket line"), tags=["strike"], note="A note.")
    data = FORMATS["html"].render(select(store))
    assert data.startswith(b"<!DOCTYPE html>\n")
    document = parse(data)
    assert document.get("lang") == "en"
    head = document.find("head")
    assert head is not None and head[0].tag == "meta" and head[0].get("charset") == "utf-8"
    # Nothing to fetch and nothing to run: inline CSS only, no scripts, no linked files.
    assert document.find(".//script") is None and document.find(".//link") is None
    assert all(e.get("src") is None for e in document.iter())
    assert [e.tag for e in head.iter("style")] == ["style"]
    assert "url(" not in text_of(one(head, "style")) and "@import" not in text_of(
        one(head, "style")
    )
    assert html_quotes(data) == {h.id: h.quote for h in store.highlights("faces")}


def test_everything_from_the_workspace_is_escaped(store: AnnotationStore, library: Library) -> None:
    library.save(
        Article(id="faces", title=HOSTILE, body=BODY, author=HOSTILE, url="javascript:alert(1)")
    )
    text = store.library.display("faces").text
    tag = "<b>&\"'"
    store.add_highlight("faces", *span(text, "picket line"), tags=[tag], note=HOSTILE)
    store.update_tag(tag, description=HOSTILE)
    store.set_memo("faces", HOSTILE)
    data = FORMATS["html"].render(select(store))
    document = parse(data)
    assert document.find(".//script") is None and b"<script" not in data
    assert text_of(one(document, ".//title")) == f"Highlights: {HOSTILE}"
    heading = document.find(".//article/h2")
    assert heading is not None and text_of(heading) == HOSTILE
    memo = document.find(".//section[@class='memo']/p")
    assert memo is not None and text_of(memo) == HOSTILE
    note = document.find(".//section[@class='notes']//li")
    assert note is not None and text_of(note) == f"#{tag} {HOSTILE} ↩"
    legend = document.find(".//section[@class='codebook']/dl")
    assert legend is not None and text_of(legend[1]) == HOSTILE
    assert text_of(legend[0]).startswith(tag)
    (mark,) = document.iter("mark")
    assert mark.get("title") == f"#{tag}"
    # A URL that is not http(s) is shown, never linked.
    meta = document.find(".//article/p[@class='meta']")
    assert meta is not None and meta.find("a") is None and "javascript:alert(1)" in text_of(meta)


def test_overlapping_and_nested_highlights_are_each_marked_whole(
    store: AnnotationStore, library: Library
) -> None:
    text = faces(store, library)
    store.update_tag("a", color="#f2c94c")
    store.update_tag("b", color="#56ccf2")
    outer = store.add_highlight(
        "faces", *span(text, "walked the picket line on Monday"), tags=["a"]
    )
    inner = store.add_highlight("faces", *span(text, "picket line"), tags=["b"])
    crossing = store.add_highlight("faces", *span(text, "Monday. The union"), tags=["b"])
    # Across two blocks: the blank line between them is not shown, the rest is marked.
    start = text.index("87 percent.")
    across = store.add_highlight("faces", start, text.index("first") + 5, note="Across.")
    data = FORMATS["html"].render(select(store))
    quotes = html_quotes(data)
    for h in (outer, inner, crossing):
        assert quotes[h.id] == h.quote
    assert quotes[across.id] == "87 percent." + "• first"
    marks = {text_of(m): m for m in parse(data).iter("mark")}
    both = marks["picket line"]
    assert both.get("data-highlights") == f"{outer.id} {inner.id}"
    assert both.get("style") == "background: linear-gradient(#f2c94c 0% 50%, #56ccf2 50% 100%)"
    assert both.get("title") == "#a #b"
    assert marks["walked the "].get("style") == "background: #f2c94c"
    # The text is all there, in order, marks or not, a block's in an element of its own.
    blocks = parse(data).find(".//div[@class='text']")
    assert blocks is not None
    assert [text_of(b).replace("1", "") for b in blocks] == text.split("\n\n")


def test_notes_are_footnotes_linked_both_ways_numbered_through_the_file(
    store: AnnotationStore, library: Library
) -> None:
    text = faces(store, library)
    library.save(Article(id="zeta", title="Zeta", body="Second article, one note here."))
    store.add_highlight("faces", *span(text, "The end"), note="Third in the text.")
    store.add_highlight("faces", *span(text, "picket line"), note="First.\n\nTwo paragraphs.")
    store.add_highlight("faces", *span(text, "union"), tags=["x"])  # no note: no footnote
    store.add_highlight("faces", *span(text, "87 percent"), note="Second.")
    store.add_highlight("zeta", 0, 6, note="Fourth, in the next article.")
    document = parse(FORMATS["html"].render(select(store)))
    refs = document.findall(".//sup[@class='ref']")
    assert [r.get("id") for r in refs] == ["ref-1", "ref-2", "ref-3", "ref-4"]
    notes = {li.get("id"): li for li in document.iter("li") if li.get("id")}
    for n, ref in enumerate(refs, start=1):
        link = ref.find("a")
        assert link is not None and link.get("href") == f"#note-{n}" and text_of(link) == str(n)
        back = notes[f"note-{n}"].find(".//a[@class='back']")
        assert back is not None and back.get("href") == f"#ref-{n}"
    assert [text_of(notes[f"note-{n}"]).rstrip(" ↩") for n in range(1, 5)] == [
        "First.Two paragraphs.",
        "Second.",
        "Third in the text.",
        "Fourth, in the next article.",
    ]
    # Each article's notes follow it, numbered on from the last article's.
    lists = document.findall(".//section[@class='notes']/ol")
    assert [ol.get("start") for ol in lists] == ["1", "4"]
    # The reference follows its highlight's last character.
    paragraph = next(p for p in document.iter("p") if "picket" in text_of(p))
    assert "picket line1 on Monday" in text_of(paragraph)


def test_memo_legend_orphans_and_filters(store: AnnotationStore, library: Library) -> None:
    text = faces(store, library)
    store.update_tag("pay", color="#203060", description="Money.\n\nAnd more.")
    store.add_highlight("faces", *span(text, "87 percent"), tags=["pay"])
    store.add_highlight("faces", *span(text, "picket line"), tags=["strike"])
    store.set_memo("faces", "Article memo.")
    orphan = Highlight(
        "orphan1", "faces", 0, 4, "gone words", tags=["pay"], note="Lost.", orphaned=True
    )
    highlights = [*store.highlights("faces"), orphan]
    article = store.library.get("faces")
    selection = Selection([article], {"faces": highlights}, store.tags(), memos={"faces": "M."})
    document = parse(to_html(selection, EXPORTED).encode())
    lost = document.find(".//section[@class='lost']")
    assert lost is not None and "gone words #pay" in text_of(lost) and "Lost." in text_of(lost)
    assert "orphan1" not in html_quotes(to_html(selection, EXPORTED).encode())
    legend = document.find(".//section[@class='codebook']/dl")
    assert legend is not None
    assert [text_of(e) for e in legend] == [
        "pay (2 highlights)",  # the orphan is one of them
        "Money.And more.",
        "strike (1 highlight)",
    ]
    swatch = legend[0].find("span")
    assert swatch is not None and swatch.get("style") == "background: #203060"
    # A dark colour gets light text.
    dark = next(m for m in document.iter("mark") if text_of(m) == "87 percent")
    assert dark.get("class") == "dark"
    # The filters every format has: a tag keeps its highlights, and its article's memo.
    only_pay = parse(FORMATS["html"].render(select(store, Filters(tags=("pay",)))))
    assert [text_of(m) for m in only_pay.iter("mark")] == ["87 percent"]
    memo = only_pay.find(".//section[@class='memo']/p")
    assert memo is not None and text_of(memo) == "Article memo."


def test_the_command_line_picks_html_by_extension(store: AnnotationStore, library: Library) -> None:
    text = faces(store, library)
    store.add_highlight("faces", *span(text, "picket line"), tags=["strike"])
    out = store.workspace.root.parent / "out" / "faces.html"
    argv = ["export", "-w", str(store.workspace.root), "-o", str(out)]
    result = CliRunner().invoke(main, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "wrote 1 highlight to" in result.stderr
    assert list(html_quotes(out.read_bytes()).values()) == ["picket line"]


@given(note=st.text(max_size=40), quote_at=st.integers(0, 27))
@example(note=" a\n \n<i>b</i> &amp;\r\nc\x00\ufffe\x0c\n\n\n", quote_at=0)
def test_any_note_parses_and_reads_as_written(note: str, quote_at: int) -> None:
    # The note is the title and the last paragraph of the text too: any text parses.
    article = Article(id="a", title=note or "t", body=f"Some words of text to highlight.\n\n{note}")
    text = article.display.text
    h = Highlight("h1", "a", quote_at, quote_at + 4, text[quote_at : quote_at + 4], note=note)
    selection = Selection([article], {"a": [h]}, [Tag("t")], memos={"a": note})
    data = to_html(selection, EXPORTED).encode("utf-8")
    document = parse(data)
    assert html_quotes(data) == {"h1": h.quote}
    if note.strip():
        (li,) = document.findall(".//section[@class='notes']//li")
        # As written: its paragraphs (parted by blank lines) each a <p>, each character as it
        # is but those HTML cannot hold, and line ends as every HTML parser reads them.
        parts = [p for p in re.split(r"\n[ \t]*\n\s*", note.strip()) if p.strip()]
        written = "".join(NOT_HTML.sub("\ufffd", p) for p in parts)
        assert text_of(li) == written.replace("\r\n", "\n").replace("\r", "\n") + " ↩"
    else:
        assert document.find(".//section[@class='notes']") is None
