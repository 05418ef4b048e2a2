"""Which version of each article its orphans were last looked for in.

An orphan is a highlight whose passage was not found in its article's text. It is looked for
again whenever the text changes: a file that was empty for a moment (a crashed editor, a sync
conflict, a half-finished checkout) and is then restored brings its highlights back. Looking
costs a search of the whole text per orphan, too much for every read, so
``.cache/orphan-checks.json`` remembers, per article, the article file's stamp (modification
time, size and inode, see :mod:`corpus.file_cache`) and the ids of the orphans looked for in
that version. A read looks again only when the file changed or a new orphan arrived (an import
of annotations, say). It is a cache: deleting it costs one more search per orphan.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from corpus.file_cache import load_records, path_stamp, save_records
from corpus.markdown_text import RENDERER_VERSION
from corpus.workspace import Workspace

CACHE_NAME = "orphan-checks.json"
CACHE_VERSION = 1
# Another renderer gives other text from the same file, so its checks do not count.
_HEADER = {"version": CACHE_VERSION, "renderer": RENDERER_VERSION}


class OrphanChecks:
    """The remembered checks of one workspace, read from disk once and kept in memory."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.path = workspace.cache_dir / CACHE_NAME
        self._records: dict[str, Any] | None = None

    def stamp(self, article_id: str) -> list[int] | None:
        """The article file's stamp now; take it before reading the text it stands for."""
        return path_stamp(str(self.workspace.article_file(article_id)))

    def _loaded(self) -> dict[str, Any]:
        if self._records is None:
            self._records = load_records(self.path, _HEADER)
        return self._records

    def looked_for(
        self, article_id: str, stamp: list[int] | None, orphan_ids: Collection[str]
    ) -> bool:
        """Whether these orphans were all looked for in this version of the article."""
        record = self._loaded().get(article_id)
        if stamp is None or not isinstance(record, dict) or record.get("stamp") != stamp:
            return False
        tried = record.get("orphans")
        return isinstance(tried, list) and set(orphan_ids) <= set(tried)

    def remember(
        self, article_id: str, stamp: list[int] | None, orphan_ids: Collection[str]
    ) -> None:
        """Note that these orphans were looked for in the version ``stamp`` and stay orphans
        (none: forget the article)."""
        records = load_records(self.path, _HEADER)  # another process may have added some
        if orphan_ids and stamp is not None:
            records[article_id] = {"stamp": stamp, "orphans": sorted(orphan_ids)}
        elif records.pop(article_id, None) is None:
            self._records = records
            return
        self._records = records
        save_records(self.path, _HEADER, records, "remember which orphans were looked for")
