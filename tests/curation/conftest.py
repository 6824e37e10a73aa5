"""Fixtures for the curation tests: a staging.db holding a crawl run, written the way the crawler writes
it."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path
from typing import Any

import pytest

import db
from db.hub import now

HERE = Path(__file__).resolve().parent
EVAL = HERE / "eval"
PAGES = HERE / "pages"


class CrawlWriter:
    """Writes a crawl run into staging.db as the crawler's pipeline does (zlib bodies, `same_as` for
    unchanged)."""

    def __init__(self, data_dir: Path):
        self.db = db.open_staging(data_dir)

    def run(self) -> int:
        from db.runs import finish_run, start_run

        run_id = start_run(self.db, "crawl", {})
        finish_run(self.db, run_id, "completed", {})
        return run_id

    def site(
        self, run_id: int, initiative_id: str, url: str, outcome: str = "fetched", detail: str = ""
    ) -> None:
        self.db["sites"].insert(
            {
                "run_id": run_id,
                "initiative_id": initiative_id,
                "url": url,
                "final_url": url,
                "outcome": outcome,
                "detail": detail,
                "started_at": now(),
                "finished_at": now(),
            }
        )

    def page(
        self,
        run_id: int,
        initiative_id: str,
        url: str,
        body: bytes | None,
        *,
        same_as: int | None = None,
        change: str = "new",
        content_type: str = "text/html; charset=utf-8",
        fetched_at: str = "2026-11-01T10:00:00+00:00",
    ) -> int:
        row: dict[str, Any] = {
            "run_id": run_id,
            "initiative_id": initiative_id,
            "url": url,
            "final_url": url,
            "http_status": 200,
            "content_type": content_type,
            "fetched_at": fetched_at,
            "change": change,
            "same_as": same_as,
            "body": zlib.compress(body) if body is not None else None,
            "body_size": len(body) if body is not None else None,
            "truncated": 0,
            "content_hash": hashlib.sha256(body or b"").hexdigest(),
        }
        table = self.db["pages"]
        table.insert(row)
        return int(table.last_pk)


@pytest.fixture
def crawl(data_dir: Path) -> CrawlWriter:
    return CrawlWriter(data_dir)


def eval_page(site: str, name: str) -> bytes:
    return (EVAL / site / name).read_bytes()
