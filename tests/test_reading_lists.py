"""Reading-list exports (Pocket HTML and CSV, Instapaper CSV, Readwise CSV) and OPML feed lists,
each written here as the service writes it, pointing at pages and feeds served by the real test
server on 127.0.0.1, and imported from a folder through the one import the CLI and the app run.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotations.article_import import ArticleImport, import_articles
from annotations.store import AnnotationStore
from corpus.reading_lists import parse_reading_list, reading_list_kind, split_tags
from corpus.workspace import Workspace
from reader.cli import main
from tests.web_server import PAGES_DIR, TestServer

PAGES = {p["file"]: p for p in json.loads((PAGES_DIR / "expected.json").read_text("utf-8"))}
WORDPRESS, NEWSPAPER, AMP = "01-wordpress.html", "02-newspaper.html", "03-amp.html"


def pocket_html(server: TestServer, *, missing: bool = True) -> str:
    """Pocket's ril_export.html: an Unread list and a Read Archive list."""
    unread = [
        (server.page_url(WORDPRESS), "1690000000", "ai,strike"),
        (server.page_url(NEWSPAPER), "1690000100", ""),
    ]
    if missing:
        unread.append((server.url("/missing"), "1690000200", "gone"))
    archive = [(server.page_url(AMP), "1690000300", "health, pay")]

    def items(rows: list[tuple[str, str, str]]) -> str:
        return "".join(
            f'<li><a href="{url}" time_added="{added}" tags="{tags}">{url}</a></li>\n'
            for url, added, tags in rows
        )

    return (
        "<!DOCTYPE html>\n<html>\n<!--So long and thanks for all the fish-->\n<head>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        "<title>Pocket Export</title>\n</head>\n<body>\n"
        f"<h1>Unread</h1>\n<ul>\n{items(unread)}</ul>\n\n"
        f"<h1>Read Archive</h1>\n<ul>\n{items(archive)}</ul>\n</body>\n</html>\n"
    )


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def pocket_csv(server: TestServer) -> str:
    return csv_text(
        ["title", "url", "time_added", "tags", "status"],
        [
            ["Netflix job", server.page_url(WORDPRESS), "1690000000", "ai|strike", "unread"],
            ["Threshold", server.page_url(AMP), "1690000300", "", "archive"],
            ["Gone", server.url("/missing"), "1690000400", "", "unread"],
        ],
    )


def instapaper_csv(server: TestServer) -> str:
    return csv_text(
        ["URL", "Title", "Selection", "Folder", "Timestamp", "Tags"],
        [
            [server.page_url(WORDPRESS), "Netflix job", "", "Strike research", "1690000000", "[]"],
            [server.page_url(AMP), "Threshold", "", "Archive", "1690000300", '["health"]'],
            [server.page_url(NEWSPAPER), "Studios", "", "Unread", "1690000500", "[]"],
        ],
    )


READWISE_EXPORT = [
    "Highlight",
    "Book Title",
    "Book Author",
    "Amazon Book ID",
    "Note",
    "Color",
    "Tags",
    "Location Type",
    "Location",
    "Highlighted at",
    "Document tags",
]
QUOTE_1 = PAGES[WORDPRESS]["body_must_contain"][0]
QUOTE_2 = PAGES[WORDPRESS]["body_must_contain"][3].replace("’", "'")  # pasted with straight '
NOT_THERE = "A sentence that this page never says, anywhere at all."


def readwise_csv(server: TestServer) -> str:
    """Readwise's CSV layout for importing highlights (it has a URL column)."""
    return csv_text(
        ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date", "Tags"],
        [
            [
                QUOTE_1,
                "Netflix job",
                "M. F.",
                server.page_url(WORDPRESS),
                "first",
                "",
                "",
                "unions",
            ],
            [QUOTE_2, "Netflix job", "M. F.", server.page_url(WORDPRESS), "", "", "", ""],
            [NOT_THERE, "Netflix job", "M. F.", server.page_url(WORDPRESS), "", "", "", ""],
            [QUOTE_1, "Gone", "", server.url("/missing"), "", "", "", ""],
        ],
    )


def run(store: AnnotationStore, *sources: Path | str) -> list[ArticleImport]:
    return list(import_articles(store, [str(s) for s in sources]))


def by_url(done: list[ArticleImport], url: str) -> ArticleImport:
    (found,) = [d for d in done if d.source == url]
    return found


def test_pocket_html_export_in_a_folder(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "ril_export.html").write_text(pocket_html(web_server), "utf-8")
    done = run(store, folder)
    assert len(done) == 4
    missing = by_url(done, web_server.url("/missing"))
    assert missing.failed and "HTTP 404" in str(missing.error) and "\n" not in str(missing.error)
    first = by_url(done, web_server.page_url(WORDPRESS))
    assert first.status == "imported" and first.article is not None
    assert first.article.title == PAGES[WORDPRESS]["title"]
    assert "tags from Pocket: ai, strike" in first.line()
    assert store.state(first.article.id).memo == "Tags from Pocket: ai, strike"
    assert {"ai", "strike", "health", "pay"} <= store.tag_names()
    assert "gone" not in store.tag_names()  # its page was never imported
    untagged = by_url(done, web_server.page_url(NEWSPAPER))
    assert untagged.article is not None and store.state(untagged.article.id).memo == ""
    archived = by_url(done, web_server.page_url(AMP))
    assert archived.article is not None and store.state(archived.article.id).archived
    assert not store.state(first.article.id).archived
    # The same export again: every article unchanged, nothing added twice.
    again = run(store, folder)
    assert [d.status for d in again if not d.failed] == ["unchanged"] * 3
    assert store.state(first.article.id).memo == "Tags from Pocket: ai, strike"
    assert len(store.library.ids()) == 3


def test_pocket_csv_export(tmp_path: Path, store: AnnotationStore, web_server: TestServer) -> None:
    path = tmp_path / "part_000000.csv"
    path.write_text(pocket_csv(web_server), "utf-8")
    done = run(store, path)
    first = by_url(done, web_server.page_url(WORDPRESS))
    assert first.article is not None
    assert store.state(first.article.id).memo == "Tags from Pocket: ai, strike"
    archived = by_url(done, web_server.page_url(AMP))
    assert archived.article is not None and store.state(archived.article.id).archived
    assert by_url(done, web_server.url("/missing")).failed


def test_instapaper_csv_folders_become_tags_and_archive_a_state(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "instapaper-export.csv"
    path.write_text(instapaper_csv(web_server), "utf-8")
    done = run(store, path)
    assert not any(d.failed for d in done)
    research = by_url(done, web_server.page_url(WORDPRESS)).article
    archived = by_url(done, web_server.page_url(AMP)).article
    unread = by_url(done, web_server.page_url(NEWSPAPER)).article
    assert research is not None and archived is not None and unread is not None
    assert store.state(research.id).memo == "Tags from Instapaper: Strike research"
    assert store.state(archived.id).memo == "Tags from Instapaper: health"
    assert store.state(archived.id).archived and not store.state(unread.id).archived
    assert store.state(unread.id).memo == ""
    assert "Strike research" in store.tag_names() and "Unread" not in store.tag_names()


def test_readwise_highlights_are_placed_by_quote(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "readwise.csv"
    path.write_text(readwise_csv(web_server), "utf-8")
    done, gone = run(store, path)
    lost = "its 1 Readwise highlight(s) not imported"
    assert gone.error == f"{web_server.url('/missing')}: HTTP 404 Not Found; {lost}"
    assert done.article is not None and not done.failed
    assert "2 highlights from Readwise placed, 1 not found, quoted in the memo" in done.line()
    text = store.library.display(done.article.id).text
    highlights = sorted(store.highlights(done.article.id), key=lambda h: h.start)
    assert [h.quote for h in highlights] == [
        QUOTE_1,
        PAGES[WORDPRESS]["body_must_contain"][3],  # found with its curly apostrophes
    ]
    assert all(text[h.start : h.end] == h.quote for h in highlights)
    assert highlights[0].note == "first" and highlights[0].tags == ["unions"]
    assert f"Readwise highlight not found: “{NOT_THERE}”" in store.state(done.article.id).memo
    # Again: no highlight twice, nothing more in the memo.
    memo = store.state(done.article.id).memo
    again, _ = run(store, path)
    assert again.status == "unchanged"
    assert len(store.highlights(done.article.id)) == 2
    assert store.state(done.article.id).memo == memo


def test_readwise_export_without_urls_matches_articles_by_title(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    (page,) = run(store, web_server.page_url(WORDPRESS))
    assert page.article is not None
    path = tmp_path / "readwise-data.csv"
    title = PAGES[WORDPRESS]["title"]
    path.write_text(
        csv_text(
            READWISE_EXPORT,
            [
                [QUOTE_1, title, "", "", "", "yellow", "", "", "", "2023-08-01", "strike"],
                [QUOTE_1, "A book we never imported", "", "", "", "", "", "", "", "", ""],
            ],
        ),
        "utf-8",
    )
    held, unknown = run(store, path)
    assert held.status == "unchanged" and held.article is not None
    assert held.article.id == page.article.id
    assert [h.quote for h in store.highlights(page.article.id)] == [QUOTE_1]
    assert store.state(page.article.id).memo == "Tags from Readwise: strike"
    assert unknown.failed and "A book we never imported" in str(unknown.error)
    assert "no URL" in str(unknown.error)


def opml(server: TestServer) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n'
        "<head><title>My subscriptions</title></head>\n<body>\n"
        '<outline text="Labour" title="Labour">\n'
        f'  <outline type="rss" text="The Strike Desk" xmlUrl="{server.url("/feeds/rss.xml")}"/>\n'
        '  <outline text="Media" title="Media">\n'
        f'    <outline type="rss" text="Watch" xmlUrl="{server.url("/feeds/atom.xml")}"/>\n'
        "  </outline>\n</outline>\n"
        f'<outline type="rss" text="Gone" xmlUrl="{server.url("/missing")}"/>\n'
        "</body>\n</opml>\n"
    )


def test_opml_feeds_are_imported_as_feeds_with_their_folder_as_tag(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "subscriptions.opml"
    path.write_text(opml(web_server), "utf-8")
    done = run(store, path)
    failed = [d for d in done if d.failed]
    assert len(failed) == 1 and web_server.url("/missing") in str(failed[0].error)
    articles = [d.article for d in done if d.article is not None]
    assert len(articles) == 7  # 4 entries in the RSS feed, 3 in the Atom feed
    memos = {store.state(a.id).memo for a in articles}
    assert memos == {"Tags from OPML: Labour", "Tags from OPML: Labour/Media"}
    assert {"Labour", "Labour/Media"} <= store.tag_names()


def test_opml_saved_as_xml_is_recognised(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "feeds.xml"
    path.write_text(opml(web_server), "utf-8")
    done = run(store, path)
    assert sum(d.article is not None for d in done) == 7


def test_a_csv_that_is_no_export_is_one_line_and_changes_nothing(
    tmp_path: Path, ws: Workspace
) -> None:
    path = tmp_path / "budget.csv"
    path.write_text("item,amount\nrent,1200\n", "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "import", str(path)])
    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert str(path) in line and "not a Pocket, Instapaper or Readwise CSV export" in line
    assert "item,amount" in line
    assert not list(ws.articles_dir.glob("*.md"))


def test_cli_imports_a_pocket_export_one_line_per_link(
    tmp_path: Path, ws: Workspace, web_server: TestServer
) -> None:
    path = tmp_path / "ril_export.html"
    path.write_text(pocket_html(web_server), "utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "import", str(path)])
    assert result.exit_code == 1  # one link failed
    assert result.stdout.count("imported ") == 3
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert error.startswith("Error: " + web_server.url("/missing"))


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("title,url,time_added,tags,status", "pocket-csv"),
        ("URL,Title,Selection,Folder,Timestamp", "instapaper-csv"),
        ("URL,Title,Selection,Folder,Timestamp,Tags", "instapaper-csv"),
        (",".join(READWISE_EXPORT), "readwise-csv"),
        ("Highlight,Title,Author,URL,Note,Location,Date", "readwise-csv"),
        ("\ufeffHighlight,Book Title,Book Author", "readwise-csv"),
        ("item,amount", None),
        ("", None),
    ],
)
def test_csv_kind_by_header(header: str, kind: str | None) -> None:
    assert reading_list_kind(f"{header}\n".encode(), ".csv") == kind


def test_pocket_html_is_told_from_a_page_by_content() -> None:
    page = (PAGES_DIR / WORDPRESS).read_bytes()
    assert reading_list_kind(page, ".html") is None
    export = b"<html><head><title>Pocket Export</title></head><body><ul></ul></body></html>"
    assert reading_list_kind(export, ".html") == "pocket-html"


def test_an_empty_export_is_one_line() -> None:
    from corpus.importers import ImportFailed

    export = b"<html><head><title>Pocket Export</title></head><body><ul></ul></body></html>"
    with pytest.raises(ImportFailed, match=r"^x\.html: a Pocket export with no link to import$"):
        parse_reading_list(export, "x.html", "pocket-html")


_TAG = (
    st.text(
        st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=",|[]"), min_size=1
    )
    .map(str.strip)
    .filter(bool)
)


@given(st.lists(_TAG, max_size=6, unique=True), st.sampled_from([",", "|"]))
def test_split_tags_round_trip(tags: list[str], separator: str) -> None:
    assert split_tags(separator.join(tags), separator) == tuple(tags)
    assert split_tags(f" {separator} ".join(tags), separator) == tuple(tags)


def test_progress_counts_a_reading_list_as_its_links(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    from corpus.sources import count_items

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "a-page.html").write_bytes((PAGES_DIR / NEWSPAPER).read_bytes())
    (folder / "ril_export.html").write_text(pocket_html(web_server), "utf-8")
    assert count_items([str(folder)]) == 5  # the page and the export's 4 links
    seen: list[tuple[int, int]] = []
    list(import_articles(store, [str(folder)], on_item=lambda d, t: seen.append((d, t))))
    assert seen[-1] == (5, 5)
    assert [done for done, _ in seen] == sorted({done for done, _ in seen})
    assert all(total == 5 for done, total in seen if done > 1)


def test_a_link_that_is_not_http_is_one_line_and_the_rest_import(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "ril_export.html"
    export = pocket_html(web_server, missing=False).replace(
        "<ul>\n", '<ul>\n<li><a href="javascript:alert(1)" time_added="1">x</a></li>\n', 1
    )
    path.write_text(export, "utf-8")
    done = run(store, path)
    (bad,) = [d for d in done if d.failed]
    assert bad.error == "javascript:alert(1): not an http or https URL; skipped"
    assert sum(d.status == "imported" for d in done) == 3


def test_a_cp1252_instapaper_export_and_bad_tag_names(
    tmp_path: Path, store: AnnotationStore, web_server: TestServer
) -> None:
    path = tmp_path / "instapaper.csv"
    text = csv_text(
        ["URL", "Title", "Selection", "Folder", "Timestamp", "Tags"],
        [[web_server.page_url(WORDPRESS), "Café", "", "Résumés", "1", '["ok", "bad\x07tag"]']],
    )
    path.write_bytes(text.encode("cp1252"))
    (done,) = run(store, path)
    assert done.article is not None and not done.failed
    assert store.state(done.article.id).memo == "Tags from Instapaper: Résumés, ok"
    assert "bad\x07tag" not in store.tag_names()


def test_an_opml_that_is_not_xml_is_one_line(tmp_path: Path, store: AnnotationStore) -> None:
    path = tmp_path / "feeds.opml"
    path.write_text("<opml><body><outline xmlUrl='http://x'></body>", "utf-8")
    (done,) = run(store, path)
    assert done.failed and str(done.error).startswith(f"{path}: not a readable OPML list")
    assert store.library.ids() == []
