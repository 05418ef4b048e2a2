"""Live refresh (U20): what another process changes in the workspace shows in the open app
without a key press: a `reader annotate` on the open article in its sidebar within 2 s, a tag
renamed elsewhere, a new article in the list, the open article's text edited. The app's own
writes are seen too, and redraw nothing: the selection and the sidebar's cursor stay."""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.tag_picker import TagPicker
from reader.screens import live_refresh
from reader.screens.live_refresh import LOOK_EVERY
from reader.screens.main import MainScreen
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_list import ArticleList
from reader.widgets.reading_pane import ReadingPane
from tests.waits import until

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "from reader.cli import main; main()"]
ARTICLE = "netflix-ai-job-picket-line"


def _main(app: ReaderApp) -> MainScreen:
    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


async def _looked(pilot: Pilot[Any], looks: int = 1) -> None:
    """Until the main screen has looked for changes ``looks`` more times."""
    screen = _main(pilot.app)
    target = screen.looks + looks
    await until(pilot, lambda: screen.looks >= target, f"{looks} looks for changes")
    await pilot.pause()


def _sidebar_ids(app: ReaderApp) -> list[str]:
    return [e.id for e in _main(app).query_one(AnnotationSidebar).entries]


def _count_in_list(app: ReaderApp, article_id: str) -> int:
    rows = _main(app).query_one(ArticleList).rows
    return next(r.highlights for r in rows if r.id == article_id)


async def test_a_cli_annotate_on_the_open_article_shows_in_the_sidebar_within_2_s(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    quote = text.split(". ")[2].strip()
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)  # the first look stamps the workspace as the app shows it
        assert _sidebar_ids(app) == []
        cli = await asyncio.create_subprocess_exec(
            *CLI,
            "--workspace",
            str(sample_ws.root),
            "annotate",
            ARTICLE,
            "--quote",
            quote,
            "--tag",
            "from-cli",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await cli.communicate()
        assert (cli.returncode, err) == (0, b"")
        cli_id = out.decode().strip()
        written = time.monotonic()
        await until(pilot, lambda: cli_id in _sidebar_ids(app), "the CLI's highlight", 2.0)
        print(f"shown {time.monotonic() - written:.2f} s after the CLI exited")
        (entry,) = _main(app).query_one(AnnotationSidebar).entries
        assert entry.quote == quote and [name for name, _ in entry.tags] == ["from-cli"]
        assert _count_in_list(app, ARTICLE) == 1
        pane = _main(app).query_one(ReadingPane)
        assert [h.id for h in pane.highlights] == [cli_id]


async def test_a_tag_renamed_and_another_articles_highlight_show_without_a_key(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    store.add_highlight(ARTICLE, 0, 10, tags=["AI/likeness"])
    other_article = next(a.id for a in store.library.summaries() if a.id != ARTICLE)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        with AnnotationStore(sample_ws) as other:  # another process's store
            other.rename_tag("AI/likeness", "AI/likeness-rights")
            other.add_highlight(other_article, 0, 5)
        sidebar = _main(app).query_one(AnnotationSidebar)
        await until(
            pilot,
            lambda: [n for n, _ in sidebar.entries[0].tags] == ["AI/likeness-rights"],
            "the renamed tag in the sidebar",
        )
        await until(pilot, lambda: _count_in_list(app, other_article) == 1, "the other count")


async def test_a_new_article_joins_the_list_and_the_list_cursor_stays_on_its_article(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        articles = _main(app).query_one(ArticleList)
        assert articles.highlighted is not None
        under_cursor = articles.rows[articles.highlighted].id
        # Newest first: a new article dated today goes to the top, above the cursor.
        Library(sample_ws).save(
            Article(id="fresh-news", title="Fresh News", body="New words.", published="2099-01-01")
        )
        await until(pilot, lambda: "fresh-news" in [r.id for r in articles.rows], "the article")
        assert articles.rows[0].id == "fresh-news"
        assert articles.highlighted is not None
        assert articles.rows[articles.highlighted].id == under_cursor
        # One retitled, one removed: those two rows change, and the header's count.
        library = Library(sample_ws)
        gone, retitled = [r.id for r in articles.rows if r.id not in (ARTICLE, under_cursor)][1:3]
        sample_ws.article_file(gone).unlink()
        library.save(replace(library.get(retitled), title="Retitled Elsewhere"))
        await until(pilot, lambda: gone not in [r.id for r in articles.rows], "the removal")
        await until(
            pilot,
            lambda: "Retitled Elsewhere" in [r.title for r in articles.rows],
            "the new title",
        )
        assert len(articles.rows) == 10
        # The header follows the list's Changed message, which may come a moment later.
        await until(
            pilot,
            lambda: _main(app).title.startswith("workspace · 10 articles"),
            "the header's count",
        )


async def test_the_open_article_edited_elsewhere_is_reloaded_and_reanchored_once(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    word = text.split(". ")[2].split()[0]
    start = text.index(". ", text.index(". ") + 2) + 2
    made = store.add_highlight(ARTICLE, start, start + len(word))
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        library = Library(sample_ws)
        article = library.get(ARTICLE)
        first_line = article.body.split("\n", 1)[0]
        edited = article.body.replace(first_line, first_line + " Added by an editor.", 1)
        library.save(replace(article, body=edited, title="Retitled While Open"))
        pane = _main(app).query_one(ReadingPane)
        await until(pilot, lambda: "Added by an editor." in pane.display_text.text, "the text")
        assert _main(app).sub_title == "Retitled While Open"
        (moved,) = pane.highlights
        assert pane.display_text.text[moved.start : moved.end] == word
        assert moved.start > made.start
        # The reload re-anchored the highlight (one write); the looks after it find nothing
        # to write again.
        await _looked(pilot, 2)
        file = sample_ws.highlights_db(ARTICLE)
        stamp = file.stat().st_mtime_ns, file.stat().st_ino
        await _looked(pilot, 3)
        assert (file.stat().st_mtime_ns, file.stat().st_ino) == stamp


async def test_the_apps_own_write_keeps_the_selection_and_the_sidebar_cursor(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        pane = _main(app).query_one(ReadingPane)
        pane.focus()
        await pilot.press("s", "a")  # highlight the first sentence
        sidebar = _main(app).query_one(AnnotationSidebar)
        (made,) = sidebar.entries
        await pilot.press("S")  # select the paragraph, about to do something with it
        selection = pane.selection
        assert selection is not None
        await _looked(pilot, 3)  # the looks see the app's own write
        assert pane.selection == selection
        assert sidebar.current_id == made.id


async def test_nothing_changes_under_an_open_dialog(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        pane = _main(app).query_one(ReadingPane)
        pane.focus()
        await pilot.press("s", "t")  # a selection, and the tag picker open on it
        assert isinstance(app.screen, TagPicker)
        with AnnotationStore(sample_ws) as other:
            other.add_highlight(ARTICLE, 200, 210)
        for _ in range(3):  # the timer fires under the dialog; nothing is drawn
            await pilot.pause(LOOK_EVERY)
        assert _sidebar_ids(app) == [] and pane.selection is not None
        await pilot.press("escape")
        await until(pilot, lambda: len(_sidebar_ids(app)) == 1, "the other highlight")


async def test_many_changed_highlights_files_read_the_list_again(
    sample_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_refresh, "ROWS_ONE_BY_ONE", 0)  # as for a bulk code of hundreds
    store = AnnotationStore(sample_ws)
    others = [a.id for a in store.library.summaries() if a.id != ARTICLE][:2]
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await _looked(pilot)
        articles = _main(app).query_one(ArticleList)
        assert articles.highlighted is not None
        under_cursor = articles.rows[articles.highlighted].id
        with AnnotationStore(sample_ws) as other:
            for article_id in others:
                other.add_highlight(article_id, 0, 5)
        await until(
            pilot,
            lambda: [_count_in_list(app, a) for a in others] == [1, 1],
            "both counts",
        )
        assert articles.rows[articles.highlighted].id == under_cursor
