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

from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content

NEW = "\x00new"  # option id of "+ new tag", which no real tag name can equal


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

    def __init__(
        self,
        choices: list[TagChoice],
        title: str = "Tag",
        *,
        allow_new: bool = True,
        hint: str = "enter adds the highlighted tag (removes a ✓ one) · ↑↓ choose · esc cancels",
        empty: str | None = None,
    ) -> None:
        super().__init__()
        self.choices = choices
        self.title_text = title
        self.allow_new = allow_new  # False: only an existing tag can be chosen (filters)
        self.hint = hint
        # What the list says when no tag is there to choose.
        self.empty = empty or ("no tags yet: type a name" if allow_new else "no such tag")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label(safe_content(self.title_text), classes="dialog-title")
            yield Input(
                placeholder=(
                    "Type a tag; a new name creates it" if self.allow_new else "Type to filter"
                ),
                # Completion offers the names that show as they are; one with a control or
                # invisible character is listed (shown) below, and chosen there.
                suggester=SuggestFromList(
                    [c.name for c in self.choices if terminal_safe(c.name) == c.name],
                    case_sensitive=False,
                ),
                id="tag-input",
            )
            yield OptionList(id="tag-options")
            yield Label(self.hint, classes="dialog-hint")

    AUTO_FOCUS = "#tag-input"

    def on_mount(self) -> None:
        if self.query("#tag-options"):  # absent while the app is closing
            self._filter("")

    def _filter(self, typed: str) -> None:
        name = " ".join(typed.split())
        needle = name.casefold()
        options = self.query_one("#tag-options", OptionList)
        shown = [c for c in self.choices if needle in c.name.casefold()]
        # Tags that start with what was typed come first: that is what completion offers.
        shown.sort(key=lambda c: (not c.name.casefold().startswith(needle), c.name.casefold()))
        items = [
            Option(
                Content.assemble(
                    ("✓ " if c.applied else "  ", "bold $success"),
                    ("● ", c.color),
                    terminal_safe(c.name),
                    (f"  {c.count}", "$text-muted"),
                ),
                id=c.name,
            )
            for c in shown
        ]
        if self.allow_new and name and all(c.name.casefold() != needle for c in self.choices):
            new = Content.styled(f"+ new tag “{terminal_safe(name)}”", "italic $accent")
            items.append(Option(new, id=NEW))
        if not items:
            items.append(
                Option(
                    Content.styled(self.empty, "italic $text-muted"),
                    disabled=True,
                )
            )
        options.set_options(items)
        options.highlighted = 0 if items and not items[0].disabled else None

    @on(Input.Changed, "#tag-input")
    def _typed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one("#tag-options", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def _choose(self, option_id: str | None) -> None:
        typed = " ".join(self.query_one("#tag-input", Input).value.split())
        if option_id == NEW:
            self.dismiss(typed or None)
        elif option_id:
            self.dismiss(option_id)

    @on(Input.Submitted, "#tag-input")
    def _submitted(self) -> None:
        options = self.query_one("#tag-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#tag-options")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
