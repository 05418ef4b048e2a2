"""How two coders agree: ``K`` on the main screen (and "Agreement between coders" in the palette).

First the two coders. The workspace's coders are the distinct ``coder`` of its highlights (""
shown as "(no coder)"): with exactly two they are compared at once, with more two pickers
choose coder A, then coder B, and with fewer the screen says so and shows nothing else. The
pair is remembered for the session (the main screen keeps it), so ``K`` again compares it at
once.

Then :func:`annotations.agreement.agreement_in`'s report, the one ``reader agree`` prints: a
table per tag (percent agreement, Cohen's kappa, Krippendorff's alpha, the characters each coder
marked; "-" where a measure is undefined), and under it the passages of the highlighted tag
that only one coder marked. Enter on a passage closes the screen and opens its article with the
passage selected, as the highlights view (``H``) opens a highlight.

Reading the coders and comparing run in a thread (30 ms and more on a large workspace); the
screen says "Comparing…" when that takes longer than a frame. The store is only read here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Select
from textual.worker import Worker, WorkerState

from annotations.agreement import AgreementReport, Disagreement, TagAgreement, agreement_in
from annotations.errors import StoreError
from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.later import Later
from reader.screens.search import JumpTo
from reader.shown import safe_content
from reader.widgets.keys_footer import KeysFooter
from reader.wording import count

log = logging.getLogger(__name__)
Pair = tuple[str, str]
FRAME = 1 / 60  # seconds: work done sooner than this shows no "Comparing…"
PASSAGE_CHARS = 300  # of a passage read in the worker; the column cuts it to its width
NO_CODER = "(no coder)"


def coder_label(coder: str) -> str:
    """A coder's name as the screen shows it: terminal-safe, "" as "(no coder)"."""
    return terminal_safe(coder) if coder else NO_CODER


def pick_pair(coders: list[str], remembered: Pair | None) -> Pair | None:
    """The two coders to compare without asking: the only two there are (in the remembered
    order, if it names them), or the remembered pair when both still have highlights; else
    ``None`` (fewer than two coders, or more and none remembered: the user picks)."""
    if remembered is not None and remembered[0] != remembered[1] and set(remembered) <= set(coders):
        return remembered
    if len(coders) == 2:
        return (coders[0], coders[1])
    return None


def share(value: float | None) -> str:
    """A kappa or an alpha as ``reader agree`` prints it: three decimals, "-" if undefined."""
    return "-" if value is None else f"{value:.3f}"


def percent(value: float | None) -> str:
    """Percent agreement as ``reader agree`` prints it: one decimal, "-" if undefined."""
    return "-" if value is None else f"{100 * value:.1f}%"


def tag_cells(t: TagAgreement) -> tuple[str, str, str, str, str, str]:
    """One row of the table: tag, agreement, kappa, alpha, characters marked by A and by B."""
    c = t.counts
    return (
        t.tag,
        percent(t.agreement),
        share(t.kappa),
        share(t.alpha),
        f"{c.marked_a:,}",
        f"{c.marked_b:,}",
    )


def cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, ending in "…" when it was longer."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


@dataclass(frozen=True)
class Passage:
    """A disagreement as the passages table lists it."""

    disagreement: Disagreement
    title: str  # the article's
    coder: str  # the name of the coder who marked it
    text: str  # on one line


@dataclass
class CodersRead(Message):
    """The worker read the workspace's coders (sorted), and the pair it compares (if any)."""

    coders: list[str]
    pair: Pair | None


@dataclass
class Compared(Message):
    """The worker compared ``pair``: the report, with each tag's passages read."""

    pair: Pair
    report: AgreementReport
    passages: dict[str, list[Passage]]


@dataclass
class NotCompared(Message):
    """``pair`` cannot be compared (no article in common…), or with ``pair`` ``None`` the
    coders could not be read: ``reason`` says why, in words."""

    pair: Pair | None
    reason: str


class TagTable(DataTable[Text]):
    """The per-tag table; enter goes to the highlighted tag's passages."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Passages"),
    ]


class PassageTable(DataTable[Text]):
    """The passages only one coder marked; enter opens the article at one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Go to passage"),
    ]


class AgreementScreen(Screen[JumpTo | None]):
    """Agreement between two coders; dismisses with the passage to go to."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("tab", "app.focus_next", "Tags / passages"),
        Binding("question_mark", "help", "Keys"),
    ]
    AUTO_FOCUS = ""  # it focuses what it shows itself (None would be the app's "*")

    def __init__(self, store: AnnotationStore, pair: Pair | None = None) -> None:
        """``pair``: the coders compared last time in this session, compared again if both
        still have highlights."""
        super().__init__()
        self.store = store
        self.remembered = pair
        self.pair: Pair | None = None  # the pair compared, once chosen
        self.report: AgreementReport | None = None
        self.passages: dict[str, list[Passage]] = {}
        self.shown: list[Passage] = []  # the passages table's rows, in order
        self._slow = Later(self, FRAME)  # a status said if the work takes longer than a frame

    def compose(self) -> ComposeResult:
        with Vertical(id="agreement-box"):
            with Horizontal(id="agreement-bar"):
                yield Label("Agreement", id="agreement-label")
                yield Label("", id="agreement-summary")
            with Horizontal(id="agreement-coders"):
                yield Label("Coder A", classes="agreement-coder-label")
                yield Select[str]([], prompt="pick coder A", id="coder-a")
                yield Label("Coder B", classes="agreement-coder-label")
                yield Select[str]([], prompt="pick coder B", id="coder-b")
            yield Label("", id="agreement-status")
            yield TagTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
            yield Label("", id="agreement-passages-title")
            yield PassageTable(id="agreement-passages", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#agreement-coders").display = False
        self._show_results(False)
        self._busy("Reading the coders…")
        self._read(self.remembered)

    # -- the workers -----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def _read(self, remembered: Pair | None) -> None:
        try:
            coders = sorted({h.coder for h in self.store.all_highlights()})
        except (StoreError, OSError) as exc:  # a highlights file that cannot be read
            self.post_message(NotCompared(None, str(exc)))
            return
        pair = pick_pair(coders, remembered)
        self.post_message(CodersRead(coders, pair))
        if pair is not None:
            self._compare_now(pair)

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def _compare(self, pair: Pair) -> None:
        self._compare_now(pair)

    def _compare_now(self, pair: Pair) -> None:
        """Compare ``pair`` and read each passage's text and article title (in the worker)."""
        try:
            report = agreement_in(self.store, *pair)
        except (StoreError, OSError) as exc:
            self.post_message(NotCompared(pair, str(exc)))
            return
        titles = {aid: self.store.library.get(aid).title for aid in report.lengths}
        names = {"a": pair[0], "b": pair[1]}
        passages = {
            t.tag: [
                Passage(
                    d,
                    titles[d.article_id],
                    names[d.coder],
                    report.passage(self.store, d, PASSAGE_CHARS),
                )
                for d in t.disagreements
            ]
            for t in report.tags
        }
        self.post_message(Compared(pair, report, passages))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log.error("comparing the coders failed", exc_info=event.worker.error)
            self._idle()
            self._show_results(False)
            self._status(f"Cannot compare: {event.worker.error}", error=True)

    # -- the coders ------------------------------------------------------------------------------
    @on(CodersRead)
    def _coders_read(self, message: CodersRead) -> None:
        coders = message.coders
        if len(coders) < 2:
            self._idle()
            if not coders:
                self._status("No highlights yet: agreement needs two coders' highlights.")
            else:
                only = coder_label(coders[0])
                self._status(
                    f"Agreement needs two coders; every highlight here is by {only}. "
                    "Code with reader --coder NAME (or READER_CODER) to add another."
                )
            return
        if len(coders) > 2:
            self._offer(coders, message.pair)
        if message.pair is not None:  # the worker that read the coders compares them
            self._comparing(message.pair)
        else:
            self._idle()
            self._status("Pick coder A, then coder B.")
            self.query_one("#coder-a", Select).focus()

    def _offer(self, coders: list[str], pair: Pair | None) -> None:
        """Show the two pickers, holding ``pair`` if one is chosen."""
        options = [(safe_content(coder_label(c)), c) for c in coders]
        for select_id, value in (
            ("#coder-a", pair[0] if pair else None),
            ("#coder-b", pair[1] if pair else None),
        ):
            select: Select[str] = self.query_one(select_id, Select)
            with select.prevent(Select.Changed):
                select.set_options(options)
                if value is not None:
                    select.value = value
        self.query_one("#agreement-coders").display = True

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        a = self.query_one("#coder-a", Select).value
        b = self.query_one("#coder-b", Select).value
        if event.select.id == "coder-a" and b == Select.NULL:
            self.query_one("#coder-b", Select).focus()
            return
        if a == Select.NULL or b == Select.NULL:
            return
        assert isinstance(a, str) and isinstance(b, str)
        if a == b:
            self._show_results(False)
            self._status("Pick two different coders.", error=True)
            return
        self._start((a, b))

    # -- comparing -------------------------------------------------------------------------------
    def _start(self, pair: Pair) -> None:
        """Compare ``pair``, picked by the user."""
        self._comparing(pair)
        self._compare(pair)

    def _comparing(self, pair: Pair) -> None:
        self.pair = pair
        self.report = None
        self._busy(f"Comparing {coder_label(pair[0])} and {coder_label(pair[1])}…")

    @on(NotCompared)
    def _not_compared(self, message: NotCompared) -> None:
        if message.pair != self.pair:
            return  # an earlier pick's
        self._idle()
        self._show_results(False)
        self._status(message.reason, error=True)

    @on(Compared)
    def _compared(self, message: Compared) -> None:
        if message.pair != self.pair:
            return  # an earlier pick's
        self._idle()
        self.report, self.passages = message.report, message.passages
        report = message.report
        a, b = (coder_label(c) for c in message.pair)
        units = sum(report.lengths.values())
        self.query_one("#agreement-summary", Label).update(
            safe_content(
                f"{a} and {b} over {count(len(report.lengths), 'article')} ({units:,} characters)"
            )
        )
        table = self.query_one(TagTable)
        table.clear(columns=True)
        table.add_column("tag", key="tag")
        # Numbers are right-aligned, and so are their headings.
        for label, key in (
            ("agreement", "agreement"),
            ("κ", "kappa"),
            ("α", "alpha"),
            (cut(f"{a} marked", 18), "a"),
            (cut(f"{b} marked", 18), "b"),
        ):
            table.add_column(Text(label, justify="right"), key=key)
        for t in report.tags:
            tag, *numbers = tag_cells(t)
            table.add_row(
                Text(terminal_safe(tag)), *(Text(n, justify="right") for n in numbers), key=t.tag
            )
        if not report.tags:
            self._show_results(False)
            self._status("Neither coder tagged a highlight in the articles both coded.")
            return
        self._status("κ Cohen's kappa · α Krippendorff's alpha · marked: characters · - undefined")
        self._show_results(True)
        table.move_cursor(row=0)
        self._list_passages()
        table.focus()

    @on(DataTable.RowHighlighted, "#agreement-table")
    def _tag_moved(self) -> None:
        self._list_passages()

    @on(DataTable.RowSelected, "#agreement-table")
    def _tag_chosen(self) -> None:
        passages = self.query_one(PassageTable)
        if passages.row_count:
            passages.focus()

    def _current_tag(self) -> TagAgreement | None:
        if self.report is None or not self.report.tags:
            return None
        row = self.query_one(TagTable).cursor_row
        return self.report.tags[min(max(row, 0), len(self.report.tags) - 1)]

    def _list_passages(self) -> None:
        """List the highlighted tag's passages, cut to the table's width."""
        t = self._current_tag()
        table = self.query_one(PassageTable)
        table.clear(columns=True)
        title = self.query_one("#agreement-passages-title", Label)
        if t is None:
            self.shown = []
            title.update("")
            return
        self.shown = self.passages.get(t.tag, [])
        if not self.shown:
            title.update(safe_content(f"#{t.tag}: both coders marked the same passages"))
            return
        title.update(
            safe_content(f"#{t.tag}: {count(len(self.shown), 'passage')} only one coder marked")
        )
        width = max(self.size.width, 40)
        title_w = min(24, max(len(p.title) for p in self.shown))
        offsets_w = max(len(f"{p.disagreement.start}-{p.disagreement.end}") for p in self.shown)
        who_w = min(16, max(len(f"only {coder_label(p.coder)}") for p in self.shown))
        # Each column has a cell's padding each side; the scroll bar takes two more.
        text_w = max(width - title_w - offsets_w - who_w - 4 * 2 - 2, 12)
        table.add_column("article", key="article", width=title_w)
        table.add_column("offsets", key="offsets", width=offsets_w)
        table.add_column("coder", key="coder", width=who_w)
        table.add_column("passage", key="passage", width=text_w)
        for index, p in enumerate(self.shown):
            d = p.disagreement
            table.add_row(
                Text(cut(terminal_safe(p.title), title_w)),
                Text(f"{d.start}-{d.end}", justify="right"),
                Text(cut(f"only {coder_label(p.coder)}", who_w)),
                Text(cut(terminal_safe(p.text), text_w)),
                key=str(index),
            )

    def on_resize(self) -> None:
        if self.report is not None:
            self._list_passages()

    @on(DataTable.RowSelected, "#agreement-passages")
    def _passage_chosen(self, event: DataTable.RowSelected) -> None:
        index = event.cursor_row
        if not 0 <= index < len(self.shown):
            return
        d = self.shown[index].disagreement
        self.dismiss(JumpTo(d.article_id, d.start, d.end))

    # -- what the screen says --------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        """Say ``text`` if the work takes longer than a frame."""
        self._slow.start(lambda: self._status(text))

    def _idle(self) -> None:
        self._slow.cancel()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#agreement-status", Label)
        status.update(safe_content(text))
        status.set_class(error, "-error")

    def _show_results(self, show: bool) -> None:
        for selector in ("#agreement-table", "#agreement-passages-title", "#agreement-passages"):
            self.query_one(selector).display = show
        if not show:
            self.query_one("#agreement-summary", Label).update("")

    # -- actions ---------------------------------------------------------------------------------
    def action_help(self) -> None:
        from reader.dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen([("Agreement between coders (K)", agreement_keys())]))

    def action_close(self) -> None:
        self.dismiss(None)


def agreement_keys() -> list[BindingType]:
    """Every key of the agreement screen, for the help screen."""
    return [
        Binding("up,down", "", "Move in the tags or the passages"),
        *TagTable.BINDINGS,
        *PassageTable.BINDINGS,
        *AgreementScreen.BINDINGS,
    ]
