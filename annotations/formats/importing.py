"""Bring annotations into a workspace: native JSON, W3C Web Annotations, doccano JSONL, and
REFI-QDA projects (read by :mod:`annotations.formats.qdpx_import`).

Parsing is pure and complete before anything is written: a file with one bad field changes
nothing and the error names the file and the line or field. Merging then matches articles by
id, then URL, then (doccano, whose lines carry an article's display text) text; re-anchors every
quote on the local text (the offsets in the file are only a hint); and skips a highlight the
article already has: the same id, or the same span with the same tags (and note), see
:meth:`AnnotationStore.import_highlights`. So an export imported back into its own workspace
adds nothing.

Memos (an article's ``memo`` in native JSON, a W3C ``commenting`` annotation on a whole
source, a tag's ``description``) are never lost to one already there: a memo goes in where
there is none, and one that differs is joined below the memo here, after a blank line
(:func:`joined_memo`). A memo already there, whole or as one of the joined parts, adds
nothing, so importing a file twice doubles nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import orjson

from annotations.anchoring import anchor, locate_exact, quote_selector
from annotations.formats.doccano import UNTAGGED_LABEL
from annotations.formats.incoming import AnnotationImportError as AnnotationImportError
from annotations.formats.incoming import Incoming as Incoming
from annotations.formats.incoming import IncomingArticle as IncomingArticle
from annotations.formats.incoming import checked_id as _id
from annotations.formats.incoming import coder_name as _coder
from annotations.formats.incoming import need as _need
from annotations.formats.incoming import strings as _strings
from annotations.formats.incoming import time_field as _time
from annotations.formats.incoming import unique_id as _unique
from annotations.journal import Journal
from annotations.model import (
    DEFAULT_HIGHLIGHT_COLOR,
    Highlight,
    Tag,
    clean_text,
    is_color,
    known_tag_name,
)
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article, ArticleFormatError, now_iso
from corpus.library import ArticleNotFound, Library
from corpus.plaintext import escape_markdown, normalise_paragraph
from corpus.urls import normalise_url

log = logging.getLogger(__name__)
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
HIGHLIGHT_URN = "urn:reader:highlight:"
ARTICLE_URN = "urn:reader:article:"


@dataclass
class ImportReport:
    """What a merge did, for the command line and the app to show."""

    added: int = 0
    already_there: int = 0
    articles_created: list[str] = field(default_factory=list)
    unknown_articles: list[str] = field(default_factory=list)
    unknown_highlights: int = 0  # the highlights of unknown_articles
    unanchored: list[tuple[str, str]] = field(default_factory=list)  # (article, quote)
    # Memos put in where there was none, and memos joined below a different one already
    # here: ``article <id>`` or ``tag <name>``.
    memos_added: list[str] = field(default_factory=list)
    memos_joined: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        """Highlights that could not be placed: their article or their quote is not here."""
        return self.unknown_highlights + len(self.unanchored)

    def memo_phrase(self) -> str | None:
        """``2 memos added, 1 joined below the one here``, or ``None`` when no memo changed."""
        parts = []
        if self.memos_added:
            n = len(self.memos_added)
            parts.append(f"{n} memo{'s' if n != 1 else ''} added")
        if self.memos_joined:
            n = len(self.memos_joined)
            what = "joined below the one here" if n == 1 else "joined below the ones here"
            parts.append(f"{n} {what}" if parts else f"{n} memo{'s' if n != 1 else ''} {what}")
        return ", ".join(parts) or None

    @property
    def placed_nothing(self) -> bool:
        """Nothing of the file could be placed, though it had something to place."""
        placed = self.added or self.already_there or self.articles_created
        placed = placed or self.memos_added or self.memos_joined
        return not placed and bool(self.skipped or self.unknown_articles)


# -- native -----------------------------------------------------------------------------------
def parse_native(data: Any, name: str) -> Incoming:
    """The native export (``format: reader-annotations``, version 1)."""
    if _need(data, "version", int, name) != 1:
        raise AnnotationImportError(f"{name}.version: only version 1 is understood")
    tags = []
    for i, tag in enumerate(_need(data, "tags", list, name, optional=True) or []):
        where = f"{name}.tags[{i}]"
        color = _need(tag, "color", str, where, optional=True)
        tags.append(
            Tag(
                _need(tag, "name", str, where),
                # A colour that is not #rrggbb cannot be drawn: the default, as for highlights.
                color if color is not None and is_color(color) else DEFAULT_HIGHLIGHT_COLOR,
                _need(tag, "description", str, where, optional=True) or "",
            )
        )
    articles = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(_need(data, "articles", list, name)):
        where = f"{name}.articles[{i}]"
        article = IncomingArticle(
            id=_id(_need(raw, "id", str, where), f"{where}.id"),
            url=_need(raw, "url", str, where, optional=True),
            title=_need(raw, "title", str, where, optional=True),
            memo=_need(raw, "memo", str, where, optional=True) or "",
        )
        for j, h in enumerate(_need(raw, "highlights", list, where)):
            at = f"{where}.highlights[{j}]"
            article.highlights.append(
                Highlight(
                    id=_unique(_need(h, "id", str, at), f"{at}.id", seen),
                    article_id="",
                    quote=_need(h, "quote", str, at),
                    start=_need(h, "start", int, at),
                    end=_need(h, "end", int, at),
                    prefix=_need(h, "prefix", str, at, optional=True) or "",
                    suffix=_need(h, "suffix", str, at, optional=True) or "",
                    tags=_strings(h, "tags", at),
                    note=_need(h, "note", str, at, optional=True) or "",
                    color=_need(h, "color", str, at, optional=True),
                    created=_time(h, "created", at),
                    updated=_time(h, "updated", at),
                    orphaned=bool(_need(h, "orphaned", bool, at, optional=True)),
                    coder=_coder(_need(h, "coder", str, at, optional=True) or "", f"{at}.coder"),
                )
            )
        articles.append(article)
    return Incoming("json", articles, tags)


# -- W3C --------------------------------------------------------------------------------------
def _w3c_items(data: Any, name: str) -> list[tuple[str, Any]]:
    """The annotations of a collection, a page, a list, or a single annotation."""
    if isinstance(data, list):
        return [(f"{name}[{i}]", item) for i, item in enumerate(data)]
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Annotation":
        return [(name, data)]
    if kind == "AnnotationPage":
        return [(f"{name}.items[{i}]", x) for i, x in enumerate(_need(data, "items", list, name))]
    if kind == "AnnotationCollection":
        first = _need(data, "first", dict, name, optional=True)
        if first is None:
            return []
        where = f"{name}.first"
        return [
            (f"{where}.items[{i}]", x) for i, x in enumerate(_need(first, "items", list, where))
        ]
    raise AnnotationImportError(
        f"{name}: not a W3C Annotation, AnnotationPage or AnnotationCollection"
    )


def _local_id(iri: str) -> str:
    if iri.startswith(HIGHLIGHT_URN):
        return unquote(iri[len(HIGHLIGHT_URN) :])  # the export percent-encodes odd ids
    return hashlib.sha1(iri.encode()).hexdigest()[:12]


def _w3c_bodies(item: Any, where: str) -> tuple[list[str], list[str]]:
    """An annotation's tags (bodies with purpose ``tagging``) and its other texts."""
    tags: list[str] = []
    notes: list[str] = []
    bodies = _need(item, "body", (dict, list), where, optional=True) or []
    for k, body in enumerate(bodies if isinstance(bodies, list) else [bodies]):
        at = f"{where}.body[{k}]"
        value = _need(body, "value", str, at, optional=True)
        if value is None:
            continue
        purpose = _need(body, "purpose", str, at, optional=True)
        (tags if purpose == "tagging" else notes).append(value)
    return tags, notes


def _whole_source(target: Any, where: str) -> str | None:
    """The source an annotation without a selector is about (an article memo, or a page note
    from another tool), or ``None`` when the target has a selector."""
    if isinstance(target, str):
        return target
    if isinstance(target, dict) and "selector" not in target:
        key = "source" if "source" in target else "id"
        return str(_need(target, key, str, f"{where}.target"))
    return None


def parse_w3c(data: Any, name: str) -> Incoming:
    """W3C Web Annotations with a TextQuoteSelector (and optionally a TextPositionSelector);
    a comment on a whole source (no selector) is that article's memo."""
    by_source: dict[str, IncomingArticle] = {}
    seen: dict[str, str] = {}
    for where, item in _w3c_items(data, name):
        if _need(item, "type", str, where) != "Annotation":
            raise AnnotationImportError(f"{where}.type: expected 'Annotation'")
        target = _need(item, "target", (dict, str, list), where)
        if isinstance(target, list):
            if len(target) != 1:
                raise AnnotationImportError(f"{where}.target: expected one target")
            target = target[0]
        whole = _whole_source(target, where)
        if whole is not None:
            memo = "\n\n".join(v for v in _w3c_bodies(item, where)[1] if v.strip())
            if not memo:
                raise AnnotationImportError(f"{where}.target: has no selector to anchor the quote")
            article = by_source.setdefault(whole, _article_for_source(whole, f"{where}.target"))
            article.memo = joined_memo(article.memo, memo) or article.memo
            continue
        source = _need(target, "source", str, f"{where}.target")
        selectors = _need(target, "selector", (dict, list), f"{where}.target")
        selectors = selectors if isinstance(selectors, list) else [selectors]
        quote = position = None
        for k, selector in enumerate(selectors):
            at = f"{where}.target.selector[{k}]"
            kind = _need(selector, "type", str, at)
            if kind == "TextQuoteSelector":
                quote = (
                    _need(selector, "exact", str, at),
                    _need(selector, "prefix", str, at, optional=True) or "",
                    _need(selector, "suffix", str, at, optional=True) or "",
                )
            elif kind == "TextPositionSelector":
                position = (_need(selector, "start", int, at), _need(selector, "end", int, at))
        if quote is None:
            raise AnnotationImportError(f"{where}.target.selector: no TextQuoteSelector")
        tags, notes = _w3c_bodies(item, where)
        article = by_source.setdefault(
            source, _article_for_source(source, f"{where}.target.source")
        )
        start, end = position or (0, len(quote[0]))
        article.highlights.append(
            Highlight(
                id=_unique(_local_id(_need(item, "id", str, where)), f"{where}.id", seen),
                article_id="",
                quote=quote[0],
                prefix=quote[1],
                suffix=quote[2],
                start=start,
                end=end,
                tags=tags,
                note="\n\n".join(notes),
                created=_time(item, "created", where),
                updated=_time(item, "modified", where),
                coder=_w3c_creator(item, where),
            )
        )
    return Incoming("w3c", list(by_source.values()))


def _w3c_creator(item: Any, where: str) -> str:
    """The coder a W3C annotation names as its ``creator`` (a name, or an agent with a
    ``name``/``nickname``): "" when it names none."""
    creator = item.get("creator") if isinstance(item, dict) else None
    if isinstance(creator, list):
        creator = creator[0] if creator else None
    if isinstance(creator, dict):
        creator = creator.get("name") or creator.get("nickname")
    return _coder(creator, f"{where}.creator") if isinstance(creator, str) else ""


def _article_for_source(source: str, where: str) -> IncomingArticle:
    if source.startswith(ARTICLE_URN):
        return IncomingArticle(id=_id(unquote(source[len(ARTICLE_URN) :]), where))
    return IncomingArticle(url=source)


# -- doccano ----------------------------------------------------------------------------------
def parse_doccano(text: str, name: str) -> Incoming:
    """doccano span-labelling JSONL: ``{"text": ..., "label": [[start, end, "tag"], ...]}``."""
    articles = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise AnnotationImportError(f"{where}: not JSON ({exc})") from None
        body = _need(row, "text", str, where)
        labels = row.get("label", row.get("labels", [])) if isinstance(row, dict) else []
        if not isinstance(labels, list):
            raise AnnotationImportError(f"{where}.label: expected a list of [start, end, label]")
        raw_id = row.get("id")
        # A string id is our own export's article id (checked as every id from a file is);
        # doccano numbers its documents, and a number names no local article.
        local = isinstance(raw_id, str)
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            raw_id = str(raw_id)
        elif raw_id is not None:
            raw_id = _id(raw_id, f"{where}.id", "document id")
        article = IncomingArticle(id=raw_id, text=body)
        article.local_id = local
        for k, label in enumerate(labels):
            ok = (
                isinstance(label, list)
                and len(label) == 3
                and all(isinstance(x, int) and not isinstance(x, bool) for x in label[:2])
                and isinstance(label[2], str)
            )
            if not ok or not 0 <= label[0] < label[1] <= len(body):
                raise AnnotationImportError(
                    f"{where}.label[{k}]: expected [start, end, label] inside the text"
                )
            start, end, tag = label
            selector = quote_selector(body, start, end)
            span_id = hashlib.sha1(f"{body}\0{start}\0{end}".encode()).hexdigest()[:12]
            existing = next((h for h in article.highlights if h.id == span_id), None)
            if existing is not None:
                if tag != UNTAGGED_LABEL and tag not in existing.tags:
                    existing.tags.append(tag)
                continue
            article.highlights.append(
                Highlight(
                    id=span_id,
                    article_id="",
                    start=start,
                    end=end,
                    quote=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    tags=[tag] if tag != UNTAGGED_LABEL else [],
                )
            )
        articles.append(article)
    return Incoming("jsonl", articles)


# -- reading a file ---------------------------------------------------------------------------
def read_annotations(path: Path) -> Incoming:
    """Parse an annotations file of any supported format, recognised by its content."""
    name = str(path)
    if _is_zip(path):
        from annotations.formats.qdpx_import import parse_qdpx

        return parse_qdpx(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise AnnotationImportError(f"{name}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnnotationImportError(f"{name}: not UTF-8 (byte {exc.start})") from None
    if not text.strip():
        raise AnnotationImportError(f"{name}: empty file")
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return parse_doccano(text, name)  # several JSON lines
    if isinstance(data, dict) and data.get("format") == "reader-annotations":
        return parse_native(data, name)
    if isinstance(data, dict) and "text" in data and ("label" in data or "labels" in data):
        return parse_doccano(text, name)  # a single doccano line
    from annotations.formats.hypothesis import is_hypothesis, parse_hypothesis

    if is_hypothesis(data):
        return parse_hypothesis(data, name)
    if isinstance(data, (dict, list)):
        return parse_w3c(data, name)
    raise AnnotationImportError(f"{name}: not a reader, W3C or doccano annotations file")


def _is_zip(path: Path) -> bool:
    """A REFI-QDA project (``.qdpx``), by its name or by the zip signature it starts with."""
    if path.suffix.lower() == ".qdpx":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # reading it says why


# -- merging ----------------------------------------------------------------------------------
def joined_memo(existing: str, incoming: str) -> str | None:
    """The memo once an import brings ``incoming`` where ``existing`` is, or ``None`` when
    that changes nothing: ``incoming`` where there is no memo; below ``existing``, after a
    blank line, when it differs; nothing when it is already there, the whole memo or one of
    the parts an earlier import joined (so a second import of the same file adds nothing)."""
    new = clean_text(incoming).strip()
    if not new:
        return None
    here = existing.strip()
    if not here:
        return new
    if f"\n\n{new}\n\n" in f"\n\n{here}\n\n":
        return None
    return f"{here}\n\n{new}"


def _merge_memos(
    store: AnnotationStore, memos: dict[str, str], tags: list[Tag], report: ImportReport
) -> None:
    """Bring the file's article and tag memos in (:func:`joined_memo`), each kind in one
    write; a tag's memo only for a tag the codebook has (the import brings a tag with a
    highlight that uses it)."""
    states = store.states()
    changed: dict[str, str] = {}
    for article_id, memo in memos.items():
        state = states.get(article_id)
        existing = state.memo if state is not None else ""
        new = joined_memo(existing, memo)
        if new is not None:
            changed[article_id] = new
            (report.memos_joined if existing.strip() else report.memos_added).append(
                f"article {article_id}"
            )
    if changed:
        store.set_memos(changed)
    codebook = {t.name: t for t in store.tags()}
    after: dict[str, Tag | None] = {}
    for tag in tags:
        try:
            name = known_tag_name(tag.name, codebook)
        except StoreError:
            continue  # a name no highlight can have: no tag here to take its memo
        here = after.get(name) or codebook.get(name)
        if here is None:
            continue
        existing = here.description
        new = joined_memo(existing, tag.description)
        if new is not None:
            after[name] = replace(here, description=new)
            (report.memos_joined if existing.strip() else report.memos_added).append(f"tag {name}")
    if after:
        store.write_codebook(after)


class _DisplayTexts:
    """The workspace's articles by display text, read the first time one is looked up: a
    doccano line carries an article's display text, which is not its Markdown body."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._ids: dict[bytes, str] | None = None

    def find(self, text: str) -> str | None:
        if self._ids is None:
            self._ids = {}
            for article_id in self.library.ids():
                try:
                    display = self.library.display(article_id).text
                except (ArticleNotFound, ArticleFormatError):
                    continue  # unreadable articles are `reader doctor`'s to report
                self._ids.setdefault(_digest(display), article_id)
        return self._ids.get(_digest(text))


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _doccano_article(
    store: AnnotationStore, incoming: IncomingArticle, pending: list[Article]
) -> tuple[Article, bool]:
    """The article for a doccano text the workspace does not hold under its id or display
    text: one it (or this import, ``pending``) holds from the same origin or with the same
    body, or a new one, not yet saved, whose paragraphs are the text's."""
    assert incoming.text is not None
    paragraphs = [p for p in (normalise_paragraph(p) for p in incoming.text.split("\n\n")) if p]
    body = incoming.body or "\n\n".join(escape_markdown(p) for p in paragraphs) + "\n"
    first = paragraphs[0] if paragraphs else "Untitled"
    title = incoming.title or (first if len(first) <= 80 else first[:79].rstrip() + "…")
    # Lines without an id share no origin: only their text can make them the same article.
    origin = f"doccano:{incoming.id}" if incoming.id is not None else None
    draft = Article(
        id="draft",
        title=title,
        body=body,
        imported_from=incoming.origin or origin,
        author=incoming.author,
        site=incoming.site,
        url=incoming.url,
        published=incoming.published,
    )
    for earlier in pending:
        if earlier.checksum == draft.checksum:
            return earlier, False
    existing = store.library.find_existing(draft)
    if existing is not None:
        return existing, False
    taken = {a.id for a in pending}
    base = store.library.unique_id(title)
    if incoming.keep_id and incoming.id:
        base = incoming.id
    draft.id, n = base, 2
    while draft.id in taken or draft.id in store.library:
        draft.id, n = f"{base}-{n}", n + 1
    draft.imported = now_iso()
    return draft, True


def _place(text: str, h: Highlight) -> tuple[int, int] | None:
    """Where an incoming highlight goes on the local text. With context (our exports, and
    Hypothesis's, carry prefix and suffix) it is placed as re-anchoring places it: only where
    the context agrees, so a passage the local text lacks is not put on the same words
    elsewhere. A bare quote (a hand-written W3C annotation) has only its words and the file's
    offset to go by: the occurrence nearest that offset."""
    selector = h.selector()
    if not (h.prefix or h.suffix):
        return locate_exact(text, selector, h.start)
    found = anchor(text, selector, h.start, h.end)
    return None if found is None else (found.start, found.end)


def merge(store: AnnotationStore, incoming: Incoming) -> ImportReport:
    """Add what ``incoming`` holds to the workspace; see the module docstring."""
    report = ImportReport()
    by_url: dict[str, list[str]] | None = None
    plans: list[tuple[str, list[Highlight]]] = []
    new_articles: list[Article] = []
    display_texts = _DisplayTexts(store.library)
    listed: set[str] | None = None
    memos: dict[str, str] = {}  # the file's memo for each article found, joined if several
    for incoming_article in incoming.articles:
        article_id: str | None
        known = incoming_article.id if incoming_article.local_id else None
        if incoming_article.text is not None:
            # By id (one listed in articles/: a line's id is never joined to a path), then by
            # display text; else by origin or body, or a new article.
            if listed is None:
                listed = set(store.library.ids())
            article_id = known if known in listed else None
            article_id = article_id or display_texts.find(incoming_article.text)
            if article_id is not None:
                text = store.library.display(article_id).text
            else:
                local, created = _doccano_article(store, incoming_article, new_articles)
                if created:
                    new_articles.append(local)
                article_id, text = local.id, local.display.text
        else:
            article_id = known if known in store.library else None
            if article_id is None and incoming_article.url:
                if by_url is None:
                    by_url = {}
                    for a in store.library.articles():
                        if a.url:
                            by_url.setdefault(normalise_url(a.url), []).append(a.id)
                matches = by_url.get(normalise_url(incoming_article.url), [])
                if len(matches) > 1:
                    raise AnnotationImportError(
                        f"{incoming_article.url}: matches {len(matches)} articles "
                        f"({', '.join(matches)}); nothing imported"
                    )
                article_id = matches[0] if matches else None
            if article_id is None:
                report.unknown_articles.append(incoming_article.id or incoming_article.url or "?")
                report.unknown_highlights += len(incoming_article.highlights)
                continue
            text = store.library.display(article_id).text
        if incoming_article.memo.strip():
            so_far = memos.get(article_id, "")
            memos[article_id] = joined_memo(so_far, incoming_article.memo) or so_far
        highlights = []
        for h in incoming_article.highlights:
            found = _place(text, h)
            if found is None and h.orphaned:
                highlights.append(replace(h, article_id=article_id, tags=list(h.tags)))
                continue  # an orphan stays one: kept with its quote, placed nowhere
            if found is None:
                report.unanchored.append((article_id, h.quote))
                continue
            stamp = h.created or now_iso()
            highlights.append(
                h.placed(
                    text,
                    *found,
                    article_id=article_id,
                    tags=list(h.tags),
                    created=stamp,
                    updated=h.updated or stamp,
                )
            )
        plans.append((article_id, highlights))
    # Everything is parsed and placed: now write, all of it or none of it, even if this
    # process is killed half-way (the journal; annotations/journal.py). Only files the merge
    # writes are kept: an existing article's file is not one of them.
    if not plans and not new_articles:
        return report  # nothing of the file is for this workspace: nothing to write
    ws = store.workspace
    touched = [ws.workspace_db]
    for article in new_articles:
        touched.append(ws.article_file(article.id))
    for article_id in {a.id for a in new_articles} | {article_id for article_id, _ in plans}:
        touched += [ws.highlights_db(article_id), ws.display_cache(article_id)]
    with store.lock:
        journal = Journal.begin(ws, touched, "import-annotations")
        try:
            for new in new_articles:
                store.library.save(new)
                report.articles_created.append(new.id)
            for article_id, highlights in plans:
                added = store.import_highlights(
                    article_id, highlights, incoming.tags, spans=incoming.format == "jsonl"
                )
                report.added += len(added)
                report.already_there += len(highlights) - len(added)
            _merge_memos(store, memos, incoming.tags, report)
        except BaseException:
            journal.roll_back()
            raise
        journal.commit()
    return report
