"""``reader show``, ``delete``, ``restore``, ``archive``, ``mark``, ``memo`` and the archived
filter of ``reader list`` and ``reader search``, end to end on real workspaces."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner, Result

from annotations.article_text import marked_text
from annotations.filtering import ArticleFilter, ListedArticle, filter_articles
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.cli import main


def run(ws: Workspace, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["-w", str(ws.root), *args], input=stdin)


def _spread_highlights(store: AnnotationStore) -> int:
    """Highlights all through every sample article: a word every ~300 characters, the first
    and the last word, and a sentence-long one; returns how many."""
    made = 0
    for article_id in store.library.ids():
        text = store.library.display(article_id).text
        words = list(re.finditer(r"\S+", text))
        chosen = {0, len(words) - 1, *range(0, len(words), 50)}
        for i in sorted(chosen):
            m = words[i]
            store.add_highlight(article_id, m.start(), m.end(), tags=["spread"])
            made += 1
        long = words[len(words) // 2 : len(words) // 2 + 30]
        store.add_highlight(article_id, long[0].start(), long[-1].end(), note="a long one")
        made += 1
    return made


def test_show_prints_the_text_every_exported_offset_indexes_into(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    made = _spread_highlights(store)
    exported = run(sample_ws, "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout_bytes)
    shown: dict[str, str] = {}
    checked = 0
    for article in document["articles"]:
        result = run(sample_ws, "show", article["id"])
        assert result.exit_code == 0
        text = shown[article["id"]] = result.stdout_bytes.decode("utf-8")
        assert text == store.library.display(article["id"]).text  # nothing added
        for h in article["highlights"]:
            assert text[h["start"] : h["end"]] == h["quote"]
            checked += 1
    assert checked == made >= 100
    assert len(shown) == 10


def test_show_markdown_and_highlights(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    text = store.library.display(article.id).text
    at = text.index("picket line")
    store.add_highlight(article.id, at, at + len("picket line"), tags=["strike", "place"])
    store.add_highlight(article.id, at, at + len("picket"))

    marked = run(ws, "show", article.id, "--highlights")
    markdown = run(ws, "show", article.id, "--markdown")

    assert "walked the [[[[picket]] line]]{#strike #place} on Monday" in marked.stdout
    assert markdown.stdout_bytes.decode() == article.body
    assert run(ws, "show", "nope").output == "Error: no article with id 'nope'\n"
    assert run(ws, "show", "nope").exit_code == 1


def test_marked_text_orders_markers_that_meet() -> None:
    def h(start: int, end: int, *tags: str) -> Highlight:
        return Highlight(
            id=f"h{start}{end}", article_id="a", start=start, end=end, quote="", tags=list(tags)
        )

    # abutting: the first closes before the second opens; equal ends: the inner closes first
    assert marked_text("abcdef", [h(0, 2, "x"), h(2, 4), h(3, 4, "y")]) == (
        "[[ab]]{#x}[[c[[d]]{#y}]]ef"
    )


def test_delete_restore_and_the_trash_list(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    store.add_highlight(article.id, 0, 8, tags=["t"])
    before = ws.article_file(article.id).read_bytes()

    refused = run(ws, "delete", article.id, "nope")
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: no article with id 'nope'; nothing changed\n",
    )
    assert ws.article_file(article.id).exists()

    deleted = run(ws, "delete", article.id)
    assert deleted.output == f"deleted {article.id} (1 highlight): A Strike Over Faces\n"
    listed = json.loads(run(ws, "restore", "--list", "--json").output)
    assert [(e["id"], e["highlights"]) for e in listed] == [(article.id, 1)]
    assert run(ws, "list").output == ""

    assert run(ws, "restore", "nope").output.startswith("Error: 'nope' is not in the trash")
    restored = run(ws, "restore", article.id)
    assert restored.output == f"restored {article.id} (1 highlight): A Strike Over Faces\n"
    assert ws.article_file(article.id).read_bytes() == before
    assert run(ws, "restore", "--list").output == ""
    assert run(ws, "restore").exit_code == 1  # neither ids nor --list


def test_archive_hides_from_list_and_search_unless_asked(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    other = Article(id="other", title="Other", body="A picket line elsewhere.\n")
    store.library.save(other)

    assert run(ws, "archive", article.id).output.startswith(f"archived {article.id}:")
    assert [r.split()[0] for r in run(ws, "list").output.splitlines()] == ["other"]
    assert [r.split()[0] for r in run(ws, "list", "--archived").output.splitlines()] == [article.id]
    assert len(run(ws, "list", "--with-archived").output.splitlines()) == 2
    assert json.loads(run(ws, "list", "--archived", "--json").output)[0]["archived"] is True
    assert run(ws, "search", "picket").output.endswith("1 match in 1 article\n")
    assert run(ws, "search", "picket", "--archived").output.endswith("2 matches in 2 articles\n")

    assert run(ws, "archive", "--undo", article.id).exit_code == 0
    assert not store.state(article.id).archived
    run(ws, "archive", article.id)
    run(ws, "unarchive", article.id)
    assert len(run(ws, "list").output.splitlines()) == 2


def test_archived_filter_values() -> None:
    rows = [ListedArticle("a", "", "", False, 0), ListedArticle("b", "", "", False, 0, True)]
    assert [r.id for r in filter_articles(rows, ArticleFilter())] == ["a"]
    assert [r.id for r in filter_articles(rows, ArticleFilter(archived="only"))] == ["b"]
    assert [r.id for r in filter_articles(rows, ArticleFilter(archived="shown"))] == ["a", "b"]
    assert ArticleFilter(archived="only", unread=True).describe() == "unread · archived only"


def test_mark_and_memo(store: AnnotationStore, ws: Workspace, article: Article) -> None:
    assert run(ws, "mark", article.id, "--read").output.startswith(f"read {article.id}:")
    assert store.state(article.id).read
    run(ws, "mark", article.id, "--unread")
    assert not store.state(article.id).read
    assert run(ws, "mark", article.id).output == "Error: say --read or --unread\n"

    assert run(ws, "memo", article.id).output == ""
    assert run(ws, "memo", article.id, "-", stdin="first\nsecond\n").output == (
        f"memo of {article.id} set (2 lines)\n"
    )
    assert store.state(article.id).memo == "first\nsecond"
    assert run(ws, "memo", article.id).output == "first\nsecond\n"
    assert json.loads(run(ws, "memo", article.id, "--json").output)["memo"] == "first\nsecond"
    run(ws, "memo", article.id, "one line")
    assert store.state(article.id).memo == "one line"
    assert run(ws, "memo", article.id, "--clear").output == f"memo of {article.id} cleared\n"
    assert store.state(article.id).memo == ""
    missing = run(ws, "memo", "nope", "x")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: no article with id 'nope'; nothing changed\n",
    )
