"""Which import is the article we hold, a new version of it, or another article (findings R-D1).

An import only rewrites an article when it comes from the same source (the same file or the
same fetched URL) and is a real revision; a feed's summary, another page that names the same
canonical URL, or the same URL from somewhere else never replaces an article's text. Text that
is replaced is backed up first, and ``reader doctor --restore`` puts it back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.article_backups import KEEP, article_backups, back_up_article
from corpus.identity import Likeness, shared_wording
from corpus.workspace import Workspace
from reader.cli import main
from tests.web_server import SHARED_CANONICAL, TestServer

CANONICAL = "https://blog.example/posts/scaling-db"
PARAGRAPHS = [
    "Our database started as a single Postgres instance on a small virtual machine. For two "
    "years that was enough, and nobody on the team thought much about it.",
    "Then traffic grew by a factor of thirty in one quarter. Queries that used to take a few "
    "milliseconds began to take seconds, and the on-call rotation became miserable.",
    "We added read replicas first, then moved the heaviest reports to a separate analytics "
    "store, and finally split the largest tables by customer. The result was a tenfold drop in "
    "p99 latency.",
    "None of this was new or clever. The lesson was to measure first and change one thing at a "
    "time, so that every step could be undone if it made things worse.",
]
FEED = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Blog</title><link>https://blog.example/</link>
<description>Posts</description>
<item><title>How we scaled our database</title><link>{CANONICAL}</link><guid>{CANONICAL}</guid>
<description>Our database started as a single Postgres instance...</description></item>
<item><title>Another post</title><link>https://blog.example/posts/another</link>
<description>Another short summary.</description></item>
</channel></rss>
"""


def page(title: str, paragraphs: list[str], canonical: str = CANONICAL) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{canonical}"></head><body><article><h1>{title}</h1>\n'
        f"{body}</article></body></html>\n"
    )


def reader(ws: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(ws), *args])


def article_text(ws: Path, article_id: str) -> str:
    return (ws / "articles" / f"{article_id}.md").read_text(encoding="utf-8")


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "post1.html"
    path.write_text(page("How we scaled our database", PARAGRAPHS), encoding="utf-8")
    return path


def imported_id(result: Result) -> str:
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("imported ")]
    return line.split()[1].rstrip(":")


def test_a_feed_summary_after_the_full_page_keeps_the_page(tmp_path: Path, post: Path) -> None:
    ws = tmp_path / "ws"
    article_id = imported_id(reader(ws, "import", str(post)))
    noted = reader(ws, "annotate", article_id, "--quote", "tenfold drop in p99 latency")
    assert noted.exit_code == 0, noted.output
    before = article_text(ws, article_id)
    feed = tmp_path / "blogfeed.xml"
    feed.write_text(FEED, encoding="utf-8")

    result = reader(ws, "import", str(feed))

    assert result.exit_code == 0, result.output
    kept, other = result.stdout.splitlines()
    assert kept.startswith(f"kept {article_id}: How we scaled our database (")
    assert "shorter" in kept
    assert other.startswith("imported another-post: Another post")
    assert article_text(ws, article_id) == before
    (highlight,) = AnnotationStore(Workspace(ws)).highlights(article_id)
    assert not highlight.orphaned and highlight.quote == "tenfold drop in p99 latency"


def test_two_pages_with_one_canonical_url_are_two_articles(
    tmp_path: Path, web_server: TestServer
) -> None:
    ws = tmp_path / "ws"
    first = reader(ws, "import", web_server.url("/same-canonical/1"))
    first_id = imported_id(first)
    before = article_text(ws, first_id)
    assert f'url: "{SHARED_CANONICAL}"' in before

    second = reader(ws, "import", web_server.url("/same-canonical/2"))

    assert second.exit_code == 0, second.output
    second_id = imported_id(second)
    assert second_id != first_id
    assert article_text(ws, first_id) == before
    assert "library opening hours" in article_text(ws, second_id)
    assert len(list((ws / "articles").glob("*.md"))) == 2


def test_the_same_url_from_another_source_never_replaces_the_article(
    tmp_path: Path, post: Path
) -> None:
    ws = tmp_path / "ws"
    article_id = imported_id(reader(ws, "import", str(post)))
    before = article_text(ws, article_id)
    # A saved copy of the page, elsewhere, that lost its last two paragraphs: the same
    # article, shorter than the one we hold. Kept as it is; nothing new.
    saved = tmp_path / "saved" / "scaling.html"
    saved.parent.mkdir()
    saved.write_text(page("How we scaled our database", PARAGRAPHS[:2]), encoding="utf-8")
    shorter = reader(ws, "import", str(saved))
    assert shorter.exit_code == 0, shorter.output
    assert shorter.stdout.startswith(f"kept {article_id}: ")
    # Another page naming the same URL, with other text: an article of its own.
    other = tmp_path / "saved" / "other.html"
    other.write_text(
        page("Why we moved to the cloud", ["A different story altogether, about servers."] * 3),
        encoding="utf-8",
    )
    different = reader(ws, "import", str(other))
    assert different.exit_code == 0, different.output
    assert imported_id(different) != article_id
    assert article_text(ws, article_id) == before
    assert len(list((ws / "articles").glob("*.md"))) == 2


def test_the_same_file_giving_a_much_shorter_text_is_kept(tmp_path: Path, post: Path) -> None:
    ws = tmp_path / "ws"
    article_id = imported_id(reader(ws, "import", str(post)))
    before = article_text(ws, article_id)
    post.write_text(page("How we scaled our database", ["Subscribe to read on."]), "utf-8")
    result = reader(ws, "import", str(post))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"kept {article_id}: ")
    assert article_text(ws, article_id) == before


def test_a_real_revision_of_the_same_file_updates_and_backs_up_the_old_text(
    tmp_path: Path, post: Path
) -> None:
    ws = tmp_path / "ws"
    article_id = imported_id(reader(ws, "import", str(post)))
    old = article_text(ws, article_id)
    store = AnnotationStore(Workspace(ws))
    text = store.library.display(article_id).text
    start = text.index("tenfold drop")
    highlight = store.add_highlight(article_id, start, start + len("tenfold drop"))
    revised = [PARAGRAPHS[0], "An editor's note, added later.", *PARAGRAPHS[1:]]
    post.write_text(page("How we scaled our database", revised), encoding="utf-8")

    updated = reader(ws, "import", str(post))

    assert updated.exit_code == 0, updated.output
    assert updated.stdout.startswith(f"updated {article_id}: How we scaled our database")
    assert "editor's note" in article_text(ws, article_id)
    (backup,) = (ws / "backups" / "articles").glob(f"{article_id}-*.md")
    assert backup.read_text(encoding="utf-8") == old

    listed = reader(ws, "doctor", "--backups")
    assert listed.exit_code == 0 and backup.name in listed.stdout

    restored = reader(ws, "doctor", "--restore", article_id)

    assert restored.exit_code == 0, restored.output
    assert article_text(ws, article_id) == old
    assert "restored" in restored.stdout and backup.name in restored.stdout
    # The text restored over was backed up first, so the restore can be undone the same way.
    backups = sorted((ws / "backups" / "articles").glob(f"{article_id}-*.md"))
    assert len(backups) == 2 and "editor's note" in backups[-1].read_text(encoding="utf-8")
    # The highlight is back on its words in the restored text.
    (moved,) = AnnotationStore(Workspace(ws)).highlights(article_id)
    assert moved.id == highlight.id and not moved.orphaned
    assert store.library.display(article_id).text[moved.start : moved.end] == "tenfold drop"


@given(st.text(), st.text())
def test_shared_wording_is_a_symmetric_share(a: str, b: str) -> None:
    share = shared_wording(a, b)
    assert 0.0 <= share <= 1.0
    assert share == shared_wording(b, a)
    if re.search(r"\w", a):
        assert shared_wording(a, a) == 1.0


def test_a_summary_of_the_page_is_the_same_article_and_adds_nothing() -> None:
    full = Article(id="a", title="How we scaled", body="\n\n".join(PARAGRAPHS) + "\n")
    summary = Article(id="b", title="How We Scaled", body=PARAGRAPHS[0][:60] + "...\n")
    likeness = Likeness.of(full, summary)
    assert likeness.same_article and likeness.adds_nothing() and not likeness.is_revision()


def test_another_page_with_another_title_is_another_article() -> None:
    held = Article(id="a", title="Page 1", body="\n\n".join(PARAGRAPHS) + "\n")
    other = Article(id="b", title="Page 2", body="A different story about servers.\n" * 5)
    likeness = Likeness.of(held, other)
    assert not likeness.same_article and not likeness.adds_nothing()


def test_article_backups_keep_the_newest_ten_of_each_article(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.articles_dir.mkdir(parents=True)
    for n in range(13):
        for article_id in ("one", "two"):
            ws.article_file(article_id).write_text(f'---\ntitle: "{article_id}"\n---\n\n{n}\n')
            back_up_article(ws, article_id)
    for article_id in ("one", "two"):
        kept = article_backups(ws, article_id)
        assert len(kept) == KEEP == 10
        assert [b.path.read_text().split("\n\n")[1] for b in kept] == [
            f"{n}\n" for n in range(3, 13)
        ]


def test_a_restore_is_refused_while_the_highlights_cannot_be_read(
    tmp_path: Path, post: Path
) -> None:
    ws = tmp_path / "ws"
    article_id = imported_id(reader(ws, "import", str(post)))
    reader(ws, "annotate", article_id, "--quote", "tenfold drop")
    post.write_text(page("How we scaled our database", [*PARAGRAPHS, "A coda."]), "utf-8")
    assert reader(ws, "import", str(post)).stdout.startswith("updated ")
    highlights = Workspace(ws).highlights_db(article_id)
    highlights.write_text("[1, 2", encoding="utf-8")
    current = article_text(ws, article_id)

    refused = reader(ws, "doctor", "--restore", article_id)

    assert refused.exit_code == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith(f"Error: {article_id}: not restored, its highlights cannot be read")
    assert article_text(ws, article_id) == current
    assert len(list((ws / "backups" / "articles").iterdir())) == 1
    unknown = reader(ws, "doctor", "--restore", "no-such-article")
    assert unknown.exit_code == 1 and "no backup" in unknown.stderr
