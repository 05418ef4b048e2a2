"""Settings persist (U14): the theme chosen in the app is in the config file
(``READER_CONFIG``, else the user config directory) and the next start uses it; a bad file is
named in one line, ignored and never written over."""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path

import platformdirs
import pytest
from click.testing import CliRunner

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.textual_private import notifications_shown
from tests.waits import settle, type_text

CONFIG_VAR = "READER_CONFIG"  # tests/conftest.py points it into each test's tmp_path


def _config() -> Path:
    return Path(os.environ[CONFIG_VAR])


async def test_the_theme_chosen_in_the_palette_is_there_next_time(
    ws: Workspace, article: Article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_VAR, str(tmp_path / "settings" / "config.toml"))
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme != "solarized-light"
        await pilot.press("ctrl+p")
        await type_text(pilot, "theme")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, "solarized-light")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "solarized-light"
    assert tomllib.loads(_config().read_text()) == {"theme": "solarized-light"}
    again = ReaderApp(AnnotationStore(ws), article.id)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "solarized-light"


async def test_a_bad_config_is_named_ignored_and_never_written_over(
    ws: Workspace, article: Article
) -> None:
    config = _config()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "nord"\nfont size = 3\n')  # a typo: keys have no spaces
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme != "nord"
        (warning,) = [n.message for n in notifications_shown(app)]
        assert warning.startswith(f"{config}: not a valid settings file (")
        assert warning.endswith("; ignored") and "\n" not in warning
        app.theme = "gruvbox"
        await settle(pilot)
        assert any(
            n.title == "Theme not saved" and n.message.startswith(f"{config}: ")
            for n in notifications_shown(app)
        )
    assert config.read_text() == 'theme = "nord"\nfont size = 3\n'


async def test_an_unknown_theme_is_named_and_the_default_kept(
    ws: Workspace, article: Article
) -> None:
    from reader import settings

    config = _config()
    settings.save(config, "theme", "no-such-theme")
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert [n.message for n in notifications_shown(app)] == [
            f"{config}: no theme named 'no-such-theme'; ignored"
        ]


def test_save_keeps_other_keys_and_writes_what_toml_reads(tmp_path: Path) -> None:
    from reader import settings

    config = tmp_path / "made" / "config.toml"
    config.parent.mkdir()
    config.write_text("# mine\nlater-setting = 3\n")
    odd = 'quote " back \\ tab \t newline \n del \x7f bell \x07 é 中 😀'
    settings.save(config, "theme", odd)
    settings.save(config, "wrap", True)
    settings.save(config, "ratio", 0.25)
    settings.save(config, "huge", math.inf)
    assert tomllib.loads(config.read_text()) == {
        "later-setting": 3,
        "theme": odd,
        "wrap": True,
        "ratio": 0.25,
        "huge": math.inf,
    }
    assert settings.load(config).text("theme") == odd


def test_a_table_is_not_a_setting_and_the_file_is_kept(tmp_path: Path) -> None:
    from reader import settings

    config = tmp_path / "config.toml"
    config.write_text("[colors]\nred = 1\n")
    assert settings.load(config).problem == (
        f"{config}: colors is not a plain value (a string, number or bool); ignored"
    )
    with pytest.raises(settings.SettingsError, match="left as it is, theme not saved"):
        settings.save(config, "theme", "nord")
    assert config.read_text() == "[colors]\nred = 1\n"


def test_the_default_place_is_the_user_config_dir_and_help_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reader import settings

    assert settings.ENV_VAR == CONFIG_VAR
    monkeypatch.delenv(CONFIG_VAR)
    default = Path(platformdirs.user_config_dir("reader", appauthor=False)) / "config.toml"
    assert settings.config_path() == default
    shown = CliRunner().invoke(main, ["--help"], terminal_width=200).output
    assert "READER_CONFIG" in shown
    assert str(default) in " ".join(shown.split())


async def test_a_new_theme_redraws_the_text_in_its_colours(
    store: AnnotationStore, article: Article
) -> None:
    """The reading pane keeps its style between style updates (tests the cache's reset)."""
    from reader.widgets.reading_pane import ReadingPane

    app = ReaderApp(store, article.id, settings=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(ReadingPane)
        before = pane.base_style
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await settle(pilot)
        assert pane.base_style == pane.rich_style != before
        row = pane.render_line(0)
        assert any(segment.style == pane.base_style for segment in row)
