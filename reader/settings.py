"""The user's settings: a small TOML file of flat keys (today only ``theme``).

It lives at ``config.toml`` in the user config directory for ``reader`` (platformdirs:
``~/.config/reader/config.toml`` on Linux), or wherever ``READER_CONFIG`` points. Settings
belong to the person, not to a workspace, so every workspace opens in the theme last chosen.

A file that cannot be read or is not valid TOML is named in one line and ignored, and it is
never written over: it may be the person's hand edit with one typo. A write reads the file
again and changes only its own key, so keys written by a later version are kept.
Textual-free: the app reads and writes it, the command line names its path in ``--help``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reader.settings_path import ENV_VAR as ENV_VAR  # where the file is
from reader.settings_path import config_path as config_path

Value = str | bool | int | float


class SettingsError(Exception):
    """The config file cannot be read or written: one line naming it and why."""


@dataclass(frozen=True)
class Settings:
    """The settings read from ``path``; ``problem`` is the line saying why the file was
    ignored, if it was."""

    path: Path
    values: dict[str, Value] = field(default_factory=dict)
    problem: str | None = None

    def text(self, key: str) -> str | None:
        """The string setting ``key``, or ``None`` when it is not set (or not a string)."""
        value = self.values.get(key)
        return value if isinstance(value, str) else None


def _read(path: Path) -> dict[str, Value]:
    """The flat settings in ``path`` (none when it does not exist); :class:`SettingsError`
    when it cannot be read or is not flat TOML."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    import tomllib  # only for a file there is: ``reader --help`` names it and reads nothing

    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: not a valid settings file ({exc})") from None
    values: dict[str, Value] = {}
    for key, value in parsed.items():
        if not isinstance(value, str | bool | int | float):
            raise SettingsError(f"{path}: {key} is not a plain value (a string, number or bool)")
        values[key] = value
    return values


def load(path: Path | None = None) -> Settings:
    """The settings at ``path`` (default :func:`config_path`); a bad file gives no values and
    a ``problem`` line instead of an error, so the app still opens."""
    path = config_path() if path is None else path
    try:
        return Settings(path, _read(path))
    except SettingsError as exc:
        return Settings(path, problem=f"{exc}; ignored")


def save(path: Path, key: str, value: Value) -> None:
    """Set ``key`` to ``value`` in the file at ``path`` (made, with its folder, if need be),
    keeping its other keys. A file that cannot be read or parsed is left as it is:
    :class:`SettingsError`."""
    try:
        values = _read(path)
    except SettingsError as exc:
        raise SettingsError(f"{exc}; left as it is, {key} not saved") from None
    values[key] = value
    from corpus.fsutil import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, to_toml(values).encode("utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def to_toml(values: dict[str, Value]) -> str:
    """``values`` as TOML: one ``key = value`` line each, in key order."""
    return "".join(f"{_key(key)} = {_value(value)}\n" for key, value in sorted(values.items()))


def _key(key: str) -> str:
    bare = key != "" and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _string(key)


def _value(value: Value) -> str:
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, str):
        return _string(value)
    return repr(value)  # Python's spelling of ints and floats is TOML's, inf and nan too


def _string(text: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters as ``\\uXXXX``
    (TOML allows no raw ones, DEL included)."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'
