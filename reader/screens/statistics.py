"""The statistics screen: reading progress, highlights per tag and per article as bars, and
which tags go together, on one highlight or in one paragraph (p switches).

Counting runs in a thread worker: the main counts first (every highlight file is read once),
then the paragraph co-occurrence, which needs each annotated article's text. Each part shows
"Counting…" until its numbers arrive.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Label
from textual.worker import Worker, WorkerState, get_current_worker

from annotations.stats import Pairs, Statistics, Stopped, cooccurrence, statistics
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.widgets.bar_chart import Bar, BarChart
from reader.widgets.keys_footer import KeysFooter
from reader.wording import count

log = logging.getLogger(__name__)
TOP_ARTICLES = 20
TOP_PAIRS = 15
UNKNOWN_TAG_COLOR = "#888888"


@dataclass
class Counted(Message):
    """The counts that need only the highlight files, and the tags' colours."""

    stats: Statistics
    colors: dict[str, str]


@dataclass
class ParagraphsCounted(Message):
    """The tags found together in a paragraph, which need the articles' texts."""

    pairs: Pairs


@dataclass
class CountFailed(Message):
    """The counts could not be made: one line saying why."""

    error: str


class StatisticsScreen(Screen[None]):
    """Counts over the whole workspace, recounted each time the screen opens (or on r)."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        Binding("p", "toggle_scope", "Highlight / paragraph"),
        Binding("r", "recount", "Recount"),
        Binding("escape,q", "close", "Close"),
    ]

    by_paragraph: var[bool] = var(False)

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__()
        self.store = store
        self.stats: Statistics | None = None
        self.tag_colors: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Counting…", id="stats-status")
        with VerticalScroll(id="stats-scroll"), Grid(id="stats-grid"):
            for section, title in (
                ("progress", "Reading progress"),
                ("tags", "Highlights per tag"),
                ("pairs", "Tags together"),
                ("articles", f"Highlights per article (top {TOP_ARTICLES})"),
            ):
                with Vertical(id=f"stats-{section}", classes="stats-section") as box:
                    box.border_title = title
                    yield BarChart(
                        id=f"chart-{section}",
                        empty="Counting…",
                        label_width=48,
                        label_share=0.4 if section == "tags" else 0.6,
                    )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        self.query_one("#stats-scroll").focus()
        self._count()

    # -- counting -------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="statistics")
    def _count(self) -> None:
        worker = get_current_worker()
        try:
            counted = statistics(self.store, paragraphs=False, top_articles=TOP_ARTICLES)
            colors = {tag.name: tag.color for tag in self.store.tags()}
            if worker.is_cancelled:
                return
            self.post_message(Counted(counted, colors))
            pairs = cooccurrence(self.store, "paragraph", stop=lambda: worker.is_cancelled)
        except Stopped:  # the screen was closed: nobody is waiting for the count
            return
        except (StoreError, OSError) as exc:
            self.post_message(CountFailed(str(exc)))
            return
        if not worker.is_cancelled:
            self.post_message(ParagraphsCounted(pairs))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        self.stats, self.tag_colors = message.stats, message.colors
        stats = message.stats
        progress = stats.progress
        self.query_one("#stats-status", Label).update(
            f"{count(stats.highlights, 'highlight')} · {count(len(stats.per_tag), 'tag')} · "
            f"{count(progress.total, 'article')}"
        )
        self.query_one("#chart-progress", BarChart).set_bars(
            [
                Bar("Read", progress.read, total=progress.total),
                Bar("Annotated", progress.annotated, total=progress.total),
            ],
            empty="No articles yet.",
        )
        # A parent's bar ("AI (all)") counts what is nested in it, among the tags by count;
        # left out when it would repeat the parent's own bar.
        bars = [Bar(name, n, self._color(name)) for name, n in stats.per_tag.items()]
        bars += [
            Bar(f"{name} (all)", n, self._color(name))
            for name, n in stats.per_parent.items()
            if n != stats.per_tag.get(name)
        ]
        bars.sort(key=lambda bar: -bar.value)  # stable: ties keep their order
        self.query_one("#chart-tags", BarChart).set_bars(bars, empty="No tags yet.")
        top = stats.per_article[:TOP_ARTICLES]
        self.query_one("#chart-articles", BarChart).set_bars(
            [Bar(title, n) for _, title, n in top], empty="No highlights yet."
        )
        self._show_pairs()

    @on(ParagraphsCounted)
    def _paragraphs_counted(self, message: ParagraphsCounted) -> None:
        if self.stats is not None:
            self.stats.by_paragraph = message.pairs
            self._show_pairs()

    @on(CountFailed)
    def _failed(self, message: CountFailed) -> None:
        log.error("counting failed: %s", message.error)
        self.query_one("#stats-status", Label).update("Could not count: see the notification.")
        self.notify(message.error, title="Statistics", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log.error("statistics failed", exc_info=event.worker.error)
            self.notify(f"Statistics failed: {event.worker.error}", severity="error", timeout=10)

    # -- showing --------------------------------------------------------------------------------
    def _color(self, name: str) -> str:
        return self.tag_colors.get(name, UNKNOWN_TAG_COLOR)

    def _show_pairs(self) -> None:
        section = self.query_one("#stats-pairs")
        scope = "in one paragraph" if self.by_paragraph else "on one highlight"
        section.border_title = f"Tags together {scope} (p switches)"
        chart = self.query_one("#chart-pairs", BarChart)
        if self.stats is None:
            return
        pairs = self.stats.by_paragraph if self.by_paragraph else self.stats.by_highlight
        if pairs is None:
            chart.set_bars([], empty="Counting paragraphs…")
            return
        bars = [
            Bar(
                Content.assemble(
                    ("● ", self._color(a)),
                    terminal_safe(a),
                    "  ",
                    ("● ", self._color(b)),
                    terminal_safe(b),
                ),
                n,
            )
            for (a, b), n in list(pairs.items())[:TOP_PAIRS]
        ]
        where = "one paragraph" if self.by_paragraph else "one highlight"
        chart.set_bars(bars, empty=f"No two tags share {where} yet.")

    def watch_by_paragraph(self) -> None:
        if self.is_mounted:
            self._show_pairs()

    def action_toggle_scope(self) -> None:
        self.by_paragraph = not self.by_paragraph

    def action_recount(self) -> None:
        self.query_one("#stats-status", Label).update("Counting…")
        self._count()

    def action_close(self) -> None:
        self.dismiss(None)
