"""Exporting annotations: the one export that ``reader export`` and the app's export dialog run.

:func:`export` picks the format (the one asked for, else the one the file's extension names,
else json), makes every check before anything is built (an extension of another format, a
folder or a file in the way, an existing file not to be replaced), writes the file atomically
(making its folder) or returns the bytes for standard output, and says what happened in an
:class:`ExportResult`: what was written and where, the folder it made, what it had to leave
out, or why it wrote nothing, in one line. The command line prints that line, the app shows
it; each adds only its own hint (``--force replaces it``, a dialog that opens again).

:func:`check` is the part of those checks that needs no workspace: the export dialog asks it
before it asks to replace a file, and the command line before it opens the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from annotations.codebook import plural
from annotations.formats.registry import (
    FORMATS,
    ExportNotWritten,
    ExportTargetExists,
    export_bytes,
    export_target_problem,
    export_to_file,
    export_to_folder,
    folder_to_make,
    format_for_path,
    format_mismatch,
)
from annotations.formats.selection import Filters
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound

# Why an export wrote nothing: ``format``, an extension of another format than the one asked
# for; ``target``, a path that cannot take a file (a folder, a path through a file);
# ``exists``, a file that was not to be replaced; ``write``, a write the file system refused;
# ``store``, nothing that could be read to export (a broken workspace file, an article named
# that is not there, every annotated article unreadable).
Refusal = Literal["format", "target", "exists", "write", "store"]


@dataclass(frozen=True)
class ExportResult:
    """What one export did.

    ``path`` is the file written, or ``None`` for an export to standard output, whose bytes are
    ``data``. ``count`` highlights were exported; ``made`` is the outermost folder made for the
    file (a mistyped folder name shows in the line that says so); ``left_out`` says which
    annotated articles could not be read and were left out, in one line. When ``refused`` is
    set nothing was written: it is one line naming the path or item and the reason, and
    ``refusal`` says which kind of reason it is (:data:`Refusal`). A codebook (qdc) holds
    tags, not highlights: ``codes`` is how many codes it has, and the line says so.
    """

    format: str
    path: Path | None
    count: int = 0
    data: bytes | None = None
    made: Path | None = None
    left_out: str | None = None
    refused: str | None = None
    refusal: Refusal | None = None
    codes: int | None = None
    detail: str | None = None  # what a folder format wrote ("3 notes: 1 new, 2 unchanged")

    def line(self, *, naming_format: bool = False) -> str:
        """``wrote 4 highlights to notes/q3/ai.csv (made the folder notes/q3)`` (with
        ``naming_format``, ``wrote 4 highlights as csv to …``; for a codebook, ``wrote a
        codebook of 12 codes to …``), or the refusal."""
        if self.refused is not None:
            return self.refused
        where = "standard output" if self.path is None else str(self.path)
        fmt = f" as {self.format}" if naming_format else ""
        also = f" (made the folder {self.made})" if self.made is not None else ""
        if self.codes is not None:
            what = f"a codebook of {plural(self.codes, 'code')}"
        else:
            what = plural(self.count, "highlight")
        if self.detail is not None:  # "(2 notes: 2 new; made the folder vault)"
            made = f"; made the folder {self.made}" if self.made is not None else ""
            also = f" ({self.detail}{made})"
        return f"wrote {what}{fmt} to {where}{also}"


def chosen_format(path: Path | None, fmt: str | None = None) -> str:
    """The format an export writes: ``fmt`` when given, else the one ``path``'s extension names,
    else json."""
    if fmt is not None:
        return fmt
    return (format_for_path(path) if path is not None else None) or "json"


def check(path: Path, fmt: str | None = None, *, replace: bool = True) -> ExportResult | None:
    """The refusal an export to ``path`` meets before anything is read or built, or ``None``
    when it may go ahead: an extension of another format than ``fmt``, then a folder or a file
    in the way (:func:`~annotations.formats.registry.export_target_problem`), then, without
    ``replace``, a file that is there already. :func:`export` asks the same again, so what is
    checked here is never skipped; the export dialog asks it without ``replace`` being known
    (it asks before replacing a file), the command line before it opens the workspace."""
    fmt = chosen_format(path, fmt)
    mismatch = format_mismatch(fmt, path)
    if mismatch is not None:
        return _refused(
            fmt,
            path,
            f"{path}: {mismatch}; name the file {path.stem}{FORMATS[fmt].suffix}",
            "format",
        )
    problem = export_target_problem(path, fmt)
    if problem is not None:
        return _refused(fmt, path, problem, "target")
    if not replace and not FORMATS[fmt].writes_folder:  # a folder is updated, not replaced
        try:
            there = path.exists()
        except OSError:
            there = False  # a name the system cannot look up: the write says why, in words
        if there:
            return _refused(fmt, path, f"{path}: already exists; not replaced", "exists")
    return None


def export(
    store: AnnotationStore,
    path: Path | None,
    fmt: str | None = None,
    filters: Filters | None = None,
    *,
    replace: bool = False,
) -> ExportResult:
    """Export the highlights ``filters`` keep (all of them by default) to ``path``, or, with
    ``path`` ``None``, as bytes for standard output (``ExportResult.data``).

    The format is ``fmt``, else the one ``path``'s extension names, else json. An existing
    file is replaced only with ``replace``, also one that appears while the export is built.
    Articles that cannot be read are left out and named (``left_out``); any other problem is
    a refusal in the result, with nothing written. Never raises for what a user can fix: every
    refusal is one line.
    """
    fmt = chosen_format(path, fmt)
    if path is None and FORMATS[fmt].writes_folder:
        line = f"the {fmt} format writes a folder, not standard output: name the folder with -o"
        return _refused(fmt, path, line, "target")
    if path is not None:
        refused = check(path, fmt, replace=replace)
        if refused is not None:
            return refused
    made = folder_to_make(path) if path is not None else None
    if path is not None and FORMATS[fmt].writes_folder:
        made = folder_to_make(path / "note")  # the folder itself too
    data: bytes | None = None
    detail = None
    try:
        if path is not None and FORMATS[fmt].writes_folder:
            selection, detail = export_to_folder(store, fmt, path, filters)
        elif path is None:
            data, selection = export_bytes(store, fmt, filters)
        else:
            selection = export_to_file(store, fmt, path, filters, replace=replace)
    except ExportTargetExists as exc:  # made while the export was built
        return _refused(fmt, path, str(exc), "exists")
    except ExportNotWritten as exc:
        return _refused(fmt, path, str(exc), "write")
    except (StoreError, ArticleFormatError, ArticleNotFound) as exc:
        return _refused(fmt, path, str(exc), "store")
    except OSError as exc:
        if path is None:  # nothing is written here: a file that could not be read
            where = exc.filename or "export"
            return _refused(fmt, path, f"{where}: {exc.strerror or exc}", "store")
        return _refused(fmt, path, f"{path}: cannot write ({exc.strerror or exc})", "write")
    codes = None
    if fmt == "qdc":
        from annotations.formats.qdc import code_count

        codes = code_count(selection.tags)
    return ExportResult(
        fmt,
        path,
        selection.count(),
        data=data,
        made=made,
        left_out=selection.left_out_line(),
        codes=codes,
        detail=detail,
    )


def _refused(fmt: str, path: Path | None, line: str, why: Refusal) -> ExportResult:
    return ExportResult(fmt, path, refused=line, refusal=why)
