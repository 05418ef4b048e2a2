"""The article model and its file format: YAML front matter followed by a Markdown body.

An article is stored as ``articles/<id>.md``; the id is the file name, a slug made from the title::

    ---
    title: "Netflix Lists a $900,000 AI Job"
    author: "Dana Whitfield"
    site: "The Ledger Line"
    url: "https://example.org/ledger-line/2023/07/netflix-ai-job"
    published: "2023-07-26"
    imported: "2026-11-23T18:40:00Z"
    ---

    The Markdown body...

Unknown front-matter keys are kept and written back unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from corpus.markdown_text import DisplayText, render

KNOWN_KEYS = ("title", "author", "site", "url", "published", "imported", "imported_from")
EDITABLE = ("title", "author", "site", "published")
"""The details a person may correct (:mod:`annotations.article_details`)."""
EDITED = "edited"
"""The front-matter key naming the details a person set (:attr:`Article.edited`)."""
_ALIASES = {
    "date": "published",
    "by": "author",
    "source_url": "url",
    "canonical_url": "url",
    "link": "url",
    "publication": "site",
    "source": "site",
}
# Characters PyYAML refuses in a document (non-printable) or reads as a line break (NEL);
# written as JSON/YAML ``\uXXXX`` escapes so every value we write can be read back.
_YAML_UNSAFE = re.compile(r"[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# The lines this module writes: a key and a JSON string, or a bare ISO date. Front matter made
# only of such lines is read without PyYAML (which costs ~50 ms to import); anything else,
# including every front matter a person wrote by hand in another style, goes through PyYAML.
_SIMPLE_LINE = re.compile(r'([A-Za-z_][\w-]*): ("(?:[^"\\\n]|\\.)*"|\d{4}-\d{2}-\d{2})[ \t]*')
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


class ArticleFormatError(ValueError):
    """An article file that cannot be read; the message is one line naming the problem."""


def now_iso() -> str:
    """The current UTC time as used in every timestamp we write, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Article:
    """One article: metadata plus its Markdown body. ``id`` is unique in a workspace."""

    id: str
    title: str
    body: str
    author: str | None = None
    site: str | None = None
    url: str | None = None
    published: str | None = None
    imported: str | None = None
    imported_from: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # An import's draft keeps the rendering it was checked with, with the body it rendered:
    # the import caches it instead of rendering a long article twice. Never set on articles
    # read from the workspace (the library's caches would then keep every rendering).
    rendered: tuple[str, DisplayText] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def display(self) -> DisplayText:
        """The rendered display text that annotation offsets refer to."""
        if self.rendered is not None and self.rendered[0] is self.body:
            return self.rendered[1]
        return render(self.body)

    @property
    def source(self) -> str:
        """Where it comes from, as lists show it: the site, else the author, else nothing."""
        return self.site or self.author or ""

    @property
    def edited(self) -> tuple[str, ...]:
        """The details a person set (``reader details``, the app's ``E``), from the front
        matter's ``edited`` key (``"site, published"``): an import that updates the article
        keeps them (:meth:`keep_edits_of`)."""
        named = self.extra.get(EDITED)
        if not isinstance(named, str):
            return ()
        return tuple(name for name in EDITABLE if name in {n.strip() for n in named.split(",")})

    def mark_edited(self, names: Iterable[str]) -> None:
        """Say in the front matter that a person set these details (none: remove the key)."""
        wanted = set(names)
        ordered = [name for name in EDITABLE if name in wanted]
        if ordered:
            self.extra[EDITED] = ", ".join(ordered)
        else:
            self.extra.pop(EDITED, None)

    def keep_edits_of(self, held: Article) -> None:
        """This draft, about to replace ``held`` (an update of the same source), takes the
        details a person set on ``held``: a newer copy of the page does not undo a correction."""
        for name in held.edited:
            setattr(self, name, getattr(held, name))
        self.mark_edited(held.edited)

    @property
    def checksum(self) -> str:
        """A digest of the body, used to recognise the same text imported twice."""
        return hashlib.sha256(self.body.encode("utf-8")).hexdigest()

    def to_file_text(self) -> str:
        """Serialise as front matter + body (the inverse of :func:`parse_article`)."""
        lines = ["---"]
        values: dict[str, Any] = {key: getattr(self, key) for key in KNOWN_KEYS}
        values["title"] = self.title
        for key, value in [*values.items(), *self.extra.items()]:
            if value is None and key not in self.extra:  # unknown keys are kept, even empty
                continue
            if isinstance(value, str):
                quoted = json.dumps(value, ensure_ascii=False)
                quoted = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
                lines.append(f"{key}: {quoted}")
            else:
                import yaml

                dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False)
                lines.append(dumped.rstrip("\n"))
        lines.append("---")
        body = self.body if self.body.endswith("\n") or not self.body else self.body + "\n"
        return "\n".join(lines) + "\n\n" + body


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a Markdown file into its front-matter mapping and its body.

    Raises :class:`ArticleFormatError` for front matter that is not valid YAML or not a mapping.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    body = text[match.end() :].lstrip("\n")
    simple = _parse_simple(match.group(1) or "")
    if simple is not None:
        return simple, body
    import yaml

    try:
        meta = yaml.safe_load(match.group(1) or "") or {}
    except yaml.reader.ReaderError as exc:
        if not isinstance(exc.character, int):
            raise ArticleFormatError(f"bad front matter: {exc.reason}") from None
        # A character YAML does not allow (an escape sequence in a title, say): name it and
        # its line, since the file looks fine in most editors.
        line = (match.group(1) or "")[: exc.position].count("\n") + 2
        raise ArticleFormatError(
            f"bad front matter at line {line}: control character U+{exc.character:04X} "
            "(YAML allows none; write it as an escape such as \\x1b in double quotes)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ArticleFormatError(f"bad front matter{where}: {problem}") from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values that parse but cannot be built:
        # "date: 2023-02-30", "n: !!int abc", "ok: !!bool maybe".
        raise ArticleFormatError(f"bad front matter: a value that cannot be read ({exc})") from None
    if not isinstance(meta, dict):
        raise ArticleFormatError("bad front matter: expected key: value pairs")
    return {str(k): v for k, v in meta.items()}, body


def _parse_simple(block: str) -> dict[str, Any] | None:
    """Front matter in the form this module writes, or ``None`` if it is anything else."""
    meta: dict[str, Any] = {}
    for line in block.splitlines():
        match = _SIMPLE_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.groups()
        if key in meta:
            return None  # let PyYAML decide what a repeated key means
        if value.startswith('"'):
            try:
                meta[key] = json.loads(value)
            except ValueError:
                return None
        else:
            try:
                meta[key] = dt.date.fromisoformat(value)
            except ValueError:
                return None
    return meta


def parse_article(article_id: str, text: str, default_title: str | None = None) -> Article:
    """Read an article file's text. Without a title in the front matter, the title is
    ``default_title`` when given, else the id."""
    meta, body = split_front_matter(text)
    fields: dict[str, str | None] = {}
    extra: dict[str, Any] = {}
    for key, value in meta.items():
        name = _ALIASES.get(key, key)
        if name in KNOWN_KEYS and fields.get(name) is None:
            fields[name] = _as_text(value)
        elif name not in KNOWN_KEYS:
            extra[key] = value
    title = fields.pop("title", None)
    if title is None:
        title = article_id if default_title is None else default_title
    return Article(id=article_id, title=title, body=body, extra=extra, **fields)


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name-safe id from a title: lower-case ASCII words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "article")
