"""``reader list`` reads the caches the app's list reads (issue 22): the article list kept by
file stamp in ``.cache/articles.json`` and the highlight counts in
``.cache/highlight-counts.json``. Its output is what parsing every article gives, and a file
changed since the caches were written is read again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.store import AnnotationStore
from bench.generate import generate
from corpus.library import SUMMARY_CACHE_FROM
from corpus.terminal_safe import escape_json
from corpus.workspace import Workspace
from reader.cli import main
from reader.cli_common import rows_json


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("list")
    generate(
        root,
        articles=SUMMARY_CACHE_FROM + 40,
        highlights=3000,
        inserts=0,
        verify_every=1000,
        big_article_chars=5_000,
    )
    return root / "workspace"


def _list(workspace: Path, *args: str) -> Any:
    done = CliRunner().invoke(main, ["list", "--workspace", str(workspace), *args])
    assert done.exit_code == 0, done.output
    return done.output


def _parsed_rows(workspace: Path) -> list[dict[str, Any]]:
    """What ``list --json`` printed before the caches: every article parsed, every
    highlights file read."""
    store = AnnotationStore(Workspace(workspace))
    counts, states = store.highlight_counts(), store.states()
    rows = []
    for a in store.library.articles():
        state = states.get(a.id)
        if state is not None and state.archived:
            continue
        rows.append(
            {
                "id": a.id,
                "title": a.title,
                "author": a.author,
                "site": a.site,
                "url": a.url,
                "published": a.published,
                "highlights": counts.get(a.id, 0),
                "read": state.read if state is not None else False,
                "archived": False,
            }
        )
    return rows


def test_the_cached_list_is_the_parsed_one(generated: Path) -> None:
    cache = generated / ".cache"
    for name in ("articles.json", "highlight-counts.json"):
        (cache / name).unlink(missing_ok=True)
    expected = _parsed_rows(generated)
    assert sum(row["highlights"] for row in expected) == 3000
    first = _list(generated, "--json")  # builds the caches
    assert (cache / "articles.json").is_file() and (cache / "highlight-counts.json").is_file()
    second = _list(generated, "--json")  # reads them
    assert json.loads(first) == json.loads(second) == expected
    assert first == second
    plain = _list(generated).splitlines()
    assert [line.split()[0] for line in plain] == [row["id"] for row in expected]


def test_an_article_edited_after_listing_is_listed_as_it_is_now(
    tmp_path: Path, generated: Path
) -> None:
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(generated, workspace)
    _list(workspace, "--json")
    rows = json.loads(_list(workspace, "--json"))
    target = rows[7]["id"]
    path = workspace / "articles" / f"{target}.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'title: "{rows[7]["title"]}"', 'title: "Edited title"', 1))
    again = {row["id"]: row for row in json.loads(_list(workspace, "--json"))}
    assert again[target]["title"] == "Edited title"
    assert f"{target}  " in _list(workspace) and "Edited title" in _list(workspace)


def test_a_highlight_added_after_listing_is_counted(tmp_path: Path, generated: Path) -> None:
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(generated, workspace)
    before = {row["id"]: row["highlights"] for row in json.loads(_list(workspace, "--json"))}
    target = next(article_id for article_id, n in before.items() if n == 0)
    store = AnnotationStore(Workspace(workspace))
    text = store.library.display(target).text
    store.add_highlight(target, 0, len(text.split()[0]))
    after = {row["id"]: row["highlights"] for row in json.loads(_list(workspace, "--json"))}
    assert after == {**before, target: 1}


def test_an_unreadable_article_is_one_error_line(tmp_path: Path, generated: Path) -> None:
    import shutil

    workspace = tmp_path / "ws"
    shutil.copytree(generated, workspace)
    _list(workspace, "--json")
    bad = sorted((workspace / "articles").iterdir())[3]
    bad.write_bytes(b"\xff\xfe not text")
    done = CliRunner().invoke(main, ["list", "--workspace", str(workspace), "--json"])
    assert done.exit_code == 1
    errors = [line for line in done.stderr.splitlines() if line]
    assert errors == [f"Error: {bad}: not UTF-8 text (byte 0)"]
    assert bad.stem not in {row["id"] for row in json.loads(done.stdout)}


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text())


@given(st.lists(st.dictionaries(st.text(), _VALUES, max_size=5), max_size=5))
@settings(max_examples=300)
def test_rows_print_as_json_dumps_prints_them(rows: list[dict[str, Any]]) -> None:
    """``list --json`` serialises with orjson: the same text as ``json.dumps`` gave, escapes and
    lone surrogates included."""
    expected = escape_json(json.dumps(rows, ensure_ascii=False, indent=2))
    assert rows_json(rows) == expected
