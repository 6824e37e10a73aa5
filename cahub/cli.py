"""The `cahub` command line: one verb per stage, each a few lines calling the Python API that does the work."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

import db
from db import hub, records

F = TypeVar("F", bound=Callable[..., Any])


def data_dir_option(func: F) -> F:
    """The data folder: `--data-dir`, else `CAHUB_DATA`, else `./data`."""
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="CAHUB_DATA",
        default="data",
        show_default=True,
        help="Folder holding hub.db and staging.db (env: CAHUB_DATA).",
    )(func)


def open_hub(data_dir: Path) -> Any:
    try:
        return db.open_hub(data_dir)
    except db.NotInitialised as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
@click.version_option(package_name="cahub")
def cli() -> None:
    """Keep a hub of Collective Action initiatives true to what their websites publish."""


@cli.command()
@data_dir_option
def init(data_dir: Path) -> None:
    """Create hub.db and staging.db (or upgrade them in place); safe to run again."""
    hub_file, staging_file = db.init(data_dir)
    click.echo(f"hub database:     {hub_file}")
    click.echo(f"staging database: {staging_file}")


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the file's extension.")
@click.option("--update", is_flag=True, help="Change existing records too, recording each change.")
@data_dir_option
def import_(file: Path, fmt: str | None, update: bool, data_dir: Path) -> None:
    """Load initiative records from a CSV or JSON FILE; a file with any invalid record is rejected whole."""
    try:
        loaded = records.load(file, fmt)
    except records.RecordFileError as exc:
        click.echo(f"Error: {exc.path} was not imported; nothing was written:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    database = db.open_hub(data_dir, create=True)
    try:
        result = hub.import_records(database, loaded, update=update)
    except hub.ImportConflict as exc:
        raise click.ClickException(f"nothing was written: {exc}") from None
    click.echo(
        f"{len(loaded)} records read: {len(result.created)} created, {len(result.updated)} updated, "
        f"{len(result.unchanged)} unchanged"
    )


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: standard output.")
@data_dir_option
def export(fmt: str, out: Path | None, data_dir: Path) -> None:
    """Write the published records in the shape `cahub import` reads."""
    database = open_hub(data_dir)
    chunks = records.dump(hub.initiatives(database), fmt)
    if out is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    tmp = out.with_name(out.name + ".partial")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)
    tmp.replace(out)
    click.echo(f"wrote {out}", err=True)
