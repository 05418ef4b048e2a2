"""What ``reader merge`` (:mod:`annotations.workspace_merge`) would do or did: the plan it
writes, and the report made from it, as lines for a person or one JSON object."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from annotations.model import Highlight, Tag
from corpus.article import Article


@dataclass(frozen=True)
class Conflict:
    """A highlight both sides have, changed differently: ``kept`` says whose version stays
    (``"ours"`` or ``"source"``); the other is in the conflicts table."""

    article_id: str
    highlight_id: str
    kept: Literal["ours", "source"]
    ours_updated: str
    source_updated: str


@dataclass
class ArticleWrite:
    """What one of our articles gets: highlights to put (by id) and records for its
    ``conflicts`` table."""

    put: list[Highlight] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class MergePlan:
    """Everything a merge would write, and what it would report; :func:`apply_merge` writes it."""

    source: Path
    kind: str
    new_articles: list[Article] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)  # source id -> the new id here
    matched: Counter[str] = field(default_factory=Counter)  # by "id", "url", "text"
    writes: dict[str, ArticleWrite] = field(default_factory=dict)
    added: int = 0
    already_here: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    not_placed: list[tuple[str, str, str]] = field(default_factory=list)  # article, id, quote
    unmatched: list[str] = field(default_factory=list)  # an export's articles not here
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (source id, why)
    codebook: dict[str, Tag] = field(default_factory=dict)
    tags_added: list[str] = field(default_factory=list)
    tag_memos_added: list[str] = field(default_factory=list)
    tag_memos_joined: list[str] = field(default_factory=list)
    colours_kept: list[tuple[str, str, str]] = field(default_factory=list)  # name, ours, theirs
    memos: dict[str, str] = field(default_factory=dict)
    memos_added: list[str] = field(default_factory=list)
    memos_joined: list[str] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return not (self.new_articles or self.writes or self.codebook or self.memos)

    def updated(self) -> int:
        """Conflicts where the source's later version replaced ours."""
        return sum(1 for c in self.conflicts if c.kept == "source")

    def lines(self, dry_run: bool = False) -> list[str]:
        """The summary (four lines), then one line per conflict, highlight not placed, article
        left out and tag colour kept. ``dry_run`` words it as what would happen."""
        m = self.matched
        head = "would merge" if dry_run else "merged"
        out = [
            f"{head} {self.source} ({self.kind}): {_n(len(self.new_articles), 'article')} added, "
            f"{sum(m.values())} matched (by id {m['id']}, by URL {m['url']}, "
            f"by text {m['text']})"
            + (f", {len(self.unmatched)} not in this workspace" if self.unmatched else "")
            + (f", {len(self.left_out)} left out" if self.left_out else ""),
            f"highlights: {self.added} added, {len(self.conflicts)} in conflict "
            f"({self.updated()} updated to the source's later version, "
            f"{len(self.conflicts) - self.updated()} ours kept; the other version of each "
            f"{'would be' if dry_run else 'is'} in the conflicts table), "
            f"{len(self.not_placed)} not placed, {self.already_here} already here",
            f"tags: {len(self.tags_added)} added, "
            f"{_memo_phrase(self.tag_memos_added, self.tag_memos_joined)}, "
            f"{_n(len(self.colours_kept), 'colour')} differing (ours kept)",
            f"memos: {len(self.memos_added)} added, {len(self.memos_joined)} joined",
        ]
        keep = "would keep" if dry_run else "kept"
        for c in self.conflicts:
            if c.kept == "source":
                what = f"{keep} the source's later version ({c.source_updated}), "
                what += f"ours ({c.ours_updated})"
            else:
                what = f"{keep} ours ({c.ours_updated}), the source's ({c.source_updated})"
            out.append(
                f"conflict: {c.article_id} highlight {c.highlight_id}: changed on both sides; "
                f"{what} goes in the conflicts table"
            )
        for article_id, highlight_id, quote in self.not_placed:
            excerpt = quote if len(quote) <= 60 else quote[:59] + "…"
            out.append(
                f"not placed: {article_id} highlight {highlight_id}: quote not found here: "
                f"{excerpt!r}"
            )
        for source_id in self.unmatched:
            out.append(f"not merged: article {source_id} is not in this workspace")
        for source_id, why in self.left_out:
            out.append(f"not merged: article {source_id}: {why}")
        for source_id, new_id in self.renamed.items():
            out.append(f"renamed: article {source_id} is {new_id} here (the id was taken)")
        for name, ours, theirs in self.colours_kept:
            out.append(f"tag {name}: colour {ours} kept (the source has {theirs})")
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "kind": self.kind,
            "articles": {
                "added": [a.id for a in self.new_articles],
                "renamed": self.renamed,
                "matched": {k: self.matched[k] for k in ("id", "url", "text")},
                "not_in_workspace": self.unmatched,
                "left_out": [{"id": i, "why": w} for i, w in self.left_out],
            },
            "highlights": {
                "added": self.added,
                "already_here": self.already_here,
                "conflicts": [c.__dict__ for c in self.conflicts],
                "not_placed": [
                    {"article_id": a, "id": h, "quote": q} for a, h, q in self.not_placed
                ],
            },
            "tags": {
                "added": self.tags_added,
                "memos_added": self.tag_memos_added,
                "memos_joined": self.tag_memos_joined,
                "colours_kept": [
                    {"tag": n, "ours": o, "source": t} for n, o, t in self.colours_kept
                ],
            },
            "memos": {"added": self.memos_added, "joined": self.memos_joined},
        }


def _n(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _memo_phrase(added: list[str], joined: list[str]) -> str:
    return f"{_n(len(added), 'memo')} added, {_n(len(joined), 'memo')} joined"
