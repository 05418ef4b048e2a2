"""``reader --help`` without click: the page click would write, written here from tables.

Importing click (and, through it, ``inspect``, ``typing``, ``uuid``, ``platform``...) is most of
what ``reader --help`` cost once the commands were loaded lazily (issue 22, row 9l: target 60
ms, ``python -c pass`` about 20 ms). :mod:`reader.startup` sends a lone ``--help`` here; this
module lays the page out as click's ``HelpFormatter`` does (the usage line, the help text, the
options and commands as definition lists, the epilog), with the standard library's
``textwrap`` as click wraps it, from :data:`OPTIONS`, the commands' table
(:data:`reader.command_table.COMMANDS`) and :data:`HELP`, the group's help text.

It imports no click, so it cannot ask click: ``tests/test_help_page.py`` checks the page
against click's own at every width a terminal can give it, for several program names and
settings files, and each table against the group's parameters. A text with an escape
sequence in it (a settings path, say), which click measures without its escapes, is left to
click, and so is a page that is not all ASCII (click picks the encoding of its output itself):
:func:`print_help` answers ``False``.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from gettext import gettext as _

from reader.command_table import COMMANDS

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (3 ms)
if TYPE_CHECKING:
    import textwrap

# The group's help text (reader.cli's ``main`` takes it from here), as click shows it.
HELP = """Read articles and annotate them in the terminal.

With no command, opens the app where you left off. `reader PATH` imports PATH if needed and
opens it."""

# The group's options as click lists them (term, help), ``--version`` and ``--help`` last.
WORKSPACE_HELP = "Workspace folder (default: $READER_WORKSPACE, else the user data directory)."
CODER_HELP = (
    "Who is coding: recorded on every new highlight "
    "[default: $READER_CODER, else coder in the config file, else the login name]."
)
OPTIONS = (
    ("-w, --workspace PATH", WORKSPACE_HELP),
    ("--coder TEXT", CODER_HELP),
    ("--version", "Show the version and exit."),
    ("--help", "Show this message and exit."),
)
USAGE_ARGS = "[OPTIONS] [COMMAND] [ARGS]..."


def settings_line(config: str) -> str:
    """The epilog: where the settings are kept."""
    from reader.settings_path import ENV_VAR

    return (
        f"Settings (the theme chosen in the app) are kept in {config}; "
        f"set {ENV_VAR} to use another file."
    )


def print_help() -> bool:
    """Print ``reader --help`` as click would; ``False`` (nothing printed) when only click can
    (a text with an escape sequence in it)."""
    import shutil

    from reader.settings_path import config_path

    # click's HelpFormatter width: the terminal's columns less 2, kept within 50 and 78.
    width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    page = render(program_name(), width, str(config_path()))
    if page is None or not page.isascii():
        return False  # click writes other characters by its own rules for odd stdout encodings
    sys.stdout.write(page + "\n")
    sys.stdout.flush()
    return True


def program_name() -> str:
    """The name click gives the program in the usage line (``click.utils._detect_program_name``):
    the script's file name, or ``python -m PACKAGE``."""
    main = sys.modules["__main__"]
    path = sys.argv[0]
    package = getattr(main, "__package__", None)
    if package in {None, ""} or (
        os.name == "nt" and not os.path.exists(path) and os.path.exists(f"{path}.exe")
    ):
        return os.path.basename(path)
    assert isinstance(package, str)
    name = os.path.splitext(os.path.basename(path))[0]
    if name != "__main__":
        package = f"{package}.{name}"
    return f"python -m {package.lstrip('.')}"


def render(program: str, width: int, config: str) -> str | None:
    """The help page for a formatter ``width`` wide (click's: the terminal's columns less 2,
    kept within 50 and 78), or ``None`` when a text holds an escape sequence."""
    if "\033" in program + config:
        return None
    out: list[str] = []
    # The usage line (HelpFormatter.write_usage, at indent 0).
    prefix = _("Usage:") + " "
    usage_prefix = f"{prefix}{program} "
    if width >= len(usage_prefix) + 20:
        out.append(_fill(USAGE_ARGS, width, usage_prefix, " " * len(usage_prefix)))
    else:
        indent = " " * (len(prefix) + 4)
        out += [usage_prefix, "\n", _fill(USAGE_ARGS, width, indent, indent)]
    out.append("\n")
    # The help text (Command.format_help_text), indented by 2.
    out += ["\n", _paragraphs(HELP, width, "  "), "\n"]
    # The options and the commands (Group.format_options, format_commands).
    commands = [(name, summary) for name, (_where, summary) in COMMANDS.items() if summary]
    limit = width - 6 - max(len(name) for name, _summary in commands)
    rows = [(name, short_help(summary, limit)) for name, summary in sorted(commands)]
    for heading, section in ((_("Options"), _options()), (_("Commands"), rows)):
        out += ["\n", f"{heading}:\n", _definitions(section, width, indent=2)]
    # The epilog (ReaderGroup.format_epilog), at indent 0.
    out += ["\n", _paragraphs(settings_line(config), width, ""), "\n"]
    return "".join(out).rstrip("\n")  # as click's get_help; printed with a line break


def _options() -> list[tuple[str, str]]:
    return [(term, _(text) if term in ("--version", "--help") else text) for term, text in OPTIONS]


def short_help(text: str, limit: int) -> str:
    """A command's help as click shortens it for the list (``_make_default_short_help``): its
    first sentence, cut at a word to ``limit`` characters with ``...``."""
    words = text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    if not words:
        return ""
    last = len(words) - 1
    for i, word in enumerate(words):
        if word.endswith(".") and (i == last or not words[i + 1][0].islower()):
            words = words[: i + 1]
            break
    line = " ".join(words)
    if len(line) <= limit:
        return line
    if limit < len("..."):
        return "..."
    import textwrap

    return textwrap.shorten(line, limit, placeholder="...", break_on_hyphens=False)


@cache
def _wrapper_class() -> type[textwrap.TextWrapper]:
    """``textwrap.TextWrapper`` as click's subclass (``click._textwrap``) wraps text without
    escape sequences: a word longer than a line is cut where the line ends, hyphens or not."""
    import textwrap

    class Wrapper(textwrap.TextWrapper):
        def _handle_long_word(
            self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
        ) -> None:
            space_left = max(width - cur_len, 1)
            if self.break_long_words:
                last = reversed_chunks[-1]
                cur_line.append(last[:space_left])
                reversed_chunks[-1] = last[space_left:]
            elif not cur_line:
                cur_line.append(reversed_chunks.pop())

    return Wrapper


def _wrapper(width: int, initial: str, subsequent: str) -> textwrap.TextWrapper:
    return _wrapper_class()(
        width, initial_indent=initial, subsequent_indent=subsequent, replace_whitespace=False
    )


def _fill(text: str, width: int, initial: str, subsequent: str) -> str:
    return _wrapper(width, initial, subsequent).fill(text.expandtabs())


def _paragraphs(text: str, width: int, indent: str) -> str:
    """click's ``wrap_text(..., preserve_paragraphs=True)`` for texts of plain paragraphs (no
    ``\\b`` blocks, no indented lines: the tests check that ours have none)."""
    wrapper = _wrapper(width, indent, indent)
    paragraphs = [" ".join(p.splitlines()) for p in text.expandtabs().split("\n\n")]
    return "\n\n".join(wrapper.fill(p) for p in paragraphs if p)


def _definitions(rows: list[tuple[str, str]], width: int, indent: int) -> str:
    """``HelpFormatter.write_dl`` (first column at most 30 wide, 2 spaces between)."""
    first_col = min(max(len(term) for term, _text in rows), 30) + 2
    out: list[str] = []
    for term, text in rows:
        out.append(" " * indent + term)
        if not text:
            out.append("\n")
            continue
        if len(term) <= first_col - 2:
            out.append(" " * (first_col - len(term)))
        else:
            out += ["\n", " " * (first_col + indent)]
        lines = _paragraphs(text, max(width - first_col - 2, 10), "").splitlines()
        if lines:
            out.append(f"{lines[0]}\n")
            out += [" " * (first_col + indent) + f"{line}\n" for line in lines[1:]]
        else:
            out.append("\n")
    return "".join(out)
