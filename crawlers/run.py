"""`crawl()`: one crawl run over the selected initiatives' sites, resumable after an interruption."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import db
from db import crawl_store, hub, runs

from .frontier import SiteJob
from .pipelines import STORAGE_ERROR
from .sites import is_http

Progress = Callable[[dict[str, Any]], None]


class CrawlError(Exception):
    """The crawl cannot start: a bad resume run, no initiatives, or no data folder."""


def seeds(website: Any) -> list[str]:
    """The crawlable URLs of an initiative's `website` value; `www.example.org` means `http://www.example.org/`
    (the site redirects to https if it has it)."""
    if not website:
        return []
    found = []
    for url in website if isinstance(website, list) else [website]:
        if not isinstance(url, str) or not url.strip():
            continue
        url = url.strip()
        if url.lower().startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        if "://" not in url:
            url = "http://" + url
        if is_http(url):
            found.append(url if urlsplit(url).path else url + "/")
    return found


def _html_of(staging: Any, page: dict[str, Any]) -> str | None:
    from . import charset

    kind = (page.get("content_type") or "").split(";")[0].strip()
    if kind not in ("text/html", "application/xhtml+xml", ""):
        return None
    body = crawl_store.page_body(staging, page)
    return charset.decode(body, page.get("content_type"))[0] if body else None


def _jobs(
    staging: Any, run_id: int, sites: list[dict[str, Any]], site_seeds: dict[str, list[str]]
) -> list[SiteJob]:
    jobs = []
    for site in sites:
        iid = site["initiative_id"]
        stored = []
        for page in crawl_store.run_pages(staging, run_id, iid):
            entry = {k: page[k] for k in ("url", "final_url", "http_status", "title")}
            entry["html"] = _html_of(staging, page)
            stored.append(entry)
        jobs.append(SiteJob(iid, site_seeds[iid], crawl_store.previous_pages(staging, iid, run_id), stored))
    return jobs


async def _run_scrapy(settings: dict[str, Any], jobs: list[SiteJob], max_pages: int) -> str:
    """Run the spider; return Scrapy's finish reason ("finished" unless it was stopped early)."""
    from scrapy.crawler import AsyncCrawlerRunner

    from .spiders.sites import SitesSpider

    runner = AsyncCrawlerRunner(settings)
    crawler = runner.create_crawler(SitesSpider)
    await runner.crawl(crawler, jobs=jobs, max_pages=max_pages)
    return str(crawler.stats.get_value("finish_reason") if crawler.stats else "unknown")


def _in_loop(coro: Any) -> None:
    """Run the crawl's event loop; from inside a running loop (a notebook, a server) use a thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coro)
        return
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    thread = threading.Thread(target=target, name="cahub-crawl")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM (a scheduler stopping the job) like Ctrl-C: the run is marked interrupted, resumable."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _resume(staging: Any, run_id: int) -> dict[str, Any]:
    """The options of the crawl run to continue, after checking that it can be continued."""
    run = runs.get_run(staging, run_id)
    if run is None or run["kind"] != "crawl":
        raise CrawlError(f"run {run_id} is not a crawl run")
    if run["status"] == "completed":
        raise CrawlError(f"run {run_id} is already completed; nothing to resume")
    options = dict(run["options"])
    if run["status"] == "running" and _alive(options.get("pid")):
        raise CrawlError(f"run {run_id} is still running (process {options['pid']}); stop it first")
    options["pid"] = os.getpid()
    crawl_store.reopen_run(staging, run_id, options)
    return options


def _start(
    staging: Any, records: list[dict[str, Any]], site_seeds: dict[str, list[str]], options: dict[str, Any]
) -> int:
    run_id = crawl_store.start_crawl(staging, {**options, "pid": os.getpid()})
    for record in records:
        if not site_seeds[record["id"]]:
            runs.add_warning(
                staging,
                run_id,
                "crawl",
                "no website listed; not crawled",
                initiative_id=record["id"],
                level="info",
            )
    sites = [{"initiative_id": i, "url": s[0]} for i, s in site_seeds.items() if s]
    crawl_store.add_sites(staging, run_id, sites)
    return run_id


def crawl(
    data_dir: str | os.PathLike[str] | None,
    initiative_ids: list[str] | None = None,
    max_pages: int = 40,
    allow_local: bool = False,
    resume_run: int | None = None,
    progress: Progress | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl the sites of the selected initiatives (all by default) into staging.db and return a summary.

    `resume_run` continues an interrupted crawl run with the options it started with: sites already
    finished are kept, pages already stored are neither fetched nor stored again. `settings` overrides
    Scrapy settings (delays, User-Agent, timeouts, ...). `progress` receives one dict per stored page and
    per finished site (sites_done, sites_total, pages, errors, ...).
    """
    staging = db.open_staging(data_dir)
    try:
        return _crawl(
            staging, data_dir, initiative_ids, max_pages, allow_local, resume_run, progress, settings
        )
    finally:
        staging.close()


def _crawl(
    staging: Any,
    data_dir: str | os.PathLike[str] | None,
    initiative_ids: list[str] | None,
    max_pages: int,
    allow_local: bool,
    resume_run: int | None,
    progress: Progress | None,
    settings: dict[str, Any] | None,
) -> dict[str, Any]:
    options: dict[str, Any] = {
        "initiative_ids": initiative_ids,
        "max_pages": max_pages,
        "allow_local": allow_local,
    }
    if resume_run is not None:
        options = _resume(staging, resume_run)
    initiative_ids, max_pages = options.get("initiative_ids"), int(options["max_pages"])
    allow_local = bool(options["allow_local"])
    hub_db = db.open_hub(data_dir)
    try:
        records = list(hub.initiatives(hub_db, initiative_ids or None))
    finally:
        hub_db.close()
    missing = sorted(set(initiative_ids or []) - {r["id"] for r in records})
    if missing:
        raise CrawlError(f"no such initiative: {', '.join(missing)}")
    site_seeds = {r["id"]: seeds(r.get("website")) for r in records}
    run_id = int(resume_run) if resume_run is not None else _start(staging, records, site_seeds, options)
    all_sites = crawl_store.sites(staging, run_id)
    pending = [s for s in all_sites if s["outcome"] == "pending" and site_seeds.get(s["initiative_id"])]
    jobs = _jobs(staging, run_id, pending, site_seeds)

    from .settings import SETTINGS

    merged: dict[str, Any] = {**SETTINGS, **(settings or {})}
    merged.update(
        CAHUB_DATA_DIR=str(db.data_dir(data_dir)),
        CAHUB_RUN_ID=run_id,
        CAHUB_PROGRESS=progress,
        CAHUB_SITES_TOTAL=len(all_sites),
        CAHUB_SITES_DONE=len(all_sites) - len(pending),
        CAHUB_ALLOW_LOCAL=allow_local,
    )
    started = time.monotonic()
    reason = "finished"
    try:
        if jobs:
            with _terminate_as_interrupt():
                reason = _run_scrapy_in_loop(merged, jobs, max_pages)
    except (KeyboardInterrupt, asyncio.CancelledError):
        reason = "shutdown"
    except BaseException:
        runs.finish_run(staging, run_id, "failed", _summary(staging, run_id, time.monotonic() - started))
        raise
    if reason != "finished":
        # Stopped early (Ctrl-C, SIGTERM, a storage error): unfinished sites stay pending, to resume.
        runs.finish_run(staging, run_id, "interrupted", _summary(staging, run_id, time.monotonic() - started))
        message = f"crawl run {run_id} stopped ({reason}); continue it with --resume {run_id}"
        if reason == STORAGE_ERROR:
            raise CrawlError(message)
        raise KeyboardInterrupt(message)
    for site in crawl_store.pending_sites(staging, run_id):
        crawl_store.finish_site(
            staging,
            run_id,
            site["initiative_id"],
            "unreachable",
            detail="the crawl ended before this site finished",
        )
    summary = _summary(staging, run_id, time.monotonic() - started)
    runs.finish_run(staging, run_id, "completed", summary)
    return summary


def _run_scrapy_in_loop(settings: dict[str, Any], jobs: list[SiteJob], max_pages: int) -> str:
    result: list[str] = []

    async def main() -> None:
        result.append(await _run_scrapy(settings, jobs, max_pages))

    _in_loop(main())
    return result[0] if result else "unknown"


def _summary(staging: Any, run_id: int, seconds: float) -> dict[str, Any]:
    counts = crawl_store.run_counts(staging, run_id)
    outcomes = counts["outcomes"]
    total = sum(outcomes.values())
    return {
        "run_id": run_id,
        "sites": total,
        "fetched": outcomes.get("fetched", 0),
        "failed": total - outcomes.get("fetched", 0) - outcomes.get("pending", 0),
        "pages": sum(n for change, n in counts["changes"].items() if change != "gone"),
        "changes": counts["changes"],
        "errors": counts["warnings"],
        "outcomes": outcomes,
        "seconds": round(seconds, 2),
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The closing lines of `cahub crawl`: what was crawled, per outcome, and how to look closer."""
    outcomes = ", ".join(f"{name} {count}" for name, count in sorted(summary["outcomes"].items()))
    changes = ", ".join(f"{name} {count}" for name, count in sorted(summary["changes"].items())) or "none"
    return (
        f"crawl run {summary['run_id']}: {summary['sites']} sites ({outcomes}), "
        f"{summary['pages']} pages ({changes}), {summary['errors']} warnings, {summary['seconds']} s"
    )
