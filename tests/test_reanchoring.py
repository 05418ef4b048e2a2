"""Re-anchoring under random edits: nothing dropped, nothing placed on the wrong text.

Every character of the original text carries its origin through the edits, so after editing
we know where each highlight's text truly went, and can judge each placement: a placement is
right only where it overlaps what is left of the highlighted passage. The same words elsewhere
are not the passage, so a highlight whose passage was deleted must become an orphan.

``python -m tests.reanchoring_figures`` runs :func:`measure` over many seeds for the figures
in the README.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import anchor, quote_selector
from annotations.doctor import check
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.sample_corpus import sample_articles
from corpus.workspace import Workspace

TEXTS = [a.display.text for a in sample_articles()]
WORDS = ["strike", "likeness", "the", "studio", "scan", "union", "Netflix", "pay", "AI", "extra"]


@dataclass
class Edited:
    text: str
    origin: list[int | None]  # for each character, its index in the original text (or None)


# The kinds of edit, with their odds: insert words, delete a run of characters, reflow white
# space, move a block of paragraphs, cut a whole paragraph, replace one word.
KINDS = ("insert", "insert", "delete", "reflow", "move", "cut", "replace")
FIRST_KINDS = KINDS[:5]  # before cuts and replacements were added


def edit(text: str, rng: random.Random, count: int, kinds: tuple[str, ...] = KINDS) -> Edited:
    """Apply ``count`` random edits of the given kinds."""
    chars: list[tuple[str, int | None]] = [(c, i) for i, c in enumerate(text)]
    for _ in range(count):
        kind = rng.choice(kinds)
        pos = rng.randrange(len(chars) + 1)
        if kind == "insert":
            word = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + " "
            chars[pos:pos] = [(c, None) for c in word]
        elif kind == "delete":
            del chars[pos : pos + rng.randint(1, 25)]
        elif kind == "reflow":
            spaces = [i for i, (c, _) in enumerate(chars) if c == " "]
            for i in rng.sample(spaces, min(len(spaces), 5)):
                chars[i] = (rng.choice(["  ", "\n"]), chars[i][1])
        elif kind == "move":
            joined = "".join(c for c, _ in chars)
            breaks = [i for i in range(len(joined) - 1) if joined[i : i + 2] == "\n\n"]
            if len(breaks) >= 2:
                a, b = sorted(rng.sample(breaks, 2))
                block = chars[a:b]
                del chars[a:b]
                at = rng.choice([i for i, (c, _) in enumerate(chars) if c == "\n"] or [0])
                chars[at:at] = block
        elif kind == "cut":
            breaks = [i for i in range(len(chars) - 1) if chars[i][0] == chars[i + 1][0] == "\n"]
            bounds = [0, *(i + 2 for i in breaks), len(chars)]
            i = rng.randrange(len(bounds) - 1)
            del chars[bounds[i] : bounds[i + 1]]
        else:
            starts = [i for i in range(1, len(chars)) if chars[i - 1][0] == " " != chars[i][0]]
            if starts:
                at = rng.choice(starts)
                stop = at
                while stop < len(chars) and not chars[stop][0].isspace():
                    stop += 1
                word = "".join(c for c, _ in chars[at:stop])
                chars[at:stop] = [(c, None) for c in rng.choice([w for w in WORDS if w != word])]
    flat: list[tuple[str, int | None]] = []
    for piece, origin in chars:
        flat.extend((c, origin) for c in piece)
    return Edited("".join(c for c, _ in flat), [o for _, o in flat])


def spans(
    text: str, rng: random.Random, count: int, words: tuple[int, int] = (1, 12)
) -> list[tuple[int, int]]:
    """``count`` random passages of ``words`` words (fewest, most), each starting a word."""
    starts = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] != " "]
    result = []
    for _ in range(count):
        start = rng.choice(starts)
        end = start
        for _ in range(rng.randint(*words)):
            following = text.find(" ", end + 1)
            end = following if following != -1 else len(text)
        if text[start:end].strip():
            result.append((start, end))
    return result


def judge(text: str, edited: Edited, start: int, end: int) -> str:
    """exact, moved, fuzzy or orphaned, or 'wrong' for a placement that does not overlap what
    is left of the highlighted passage (an identical copy of the quote elsewhere is wrong)."""
    selector = quote_selector(text, start, end)
    found = anchor(edited.text, selector, start, end)
    if found is None:
        return "orphaned"
    origin = edited.origin[found.start : found.end]
    if any(o is not None and start <= o < end for o in origin):
        return found.method
    return "wrong"


def measure(
    seed: int, rounds: int, highlights: int, edits: int, *, first: bool = False
) -> Counter[str]:
    """How ``rounds`` texts' highlights fared (see :func:`judge`). ``first`` draws passages
    and edits as the test first did (no one-word passages, no cuts or replacements), which the
    regression seeds below need."""
    rng = random.Random(seed)
    outcome: Counter[str] = Counter()
    for _ in range(rounds):
        text = rng.choice(TEXTS)
        chosen = spans(text, rng, highlights, (2, 12) if first else (1, 12))
        edited = edit(text, rng, edits, FIRST_KINDS if first else KINDS)
        for start, end in chosen:
            outcome[judge(text, edited, start, end)] += 1
    return outcome


# Derandomized: the same 60 examples (1,500 highlights) every run. One wrong placement in
# about 750,000 is known and described in the README (a fuzzy match in a parallel list), so
# fresh random examples would fail about one run in 500 on it; the figures script
# (tests/reanchoring_figures.py) is where many seeds are explored.
@settings(max_examples=60, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32), edits=st.integers(1, 12))
def test_no_highlight_is_dropped_or_placed_on_wrong_text(seed: int, edits: int) -> None:
    outcome = measure(seed, rounds=1, highlights=25, edits=edits)
    assert outcome["wrong"] == 0, outcome
    assert sum(outcome.values()) > 0


def test_shares_placed_exactly_fuzzily_and_orphaned() -> None:
    """The figures for the record (run with -s to see them); asserts only the invariants."""
    outcome = measure(seed=7, rounds=40, highlights=25, edits=8)
    total = sum(outcome.values())
    print(
        f"\nre-anchoring {total} highlights after 8 random edits each: "
        + ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in sorted(outcome.items()))
    )
    assert outcome["wrong"] == 0
    assert outcome["exact"] + outcome["moved"] > outcome["orphaned"]


@pytest.mark.parametrize(("seed", "edits"), [(10, 2), (385, 2), (171, 4), (5, 6), (38, 3)])
def test_the_same_words_elsewhere_do_not_take_a_highlight(seed: int, edits: int) -> None:
    """Seeds that placed a highlight on other words once placements were judged by where the
    passage went: other words that came to sit at the old offsets ("for", "the": 10, 385), a
    copy far away while the passage was still there (171), a parallel list item whose context
    agreed half (5), and part of a longer word ("check" in "checked": 38)."""
    assert measure(seed, rounds=1, highlights=25, edits=edits)["wrong"] == 0


def test_store_reanchors_on_read_and_keeps_orphans(tmp_path: object) -> None:
    from pathlib import Path

    ws = Workspace(Path(str(tmp_path)) / "ws")
    ws.ensure()
    store = AnnotationStore(ws)
    body = (
        "Actors walked out on Monday.\n\nThe studios wanted scans of every extra.\n\nAn old lead.\n"
    )
    store.library.save(Article(id="story", title="Story", body=body))
    text = store.library.display("story").text
    kept = store.add_highlight("story", text.index("Actors"), text.index("Monday") + 6)
    fuzzy = store.add_highlight("story", text.index("The studios"), text.index("extra.") + 6)
    gone = store.add_highlight("story", text.index("An old lead"), text.index("lead.") + 5)
    store.library.save(
        Article(
            id="story",
            title="Story",
            body="New opening.\n\nActors walked out on Monday.\n\nThe studio wanted scans of "
            "every extra!\n",
        )
    )
    fresh = AnnotationStore(ws)  # another reader (the CLI, say) opens the changed article first
    by_id = {h.id: h for h in fresh.highlights("story")}
    new_text = fresh.library.display("story").text
    assert new_text[by_id[kept.id].start : by_id[kept.id].end] == "Actors walked out on Monday"
    assert by_id[fuzzy.id].quote == "The studio wanted scans of every extra!"
    assert by_id[gone.id].orphaned and by_id[gone.id].quote == "An old lead."
    assert len(by_id) == 3  # nothing dropped
    # The new positions were saved: reading the raw file gives them without re-anchoring.
    raw = {h.id: h for h in fresh.highlights("story", check=False)}
    assert raw[kept.id].start == by_id[kept.id].start


@pytest.mark.parametrize(("seed", "edits"), [(671, 4), (763, 8), (2381, 12)])
def test_fuzzy_matches_need_agreeing_context(seed: int, edits: int) -> None:
    """Seeds that once placed a short quote on a similar phrase elsewhere ("$300,000 is" on
    "$900,000 is"; a quote that ended the text on a match in mid-text)."""
    assert measure(seed, rounds=1, highlights=25, edits=edits, first=True)["wrong"] == 0


# -- the findings' reproductions: context decides everywhere ------------------------------------
PRICE = "feature-the-price-of-a-face"


def test_a_deleted_passage_becomes_an_orphan_not_another_occurrence(
    sample_ws: Workspace,
) -> None:
    """Findings R-D5: the paragraph holding a noted "$900,000" is deleted; the note must not
    move onto one of the other three "$900,000" in the article."""
    store = AnnotationStore(sample_ws)
    text = store.library.display(PRICE).text
    start = text.index("$900,000 and $26,470")
    noted = store.add_highlight(PRICE, start, start + 8, note="the key comparison")
    path = sample_ws.article_file(PRICE)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(
        "".join(line for line in lines if "draw their own conclusions" not in line),
        encoding="utf-8",
    )
    assert AnnotationStore(sample_ws).library.display(PRICE).text.count("$900,000") == 3

    (after,) = AnnotationStore(sample_ws).highlights(PRICE)  # a fresh reader, as the CLI
    assert after.orphaned and after.quote == "$900,000"
    assert after.note == "the key comparison" and after.id == noted.id
    # Saved as an orphan: the raw file says so, and doctor lists it as one.
    (raw,) = store.highlights(PRICE, check=False)
    assert raw.orphaned
    orphans = [f.message for f in check(sample_ws).findings if f.kind == "orphan"]
    assert orphans == [f"{PRICE}: orphan {noted.id}: '$900,000'"]


def test_a_lightly_edited_sentence_is_found_where_it_was(store: AnnotationStore) -> None:
    """Findings U-D2: one word changed in the highlighted sentence ("per year" to "a year");
    the same words, unchanged, in a later section must not take the highlight."""
    first = (
        "Netflix, offering a salary of up to $900,000 per year, has sparked outrage among "
        "striking actors."
    )
    later = (
        "The listing, offering a salary of up to $900,000 per year, has ignited a firestorm online."
    )
    filler = "\n\n".join(
        f"Paragraph {n} of the story goes on about other things." for n in range(8)
    )
    body = f"# Netflix\n\n{first}\n\n{filler}\n\n## Reactions\n\n{later}\n"
    store.library.save(Article(id="job", title="Netflix", body=body))
    text = store.library.display("job").text
    start = text.index("offering a salary")
    quote = "offering a salary of up to $900,000 per year"
    highlight = store.add_highlight("job", start, start + len(quote), note="first mention")
    store.library.save(
        Article(
            id="job",
            title="Netflix",
            body=body.replace("per year, has sparked", "a year, has sparked"),
        )
    )

    report = store.reanchor("job")

    (after,) = store.highlights("job")
    assert [h.id for h in report.fuzzy] == [highlight.id]
    assert after.quote == "offering a salary of up to $900,000 a year"
    assert after.start == start  # in the second paragraph, not in "Reactions"


def test_the_quote_at_its_old_offsets_is_trusted_only_in_its_context(
    store: AnnotationStore,
) -> None:
    """Other words that happen to sit at the old offsets are not the passage: a deleted
    sentence's "the union" is not found in a new sentence's "the union" at the same place."""
    body = "Pay rose. Then the union agreed to the deal.\n\nLater, more talks followed.\n"
    store.library.save(Article(id="union", title="Union", body=body))
    text = store.library.display("union").text
    start = text.index("the union")
    highlight = store.add_highlight("union", start, start + len("the union"))
    replaced = "Nobody pressed the union for its view.\n\nLater, more talks followed.\n"
    store.library.save(Article(id="union", title="Union", body=replaced))
    assert store.library.display("union").text[start : start + 9] == "the union"

    (after,) = store.highlights("union")

    assert after.id == highlight.id and after.orphaned


def test_context_edited_around_a_passage_is_taken_up_once(
    store: AnnotationStore,
) -> None:
    """A word changed just before a highlight leaves it where it is, with its stored context
    brought up to date, so the next read trusts it without a search and writes nothing."""
    body = "The studios offered a one-day payment for a full scan of each background actor.\n"
    store.library.save(Article(id="scan", title="Scan", body=body))
    text = store.library.display("scan").text
    start = text.index("a full scan")
    highlight = store.add_highlight("scan", start, start + len("a full scan"))
    store.library.save(Article(id="scan", title="Scan", body=body.replace("one-day", "two-day")))

    (after,) = store.highlights("scan")

    assert (after.start, after.quote, after.orphaned) == (start, "a full scan", False)
    assert after.prefix.endswith("offered a two-day payment for ")
    path = store.workspace.highlights_db("scan")
    written = path.stat()
    assert store.highlights("scan")[0].id == highlight.id
    assert path.stat().st_ino == written.st_ino and path.stat().st_mtime_ns == written.st_mtime_ns
