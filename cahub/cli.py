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
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from the file's extension."
)
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


@cli.command()
@click.option(
    "--initiative", "initiative_ids", multiple=True, metavar="ID", help="Only this initiative (repeatable)."
)
@click.option(
    "--max-pages", type=click.IntRange(1, 10_000), default=40, show_default=True, help="Page budget per site."
)
@click.option(
    "--allow-local", is_flag=True, help="Allow loopback and private addresses (tests and the demo)."
)
@click.option("--resume", "resume_run", type=int, metavar="RUN", help="Continue an interrupted crawl run.")
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    help="Distributed crawl: enqueue the sites on this Redis (redis://HOST:PORT/DB) for crawl-worker.",
)
@click.option("--collect", is_flag=True, help="With --redis: store what the workers send (the one writer).")
@data_dir_option
def crawl(
    initiative_ids: tuple[str, ...],
    max_pages: int,
    allow_local: bool,
    resume_run: int | None,
    redis_url: str | None,
    collect: bool,
    data_dir: Path,
) -> None:
    """Crawl the initiatives' websites politely into staging.db: their pages and one outcome per site."""
    from crawlers import crawl as crawl_sites
    from crawlers.run import CrawlError, format_summary

    open_hub(data_dir)
    if collect and not redis_url:
        raise click.UsageError("--collect needs --redis URL")
    try:
        if redis_url and not collect:
            from crawlers.distributed import enqueue

            queued = enqueue(
                data_dir, redis_url, list(initiative_ids) or None, max_pages, allow_local, resume_run
            )
            click.echo(
                f"crawl run {queued['run_id']}: {queued['published']} of {queued['sites']} sites queued "
                f"on Redis; start `cahub crawl-worker --redis URL` and `cahub crawl --redis URL --collect`"
            )
            return
        if redis_url:
            from crawlers.distributed import collect as collect_run

            summary = collect_run(data_dir, redis_url, resume_run, progress=_crawl_progress_printer())
        else:
            summary = crawl_sites(
                data_dir,
                list(initiative_ids) or None,
                max_pages,
                allow_local,
                resume_run,
                progress=_crawl_progress_printer(),
            )
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt as exc:
        click.echo(f"\n{exc}", err=True)
        sys.exit(130)
    click.echo(format_summary(summary))


@cli.command(name="crawl-worker")
@click.option(
    "--redis", "redis_url", metavar="URL", required=True, help="The Redis of the distributed crawl."
)
@click.option(
    "--sites", type=click.IntRange(1, 1000), default=4, show_default=True, help="Sites crawled at once."
)
@click.option(
    "--lease",
    type=click.FloatRange(1, 3600),
    default=30.0,
    show_default=True,
    help="Seconds a site stays this worker's without renewal (a dead worker's sites wait this long).",
)
@click.option(
    "--exit-when-idle", is_flag=True, help="Stop when no run has sites left instead of waiting for more."
)
def crawl_worker(redis_url: str, sites: int, lease: float, exit_when_idle: bool) -> None:
    """Crawl sites of distributed crawl runs queued on Redis, one site per lease; run any number, anywhere."""
    from crawlers.distributed import work
    from crawlers.run import CrawlError

    try:
        done = work(redis_url, sites, lease, exit_when_idle, log=lambda line: click.echo(line, err=True))
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"crawl-worker: {done} sites crawled")


@cli.command()
@click.argument("sources", nargs=-1, metavar="[FILE_OR_URL]...")
@click.option("--base-url", help="Site address the given files stand for (their URLs in the evidence).")
@click.option("--run", "run_id", type=int, metavar="ID", help="Crawl run to extract (default: the latest).")
@data_dir_option
def extract(sources: tuple[str, ...], base_url: str | None, run_id: int | None, data_dir: Path) -> None:
    """With FILE_OR_URL arguments: print what the pages of one site say, as JSON. Without: extract a crawl
    run's pages into findings and gaps in staging.db."""
    import json

    import curation
    from curation.pipeline import NoCrawlRun

    if sources:
        try:
            result = curation.extract_files(list(sources), base_url)
        except OSError as exc:
            raise click.ClickException(f"cannot read {exc.filename or exc}: {exc.strerror or exc}") from None
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    open_hub(data_dir)
    try:
        summary = curation.extract_run(
            data_dir,
            run_id,
            progress=lambda done, total, site: click.echo(f"[{done}/{total}] {site}", err=True),
        )
    except NoCrawlRun as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(" ".join(f"{k}={v}" for k, v in summary.items()))


@cli.command()
@click.option(
    "--run", "run_id", type=int, metavar="ID", help="Run whose findings to compare (default: latest)."
)
@data_dir_option
def propose(run_id: int | None, data_dir: Path) -> None:
    """Compare a run's findings with the hub's records and stage one proposal per real change."""
    import curation
    from curation.pipeline import NoCrawlRun

    open_hub(data_dir)
    try:
        summary = curation.propose(data_dir, run_id)
    except NoCrawlRun as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(" ".join(f"{k}={v}" for k, v in summary.items()))


@cli.group()
def report() -> None:
    """Write the transparency-gap report or the hub statistics as HTML, CSV or Markdown."""


def _report_command(func: F) -> F:
    func = click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder to write to. Default: DATA_DIR/reports.",
    )(func)
    func = click.option(
        "--format", "fmt", type=click.Choice(["html", "csv", "md", "all"]), default="html", show_default=True
    )(func)
    return data_dir_option(func)


def _write_report(name: str, data_dir: Path, fmt: str, out: Path | None) -> None:
    from curation import reports

    try:
        written = getattr(reports, name)(data_dir, fmt=fmt, out_dir=out)
    except db.NotInitialised as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path}")


@report.command()
@_report_command
def gaps(fmt: str, out: Path | None, data_dir: Path) -> None:
    """Which key facts each initiative's website publishes, from its latest successful crawl, with aggregates."""
    _write_report("gap_report", data_dir, fmt, out)


@report.command()
@_report_command
def stats(fmt: str, out: Path | None, data_dir: Path) -> None:
    """Industry reach, facilitators, scope, mission focus and stakeholder composition of the hub's records."""
    _write_report("stats_report", data_dir, fmt, out)


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@data_dir_option
def kpi(fmt: str, data_dir: Path) -> None:
    """The G20 Collective Action KPI: G20 countries in an active initiative with government involvement, of 96."""
    from curation import reports
    from curation.reports import g20_kpi

    try:
        result = reports.kpi(data_dir)
    except db.NotInitialised as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(g20_kpi.FORMATTERS[fmt](result), nl=False)


@cli.command()
@click.option(
    "--max-pages", type=click.IntRange(1, 10_000), default=40, show_default=True, help="Page budget per site."
)
@click.option(
    "--allow-local", is_flag=True, help="Allow loopback and private addresses (tests and the demo)."
)
@click.option(
    "--report-dir", type=click.Path(file_okay=False, path_type=Path), help="Default: DATA_DIR/reports."
)
@data_dir_option
def run(max_pages: int, allow_local: bool, report_dir: Path | None, data_dir: Path) -> None:
    """One unattended cycle: crawl, extract, propose, regenerate the reports (for cron or a systemd timer).

    Exits 75 when another run holds the lock, 1 when the run failed.
    """
    from cahub import pipeline

    open_hub(data_dir)
    try:
        with pipeline.run_lock(data_dir):
            summary = pipeline.run_cycle(
                data_dir,
                max_pages=max_pages,
                allow_local=allow_local,
                report_dir=report_dir,
                progress=lambda message: click.echo(f"== {message}", err=True),
                crawl_progress=_crawl_progress_printer(),
            )
    except pipeline.RunLocked as exc:
        click.echo(f"Error: {exc}; not starting a second one", err=True)
        sys.exit(pipeline.EXIT_LOCKED)
    except Exception as exc:  # the run row already records the failure; say it and exit non-zero
        click.echo(f"Error: the run failed: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    click.echo(pipeline.format_summary(summary))


def _crawl_progress_printer() -> Callable[[dict[str, Any]], None]:
    """Print crawl progress (sites done of total, pages, errors): one updating line on a terminal, else a
    line per finished site, so logs of scheduled runs stay readable."""
    interactive = sys.stderr.isatty()
    last_done = [-1]

    def show(event: dict[str, Any]) -> None:
        done, total = event.get("sites_done", 0), event.get("sites_total", 0)
        line = f"  sites {done}/{total}  pages {event.get('pages', 0)}  errors {event.get('errors', 0)}"
        finished = bool(total) and done >= total
        if interactive:
            click.echo("\r" + line, err=True, nl=finished)
        elif done != last_done[0]:
            last_done[0] = done
            click.echo(line, err=True)

    return show


@cli.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@data_dir_option
def review(port: int, data_dir: Path) -> None:
    """Serve hub.db and staging.db in Datasette with the review UI, on 127.0.0.1:PORT."""
    from review_ui import server

    try:
        app = server.make_datasette(data_dir)
    except db.NotInitialised as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Review UI: http://127.0.0.1:{port}/-/review (log in at /-/login)", err=True)
    server.run(app, port)


@cli.group()
def curator() -> None:
    """Curator accounts for the review UI."""


@curator.command(name="add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["curator", "publisher"]),
    default="curator",
    show_default=True,
    help="Publishers may also publish approved changes and roll batches back.",
)
@click.password_option(help="Prompted for, without echo, when not given.")
@data_dir_option
def curator_add(name: str, role: str, password: str, data_dir: Path) -> None:
    """Create the account NAME, or change its password and role (restart `cahub review` to apply)."""
    from review_ui import accounts

    try:
        created = accounts.add(data_dir, name, password, role)
    except accounts.AccountError as exc:
        raise click.ClickException(f"no account was written: {exc}") from None
    click.echo(f"{'created' if created else 'updated'} {role} {name}")


@cli.command()
@click.option(
    "--publisher",
    default=lambda: __import__("getpass").getuser(),
    show_default="your login name",
    help="Who publishes, recorded with every change.",
)
@data_dir_option
def publish(publisher: str, data_dir: Path) -> None:
    """Apply every approved proposal to hub.db in one batch, recording each field change."""
    from db import publish as publishing

    result = publishing.publish(open_hub(data_dir).conn, db.open_staging(data_dir).conn, publisher)
    if result.batch_id is None and not result.already:
        click.echo("nothing to publish: no approved proposals")
    else:
        click.echo(
            f"batch {result.batch_id}: {result.changes} field changes from "
            f"{len(result.published) + len(result.unchanged)} proposals"
        )
    for proposal_id, why in result.skipped.items():
        click.echo(f"  not published: proposal {proposal_id}: {why}", err=True)


@cli.command()
@click.option("--batch", "batch_id", type=int, required=True, help="The publish batch to undo.")
@click.option(
    "--by", "actor", default=lambda: __import__("getpass").getuser(), show_default="your login name"
)
@data_dir_option
def rollback(batch_id: int, actor: str, data_dir: Path) -> None:
    """Restore the values a publish batch replaced, as a new recorded batch."""
    from db import publish as publishing
    from db import review

    try:
        result = publishing.rollback(open_hub(data_dir).conn, batch_id, actor)
    except publishing.RollbackRefused as exc:
        raise click.ClickException(str(exc)) from None
    review.mark_stale(db.open_staging(data_dir).conn, result.values)
    click.echo(f"batch {batch_id} rolled back by batch {result.batch_id}: {result.changes} values restored")


@cli.command()
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8001, show_default=True, help="Review UI port."
)
@click.option(
    "--no-serve", is_flag=True, help="Run the whole job, then exit instead of serving the review UI."
)
@data_dir_option
def demo(port: int, no_serve: bool, data_dir: Path) -> None:
    """The main job on the bundled examples: serve their sites on loopback, import, crawl, extract, propose,
    write the reports, then start the review UI with a demo curator account."""
    from cahub import demo as demo_job
    from cahub import pipeline

    try:
        summary = demo_job.run_demo(
            data_dir,
            progress=lambda message: click.echo(f"== {message}", err=True),
            crawl_progress=_crawl_progress_printer(),
        )
    except pipeline.RunLocked as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(pipeline.EXIT_LOCKED)
    click.echo(pipeline.format_summary(summary))
    curator = summary["curator"]
    click.echo(f"Review UI: http://127.0.0.1:{port}/-/review")
    click.echo(f"  log in at http://127.0.0.1:{port}/-/login as {curator['name']} / {curator['password']}")
    click.echo(f"Gap report: {Path(summary['reports'][0]).parent / 'gap-report.html'}")
    if no_serve:
        return
    from review_ui import server

    click.echo("Serving the review UI; press Ctrl-C to stop.", err=True)
    server.run(server.make_datasette(data_dir), port)
