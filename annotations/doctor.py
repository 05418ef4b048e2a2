"""Checking a workspace, and repairing what is safe to repair: ``reader doctor [--repair]``.

A check reads everything and changes nothing. A repair changes only what cannot lose data:
it re-anchors highlights on changed articles (orphans are kept), moves the highlights of a
deleted article aside into ``annotations/detached/`` rather than deleting them, drops reading
state of articles that no longer exist, and removes temporary files left by interrupted writes.
Files that do not parse are reported, never rewritten: a person decides what to do with them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotations.anchoring import anchor, sits_at
from annotations.storage import StoreError, read_database
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import Library
from corpus.workspace import Workspace


@dataclass
class Finding:
    """One problem: ``kind`` names it, ``message`` is one line naming the file or item,
    ``repairable`` says whether ``--repair`` fixes it."""

    kind: str
    message: str
    repairable: bool = False


@dataclass
class Checkup:
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    articles: int = 0
    highlights: int = 0

    def add(self, kind: str, message: str, repairable: bool = False) -> None:
        self.findings.append(Finding(kind, message, repairable))


_TEMP_NAME = re.compile(r"^\..+\.(\d+)\.tmp$")


def _writer_alive(path: Path) -> bool:
    """Whether the process that is writing this temporary file (its pid is in the name) runs."""
    match = _TEMP_NAME.match(path.name)
    if match is None:
        return False
    try:
        os.kill(int(match.group(1)), 0)
    except PermissionError:
        return True  # alive, another user's
    except (ProcessLookupError, OverflowError):
        return False  # no such process (or a number no pid can be)
    return True


def _temp_files(workspace: Workspace) -> list[Path]:
    found: list[Path] = []
    for folder in (workspace.articles_dir, workspace.annotations_dir, workspace.highlights_dir):
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        found.extend(folder / n for n in names if n.startswith(".") and n.endswith(".tmp"))
    return sorted(found)


def check(workspace: Workspace, repair: bool = False) -> Checkup:
    """Check every file of a workspace; with ``repair``, fix what is safe (see the module)."""
    result = Checkup()
    library = Library(workspace)
    articles = set()
    for article_id in library.ids():
        try:
            library.get(article_id)
            articles.add(article_id)
        except ArticleFormatError as exc:
            result.add("article", str(exc))
    result.articles = len(articles)

    try:
        store = AnnotationStore(workspace, library)
    except StoreError as exc:
        result.add("database", str(exc))
        return result

    # Under the workspace lock no annotation write is under way, and a file whose writer is
    # still running (an article import, say) is that writer's, not a leftover.
    with store.lock:
        for path in _temp_files(workspace):
            if _writer_alive(path):
                continue
            result.add("temporary", f"{path}: left by an interrupted write", repairable=True)
            if repair:
                path.unlink(missing_ok=True)
                result.repaired.append(f"removed {path}")

    try:
        states = store.states()
    except StoreError as exc:
        result.add("database", str(exc))
        states = {}
    gone_states = sorted(set(states) - set(library.ids()))
    for article_id in gone_states:
        result.add("state", f"reading state for {article_id}, which has no article file", True)
    if repair and gone_states:
        store.forget_states(gone_states)
        result.repaired.append(f"dropped the reading state of {len(gone_states)} missing articles")

    for article_id in store.annotated_article_ids():
        path = workspace.highlights_db(article_id)
        try:
            data = read_database(path)
            highlights = store.highlights(article_id, check=False)
        except StoreError as exc:
            result.add("database", str(exc))
            continue
        result.highlights += len(highlights)
        if article_id not in library:
            result.add(
                "detached",
                f"{path}: highlights ({len(highlights)}) of {article_id}, "
                "which has no article file",
                repairable=True,
            )
            if repair:
                detached = workspace.annotations_dir / "detached"
                detached.mkdir(exist_ok=True)
                os.replace(path, detached / path.name)
                result.repaired.append(f"moved {path.name} to {detached}")
            continue
        if article_id not in articles:
            continue  # its article file does not parse; already reported
        ids = [str(doc.get("id")) for doc in (data or {}).get("highlights", {}).values()]
        if len(ids) != len(set(ids)):
            result.add("duplicate", f"{path}: highlight ids used twice")
        text = library.display(article_id).text
        # Every orphan is looked for again, whatever the read path remembers having tried:
        # a restored article brings its highlights back here too.
        stale = [
            h for h in highlights if h.orphaned or not sits_at(text, h.selector(), h.start, h.end)
        ]
        unplaced = {h.id for h in stale if anchor(text, h.selector(), h.start, h.end) is None}
        changed = [h for h in stale if not h.orphaned]
        found = [h for h in stale if h.orphaned and h.id not in unplaced]
        if changed:
            lost = sum(h.id in unplaced for h in changed)
            result.add(
                "moved",
                f"{article_id}: highlights no longer at their offsets: {len(changed)} "
                f"({lost} of them not found in the text)",
                repairable=True,
            )
        if found:
            result.add(
                "found",
                f"{article_id}: orphans found in the text again: {len(found)}",
                repairable=True,
            )
        if repair and (changed or found):
            report = store.reanchor(article_id)
            result.repaired.append(
                f"re-anchored {article_id}: {len(report.moved) + len(report.fuzzy)} moved, "
                f"{len(found)} found again, {len(report.orphaned)} orphaned"
            )
        for h in highlights:
            if h.id in unplaced:
                result.add("orphan", f"{article_id}: orphan {h.id}: {h.quote[:60]!r}")
    store.close()
    return result
