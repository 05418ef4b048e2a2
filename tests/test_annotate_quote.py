"""``reader annotate --quote``: quote marks, apostrophes and white space as people paste them."""

from __future__ import annotations

from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from annotations.store import AnnotationStore
from corpus.quotes import find_quote
from corpus.workspace import Workspace
from reader.cli import main

ARTICLE = "deep-fake-love"


def annotate(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(ws.root), "annotate", ARTICLE, *args])


def stored(ws: Workspace) -> list[tuple[int, int, str]]:
    return [(h.start, h.end, h.quote) for h in AnnotationStore(ws).highlights(ARTICLE)]


def test_straight_quotes_and_apostrophes_find_curly_ones(sample_ws: Workspace) -> None:
    text = AnnotationStore(sample_ws).library.display(ARTICLE).text
    result = annotate(sample_ws, "--quote", "\"That's partly true now.")
    assert result.exit_code == 0, result.output
    start = text.index("“That’s partly true now.")
    assert stored(sample_ws) == [(start, start + 24, "“That’s partly true now.")]
    assert result.stderr == ""


def test_runs_of_white_space_match_any_white_space(sample_ws: Workspace) -> None:
    text = AnnotationStore(sample_ws).library.display(ARTICLE).text
    result = annotate(sample_ws, "--quote", "  Someone’s \n  likeness\tis ")
    assert result.exit_code == 0, result.output
    start = text.index("Someone’s likeness is")
    assert stored(sample_ws) == [(start, start + 21, "Someone’s likeness is")]


def test_case_still_counts(sample_ws: Workspace) -> None:
    """Only marks and spaces are loose: "the show" is not "The show"."""
    text = AnnotationStore(sample_ws).library.display(ARTICLE).text
    result = annotate(sample_ws, "--quote", "The show", "--occurrence", "4")
    assert result.exit_code == 0, result.output
    fourth = [i for i in range(len(text)) if text.startswith("The show", i)][3]
    assert stored(sample_ws) == [(fourth, fourth + 8, "The show")]


def test_an_empty_quote_says_so(sample_ws: Workspace) -> None:
    for quote in ("", "  \n "):
        result = annotate(sample_ws, "--quote", quote)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "Error: the quote is empty\n"
    assert stored(sample_ws) == []


def test_a_quote_found_more_than_once_says_which_was_taken(sample_ws: Workspace) -> None:
    text = AnnotationStore(sample_ws).library.display(ARTICLE).text
    first = text.index("likeness")
    result = annotate(sample_ws, "--quote", "likeness")
    assert result.exit_code == 0
    assert stored(sample_ws) == [(first, first + 8, "likeness")]
    assert result.stderr == (
        f"quote occurs 2 times in {ARTICLE}; took the first (characters {first}-{first + 8}); "
        "--occurrence N takes another\n"
    )
    again = annotate(sample_ws, "--quote", "likeness", "--occurrence", "2")
    assert again.exit_code == 0 and again.stderr == ""


def test_a_quote_found_once_says_nothing_more(sample_ws: Workspace) -> None:
    result = annotate(sample_ws, "--quote", "Someone's likeness")
    assert result.exit_code == 0 and result.stderr == ""
    assert len(result.stdout.split()) == 1


LOOSE = "'\"‘’“”ʼ‐‑-"


@given(
    text=st.text(alphabet=st.sampled_from(list("ab ’“”'\"\n\t‐-")), max_size=40),
    data=st.data(),
)
def test_every_match_slices_to_the_quote_up_to_marks_and_spaces(
    text: str, data: st.DataObject
) -> None:
    quote = data.draw(st.text(alphabet=st.sampled_from(list("ab '’\"“ -‑\n")), max_size=6))

    def loose(s: str) -> str:
        for ch in LOOSE:
            s = s.replace(ch, "'" if ch in "'‘’ʼ" else '"' if ch in '"“”' else "-")
        return " ".join(s.split())

    spans = find_quote(text, quote)
    assert spans == sorted(set(spans))
    for start, end in spans:
        assert loose(text[start:end]) == loose(quote)
        assert not text[start].isspace() and not text[end - 1].isspace()
    # Every exact occurrence of the stripped quote is among them.
    stripped = quote.strip()
    if stripped:
        exact = [i for i in range(len(text)) if text.startswith(stripped, i)]
        assert {(i, i + len(stripped)) for i in exact} <= set(spans)
    else:
        assert spans == []
