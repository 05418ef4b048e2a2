"""Plain text and Markdown files becoming articles: escaping, furniture, encodings, the library."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import corpus.importers
from corpus.article import Article, slugify
from corpus.importers import ImportFailed, draft_from_file
from corpus.library import Library
from corpus.markdown_text import render
from corpus.plaintext import escape_markdown, is_furniture, normalise_paragraph
from corpus.workspace import Workspace

# -- escaping: plain text stays exactly the text ------------------------------------------------


@given(st.text())
@example("1. not a list")
@example("10) nor this")
@example("- dash + plus = equals")
@example("# * _ ` [a](b) <div> &amp; \\ | ~~x~~ ![i](j)")
@example("---")
@example("caf\x08e \x9b[31m")  # control characters: displayed as U+FFFD on both sides
def test_escaped_plain_text_renders_as_itself(raw: str) -> None:
    paragraph = normalise_paragraph(raw)
    if paragraph:
        assert render(escape_markdown(paragraph)).text == paragraph


def test_normalise_paragraph_collapses_white_space() -> None:
    assert normalise_paragraph("  a \t b\u00a0\u2028c \n") == "a b c"


# -- furniture ----------------------------------------------------------------------------------

FURNITURE = [
    "Leave a Comment",
    "Scroll to Top",
    "Share this",
    "Share this article:",
    "Photo by Jane Doe on Unsplash",
    "Photo: Getty Images",
    "Advertisement",
    "Photo by Jane Doe",
    "(Photo by Jane Doe/Reuters)",
]
SENTENCES = [
    "Share this with your union rep before Friday.",
    "A photo by the union showed the picket line at dawn.",
    "Leave a comment is what the sign said, so we did.",
    "The advertisement ran during the finale.",
    "Photo by the union showed the crowd outside the gate on Monday.",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_alone_on_a_line_is_recognised(line: str) -> None:
    assert is_furniture(line)
    assert is_furniture(f"  {line.upper()}  ")


@pytest.mark.parametrize("line", SENTENCES)
def test_sentences_mentioning_furniture_are_text(line: str) -> None:
    assert not is_furniture(line)


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_txt_import_drops_furniture_and_keeps_sentences(tmp_path: Path) -> None:
    lines = ["Leave a Comment", "The Real Title", *FURNITURE, *SENTENCES, "Scroll to Top"]
    draft = draft_from_file(write(tmp_path / "page.txt", "\n".join(lines) + "\n"))
    assert draft.title == "The Real Title"
    assert [render(draft.body).text[b.start : b.end] for b in render(draft.body).blocks] == (
        SENTENCES
    )


# -- plain text files ---------------------------------------------------------------------------


def paragraphs_of(article: Article) -> list[str]:
    display = render(article.body)
    return [display.text[b.start : b.end] for b in display.blocks]


def test_txt_blank_lines_separate_paragraphs_and_wrapped_lines_join(tmp_path: Path) -> None:
    text = "\n\nMy Title\n\nFirst paragraph\nwrapped here.\n\nAdvertisement\n\nSecond *one*.\n"
    draft = draft_from_file(write(tmp_path / "a.txt", text))
    assert draft.title == "My Title"
    assert paragraphs_of(draft) == ["First paragraph wrapped here.", "Second *one*."]
    assert draft.imported_from == str((tmp_path / "a.txt").resolve())


def test_txt_without_blank_lines_has_one_paragraph_per_line(tmp_path: Path) -> None:
    draft = draft_from_file(write(tmp_path / "a.txt", "Title\nOne.\nShare this\nTwo.\n3. Three"))
    assert draft.title == "Title"
    assert paragraphs_of(draft) == ["One.", "Two.", "3. Three"]


def test_txt_with_only_a_title_keeps_it_as_the_body(tmp_path: Path) -> None:
    draft = draft_from_file(write(tmp_path / "a.txt", "Only line\n"))
    assert (draft.title, paragraphs_of(draft)) == ("Only line", ["Only line"])


PARAGRAPH = st.text(min_size=1).map(normalise_paragraph).filter(lambda p: p and not is_furniture(p))


@given(st.lists(PARAGRAPH, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_txt_paragraphs_survive_import_exactly(paragraphs: list[str], newline: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.txt"
        path.write_bytes(("Title" + newline * 2 + (newline * 2).join(paragraphs)).encode())
        draft = draft_from_file(path)
    assert draft.title == "Title"
    assert paragraphs_of(draft) == paragraphs


@pytest.mark.parametrize(
    ("data", "title"),
    [
        ("Café Title ☕\n\nbody\n".encode(), "Café Title ☕"),
        (b"\xef\xbb\xbfBOM Title\n\nbody\n", "BOM Title"),
        ("UTF-16 Títle\n\nbody\n".encode("utf-16"), "UTF-16 Títle"),
        (b"\xfe\xff" + "Big Éndian\n\nbody\n".encode("utf-16-be"), "Big Éndian"),
        (b"caf\xe9 \x93quoted\x94\n\nbody\n", "café “quoted”"),
        (b"undefined \x81\x8d byte\n\nbody\n", "undefined \ufffd\ufffd byte"),
    ],
)
def test_txt_encodings_are_decoded(tmp_path: Path, data: bytes, title: str) -> None:
    draft = draft_from_file(write(tmp_path / "enc.txt", data))
    assert draft.title == title
    assert paragraphs_of(draft) == ["body"]


# -- failures: one line naming the file -------------------------------------------------------


def assert_one_line_naming(exc: ImportFailed, path: Path) -> None:
    message = str(exc)
    assert "\n" not in message
    assert str(path) in message or str(path.resolve()) in message


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\n  \n\t\n", "empty"),
        ("furniture.txt", b"Share this\nAdvertisement\n", "empty"),
        ("report.pdf", b"%PDF-1.7", "damaged PDF"),
        ("slides.odp", b"PK", "unsupported file type .odp"),
        ("noext", b"text", r"unsupported file type \(none\)"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nbody\n", "bad front matter"),
        ("list-yaml.md", b"---\n- a\n- b\n---\nbody\n", "bad front matter"),
        (
            "escape-in-title.md",
            b'---\nauthor: me\ntitle: "Evil \x1b]0;PWNED\x07"\n---\nbody\n',
            "bad front matter at line 3: control character U\\+001B",
        ),
    ],
)
def test_unreadable_files_raise_import_failed(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(ImportFailed, match=reason) as caught:
        draft_from_file(path)
    assert_one_line_naming(caught.value, path)


def test_missing_file_and_folder_raise_import_failed(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    with pytest.raises(ImportFailed, match="no such file") as caught:
        draft_from_file(missing)
    assert_one_line_naming(caught.value, missing)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="folder") as caught:
        draft_from_file(folder)
    assert_one_line_naming(caught.value, folder)


def test_too_large_file_raises_import_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus.importers, "MAX_FILE_BYTES", 64)
    small = write(tmp_path / "small.txt", "Title\n\n" + "x" * 50)
    assert draft_from_file(small).title == "Title"
    big = write(tmp_path / "big.txt", "Title\n\n" + "x" * 100)
    with pytest.raises(ImportFailed, match="too large") as caught:
        draft_from_file(big)
    assert_one_line_naming(caught.value, big)


# -- Markdown files -----------------------------------------------------------------------------


def test_markdown_title_from_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Front Title\nby: Ana\ndate: 2023-07-26\n---\n# Heading\n\nBody.\n"
    draft = draft_from_file(write(tmp_path / "a.md", text))
    assert (draft.title, draft.author, draft.published) == ("Front Title", "Ana", "2023-07-26")
    assert paragraphs_of(draft) == ["Heading", "Body."]


def test_markdown_title_from_first_heading_else_first_block(tmp_path: Path) -> None:
    draft = draft_from_file(write(tmp_path / "b.md", "Intro *text*.\n\n## The **Heading**\n"))
    assert draft.title == "The Heading"
    draft = draft_from_file(write(tmp_path / "c.markdown", "First   block\nsoft.\n\nSecond.\n"))
    assert draft.title == "First block soft."


# -- the library: ids, duplicates, updates ---------------------------------------------------


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    workspace = Workspace(tmp_path / "ws")
    workspace.ensure()
    return Library(workspace)


def test_importing_the_same_file_twice_is_unchanged(lib: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "A Story\n\nIt begins.\n")
    first = lib.import_path(path)
    second = lib.import_path(path)
    assert (first.status, second.status) == ("imported", "unchanged")
    assert second.article.id == first.article.id == "a-story"
    assert lib.ids() == ["a-story"]


def test_same_text_from_another_path_is_unchanged(lib: Library, tmp_path: Path) -> None:
    first = lib.import_path(write(tmp_path / "one.txt", "A Story\n\nIt begins.\n"))
    (tmp_path / "copy").mkdir()
    second = lib.import_path(write(tmp_path / "copy" / "two.txt", "A Story\n\nIt begins.\n"))
    assert second.status == "unchanged"
    assert second.article.id == first.article.id
    assert lib.ids() == [first.article.id]


def test_edited_file_is_updated_under_its_old_id(lib: Library, tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", "A Story\n\nIt begins.\n")
    first = lib.import_path(path)
    write(path, "A Story, Revised\n\nIt begins again.\n")
    second = lib.import_path(path)
    assert second.status == "updated"
    assert second.article.id == first.article.id
    assert lib.ids() == [first.article.id]
    reread = Library(lib.workspace).get(first.article.id)
    assert (reread.title, paragraphs_of(reread)) == ("A Story, Revised", ["It begins again."])


def test_different_articles_with_the_same_title_get_numbered_ids(
    lib: Library, tmp_path: Path
) -> None:
    ids = [
        lib.import_path(write(tmp_path / f"{n}.txt", f"Same Title\n\nBody {n}.\n")).article.id
        for n in range(3)
    ]
    assert ids == ["same-title", "same-title-2", "same-title-3"]


def test_article_file_round_trip_keeps_fields_and_unknown_keys(lib: Library) -> None:
    article = Article(
        id="round-trip",
        title='¿Real o "falso"? #1: a \\ b',
        body="# Heading\n\nBody with *em*.\n",
        author="Inés Carrasco-Lowell",
        site="The Frame Rate",
        url="https://example.org/x?a=1&b=2",
        published="2023-07-29",
        imported="2026-11-23T18:40:00Z",
        imported_from="/tmp/a file.md",
        extra={"tags": ["ai", "strike"], "rating": 4, "nested": {"k": "v"}, "draft": None},
    )
    lib.save(article)
    assert Library(lib.workspace).get("round-trip") == article
    assert lib.get("round-trip") == article


TEXT_VALUE = st.text(min_size=1).filter(lambda s: s == s.strip())


@given(TEXT_VALUE, st.none() | TEXT_VALUE, st.none() | TEXT_VALUE)
@example("a\x80b\x85c\ufffe", "x\u2028y", None)  # characters YAML cannot hold raw
def test_any_metadata_text_survives_save_and_get(
    title: str, author: str | None, site: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        lib = Library(Workspace(Path(folder)))
        article = Article(id="x", title=title, body="Body.\n", author=author, site=site)
        lib.save(article)
        assert Library(lib.workspace).get("x") == article


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Café Déjà Vu", "cafe-deja-vu"),
        ("¿Real o falso? Netflix's 'Deep Fake Love'", "real-o-falso-netflix-s-deep-fake-love"),
        ("Ünïcödé — 2023!", "unicode-2023"),
        ("日本語のタイトル", "article"),
        ("", "article"),
        ("word " * 30, "-".join(["word"] * 12)),
        ("x" * 80, "x" * 60),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_unicode_only_titles_get_distinct_ids(lib: Library, tmp_path: Path) -> None:
    first = lib.import_path(write(tmp_path / "a.txt", "日本語\n\n一つ目。\n"))
    second = lib.import_path(write(tmp_path / "b.txt", "日本語\n\n二つ目。\n"))
    assert (first.article.id, second.article.id) == ("article", "article-2")


def test_a_hard_wrapped_paragraph_after_a_title_stays_one_paragraph(tmp_path: Path) -> None:
    text = "The Title\n\nline one of the paragraph\nline two of it\n"
    draft = draft_from_file(write(tmp_path / "wrapped.txt", text))
    assert draft.title == "The Title"
    assert draft.display.text == "line one of the paragraph line two of it"


# -- untitled text: the first sentence is the title ---------------------------------------------

PARAGRAPH = (
    "Dr. Ruiz met the union at dawn on Tuesday. They talked for hours about pay, consent "
    "and the studios' new likeness clauses, and nobody left before noon."
)


def test_a_text_that_starts_with_a_paragraph_is_titled_by_its_first_sentence(
    tmp_path: Path,
) -> None:
    draft = draft_from_file(write(tmp_path / "notes.txt", PARAGRAPH + "\n\nA second one.\n"))
    assert draft.title == "Dr. Ruiz met the union at dawn on Tuesday."
    assert paragraphs_of(draft) == [PARAGRAPH, "A second one."]


def test_a_very_long_first_sentence_is_cut_at_a_word_near_100_characters(
    tmp_path: Path,
) -> None:
    sentence = " ".join(["The strike that began in May went on"] * 8) + "."
    draft = draft_from_file(write(tmp_path / "long.txt", sentence + " Then more.\n"))
    assert draft.title.endswith("…") and len(draft.title) <= 101
    assert sentence.startswith(draft.title[:-1])
    assert sentence[len(draft.title) - 1] == " "  # cut between words


@pytest.mark.parametrize(
    "first",
    [
        "Netflix Lists a $900,000 AI Job as Actors Walk the Picket Line",
        "Why? A short title with a question in it",
        "A long headline that has no full stop at its end but goes on for over a hundred "
        "characters",
    ],
)
def test_a_first_line_shaped_as_a_title_stays_the_title(tmp_path: Path, first: str) -> None:
    draft = draft_from_file(write(tmp_path / "t.txt", f"{first}\n\nBody text.\n"))
    assert (draft.title, paragraphs_of(draft)) == (first, ["Body text."])


@given(st.text(alphabet=st.sampled_from("ab .?!J"), min_size=1, max_size=300))
def test_a_sentence_title_is_the_start_of_its_paragraph(raw: str) -> None:
    paragraph = normalise_paragraph(raw)
    if not paragraph:
        return
    title = corpus.importers.first_sentence(paragraph)
    assert len(title) <= corpus.importers.SENTENCE_TITLE + 1
    assert paragraph.startswith(title.removesuffix("…"))
