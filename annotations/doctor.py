"""Checking a workspace, and repairing what is safe to repair: ``reader doctor [--repair]``.

A check reads everything and changes nothing. A repair changes only what cannot lose data:
it re-anchors highlights on changed articles (orphans are kept), moves the highlights of a
deleted article aside into ``annotations/detached/`` rather than deleting them (numbered,
never over an earlier move), drops reading state of articles that no longer exist, and removes
temporary files left by interrupted writes.
Files that do not parse are reported, never rewritten: a person decides what to do with them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotations.anchoring import anchor, sits_at
from annotations.backups import PREFIX
from annotations.history import History
from annotations.records import kept_conflicts, stored_highlight_ids
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import Library
from corpus.workspace import ID_RULE, Workspace, is_valid_id


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


# An atomic write's temporary file, or a file kept for an undo journal (annotations/journal.py).
_TEMP_NAME = re.compile(r"^\..+\.(\d+)(?:\.undo)?\.tmp$")


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
    """Temporary files of atomic writes, in every folder reader writes that way (the display
    cache included: a long article's rendering is 10 MB for a 10 MB text)."""
    folders = (
        workspace.articles_dir,
        workspace.annotations_dir,
        workspace.highlights_dir,
        workspace.cache_dir / "display",
    )
    return sorted(
        path for folder in folders for path in _dot_files(folder) if path.name.endswith(".tmp")
    )


def _partial_backups(workspace: Workspace) -> list[Path]:
    """Archives a backup began and did not finish. Backups are written under the workspace
    lock, so under it any such file is a leftover."""
    return sorted(
        path
        for path in _dot_files(workspace.root / "backups")
        if path.name.startswith(f".{PREFIX}") and path.name.endswith(".partial")
    )


def _dot_files(folder: Path) -> list[Path]:
    try:
        return [folder / n for n in os.listdir(folder) if n.startswith(".")]
    except FileNotFoundError:
        return []


def _detach(path: Path, detached: Path) -> Path:
    """Move a highlights file into ``detached``, as ``<id>.json``, or ``<id>.2.json``,
    ``<id>.3.json``… when earlier moves of the same article's highlights are there: an earlier
    file is never replaced (a link fails rather than overwrite, so a race cannot either)."""
    detached.mkdir(exist_ok=True)
    n = 1
    while True:
        target = detached / (path.name if n == 1 else f"{path.stem}.{n}{path.suffix}")
        n += 1
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:  # no hard links on this file system: check, then rename
            if target.exists():
                continue
            os.replace(path, target)
            return target
        path.unlink()
        return target


def _misnamed(workspace: Workspace) -> list[Path]:
    """Article and highlights files whose name is not a valid id: nothing reads them (an id
    names files, so it may not hold a "/" or start with "."), and only a person can rename them."""
    found: list[Path] = []
    for folder, suffix in ((workspace.articles_dir, ".md"), (workspace.highlights_dir, ".json")):
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        found.extend(
            folder / n
            for n in names
            if n.endswith(suffix) and not n.startswith(".") and not is_valid_id(n[: -len(suffix)])
        )
    return sorted(found)


def check(workspace: Workspace, repair: bool = False) -> Checkup:
    """Check every file of a workspace; with ``repair``, fix what is safe (see the module)."""
    result = Checkup()
    for path in _misnamed(workspace):
        result.add("name", f"{path}: not read, its name is not an id ({ID_RULE}); rename it")
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
        for path in _partial_backups(workspace):
            result.add("temporary", f"{path}: left by an interrupted backup", repairable=True)
            if repair:
                path.unlink(missing_ok=True)
                result.repaired.append(f"removed {path}")

    problem = History(store).problem()
    if problem is not None:  # never repaired: the person decides what to do with the file
        result.add("history", problem)

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
            ids = stored_highlight_ids(path)
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
                target = _detach(path, workspace.annotations_dir / "detached")
                result.repaired.append(f"moved {path.name} to {target}")
            continue
        if article_id not in articles:
            continue  # its article file does not parse; already reported
        if len(ids) != len(set(ids)):
            result.add("duplicate", f"{path}: highlight ids used twice")
        kept = kept_conflicts(path)
        if kept:
            result.add(
                "conflict",
                f"{path}: {len(kept)} version(s) a merge did not keep are in its conflicts "
                f"table (highlights {', '.join(sorted({str(r.get('id')) for r in kept}))})",
            )
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
