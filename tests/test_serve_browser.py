"""``reader serve`` in a real browser: headless Chromium, driven by Playwright, against a
``reader serve --port 0`` on a workspace of the sample articles (issue 21).

The page is a terminal drawn on a canvas, so what the app did is read from the workspace's
files (:class:`AnnotationStore`), never from page text; what a tab *shows* is read from the
colours of its screenshot. One server and one browser serve the whole module. Chromium is the
system one (Debian's ``chromium``): Playwright cannot download a browser here, and the test is
skipped, saying how to install it, when there is none. Set ``READER_SERVE_PNG`` to a path to
keep the screenshot the README shows (docs/serve.png).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.workspace import Workspace

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not found: apt-get install chromium"),
]

# The flags that let Chromium run headless on a machine with no network and no display.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every step waits for what the files or the screen show, up to this long: never a fixed sleep.
PATIENCE = 60.0
CODER = "browser"
T = TypeVar("T")


def wait_for(what: str, found: Callable[[], T | None]) -> T:
    """``found()``'s first true value, asked every 0.2 s; fails naming ``what`` after
    :data:`PATIENCE` seconds."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"not seen in {PATIENCE:.0f} s: {what}")


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, _sample_template: Path
) -> Iterator[tuple[str, Workspace]]:
    """``reader --coder browser serve --port 0`` on a new workspace of the sample articles
    (tests/conftest.py's copy): the URL it printed and the workspace. Stopped with ctrl+c
    (SIGINT) at the end, which must end it cleanly."""
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(_sample_template, root / "workspace", symlinks=True)
    ws = Workspace(root / "workspace")
    env = {**os.environ, "READER_CONFIG": str(root / "config.toml")}
    command = [sys.executable, "-m", "reader", "--coder", CODER, "serve", "--port", "0"]
    server = subprocess.Popen(
        [*command, "-w", str(ws.root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    assert " at http://127.0.0.1:" in line, line + server.communicate()[1]
    try:
        yield line.split(" at ", 1)[1].strip(), ws
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=30)
        assert server.returncode == 0, err
        assert "Traceback" not in err, err


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium (a fresh profile) for the module, 1280x800 pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
            accept_downloads=True,
        )
        # The page asks Google for a font; there is no network here, so say no at once.
        context.route("https://fonts.googleapis.com/**", lambda route: route.abort())
        try:
            yield context
        finally:
            context.close()


def colours(page: Any) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour the page's screenshot has."""
    from PIL import Image

    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    return Counter({colour: n for n, colour in image.getcolors(maxcolors=1 << 24) or []})


def new_colours(page: Any, before: Counter[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    """The colours the page shows over 5,000 pixels of that ``before`` had none of."""
    return {c for c, n in colours(page).items() if c not in before and n > 5_000}


def open_tab(browser: Any, url: str) -> Any:
    page = browser.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("body.-first-byte", timeout=PATIENCE * 1000)  # the app answered
    return page


def last_article(ws: Workspace) -> str | None:
    with AnnotationStore(ws) as store:
        return store.last_article()


def tagged(ws: Workspace, tag: str) -> list[Highlight]:
    with AnnotationStore(ws) as store:
        return [h for h in store.all_highlights() if tag in h.tags]


def open_dialog(page: Any, key: str) -> None:
    """Press ``key`` and wait until its dialog is drawn: what is typed next goes to the dialog
    only once it is there (a key that comes first goes to the screen under it)."""
    under = colours(page)
    page.keyboard.press(key)
    wait_for(
        f"the dialog that {key} opens",
        lambda: sum(n for c, n in colours(page).items() if c not in under) > 20_000,
    )


def tag_at(page: Any, height: float, tag: str) -> None:
    """Click into the reading text ``height`` (a fraction) down the page, then ``s`` (the
    sentence there), ``t``, the tag's name and enter."""
    page.bring_to_front()
    page.mouse.click(1280 * 0.5, 800 * height)
    page.keyboard.press("s")
    open_dialog(page, "t")
    page.keyboard.type(tag)
    page.keyboard.press("Enter")


def test_two_tabs_tag_sentences_and_each_sees_the_others(
    served: tuple[str, Workspace], browser: Any, tmp_path: Path
) -> None:
    url, ws = served
    first = open_tab(browser, url)
    second = open_tab(browser, url)
    opened = wait_for("the app open an article", lambda: last_article(ws))
    # Both tabs show the same article, untouched: the same picture, once both have drawn it.
    wait_for("both tabs drawn alike", lambda: colours(first) == colours(second))
    before = colours(second)

    tag_at(first, 0.15, "from-first")
    (one,) = wait_for("the first tab's highlight in the files", lambda: tagged(ws, "from-first"))
    assert one.article_id == opened
    assert one.coder == CODER  # the tab's reader runs as the server's --coder

    # The second tab, which nobody touched, draws it: live refresh. Both tabs gain the same
    # colour over the untouched picture, over thousands of pixels: the highlight's fill (the
    # first tab's selection is cleared, so that it shows the fill too).
    first.keyboard.press("Escape")
    wait_for(
        "the same highlight drawn in both tabs",
        lambda: new_colours(first, before) & new_colours(second, before),
    )

    middle = colours(first)
    tag_at(second, 0.35, "from-second")
    (two,) = wait_for("the second tab's highlight in the files", lambda: tagged(ws, "from-second"))
    second.keyboard.press("Escape")
    wait_for(
        "the second tab's highlight drawn in the first tab",
        lambda: new_colours(first, middle) & new_colours(second, middle),
    )
    assert two.article_id == opened
    assert two.start >= one.end  # another sentence, further down
    assert tagged(ws, "from-first") == [one]  # the second writer kept the first's highlight

    # Export in the browser: written in the workspace's exports/ folder, and downloaded.
    with second.expect_download(timeout=PATIENCE * 1000) as download:
        open_dialog(second, "e")
        second.keyboard.press("Enter")
    exported = ws.root / "exports" / "annotations.json"
    got = tmp_path / download.value.suggested_filename
    download.value.save_as(got)
    assert got.name == "annotations.json"
    assert got.read_bytes() == exported.read_bytes()
    assert b"from-first" in got.read_bytes() and b"from-second" in got.read_bytes()

    keep = os.environ.get("READER_SERVE_PNG")
    if keep:
        second.keyboard.press("Escape")
        first.bring_to_front()
        first.screenshot(path=keep)
