"""Opening a local file with ``reader FILE.md`` (issue 22): a file imported before is found by
its checksum without rendering it, a first import renders a long article once, and no local
open loads httpx. Counts and imported modules, never timings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import corpus.article
import corpus.importers
from annotations.article_import import import_articles
from annotations.store import AnnotationStore
from corpus.library import CACHE_FROM_CHARS
from corpus.markdown_text import render

ROOT = Path(__file__).resolve().parent.parent


def _long_markdown(path: Path, marker: str = "Opening line") -> Path:
    paragraph = "A sentence about the long article, with *emphasis* and a [link](https://e.org). "
    body = "\n\n".join(paragraph * 8 for _ in range(CACHE_FROM_CHARS // 600 + 20))
    path.write_text(f"# A long article\n\n{marker}.\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every render of an article body, by the importer or the library, counted by length."""
    calls: list[int] = []

    def counting(real: Callable[[str], Any]) -> Callable[[str], Any]:
        def render_counted(markdown: str) -> Any:
            calls.append(len(markdown))
            return real(markdown)

        return render_counted

    monkeypatch.setattr(corpus.importers, "render", counting(render))
    monkeypatch.setattr(corpus.article, "render", counting(render))
    return calls


def test_reopening_an_imported_file_finds_it_without_rendering(
    store: AnnotationStore, tmp_path: Path, renders: list[int]
) -> None:
    path = _long_markdown(tmp_path / "long.md")
    first = list(import_articles(store, [str(path)]))
    assert [o.status for o in first] == ["imported"]
    renders.clear()
    again = list(import_articles(store, [str(path)]))
    assert [(o.status, o.article and o.article.id) for o in again] == [
        ("unchanged", first[0].article and first[0].article.id)
    ]
    assert renders == []


def test_a_first_import_renders_a_long_article_once(
    store: AnnotationStore, tmp_path: Path, renders: list[int]
) -> None:
    path = _long_markdown(tmp_path / "long.md")
    (done,) = import_articles(store, [str(path)])
    assert done.status == "imported" and done.article is not None
    assert len(renders) == 1
    # The cached rendering is the article's own, as a fresh render gives it.
    cached = store.library.display(done.article.id)
    assert cached == render(store.library.get(done.article.id).body)
    assert store.workspace.display_cache(done.article.id).is_file()


def test_an_edited_file_is_still_updated_and_rendered(
    store: AnnotationStore, tmp_path: Path
) -> None:
    path = _long_markdown(tmp_path / "long.md")
    (first,) = import_articles(store, [str(path)])
    _long_markdown(path, marker="A new opening line")
    (second,) = import_articles(store, [str(path)])
    assert second.status == "updated" and second.article is not None and first.article
    assert second.article.id == first.article.id
    assert "A new opening line" in store.library.display(first.article.id).text


def test_an_empty_markdown_file_is_still_refused(store: AnnotationStore, tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text("---\ntitle: Nothing\n---\n\n", encoding="utf-8")
    (done,) = import_articles(store, [str(path)])
    assert done.error == f"{path.resolve()}: empty, no text to read"
    assert store.library.ids() == []


_OPEN = """
import json, sys
from reader.launch import prepare
store, article_id = prepare(sys.argv[1], sys.argv[2])
print(json.dumps([article_id, sorted(m for m in ("httpx", "click") if m in sys.modules)]))
"""


@pytest.mark.parametrize("kind", ["md", "txt"])
def test_opening_a_local_file_never_imports_httpx(tmp_path: Path, kind: str) -> None:
    path = _long_markdown(tmp_path / f"long.{kind}")
    workspace = tmp_path / "ws"
    runs = []
    for _ in range(2):  # the first import, then the open of the imported file
        done = subprocess.run(
            [sys.executable, "-c", _OPEN, str(workspace), str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    assert runs[0][0] is not None and runs[0][0] == runs[1][0]
    assert runs[0][1] == runs[1][1] == []
