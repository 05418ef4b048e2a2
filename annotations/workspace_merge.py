"""``reader merge SOURCE``: bring another workspace folder, or a native JSON export, into this one.

The git merge driver (:mod:`annotations.merging`) merges two clones of one workspace, file by
file, with their common ancestor. This merges without git and without an ancestor: a colleague's
folder sent by other means, or their ``reader export --format json``.

* **Articles** are matched by id (only when it is the same source: the same URL, or, when
  neither has a URL, the same display text), then by URL, then by display text. An article is
  never replaced by another one: the same id with another URL or text is a different article.
  A workspace's article that matches none of ours is copied in (its file as it is, under its
  id unless that id is taken here, then under a fresh one); an export carries no article text,
  so its unmatched articles are reported, not made. One that matches an article in our trash
  stays in the trash: it was deleted here.
* **Highlights** are unioned by id, two-way (:func:`annotations.merging.merge_records` with no
  base): one only the source has is added; the same on both sides changes nothing; the same id
  changed differently keeps the later ``updated`` (ours on a tie) and puts the other in the
  file's ``conflicts`` table, as the git driver does. A source highlight goes on our text where
  its exact quote is, with its context agreeing (:func:`annotations.anchoring.anchor`, its
  fuzzy matches refused): a note never lands on other words. One that cannot be placed is
  reported and left out (an orphan in the source stays an orphan here).
* **Tags**: one only the source has is added with its colour and memo; a memo that differs is
  joined below ours (:func:`annotations.formats.importing.joined_memo`); a colour that differs
  keeps ours and is reported. **Article memos** are joined the same way; reading state,
  archived or not, stays ours.

The source is only read (:mod:`annotations.merge_sources` reads it). The merge is planned in
full first (:class:`annotations.merge_plan.MergePlan`, which also words the report) without
our lock, then written under it, all of it or none of it
(:class:`annotations.journal.Journal`); a dry run only plans.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Literal

from annotations import records
from annotations.anchoring import anchor
from annotations.formats.importing import _DisplayTexts, joined_memo
from annotations.journal import Journal
from annotations.merge_plan import ArticleWrite, Conflict, MergePlan
from annotations.merge_sources import MergeError, Source, SourceArticle, not_merged, read_source
from annotations.merging import merge_records
from annotations.model import (
    Highlight,
    Tag,
    clean_coder,
    clean_text,
    is_color,
    is_valid_highlight_id,
    known_tag_name,
    known_tag_names,
    palette_color,
    parse_time,
)
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from annotations.trash import trashed
from corpus.article import Article, ArticleFormatError, now_iso, parse_article
from corpus.library import ArticleNotFound
from corpus.workspace import Workspace

__all__ = ["MergeError", "MergePlan", "apply_merge", "merge_source", "plan_merge", "read_source"]

_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


# -- planning -------------------------------------------------------------------------------------
def _stamp(value: str) -> str:
    """A time as the store writes it (UTC, to the second, ``Z``), so that the later of two
    versions can be told by comparing them as text; ``""`` stays ``""``."""
    if not value or _STORED_TIME.fullmatch(value):
        return value
    moment = parse_time(value).astimezone(dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def _checked(h: Highlight, where: str) -> Highlight:
    """A source highlight whose fields can be stored, or :class:`MergeError` naming it."""
    if not is_valid_highlight_id(h.id):
        raise MergeError(f"{where}: highlight id {h.id!r:.50} cannot be one; nothing merged")
    try:
        coder = clean_coder(h.coder)
        created = _stamp(h.created) or now_iso()
        updated = _stamp(h.updated) or created
    except (StoreError, ValueError) as exc:
        raise MergeError(f"{where}: highlight {h.id}: {exc}; nothing merged") from None
    color = h.color if h.color is not None and is_color(h.color) else None
    return replace(
        h,
        tags=list(h.tags),
        note=clean_text(h.note),
        coder=coder,
        created=created,
        updated=updated,
        color=color,
    )


def _place(text: str, h: Highlight) -> tuple[int, int] | None:
    """Where a source highlight goes on our text: its exact quote, where its context agrees
    (at its own offsets first); never a fuzzy match, which would be other words."""
    found = anchor(text, h.selector(), h.start, h.end)
    if found is None or found.method == "fuzzy" or text[found.start : found.end] != h.quote:
        return None
    return found.start, found.end


class _Ours:
    """Our articles as the matching needs them, read once and only when asked."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.ids = set(store.library.ids())
        self._by_url: dict[str, list[str]] | None = None
        self.texts = _DisplayTexts(store.library)
        self._trash: tuple[set[str], set[str]] | None = None

    def get(self, article_id: str) -> Article:
        try:
            return self.store.library.get(article_id)
        except (ArticleNotFound, ArticleFormatError) as exc:
            raise not_merged(exc) from None

    def text(self, article_id: str) -> str:
        try:
            return self.store.library.display(article_id).text
        except (ArticleNotFound, ArticleFormatError) as exc:
            raise not_merged(exc) from None

    def by_url(self, url: str) -> list[str]:
        if self._by_url is None:
            self._by_url = {}
            for summary in self.store.library.summaries():
                if summary.url:
                    self._by_url.setdefault(summary.url, []).append(summary.id)
        return self._by_url.get(url, [])

    def trash(self) -> tuple[set[str], set[str]]:
        """The ids and the URLs of the articles in our trash."""
        if self._trash is None:
            ids, urls = set(), set()
            for entry in trashed(self.store):
                ids.add(entry.article_id)
                try:
                    file = entry.folder / f"{entry.article_id}.md"
                    url = parse_article(entry.article_id, file.read_text("utf-8")).url
                except (OSError, UnicodeDecodeError, ArticleFormatError):
                    url = None
                if url:
                    urls.add(url)
            self._trash = ids, urls
        return self._trash


def _same_source(s: SourceArticle, ours: Article, ours_text: str | None) -> bool:
    """Whether an article of ours with the source article's id is that article: the same URL,
    or, when neither has one, the same display text. An export carries no text, and may leave
    the URL out: its id is taken unless the two URLs differ."""
    if s.article is None:
        return not (s.url and ours.url and s.url != ours.url)
    if s.url or ours.url:
        return s.url == ours.url
    return s.text is None or s.text == ours_text


def _match(s: SourceArticle, ours: _Ours, plan: MergePlan) -> str | None:
    """The id of our article that ``s`` is, counted in ``plan.matched``; ``None`` if none is.
    An article that is not to be merged at all is named in ``plan.left_out`` with why."""
    if s.id in ours.ids:
        held = ours.get(s.id)
        held_text = ours.text(s.id) if not (s.url or held.url) and s.text is not None else None
        if _same_source(s, held, held_text):
            plan.matched["id"] += 1
            return s.id
    if s.url:
        found = ours.by_url(s.url)
        if len(found) > 1 and s.text is not None:
            found = [i for i in found if ours.text(i) == s.text] or found
        if len(found) == 1:
            plan.matched["url"] += 1
            return found[0]
        if found:
            plan.left_out.append(
                (s.id, f"its URL is that of {len(found)} articles here ({', '.join(found)})")
            )
            return None
    if s.text is not None:
        found_id = ours.texts.find(s.text)
        if found_id is not None:
            plan.matched["text"] += 1
            return found_id
    ids, urls = ours.trash()
    if (s.url and s.url in urls) or (s.id in ids and not s.url):
        plan.left_out.append((s.id, "it is in the trash here (reader restore brings it back)"))
        return None
    return None


def plan_merge(store: AnnotationStore, source: Source) -> MergePlan:
    """What merging ``source`` into ``store``'s workspace would do; nothing is written."""
    plan = MergePlan(source.path, source.kind)
    ours = _Ours(store)
    codebook = {t.name: t for t in store.tags()}
    in_use = set(codebook)
    _plan_codebook(plan, source.tags, codebook, in_use)
    states = store.states()
    taken = set(ours.ids) | ours.trash()[0]
    for s in source.articles:
        left_out = len(plan.left_out)
        local_id = _match(s, ours, plan)
        if local_id is None:
            if len(plan.left_out) > left_out:
                continue
            if s.article is None:
                plan.unmatched.append(s.id)
                continue
            local_id = _copy(s.article, taken, store, plan)
            text = _lazy(partial(_source_text, s))
            existing: list[Highlight] = []
            memo_here = ""
        else:
            text = _lazy(partial(ours.text, local_id))
            existing = store.highlights(local_id, check=False) if s.highlights else []
            state = states.get(local_id)
            memo_here = state.memo if state is not None else ""
        if s.memo.strip():
            so_far = plan.memos.get(local_id, memo_here)
            joined = joined_memo(so_far, s.memo)
            if joined is not None:
                plan.memos[local_id] = joined
                (plan.memos_joined if so_far.strip() else plan.memos_added).append(local_id)
        if s.highlights:
            _plan_highlights(plan, store, s, local_id, text, existing, codebook, in_use)
    return plan


def _source_text(s: SourceArticle) -> str:
    return s.text or ""


def _lazy(make: Callable[[], str]) -> Callable[[], str]:
    """``make``, called once, when first needed: rendering an article costs milliseconds, and
    a merge done before needs no text (every highlight is already here as it is there)."""
    made: list[str] = []

    def get() -> str:
        if not made:
            made.append(make())
        return made[0]

    return get


def _copy(article: Article, taken: set[str], store: AnnotationStore, plan: MergePlan) -> str:
    """Plan a source article's copy here: under its id, unless that is taken."""
    new_id = article.id
    if new_id in taken:
        base = store.library.unique_id(article.title)
        new_id, n = base, 2
        while new_id in taken:
            new_id, n = f"{base}-{n}", n + 1
        plan.renamed[article.id] = new_id
    taken.add(new_id)
    plan.new_articles.append(replace(article, id=new_id, extra=dict(article.extra)))
    return new_id


def _plan_codebook(
    plan: MergePlan, tags: Iterable[Tag], codebook: dict[str, Tag], in_use: set[str]
) -> None:
    for tag in sorted(tags, key=lambda t: t.name.casefold()):
        try:
            name = known_tag_name(tag.name, in_use)
        except StoreError as exc:
            raise MergeError(
                f"{plan.source}: tag {tag.name!r:.50}: {exc}; nothing merged"
            ) from None
        here = plan.codebook.get(name) or codebook.get(name)
        if here is None:
            color = tag.color if is_color(tag.color) else palette_color(len(in_use))
            plan.codebook[name] = Tag(name, color, clean_text(tag.description))
            plan.tags_added.append(name)
            in_use.add(name)
            continue
        joined = joined_memo(here.description, tag.description)
        if joined is not None:
            plan.codebook[name] = replace(here, description=joined)
            (plan.tag_memos_joined if here.description.strip() else plan.tag_memos_added).append(
                name
            )
        if is_color(tag.color) and tag.color.lower() != here.color.lower():
            plan.colours_kept.append((name, here.color, tag.color))


def _plan_highlights(
    plan: MergePlan,
    store: AnnotationStore,
    s: SourceArticle,
    local_id: str,
    text_of: Callable[[], str],
    existing: list[Highlight],
    codebook: dict[str, Tag],
    in_use: set[str],
) -> None:
    where = f"{plan.source}: article {s.id}"
    ours = {h.id: h.to_dict() for h in existing}
    # Another source article merged into this one earlier in the plan: its highlights count.
    ours.update((h.id, h.to_dict()) for h in plan.writes.get(local_id, ArticleWrite()).put)
    placed: dict[str, dict[str, Any]] = {}
    for raw in s.highlights:
        h = _checked(raw, where)
        try:
            h.tags = known_tag_names(h.tags, in_use)
        except StoreError as exc:
            raise MergeError(f"{where}: highlight {h.id}: {exc}; nothing merged") from None
        as_here = replace(h, article_id=local_id).to_dict()
        if ours.get(h.id) == as_here:
            placed[h.id] = as_here  # the same record here: nothing to place
            continue
        text = text_of()
        found = _place(text, h) if h.quote else None
        if found is None and not h.orphaned:
            plan.not_placed.append((local_id, h.id, h.quote))
            continue
        if found is None:  # an orphan stays one: kept with its quote, placed nowhere
            end = min(max(h.end, 1), max(len(text), 1))
            h = replace(h, article_id=local_id, end=end, start=min(max(h.start, 0), end - 1))
        else:
            h = h.placed(text, *found, article_id=local_id, orphaned=False)
        for name in h.tags:
            if name not in in_use:
                plan.codebook[name] = Tag(name, palette_color(len(in_use)))
                plan.tags_added.append(name)
                in_use.add(name)
        placed[h.id] = h.to_dict()
    merged = merge_records({}, ours, placed)
    kept = _kept_conflicts(store, local_id) if existing else []
    write = ArticleWrite()
    losers = iter(merged.conflicts)
    for event in merged.events:
        if event.outcome == "added" and event.side == "both":
            plan.already_here += 1
        elif event.outcome == "added" and event.side == "theirs":
            write.put.append(Highlight.from_dict(merged.records[event.highlight_id]))
            plan.added += 1
        elif event.outcome == "conflict":
            loser = {"table": records.HIGHLIGHTS_TABLE, **next(losers)}
            side: Literal["ours", "source"] = "ours" if event.side == "ours" else "source"
            if side == "ours" and loser in kept:
                plan.already_here += 1  # merged before: the source's version is kept already
                continue
            o, t = ours[event.highlight_id], placed[event.highlight_id]
            if side == "source":
                write.put.append(Highlight.from_dict(merged.records[event.highlight_id]))
            if loser not in kept:
                write.conflicts.append(loser)
                kept.append(loser)
            plan.conflicts.append(
                Conflict(
                    local_id, event.highlight_id, side, o.get("updated", ""), t.get("updated", "")
                )
            )
    if write.put or write.conflicts:
        earlier = plan.writes.setdefault(local_id, ArticleWrite())
        earlier.put += write.put
        earlier.conflicts += write.conflicts


def _kept_conflicts(store: AnnotationStore, article_id: str) -> list[dict[str, Any]]:
    return records.kept_conflicts(store.highlights_file(article_id))


# -- writing --------------------------------------------------------------------------------------
def apply_merge(store: AnnotationStore, plan: MergePlan) -> None:
    """Write what ``plan`` holds, all of it or none of it; call with ``store.lock`` held, on a
    workspace no one has written to since the plan was made (:func:`merge_source` checks)."""
    if plan.changes_nothing:
        return
    ws = store.workspace
    touched = [ws.workspace_db]
    touched += [ws.article_file(a.id) for a in plan.new_articles]
    touched += [ws.highlights_db(article_id) for article_id in plan.writes]
    journal = Journal.begin(ws, touched, "merge")
    try:
        for article in plan.new_articles:
            store.library.save(article)
        try:
            records.write_highlight_files(
                {
                    ws.highlights_db(aid): ({h.id: h for h in w.put}.values(), ())
                    for aid, w in plan.writes.items()
                },
                {ws.highlights_db(aid): w.conflicts for aid, w in plan.writes.items()},
            )
        except StoreError as exc:
            raise StoreError(str(exc).replace("; nothing changed", "; nothing merged")) from None
        if plan.codebook:
            store.write_codebook(plan.codebook)
        if plan.memos:
            store.set_memos(plan.memos)
    except BaseException:
        journal.roll_back()
        raise
    journal.commit()


def merge_source(store: AnnotationStore, path: Path, *, dry_run: bool = False) -> MergePlan:
    """Merge the workspace folder or native JSON export at ``path`` into ``store``'s
    workspace (see the module); with ``dry_run`` only say what it would do. Returns the plan,
    which says what was (or would be) done. Raises :class:`MergeError` or
    :class:`StoreError` with nothing written."""
    source = read_source(path, store.workspace)
    # Planned without the lock (rendering a thousand articles takes seconds, and the app's
    # writes would wait for them), then written under it, planned again first if anything
    # was written in between.
    before = _fingerprint(store.workspace)
    plan = plan_merge(store, source)
    if dry_run:
        return plan
    with store.lock:
        if _fingerprint(store.workspace) != before:
            plan = plan_merge(store, source)
        apply_merge(store, plan)
    return plan


def _fingerprint(ws: Workspace) -> list[tuple[str, int, int, int]]:
    """The files a plan reads, each with its inode, size and change time: every write
    replaces a file, so a write since shows here."""
    out = []
    try:
        st = ws.workspace_db.stat()
        out.append((str(ws.workspace_db), st.st_ino, st.st_size, st.st_mtime_ns))
    except FileNotFoundError:
        pass
    for folder in (ws.highlights_dir, ws.articles_dir, ws.trash_dir):
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            try:
                st = entry.stat(follow_symlinks=True)
            except FileNotFoundError:
                continue
            out.append((entry.path, st.st_ino, st.st_size, st.st_mtime_ns))
    return sorted(out)
