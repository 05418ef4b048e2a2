"""The one first look at ``reader``'s arguments, before click (if at all) parses them.

Two things need to know where the command is before click does: :mod:`reader.startup`, which
opens the app without importing click when the arguments only open it (``reader``,
``reader PATH``, ``reader -w W PATH``: about 10 ms of a 0.3 s launch), and :mod:`reader.cli`'s
group, which reads a first word that is no command as a PATH to open (``reader article.md``
is ``reader open article.md``). Both ask :func:`read_command_line`, so they cannot disagree
about which word that is. A leaf module: it imports nothing of reader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Every subcommand of ``reader``: where its click command is (``module:attribute``) and the first
# sentence of its help (``None`` for a command left out of ``reader --help``). A first word that
# is one of these is a command, anything else is a PATH to open. The command line loads a
# command's module only when it runs, and lists them all in ``reader --help`` from here
# (reader/cli.py); tests/test_cli_commands.py checks the table against the commands.
COMMANDS: dict[str, tuple[str, str | None]] = {
    "agree": (
        "reader.cli_team:agree_command",
        "How two coders agree, per tag: percent agreement, Cohen's kappa, Krippendorff's alpha.",
    ),
    "annotate": (
        "reader.cli_annotate:annotate_command",
        (
            "Highlight a quote in an article; prints the new highlight's id (or, when the quote is "
            "already highlighted with these tags, the existing one's, and says so on stderr)."
        ),
    ),
    "archive": (
        "reader.cli_articles:archive_command",
        (
            "Archive articles: left out of reader list, search and the app's list unless asked for "
            "(reader list --archived)."
        ),
    ),
    "code": (
        "reader.cli_search:code_command",
        (
            "Highlight every match of QUERY and tag it (an existing highlight over exactly a match "
            "gets the tags)."
        ),
    ),
    "delete": (
        "reader.cli_articles:delete_command",
        (
            "Move articles to the trash, with their highlights, state and memo (reader restore "
            "brings them back)."
        ),
    ),
    "doctor": (
        "reader.cli_workspace:doctor_command",
        "Check every file of the workspace: articles, annotations, orphans, leftovers.",
    ),
    "export": (
        "reader.cli_export:export_command",
        "Export highlights, tags, notes and memos.",
    ),
    "highlights": (
        "reader.cli_highlights:highlights_group",
        "List highlights, article by article (in id order), each in document order.",
    ),
    "import": (
        "reader.cli_workspace:import_command",
        "Import articles from files, folders, URLs and RSS/Atom feeds.",
    ),
    "import-annotations": (
        "reader.cli_workspace:import_annotations_command",
        (
            "Merge highlights from native JSON, W3C JSON-LD, doccano JSONL, a REFI-QDA project "
            "(.qdpx) or Hypothesis JSON into the workspace."
        ),
    ),
    "init-git": (
        "reader.cli_team:init_git_command",
        "Set the workspace up to be shared through git.",
    ),
    "list": (
        "reader.cli_export:list_command",
        "List the articles: id, highlight count, title.",
    ),
    "mark": (
        "reader.cli_articles:mark_command",
        "Mark articles read (--read) or unread (--unread).",
    ),
    "memo": (
        "reader.cli_articles:memo_command",
        'Show an article\'s memo, or set it to TEXT ("-" reads it from standard input).',
    ),
    "merge": (
        "reader.cli_merge:merge_command",
        "Merge another workspace folder, or a native JSON export, into this workspace.",
    ),
    "merge-driver": (
        "reader.cli_team:merge_driver_command",
        None,
    ),
    "open": (
        "reader.cli_workspace:open_command",
        "Open the app; with PATH (a file or an article id), open that article.",
    ),
    "restore": (
        "reader.cli_articles:restore_command",
        (
            "Bring deleted articles back from the trash (the newest copy of each), with their "
            "highlights where they were."
        ),
    ),
    "samples": (
        "reader.cli_workspace:samples_command",
        "Copy the bundled sample articles into the workspace.",
    ),
    "screenshot": (
        "reader.cli_workspace:screenshot_command",
        "Save an SVG screenshot of the main screen, taken by the app.",
    ),
    "search": (
        "reader.cli_search:search_command",
        (
            'Find QUERY in every article: words and "quoted phrases", whole words, case and accents'
            " ignored."
        ),
    ),
    "serve": (
        "reader.cli_serve:serve_command",
        "Serve the app to web browsers: each tab runs its own reader on the workspace.",
    ),
    "show": (
        "reader.cli_articles:show_command",
        (
            "Print an article's display text exactly: the text every export's start and end index "
            "into (nothing is added in a file or a pipe)."
        ),
    ),
    "tags": (
        "reader.cli_tags:tags_group",
        "The codebook: list, rename, merge, recolour, describe and delete tags.",
    ),
    "unarchive": (
        "reader.cli_articles:unarchive_command",
        "Bring archived articles back into the list and search (reader archive --undo).",
    ),
}

WORKSPACE_OPTIONS = ("--workspace", "-w")
# reader's other options that take a value (click parses them; the value is not the PATH).
VALUE_OPTIONS = ("--coder",)


@dataclass(frozen=True)
class CommandLine:
    """``reader``'s arguments as the first look finds them."""

    args: tuple[str, ...]
    word: int | None
    """Index of the first word that is neither an option nor a workspace option's value: the
    command's name, or a PATH to open; ``None`` when there is none."""
    opens: tuple[str | None, str | None] | None
    """``(workspace, path)`` when the arguments only open the app: at most one workspace option
    (``--workspace W``, ``--workspace=W`` or ``-w W``) and at most one PATH that is not a
    command name. ``None`` for anything else (help, version, commands, odd spellings), which
    the click command line parses."""

    def for_click(self) -> list[str]:
        """The arguments with ``open`` put before a first word that is no command, so that
        click runs ``reader PATH`` as ``reader open PATH``."""
        args = list(self.args)
        if self.word is not None and args[self.word] not in COMMANDS:
            args.insert(self.word, "open")
        return args


def read_command_line(args: Sequence[str]) -> CommandLine:
    """Find the command (or PATH) in ``args``, and whether they only open the app."""
    workspace: str | None = None
    word: int | None = None
    plain = True  # only a workspace and a PATH so far
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in WORKSPACE_OPTIONS:
            if workspace is not None or index + 1 >= len(args):
                plain = False  # given twice, or without its value
            else:
                workspace = args[index + 1]
            index += 2
            continue
        if arg in VALUE_OPTIONS:  # an option of reader's own whose value is no PATH
            plain = False
            index += 2
            continue
        if arg.startswith("--workspace="):
            if workspace is not None:
                plain = False
            workspace = arg.removeprefix("--workspace=")
            index += 1
            continue
        if arg.startswith("-"):
            plain = False  # help, version, "--", or an option of a command
        elif word is None:
            word = index
        else:
            plain = False  # a second word: a command's argument, or two PATHs
        index += 1
    path = None if word is None else args[word]
    if path in COMMANDS or workspace == "" or path == "":
        plain = False
    return CommandLine(tuple(args), word, (workspace, path) if plain else None)
