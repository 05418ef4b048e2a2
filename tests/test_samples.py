"""The bundled sample corpus: complete metadata, real structure, idempotent install."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from corpus.article import Article
from corpus.library import Library
from corpus.markdown_text import render
from corpus.sample_corpus import install_samples, sample_articles
from corpus.workspace import Workspace

SAMPLES = sample_articles()
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # the article id of the export schema


def words(article: Article) -> int:
    return len(render(article.body).text.split())


def test_there_are_at_least_eight_samples_with_unique_ids() -> None:
    assert len(SAMPLES) >= 8
    ids = [a.id for a in SAMPLES]
    assert len(set(ids)) == len(ids)
    assert all(ID_PATTERN.match(article_id) for article_id in ids)


@pytest.mark.parametrize("article", SAMPLES, ids=lambda a: a.id)
def test_sample_has_complete_metadata(article: Article) -> None:
    for name in ("title", "author", "site", "url", "published"):
        value = getattr(article, name)
        assert isinstance(value, str) and value.strip(), f"{article.id}: no {name}"
    assert re.match(r"https?://", article.url or "")
    dt.date.fromisoformat(article.published or "")
    assert article.imported_from == f"sample:{article.id}.md"


@pytest.mark.parametrize("article", SAMPLES, ids=lambda a: a.id)
def test_sample_renders_to_readable_text(article: Article) -> None:
    display = render(article.body)
    assert words(article) >= 200
    assert display.blocks and display.text == "\n\n".join(
        display.text[b.start : b.end] for b in display.blocks
    )
    assert "\ufffd" not in display.text
    assert not re.search(r"(?m)^#{1,6} |\*\*|\]\(", display.text), "Markdown syntax leaked"


def test_one_sample_is_long() -> None:
    assert max(words(a) for a in SAMPLES) >= 3000


def test_corpus_exercises_headings_lists_and_styles() -> None:
    kinds: Counter[str] = Counter()
    styles: Counter[str] = Counter()
    for article in SAMPLES:
        display = render(article.body)
        kinds.update(b.kind for b in display.blocks)
        styles.update(s.style for s in display.spans)
    assert kinds["heading"] > 0
    assert kinds["list_item"] > 0
    assert styles["emphasis"] > 0 and styles["strong"] > 0


def test_install_samples_twice_is_unchanged_the_second_time(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    library = Library(ws)
    first = install_samples(library)
    assert [r.status for r in first] == ["imported"] * len(SAMPLES)
    assert library.ids() == sorted(a.id for a in SAMPLES)
    files = {p.name: p.read_bytes() for p in ws.articles_dir.iterdir()}
    second = install_samples(Library(ws))
    assert [r.status for r in second] == ["unchanged"] * len(SAMPLES)
    assert {p.name: p.read_bytes() for p in ws.articles_dir.iterdir()} == files
    for installed, bundled in zip(library.articles(), SAMPLES, strict=True):
        assert (installed.id, installed.title, installed.author, installed.body) == (
            bundled.id,
            bundled.title,
            bundled.author,
            bundled.body,
        )
        assert installed.imported
