"""The tag picker: type to filter existing tags (with completion), enter adds, new names create."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class TagChoice:
    """A tag as the picker lists it."""

    name: str
    color: str
    count: int
    applied: bool


class TagPicker(ModalScreen[str | None]):
    """Returns the chosen tag name (existing or new), or ``None`` when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next tag", show=False),
        Binding("up", "move(-1)", "Previous tag", show=False),
    ]

    def __init__(self, choices: list[TagChoice], title: str = "Tag") -> None:
        super().__init__()
        self.choices = choices
        self.title_text = title
        self._navigated = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(
                placeholder="Type a tag; a new name creates it",
                suggester=SuggestFromList([c.name for c in self.choices], case_sensitive=False),
                id="tag-input",
            )
            yield OptionList(id="tag-options")
            yield Label(
                "enter adds (removes a ✓ tag) · → completes · ↑↓ choose · esc cancels",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._filter("")

    def _filter(self, typed: str) -> None:
        needle = typed.strip().casefold()
        options = self.query_one("#tag-options", OptionList)
        shown = [c for c in self.choices if needle in c.name.casefold()]
        options.set_options(
            Option(
                Content.assemble(
                    ("✓ " if c.applied else "  ", "bold $success"),
                    ("● ", c.color),
                    c.name,
                    (f"  {c.count}", "$text-muted"),
                ),
                id=c.name,
            )
            for c in shown
        )
        if not shown:
            options.set_options(
                [Option(Content.styled(f"new tag “{typed.strip()}”" if needle else "no tags yet",
                                       "italic $text-muted"), disabled=True)]
            )
        options.highlighted = 0 if shown else None
        self._navigated = False

    @on(Input.Changed, "#tag-input")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#tag-options", OptionList)
        if options.option_count:
            options.action_cursor_down() if step > 0 else options.action_cursor_up()
            self._navigated = True

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#tag-options", OptionList)
        typed = " ".join(event.value.split())
        chosen: str | None = None
        if (self._navigated or not typed) and options.highlighted is not None:
            chosen = options.get_option_at_index(options.highlighted).id
        if chosen is None and typed:
            existing = {c.name.casefold(): c.name for c in self.choices}
            chosen = existing.get(typed.casefold(), typed)
        if chosen:
            self.dismiss(chosen)

    @on(OptionList.OptionSelected, "#tag-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
