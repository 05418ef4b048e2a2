"""Start a program in a real terminal (a detached tmux pane) and time it until text shows.

A program is started in a new 120x40 tmux session; the pane is captured every 5 ms until the
marker text is on it. A holder session (:func:`tmux_server`) keeps one tmux server up for the
whole run, so no launch races a server starting or shutting down. The program's process id is
known (the pane's shell ``exec``-s it), so its memory can be read while it is on screen.
"""

from __future__ import annotations

import contextlib
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

WIDTH, HEIGHT = 120, 40


@dataclass(frozen=True)
class Launch:
    """One start: seconds until the marker showed, and the peak resident memory (VmHWM) of the
    process a moment after, in bytes (0 when it could not be read)."""

    seconds: float
    peak_rss: int


def available() -> bool:
    return shutil.which("tmux") is not None


@contextlib.contextmanager
def tmux_server() -> Iterator[None]:
    holder = f"bench-holder-{time.monotonic_ns()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", holder, "sleep 3600"], check=True)
    try:
        yield
    finally:
        subprocess.run(["tmux", "kill-session", "-t", holder], capture_output=True)


def peak_rss(pid: int) -> int:
    """VmHWM of a process, in bytes (Linux); 0 if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def launch(
    command: list[str],
    marker: str,
    *,
    timeout: float = 30.0,
    settle: float = 0.0,
    probe: Callable[[int], int] = peak_rss,
) -> Launch:
    """Start ``command`` in a fresh pane; return when ``marker`` is on screen, with the
    process's ``probe`` (peak memory) read ``settle`` seconds later."""
    session = f"bench-{time.monotonic_ns()}"
    with tempfile.TemporaryDirectory(prefix="bench-tmux-") as tmp:
        pid_file = Path(tmp) / "pid"
        inner = 'echo $$ > "$0"; exec "$@"'  # $0: the pid file; then the command itself
        shell = (
            " ".join(shlex.quote(c) for c in ["sh", "-c", inner, str(pid_file), *command])
            + "; sleep 30"  # a crash stays on screen for the error message below
        )
        started = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                str(WIDTH),
                "-y",
                str(HEIGHT),
                "-e",
                "TERM=xterm-256color",
                shell,
            ],
            check=True,
        )
        try:
            screen = ""
            while time.perf_counter() - started < timeout:
                screen = subprocess.run(
                    ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
                ).stdout
                if marker in screen:
                    seconds = time.perf_counter() - started
                    if settle:
                        time.sleep(settle)
                    try:
                        pid = int(pid_file.read_text())
                    except (OSError, ValueError):
                        return Launch(seconds, 0)
                    return Launch(seconds, probe(pid))
                time.sleep(0.005)
            raise RuntimeError(f"{marker!r} never appeared; screen was:\n{screen}")
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def time_to_text(command: list[str], marker: str, timeout: float = 20.0) -> float:
    """Seconds from starting ``command`` in a 120x40 tmux pane until ``marker`` is on screen."""
    return launch(command, marker, timeout=timeout).seconds
