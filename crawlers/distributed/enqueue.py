"""The enqueuer of a distributed crawl: the run and its sites rows in staging.db, one job per site on Redis."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import db
from db import crawl_store, hub, runs

from ..links import extract, parse_html
from ..run import CrawlError, _html_of, _resume, _start, _summary, seeds
from .state import (
    RUNS_KEY,
    Keys,
    _gone,
    _safe,
    connect,
)

if TYPE_CHECKING:
    import redis

# -- enqueuer ---------------------------------------------------------------------------------------------


def _stored_entry(staging: Any, page: dict[str, Any]) -> dict[str, Any]:
    """What a worker needs of a page this run already stored: its URL, status, title and links."""
    entry = {k: page[k] for k in ("url", "final_url", "http_status", "title")}
    html = _html_of(staging, page)
    found = extract(parse_html(html), page.get("final_url") or page["url"]) if html else []
    entry["links"] = [[link.url, link.text, link.title, link.alternate] for link in found]
    return entry


def publish(staging: Any, client: redis.Redis, run_id: int, options: dict[str, Any], data_dir: Any) -> int:
    """Put on Redis every pending site of the run that Redis does not hold yet; return how many.

    Idempotent, so it also resumes a run after Redis lost its data: the sites still pending in staging.db
    are published again with the pages already stored, which are then neither fetched nor stored again.
    """
    keys = Keys(run_id)
    hub_db = db.open_hub(data_dir)
    try:
        records = {r["id"]: r for r in hub.initiatives(hub_db, options.get("initiative_ids") or None)}
    finally:
        hub_db.close()
    client.hset(
        keys.meta,
        mapping={
            "max_pages": int(options["max_pages"]),
            "allow_local": int(bool(options["allow_local"])),
            "settings": json.dumps(options.get("settings") or {}),
        },
    )
    published = 0
    for site in crawl_store.pending_sites(staging, run_id):
        iid = site["initiative_id"]
        site_seeds = seeds(records[iid].get("website")) if iid in records else []
        if not site_seeds or client.sismember(keys.done, iid) or client.exists(keys.job(iid)):
            continue
        job = {
            "seeds": site_seeds,
            "previous": crawl_store.previous_pages(staging, iid, run_id),
            "stored": [_stored_entry(staging, p) for p in crawl_store.run_pages(staging, run_id, iid)],
        }
        with client.pipeline(transaction=True) as pipe:
            pipe.set(keys.job(iid), json.dumps(job))
            pipe.delete(keys.sent(iid))
            pipe.rpush(keys.todo, iid)
            pipe.execute()
        published += 1
    client.sadd(RUNS_KEY, run_id)
    return published


def enqueue(
    data_dir: str | os.PathLike[str] | None,
    redis_url: str,
    initiative_ids: list[str] | None = None,
    max_pages: int = 40,
    allow_local: bool = False,
    resume_run: int | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Start a distributed crawl run (or re-publish a resumed one) and return {run_id, sites, published}.

    `settings` (JSON values) override the workers' Scrapy settings for this run.
    """
    import redis as redis_lib

    client = connect(redis_url)
    staging = db.open_staging(data_dir)
    try:
        if resume_run is not None:
            options = _resume(staging, resume_run)
            run_id = int(resume_run)
        else:
            options = {
                "initiative_ids": initiative_ids,
                "max_pages": max_pages,
                "allow_local": allow_local,
                "distributed": _safe(redis_url),
                "settings": settings or {},
            }
            json.dumps(options)  # settings must travel to the workers as JSON
            hub_db = db.open_hub(data_dir)
            try:
                records = list(hub.initiatives(hub_db, initiative_ids or None))
            finally:
                hub_db.close()
            missing = sorted(set(initiative_ids or []) - {r["id"] for r in records})
            if missing:
                raise CrawlError(f"no such initiative: {', '.join(missing)}")
            site_seeds = {r["id"]: seeds(r.get("website")) for r in records}
            run_id = _start(staging, records, site_seeds, options)
        try:
            published = publish(staging, client, run_id, options, data_dir)
        except redis_lib.RedisError as exc:
            runs.finish_run(staging, run_id, "interrupted", _summary(staging, run_id, 0.0))
            raise _gone(redis_url, exc, run_id) from exc
        return {"run_id": run_id, "sites": len(crawl_store.sites(staging, run_id)), "published": published}
    finally:
        staging.close()
