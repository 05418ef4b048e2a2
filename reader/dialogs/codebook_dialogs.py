"""Small dialogs of the tag manager: a one-line prompt, a colour chooser and a confirmation."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from annotations.model import TAG_COLOR_NAMES, TAG_PALETTE, tag_color
from annotations.storage import StoreError
from corpus.terminal_safe import terminal_safe, unshow
from reader.shown import safe_content

COLOR_NAMES = tuple(TAG_COLOR_NAMES)


class TextPrompt(ModalScreen[str | None]):
    """One line of text (a tag name or a description); ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#prompt-input"

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        # The value as the input shows it: a control or invisible character in a tag name or
        # description is shown, not obeyed. Submitted, every one of them the person left
        # untouched is put back (unshow): an edit changes only what was edited.
        self.shown_value = terminal_safe(value)
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe_content(self.title_text), classes="dialog-title")
            yield Input(self.shown_value, placeholder=self.placeholder, id="prompt-input")
            yield Label("enter saves · esc cancels", classes="dialog-hint")

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(unshow(self.value, event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ColorPicker(ModalScreen[str | None]):
    """Choose one of the palette's colours, or type ``#rrggbb``; ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#color-options"

    def __init__(self, title: str, current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(
                Content.assemble(("████ ", color), f"{name:<8}", (color, "$text-muted")),
                id=color,
            )
            for color, name in zip(TAG_PALETTE, COLOR_NAMES, strict=True)
        ]
        with Vertical(classes="dialog color-dialog"):
            yield Label(safe_content(self.title_text), classes="dialog-title")
            yield OptionList(*options, id="color-options")
            yield Input(
                self.current or "",
                placeholder="or type #rrggbb and press enter",
                id="color-hex",
            )
            yield Label("enter chooses · tab to type a colour · esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one("#color-options", OptionList)
        if self.current and self.current.lower() in TAG_PALETTE:
            options.highlighted = TAG_PALETTE.index(self.current.lower())

    @on(OptionList.OptionSelected, "#color-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted, "#color-hex")
    def _typed(self, event: Input.Submitted) -> None:
        # The names listed above are taken as typed too, as `reader tags recolor` takes them.
        try:
            value = tag_color(event.value)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(value.lower())

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question: y or enter on "Yes" confirms, n or esc declines."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    AUTO_FOCUS = "#confirm-no"

    def __init__(self, title: str, question: str, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe_content(self.title_text), classes="dialog-title")
            yield Label(safe_content(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.no} (n)", id="confirm-no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
