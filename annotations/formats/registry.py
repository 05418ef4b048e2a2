"""Every export format by name: what the CLI's ``--format`` and the app's export dialog offer.

Each format's module is imported when it is used: the command line builds its ``--format``
choices from this registry on every start, and the app starts faster without them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import orjson

from annotations.formats.selection import Filters, Selection, select
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.fsutil import atomic_create_bytes, atomic_write_bytes


@dataclass(frozen=True)
class ExportFormat:
    """A named export: a file suffix and a pure function from a selection to bytes."""

    name: str
    description: str
    suffix: str
    render: Callable[[Selection], bytes]
    needs_text: bool = False  # reads the articles' bodies, not only their metadata
    # Other file extensions this format is written under: more names for the same format
    # (".markdown"), or another format's that fits too (a W3C collection is JSON).
    also: tuple[str, ...] = ()
    # A format that writes a folder of files (an Obsidian vault), not one file: it updates
    # the folder in place, returning a phrase for the result line ("3 notes: 1 new, ...").
    write_folder: Callable[[Selection, Path], str] | None = None
    # The same bytes as ``render``, in pieces made as the file is written: a large export is
    # then never whole in memory (a W3C collection of 100,000 highlights is 120 MB).
    pieces: Callable[[Selection], Iterable[bytes]] | None = None

    @property
    def writes_folder(self) -> bool:
        return self.write_folder is not None

    def accepts(self, path: Path) -> bool:
        """Whether ``path``'s extension suits this format: its own, one of ``also``, or one
        that names no format at all (``.txt``, none)."""
        suffix = path.suffix.lower()
        return suffix in (self.suffix, *self.also) or format_for_path(path) is None


def _native_bytes(selection: Selection) -> bytes:
    from annotations.formats.native import to_native

    return orjson.dumps(to_native(selection), option=orjson.OPT_INDENT_2) + b"\n"


def _w3c_bytes(selection: Selection) -> bytes:
    from annotations.formats.w3c import w3c_chunks

    # Made an annotation at a time (the same bytes as dumping the whole collection), so the
    # 100,000 annotations are never all held as objects (issue 22).
    return b"".join(w3c_chunks(selection))


def _w3c_pieces(selection: Selection) -> Iterable[bytes]:
    from annotations.formats.w3c import w3c_chunks

    return w3c_chunks(selection)


def _markdown_bytes(selection: Selection) -> bytes:
    from annotations.formats.markdown_export import to_markdown

    return to_markdown(selection).encode("utf-8")


def _csv_bytes(selection: Selection) -> bytes:
    from annotations.formats.csv_export import to_csv

    return to_csv(selection).encode("utf-8")


def _doccano_bytes(selection: Selection) -> bytes:
    from annotations.formats.doccano import to_doccano

    return to_doccano(selection).encode("utf-8")


def _html_bytes(selection: Selection) -> bytes:
    from annotations.formats.html_export import to_html

    return to_html(selection).encode("utf-8")


def _qdc_bytes(selection: Selection) -> bytes:
    from annotations.formats.qdc import to_qdc

    return to_qdc(selection)


def _qdpx_bytes(selection: Selection) -> bytes:
    from annotations.formats.qdpx import to_qdpx

    return to_qdpx(selection)


def _qdpx_crlf_bytes(selection: Selection) -> bytes:
    from annotations.formats.qdpx import to_qdpx

    return to_qdpx(selection, line_ends="crlf")


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat("json", "native JSON, lossless", ".json", _native_bytes),
    "w3c": ExportFormat(
        "w3c",
        "W3C Web Annotation collection (JSON-LD)",
        ".jsonld",
        _w3c_bytes,
        also=(".json",),
        pieces=_w3c_pieces,
    ),
    "markdown": ExportFormat(
        "markdown",
        "Markdown, quotes with tags and notes",
        ".md",
        _markdown_bytes,
        also=(".markdown",),
    ),
    "csv": ExportFormat("csv", "CSV, a row per highlight and tag", ".csv", _csv_bytes),
    "jsonl": ExportFormat(
        "jsonl",
        "doccano JSONL, labelled spans per article",
        ".jsonl",
        _doccano_bytes,
        needs_text=True,
    ),
    "qdc": ExportFormat("qdc", "REFI-QDA codebook of the tags", ".qdc", _qdc_bytes),
    "html": ExportFormat(
        "html",
        "HTML, the texts with highlights marked",
        ".html",
        _html_bytes,
        needs_text=True,
        also=(".htm",),
    ),
    "qdpx": ExportFormat(
        "qdpx",
        "REFI-QDA project: texts, codes, notes",
        ".qdpx",
        _qdpx_bytes,
        needs_text=True,
    ),
    # Positions then count CR LF as two characters, as some QDA tools read the texts.
    "qdpx-crlf": ExportFormat(
        "qdpx-crlf",
        "REFI-QDA project, CR LF line ends",
        ".qdpx",
        _qdpx_crlf_bytes,
        needs_text=True,
    ),
}


def _csl_bytes(selection: Selection) -> bytes:
    from annotations.formats.csl import csl_bytes

    return csl_bytes(selection)


def _no_bytes(selection: Selection) -> bytes:
    raise StoreError("the obsidian format writes a folder of notes: name the folder with -o")


def _write_vault(selection: Selection, folder: Path) -> str:
    from annotations.formats.obsidian import write_vault

    return write_vault(selection, folder).phrase()


FORMATS["obsidian"] = ExportFormat(
    "obsidian",
    "Obsidian vault, a note per article",
    "",
    _no_bytes,
    write_folder=_write_vault,
)
FORMATS["csl"] = ExportFormat("csl", "CSL-JSON citations of the articles", ".json", _csl_bytes)


# The format a file name's extension names. ".json" is the native format's, though a W3C
# collection may be written under it too.
_BY_SUFFIX = {".json": "json", ".jsonld": "w3c", ".md": "markdown", ".markdown": "markdown"}
_BY_SUFFIX |= {".csv": "csv", ".jsonl": "jsonl", ".qdc": "qdc", ".html": "html", ".htm": "html"}
_BY_SUFFIX[".qdpx"] = "qdpx"


def format_for_path(path: Path) -> str | None:
    """The format ``path``'s extension names (any case), or ``None`` when it names none."""
    return _BY_SUFFIX.get(path.suffix.lower())


def format_mismatch(fmt: str, path: Path) -> str | None:
    """Why ``fmt`` should not be written to ``path`` (its extension is another format's), or
    ``None`` when it may."""
    if FORMATS[fmt].accepts(path):
        return None
    return f"the extension {path.suffix} is for {format_for_path(path)}, not {fmt}"


class ExportTargetExists(StoreError):
    """The export's file exists, and replacing it was not asked for: nothing was written."""


class ExportNotWritten(StoreError):
    """The export's file could not be written (a folder, a file in the way of its folder, a
    refusal of the file system): nothing was written. ``str()`` names the path and the reason
    in words."""


def export_target_problem(path: Path, fmt: str) -> str | None:
    """Why ``path`` cannot take an export in format ``fmt``, found before anything is built:
    one line naming it (a folder; a file where one of its folders should be), or ``None``.

    The export dialog asks this before it asks to replace a file; :func:`export_to_file`
    asks it too, so the command line says the same."""
    if FORMATS[fmt].writes_folder:
        return _folder_target_problem(path, fmt)
    try:
        if path.is_dir():
            example = path / f"annotations{FORMATS[fmt].suffix}"
            return f"{path}: is a folder; name a file in it, such as {example}"
        for folder in path.parents:
            if folder.exists():
                if folder.is_dir():
                    return None
                return f"{path}: cannot write ({folder} is a file, not a folder)"
    except OSError:
        return None  # a path the system cannot even look at: writing it says why
    return None


def _folder_target_problem(path: Path, fmt: str) -> str | None:
    """:func:`export_target_problem` for a format that writes a folder: a file in its place,
    or where one of the folders it is in should be."""
    try:
        if path.exists() and not path.is_dir():
            return f"{path}: is a file; the {fmt} format writes a folder: name one"
        for folder in path.parents:
            if folder.exists():
                return None if folder.is_dir() else f"{path}: cannot write ({folder} is a file)"
    except OSError:
        return None  # a path the system cannot even look at: writing it says why
    return None


def folder_to_make(path: Path) -> Path | None:
    """The outermost of ``path``'s folders that does not exist yet, which
    :func:`export_to_file` makes (with the ones inside it); ``None`` when they all exist.
    For the message that says so: a mistyped folder name is then seen, not just obeyed."""
    missing = None
    try:
        for folder in path.parents:
            if folder.exists():
                break
            missing = folder
    except OSError:
        return None
    return missing


def _cannot_write(path: Path, fmt: str, exc: OSError, making: Path | None = None) -> str:
    """One line for a failed write to ``path`` (or to the folder ``making`` for it): a folder or
    file in the way if one is there now, else the system's reason in words (``File name too
    long``), never its errno text."""
    in_the_way = export_target_problem(path, fmt)
    if in_the_way is not None:  # appeared since it was checked
        return in_the_way
    reason = exc.strerror or str(exc)
    if making is not None:
        return f"{path}: cannot make the folder {exc.filename or making} ({reason})"
    return f"{path}: cannot write ({reason})"


def export_bytes(
    store: AnnotationStore, fmt: str, filters: Filters | None = None
) -> tuple[bytes, Selection]:
    """Render the highlights ``filters`` keep in format ``fmt``. Articles that cannot be read
    are left out (``Selection.left_out``); when that leaves nothing, :class:`StoreError`."""
    with _collector_paused():
        chosen = FORMATS[fmt]
        selection = _selected(store, chosen, filters)
        return chosen.render(selection), selection


def _selected(store: AnnotationStore, chosen: ExportFormat, filters: Filters | None) -> Selection:
    selection = select(store, filters or Filters(), texts=chosen.needs_text)
    if selection.left_out and not selection.articles:
        # Every annotated article was left out: an error, not an empty export.
        raise StoreError(f"nothing exported: {selection.left_out_line()}")
    return selection


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while an export builds its objects.

    An export of 100,000 highlights allocates a few million dicts, lists and strings, none in a
    cycle (reference counting frees them all); the collector, triggered every 700 allocations,
    walks the growing heap again and again: 1.2 of the 2.0 s of building a W3C collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def export_to_file(
    store: AnnotationStore,
    fmt: str,
    path: Path,
    filters: Filters | None = None,
    *,
    replace: bool = False,
) -> Selection:
    """Write an export atomically to ``path`` (making its folder if needed: see
    :func:`folder_to_make`); returns what it holds (``count()`` highlights) and what it had to
    leave out.

    An existing file is replaced only with ``replace``; otherwise :class:`ExportTargetExists`,
    also for a file that appears while the export is built (a person's edited export is
    their work). A path that cannot be written (a folder, see :func:`export_target_problem`,
    or one the file system refuses) is :class:`ExportNotWritten`, whose one line names it and
    says why.
    """
    if FORMATS[fmt].writes_folder:  # a folder is updated in place: nothing to replace
        return export_to_folder(store, fmt, path, filters)[0]
    problem = export_target_problem(path, fmt)
    if problem is not None:
        raise ExportNotWritten(problem)
    try:
        there = path.exists()
    except OSError as exc:  # a name too long to look up, say: writing it would fail the same way
        raise ExportNotWritten(_cannot_write(path, fmt, exc)) from None
    if there and not replace:
        raise ExportTargetExists(f"{path}: already exists; not replaced")
    chosen = FORMATS[fmt]
    with _collector_paused():
        data: bytes | Iterable[bytes]
        if chosen.pieces is None:
            data, selection = export_bytes(store, fmt, filters)
        else:
            selection = _selected(store, chosen, filters)
            data = chosen.pieces(selection)  # made as it is written
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExportNotWritten(_cannot_write(path, fmt, exc, path.parent)) from None
        try:
            if replace:
                atomic_write_bytes(path, data)
            else:
                atomic_create_bytes(path, data)
        except OSError as exc:
            if isinstance(exc, FileExistsError) and not replace:  # made while the export was built
                raise ExportTargetExists(f"{path}: already exists; not replaced") from None
            raise ExportNotWritten(_cannot_write(path, fmt, exc)) from None
    return selection


def export_to_folder(
    store: AnnotationStore, fmt: str, path: Path, filters: Filters | None = None
) -> tuple[Selection, str]:
    """Write an export of a folder format (``ExportFormat.write_folder``) into the folder
    ``path``, made if missing; returns what it holds and the format's phrase for what it
    wrote. What the folder holds is updated, never replaced wholesale: no ``replace`` here."""
    problem = export_target_problem(path, fmt)
    if problem is not None:
        raise ExportNotWritten(problem)
    chosen = FORMATS[fmt]
    assert chosen.write_folder is not None
    with _collector_paused():
        selection = select(store, filters or Filters(), texts=chosen.needs_text)
    if selection.left_out and not selection.articles:
        raise StoreError(f"nothing exported: {selection.left_out_line()}")
    try:
        phrase = chosen.write_folder(selection, path)
    except OSError as exc:
        raise ExportNotWritten(_cannot_write(path, fmt, exc)) from None
    return selection, phrase
