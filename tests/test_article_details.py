"""An article's details (title, author, site, publication date): ``reader details`` and the
app's ``E`` change them through :func:`annotations.history.edit_details`, which leaves the
text and every highlight where they were and keeps the change in the undo history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotations.article_details import Details, DetailsError, check_changes
from annotations.history import (
    DetailsEdit,
    History,
    HistoryConflict,
    edit_details,
    entry_from_json,
    entry_to_json,
)
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.details import DetailsDialog
from reader.widgets.article_list import ArticleList
from tests.waits import type_text

BODY = "The listing paid up to $900,000.\n\nActors were on strike.\n"


def _article(ws: Workspace, **details: str) -> AnnotationStore:
    library = Library(ws)
    library.save(
        Article(
            id="job",
            title="A job",
            body=BODY,
            site="Ledger",
            url="https://example.org/job",
            published="2023-07-26",
            **details,
        )
    )
    store = AnnotationStore(ws)
    store.add_highlight("job", 4, 11, tags=["pay"], note="the word")
    return store


def _cli(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["-w", str(ws.root), *args])
    return result.exit_code, result.stdout, result.stderr


# -- checking what was typed --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ({"title": "  A  new\ntitle\t"}, {"title": "A new title"}),
        ({"author": ""}, {"author": None}),
        ({"site": "   "}, {"site": None}),
        ({"published": " 2023-07 "}, {"published": "2023-07"}),
        ({"published": None}, {"published": None}),
    ],
)
def test_what_is_typed_is_written_on_one_line(
    typed: dict[str, str | None], written: dict[str, str | None]
) -> None:
    assert check_changes(typed) == written


@pytest.mark.parametrize(
    ("typed", "field", "said"),
    [
        ({"title": " \n "}, "title", "title: an article needs a title"),
        ({"site": "Ledger\x1b]0;owned\x07"}, "site", "site: control characters are not allowed"),
        ({"published": "2023-02-30"}, "published", "published: '2023-02-30' is not a date"),
        ({"published": "July 2023"}, "published", "published: 'July 2023' is not a date"),
        ({"url": "https://elsewhere.example"}, None, "'url' is not a detail"),
    ],
)
def test_what_cannot_be_written_is_refused_naming_the_field(
    typed: dict[str, str | None], field: str | None, said: str
) -> None:
    with pytest.raises(DetailsError) as refused:
        check_changes(typed)
    assert str(refused.value).startswith(said)
    assert refused.value.field == field
    assert "\n" not in str(refused.value)


# -- writing them -------------------------------------------------------------------------------
ONE_LINE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40
).map(lambda text: " ".join(text.split()))


@given(
    title=ONE_LINE.filter(bool),
    author=ONE_LINE,
    site=ONE_LINE,
    published=st.dates().map(lambda day: day.isoformat()) | st.just(""),
)
def test_details_are_written_and_read_back_with_the_text_and_highlights_as_they_were(
    tmp_path_factory: pytest.TempPathFactory,
    title: str,
    author: str,
    site: str,
    published: str,
) -> None:
    ws = Workspace(tmp_path_factory.mktemp("details"))
    store = _article(ws)
    text = store.library.display("job").text
    highlights = store.highlights("job")
    done = edit_details(
        store, "job", {"title": title, "author": author, "site": site, "published": published}
    )
    fresh = AnnotationStore(ws)  # read from the files again
    article = fresh.library.get("job")
    assert Details.of(article) == done.after
    shown = [done.after.get(name) for name in ("title", "author", "site", "published")]
    assert shown == [title, author or None, site or None, published or None]
    # Marked as set by hand: the details that differ from what the import gave.
    given_first = {"title": "A job", "author": None, "site": "Ledger", "published": "2023-07-26"}
    assert done.after.edited == tuple(n for n in given_first if done.after.get(n) != given_first[n])
    assert article.body == BODY and article.url == "https://example.org/job"
    assert fresh.library.display("job").text == text
    assert fresh.highlights("job") == highlights


def test_other_front_matter_keys_are_kept(ws: Workspace) -> None:
    path = ws.articles_dir / "hand.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: Hand written\nlanguage: en\ntopics: [ai, labour]\n---\n\n" + BODY)
    store = AnnotationStore(ws)
    edit_details(store, "hand", {"site": "Courier"})
    article = Library(ws).get("hand")
    assert (article.title, article.site, article.body) == ("Hand written", "Courier", BODY)
    assert article.extra == {"language": "en", "topics": ["ai", "labour"], "edited": "site"}


def test_nothing_changed_writes_nothing(ws: Workspace) -> None:
    store = _article(ws)
    path = ws.article_file("job")
    before = path.read_bytes(), path.stat().st_mtime_ns
    done = edit_details(store, "job", {"title": " A  job ", "site": "Ledger"})
    assert done.changed == [] and done.what == ""
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert len(History(store)) == 0  # nothing to undo either


def test_an_update_from_the_source_keeps_what_a_person_set(ws: Workspace, tmp_path: Path) -> None:
    """The page changes and is imported again: its text and the details nobody touched are
    the new copy's; the ones a person corrected stay as corrected."""
    from annotations.article_import import import_articles

    page = tmp_path / "job.md"
    text = "The listing paid up to $900,000 a year.\n\nActors were on strike in July.\n"
    front = "---\ntitle: {}\nauthor: {}\nsite: {}\npublished: 2023-07-26\n---\n\n"
    page.write_text(front.format("A job", "Dana", "Ledger") + text)
    store = AnnotationStore(ws)
    (first,) = import_articles(store, [str(page)])
    assert first.status == "imported" and first.article is not None
    article_id = first.article.id
    edit_details(store, article_id, {"site": "The Ledger Line", "published": "2023-07-25"})
    _, out, _ = _cli(ws, "details", article_id)
    assert "set by hand, kept when an import updates it: site, published" in out
    page.write_text(front.format("A job (updated)", "Dana W.", "ledger.example") + text + "More.\n")
    (again,) = import_articles(store, [str(page)])
    assert again.status == "updated" and again.article is not None
    assert again.article.id == article_id
    article = Library(ws).get(article_id)
    assert article.body.endswith("More.\n")
    assert (article.title, article.author) == ("A job (updated)", "Dana W.")  # the source's
    assert (article.site, article.published) == ("The Ledger Line", "2023-07-25")  # the person's
    assert article.edited == ("site", "published")


def test_a_refused_change_writes_nothing(ws: Workspace) -> None:
    store = _article(ws)
    before = ws.article_file("job").read_bytes()
    with pytest.raises(DetailsError):
        edit_details(store, "job", {"site": "Courier", "published": "2023-13"})
    assert ws.article_file("job").read_bytes() == before


# -- undo and redo ------------------------------------------------------------------------------
def test_undo_puts_the_details_back_and_redo_makes_them_again(ws: Workspace) -> None:
    store = _article(ws)
    done = edit_details(store, "job", {"title": "Netflix's $900,000 job", "published": "2023"})
    assert done.what == "title and publication date" and done.not_recorded is None
    history = History(store)
    assert history.undo_label == "editing the details of job"
    history.undo()
    assert Details.of(Library(ws).get("job")) == done.before
    history.redo()
    assert Details.of(Library(ws).get("job")) == done.after


def test_an_undo_after_the_file_was_edited_by_hand_changes_nothing(ws: Workspace) -> None:
    store = _article(ws)
    edit_details(store, "job", {"site": "Courier"})
    library = Library(ws)
    article = library.get("job")
    article.site = "Somebody else's"
    library.save(article)
    with pytest.raises(HistoryConflict):
        History(store).undo()
    assert Library(ws).get("job").site == "Somebody else's"


def test_the_history_file_holds_a_details_edit_as_written() -> None:
    for entry in (
        DetailsEdit("job", Details("A job", None, "Ledger", "2023-07-26")),
        DetailsEdit("gone", None),
    ):
        assert entry_from_json(json.loads(json.dumps(entry_to_json(entry)))) == entry
    with pytest.raises(TypeError):
        entry_from_json(
            {"kind": "article_details", "label": "x", "article_id": "a", "before": {"title": 3}}
        )


# -- reader details -----------------------------------------------------------------------------
def test_reader_details_shows_and_changes_them(ws: Workspace) -> None:
    _article(ws)
    code, out, _ = _cli(ws, "details", "job")
    assert code == 0
    assert out.splitlines() == [
        "title: A job",
        "author:",
        "site: Ledger",
        "published: 2023-07-26",
        "url: https://example.org/job",
    ]
    code, out, err = _cli(ws, "details", "job", "--site", "The Ledger", "--author", "Dana")
    assert (code, out, err) == (0, "job: changed the author and site\n", "")
    code, out, _ = _cli(ws, "details", "job", "--json")
    assert json.loads(out) == {
        "id": "job",
        "title": "A job",
        "author": "Dana",
        "site": "The Ledger",
        "published": "2023-07-26",
        "edited": ["author", "site"],
        "url": "https://example.org/job",
    }
    # The list, its cache warm from the first call, and its source filter see the change.
    code, out, _ = _cli(ws, "list", "--source", "The Ledger", "--json")
    assert [row["id"] for row in json.loads(out)] == ["job"]


def test_reader_details_refuses_in_one_line_and_changes_nothing(ws: Workspace) -> None:
    _article(ws)
    before = ws.article_file("job").read_bytes()
    for args, said in [
        (["--published", "2023-13"], "Error: published: '2023-13' is not a date"),
        (["--title", ""], "Error: title: an article needs a title; nothing changed"),
    ]:
        code, out, err = _cli(ws, "details", "job", *args)
        assert code == 1 and out == ""
        assert err.startswith(said) and err.count("\n") == 1
    code, _, err = _cli(ws, "details", "../job", "--title", "x")
    assert code != 0 and err.count("\n") == 1
    assert ws.article_file("job").read_bytes() == before


def test_a_title_with_an_escape_sequence_is_shown_not_obeyed(ws: Workspace) -> None:
    _article(ws, author="Dana\x1b]0;owned\x07")
    code, out, _ = _cli(ws, "details", "job")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "author: Dana" in out


# -- the app's E --------------------------------------------------------------------------------
async def test_e_in_the_list_edits_the_details_and_u_takes_them_back(ws: Workspace) -> None:
    store = _article(ws)
    app = ReaderApp(store, "job")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, DetailsDialog)
        assert dialog.focused is not None and dialog.focused.id == "details-title"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Netflix posts a $900,000 job")
        await pilot.press("tab", "tab", "tab", "ctrl+u")  # to the date
        await type_text(pilot, "2023-13")
        await pilot.press("enter")
        assert app.screen is dialog  # refused: said, and the date field has the keyboard
        assert "not a date" in str(dialog.query_one("#details-error").render())
        assert dialog.focused is not None and dialog.focused.id == "details-published"
        assert Library(ws).get("job").title == "A job"
        await pilot.press("ctrl+u")
        await type_text(pilot, "2023-07-25")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, DetailsDialog)
        article = Library(ws).get("job")
        assert (article.title, article.published) == ("Netflix posts a $900,000 job", "2023-07-25")
        assert articles.rows[0].title == "Netflix posts a $900,000 job"
        assert app.screen.sub_title == "Netflix posts a $900,000 job"
        await pilot.press("u")
        await pilot.pause()
        assert Library(ws).get("job").title == "A job"
        assert articles.rows[0].title == "A job" and app.screen.sub_title == "A job"
        # esc leaves everything as it is
        before = ws.article_file("job").read_bytes()
        await pilot.press("E")
        await type_text(pilot, " changed")
        await pilot.press("escape")
        await pilot.pause()
        assert ws.article_file("job").read_bytes() == before


def test_the_url_is_not_a_detail_to_edit() -> None:
    """The URL is how a later import of the page finds this article: ``reader details``
    offers no option for it, and the store refuses it."""
    result = CliRunner().invoke(main, ["details", "--help"])
    assert "--url" not in result.stdout and "--title" in result.stdout
    with pytest.raises(DetailsError):
        check_changes({"url": "https://other.example"})
