"""``reader.later.Later``: a callback taken back is never run, even when its timer had already
fired and Textual had queued it behind messages waiting to be handled."""

from __future__ import annotations

import asyncio

from textual.app import App

from reader.later import Later

DELAY = 0.01


async def test_a_callback_taken_back_after_its_timer_fired_does_not_run() -> None:
    ran: list[str] = []
    app: App[None] = App()
    async with app.run_test() as pilot:
        later = Later(app, DELAY)

        async def a_handler_that_ends_the_work_late() -> None:
            later.start(lambda: ran.append("busy"))
            await asyncio.sleep(DELAY * 6)  # the timer fires meanwhile: its callback is queued
            assert later.waiting
            later.cancel()
            assert not later.waiting

        app.call_later(a_handler_that_ends_the_work_late)
        await pilot.pause(DELAY * 12)
        await pilot.pause()
    assert ran == []


async def test_only_the_last_start_runs_and_once() -> None:
    ran: list[str] = []
    app: App[None] = App()
    async with app.run_test() as pilot:
        later = Later(app, DELAY)

        async def typed_twice() -> None:
            later.start(lambda: ran.append("first"))
            await asyncio.sleep(DELAY * 6)  # "first" fires and is queued; then a second key
            later.start(lambda: ran.append("second"))

        app.call_later(typed_twice)
        await pilot.pause(DELAY * 12)
        await pilot.pause()
        assert ran == ["second"]
        assert not later.waiting
        later.start(lambda: ran.append("third"))
        assert later.waiting
        await pilot.pause(DELAY * 6)
        await pilot.pause()
    assert ran == ["second", "third"]
