"""The scheduled cycle: crawl, extract, propose, regenerate the reports, under a lock, with a summary.

Cron and systemd timers start `cahub run` unattended, so overlapping runs must not collide and every outcome
must end up in the `runs` table and on stdout, with an exit status a scheduler can act on.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import db
from db import runs

LOCK_FILE = "cahub-run.lock"
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class RunLocked(Exception):
    """Another `cahub run` holds the data folder's lock."""


@contextmanager
def run_lock(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock on the data folder; released by the OS if the process dies."""
    path = Path(data_dir) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RunLocked(f"another cahub run is in progress on {data_dir} ({holder})") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {db.hub.now()}")
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


Progress = Callable[[str], None]


def run_cycle(
    data_dir: Path,
    *,
    max_pages: int = 40,
    allow_local: bool = False,
    report_dir: Path | None = None,
    crawl_settings: dict[str, Any] | None = None,
    progress: Progress | None = None,
    crawl_progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """One whole unattended cycle; returns the summary also written to the `runs` row of kind `run`.

    A stage that raises marks the run failed (the summary says which stage and why) and the error propagates
    after the row is written, so the scheduler sees a non-zero exit.
    """
    from crawlers import crawl
    from curation import extract_run, propose
    from curation.reports import gap_report

    say = progress or (lambda message: None)
    staging = db.open_staging(data_dir)
    run_id = runs.start_run(staging, "run", {"max_pages": max_pages, "allow_local": allow_local})
    summary: dict[str, Any] = {"run_id": run_id}
    stage = "crawl"
    started = time.monotonic()
    try:
        say("crawling the initiatives' websites")
        crawled = crawl(
            data_dir,
            max_pages=max_pages,
            allow_local=allow_local,
            progress=crawl_progress,
            settings=crawl_settings,
        )
        crawl_run = crawled["run_id"]
        summary.update(
            crawl_run=crawl_run,
            sites=crawled.get("sites", 0),
            sites_failed=crawled.get("failed", 0),
            pages=crawled.get("pages", 0),
        )
        stage = "extract"
        say("extracting findings and transparency gaps")
        extracted = extract_run(data_dir, crawl_run)
        summary["gaps"] = extracted.get("gaps", 0)
        summary["findings"] = extracted.get("findings", 0)
        stage = "propose"
        say("proposing changes to the hub")
        proposed = propose(data_dir, crawl_run)
        summary["new_proposals"] = proposed.get("new", 0)
        summary["updated_proposals"] = proposed.get("updated", 0)
        stage = "report"
        say("writing the transparency-gap report")
        written = gap_report(data_dir, fmt="all", out_dir=report_dir)
        summary["reports"] = [str(p) for p in written]
    except BaseException as exc:
        summary.update(failed_stage=stage, error=f"{type(exc).__name__}: {exc}")
        summary["seconds"] = round(time.monotonic() - started, 1)
        status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
        runs.finish_run(db.open_staging(data_dir), run_id, status, summary)
        raise
    summary["seconds"] = round(time.monotonic() - started, 1)
    runs.finish_run(db.open_staging(data_dir), run_id, "completed", summary)
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    """The summary as the short text a scheduler's mail or journal shows."""
    lines = [
        f"run {summary['run_id']} (crawl run {summary.get('crawl_run', '-')}): "
        f"{summary.get('sites', 0)} sites crawled, {summary.get('sites_failed', 0)} failed, "
        f"{summary.get('pages', 0)} pages, {summary.get('new_proposals', 0)} new proposals, "
        f"{summary.get('gaps', 0)} gaps, in {summary.get('seconds', 0)} s"
    ]
    reports = summary.get("reports", [])
    if reports:
        folders = sorted({str(Path(r).parent) for r in reports})
        lines.append(f"reports: {len(reports)} files in {', '.join(folders)}")
    if "error" in summary:
        lines.append(f"FAILED in {summary['failed_stage']}: {summary['error']}")
    return "\n".join(lines)


def summary_json(summary: dict[str, Any]) -> str:
    return json.dumps(summary, ensure_ascii=False, sort_keys=True)
