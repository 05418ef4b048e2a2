"""The web fixtures are sound on their own, before any importer reads them.

Every expected body sentence is in its page's article body; every furniture string is on the
page but outside the article body, so an importer test that it is absent means something. The
feeds parse, the text files are in the encodings they claim, and the test server answers each
route as documented in ``tests/web_server.py``.
"""

from __future__ import annotations

import json
import re
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import lxml.html
import pytest

from tests.web_server import (
    ENCODING_PAGES,
    FEEDS_DIR,
    HUGE_SIZE,
    PAGE_NAMES,
    PAGES_DIR,
    PLAIN_TEXT_FILE,
    REDIRECT_TARGET,
    TEXT_DIR,
    TestServer,
)

PAGES: list[dict[str, Any]] = json.loads((PAGES_DIR / "expected.json").read_text("utf-8"))
TEXTS: list[dict[str, Any]] = json.loads((TEXT_DIR / "expected.json").read_text("utf-8"))
FEEDS: list[dict[str, Any]] = json.loads((FEEDS_DIR / "expected.json").read_text("utf-8"))
EXPECTED_BY_PAGE = {entry["file"]: entry for entry in PAGES}

# Where each page keeps its article body. Inline clutter inside it (figures, asides, ads, share
# bars, related links, newsletter boxes) is removed by clean_body() before comparing.
BODY_XPATH = {
    "01-wordpress.html": "//div[contains(@class, 'entry-content')]",
    "02-newspaper.html": "//section[@name='articleBody']",
    "03-amp.html": "//div[@class='pd-body']",
    "04-blog-sidebar.html": "//div[contains(@class, 'post-body')]",
    "05-wire-service.html": "//div[contains(@class, 'RichTextStoryBody')]",
    "06-magazine-longread.html": "//div[@id='article-body']",
    "07-local-news.html": "//div[@id='article-body']",
    "08-paragraph-divs.html": "//div[@data-testid='article-body']",
}
_INLINE_CLUTTER_CLASS = re.compile(
    r"(?<![a-z0-9])(?:ads?|adslot|(?:advert|share|related|newsletter|caption|credit|pullquote)"
    r"[a-z]*)(?![a-z0-9])"
)
_INLINE_CLUTTER_TAGS = {"figure", "aside", "script", "style", "form", "noscript", "template"}
_SPACES = re.compile(r"\s+")
_FURNITURE_EVERYWHERE = ("Leave a Comment", "Share this", "Advertisement")


def norm(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse(name: str) -> Any:
    return lxml.html.fromstring((PAGES_DIR / name).read_bytes())


def page_text(name: str) -> str:
    """All the text a reader could see on the page (no scripts or style sheets)."""
    doc = parse(name)
    for element in doc.xpath("//script | //style"):
        element.drop_tree()
    return norm(doc.text_content())


def body_node(doc: Any, name: str) -> Any:
    (node,) = doc.xpath(BODY_XPATH[name])
    return node


def clean_body_node(name: str) -> Any:
    """The article body's element, its inline clutter removed."""
    node = body_node(parse(name), name)
    for element in list(node.iter()):
        if element is node or not isinstance(element.tag, str):
            continue
        classes = (element.get("class") or "").lower()
        if element.tag in _INLINE_CLUTTER_TAGS or _INLINE_CLUTTER_CLASS.search(classes):
            element.drop_tree()
    return node


def clean_body(name: str) -> str:
    """The article body's text without its inline clutter."""
    return norm(clean_body_node(name).text_content())


def json_ld_objects(doc: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object on a page, @graph and top-level lists flattened."""
    found: list[dict[str, Any]] = []
    for script in doc.xpath("//script[@type='application/ld+json']"):
        data = json.loads(script.text)
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            found.append(item)
            found.extend(item.get("@graph", []))
    return found


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item["name"] if isinstance(item, dict) else item for item in items]


# --- pages -------------------------------------------------------------------------------------


def test_expected_covers_every_page() -> None:
    assert len(PAGE_NAMES) == 8
    assert sorted(EXPECTED_BY_PAGE) == list(PAGE_NAMES) == sorted(BODY_XPATH)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_parses_with_a_title_and_one_body(name: str) -> None:
    doc = parse(name)
    assert doc.tag == "html"
    assert doc.find(".//head/title") is not None
    assert len(doc.xpath(BODY_XPATH[name])) == 1


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_body_sentences_are_in_the_article_body(name: str) -> None:
    expected = EXPECTED_BY_PAGE[name]["body_must_contain"]
    assert len(expected) == 5
    text, body = page_text(name), clean_body(name)
    for sentence in expected:
        assert sentence in text
        assert sentence in body


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_furniture_is_on_the_page_but_not_in_the_body(name: str) -> None:
    furniture = EXPECTED_BY_PAGE[name]["furniture_must_not_contain"]
    assert len(furniture) >= 8
    assert set(_FURNITURE_EVERYWHERE) <= set(furniture)
    assert any(item.startswith("Photo by ") and "Getty Images" in item for item in furniture)
    text, body = page_text(name), clean_body(name)
    for item in furniture:
        assert item in text
        assert item not in body


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_body_is_400_to_1200_words_with_rich_markup(name: str) -> None:
    node = clean_body_node(name)
    body = norm(node.text_content())
    assert 400 <= len(body.split()) <= 1200
    assert re.search(r"[’“”—]", body), "typographic quotes or dashes"
    assert any(ch.isalpha() and not ch.isascii() for ch in body), "an accented name"
    for query in ("h2", "ul/li", "blockquote", "a[@href]"):
        assert node.xpath(f".//{query}"), query
    assert node.xpath(".//strong | .//b") and node.xpath(".//em | .//i")
    for href in node.xpath(".//a/@href"):
        host = urlsplit(href).hostname or ""
        assert host.endswith(("example.org", "example.com")), href


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_metadata_agrees_with_expected(name: str) -> None:
    expected = EXPECTED_BY_PAGE[name]
    doc = parse(name)
    headings = {norm(h.text_content()) for h in doc.xpath("//h1 | //h2 | //h3")}
    assert expected["title"] in headings
    assert expected["title"] in doc.findtext(".//head/title")
    assert expected["author"] in page_text(name)
    assert re.fullmatch(r"2023-\d\d-\d\d", expected["published"])
    dates = doc.xpath("//time/@datetime | //abbr/@title | //meta[@property]/@content")
    assert any(value.startswith(expected["published"]) for value in dates)

    canonical = doc.xpath("//link[@rel='canonical']/@href")
    og_url = doc.xpath("//meta[@property='og:url']/@content")
    assert canonical == ([expected["url"]] if canonical else [])
    assert og_url == ([expected["url"]] if og_url else [])
    if expected["url"] is None:
        assert not canonical and not og_url and not json_ld_objects(doc)
    for og_title in doc.xpath("//meta[@property='og:title']/@content"):
        assert og_title == expected["title"]
    for author in doc.xpath("//meta[@name='author']/@content"):
        assert author == expected["author"]
    for site in doc.xpath("//meta[@property='og:site_name']/@content"):
        assert site == expected["site"]


@pytest.mark.parametrize("name", [name for name in PAGE_NAMES if json_ld_objects(parse(name))])
def test_json_ld_news_article(name: str) -> None:
    expected = EXPECTED_BY_PAGE[name]
    objects = json_ld_objects(parse(name))
    by_id = {item["@id"]: item for item in objects if "@id" in item}
    (article,) = [item for item in objects if item.get("@type") == "NewsArticle"]
    assert article["headline"] == expected["title"]
    assert _names(article["author"]) == [expected["author"]]
    assert article["datePublished"].startswith(expected["published"])
    publisher = article["publisher"]
    publisher = by_id.get(publisher.get("@id"), publisher)
    assert publisher["name"] == expected["site"]
    main = article["mainEntityOfPage"]
    assert (main if isinstance(main, str) else main["@id"]) == expected["url"]
    assert article.get("url", expected["url"]) == expected["url"]


def test_most_pages_have_json_ld_and_some_have_each_meta_tag() -> None:
    docs = [parse(name) for name in PAGE_NAMES]
    assert sum(bool(json_ld_objects(doc)) for doc in docs) >= 6
    for query in (
        "//link[@rel='canonical']",
        "//meta[@property='og:title']",
        "//meta[@name='author']",
    ):
        assert 2 <= sum(bool(doc.xpath(query)) for doc in docs) < len(docs), query


# --- plain text --------------------------------------------------------------------------------


def test_text_expected_covers_every_file() -> None:
    assert sorted(entry["file"] for entry in TEXTS) == sorted(
        p.name for p in TEXT_DIR.glob("*.txt")
    )


@pytest.mark.parametrize("entry", TEXTS, ids=lambda entry: entry["file"])
def test_text_file_encoding_title_body_and_furniture(entry: dict[str, Any]) -> None:
    data = (TEXT_DIR / entry["file"]).read_bytes()
    if entry["encoding"] == "utf-16":
        assert data.startswith(b"\xff\xfe")
    if entry["encoding"] == "cp1252":
        assert b"\x93" in data and b"\x94" in data and b"\x97" in data
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    text = data.decode(entry["encoding"])
    lines = [line.strip() for line in text.splitlines()]
    assert lines[0] == entry["title"]
    assert entry["author"] in text
    body_lines = [line for line in lines if any(s in line for s in entry["body_must_contain"])]
    for sentence in entry["body_must_contain"]:
        assert sentence in norm(text)
    assert len(entry["furniture_must_not_contain"]) >= 8
    for item in entry["furniture_must_not_contain"]:
        assert item in text
        assert not any(item in line for line in body_lines), item


# --- feeds -------------------------------------------------------------------------------------


def _check_feed(parsed: Any, feed: dict[str, Any], base: str) -> None:
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if feed["format"] == "rss" else "atom10")
    assert parsed.feed.title == feed["title"]
    assert len(parsed.entries) == len(feed["entries"])
    for entry, expected in zip(parsed.entries, feed["entries"], strict=True):
        assert entry.title == expected["title"]
        assert entry.author == expected["author"]
        assert time.strftime("%Y-%m-%d", entry.published_parsed) == expected["published"]
        assert entry.link == expected["link"].replace("http://SERVER", base)
        if expected["full_content"]:
            content = norm(lxml.html.fromstring(entry.content[0].value).text_content())
            for sentence in expected["body_must_contain"]:
                assert sentence in content
        else:
            assert "content" not in entry
            assert entry.summary
            assert EXPECTED_BY_PAGE[expected["page"]]["title"] == expected["title"]
            assert entry.link.endswith(f"/pages/{expected['page']}")


@pytest.mark.parametrize("feed", FEEDS, ids=lambda feed: feed["file"])
def test_feed_file_parses(feed: dict[str, Any]) -> None:
    parsed = feedparser.parse((FEEDS_DIR / feed["file"]).read_bytes())
    _check_feed(parsed, feed, "http://SERVER")
    assert sum(e["full_content"] for e in feed["entries"]) == (2 if feed["format"] == "rss" else 1)


# --- the test server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls() -> ssl.SSLContext:
    """One TLS context for the module's clients: each new one loads the trusted roots (~40 ms)."""
    return httpx.create_ssl_context(trust_env=False)  # as the clients: no SSL_CERT_* either


@pytest.fixture
def client(tls: ssl.SSLContext) -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0, trust_env=False, verify=tls) as opened:
        yield opened


def test_server_binds_only_loopback(web_server: TestServer) -> None:
    assert web_server.address[0] == "127.0.0.1"
    assert web_server.base_url == f"http://127.0.0.1:{web_server.address[1]}"
    assert (
        web_server.url("missing") == web_server.url("/missing") == web_server.base_url + "/missing"
    )


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_server_serves_pages(web_server: TestServer, client: httpx.Client, name: str) -> None:
    response = client.get(web_server.page_url(name))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == (PAGES_DIR / name).read_bytes()


@pytest.mark.parametrize("feed", FEEDS, ids=lambda feed: feed["file"])
def test_server_serves_feeds_with_its_own_links(
    web_server: TestServer, client: httpx.Client, feed: dict[str, Any]
) -> None:
    response = client.get(web_server.url(f"/feeds/{feed['file']}"))
    assert response.status_code == 200
    kind = "application/rss+xml" if feed["format"] == "rss" else "application/atom+xml"
    assert response.headers["content-type"].startswith(kind)
    assert b"http://SERVER" not in response.content
    _check_feed(feedparser.parse(response.content), feed, web_server.base_url)
    for entry in feed["entries"]:
        if entry["page"]:
            linked = client.get(entry["link"].replace("http://SERVER", web_server.base_url))
            assert linked.status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/", 200, "text/html; charset=utf-8"),
        ("/missing", 404, "text/html; charset=utf-8"),
        ("/no/such/path", 404, "text/html; charset=utf-8"),
        ("/pages/not-a-fixture.html", 404, "text/html; charset=utf-8"),
        ("/redirect/0", 404, "text/html; charset=utf-8"),
        ("/error", 500, "text/html; charset=utf-8"),
        ("/image.png", 200, "image/png"),
        ("/plain.txt", 200, "text/plain; charset=utf-8"),
        ("/latin1", 200, "text/html; charset=iso-8859-1"),
        ("/wrong-charset", 200, "text/html; charset=iso-8859-1"),
        ("/no-charset", 200, "text/html"),
    ],
)
def test_server_route_status_and_type(
    web_server: TestServer, client: httpx.Client, path: str, status: int, content_type: str
) -> None:
    response = client.get(web_server.url(path))
    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert response.content
    assert response.headers["connection"] == "close"


def test_server_small_bodies(web_server: TestServer, client: httpx.Client) -> None:
    assert client.get(web_server.url("/image.png")).content.startswith(b"\x89PNG\r\n\x1a\n")
    empty = client.get(web_server.url("/empty"))
    assert (empty.status_code, empty.headers["content-type"], empty.content) == (
        200,
        "text/html; charset=utf-8",
        b"",
    )
    plain = client.get(web_server.url("/plain.txt"))
    assert plain.content == (TEXT_DIR / PLAIN_TEXT_FILE).read_bytes()
    for name in (p.name for p in TEXT_DIR.glob("*.txt")):
        raw = client.get(web_server.url(f"/text/{name}"))
        assert raw.headers["content-type"] == "text/plain"
        assert raw.content == (TEXT_DIR / name).read_bytes()
    head = client.head(web_server.page_url(PAGE_NAMES[1]))
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == (PAGES_DIR / PAGE_NAMES[1]).stat().st_size


@pytest.mark.parametrize("path", sorted(ENCODING_PAGES))
def test_server_encoding_pages(web_server: TestServer, client: httpx.Client, path: str) -> None:
    spec = ENCODING_PAGES[path]
    body = client.get(web_server.url(path)).content
    assert spec["sentence"] in body.decode(spec["charset"])
    if spec["charset"] == "iso-8859-1":
        assert b"charset" not in body.lower()
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        assert all(ch in body.decode("iso-8859-1") for ch in "éü«»")
    else:
        assert b'<meta charset="utf-8">' in body
        assert "“" in body.decode("utf-8")


def test_server_redirect_chain(web_server: TestServer, client: httpx.Client) -> None:
    first = client.get(web_server.url("/redirect/3"))
    assert first.status_code == 301
    assert first.headers["location"] == web_server.url("/redirect/2")
    final = client.get(web_server.url("/redirect/3"), follow_redirects=True)
    assert final.status_code == 200
    assert final.url.path == REDIRECT_TARGET
    assert [r.status_code for r in final.history] == [301, 301, 301]


def test_server_redirect_loop(web_server: TestServer, client: httpx.Client) -> None:
    response = client.get(web_server.url("/redirect-loop"))
    assert response.status_code == 302
    assert response.headers["location"] == web_server.url("/redirect-loop")
    with pytest.raises(httpx.TooManyRedirects):
        client.get(web_server.url("/redirect-loop"), follow_redirects=True)


def test_server_slow_times_out(web_server: TestServer) -> None:
    started = time.monotonic()
    with pytest.raises(httpx.TimeoutException):
        httpx.get(web_server.url("/slow"), timeout=0.5, trust_env=False)
    assert time.monotonic() - started < 2


def _wait_for(condition: Any, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.parametrize("path", ["/huge", "/huge-no-length", "/huge-chunked"])
def test_server_huge_streams_and_stops_when_the_client_leaves(
    web_server: TestServer, client: httpx.Client, path: str
) -> None:
    received = 0
    with client.stream("GET", web_server.url(path)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert response.headers.get("content-length") == (
            str(HUGE_SIZE) if path == "/huge" else None
        )
        chunked = response.headers.get("transfer-encoding") == "chunked"
        assert chunked == (path == "/huge-chunked")
        for chunk in response.iter_raw():
            if received == 0:
                assert chunk.startswith(b"<!DOCTYPE html>")
            received += len(chunk)
            if received >= 1024 * 1024:
                break
    assert received >= 1024 * 1024
    assert _wait_for(lambda: path in web_server.aborted), web_server.aborted


def test_shutdown_wakes_a_slow_handler_and_closes_the_socket() -> None:
    outcome: list[BaseException | httpx.Response] = []
    server = TestServer().start()
    url = server.url("/slow")

    def fetch() -> None:
        try:
            outcome.append(httpx.get(url, timeout=10, trust_env=False))
        except httpx.HTTPError as error:
            outcome.append(error)

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    assert _wait_for(lambda: ("GET", "/slow") in server.requests)
    started = time.monotonic()
    server.stop()
    thread.join(timeout=3)
    assert time.monotonic() - started < 1.5
    assert not thread.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], httpx.HTTPError)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=1, trust_env=False)
