"""The app's import (`i`) reads a reading list as `reader import` does: every link imported,
the failure shown, the archived link hidden, the tags in the memo shown beside the article."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.textual_private import notifications_shown
from reader.widgets.article_list import ArticleList
from tests.test_reading_lists import pocket_html
from tests.waits import paste
from tests.web_server import TestServer


async def test_i_imports_a_pocket_export(tmp_path: Path, web_server: TestServer) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.ensure()
    export = tmp_path / "ril_export.html"
    export.write_text(pocket_html(web_server), "utf-8")
    store = AnnotationStore(ws)
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await paste(pilot, str(export))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in notifications_shown(app)]
        assert "3 imported" in messages, messages
        assert any(m.startswith(web_server.url("/missing")) for m in messages), messages
        articles = app.screen.query_one(ArticleList)
        assert len(articles.rows) == 2  # the link archived in Pocket is archived here
        memos = {row.id: store.state(row.id).memo for row in articles.rows}
        assert sorted(memos.values()) == ["", "Tags from Pocket: ai, strike"]
        tagged = next(i for i, row in enumerate(articles.rows) if memos[row.id])
        articles.focus()
        await pilot.press("home", *["down"] * tagged, "enter")
        await pilot.pause()
        memo = app.screen.query_one("#sidebar-memo", Label)
        assert memo.display and str(memo.render()) == "Memo · Tags from Pocket: ai, strike"
