"""The table of ``reader``'s commands: where each one's click command is, and what its help
says first, known without importing any of them.

:mod:`reader.cli` loads a command's module only when that command runs, and lists them all in
``reader --help`` from here, as :mod:`reader.help_page` does without click;
:mod:`reader.command_line` reads a first word that is one of them as a command, anything else
as a PATH to open. Data only, importing nothing. ``tests/test_cli_commands.py`` checks every
entry against its command (its name, whether it is hidden, its short help at every width)
and that the command modules hold no command the table misses.
"""

from __future__ import annotations

# Each command: ``module:attribute`` of its click command, and the first sentence of its help
# (``None`` for a command left out of ``reader --help``).
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
    "details": (
        "reader.cli_articles:details_command",
        (
            "Show an article's details (title, author, site, publication date, URL), or change "
            "them; the text and its highlights stay as they are, and u in the app undoes a change."
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
