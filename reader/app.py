"""Placeholder app (the full reader arrives with the app issue)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from annotations.store import AnnotationStore


class ReaderApp(App[None]):
    TITLE = "reader"

    def __init__(self, store: AnnotationStore, article_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.article_id = article_id

    def compose(self) -> ComposeResult:
        yield Header()
        titles = "\n".join(a.title for a in self.store.library.articles())
        yield Static(titles)
        yield Footer()
