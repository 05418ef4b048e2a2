"""``reader tags``: the codebook from the command line (list, rename, merge, recolour,
describe, delete)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from annotations.codebook import TagChange
from annotations.model import known_tag_name, tag_color
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.cli_common import echo, echo_json, open_store, resolve_workspace, workspace_option
from reader.wording import count


@click.group("tags", invoke_without_command=True)
@workspace_option
@click.pass_context
def tags_group(ctx: click.Context, workspace: Path | None) -> None:
    """The codebook: list, rename, merge, recolour, describe and delete tags.

    A "/" in a name nests it: AI/likeness sits under AI, and renaming AI renames it too.
    With no command, lists the tags.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(tags_list_command, as_json=False, workspace=workspace)


def _tag_store(ctx: click.Context, workspace: Path | None) -> AnnotationStore:
    # --workspace may follow the command, `tags`, or `reader` itself.
    group: Path | None = ctx.parent.params.get("workspace") if ctx.parent else None
    return open_store(resolve_workspace(ctx, workspace or group))


def _tag_change(call: Callable[[], TagChange]) -> None:
    try:
        change = call()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    detail = f" ({count(change.highlight_count, 'highlight')})" if change.highlight_count else ""
    echo(change.label + detail)


@tags_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of tags.")
@workspace_option
@click.pass_context
def tags_list_command(ctx: click.Context, as_json: bool, workspace: Path | None) -> None:
    """List the tags: name, colour, highlights, description; nested tags under their parent."""
    from annotations.codebook import codebook_rows

    store = _tag_store(ctx, workspace)
    try:
        rows = codebook_rows(store.tags(), store.tag_counts())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        tags = [
            {"name": r.name, "color": r.color, "count": r.count, "description": r.description}
            for r in rows
            if r.in_codebook or r.count
        ]
        echo_json(tags, indent=2)
        return
    # Aligned on the names as shown: a control character in one is wider shown than stored.
    labels = [terminal_safe(r.label) for r in rows]
    width = max(
        (2 * r.depth + len(label) for r, label in zip(rows, labels, strict=True)), default=0
    )
    for r, label in zip(rows, labels, strict=True):
        name = "  " * r.depth + label
        line = f"{name:<{width}}  {r.color or '-':<7}  {r.count:>5}  {r.description}"
        echo(line.rstrip())


@tags_group.command("rename")
@click.argument("old")
@click.argument("new")
@workspace_option
@click.pass_context
def tags_rename_command(ctx: click.Context, old: str, new: str, workspace: Path | None) -> None:
    """Rename tag OLD to NEW on every highlight; tags nested in OLD move with it."""
    store = _tag_store(ctx, workspace)
    _tag_change(lambda: store.rename_tag(old, new))


@tags_group.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The tag they become (made if new).")
@workspace_option
@click.pass_context
def tags_merge_command(
    ctx: click.Context, sources: tuple[str, ...], target: str, workspace: Path | None
) -> None:
    """Merge SOURCES into one tag: their highlights get it, and they are removed."""
    store = _tag_store(ctx, workspace)
    _tag_change(lambda: store.merge_tags(sources, target))


@tags_group.command("recolor")
@click.argument("name")
@click.argument("color")
@workspace_option
@click.pass_context
def tags_recolor_command(ctx: click.Context, name: str, color: str, workspace: Path | None) -> None:
    """Give tag NAME the colour COLOR: '#rrggbb', or a name the app's colour picker shows
    (amber, green, sky, orange, violet, red, teal, pink)."""
    store = _tag_store(ctx, workspace)
    _tag_change(lambda: store.edit_tag(name, color=tag_color(color)))


@tags_group.command("describe")
@click.argument("name")
@click.argument("text")
@workspace_option
@click.pass_context
def tags_describe_command(ctx: click.Context, name: str, text: str, workspace: Path | None) -> None:
    """Set the description of tag NAME ('' clears it)."""
    store = _tag_store(ctx, workspace)
    _tag_change(lambda: store.edit_tag(name, description=text))


@tags_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@workspace_option
@click.pass_context
def tags_delete_command(ctx: click.Context, name: str, yes: bool, workspace: Path | None) -> None:
    """Delete tag NAME: it is taken off its highlights, which are kept."""
    store = _tag_store(ctx, workspace)
    if not yes:
        try:
            counts = store.tag_counts()
            used = counts.get(known_tag_name(name, counts), 0)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        click.confirm(f"Delete tag {name!r}? {count(used, 'highlight')} will lose it.", abort=True)
    _tag_change(lambda: store.delete_tag(name))


@tags_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would change, and change nothing.")
@workspace_option
@click.pass_context
def tags_import_command(
    ctx: click.Context, path: Path, dry_run: bool, workspace: Path | None
) -> None:
    """Merge a codebook into the tags: a REFI-QDA .qdc file, or a CSV with the header
    name,description,color (color optional, #rrggbb).

    New tags are added; a tag here keeps its colour, and takes the file's description when
    it has none (a different one is joined below its own). Each change is listed, then a
    summary. A bad file changes nothing.
    """
    from annotations.codebook_import import import_codebook, read_codebook

    store = _tag_store(ctx, workspace)
    try:
        result = import_codebook(store, read_codebook(path), str(path), dry_run=dry_run)
    except StoreError as exc:
        message = str(exc)
        raise click.ClickException(
            message if str(path) in message else f"{path}: {message}"
        ) from None
    would = "would " if dry_run else ""
    for tag in result.added:
        echo(f"{would}add #{tag.name}" + (f" ({tag.color})" if tag.color else ""))
    for name in result.described:
        echo(f"{would}describe #{name}")
    for name in result.joined:
        echo(f"{would}join the description of #{name} below the one it has")
    for name, here, theirs in result.colors_kept:
        echo(f"kept the colour of #{name}: {here} ({path} has {theirs})")
    parts = [
        f"{len(result.added)} added",
        f"{len(result.described)} described",
        f"{len(result.joined)} joined",
        f"{len(result.colors_kept)} colour{'s' if len(result.colors_kept) != 1 else ''} kept",
        f"{len(result.unchanged)} unchanged",
    ]
    echo(f"{path}: " + ", ".join(parts) + (" (dry run: nothing changed)" if dry_run else ""))
