"""The main screen's coder view: ``@`` shows one coder's highlights, then the next, then all.

The view narrows what the reading pane draws and what the sidebar lists to one coder's
highlights, so ``[``/``]``, ``d``, ``c`` and ``t`` act only on what can be seen (they take
their highlights from the pane and the sidebar); the sidebar's title names the view. Showing
every coder, each coder's highlights carry a mark of their own in the pane when the workspace
has two or more coders (:mod:`annotations.coder_marks`), and the sidebar's title is the legend.

Which coders there are is read from every highlights file once, in a thread, after the first
screen is painted; the open article's coders are added each time it is drawn, so a coder
whose highlights arrive later (a ``git pull``, another app) is known as soon as they show.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message

from annotations.coder_marks import coder_label, next_view, workspace_coders
from corpus.terminal_safe import terminal_safe
from reader.screens.annotating import AnnotatingScreen
from reader.wording import count


@dataclass
class CodersRead(Message):
    """The worker read the coders of every highlight in the workspace."""

    coders: set[str]


class CoderViewKeys(AnnotatingScreen):
    """``@``: every coder's highlights, or one coder's; :meth:`show_all_coders` for other
    screens that need every coder's highlights in sight."""

    def on_mount(self) -> None:
        self.pane.call_after_paint(self._read_coders)

    @work(thread=True, exclusive=True, exit_on_error=False, group="reading coders")
    def _read_coders(self) -> None:
        # A file that cannot be read is for the sidebar and doctor to report, not this.
        self.post_message(CodersRead(workspace_coders(self.store, [])))

    @on(CodersRead)
    def _coders_found(self, message: CodersRead) -> None:
        if not message.coders <= self.known_coders:  # new marks, or a legend to show
            self.known_coders |= message.coders
            self._refresh_annotations()

    def action_coder_view(self) -> None:
        """Show the next coder's highlights only; after the last coder, every coder's. Until
        the thread has read every file, the coders are those of the articles opened so far."""
        coders = sorted(self.known_coders)
        if len(coders) < 2 and self.coder_view is None:
            if not coders:
                self.notify("No highlights yet: there is no coder to show.", timeout=3)
                return
            who = terminal_safe(coder_label(coders[0]))
            self.notify(f"Every highlight is by one coder ({who}).", timeout=3, markup=False)
            return
        self._set_coder_view(next_view(self.coder_view, coders))

    def show_all_coders(self) -> None:
        """Show every coder's highlights (for a screen that jumps to a passage two coders
        marked differently, such as an agreement screen)."""
        if self.coder_view is not None:
            self._set_coder_view(None)

    def _set_coder_view(self, view: str | None) -> None:
        self.coder_view = view
        self._refresh_annotations()
        if view is None:
            self.notify("Showing every coder's highlights.", timeout=3)
            return
        shown = count(len(self.pane.highlights), "highlight")
        whose = f"{terminal_safe(coder_label(view))}'s highlights" if view else "highlights"
        self.notify(
            f"Showing only {whose}{'' if view else ' with no coder'} "
            f"({shown} here; @ shows the next coder).",
            timeout=4,
            markup=False,
        )
