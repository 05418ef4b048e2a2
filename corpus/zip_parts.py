"""Reading the parts of a zip-based document (EPUB, .docx) without trusting the archive.

An archive is refused when it is not a zip, when it holds too many entries or a part would
unpack to more than :data:`MAX_PART_BYTES` (a zip bomb), and a part's name that leaves the
archive (``../x``, ``/etc/x``, ``C:\\x``) is refused rather than looked up. Every refusal is an
:class:`~corpus.importers.ImportFailed` naming the file.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from corpus.importers import ImportFailed, check_file

MAX_FILE_BYTES = 100_000_000  # an EPUB with its pictures can be large; only text is read
MAX_PART_BYTES = 20_000_000  # one chapter, one document.xml
MAX_TOTAL_BYTES = 200_000_000  # what the parts read from one file may unpack to, together
MAX_ENTRIES = 10_000


class ZipParts:
    """An open document archive; :meth:`read` gives a part's bytes by its name."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        check_file(path, MAX_FILE_BYTES)
        try:
            self.archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, EOFError, ValueError):
            raise ImportFailed(f"{path}: not {what} file (not a valid zip archive)") from None
        except OSError as exc:
            raise ImportFailed(f"{path}: {exc.strerror or exc}") from None
        entries = self.archive.infolist()
        if len(entries) > MAX_ENTRIES:
            self.archive.close()
            raise ImportFailed(
                f"{path}: {len(entries):,} parts in the archive (limit {MAX_ENTRIES:,})"
            )
        self.names = {entry.filename: entry for entry in entries}
        self.read_so_far = 0

    def __enter__(self) -> ZipParts:
        return self

    def __exit__(self, *_: object) -> None:
        self.archive.close()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """A part's bytes. Raises :class:`ImportFailed` for a missing, unsafe or oversized part
        or a damaged archive."""
        safe = safe_name(name)
        if safe is None:
            raise ImportFailed(f"{self.path}: refers to {name!r}, outside the archive")
        entry = self.names.get(safe)
        if entry is None:
            raise ImportFailed(f"{self.path}: damaged, {safe} is missing from the archive")
        if entry.file_size > MAX_PART_BYTES or self.read_so_far + entry.file_size > MAX_TOTAL_BYTES:
            raise ImportFailed(
                f"{self.path}: {safe} unpacks to {entry.file_size:,} bytes; too large"
            )
        try:
            with self.archive.open(entry) as part:
                data = part.read(MAX_PART_BYTES + 1)  # file_size can lie; the read cannot
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
            raise ImportFailed(
                f"{self.path}: damaged archive, cannot read {safe} ({exc})"
            ) from None
        except OSError as exc:
            raise ImportFailed(f"{self.path}: {exc.strerror or exc}") from None
        if len(data) > MAX_PART_BYTES:
            raise ImportFailed(f"{self.path}: {safe} unpacks to more than {MAX_PART_BYTES:,} bytes")
        self.read_so_far += len(data)
        return data


def safe_name(name: str) -> str | None:
    """A part name normalised (``a/./b/../c`` is ``a/c``), or ``None`` for one that is absolute
    or leaves the archive."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/")[0]:
        return None
    normal = posixpath.normpath(name)
    if normal in (".", "..") or normal.startswith("../"):
        return None
    return normal


def resolve(base: str, href: str) -> str | None:
    """A relative reference (``href`` in the part ``base``) as a part name, or ``None`` when it
    is absolute, a URL, or leads outside the archive. A ``#fragment`` is dropped."""
    from urllib.parse import unquote

    href = unquote(href.split("#", 1)[0].strip())
    if not href or href.startswith(("/", "\\")) or ":" in href.split("/")[0]:
        return None
    return safe_name(posixpath.join(posixpath.dirname(base), href))
