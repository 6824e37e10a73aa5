"""The collector of a distributed crawl: the only writer of staging.db, through the single-process pipeline's
`store_item`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import db
from db import crawl_store, runs

from ..run import CrawlError, _summary
from .enqueue import publish
from .state import (
    _REAP,
    RUNS_KEY,
    Keys,
    _decode,
    _gone,
    connect,
)

if TYPE_CHECKING:
    import redis

# -- collector --------------------------------------------------------------------------------------------


def collect(
    data_dir: str | os.PathLike[str] | None,
    redis_url: str,
    run_id: int | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Write what the workers send into staging.db until every site of the run has its outcome.

    The only writer of staging.db in a distributed crawl. Without `run_id`, the latest crawl run that is not
    completed. Redis going away marks the run interrupted and raises a CrawlError saying how to resume.
    """
    import redis as redis_lib

    client = connect(redis_url)
    staging = db.open_staging(data_dir)
    started = time.monotonic()
    try:
        if run_id is None:
            latest = runs.latest_run(staging, "crawl")
            if latest is None or latest["status"] == "completed":
                raise CrawlError(
                    "no distributed crawl run to collect; start one with `cahub crawl --redis URL`"
                )
            run_id = int(latest["id"])
        run = runs.get_run(staging, run_id)
        if run is None or run["kind"] != "crawl":
            raise CrawlError(f"run {run_id} is not a crawl run")
        if run["status"] == "completed":
            raise CrawlError(f"run {run_id} is already completed; nothing to collect")
        options = dict(run["options"])
        if not options.get("distributed"):
            raise CrawlError(f"run {run_id} is not a distributed crawl run")
        crawl_store.reopen_run(staging, run_id, {**options, "collector_pid": os.getpid()})
        keys = Keys(run_id)
        total = len(crawl_store.sites(staging, run_id))
        counts = {"pages": 0, "errors": 0}
        reap = client.register_script(_REAP)
        try:
            publish(staging, client, run_id, options, data_dir)
            # Items a killed collector had taken go back first; a page it had already committed is then
            # skipped by the unique index.
            while client.lmove(keys.writing, keys.items, "RIGHT", "LEFT"):
                pass
            while True:
                raw = client.blmove(keys.items, keys.writing, 1, "LEFT", "RIGHT")
                if raw is None:
                    reap(keys=[keys.taken, keys.done, keys.todo, keys.lease_prefix])
                    if not crawl_store.pending_sites(staging, run_id) and not client.llen(keys.items):
                        break
                    continue
                _collect_one(staging, run_id, _decode(raw), counts, total, progress)
                client.lrem(keys.writing, 1, raw)  # type: ignore[arg-type]  # bytes work too
        except redis_lib.RedisError as exc:
            runs.finish_run(
                staging, run_id, "interrupted", _summary(staging, run_id, time.monotonic() - started)
            )
            raise _gone(redis_url, exc, run_id) from exc
        except KeyboardInterrupt:
            runs.finish_run(
                staging, run_id, "interrupted", _summary(staging, run_id, time.monotonic() - started)
            )
            raise
        summary = _summary(staging, run_id, time.monotonic() - started)
        runs.finish_run(staging, run_id, "completed", summary)
        _forget(client, run_id)
        return summary
    finally:
        staging.close()


def _collect_one(
    staging: Any,
    run_id: int,
    item: dict[str, Any],
    counts: dict[str, int],
    total: int,
    progress: Callable[[dict[str, Any]], None] | None,
) -> None:
    from ..pipelines import store_item

    stored = store_item(staging, run_id, item)
    if item["kind"] == "warning" and item["level"] != "info":
        counts["errors"] += 1
    if progress is None:
        return
    if item["kind"] == "page" and stored is not None:
        counts["pages"] += 1
        event = {"event": "page", "initiative_id": stored["initiative_id"], "url": stored["url"]}
    elif item["kind"] == "site":
        event = {"event": "site", "initiative_id": item["initiative_id"], "outcome": item["outcome"]}
    else:
        return
    done = total - len(crawl_store.pending_sites(staging, run_id))
    progress({**event, "sites_done": done, "sites_total": total, **counts})


def _forget(client: redis.Redis, run_id: int) -> None:
    """Delete a completed run's keys; only the collector does this, once every site is stored."""
    client.srem(RUNS_KEY, run_id)
    batch = list(client.scan_iter(match=f"{Keys(run_id).prefix}:*", count=500))
    for start in range(0, len(batch), 500):
        client.delete(*batch[start : start + 500])
