"""Save an SVG screenshot of the main screen, taken by the app itself (for the README).

Without a workspace it builds a throwaway one from the sample corpus with a few highlights, so
the picture is the same on every machine.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from textual.pilot import Pilot

from annotations.store import AnnotationStore
from corpus.library import Library
from corpus.sample_corpus import install_samples
from corpus.workspace import Workspace
from reader.app import ReaderApp

DEMO_ARTICLE = "netflix-ai-job-picket-line"
DEMO_HIGHLIGHTS = (
    ("$300,000 to $900,000", ["pay"], "The range everyone quoted."),
    ("health", ["health-plan"], ""),
    ("strike", ["strike"], ""),
)


def _demo_store(root: Path) -> AnnotationStore:
    workspace = Workspace(root / "workspace")
    workspace.ensure()
    install_samples(Library(workspace))
    store = AnnotationStore(workspace)
    text = store.library.display(DEMO_ARTICLE).text
    for quote, tags, note in DEMO_HIGHLIGHTS:
        start = text.index(quote)
        end = start + len(quote) if quote != "health" else text.index(".", start) + 1
        store.add_highlight(DEMO_ARTICLE, start, end, tags=tags, note=note)
    return store


def take_screenshot(
    output: Path, size: tuple[int, int], store: AnnotationStore | None = None
) -> None:
    """Run the app headless at ``size`` on ``store`` (else on a throwaway demo workspace, with
    an article open) and save the screen to ``output``."""
    with tempfile.TemporaryDirectory(prefix="reader-shot-") as tmp:
        article = None
        if store is None:
            store, article = _demo_store(Path(tmp)), DEMO_ARTICLE
        app = ReaderApp(store, article, settings=False)

        async def shoot(pilot: Pilot[object]) -> None:
            await pilot.pause()
            if article is not None:
                await pilot.press("]", "pagedown", "]", "s")
            await pilot.pause(0.2)
            app.save_screenshot(filename=output.name, path=str(output.parent))
            app.exit()

        output.parent.mkdir(parents=True, exist_ok=True)
        app.run(headless=True, size=size, auto_pilot=shoot)
