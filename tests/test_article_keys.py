"""The article list's keys in the app: D deletes the article under the cursor to the trash and
u brings it back, Z archives it (the row leaves the list), m marks it read or unread; the help
screen and the palette name them."""

from __future__ import annotations

from annotations.store import AnnotationStore
from annotations.trash import trashed
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from reader.widgets.article_list import ArticleList

JOB = "netflix-ai-job-picket-line"
GAMES = "netflix-games-generative-ai-role"


async def test_delete_undo_archive_and_mark_from_the_list(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(GAMES).text
    at = text.index("Netflix")
    store.add_highlight(GAMES, at, at + len("Netflix"), tags=["pay"])
    store.set_memo(GAMES, "keep this")
    games_file = sample_ws.article_file(GAMES).read_bytes()
    highlights_file = sample_ws.highlights_db(GAMES).read_bytes()
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        articles = screen.query_one(ArticleList)
        articles.focus()
        at_games = [r.id for r in articles.rows].index(GAMES)
        articles.highlighted = at_games
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Delete article to the trash", "Archive article"} <= set(titles)

        # m: read (it was never opened), then unread again; the row's marker follows
        assert not articles.rows[at_games].read
        await pilot.press("m")
        assert store.state(GAMES).read and articles.rows[at_games].read
        await pilot.press("m")
        assert not store.state(GAMES).read and not articles.rows[at_games].read

        # D: gone from the workspace and the list, the cursor on the next row; u: back
        below = articles.rows[at_games + 1].id
        await pilot.press("D")
        assert not sample_ws.article_file(GAMES).exists()
        assert [t.article_id for t in trashed(store)] == [GAMES]
        assert GAMES not in [r.id for r in articles.rows]
        assert articles.rows[articles.highlighted or 0].id == below
        assert "u brings it back" in notifications_shown(app)[-1].message
        await pilot.press("u")
        assert sample_ws.article_file(GAMES).read_bytes() == games_file
        assert sample_ws.highlights_db(GAMES).read_bytes() == highlights_file
        assert store.state(GAMES).memo == "keep this"
        assert articles.rows[articles.highlighted or 0].id == GAMES
        assert trashed(store) == []

        # Z: archived, and its row leaves the list (archived ones are hidden)
        await pilot.press("Z")
        assert store.state(GAMES).archived
        assert GAMES not in [r.id for r in articles.rows]
        assert "9 of 10 articles" in (screen.title or "")

        # D on the open article: the one under the cursor opens instead
        articles.highlighted = [r.id for r in articles.rows].index(JOB)
        await pilot.press("D")
        assert screen.article_id is not None and screen.article_id != JOB
        assert JOB not in store.states()  # no state written for the deleted article
        await pilot.press("u")
        assert sample_ws.article_file(JOB).exists()
