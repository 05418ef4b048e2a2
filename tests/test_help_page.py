"""``reader --help`` is written without click (reader/help_page.py): the same page, byte for
byte, as click writes from the group itself, at every width, program name and settings path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from reader import help_page
from reader.cli import main
from reader.settings import config_path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ["reader", "-c", "python -m reader", "a-program-name-long-enough-to-push-the-usage-down"]
CONFIGS = [
    None,  # the user config directory's
    "/tmp/settings for reader/config.toml",
    "/tmp/" + "-".join(["a-long-hyphenated-folder-name"] * 4) + "/config.toml",
    "~/réglages/config.toml",
]


def clicks_page(program: str, width: int) -> str:
    return main.get_help(click.Context(main, info_name=program, terminal_width=width))


# Every program name and every settings path, each at every width. The program name is only
# in the usage line and the path only in the settings paragraph, which are wrapped apart, so
# each other pair would compare the same two lines again (16 pairs were 1,616 pages from click).
PAIRS = [(program, CONFIGS[0]) for program in PROGRAMS]
PAIRS += [(PROGRAMS[0], config) for config in CONFIGS[1:]]


@pytest.mark.parametrize(("program", "config"), PAIRS)
def test_the_page_is_clicks(
    program: str, config: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if config is None:
        monkeypatch.delenv("READER_CONFIG", raising=False)
    else:
        monkeypatch.setenv("READER_CONFIG", config)
    for width in range(20, 121):  # a terminal gives 50 to 78 (its columns less 2, kept so)
        assert help_page.render(program, width, str(config_path())) == clicks_page(program, width)


def test_the_tables_are_the_groups() -> None:
    ctx = click.Context(main, info_name="reader")
    records = [p.get_help_record(ctx) for p in main.get_params(ctx)]
    assert records == list(help_page.OPTIONS)
    assert main.help == help_page.HELP
    assert main.collect_usage_pieces(ctx) == help_page.USAGE_ARGS.split(" ", 1)
    # Plain paragraphs only: the page does not lay out click's \b blocks or indented lines.
    for text in [help_page.HELP, *(text for _term, text in help_page.OPTIONS)]:
        assert "\b" not in text and not any(line[:1].isspace() for line in text.splitlines())


def test_a_text_with_an_escape_sequence_is_left_to_click() -> None:
    assert help_page.render("reader", 78, "/tmp/\033[31mred/config.toml") is None


def run(launcher: list[str], args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*launcher, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )


LAUNCHERS = [
    [
        sys.executable,
        "-c",
        "import sys; sys.argv[0] = 'reader'; from reader.startup import main; main()",
    ],
    [sys.executable, "-m", "reader"],
]


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_help_prints_what_click_prints(launcher: list[str]) -> None:
    """A lone ``--help`` is answered without click; with an option before it, click answers:
    the same page, at any terminal width, and from a settings path click has to write."""
    for columns, config in [
        ("30", ""),
        ("60", ""),
        ("79", ""),
        ("200", ""),
        ("80", "/tmp/\033[1mx"),
        ("80", "/tmp/réglages/config.toml"),  # not ASCII, onto an ASCII stdout: click's
    ]:
        env = {"COLUMNS": columns, "READER_CONFIG": config}
        if not config.isascii():
            env["PYTHONIOENCODING"] = "ascii"
        fast = run(launcher, ["--help"], **env)
        by_click = run(launcher, ["-w", "ws", "--help"], **env)
        assert fast.returncode == by_click.returncode == 0
        assert fast.stdout == by_click.stdout
        assert fast.stdout.startswith(
            f"Usage: {'reader' if '-c' in launcher else 'python -m reader'} "
        )


def test_help_imports_no_click() -> None:
    code = (
        "import sys; sys.argv[1:] = ['--help']\n"
        "from reader.startup import main\n"
        "main()\n"
        "print(sorted(m for m in sys.modules if m == 'click' or m.startswith('reader.cli')))\n"
    )
    done = run([sys.executable, "-c", code], [])
    assert done.stdout.splitlines()[-1] == "[]"


def test_in_a_terminal_the_page_is_as_wide_as_clicks(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a pseudo-terminal, without ``COLUMNS``: the width comes from the terminal, for the
    page written here as for click's (and 60 columns make a narrower page than 120)."""
    from tests.test_startup import run_in_terminal

    monkeypatch.delenv("COLUMNS", raising=False)
    pages = []
    for columns in (60, 120):
        fast = run_in_terminal([*LAUNCHERS[0], "--help"], columns=columns)
        by_click = run_in_terminal([*LAUNCHERS[0], "-w", "ws", "--help"], columns=columns)
        assert fast == by_click
        assert b"Usage: reader [OPTIONS] [COMMAND] [ARGS]..." in fast
        pages.append(fast)
    assert pages[0] != pages[1]
