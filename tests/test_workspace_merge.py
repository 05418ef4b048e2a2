"""`reader merge SOURCE`: another workspace folder or a native JSON export merged into this one
(annotations/workspace_merge.py), on real workspaces made with the store by coders ana and ben."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import records
from annotations.model import Highlight
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from annotations.workspace_merge import merge_source
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main

READER = str(Path(sys.executable).with_name("reader"))
STRIKE = (
    "Actors walked the picket line on Monday. The union says 87 percent of members do not "
    "reach the health threshold.\n\nThe studios offered a day's pay for a scan of a face, "
    "and the right to use it forever."
)
LISTING = (
    "Netflix listed a job for a product manager of machine learning at up to $900,000 a "
    "year.\n\nThe listing appeared while actors were on strike over the use of their likeness."
)
LOCAL = "A piece only this workspace holds, about the weather on the picket line."


def article(article_id: str, body: str, url: str | None = None, title: str = "") -> Article:
    return Article(id=article_id, title=title or article_id.title(), body=body + "\n", url=url)


def make(root: Path, coder: str, *articles: Article) -> AnnotationStore:
    ws = Workspace(root)
    library = Library(ws)
    for a in articles:
        library.save(a)
    return AnnotationStore(ws, coder=coder)


def mark(store: AnnotationStore, article_id: str, quote: str, **kwargs: object) -> Highlight:
    text = store.library.display(article_id).text
    start = text.index(quote)
    return store.add_highlight(article_id, start, start + len(quote), **kwargs)  # type: ignore[arg-type]


def put(store: AnnotationStore, highlight: Highlight) -> None:
    """Write a highlight exactly as given (its id and times), as a clone would hold it."""
    store.restore_highlight(highlight)


def digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with a digest of its bytes (a folder left as it was)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def merge(target: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-w", str(target), "merge", *args])


def stored(store: AnnotationStore, article_id: str) -> dict[str, dict[str, object]]:
    return {h.id: h.to_dict() for h in store.highlights(article_id, check=False)}


@pytest.fixture
def team(tmp_path: Path) -> tuple[AnnotationStore, AnnotationStore]:
    """ana and ben, each with the strike and the listing (same ids, same URLs), coded apart."""
    strike = article("strike", STRIKE, "https://example.org/strike")
    listing = article("listing", LISTING, "https://example.org/listing")
    ana = make(tmp_path / "ana", "ana", strike, listing, article("local", LOCAL))
    ben = make(tmp_path / "ben", "ben", strike, listing)
    mark(ana, "strike", "picket line", tags=["labour"], note="ana's note")
    mark(ben, "strike", "picket line", tags=["labour"])  # the same passage, ben's own highlight
    mark(ben, "strike", "a scan of a face", tags=["AI/likeness"], note="ben's note")
    mark(ben, "listing", "$900,000", tags=["pay"])
    ben.update_tag("AI/likeness", color="#bb6bd9", description="Faces and voices used by models.")
    ben.set_memo("listing", "Ben: the salary is the story.")
    return ana, ben


def test_merge_brings_the_other_coders_work_and_leaves_the_source_alone(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    before = digest(ben.workspace.root)
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"merged {ben.workspace.root} (workspace): 0 articles added, "
        "2 matched (by id 2, by URL 0, by text 0)"
    )
    assert lines[1].startswith("highlights: 3 added, 0 in conflict")
    assert lines[2].startswith("tags: 2 added")
    assert lines[3] == "memos: 1 added, 0 joined"
    ids = {h.id for h in ben.all_highlights()}
    assert ids <= {h.id for h in ana.all_highlights()}
    by_ben = [h for h in ana.highlights("strike") if h.coder == "ben"]
    assert [(h.quote, h.tags, h.note) for h in by_ben] == [
        ("picket line", ["labour"], ""),
        ("a scan of a face", ["AI/likeness"], "ben's note"),
    ]
    tags = {t.name: t for t in ana.tags()}
    assert tags["AI/likeness"].color == "#bb6bd9"
    assert tags["AI/likeness"].description == "Faces and voices used by models."
    assert ana.state("listing").memo == "Ben: the salary is the story."
    # The source was only read: not one byte, not one new file (no lock, no cache).
    assert digest(ben.workspace.root) == before


def test_a_second_merge_adds_nothing_and_writes_nothing(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    assert merge(ana.workspace.root, str(ben.workspace.root)).exit_code == 0
    after_first = digest(ana.workspace.root)
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 0, result.output
    assert "highlights: 0 added, 0 in conflict" in result.output
    assert "3 already here" in result.output
    assert "tags: 0 added" in result.output and "memos: 0 added, 0 joined" in result.output
    assert digest(ana.workspace.root) == after_first


def test_round_trip_into_a_workspace_that_already_holds_the_data(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    assert merge(ana.workspace.root, str(ben.workspace.root)).exit_code == 0
    result = merge(ben.workspace.root, str(ana.workspace.root))  # ana now holds all of ben's
    assert result.exit_code == 0, result.output
    assert "1 article added, 2 matched (by id 2, by URL 0, by text 0)" in result.output
    assert "highlights: 1 added" in result.output and "3 already here" in result.output
    for article_id in ("strike", "listing"):
        assert stored(ana, article_id) == stored(ben, article_id)
    assert ben.workspace.article_file("local").read_bytes() == (
        ana.workspace.article_file("local").read_bytes()
    )


def test_dry_run_says_the_same_with_would_and_writes_nothing(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    before = digest(ana.workspace.root)
    dry = merge(ana.workspace.root, str(ben.workspace.root), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert digest(ana.workspace.root) == before
    real = merge(ana.workspace.root, str(ben.workspace.root))
    assert dry.output.startswith("would merge ")
    assert dry.output.replace("would merge", "merged").replace("would be in", "is in") == (
        real.output
    )


def test_json_summary(team: tuple[AnnotationStore, AnnotationStore]) -> None:
    ana, ben = team
    result = merge(ana.workspace.root, str(ben.workspace.root), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["highlights"]["added"] == 3
    assert data["articles"]["matched"] == {"id": 2, "url": 0, "text": 0}
    assert data["tags"]["added"] == ["AI/likeness", "pay"]


def test_the_same_highlight_changed_on_both_sides_keeps_the_later_and_the_other(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    mine = mark(ana, "listing", "machine learning", tags=["AI"], note="first")
    put(
        ben,
        Highlight(
            **{**mine.to_dict(), "note": "ben's later note", "updated": "2030-01-01T00:00:00Z"}
        ),
    )
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 0, result.output
    assert "1 in conflict (1 updated to the source's later version, 0 ours kept" in result.output
    assert (
        f"conflict: listing highlight {mine.id}: changed on both sides; kept the source's "
        f"later version (2030-01-01T00:00:00Z), ours ({mine.updated}) goes in the conflicts table"
    ) in result.output.splitlines()
    assert ana.get_highlight("listing", mine.id).note == "ben's later note"
    kept = records.kept_conflicts(ana.highlights_file("listing"))
    assert [(k["table"], k["id"], k["note"]) for k in kept] == [("highlights", mine.id, "first")]
    # Merged again: nothing new, and the other version is not kept twice.
    again = merge(ana.workspace.root, str(ben.workspace.root))
    assert "0 in conflict" in again.output and "conflict:" not in again.output
    assert len(records.kept_conflicts(ana.highlights_file("listing"))) == 1
    # Ours put back as it was (an undo): the source's later version wins again, and ours,
    # kept already, is not kept twice.
    put(ana, mine)
    third = merge(ana.workspace.root, str(ben.workspace.root))
    assert "1 in conflict (1 updated to the source's later version" in third.output
    assert ana.get_highlight("listing", mine.id).note == "ben's later note"
    assert len(records.kept_conflicts(ana.highlights_file("listing"))) == 1


def test_ours_later_is_kept_and_the_sources_version_goes_in_the_conflicts_table(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    theirs = mark(ben, "listing", "machine learning", tags=["AI"], note="ben's")
    put(
        ana,
        Highlight(**{**theirs.to_dict(), "note": "ana's later", "updated": "2030-01-01T00:00:00Z"}),
    )
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert "1 in conflict (0 updated to the source's later version, 1 ours kept" in result.output
    assert ana.get_highlight("listing", theirs.id).note == "ana's later"
    kept = records.kept_conflicts(ana.highlights_file("listing"))
    assert [(k["id"], k["note"]) for k in kept] == [(theirs.id, "ben's")]
    assert "0 in conflict" in merge(ana.workspace.root, str(ben.workspace.root)).output


def test_an_article_is_never_replaced_by_another_with_its_id(tmp_path: Path) -> None:
    """Trust boundary: the same id with another URL, or (no URLs) another text, is another
    article: copied in under a fresh id, and ours is left as it was, highlights and all."""
    ana = make(
        tmp_path / "ana",
        "ana",
        article("strike", STRIKE, "https://example.org/strike"),
        article("plain", LOCAL),
    )
    mark(ana, "strike", "picket line", tags=["labour"])
    ben = make(
        tmp_path / "ben",
        "ben",
        article("strike", LISTING, "https://evil.example/strike", title="Strike"),
        article("plain", LISTING, title="Plain"),
    )
    mark(ben, "strike", "$900,000", note="ben on the listing")
    mark(ben, "plain", "machine learning", note="ben on plain")
    ours = {i: ana.workspace.article_file(i).read_bytes() for i in ("strike", "plain")}
    ours_marks = stored(ana, "strike")
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 0, result.output
    assert "2 articles added, 0 matched" in result.output
    assert "renamed: article strike is strike-2 here (the id was taken)" in result.output
    assert "renamed: article plain is plain-2 here (the id was taken)" in result.output
    assert {i: ana.workspace.article_file(i).read_bytes() for i in ("strike", "plain")} == ours
    assert stored(ana, "strike") == ours_marks
    assert [h.note for h in ana.highlights("strike-2")] == ["ben on the listing"]
    assert [h.note for h in ana.highlights("plain-2")] == ["ben on plain"]
    assert ana.library.get("strike-2").url == "https://evil.example/strike"


def test_articles_are_matched_by_url_then_by_text(tmp_path: Path) -> None:
    ana = make(
        tmp_path / "ana",
        "ana",
        article("the-strike", STRIKE, "https://example.org/strike"),
        article("the-listing", LISTING),
    )
    ben = make(
        tmp_path / "ben",
        "ben",
        article("strike", STRIKE, "https://example.org/strike"),
        article("listing", LISTING),
    )
    mark(ben, "strike", "health threshold", tags=["pay"])
    mark(ben, "listing", "likeness", tags=["AI"])
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert "0 articles added, 2 matched (by id 0, by URL 1, by text 1)" in result.output
    assert [h.quote for h in ana.highlights("the-strike")] == ["health threshold"]
    assert [h.quote for h in ana.highlights("the-listing")] == ["likeness"]
    assert sorted(ana.library.ids()) == ["the-listing", "the-strike"]


def test_an_article_not_here_is_copied_in_as_it_is(
    team: tuple[AnnotationStore, AnnotationStore], tmp_path: Path
) -> None:
    ana, ben = team
    ben.library.save(
        article("only-ben", "A report only ben read, on residuals.", "https://x.org/r")
    )
    mark(ben, "only-ben", "residuals", tags=["pay"], note="check the numbers")
    ben.set_memo("only-ben", "Ben's memo on the report.")
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert "1 article added, 2 matched" in result.output
    assert ana.workspace.article_file("only-ben").read_bytes() == (
        ben.workspace.article_file("only-ben").read_bytes()
    )
    assert stored(ana, "only-ben") == stored(ben, "only-ben")
    assert ana.state("only-ben").memo == "Ben's memo on the report."


def test_a_quote_our_text_lacks_is_not_placed_and_a_near_one_is_not_taken(tmp_path: Path) -> None:
    """Matched by URL, the texts differ: a highlight whose words are not in ours is reported,
    and one whose words are only nearly there (re-anchoring would take the fuzzy match) never
    lands on those other words."""
    edited = STRIKE.replace("offered a day's", "offered one day's").replace(" forever", "")
    ana = make(tmp_path / "ana", "ana", article("strike", edited, "https://example.org/strike"))
    ben = make(tmp_path / "ben", "ben", article("strike", STRIKE, "https://example.org/strike"))
    near = mark(ben, "strike", "The studios offered a day's pay", note="on pay")
    gone = mark(ben, "strike", "forever", note="on forever")
    kept = mark(ben, "strike", "health threshold", note="on health")
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output and "2 not placed" in result.output
    lines = result.output.splitlines()
    assert (
        f"not placed: strike highlight {near.id}: quote not found here: "
        '"The studios offered a day\'s pay"'
    ) in lines
    assert f"not placed: strike highlight {gone.id}: quote not found here: 'forever'" in lines
    assert [(h.id, h.quote) for h in ana.highlights("strike")] == [(kept.id, "health threshold")]


def test_tags_only_there_are_added_memos_joined_and_our_colour_kept(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    ana.update_tag("labour", color="#6fcf97", description="Unions and strikes.")
    ben.update_tag("labour", color="#eb5757", description="Picket lines.")
    ben.set_memo("strike", "Ben: compare with 2007.")
    ana.set_memo("strike", "Ana: the numbers.")
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert "tags: 2 added, 0 memos added, 1 memo joined, 1 colour differing (ours kept)" in (
        result.output
    )
    assert "tag labour: colour #6fcf97 kept (the source has #eb5757)" in result.output
    assert "memos: 1 added, 1 joined" in result.output
    labour = {t.name: t for t in ana.tags()}["labour"]
    assert (labour.color, labour.description) == ("#6fcf97", "Unions and strikes.\n\nPicket lines.")
    assert ana.state("strike").memo == "Ana: the numbers.\n\nBen: compare with 2007."


def test_reading_state_and_archive_stay_ours(team: tuple[AnnotationStore, AnnotationStore]) -> None:
    ana, ben = team
    ben.set_archived(["strike"], True)
    ben.set_read(["listing"], True)
    assert merge(ana.workspace.root, str(ben.workspace.root)).exit_code == 0
    assert not ana.state("strike").archived and not ana.state("listing").read


def test_an_article_in_our_trash_stays_there(team: tuple[AnnotationStore, AnnotationStore]) -> None:
    from annotations.trash import delete_articles

    ana, ben = team
    delete_articles(ana, ["listing"])
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert "not merged: article listing: it is in the trash here" in result.output
    assert "listing" not in ana.library


def test_a_native_json_export_is_merged_by_id_and_url(
    team: tuple[AnnotationStore, AnnotationStore], tmp_path: Path
) -> None:
    ana, ben = team
    ben.library.save(
        article("only-ben", "A report only ben read, on residuals.", "https://x.org/r")
    )
    mark(ben, "only-ben", "residuals")
    export = tmp_path / "ben.json"
    done = CliRunner().invoke(
        main, ["-w", str(ben.workspace.root), "export", "--format", "json", "-o", str(export)]
    )
    assert done.exit_code == 0, done.output
    result = merge(ana.workspace.root, str(export))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"merged {export} (json): 0 articles added, 2 matched (by id 2, by URL 0, by text 0), "
        "1 not in this workspace"
    )
    assert "not merged: article only-ben is not in this workspace" in result.output
    assert "highlights: 3 added" in result.output
    assert "only-ben" not in ana.library
    assert "highlights: 0 added" in merge(ana.workspace.root, str(export)).output


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing", None, "no such file or folder"),
        ("folder", "dir", "not a reader workspace (it has no articles folder)"),
        ("broken.json", b"{not json", "not a workspace folder or a native JSON export"),
        ("w3c.json", b'{"type": "AnnotationPage", "items": []}', "not a workspace folder"),
        (
            "evil.json",
            json.dumps(
                {
                    "format": "reader-annotations",
                    "version": 1,
                    "articles": [{"id": "../../etc/passwd", "highlights": []}],
                }
            ).encode(),
            "'../../etc/passwd' is not a valid article id",
        ),
    ],
)
def test_a_source_that_cannot_be_merged_is_one_line_and_changes_nothing(
    team: tuple[AnnotationStore, AnnotationStore],
    tmp_path: Path,
    name: str,
    content: bytes | str | None,
    problem: str,
) -> None:
    ana, _ = team
    source = tmp_path / name
    if content == "dir":
        source.mkdir()
    elif isinstance(content, bytes):
        source.write_bytes(content)
    before = digest(ana.workspace.root)
    result = merge(ana.workspace.root, str(source))
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith(f"Error: {source}") and problem in result.output
    assert digest(ana.workspace.root) == before


def test_a_source_file_that_does_not_parse_is_named_and_nothing_changes(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, ben = team
    broken = ben.highlights_file("listing")
    broken.write_text('{"highlights": {"1": {"id": "x", "start": "nine"}}}')
    before = digest(ana.workspace.root)
    result = merge(ana.workspace.root, str(ben.workspace.root))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {broken}: bad highlight record")
    assert result.output.rstrip().endswith("nothing merged")
    assert len(result.output.splitlines()) == 1
    assert digest(ana.workspace.root) == before


def test_merging_a_workspace_into_itself_is_refused(
    team: tuple[AnnotationStore, AnnotationStore],
) -> None:
    ana, _ = team
    before = digest(ana.workspace.root)
    result = merge(ana.workspace.root, str(ana.workspace.root / "." / "articles" / ".."))
    assert result.exit_code == 1
    assert "is this workspace; nothing merged" in result.output
    assert digest(ana.workspace.root) == before


def test_a_failure_half_way_leaves_the_workspace_as_it_was(
    team: tuple[AnnotationStore, AnnotationStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new article and the highlights files are written, then the codebook cannot be:
    the journal puts every file back."""
    ana, ben = team
    ben.library.save(
        article("only-ben", "A report only ben read, on residuals.", "https://x.org/r")
    )
    mark(ben, "only-ben", "residuals", tags=["pay"])
    before = digest(ana.workspace.root)

    def full_disk(*args: object) -> None:
        raise StoreError("annotations/workspace.json: cannot write (No space left on device)")

    monkeypatch.setattr(records, "write_tags", full_disk)
    with pytest.raises(StoreError, match="No space left"):
        merge_source(ana, ben.workspace.root)
    assert digest(ana.workspace.root) == before
    monkeypatch.undo()
    assert merge_source(ana, ben.workspace.root).added == 4


def test_reader_merge_in_a_subprocess(team: tuple[AnnotationStore, AnnotationStore]) -> None:
    ana, ben = team
    done = subprocess.run(
        [READER, "-w", str(ana.workspace.root), "merge", str(ben.workspace.root)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("highlights: 3 added")
    missing = subprocess.run(
        [READER, "-w", str(ana.workspace.root), "merge", str(ana.workspace.root / "nope")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 1
    assert (
        missing.stderr
        == f"Error: {ana.workspace.root / 'nope'}: no such file or folder; nothing merged\n"
    )


QUOTES = ["picket line", "87 percent", "health threshold", "a day's pay", "a face", "forever"]
one_side = st.lists(
    st.tuples(
        st.sampled_from([f"h{n}" for n in range(6)]),  # a small pool: the sides share ids
        st.sampled_from(QUOTES),
        st.sampled_from(["", "a note", "another note"]),
        st.integers(0, 50),  # seconds: when it was last changed
    ),
    max_size=6,
    unique_by=lambda item: item[0],
)


@settings(max_examples=15)
@given(a_side=one_side, b_side=one_side)
def test_merging_both_ways_gives_both_the_same_highlights(
    a_side: list[tuple[str, str, str, int]], b_side: list[tuple[str, str, str, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        strike = article("strike", STRIKE, "https://example.org/strike")
        stores = []
        for name, side, parity in (("a", a_side, 0), ("b", b_side, 1)):
            store = make(Path(tmp) / name, name, strike)
            text = store.library.display("strike").text
            for hid, quote, note, second in side:
                start = text.index(quote)
                # Even seconds on one side, odd on the other: one version is always the later.
                minute, sec = divmod(2 * second + parity, 60)
                stamp = f"2026-01-01T00:{minute:02d}:{sec:02d}Z"
                h = Highlight.on_text(
                    "strike",
                    text,
                    start,
                    start + len(quote),
                    tags=["t"],
                    stamp=stamp,
                    note=note,
                    highlight_id=hid,
                    coder=name,
                )
                store.restore_highlight(h)
            stores.append(store)
        a, b = stores
        merge_source(b, a.workspace.root)
        merge_source(a, b.workspace.root)
        assert stored(a, "strike") == stored(b, "strike")
        assert set(stored(a, "strike")) == {i for i, *_ in a_side} | {i for i, *_ in b_side}


def test_a_write_while_the_merge_was_planned_is_seen_before_writing(
    team: tuple[AnnotationStore, AnnotationStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge is planned without the lock: an article saved here in the meantime under the
    id the plan meant to copy a source article to is not written over (the merge plans again
    under the lock)."""
    import annotations.workspace_merge as workspace_merge

    ana, ben = team
    ben.library.save(
        article("only-ben", "A report only ben read, on residuals.", "https://x.org/r")
    )
    planned = workspace_merge.plan_merge

    def plan_while_someone_imports(*args: Any) -> workspace_merge.MergePlan:
        plan = planned(*args)
        if "only-ben" not in ana.library:
            ana.library.save(article("only-ben", LOCAL, title="Only Ana's"))
        return plan

    monkeypatch.setattr(workspace_merge, "plan_merge", plan_while_someone_imports)
    plan = merge_source(ana, ben.workspace.root)
    assert plan.renamed == {"only-ben": "only-ben-2"}
    assert ana.library.get("only-ben").title == "Only Ana's"
    assert ana.library.get("only-ben-2").body == ben.library.get("only-ben").body


def test_what_the_source_holds_is_shown_not_obeyed(
    team: tuple[AnnotationStore, AnnotationStore], tmp_path: Path
) -> None:
    """A quote from another person's file reaches the terminal as text: its escape
    sequence is shown, not run."""
    ana, _ = team
    export = tmp_path / "hostile.json"
    quote = "\x1b]0;pwned\x07\x1b[2J gone"
    highlight = {"id": "evil", "start": 0, "end": len(quote), "quote": quote, "tags": []}
    export.write_text(
        json.dumps(
            {
                "format": "reader-annotations",
                "version": 1,
                "articles": [{"id": "strike", "highlights": [highlight]}],
            }
        )
    )
    result = merge(ana.workspace.root, str(export))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "not placed: strike highlight evil" in result.output
    as_json = merge(ana.workspace.root, str(export), "--json")
    assert "\x1b" not in as_json.output
    assert json.loads(as_json.output)["highlights"]["not_placed"][0]["quote"] == quote


def test_an_export_article_with_our_id_but_another_url_is_not_ours(
    team: tuple[AnnotationStore, AnnotationStore], tmp_path: Path
) -> None:
    ana, _ = team
    export = tmp_path / "other.json"
    highlight = {"id": "h1", "start": 0, "end": 6, "quote": "Actors", "tags": [], "note": "n"}
    export.write_text(
        json.dumps(
            {
                "format": "reader-annotations",
                "version": 1,
                "articles": [
                    {"id": "strike", "url": "https://evil.example/x", "highlights": [highlight]}
                ],
            }
        )
    )
    before = stored(ana, "strike")
    result = merge(ana.workspace.root, str(export))
    assert "0 matched" in result.output
    assert "not merged: article strike is not in this workspace" in result.output
    assert stored(ana, "strike") == before
