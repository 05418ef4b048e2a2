"""Commands for a team: ``reader init-git`` sets a workspace up to be shared through git,
``reader merge-driver`` is the merge driver git runs for the annotation files, and ``reader
agree`` measures how two coders agree."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from annotations.git_setup import init_git
from annotations.merging import NotMergeable, merge_files
from annotations.storage import StoreError
from reader.cli_common import (
    article_ids,
    echo,
    echo_json,
    ensure_workspace,
    open_store,
    resolve_workspace,
    workspace_option,
)
from reader.wording import count


def _this_reader() -> str:
    """How git should run this reader: the script that is running, if it is one."""
    running = Path(sys.argv[0])
    if running.name == "reader" and running.exists():
        return str(running.resolve())
    return shutil.which("reader") or "reader"


@click.command("init-git")
@workspace_option
@click.pass_context
def init_git_command(ctx: click.Context, workspace: Path | None) -> None:
    """Set the workspace up to be shared through git.

    Makes it a git repository if it is not in one, marks the annotation files to be merged by
    highlight id (.gitattributes), keeps caches, backups and the lock out (.gitignore), and
    registers the merge driver in this clone's git config. Each clone runs it once.
    """
    ws = resolve_workspace(ctx, workspace)
    ensure_workspace(ws)
    try:
        setup = init_git(ws, _this_reader())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for line in setup.done:
        echo(line)


@click.command("merge-driver", hidden=True)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name", required=False)
def merge_driver_command(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """Git's merge driver for annotation files (git runs it: %O %A %B %P).

    Merges the highlights (or tags and reading state) of both sides by id into OURS; a
    highlight changed on both sides keeps the later version, and the other is kept in the
    file's "conflicts" table. Exit status 1 leaves git's own conflict in place.
    """
    try:
        result = merge_files(base, ours, theirs)
    except NotMergeable as exc:
        echo(f"Error: {exc}; left to git", err=True)
        sys.exit(1)
    for line in result.lines(name or str(ours)):
        echo(line, err=True)


def _share(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@click.command("agree")
@click.option("--coder", "coders", multiple=True, required=True, help="A coder (give two).")
@click.option("--tag", "tags", multiple=True, help="Only this tag and the tags nested in it.")
@click.option(
    "--article",
    "articles",
    multiple=True,
    callback=article_ids,
    help="Compare this article (default: every article both coders highlighted).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per tag (JSON Lines).")
@workspace_option
@click.pass_context
def agree_command(
    ctx: click.Context,
    coders: tuple[str, ...],
    tags: tuple[str, ...],
    articles: tuple[str, ...],
    as_json: bool,
    workspace: Path | None,
) -> None:
    """How two coders agree, per tag: percent agreement, Cohen's kappa, Krippendorff's alpha.

    Every character of the compared articles' text is a unit, marked by a coder when it lies
    in one of their highlights with the tag (or a tag nested in it). Then the passages only
    one of them marked, with article and offsets. "-" is a measure that is undefined: no
    coder marked anything with that tag, or both marked everything.
    """
    from annotations.agreement import agreement_in

    if len(coders) != 2:
        raise click.ClickException(f"--coder: give exactly two coders (got {len(coders)})")
    store = open_store(resolve_workspace(ctx, workspace))
    try:
        report = agreement_in(store, coders[0], coders[1], tags, articles)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    a, b = report.coder_a, report.coder_b
    if as_json:
        for t in report.tags:
            echo_json(
                {
                    "tag": t.tag,
                    "agreement": t.agreement,
                    "kappa": t.kappa,
                    "alpha": t.alpha,
                    "units": t.units,
                    "marked": {a: t.counts.marked_a, b: t.counts.marked_b},
                    "disagreements": [
                        {
                            "article_id": d.article_id,
                            "start": d.start,
                            "end": d.end,
                            "coder": a if d.coder == "a" else b,
                        }
                        for d in t.disagreements
                    ],
                }
            )
        return
    units = sum(report.lengths.values())
    echo(f"{a} and {b} over {count(len(report.lengths), 'article')} ({units:,} characters)")
    width = max([3, *(len(t.tag) for t in report.tags)])
    echo(f"{'tag':<{width}}  agreement  kappa   alpha   {a[:10]:>10}  {b[:10]:>10}")
    for t in report.tags:
        share = "-" if t.agreement is None else f"{100 * t.agreement:.1f}%"
        echo(
            f"{t.tag:<{width}}  {share:>9}  {_share(t.kappa):>6}  {_share(t.alpha):>6}  "
            f"{t.counts.marked_a:>10,}  {t.counts.marked_b:>10,}"
        )
    for t in report.tags:
        if not t.disagreements:
            continue
        echo()
        echo(f"#{t.tag}: {count(len(t.disagreements), 'passage')} only one coder marked")
        for d in t.disagreements:
            who = a if d.coder == "a" else b
            echo(f"  {d.article_id} {d.start}-{d.end}  only {who}: {report.passage(store, d)}")
