"""The tag manager: every tag with its colour, highlight count and description, and the keys
to rename, merge, recolour, describe, create, delete, undo and redo (the workspace's history,
shared with the main screen: ``u`` here takes back its newest change, wherever it was made).

Store calls run in a thread worker (renaming a tag used on 26,000 highlights rewrites some
9,000 files) and report back with one message; the table is rebuilt from the store after each,
so what it shows is what was saved. The screen dismisses with ``True`` when anything changed,
so the main screen can redraw its list and the open article.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label
from textual.worker import Worker, WorkerState

from annotations.codebook import TagChange, TagRow, codebook_rows
from annotations.history import History, Step
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content
from reader.widgets.keys_footer import KeysFooter
from reader.wording import count, first_lines, sentence

log = logging.getLogger(__name__)
MEMO_LINES = 4  # of a tag's memo under the table (e shows it whole)


@dataclass
class Applied(Message):
    """The worker finished: the rows as saved, and the change made, or the history step
    undone (``redo``: redone), or an error (an undo that failed changed nothing)."""

    rows: list[TagRow]
    select: str | None
    change: TagChange | None = None
    undone: Step | None = None
    error: str | None = None
    redo: bool = False


class CodebookScreen(Screen[bool]):
    """All tags as a tree; dismisses with whether anything changed."""

    BINDINGS = [
        Binding("r", "rename", "Rename"),
        Binding("m", "merge", "Merge"),
        Binding("c", "color", "Colour"),
        Binding("e", "describe", "Memo"),
        Binding("n", "new", "New"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo"),
        Binding("U,ctrl+y", "redo", "Redo", show=False),
        Binding("question_mark", "help", "Keys", show=False),
        Binding("escape,q", "close", "Close"),
    ]

    busy: var[bool] = var(True)

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__()
        self.store = store
        self.rows: list[TagRow] = []
        self.history = History(store)  # what u undoes and U redoes: the workspace's
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Counting…", id="codebook-summary")
        yield DataTable(id="codebook-table", cursor_type="row", zebra_stripes=True)
        yield Label("", id="codebook-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Tags"
        table = self.query_one(DataTable)
        table.add_column(" ", key="swatch", width=2)
        table.add_column("Tag", key="tag")
        table.add_column("Highlights", key="count")
        table.add_column("Description", key="description")
        table.focus()
        self._work(None, None)

    # -- running store calls -----------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="tags")
    def _work(
        self,
        call: Callable[[], TagChange | None] | None,
        select: str | None,
        step: str | None = None,
    ) -> None:
        """Run ``call`` (a change), or the history's ``step`` ("undo" or "redo"), and re-read
        the codebook; report through :class:`Applied` only."""
        change = undone = None
        error = None
        try:
            if step is not None:
                undone = self.history.redo() if step == "redo" else self.history.undo()
            elif call is not None:
                change = call()
                if change is not None:  # here: it reads the files it changed again
                    self.history.push(change)
        except (StoreError, OSError) as exc:
            error = str(exc)
        try:
            rows = codebook_rows(self.store.tags(), *self.store.tag_tallies())
        except StoreError as exc:
            rows, error = self.rows, error or str(exc)
        self.post_message(Applied(rows, select, change, undone, error, step == "redo"))

    def _start(
        self,
        call: Callable[[], TagChange | None] | None,
        select: str | None = None,
        step: str | None = None,
    ) -> None:
        self.busy = True
        self.query_one("#codebook-summary", Label).update("Saving…")
        self._work(call, select, step)

    @on(Applied)
    def _applied(self, message: Applied) -> None:
        self.busy = False
        if message.error:
            log.error("tag change failed: %s", message.error)
            self.notify(message.error, title="Nothing changed", severity="error", timeout=8)
        if message.change is not None:
            self.changed = True
            self.notify(f"{sentence(message.change.label)}. Saved (u undoes).", timeout=4)
        undone = message.undone
        if undone is not None:
            self.changed = True
            done = "Redid" if message.redo else "Undid"
            self.notify(f"{done}: {undone.label}. Saved.", timeout=4)
        self._show(
            message.rows,
            message.select or _restored(undone and undone.entry) or self._current_name(),
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:  # not a store error: a bug, reported once here
            log.error("tag manager failed", exc_info=event.worker.error)
            self.busy = False
            self.notify(f"Tag manager failed: {event.worker.error}", severity="error", timeout=10)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While a change is being written every key waits (shown dimmed): closing now would
        # lose the message that says what was saved.
        return None if self.busy else True

    def watch_busy(self) -> None:
        self.refresh_bindings()

    # -- the table ------------------------------------------------------------------------------
    def _show(self, rows: list[TagRow], select: str | None) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        # Descriptions are cut to what fits beside the other columns (the full one shows
        # below the table), so the table never scrolls sideways.
        # Names and descriptions as shown (terminal_safe), and as Text: a str cell would be
        # read as markup.
        labels = [terminal_safe(r.label) for r in rows]
        name_width = max(
            (2 * r.depth + len(label) for r, label in zip(rows, labels, strict=True)), default=0
        )
        fits = max(20, self.size.width - name_width - 24)
        for row, label in zip(rows, labels, strict=True):
            # A background, not "██": the cursor row's colour would paint over a foreground.
            swatch = Text("  ", style=f"on {row.color}") if row.color else Text("··", style="dim")
            name = Text("  " * row.depth + label, style="" if row.in_codebook else "dim italic")
            description = terminal_safe(row.description.replace("\n", " "))
            if len(description) > fits:
                description = description[: fits - 1] + "…"
            table.add_row(
                swatch,
                name,
                Text(_highlights_cell(row), justify="right"),
                Text(description),
                key=row.name,
            )
        names = [row.name for row in rows]
        if select in names:
            table.move_cursor(row=names.index(select))
        tags = sum(row.in_codebook for row in rows)
        summary = f"{count(tags, 'tag')} · highlights per tag · ? lists the keys"
        if not rows:
            summary = "No tags yet: n makes the first one."
        self.query_one("#codebook-summary", Label).update(summary)
        self._show_detail()

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        row = self._current()
        detail = self.query_one("#codebook-detail", Label)
        if row is None:
            detail.update("")
        elif not row.in_codebook:
            text = f"{row.name}: not a tag itself, only the parent of the tags under it"
            detail.update(safe_content(text))
        elif not row.description.strip():
            detail.update(safe_content(f"{row.name}: no memo (e writes one)"))
        else:
            # The memo whole, up to the lines the label has (its CSS max-height); e shows all.
            lines = first_lines(row.description.strip().splitlines(), MEMO_LINES)
            text = f"{row.name} · memo: " + "\n".join(lines)
            detail.update(safe_content(text, multiline=True))

    def _current(self) -> TagRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def _current_name(self) -> str | None:
        row = self._current()
        return row.name if row else None

    def _need_row(self) -> TagRow | None:
        row = self._current()
        if row is None:
            self.notify("No tag here yet: n makes one.", severity="warning")
        return row

    # -- actions --------------------------------------------------------------------------------
    def action_rename(self) -> None:
        from reader.dialogs.codebook_dialogs import TextPrompt

        row = self._need_row()
        if row is None:
            return
        title = f"Rename #{row.name}"
        if any(r.name.startswith(row.name + "/") for r in self.rows):
            title += " (the tags nested in it follow)"

        def renamed(new: str | None) -> None:
            if new and new.strip() and new.strip() != row.name:
                clean = " ".join(new.split())
                self._start(lambda: self.store.rename_tag(row.name, clean), clean)

        self.app.push_screen(TextPrompt(title, row.name), renamed)

    def action_merge(self) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        row = self._need_row()
        if row is None:
            return
        choices = [
            TagChoice(r.name, r.color or "#888888", r.count, False)
            for r in self.rows
            if r.name != row.name and r.in_codebook
        ]

        def merged(target: str | None) -> None:
            if target:
                self._start(lambda: self.store.merge_tags([row.name], target), target)

        self.app.push_screen(
            TagPicker(
                choices,
                f"Merge #{row.name} ({count(row.count, 'highlight')}) into…",
                hint="enter merges into the highlighted tag · a new name makes it · esc cancels",
                empty="no other tag: type a name to make one",
            ),
            merged,
        )

    def action_color(self) -> None:
        from reader.dialogs.codebook_dialogs import ColorPicker

        row = self._need_row()
        if row is None:
            return

        def chosen(color: str | None) -> None:
            if color:
                self._start(lambda: self.store.edit_tag(row.name, color=color), row.name)

        self.app.push_screen(ColorPicker(f"Colour of #{row.name}", row.color), chosen)

    def action_describe(self) -> None:
        """Edit the tag's memo (its description: what the code means, how it is applied),
        many lines; ctrl+s saves, u undoes."""
        from reader.dialogs.note_editor import NoteEditor

        row = self._need_row()
        if row is None:
            return

        def described(text: str | None) -> None:
            if text is not None and text != row.description:
                self._start(lambda: self.store.edit_tag(row.name, description=text), row.name)

        self.app.push_screen(NoteEditor(f"#{row.name}", row.description, title="Memo"), described)

    def action_new(self) -> None:
        from reader.dialogs.codebook_dialogs import TextPrompt

        row = self._current()
        # Offer the current tag's branch, so nesting a new code under it is one word away.
        parent = row.name.rsplit("/", 1)[0] + "/" if row and "/" in row.name else ""

        def created(name: str | None) -> None:
            if name and name.strip().strip("/"):
                clean = " ".join(name.split())
                self._start(lambda: self.store.create_tag(clean), clean)

        self.app.push_screen(
            TextPrompt("New tag", parent, "a name; a / nests it, as in AI/likeness"), created
        )

    def action_delete(self) -> None:
        from reader.dialogs.codebook_dialogs import Confirm

        row = self._need_row()
        if row is None:
            return
        question = (
            f"{count(row.count, 'highlight')} will lose the tag; the highlights are kept."
            if row.count
            else "No highlight has this tag."
        )

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._start(lambda: self.store.delete_tag(row.name))

        self.app.push_screen(
            Confirm(f"Delete #{row.name}?", question + " u undoes.", "Delete"), confirmed
        )

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, step: str) -> None:
        """Undo or redo the workspace's newest change (in the worker: it may be a rename)."""
        label = self.history.redo_label if step == "redo" else self.history.undo_label
        if label is None:
            problem = self.history.problem()
            if problem is not None:
                self.notify(problem, title="Undo unavailable", severity="error", timeout=10)
            else:
                self.notify(f"Nothing to {step}.", timeout=2)
            return
        self._start(None, step=step)

    def action_help(self) -> None:
        from reader.dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen([("Tag manager", list(self.BINDINGS))]))

    def action_close(self) -> None:
        self.dismiss(self.changed)


def _highlights_cell(row: TagRow) -> str:
    """A row's highlights: a parent counts those of the tags nested in it, and says its own
    when it has some (``17 (3 own)``)."""
    if row.count in (0, row.total):
        return str(row.total)
    return f"{row.total} ({row.count} own)"


def _restored(undone: object) -> str | None:
    """The tag an undone change put back (a deleted one, a renamed one's old name, the first
    of a merge's), for the cursor to rest on; ``None`` when it put back none."""
    if not isinstance(undone, TagChange):
        return None
    return next((name for name, tag in undone.tags_before.items() if tag is not None), None)
