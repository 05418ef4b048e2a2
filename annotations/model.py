"""Plain dataclasses the store returns, and the rules for what they may hold (tag names, their
nesting and colours, highlight ids): nothing here knows about TinyDB or the screen."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from annotations.anchoring import QuoteSelector, quote_selector
from annotations.errors import StoreError
from corpus.workspace import MAX_ID_LENGTH, InvalidId, quote_id

DEFAULT_HIGHLIGHT_COLOR = "#f2c94c"
# Colours given to new tags in turn: distinct on dark and light backgrounds.
TAG_PALETTE = (
    "#f2c94c",  # amber
    "#6fcf97",  # green
    "#56ccf2",  # sky
    "#f2994a",  # orange
    "#bb6bd9",  # violet
    "#eb5757",  # red
    "#2dd4bf",  # teal
    "#f78fb3",  # pink
)


# What the app's colour picker and ``reader tags recolor`` call the palette's colours.
TAG_COLOR_NAMES = dict(
    zip(
        ("amber", "green", "sky", "orange", "violet", "red", "teal", "pink"),
        TAG_PALETTE,
        strict=True,
    )
)


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def parse_time(value: str) -> dt.datetime:
    """Parse an ISO date or date-time; naive values are taken as UTC. Raises ValueError."""
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def is_color(value: str) -> bool:
    """True for a ``#rrggbb`` colour, the only form stored (exports need it)."""
    return bool(_COLOR.fullmatch(value))


def tag_color(value: str) -> str:
    """The ``#rrggbb`` colour ``value`` names: a palette colour's name (``red``, in any case),
    ``#rrggbb`` or ``rrggbb``. Raises :class:`StoreError` naming the forms it takes."""
    typed = value.strip()
    if typed.lower() in TAG_COLOR_NAMES:
        return TAG_COLOR_NAMES[typed.lower()]
    color = typed if typed.startswith("#") else "#" + typed
    if not is_color(color):
        names = ", ".join(TAG_COLOR_NAMES)
        raise StoreError(f"{value!r} is not a colour: name one of {names}, or give #rrggbb")
    return color


HIGHLIGHT_ID_RULE = (
    f"1 to {MAX_ID_LENGTH} characters, not all spaces, without control or invisible characters"
)
# Highlight ids are stored inside a file, never in a file name, so they need not be article
# ids: the store makes 12 hex digits, and an imported file keeps the ids another tool gave
# (a W3C export percent-encodes the ones that are not plain, and its import decodes them).
# What they may not hold is what could not be shown or told apart on a terminal.
_ID_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_valid_highlight_id(value: object) -> bool:
    """Whether ``value`` can be a highlight id (see ``HIGHLIGHT_ID_RULE``)."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_ID_LENGTH
        and not value.isspace()
        and not any(unicodedata.category(ch) in _ID_UNSAFE_CATEGORIES for ch in value)
    )


def check_highlight_id(value: object) -> str:
    """``value`` if it can be a highlight id; raises :class:`corpus.workspace.InvalidId`."""
    if not is_valid_highlight_id(value):
        raise InvalidId(value, "highlight id", HIGHLIGHT_ID_RULE)
    assert isinstance(value, str)
    return value


MAX_CODER_LENGTH = 64


def clean_coder(raw: str) -> str:
    """A coder's name as stored: white space made single spaces and trimmed. Raises
    :class:`StoreError` for a name holding a control character or longer than
    ``MAX_CODER_LENGTH`` characters ("" is no coder)."""
    return _checked_name("coder name", clean_text(" ".join(str(raw).split())), MAX_CODER_LENGTH)


def _checked_name(kind: str, name: str, limit: int) -> str:
    """``name`` if it holds no control character and is at most ``limit`` characters long;
    else :class:`StoreError` naming the ``kind`` of name ("tag name") and the problem."""
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in name):
        raise StoreError(f"{kind} {name!r} contains a control character")
    if len(name) > limit:
        raise StoreError(f"{kind} {name[:20]!r}… is longer than {limit} characters")
    return name


def clean_text(value: str) -> str:
    """Text as it can be stored: lone surrogates (undecodable bytes from a command line)
    become U+FFFD, since JSON cannot hold them."""
    return _SURROGATE.sub("\ufffd", value)


MAX_TAG_LENGTH = 64


def clean_tag_name(raw: str) -> str:
    """A new tag name as it is stored (the rules ``docs/formats.md`` states): runs of white
    space made one space, lone surrogates made U+FFFD (:func:`clean_text`), and the nesting
    made plain: a leading ``#`` (how the app shows a tag), spaces around ``/``, empty parts
    (``a//b``) and leading or trailing ``/`` dropped, so ``#AI / jobs/`` is ``AI/jobs``.
    Raises :class:`StoreError` for a name left empty, holding a control character or longer
    than ``MAX_TAG_LENGTH`` characters."""
    name = clean_text(" ".join(str(raw).split())).lstrip("#")
    name = "/".join(part.strip() for part in name.split("/") if part.strip())
    if not name:
        raise StoreError(f"a tag name cannot be empty{f' (was {raw!r})' if raw.strip() else ''}")
    return _checked_name("tag name", name, MAX_TAG_LENGTH)


def clean_tag_names(tags: Iterable[str]) -> list[str]:
    """Each name as :func:`clean_tag_name` makes it, in the order given, each once; the first
    name refused raises."""
    return list(dict.fromkeys(clean_tag_name(raw) for raw in tags))


def known_tag_names(tags: Iterable[str], known: Iterable[str]) -> list[str]:
    """The names ``tags`` mean in a workspace using the names ``known``, in order, each once.

    Tag names are told apart without regard to case, and the first spelling is kept: a name
    (or its leading parts) that differs only in case from a name in use, or from a parent of
    one, takes that spelling (``ai/LIKENESS`` is ``AI/likeness``; ``ai/new`` is ``AI/new``).
    A name in use exactly as given is itself, even one stored before these rules (``a//b``, or
    ``ai`` beside ``AI``: a workspace holding both keeps both, and each filter finds both).
    Otherwise the name is :func:`clean_tag_name`'s; where two spellings are in use, the first
    in code-point order (``AI`` before ``ai``) is taken."""
    known = set(known)
    spellings: dict[str, str] = {}
    for name in sorted(with_parents(known)):
        spellings.setdefault(name.casefold(), name)
    names: list[str] = []
    for raw in tags:
        as_given = clean_text(" ".join(str(raw).split()))
        name = as_given if as_given in known else clean_tag_name(raw)
        if name not in known:
            parts = name.split("/")
            for i in range(len(parts), 0, -1):
                prefix = "/".join(parts[:i])
                found = spellings.get(prefix.casefold())
                if found is not None and found.count("/") == i - 1:
                    name = found + name[len(prefix) :]
                    break
        if name not in names:
            names.append(name)
    return names


def known_tag_name(raw: str, known: Iterable[str]) -> str:
    """The name ``raw`` means among the names ``known`` (:func:`known_tag_names`)."""
    return known_tag_names([raw], known)[0]


# Tag names nest with "/": "AI/likeness" is inside "AI". A parent need not be a tag itself.
def is_nested_in(name: str, parent: str) -> bool:
    """Whether tag ``name`` is nested inside ``parent``, at any depth."""
    return name.startswith(parent + "/")


def renamed_tag(name: str, old: str, new: str) -> str:
    """``name`` once ``old`` is renamed to ``new``: a parent's rename renames the names nested
    in it (``old/x`` becomes ``new/x``); other names stay."""
    if name == old:
        return new
    if is_nested_in(name, old):
        return new + name[len(old) :]
    return name


def implied_parents(name: str) -> list[str]:
    """The parents a nested name implies, outermost first (``a/b/c``: ``a``, ``a/b``). A name
    with an empty part (``a//b``, ``/x``) is kept whole, as the QDC export keeps it."""
    parts = name.split("/")
    if not all(parts):
        return []
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def with_parents(names: Iterable[str]) -> list[str]:
    """``names`` and the parents they imply, each once, in tree order (``AI``, ``AI/jobs``,
    ``pay``): what a tag filter offers, since a parent's filter includes the names nested in it."""
    found = set(names)
    for name in list(found):
        found.update(implied_parents(name))
    return sorted(found, key=tree_order)


def tree_order(name: str) -> list[str]:
    """A sort key putting nested names right after their parent, without regard to case."""
    return [part.casefold() for part in name.split("/")]


def palette_color(count: int) -> str:
    """The colour a new tag gets when the codebook already has ``count`` tags."""
    return TAG_PALETTE[count % len(TAG_PALETTE)]


@dataclass
class Highlight:
    """A highlighted passage: ``start``/``end`` are code-point offsets into the display text."""

    id: str
    article_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    color: str | None = None
    created: str = ""
    updated: str = ""
    # True when the quote could not be found in the article's current text: the highlight is
    # kept (never dropped) and shown apart until it is re-attached.
    orphaned: bool = False
    # Who made it (``--coder``, ``READER_CODER``, the config file, else the login name); ""
    # for highlights made before coders were recorded. Edits keep it: it names the author.
    coder: str = ""

    @classmethod
    def on_text(
        cls,
        article_id: str,
        text: str,
        start: int,
        end: int,
        *,
        tags: list[str],
        stamp: str,
        note: str = "",
        color: str | None = None,
        highlight_id: str | None = None,
        coder: str = "",
    ) -> Highlight:
        """A new highlight of ``text[start:end]`` by ``coder``: the quote and its context come
        from ``text``, the id is random unless given, and both times are ``stamp``."""
        selector = quote_selector(text, start, end)
        return cls(
            id=highlight_id or os.urandom(6).hex(),
            article_id=article_id,
            start=start,
            end=end,
            quote=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            tags=tags,
            note=note,
            color=color,
            created=stamp,
            updated=stamp,
            coder=coder,
        )

    def placed(self, text: str, start: int, end: int, **changes: Any) -> Highlight:
        """A copy of this highlight over ``text[start:end]``, its quote and context taken from
        ``text`` (as :meth:`new` takes them), with the other ``changes`` given."""
        selector = quote_selector(text, start, end)
        return replace(
            self,
            start=start,
            end=end,
            quote=selector.exact,
            prefix=selector.prefix,
            suffix=selector.suffix,
            **changes,
        )

    def selector(self) -> QuoteSelector:
        """The quote with its stored context, to check or find the passage again."""
        return QuoteSelector(self.quote, self.prefix, self.suffix)

    def to_dict(self) -> dict[str, Any]:
        # Field by field rather than dataclasses.asdict, which deep-copies every value: a tag
        # rename writes tens of thousands of records, and asdict was a third of its time.
        record = {name: getattr(self, name) for name in _HIGHLIGHT_FIELDS}
        record["tags"] = list(self.tags)
        return record

    def display_color(self, tags: Mapping[str, Tag]) -> str:
        """The colour to draw it in: its own, else its first known tag's, else the default."""
        if self.color:
            return self.color
        for name in self.tags:
            if name in tags:
                return tags[name].color
        return DEFAULT_HIGHLIGHT_COLOR

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Highlight:
        """A highlight from a stored record; raises TypeError for a record of the wrong shape
        (missing fields, or fields of the wrong types)."""
        known = {f: data[f] for f in cls.__dataclass_fields__ if f in data}
        tags = known.get("tags") or []
        if not isinstance(tags, list):
            raise TypeError(f"tags is {type(tags).__name__}, not a list")
        known["tags"] = list(tags)
        highlight = cls(**known)
        for name, kind in _RECORD_TYPES.items():
            value = getattr(highlight, name)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise TypeError(f"{name} is {type(value).__name__}")
        if not all(isinstance(tag, str) for tag in highlight.tags):
            raise TypeError("a tag is not a string")
        return highlight


_HIGHLIGHT_FIELDS = tuple(Highlight.__dataclass_fields__)
_RECORD_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str,
    "article_id": str,
    "start": int,
    "end": int,
    "quote": str,
    "prefix": str,
    "suffix": str,
    "note": str,
    "color": (str, type(None)),
    "created": str,
    "updated": str,
    "orphaned": bool,
    "coder": str,
}


@dataclass
class Tag:
    """A code in the codebook: a name, a colour (``#rrggbb``) and a description."""

    name: str
    color: str = DEFAULT_HIGHLIGHT_COLOR
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ArticleState:
    """What a reader keeps about one article besides its highlights: the cursor offset, read
    or not, when last opened, the furthest display-text offset reached (progress is
    ``furthest`` over the display text's length), whether it is archived (hidden from the
    list and search unless asked for), and the article's memo (free text, many lines)."""

    article_id: str
    position: int = 0
    read: bool = False
    last_opened: str | None = None
    furthest: int = 0
    archived: bool = False
    memo: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# What a tag's colour may be in workspace.json: #rrggbb as the store writes it, or #rgb, which
# ensure_tag has accepted (the exports widen it); anything else could not be drawn.
_STORED_COLOR = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _record_problem(table: str, record: Mapping[str, Any]) -> str | None:
    """What is wrong with one record of ``workspace.json``'s table ``table``, or ``None``."""
    if table == "tags":
        name, color, description = (record.get(k) for k in ("name", "color", "description"))
        if not isinstance(name, str) or not name.strip():
            return "no name" if name is None else f"the name is {_kind(name)}, not a tag name"
        if color is not None and not (isinstance(color, str) and _STORED_COLOR.fullmatch(color)):
            return f"tag {quote_id(name)}: colour {quote_id(color)} is not of the form #rrggbb"
        if description is not None and not isinstance(description, str):
            return f"tag {quote_id(name)}: the description is {_kind(description)}, not text"
    elif table == "state":
        article_id = record.get("article_id")
        if not isinstance(article_id, str):
            return f"article_id is {_kind(article_id)}, not an article id"
        position, read, opened = (record.get(k) for k in ("position", "read", "last_opened"))
        if position is not None and (
            not isinstance(position, int) or isinstance(position, bool) or position < 0
        ):
            where = quote_id(article_id)
            return f"{where}: position {quote_id(position)} is not a whole number from 0"
        if read is not None and not isinstance(read, bool):
            return f"{quote_id(article_id)}: read is {_kind(read)}, not true or false"
        if opened is not None and not isinstance(opened, str):
            return f"{quote_id(article_id)}: last_opened is {_kind(opened)}, not a time"
        furthest, archived, memo = (record.get(k) for k in ("furthest", "archived", "memo"))
        if furthest is not None and (
            not isinstance(furthest, int) or isinstance(furthest, bool) or furthest < 0
        ):
            where = quote_id(article_id)
            return f"{where}: furthest {quote_id(furthest)} is not a whole number from 0"
        if archived is not None and not isinstance(archived, bool):
            return f"{quote_id(article_id)}: archived is {_kind(archived)}, not true or false"
        if memo is not None and not isinstance(memo, str):
            return f"{quote_id(article_id)}: the memo is {_kind(memo)}, not text"
    elif table == "meta":
        key, value = record.get("key"), record.get("value")
        if not isinstance(key, str):
            return f"key is {_kind(key)}, not text"
        if key == "schema" and (not isinstance(value, int) or isinstance(value, bool)):
            return "the schema version is not a number"
        if key == "last_article" and value is not None and not isinstance(value, str):
            return f"last_article is {_kind(value)}, not an article id"
    return None


def workspace_problem(data: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The first malformed record of a parsed ``workspace.json`` (a tag without a name, a
    reading state whose position is not a number...) as ``"tags record 3: no name"``, or
    ``None`` when every record has the shape :class:`Tag`, :class:`ArticleState` and the
    store's meta records need. Other tables are not reader's, and are kept as they are."""
    for table in ("meta", "tags", "state"):
        for doc_id, record in data.get(table, {}).items():
            problem = _record_problem(table, record)
            if problem is not None:
                return f"{table} record {doc_id}: {problem}"
    return None
