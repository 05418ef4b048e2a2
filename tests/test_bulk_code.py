"""One bulk code for ``reader code`` and the search screen's ctrl+t
(:func:`annotations.bulk.code_matches`): the matches of one search, coded in one change, with a
refusal in the result when the search no longer finds what the user confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.message import Message
from textual.notifications import Notify

from annotations.bulk import code_matches, find_matches, matches_in_articles, not_coded, phrase_of
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.search import SearchIndex
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.screens.main import MainScreen
from reader.screens.search import ConfirmCode
from tests.waits import settle, type_text

STRIKE = "The actors went on strike. The strike lasted months.\n"
ELSEWHERE = "A strike of another kind, and no other.\n"


def _workspace(ws: Workspace) -> AnnotationStore:
    library = Library(ws)
    library.save(Article(id="one", title="One", body=STRIKE))
    library.save(Article(id="two", title="Two", body=ELSEWHERE))
    return AnnotationStore(ws)


def _highlights(store: AnnotationStore) -> list[tuple[str, str, list[str]]]:
    return sorted((h.article_id, h.quote, h.tags) for h in store.all_highlights())


def _files(ws: Workspace) -> dict[str, bytes]:
    return {
        str(p.relative_to(ws.root)): p.read_bytes()
        for p in sorted(ws.annotations_dir.rglob("*"))
        if p.is_file() and p != ws.lock_file
    }


def test_the_matches_found_are_coded_in_one_change(ws: Workspace) -> None:
    store = _workspace(ws)
    matches = find_matches(SearchIndex(store.library), "strike")
    assert matches.total == (3, 2)
    assert matches.preview(["labour/strike", "x"]) == (
        "3 matches in 2 articles will be highlighted and tagged #labour/strike #x"
    )
    result = code_matches(store, matches, ["labour/strike"])
    assert result.refused is None and result.change is not None
    assert result.line() == "coded 3 passages in 2 articles with #labour/strike"
    assert result.skipped == [] and result.skipped_lines() == []
    assert _highlights(store) == [
        ("one", "strike", ["labour/strike"]),
        ("one", "strike", ["labour/strike"]),
        ("two", "strike", ["labour/strike"]),
    ]
    store.undo_tag_change(result.change)
    assert _highlights(store) == [] and store.tags() == []


def test_another_count_than_the_one_confirmed_codes_nothing(ws: Workspace) -> None:
    store = _workspace(ws)
    before = _files(ws)
    matches = find_matches(SearchIndex(store.library), "strike")
    result = code_matches(store, matches, ["strike"], expect=(2, 2))
    assert result.change is None
    assert result.refused == (
        "nothing coded: the search now finds 3 matches in 2 articles, "
        "not the 2 matches in 2 articles you confirmed"
    )
    assert result.line() == result.refused
    assert _files(ws) == before and _highlights(store) == []
    assert code_matches(store, matches, ["strike"], expect=(3, 2)).change is not None


def test_a_match_whose_article_changed_is_skipped_and_named(ws: Workspace) -> None:
    store = _workspace(ws)
    matches = find_matches(SearchIndex(store.library), "strike")
    store.library.save(Article(id="two", title="Two", body=ELSEWHERE.replace("strike", "stroke")))
    result = code_matches(store, matches, ["strike"], expect=(3, 2))
    assert result.line() == (
        "coded 2 passages in 1 article with #strike; "
        "skipped 1 match whose text changed since the search"
    )
    assert result.skipped_lines() == [
        "skipped: two 2-8: no longer reads 'strike' (the article changed); not coded"
    ]
    assert [a for a, _, _ in _highlights(store)] == ["one", "one"]


def test_the_counts_are_worded_as_the_app_words_them() -> None:
    from reader.wording import matches_in_articles as app_wording

    for counts in [(0, 0), (1, 1), (2, 1), (1234, 56)]:
        assert matches_in_articles(*counts) == app_wording(*counts)
    assert app_wording(1, 1) == "1 match in 1 article"
    assert app_wording(1234, 56) == "1,234 matches in 56 articles"


def test_reader_code_prints_the_results_lines(ws: Workspace) -> None:
    store = _workspace(ws)
    expected = find_matches(SearchIndex(store.library), "strike")
    result = CliRunner().invoke(main, ["-w", str(ws.root), "code", "strike", "--tag", "s", "--yes"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        expected.preview(["s"]),
        "coded 3 passages in 2 articles with #s",
    ]


@pytest.mark.parametrize(
    ("query", "regex", "phrase"),
    [
        ("health plan", False, '"health plan"'),
        ("  health   plan ", False, '"health plan"'),
        ("went on strike", False, '"went on strike"'),
        ("likeness", False, None),
        ("likeness*", False, None),
        ("likeness* scans", False, None),  # in quotes the * would be a character to find
        ('"health plan"', False, None),
        ("“health plan”", False, None),  # curly quotes are quotes too
        ('"health plan" strike', False, None),  # whoever quotes one knows quoting
        ("health plan", True, None),  # a regular expression is matched as written
    ],
)
def test_several_words_without_quotes_make_a_phrase_to_suggest(
    query: str, regex: bool, phrase: str | None
) -> None:
    assert phrase_of(query, regex=regex) == phrase


def test_reader_code_says_each_word_is_coded_apart_and_how_to_code_the_phrase(
    ws: Workspace,
) -> None:
    store = _workspace(ws)
    apart = CliRunner().invoke(main, ["-w", str(ws.root), "code", "went on", "--tag", "s", "--yes"])
    assert apart.exit_code == 0, apart.output
    assert apart.stdout.splitlines() == [
        "2 matches in 1 article will be highlighted and tagged #s",
        "coded 2 passages in 1 article with #s",
    ]
    assert apart.stderr.splitlines() == [
        "each word is coded on its own; for the phrase, quote it: '\"went on\"'"
    ]
    assert sorted(h.quote for h in store.all_highlights()) == ["on", "went"]
    whole = CliRunner().invoke(
        main, ["-w", str(ws.root), "code", '"went on"', "--tag", "t", "--yes"]
    )
    assert whole.exit_code == 0, whole.output
    assert whole.stderr == ""
    assert [h.quote for h in store.all_highlights() if "t" in h.tags] == ["went on"]


@pytest.mark.parametrize(("typed", "phrase"), [("went on", '"went on"'), ('"went on"', None)])
async def test_the_app_asks_with_the_phrase_when_words_are_coded_apart(
    ws: Workspace, typed: str, phrase: str | None
) -> None:
    app = ReaderApp(_workspace(ws), "one")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await type_text(pilot, typed)
        await settle(pilot)
        await pilot.press("ctrl+t")
        await type_text(pilot, "labour")
        await pilot.press("enter")
        confirm = app.screen
        assert isinstance(confirm, ConfirmCode)
        said = [str(label.render()) for label in confirm.query("#code-phrase")]
        if phrase is None:
            assert said == []
        else:
            assert said == [
                f"Each word is coded on its own. For the phrase, search {phrase} in quotes."
            ]


async def test_the_app_shows_the_refusal_in_the_same_words(ws: Workspace, tmp_path: Path) -> None:
    """An article gains a match between the question and enter: nothing is coded, and the
    warning is the refusal :func:`code_matches` words."""
    store = _workspace(ws)
    seen: list[Message] = []
    app = ReaderApp(store, "one")
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.press("ctrl+f")
        await type_text(pilot, "strike")
        await settle(pilot)  # the search typed has run
        screen = app.screen_stack[1]
        assert isinstance(screen, MainScreen) and screen._search_index is not None
        await pilot.press("ctrl+t")
        await type_text(pilot, "labour")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        store.library.save(Article(id="two", title="Two", body=ELSEWHERE + "Strike!\n"))
        screen._search_index.recheck_after = 0  # look at the files again now
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    shown = [m.notification for m in seen if isinstance(m, Notify)]
    (warning,) = [n.message for n in shown if n.severity == "warning"]
    refused = not_coded((3, 2), (4, 2))
    assert warning == f"N{refused[1:]}. Search again to see them."
    assert _highlights(store) == []
