"""The bundled sample articles (``corpus/samples/*.md``) and copying them into a workspace."""

from __future__ import annotations

from importlib import resources

from corpus.article import Article, now_iso, parse_article
from corpus.library import ImportResult, Library


def sample_articles() -> list[Article]:
    """The bundled articles, with their file names as ids."""
    folder = resources.files("corpus").joinpath("samples")
    articles = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            article_id = entry.name[:-3]
            article = parse_article(article_id, entry.read_text(encoding="utf-8"))
            article.imported_from = f"sample:{entry.name}"
            articles.append(article)
    return articles


def install_samples(library: Library) -> list[ImportResult]:
    """Copy the sample articles into a workspace; ones already there are ``unchanged``."""
    results = []
    for article in sample_articles():
        if article.id in library:
            results.append(ImportResult("unchanged", library.get(article.id)))
            continue
        article.imported = now_iso()
        library.save(article)
        results.append(ImportResult("imported", article))
    return results
