"""The app's export dialog offers the REFI-QDA project: a path ending .qdpx picks it (Pilot)."""

from __future__ import annotations

import io
import zipfile

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.export import ExportDialog
from reader.textual_private import notifications_shown
from tests.waits import type_text

ARTICLE = "netflix-ai-job-picket-line"


async def test_a_qdpx_path_in_the_export_dialog_writes_a_project(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    start = text.index("picket line")
    store.add_highlight(ARTICLE, start, start + 11, tags=["strike"], note="Here.")
    target = sample_ws.root / "exports" / "study.qdpx"
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, str(target))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert any(
            f"as qdpx to {target}" in " ".join(n.message.split()) for n in notifications_shown(app)
        )
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
        names = archive.namelist()
        project = archive.read("project.qde").decode("utf-8")
    assert names[0] == "project.qde" and len(names) == 2
    assert (
        'name="picket line"' in project and "<PlainTextContent>Here.</PlainTextContent>" in project
    )
