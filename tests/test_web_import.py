"""Importing the real world: news-like HTML pages, scraped text, feeds, folders and URLs
served by a real HTTP server on 127.0.0.1 (tests/web_server.py). No mocked fetching."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import corpus.fetch
from annotations.store import AnnotationStore
from corpus.html_import import draft_from_html
from corpus.importers import draft_from_file
from corpus.library import Library
from corpus.sources import Outcome, import_sources
from corpus.workspace import Workspace
from reader.cli import main
from tests.web_server import ENCODING_PAGES, FEEDS_DIR, PAGES_DIR, TEXT_DIR, TestServer

PAGES = json.loads((PAGES_DIR / "expected.json").read_text())
TEXTS = json.loads((TEXT_DIR / "expected.json").read_text())
FEEDS = {feed["file"]: feed for feed in json.loads((FEEDS_DIR / "expected.json").read_text())}


def flat(text: str) -> str:
    return " ".join(text.split())


def checked(text: str, expected: dict[str, object]) -> None:
    for sentence in expected["body_must_contain"]:  # type: ignore[attr-defined]
        assert flat(sentence) in flat(text), sentence
    for furniture in expected["furniture_must_not_contain"]:  # type: ignore[attr-defined]
        assert furniture not in text, furniture


def similarity(page: str, title: str, text: str) -> float:
    """How much of trafilatura's own plain-text extraction our display text keeps."""
    import trafilatura

    def norm(value: str) -> str:
        return flat(re.sub(r"(?m)^\s*(?:[-•◦▪*]|\d+[.)])\s+", "", value))

    plain = norm(trafilatura.extract(page, output_format="txt", include_comments=False) or "")
    plain = plain.removeprefix(norm(title)).strip()
    return difflib.SequenceMatcher(None, plain, norm(text), autojunk=False).ratio()


def outcomes(ws: Workspace, sources: list[str], **options: bool) -> list[Outcome]:
    ws.ensure()
    return list(import_sources(Library(ws), sources, **options))


@pytest.mark.parametrize("expected", PAGES, ids=[p["file"] for p in PAGES])
def test_news_page_gives_a_clean_article(expected: dict[str, object]) -> None:
    page = (PAGES_DIR / str(expected["file"])).read_text(encoding="utf-8")
    article = draft_from_html(page, str(expected["file"]))
    for field in ("title", "author", "published", "site", "url"):
        assert getattr(article, field) == expected[field], field
    checked(article.display.text, expected)
    # Nothing is lost on the way to Markdown and back to display text.
    assert similarity(page, article.title, article.display.text) >= 0.97


@pytest.mark.parametrize("expected", TEXTS, ids=[t["file"] for t in TEXTS])
def test_scraped_text_drops_furniture_and_finds_the_byline(expected: dict[str, object]) -> None:
    article = draft_from_file(TEXT_DIR / str(expected["file"]))
    assert article.title == expected["title"]
    assert article.author == expected["author"]
    assert article.published == expected["published"]
    checked(article.display.text, expected)


def test_url_import_keeps_the_url_and_is_unchanged_the_second_time(
    tmp_path: Path, web_server: TestServer
) -> None:
    ws = Workspace(tmp_path / "ws")
    url = web_server.page_url(str(PAGES[1]["file"]))
    (first,) = outcomes(ws, [url])
    assert first.result is not None and first.result.status == "imported"
    assert first.result.article.url == PAGES[1]["url"]
    checked(Library(ws).display(first.result.article.id).text, PAGES[1])
    (again,) = outcomes(ws, [url])
    assert again.result is not None and again.result.status == "unchanged"
    assert len(Library(ws).ids()) == 1


def test_page_without_canonical_url_keeps_the_fetched_url(
    tmp_path: Path, web_server: TestServer
) -> None:
    page = next(p for p in PAGES if p["url"] is None)
    (done,) = outcomes(Workspace(tmp_path / "ws"), [web_server.page_url(str(page["file"]))])
    assert done.result is not None
    assert done.result.article.url == web_server.page_url(str(page["file"]))


def test_redirects_are_followed(tmp_path: Path, web_server: TestServer) -> None:
    (done,) = outcomes(Workspace(tmp_path / "ws"), [web_server.url("/redirect/3")])
    assert done.result is not None and done.result.article.title == PAGES[0]["title"]


@pytest.mark.parametrize(
    "path,reason",
    [
        ("/missing", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/redirect-loop", "too many redirects"),
        ("/image.png", "not HTML, a feed or text (image/png)"),
        ("/empty", "empty"),
        ("/huge", "too large"),
        ("/huge-no-length", "too large"),
    ],
)
def test_failures_are_one_line_naming_the_url(
    tmp_path: Path, web_server: TestServer, path: str, reason: str
) -> None:
    ws = Workspace(tmp_path / "ws")
    url = web_server.url(path)
    (failed,) = outcomes(ws, [url])
    assert failed.error is not None and failed.error.startswith(url) and reason in failed.error
    assert "\n" not in failed.error
    assert Library(ws).ids() == []


def test_a_slow_server_times_out(
    tmp_path: Path, web_server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus.fetch, "TIMEOUT", 0.5)
    (failed,) = outcomes(Workspace(tmp_path / "ws"), [web_server.url("/slow")])
    assert failed.error is not None and "timed out after 0.5 s" in failed.error


@pytest.mark.parametrize("path", sorted(ENCODING_PAGES))
def test_charsets_are_honoured_or_corrected(
    tmp_path: Path, web_server: TestServer, path: str
) -> None:
    (done,) = outcomes(Workspace(tmp_path / "ws"), [web_server.url(path)])
    assert done.result is not None, done.error
    assert flat(ENCODING_PAGES[path]["sentence"]) in flat(done.result.article.display.text)


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_feed_gives_one_article_per_entry(
    tmp_path: Path, web_server: TestServer, feed: str
) -> None:
    ws = Workspace(tmp_path / "ws")
    done = outcomes(ws, [web_server.url(f"/feeds/{feed}")])
    entries = FEEDS[feed]["entries"]
    assert [o.result.article.title for o in done if o.result] == [e["title"] for e in entries]
    for outcome, entry in zip(done, entries, strict=True):
        assert outcome.result is not None
        text = outcome.result.article.display.text
        if entry["full_content"]:
            for sentence in entry["body_must_contain"]:
                assert flat(sentence) in flat(text)


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_fetch_full_replaces_summaries_with_their_pages(
    tmp_path: Path, web_server: TestServer, feed: str
) -> None:
    ws = Workspace(tmp_path / "ws")
    done = outcomes(ws, [web_server.url(f"/feeds/{feed}")], fetch_full=True)
    by_title = {o.result.article.title: o.result.article for o in done if o.result}
    assert all(o.error is None for o in done)
    for entry in FEEDS[feed]["entries"]:
        if not entry["full_content"]:
            page = next(p for p in PAGES if p["file"] == entry["page"])
            article = by_title.get(entry["title"]) or by_title[str(page["title"])]
            checked(article.display.text, page)


def test_folder_of_mixed_files(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(PAGES_DIR / str(PAGES[0]["file"]), folder / "page.html")
    shutil.copy(TEXT_DIR / str(TEXTS[1]["file"]), folder / "nested" / "scraped.txt")
    shutil.copy(FEEDS_DIR / "atom.xml", folder / "feed.atom")
    (folder / "note.md").write_text("# A note\n\nSome *Markdown* text.\n")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    (folder / ".hidden.md").write_text("# hidden\n\ntext\n")
    ws = Workspace(tmp_path / "ws")
    done = outcomes(ws, [str(folder)])
    assert all(o.error is None for o in done), [o.error for o in done]
    titles = {o.result.article.title for o in done if o.result}
    assert {PAGES[0]["title"], TEXTS[1]["title"], "A note"} <= titles
    assert len(done) == 3 + len(FEEDS["atom.xml"]["entries"])


def test_cli_imports_what_it_can_and_names_each_failure(
    tmp_path: Path, web_server: TestServer
) -> None:
    ws = tmp_path / "ws"
    Workspace(ws).ensure()  # one that is there: a new one adds its own line on stderr
    good = web_server.page_url(str(PAGES[2]["file"]))
    bad = web_server.url("/missing")
    result = CliRunner().invoke(main, ["--workspace", str(ws), "import", good, bad, good])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("imported ")
    assert result.stdout.splitlines()[1].startswith("unchanged ")
    assert result.stderr.strip() == f"Error: {bad}: HTTP 404 Not Found"
    # The workspace holds whole articles only: every file parses, no temporary files.
    assert [p.name for p in (ws / "articles").iterdir()] == [
        f"{Library(Workspace(ws)).ids()[0]}.md"
    ]


def test_changed_text_updates_the_article_and_moves_its_highlights(tmp_path: Path) -> None:
    source = tmp_path / "story.md"
    source.write_text(
        "# Story\n\nAn old lead, soon cut.\n\nThe studios wanted scans. Actors said no.\n"
    )
    ws = tmp_path / "ws"
    runner = CliRunner()
    runner.invoke(main, ["--workspace", str(ws), "import", str(source)])
    store = AnnotationStore(Workspace(ws))
    (article_id,) = store.library.ids()
    text = store.library.display(article_id).text
    start = text.index("Actors said no.")
    store.add_highlight(article_id, start, start + 15)
    start = text.index("An old lead")
    gone = store.add_highlight(article_id, start, start + 11)  # the new version cuts it
    source.write_text("# Story\n\nA new lead. The studios wanted scans. Actors said no.\n")
    result = runner.invoke(main, ["--workspace", str(ws), "import", str(source)])
    assert result.exit_code == 0
    assert "updated" in result.stdout and "1 highlight moved, 1 not found, kept" in result.stdout
    moved = [h for h in store.highlights(article_id) if h.id != gone.id]
    new_text = store.library.display(article_id).text
    assert [new_text[h.start : h.end] for h in moved] == ["Actors said no."]
    assert store.get_highlight(article_id, gone.id).quote == "An old lead"  # kept, never dropped
