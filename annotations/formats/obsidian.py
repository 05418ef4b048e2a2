"""Obsidian vault export: a folder with one Markdown note per article, updated in place.

Each note has YAML properties (``title``, ``author``, ``url``, ``published``, ``tags``,
``reader-id``), then reader's part between two comment lines, ``%% reader:start %%`` and
``%% reader:end %%``: the article's memo in a ``> [!note] Memo`` callout, then each highlight as
a ``> [!quote]`` callout (the quote, then its tags as ``#AI/likeness``), its block id (``^id``)
on the line after it and its note below.

Exporting again finds each article's note by its ``reader-id`` property (wherever in the vault
the person moved it, under whatever name), replaces only what lies between the two markers,
and sets only reader's properties, keeping the lines of the others where they are; what the
person wrote before or after the markers stays as it was. A note whose bytes would not change
is not written, so a second export changes nothing. Every note is planned before any is
written: an existing note that cannot be updated (its markers broken, its properties not YAML)
refuses the whole export in one line, with nothing written. Each file is written atomically;
a file that is not reader's (no markers, no ``reader-id``) is never written over: the new note
takes another name.

Names: the title with what file systems or Obsidian links cannot hold (``/ \\ : * ? " < > | #
^ [ ]``, control characters, leading dots, runs of dots, Windows' reserved names) replaced,
at most 100 characters (110 bytes); the article id is added in parentheses when the name is taken.
Tags: Obsidian allows letters, digits, ``_``, ``-`` and ``/`` (nesting) and needs a character
that is not a digit, so white space and other characters become ``-`` and an all-digit tag
gets a leading ``_``. Block ids allow letters, digits and ``-``: an id with anything else
becomes those characters plus a short digest of the id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from annotations.formats.markdown_export import paragraphs
from annotations.formats.selection import Selection
from annotations.model import Highlight, clean_text
from annotations.storage import StoreError
from corpus.article import Article
from corpus.fsutil import atomic_create_bytes, atomic_write_bytes

START = "%% reader:start %%"
END = "%% reader:end %%"
OWN_KEYS = ("title", "author", "url", "published", "tags", "reader-id")
MAX_NAME = 100
# With " (article id)", ".md" and a counter, a name stays under the 255 bytes file systems allow.
MAX_NAME_BYTES = 110

_NAME_UNSAFE = re.compile(r'[\\/*?"<>|#^\[\]]')
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)
_BLOCK_ID = re.compile(r"[A-Za-z0-9-]+")
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_LINE = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#\-'"][^:]*?))\s*:(?:\s|$)""")


class VaultNoteError(StoreError):
    """An existing note reader cannot update; ``str()`` names the file and the problem."""


@dataclass
class VaultReport:
    """What an export to a vault did: the notes it made, updated and left as they were."""

    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    def phrase(self) -> str:
        """``3 notes: 1 new, 1 updated, 1 unchanged``."""
        total = len(self.new) + len(self.updated) + len(self.unchanged)
        parts = [
            f"{len(items)} {what}"
            for items, what in (
                (self.new, "new"),
                (self.updated, "updated"),
                (self.unchanged, "unchanged"),
            )
            if items
        ]
        return f"{total} note{'s' if total != 1 else ''}" + (
            f": {', '.join(parts)}" if parts else ""
        )


# -- names, tags, ids, YAML -------------------------------------------------------------------
def note_stem(title: str, article_id: str) -> str:
    """A file name (without ``.md``) for a note titled ``title``: safe on every file system
    and in Obsidian's links; the article id when nothing of the title is left."""
    text = unicodedata.normalize("NFC", title)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    text = text.replace(":", " -")
    text = _NAME_UNSAFE.sub(" ", text)
    text = re.sub(r"\.{2,}", "…", text)
    text = " ".join(text.split()).strip(" .")
    if len(text) > MAX_NAME:
        cut = text[:MAX_NAME]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[MAX_NAME // 2 :] else cut).rstrip(" .-")
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:  # file systems count bytes
        text = text[:-1].rstrip(" .-")
    if not text:
        text = article_id
    if text.split(".")[0].upper() in _RESERVED:
        text = f"{text}_"
    return text


def obsidian_tag(name: str) -> str:
    """A reader tag as an Obsidian tag (without ``#``): see the module docstring."""
    segments = []
    for segment in name.split("/"):
        spaced = "-".join(segment.split())
        word = "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in spaced)
        word = re.sub(r"-{2,}", "-", word).strip("-")
        if word:
            segments.append(word)
    tag = "/".join(segments) or "tag"
    if tag.replace("/", "").isdigit():
        tag = "_" + tag
    return tag


def block_id(highlight_id: str) -> str:
    """A highlight id as an Obsidian block id (letters, digits and ``-`` only)."""
    if _BLOCK_ID.fullmatch(highlight_id):
        return highlight_id
    digest = hashlib.sha1(highlight_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    kept = re.sub(r"[^A-Za-z0-9-]+", "-", highlight_id).strip("-")[:40]
    return f"{kept}-{digest}" if kept else f"h-{digest}"


def yaml_string(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: every character that YAML would not read
    back as itself (quotes, backslashes, line breaks, control and non-printable
    characters) escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif (
            code < 0x20
            or 0x7F <= code <= 0x9F
            or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
            or 0xD800 <= code <= 0xDFFF
        ):
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _escaped(text: str) -> list[str]:
    """Markdown lines for ``text`` (see :func:`paragraphs`), with ``%`` escaped too so that
    nothing in it opens an Obsidian comment or reads as a marker line."""
    return [line.replace("%", "\\%") for line in paragraphs(text)]


# -- a note -----------------------------------------------------------------------------------
def properties(article: Article, highlights: Iterable[Highlight]) -> dict[str, list[str]]:
    """reader's YAML properties of a note, each as its lines: ``title``, ``author``, ``url``
    and ``published`` when the article has them, ``tags`` (the highlights' tags, ``[]`` for
    none) and ``reader-id``."""
    own: dict[str, list[str]] = {"title": [f"title: {yaml_string(article.title)}"]}
    if article.author:
        own["author"] = [f"author: {yaml_string(article.author)}"]
    if article.url:
        own["url"] = [f"url: {yaml_string(article.url)}"]
    if article.published:
        published = article.published.strip()
        value = published if _is_date(published) else yaml_string(published)
        own["published"] = [f"published: {value}"]
    tags = sorted({obsidian_tag(t) for h in highlights for t in h.tags})
    own["tags"] = ["tags:", *(f"  - {yaml_string(t)}" for t in tags)] if tags else ["tags: []"]
    own["reader-id"] = [f"reader-id: {yaml_string(article.id)}"]
    return own


def _is_date(text: str) -> bool:
    """Whether ``text`` is a real ``YYYY-MM-DD`` date, which YAML reads as a date unquoted
    (a false one, ``2023-02-30``, would make YAML readers fail: it is quoted)."""
    if not _PLAIN_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _callout(kind: str, title: str, lines: list[str]) -> list[str]:
    head = f"> [!{kind}]" + (f" {title}" if title else "")
    return [head, *(f"> {line}" if line else ">" for line in lines)]


def reader_part(article: Article, memo: str, highlights: list[Highlight]) -> list[str]:
    """The lines between the markers (without them): the memo, then every highlight."""
    lines: list[str] = []
    if memo.strip():
        lines += ["", *_callout("note", "Memo", _escaped(memo.strip()))]
    for h in highlights:
        body = _escaped(h.quote)
        if h.tags:
            body += ["", " ".join("#" + obsidian_tag(t) for t in h.tags)]
        coder = " ".join(h.coder.split()).replace("%", "\\%")
        lines += ["", *_callout("quote", coder, body), "", f"^{block_id(h.id)}"]
        if h.note.strip():
            lines += ["", *_escaped(h.note.strip())]
    if not lines:
        lines = ["", "No highlights."]
    return [*lines, ""]


def _front_blocks(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """The front matter's lines grouped by top-level key: each key's line with the indented,
    list, blank and comment lines after it (``None`` for lines before the first key)."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in lines:
        match = _KEY_LINE.match(line) if line and not line[0].isspace() else None
        if match is not None:
            key = next(g for g in match.groups() if g is not None).strip()
            blocks.append((key, [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def merged_front(existing: list[str] | None, own: dict[str, list[str]]) -> list[str]:
    """Front matter lines: ``existing`` (the person's) with reader's keys set to ``own``'s
    lines where they are, and the ones it lacks added at the end; other keys untouched."""
    if existing is None:
        return [line for lines in own.values() for line in lines]
    out: list[str] = []
    placed: set[str] = set()
    for key, lines in _front_blocks(existing):
        if key in own:
            if key not in placed:
                out += own[key]
                placed.add(key)
            # The person's comments and blank lines after one of reader's keys stay.
            out += [line for line in lines[1:] if not line.strip() or line.startswith("#")]
        else:
            out += lines
    for key, lines in own.items():
        if key not in placed:
            out += lines
    return out


@dataclass
class _Parsed:
    front: list[str] | None
    before: list[str]
    after: list[str]
    eol: str


def _lines(text: str) -> tuple[list[str], str]:
    eol = "\r\n" if "\r\n" in text else "\n"
    lines = text.split("\n")
    return [line.removesuffix("\r") for line in lines], eol


def _split_front(lines: list[str]) -> tuple[list[str] | None, list[str]]:
    if lines and lines[0] == "---":
        for i in range(1, len(lines)):
            if lines[i] in ("---", "..."):
                return lines[1:i], lines[i + 1 :]
    return None, lines


def reader_id(text: str) -> str | None:
    """The ``reader-id`` property of a note reader wrote (it has the marker lines), or
    ``None`` for any other file."""
    if START not in text:
        return None
    front, _ = _split_front(_lines(text)[0])
    if front is None:
        return None
    try:
        data = yaml.safe_load("\n".join(front))
    except (yaml.YAMLError, ValueError):
        # Properties broken by an edit: still reader's note, by its own line (the export
        # then says what is wrong, rather than making a second note beside it).
        own = [line for line in front if line.startswith("reader-id:")]
        try:
            data = yaml.safe_load(own[0]) if len(own) == 1 else None
        except (yaml.YAMLError, ValueError):
            return None
    value = data.get("reader-id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def _parse(text: str, path: Path) -> _Parsed:
    """A note of reader's, split around reader's part; :class:`VaultNoteError` when its
    marker lines are not one start followed by one end."""
    lines, eol = _lines(text)
    front, rest = _split_front(lines)
    starts = [i for i, line in enumerate(rest) if line.rstrip() == START]
    ends = [i for i, line in enumerate(rest) if line.rstrip() == END]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise VaultNoteError(
            f"{path}: not one {START!r} line followed by one {END!r} line; "
            "put them back around reader's part (or delete the note) and export again"
        )
    return _Parsed(front, rest[: starts[0]], rest[ends[0] + 1 :], eol)


def render_note(
    article: Article, memo: str, highlights: list[Highlight], existing: _Parsed | None = None
) -> str:
    """The note's text: a new one, or ``existing`` with reader's part and properties set."""
    own = properties(article, highlights)
    front = merged_front(existing.front if existing else None, own)
    part = [START, *reader_part(article, memo, highlights), END]
    if existing is None:
        lines = ["---", *front, "---", *part, ""]
        eol = "\n"
    else:
        lines = ["---", *front, "---", *existing.before, *part, *existing.after]
        eol = existing.eol
    return clean_text(eol.join(lines))


# -- the vault --------------------------------------------------------------------------------
def _notes_by_id(vault: Path) -> dict[str, tuple[Path, str]]:
    """reader's notes in the vault (any folder but hidden ones, no symbolic links), by the
    article id in their properties: the first by path where two claim one id."""
    found: dict[str, tuple[Path, str]] = {}
    for folder, dirs, files in os.walk(vault):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.lower().endswith(".md") or name.startswith("."):
                continue
            path = Path(folder, name)
            try:
                if path.is_symlink():
                    continue
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            article_id = reader_id(text)
            if article_id is not None and article_id not in found:
                found[article_id] = (path, text)
    return found


def _check_yaml(front: list[str], path: Path) -> None:
    try:
        data = yaml.safe_load("\n".join(front))
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise VaultNoteError(f"{path}: its properties are not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise VaultNoteError(f"{path}: its properties are not a YAML mapping")


def plan_vault(selection: Selection, vault: Path) -> list[tuple[Path, bytes, bool | None]]:
    """Every note to write: ``(path, bytes, new)``, where ``new`` is ``None`` for a note whose
    bytes are already these. Nothing is written; :class:`VaultNoteError` for a note of
    reader's that cannot be updated."""
    ours = _notes_by_id(vault) if vault.is_dir() else {}
    try:
        taken = {p.name.casefold() for p in vault.iterdir()} if vault.is_dir() else set()
    except OSError:
        taken = set()
    root = vault.resolve()
    plan: list[tuple[Path, bytes, bool | None]] = []
    for article in selection.articles:
        memo = selection.memos.get(article.id, "")
        highlights = selection.highlights.get(article.id, [])
        if article.id in ours:
            path, text = ours[article.id]
            parsed = _parse(text, path)
            if parsed.front is not None:
                _check_yaml(parsed.front, path)
            note = render_note(article, memo, highlights, parsed)
            _check_yaml(_split_front(_lines(note)[0])[0] or [], path)
            data = note.encode("utf-8")
            plan.append((path, data, None if note == text else False))
            continue
        stem = note_stem(article.title, article.id)
        candidates = [stem, f"{stem} ({article.id})"]
        candidates += [f"{stem} ({article.id}) {n}" for n in range(2, 1000)]
        name = next(f"{c}.md" for c in candidates if f"{c}.md".casefold() not in taken)
        taken.add(name.casefold())
        path = vault / name
        if path.resolve().parent != root:  # cannot happen for a safe name; never outside
            raise VaultNoteError(f"{path}: would be outside {vault}; not written")
        plan.append((path, render_note(article, memo, highlights).encode("utf-8"), True))
    return plan


def write_vault(selection: Selection, vault: Path) -> VaultReport:
    """Write the selection's notes into ``vault`` (made if missing); see the module."""
    plan = plan_vault(selection, vault)
    vault.mkdir(parents=True, exist_ok=True)
    report = VaultReport()
    for path, data, new in plan:
        if new is None:
            report.unchanged.append(path)
        elif new:
            atomic_create_bytes(path, data)
            report.new.append(path)
        else:
            atomic_write_bytes(path, data)
            report.updated.append(path)
    return report
