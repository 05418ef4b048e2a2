"""What the list of a large workspace rests on: the cached article summaries and the Line API
article list. Correctness only; how fast they are is for ``make bench``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import orjson
import pytest
from textual.app import App, ComposeResult

import annotations.counts as counts_module
import annotations.formats.selection as selection_module
import corpus.library as library_module
from annotations.counts import highlight_counts
from annotations.formats.registry import export_bytes
from annotations.formats.selection import select
from annotations.formats.w3c import highlight_iri, xsd_datetime
from annotations.model import Highlight, parse_time
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import ArticleSummary, Library
from corpus.sample_corpus import install_samples
from reader.widgets.article_list import ArticleList, ArticleRow


@pytest.fixture
def cached(library: Library, monkeypatch: pytest.MonkeyPatch) -> Library:
    """The sample corpus, with the summary cache on from the first article."""
    monkeypatch.setattr(library_module, "SUMMARY_CACHE_FROM", 1)
    install_samples(library)
    return library


def expected(library: Library) -> list[ArticleSummary]:
    return [ArticleSummary.of(a) for a in library.articles()]


def cache_file(library: Library) -> Path:
    return library.workspace.cache_dir / "articles.json"


def test_summaries_match_the_articles_and_are_cached(cached: Library) -> None:
    assert cached.summaries() == expected(cached)
    files = orjson.loads(cache_file(cached).read_bytes())["files"]
    assert sorted(files) == cached.ids()


def test_listing_keeps_no_article_bodies(cached: Library) -> None:
    fresh = Library(cached.workspace)
    fresh.summaries()
    assert fresh._cache == {}  # 10,000 bodies would stay in memory for the app's life


def test_an_unchanged_file_is_not_read_again(cached: Library) -> None:
    cached.summaries()
    # Plant a title in the cache: the next listing must take it from there, not from the file.
    data = orjson.loads(cache_file(cached).read_bytes())
    first = cached.ids()[0]
    data["files"][first][3] = "Planted title"
    cache_file(cached).write_bytes(orjson.dumps(data))
    assert Library(cached.workspace).summaries()[0].title == "Planted title"


def test_changed_added_and_removed_files_are_seen(cached: Library) -> None:
    cached.summaries()
    ids = cached.ids()
    changed = cached.get(ids[0])
    changed.title = "A New Title"
    cached.save(changed)
    (cached.workspace.articles_dir / f"{ids[1]}.md").unlink()
    cached.save(Article(id="zz-new", title="Brand New", body="Text.\n", site="Elsewhere"))
    fresh = Library(cached.workspace)
    assert fresh.summaries() == expected(fresh)
    titles = {s.id: s.title for s in fresh.summaries()}
    assert titles[ids[0]] == "A New Title" and ids[1] not in titles and "zz-new" in titles
    # A change that keeps the size and the inode is still seen through the modification time.
    path = cached.workspace.article_file("zz-new")
    text = path.read_text(encoding="utf-8").replace("Brand New", "Brand Old")
    with path.open("r+", encoding="utf-8") as f:
        f.write(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert {s.id: s.title for s in Library(cached.workspace).summaries()}["zz-new"] == "Brand Old"


def test_a_bad_file_is_a_problem_every_time_and_not_cached(cached: Library) -> None:
    bad = cached.workspace.articles_dir / "broken.md"
    bad.write_bytes(b"\xff\xfe not utf-8")
    for _ in range(2):
        problems: list[str] = []
        listed = Library(cached.workspace).summaries(problems)
        assert "broken" not in {s.id for s in listed}
        assert len(problems) == 1 and "broken.md" in problems[0]
    assert "broken" not in orjson.loads(cache_file(cached).read_bytes())["files"]


@pytest.mark.parametrize("content", [b"", b"not json", b'{"version": 99, "files": {}}', b"[1]"])
def test_a_damaged_cache_is_rebuilt(cached: Library, content: bytes) -> None:
    cached.summaries()
    cache_file(cached).write_bytes(content)
    assert Library(cached.workspace).summaries() == expected(cached)
    assert orjson.loads(cache_file(cached).read_bytes())["version"] == 1


def test_a_small_workspace_writes_no_cache(library: Library) -> None:
    install_samples(library)
    assert library.summaries() == expected(library)
    assert not cache_file(library).exists()


def test_find_existing_uses_the_summaries(cached: Library) -> None:
    known = cached.get(cached.ids()[2])
    cached.summaries()
    same_text = Article(id="", title="Other", body=known.body)
    found = Library(cached.workspace).find_existing(same_text)
    assert found is not None and found.id == known.id
    assert cached.find_existing(Article(id="", title="x", body="Nothing like it.\n")) is None


# -- highlight counts --------------------------------------------------------------------------


def test_cached_counts_follow_every_write(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counts_module, "CACHE_FROM", 1)
    install_samples(store.library)
    ids = store.library.ids()
    for article_id in ids[:3]:
        text = store.library.display(article_id).text
        store.add_highlight(article_id, 0, 5)
        store.add_highlight(article_id, 10, len(text) // 2)
    assert highlight_counts(store) == store.highlight_counts() == dict.fromkeys(ids[:3], 2)
    assert (store.workspace.cache_dir / counts_module.CACHE_NAME).is_file()
    removed = store.highlights(ids[0])[0]
    store.delete_highlight(ids[0], removed.id)
    store.add_highlight(ids[3], 0, 5)
    assert highlight_counts(store) == store.highlight_counts()
    assert highlight_counts(store)[ids[0]] == 1 and highlight_counts(store)[ids[3]] == 1


def test_cached_counts_come_from_the_cache(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counts_module, "CACHE_FROM", 1)
    install_samples(store.library)
    first = store.library.ids()[0]
    store.add_highlight(first, 0, 5)
    highlight_counts(store)
    path = store.workspace.cache_dir / counts_module.CACHE_NAME
    data = orjson.loads(path.read_bytes())
    data["files"][first][3] = 41
    path.write_bytes(orjson.dumps(data))
    assert highlight_counts(store) == {first: 41}
    path.write_bytes(b"{broken")
    assert highlight_counts(store) == {first: 1}


def test_a_broken_highlights_file_is_a_problem(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(counts_module, "CACHE_FROM", 1)
    install_samples(store.library)
    store.workspace.highlights_db("broken").write_bytes(b"not json")
    problems: list[str] = []
    assert highlight_counts(store, problems) == {}
    assert len(problems) == 1 and "broken.json" in problems[0]
    with pytest.raises(StoreError):
        highlight_counts(store)


def test_few_files_write_no_count_cache(store: AnnotationStore) -> None:
    install_samples(store.library)
    store.add_highlight(store.library.ids()[0], 0, 5)
    assert highlight_counts(store) == store.highlight_counts()
    assert not (store.workspace.cache_dir / counts_module.CACHE_NAME).exists()


# -- exports -------------------------------------------------------------------------------------


def test_an_export_checks_again_only_what_changed(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selection_module, "CHECK_CACHE_FROM", 1)
    install_samples(store.library)
    ids = store.library.ids()
    for article_id in ids[:3]:
        text = store.library.display(article_id).text
        start = text.index(" ", 200) + 1
        store.add_highlight(article_id, start, text.index(" ", start + 20))
    first = export_bytes(store, "w3c")[0]
    cache = store.workspace.cache_dir / selection_module.CHECK_CACHE_NAME
    assert sorted(orjson.loads(cache.read_bytes())["files"]) == ids[:3]
    again = export_bytes(store, "w3c")[0]  # from the cached checks
    assert orjson.loads(again)["first"]["items"] == orjson.loads(first)["first"]["items"]
    # Someone edits an article by hand: text goes in before the highlight. The next export
    # must re-anchor it (the cached check no longer applies) and export the new offsets.
    (before,) = select(store).highlights[ids[1]]
    article = store.library.get(ids[1])
    path = store.workspace.article_file(ids[1])
    path.write_text(
        path.read_text(encoding="utf-8").replace(article.body, "A new opening.\n\n" + article.body),
        encoding="utf-8",
    )
    (moved,) = select(store).highlights[ids[1]]
    assert moved.start == before.start + len("A new opening.\n\n")
    assert store.library.display(ids[1]).text[moved.start : moved.end] == moved.quote


def test_formats_without_text_get_the_same_article_metadata(store: AnnotationStore) -> None:
    install_samples(store.library)
    for article_id in store.library.ids():
        store.add_highlight(article_id, 0, 5)
    full, light = select(store), select(store, texts=False)
    assert light.highlights == full.highlights
    assert [dataclasses.replace(a, body="", extra={}) for a in full.articles] == light.articles
    assert all(a.body for a in full.articles)


def test_few_annotated_articles_keep_no_check_cache(store: AnnotationStore) -> None:
    install_samples(store.library)
    store.add_highlight(store.library.ids()[0], 0, 5)
    export_bytes(store, "w3c")
    assert not (store.workspace.cache_dir / selection_module.CHECK_CACHE_NAME).exists()


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-08T09:00:00Z",
        "0001-01-01T00:00:00Z",
        "2024-02-30T09:00:00Z",
        "2024-01-08T24:00:00Z",
        "2024-01-08T09:00:00+02:00",
        "2024-01-08T09:00:00.250Z",
        "2024-01-08",
        "２０２４-01-08T09:00:00Z",
        "yesterday",
        "",
    ],
)
def test_w3c_times_are_what_the_general_path_gives(value: str) -> None:
    try:
        general: str | None = parse_time(value).astimezone(dt.UTC).isoformat()
    except ValueError:
        general = None
    if general is not None:
        general = general.replace("+00:00", "Z")
    assert xsd_datetime(value) == general


@pytest.mark.parametrize(
    ("highlight_id", "iri"),
    [
        ("a1b2c3d4e5f6", "urn:reader:highlight:a1b2c3d4e5f6"),
        ("with space/ä", "urn:reader:highlight:with%20space%2F%C3%A4"),
    ],
)
def test_highlight_iris(highlight_id: str, iri: str) -> None:
    highlight = Highlight(id=highlight_id, article_id="a", start=0, end=1, quote="x")
    assert highlight_iri(highlight) == iri


# -- the article list --------------------------------------------------------------------------


class ListApp(App[None]):
    def __init__(self, rows: list[ArticleRow]) -> None:
        super().__init__()
        self.rows = rows
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        yield ArticleList(id="articles")

    def on_mount(self) -> None:
        articles = self.query_one(ArticleList)
        articles.set_rows(self.rows, None)
        articles.focus()

    def on_article_list_opened(self, event: ArticleList.Opened) -> None:
        self.opened.append(event.article_id)


def make_rows(n: int) -> list[ArticleRow]:
    return [
        ArticleRow(f"a{i:05d}", f"Title {i}", "" if i % 3 == 0 else "Site", "", i % 4, i % 2 == 0)
        for i in range(n)
    ]


async def test_keys_move_through_ten_thousand_rows_and_enter_opens() -> None:
    app = ListApp(make_rows(10_000))
    async with app.run_test(size=(40, 20)) as pilot:
        articles = app.query_one(ArticleList)
        assert articles.virtual_size.height == sum(1 if r.meta == "" else 2 for r in app.rows)
        await pilot.press("down", "down", "enter")
        assert app.opened == ["a00001"]
        await pilot.press("end", "enter")
        assert app.opened[-1] == "a09999"
        await pilot.press("down", "enter")  # wraps to the top, as OptionList did
        assert app.opened[-1] == "a00000"
        await pilot.press("pagedown", "pagedown")
        assert articles.highlighted is not None and 10 < articles.highlighted < 30
        await pilot.press("pageup", "pageup", "up", "enter")
        assert app.opened[-1] == "a09999"


async def test_click_opens_the_row_under_the_mouse() -> None:
    app = ListApp(make_rows(50))
    async with app.run_test(size=(40, 20)) as pilot:
        # Below the border: row 0 (one line, no meta), row 1 (two lines), then row 2's title.
        await pilot.click(ArticleList, offset=(5, 4))
        assert app.opened == ["a00002"]


async def test_rows_change_in_place_and_the_open_one_is_marked() -> None:
    app = ListApp(make_rows(30))
    async with app.run_test(size=(40, 20)) as pilot:
        articles = app.query_one(ArticleList)
        articles.set_current("a00004")
        articles.update_row("a00004", highlights=0, title="Renamed")
        articles.update_row("a00000", highlights=7)  # one line becomes two
        await pilot.pause()
        lines = [articles.render_line(y).text for y in range(articles.size.height)]
        shown = "\n".join(lines)
        assert "▶ Renamed" in shown and "✎ 7" in shown
        assert articles.highlighted == 4
        assert articles.virtual_size.height == sum(1 if r.meta == "" else 2 for r in articles.rows)


def test_the_list_cache_is_used_for_a_few_long_articles_but_not_a_few_short_ones(
    library: Library,
) -> None:
    library.save(Article(id="short", title="Short", body="A short article.\n"))
    assert library.summaries() == expected(library)
    assert not cache_file(library).exists()
    body = "A paragraph of a long read, repeated.\n\n" * (library_module.SUMMARY_CACHE_BYTES // 38)
    library.save(Article(id="long", title="Long", body=body))
    assert library.summaries() == expected(library)
    assert sorted(orjson.loads(cache_file(library).read_bytes())["files"]) == ["long", "short"]
