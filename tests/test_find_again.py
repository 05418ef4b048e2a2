"""Putting a cursor and a selection back on their words after the text changed
(annotations/anchoring.py ``follow`` and ``find_again``, used when the app reloads an article
that changed on disk); the app's side is in test_import_reload.py and test_stale_article.py."""

from __future__ import annotations

from annotations.anchoring import find_again, follow

OLD = (
    "The union met on Monday. Actors walked the picket line for hours. "
    "The studios answered on Friday with a new offer about digital replicas."
)
NEW = "A new first paragraph, added above.\n\n" + OLD.replace("for hours", "all day long")


def test_the_cursor_follows_its_words() -> None:
    at = OLD.index("The studios")
    assert NEW[follow(OLD, NEW, at) :].startswith("The studios answered")


def test_the_cursor_at_the_end_follows_the_words_before_it() -> None:
    assert follow(OLD, NEW, len(OLD)) == len(NEW)


def test_the_cursor_stays_where_it_was_when_its_words_are_gone() -> None:
    assert follow(OLD, "Nothing of the old text is left.", 20) == 20
    assert follow(OLD, OLD, 20) == 20
    assert follow("", NEW, 0) == 0


def test_a_selection_is_found_again_only_as_its_exact_words() -> None:
    start = OLD.index("digital replicas")
    found = find_again(OLD, NEW, start, start + len("digital replicas"))
    assert found is not None and NEW[found[0] : found[1]] == "digital replicas"
    start = OLD.index("for hours")
    assert find_again(OLD, NEW, start, start + len("for hours")) is None  # now other words
