"""The anchor checks of many articles at once, in worker processes (an export's first run).

An export reads every highlight through the check that it still quotes its article
(:meth:`annotations.store.AnnotationStore.highlights`), which needs each annotated article's
display text: ≈9,500 Markdown renders for 100,000 highlights, most of a first export. The
export remembers the checks that passed (``.cache/anchor-checks.json``), so only a first run,
or one after many files changed, pays for them. That run hands the articles it has no
remembered check for to :class:`CheckAhead`, which checks them in worker processes (one per
CPU, at most ``MAX_WORKERS``) while the export reads the highlights it already trusts.

A worker only *reads*: for each article it answers with the two files' stamps (as the
anchor-check cache keeps them) when every highlight sits on the text at its offsets, quote
and context character for character, and the files did not change while it looked; otherwise
with ``None``, and the export checks that article itself, the usual way (re-anchoring,
orphans, errors). So a highlight whose anchor no longer matches is never passed: the worker's
answer only lets the export skip a check it would pass.

A display text comes from the search index when it holds one rendered from the file as it is
now (:func:`corpus.search.indexed_texts`), else from the library (its cache of long articles,
else a render).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Future
from pathlib import Path

from annotations.anchoring import QuoteSelector, sits_at
from annotations.records import HIGHLIGHTS_TABLE
from annotations.storage import StoreError, read_database
from corpus.article import ArticleFormatError
from corpus.file_cache import stamp
from corpus.library import ArticleNotFound, Library
from corpus.search import indexed_texts, worker_processes
from corpus.workspace import Workspace

# From this many articles to check, workers start (≈1 ms of rendering each; a worker takes
# ≈0.3 s to start and import the renderer).
PARALLEL_FROM = 1000
BATCH = 100
MAX_WORKERS = 4

Stamps = list[int]  # the article file's stamp, then the highlights file's


def check_batch(root: str, article_ids: Sequence[str]) -> list[Stamps | None]:
    """For each article: the stamps at which all its highlights were found in place, or
    ``None`` (see the module). Runs in a worker process, with a library of its own."""
    workspace = Workspace(Path(root))
    library = Library(workspace)
    articles, highlights = str(workspace.articles_dir), str(workspace.highlights_dir)
    indexed = indexed_texts(workspace, article_ids)
    answers: list[Stamps | None] = []
    for article_id in article_ids:
        article = os.path.join(articles, article_id + ".md")
        stored = os.path.join(highlights, article_id + ".json")
        try:
            before = os.stat(article), os.stat(stored)
            records = _anchors(stored)
            text = ""
            if records:
                found = indexed.get(article_id)
                st = before[0]
                if found is not None and found[0] == (st.st_mtime_ns, st.st_size, st.st_ctime_ns):
                    text = found[1]
                else:
                    text = library.display(article_id).text
            placed = records is not None and all(
                sits_at(text, QuoteSelector(quote, prefix, suffix), start, end)
                for start, end, quote, prefix, suffix in records
            )
            stamps = [*stamp(before[0]), *stamp(before[1])]
            after = [*stamp(os.stat(article)), *stamp(os.stat(stored))]
        except (OSError, StoreError, ArticleNotFound, ArticleFormatError):
            answers.append(None)
            continue
        answers.append(stamps if placed and after == stamps else None)
    return answers


def _anchors(path: str) -> list[tuple[int, int, str, str, str]] | None:
    """Each highlight's offsets, quote and context as stored, read straight from its record
    (making 100,000 :class:`~annotations.model.Highlight` objects here too cost a second);
    ``None`` when one is an orphan or a record is not of the shape the store reads (the
    export's own check then deals with it: looks for orphans, names a broken file)."""
    data = read_database(Path(path)) or {}
    anchors = []
    for record in data.get(HIGHLIGHTS_TABLE, {}).values():
        start, end = record.get("start"), record.get("end")
        quote = record.get("quote")
        prefix, suffix = record.get("prefix", ""), record.get("suffix", "")
        if (
            record.get("orphaned", False) is not False
            or type(start) is not int
            or type(end) is not int
            or not isinstance(quote, str)
            or not isinstance(prefix, str)
            or not isinstance(suffix, str)
        ):
            return None
        anchors.append((start, end, quote, prefix, suffix))
    return anchors


def workers() -> int:
    return worker_processes(MAX_WORKERS)


class CheckAhead:
    """Articles being checked in worker processes, whose answers are waited for one by one,
    in the order given (see the module). Close it (or use it as a context manager) to stop
    the workers."""

    def __init__(self, workspace: Workspace, article_ids: Iterable[str]) -> None:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        ids = list(article_ids)
        self._batch_of = {article_id: i // BATCH for i, article_id in enumerate(ids)}
        self._ids = [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]
        self._answers: dict[str, Stamps | None] = {}
        # spawn, not fork: the app exports from a thread, and a fork copies other threads' locks.
        self._pool = ProcessPoolExecutor(workers(), mp_context=get_context("spawn"))
        root = str(workspace.root)
        self._futures: list[Future[list[Stamps | None]] | None] = [
            self._pool.submit(check_batch, root, batch) for batch in self._ids
        ]

    def answer(self, article_id: str) -> Stamps | None:
        """The stamps at which a worker found the article's highlights in place, or ``None``:
        not found so, not asked, or the worker failed (the caller then checks it itself)."""
        batch = self._batch_of.pop(article_id, None)
        if batch is not None and self._futures[batch] is not None:
            future, self._futures[batch] = self._futures[batch], None
            try:
                answers = future.result() if future is not None else []
            except Exception:  # a worker that died (out of memory, killed): checked here
                answers = [None] * len(self._ids[batch])
            self._answers.update(zip(self._ids[batch], answers, strict=True))
        return self._answers.pop(article_id, None)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> CheckAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
