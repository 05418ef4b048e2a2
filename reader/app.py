"""The reader app: one main screen over an annotation store."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.screens.main import MainScreen
from reader.textual_private import share_parsed_css


class ReaderApp(App[None]):
    """Read articles and annotate them."""

    TITLE = "reader"
    CSS_PATH = "reader.tcss"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self, store: AnnotationStore, article_id: str | None = None, *, settings: bool = True
    ) -> None:
        """``settings``: take the theme from the user's config file and save it there (not
        for ``reader screenshot``, whose pictures look the same for everyone)."""
        super().__init__()
        share_parsed_css(self.stylesheet)
        self.use_settings = settings
        self.store = store
        self.article_id = article_id
        self.asking_to_quit = False  # a second ctrl+q then does not ask twice
        self.saved_theme: str | None = None  # the theme the config file holds

    def _apply_settings(self) -> None:
        """Take the theme from the config file, and save it there whenever it changes. A bad
        file or an unknown theme is one line, and the app opens in the default theme."""
        from reader import settings

        loaded = settings.load()
        if loaded.problem:
            self.notify(loaded.problem, title="Settings", severity="warning", timeout=8)
        theme = loaded.text("theme")
        if theme in self.available_themes:
            self.theme = self.saved_theme = theme
        elif "theme" in loaded.values:
            self.notify(
                f"{loaded.path}: no theme named {loaded.values['theme']!r}; ignored",
                title="Settings",
                severity="warning",
                timeout=8,
            )
        self.theme_changed_signal.subscribe(self, lambda _: self._save_theme(loaded.path))

    def _save_theme(self, path: Path) -> None:
        if self.theme == self.saved_theme:
            return
        from reader import settings

        try:
            settings.save(path, "theme", self.theme)
        except settings.SettingsError as exc:
            self.notify(str(exc), title="Theme not saved", severity="error", timeout=8)
            return
        self.saved_theme = self.theme

    def on_ready(self) -> None:
        # Not on mount: Textual mounts the app inside an update batch whose frame it never
        # shows, so a screen pushed then is laid out and rendered twice before the terminal
        # sees it. Ready comes once that batch is over (about 50 ms sooner to the first text).
        if self.use_settings:  # the theme before the screen's first frame, not after
            self._apply_settings()
        self.push_screen(MainScreen(self.store, self.article_id))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (screens' and widgets' ``notify`` come here) quotes titles, tags,
        notes or file names: shown as plain text, never as markup (``[@click=…]`` in a title
        would be an action, ``[/]`` an error), and safe for the terminal."""
        super().notify(
            terminal_safe(message, multiline=True),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        # Textual's own hint uses markup, which notify() no longer reads.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (Theme, Quit, Screenshot…) and, on the main screen, every key by
        name (:mod:`reader.palette`). Textual's own "Keys" panel is left out: the app's "Keys"
        opens the help screen, which lists every key, so the palette has one "Keys"."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command
        if isinstance(screen, MainScreen):
            from reader.palette import main_screen_commands

            yield from main_screen_commands(screen)

    async def action_quit(self) -> None:
        """Quit: ``ctrl+q`` anywhere, ``q`` on the main screen, the palette's Quit. A note
        being written that is not saved is not dropped unasked, as esc in the editor does not:
        the question comes while the text is still on the screen, and "Keep editing" is the
        default."""
        if self._unsaved_note():
            if not self.asking_to_quit:
                self._ask_to_quit()
            return
        screen = self.screen
        if isinstance(screen, MainScreen):
            await screen.action_quit()
        else:
            self.exit()

    def _unsaved_note(self) -> bool:
        """Whether a note editor, on top or under another dialog, holds text not saved."""
        from reader.dialogs.note_editor import NoteEditor

        return any(isinstance(s, NoteEditor) and s.changed for s in self.screen_stack)

    def _ask_to_quit(self) -> None:
        from reader.dialogs.codebook_dialogs import Confirm

        def answered(discard: bool | None) -> None:
            self.asking_to_quit = False
            if discard:
                self.exit()

        self.asking_to_quit = True
        self.push_screen(
            Confirm(
                "Quit without the note?",
                "The note you are writing is not saved (ctrl+s in the editor saves it).",
                yes="Discard and quit",
                no="Keep editing",
            ),
            answered,
        )
