"""A crawl run's pages -> findings and gaps in staging.db, site by site, each site in its own transaction.

A site that was not fetched (down, blocked by robots.txt, parked, ...) gives one `site_unreachable` or
`site_blocked` finding and nothing else: an outage must never look like an initiative that stopped publishing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import db
from db import curation_store as store
from db.runs import add_warning, finish_run, get_run, start_run

from .extract import extract_site

Progress = Callable[[int, int, str], None]


class NoCrawlRun(Exception):
    """There is no crawl run to extract (or the given id does not exist)."""


def _site_finding(site: dict[str, Any]) -> dict[str, Any]:
    field = "site_blocked" if site["outcome"] == "robots_blocked" else "site_unreachable"
    quote = f"{site['outcome']}: {site.get('detail') or ''}".strip(": ")[:500]
    return {
        "field": field,
        "value": site["outcome"],
        "confidence": 1.0,
        "language": None,
        "evidence": [{"url": site.get("final_url") or site.get("url"), "quote": quote, "language": None}],
    }


def extract_run(
    data_dir: str | os.PathLike[str] | None, run_id: int | None = None, progress: Progress | None = None
) -> dict[str, Any]:
    """Extract every site of crawl run `run_id` (default: the latest) into findings and gaps; returns a
    summary."""
    database = db.open_staging(data_dir)
    if run_id is None:
        run_id = store.latest_crawl_run(database)
    if run_id is None:
        raise NoCrawlRun("there is no crawl run to extract; run `cahub crawl` first")
    sites = store.run_sites(database, run_id)
    if not sites and get_run(database, run_id) is None:
        raise NoCrawlRun(f"there is no crawl run {run_id}")
    own = start_run(database, "extract", {"crawl_run": run_id})
    summary: dict[str, Any] = {
        "crawl_run": run_id,
        "sites": len(sites),
        "extracted": 0,
        "unreachable": 0,
        "blocked": 0,
        "skipped": 0,
        "findings": 0,
        "gaps": 0,
        "pages": 0,
        "problems": 0,
    }
    try:
        for done, (initiative_id, site) in enumerate(sorted(sites.items()), start=1):
            _one_site(database, run_id, own, initiative_id, site, summary)
            if progress:
                progress(done, len(sites), initiative_id)
    except BaseException:
        finish_run(database, own, "interrupted", summary)
        raise
    finish_run(database, own, "completed", summary)
    return summary


def _one_site(
    database: Any, run_id: int, own: int, initiative_id: str, site: dict[str, Any], summary: dict[str, Any]
) -> None:
    outcome = site["outcome"]
    if outcome == "pending":
        summary["skipped"] += 1
        add_warning(
            database,
            own,
            "extract",
            "site still pending in this crawl run; not extracted",
            initiative_id=initiative_id,
            level="info",
            url=site.get("url"),
        )
        return
    if outcome != "fetched":
        finding = _site_finding(site)
        summary["blocked" if finding["field"] == "site_blocked" else "unreachable"] += 1
        store.save_site_results(database, run_id, initiative_id, [finding], [])
        summary["findings"] += 1
        return
    pages = list(store.run_pages(database, run_id, initiative_id))
    try:
        result = extract_site(pages)
    except Exception as exc:  # noqa: BLE001 - one hostile site must not stop the run
        add_warning(
            database,
            own,
            "extract",
            f"extraction failed: {type(exc).__name__}: {exc}",
            initiative_id=initiative_id,
            level="error",
            url=site.get("url"),
        )
        summary["problems"] += 1
        return
    findings = [
        {
            "field": name,
            "value": f["value"],
            "confidence": f["confidence"],
            "evidence": f["evidence"],
            "language": (f["evidence"][0].get("language") if f["evidence"] else None) or result["language"],
        }
        for name, f in result["fields"].items()
    ]
    checked = [p["url"] for p in result["pages"]]
    gaps = [{"gap": g, "pages_checked": checked} for g in result["gaps"]]
    store.save_site_results(database, run_id, initiative_id, findings, gaps)
    for problem in result["problems"][:50]:
        add_warning(
            database,
            own,
            "extract",
            problem["problem"],
            initiative_id=initiative_id,
            url=problem["url"] or None,
        )
    summary["extracted"] += 1
    summary["pages"] += len(pages)
    summary["findings"] += len(findings)
    summary["gaps"] += len(gaps)
    summary["problems"] += len(result["problems"])
