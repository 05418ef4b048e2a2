"""A multi-line note editor: a highlight's note, an article's or a tag's memo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from corpus.terminal_safe import terminal_safe, unshow
from reader.shown import safe_content


class NoteEditor(ModalScreen[str | None]):
    """Returns the edited note (ctrl+s), or ``None`` when cancelled (esc). Esc on changed text
    asks first: esc is the key people press to leave any dialog, and typed text is work.
    Quitting the app asks too (:meth:`reader.app.ReaderApp.action_quit`)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]
    # In a short terminal (24 rows) the editor is shorter, so that the dialog keeps its last
    # line, the one that says ctrl+s saves.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(self, quote: str, note: str = "", *, draft: str = "", title: str = "Note") -> None:
        """``note`` is the saved note; ``draft`` text typed before that is not saved yet (the
        editor opens with it, and esc asks before dropping it). ``quote`` is what the note is
        on (a highlight's quote, an article's title), ``title`` what the editor edits."""
        super().__init__()
        self.heading = title
        self.quote = " ".join(quote.split())
        self.note = note
        self.draft = draft or note
        # The note as the editor shows it: a control or invisible character (an imported
        # note's escape sequence, say) is shown, not obeyed. Saved, every one of them the
        # person left untouched is put back (unshow), so an edit changes only what was edited.
        self.shown_note = terminal_safe(note, multiline=True)
        self.shown_draft = terminal_safe(self.draft, multiline=True)

    def compose(self) -> ComposeResult:
        excerpt = self.quote if len(self.quote) <= 90 else self.quote[:89] + "…"
        with Vertical(id="dialog", classes="dialog note-dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Label(safe_content(f"“{excerpt}”"), classes="dialog-quote")
            yield TextArea(self.shown_draft, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Label("ctrl+s saves · esc cancels", classes="dialog-hint")

    AUTO_FOCUS = "#note-text"

    def on_mount(self) -> None:
        for area in self.query(TextArea):  # none while the app is closing
            area.move_cursor(area.document.end)

    @property
    def changed(self) -> bool:
        """Whether the editor holds text that closing it would lose. Trailing white space is
        not saved either, so changing only that loses nothing."""
        areas = self.query(TextArea)  # none before it is composed: then the draft is the text
        text = areas.first().text if areas else self.shown_draft
        return text.rstrip() != self.shown_note.rstrip()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.rstrip()
        if text == self.shown_note.rstrip():
            self.dismiss(self.note)
        else:
            self.dismiss(unshow(self.draft, text, multiline=True))

    def action_cancel(self) -> None:
        from reader.dialogs.codebook_dialogs import Confirm

        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            Confirm(
                f"Discard the {self.heading.lower()}?",
                "What you typed here is not saved.",
                yes="Discard",
                no="Keep editing",
            ),
            answered,
        )
