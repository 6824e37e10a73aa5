"""Everything the crawler reads from and writes to staging.db: crawl runs, `sites` outcomes and `pages`.

The crawler never writes SQL itself; it hands page records and site outcomes to these functions. They are
also what the Redis-distributed crawl's single collector calls, so workers never touch the database.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlite_utils import Database

from . import runs
from .hub import now

FINAL_OUTCOMES = (
    "fetched",
    "unreachable",
    "dns_failure",
    "tls_error",
    "http_error",
    "robots_blocked",
    "offsite_redirect",
    "parked",
    "timeout",
)
PAGE_COLUMNS = (
    "url",
    "final_url",
    "http_status",
    "content_type",
    "fetched_at",
    "content_hash",
    "title",
    "text",
    "language",
    "body",
    "body_size",
    "truncated",
    "etag",
    "last_modified",
)


def start_crawl(db: Database, options: dict[str, Any]) -> int:
    return runs.start_run(db, "crawl", options)


def reopen_run(db: Database, run_id: int, options: dict[str, Any]) -> None:
    """Mark an interrupted crawl run as running again (for `--resume`), with its options (the new pid)."""
    with db.conn:
        db.execute(
            "update runs set status = 'running', finished_at = null, options = ? where id = ?",
            [json.dumps(options, sort_keys=True), run_id],
        )


def add_sites(db: Database, run_id: int, sites: list[dict[str, Any]]) -> None:
    """Register every site of a run as `pending` in one transaction, so a resumed run knows what is left."""
    stamp = now()
    with db.conn:
        for site in sites:
            db.execute(
                "insert or ignore into sites (run_id, initiative_id, url, outcome, pages, started_at) "
                "values (?, ?, ?, 'pending', 0, ?)",
                [run_id, site["initiative_id"], site["url"], stamp],
            )


def sites(db: Database, run_id: int) -> list[dict[str, Any]]:
    return [dict(r) for r in db["sites"].rows_where("run_id = ?", [run_id], order_by="initiative_id")]


def pending_sites(db: Database, run_id: int) -> list[dict[str, Any]]:
    return [s for s in sites(db, run_id) if s["outcome"] == "pending"]


def finish_site(
    db: Database,
    run_id: int,
    initiative_id: str,
    outcome: str,
    *,
    detail: str | None = None,
    final_url: str | None = None,
    http_status: int | None = None,
) -> int:
    """Record a site's outcome; its page count is counted from the stored pages, so a resume adds up."""
    if outcome not in FINAL_OUTCOMES:
        raise ValueError(f"unknown site outcome {outcome!r}")
    count = db.execute(
        "select count(*) from pages where run_id = ? and initiative_id = ? and change != 'gone'",
        [run_id, initiative_id],
    ).fetchone()[0]
    with db.conn:
        db.execute(
            "update sites set outcome = ?, detail = ?, final_url = ?, http_status = ?, pages = ?, "
            "finished_at = ? where run_id = ? and initiative_id = ?",
            [outcome, detail, final_url, http_status, count, now(), run_id, initiative_id],
        )
    return int(count)


def previous_page(db: Database, initiative_id: str, url: str, before_run: int) -> dict[str, Any] | None:
    """The latest page for this URL from an earlier completed crawl, with the id of the row with its body."""
    row = db.execute(
        "select p.id, p.run_id, p.url, p.content_hash, p.title, p.text, p.language, p.etag, "
        "p.last_modified, p.same_as, p.content_type, p.body_size, p.truncated from pages p "
        "join runs r on r.id = p.run_id "
        "where p.initiative_id = ? and p.url = ? and p.run_id < ? and r.kind = 'crawl' "
        "and r.status = 'completed' and p.change != 'gone' order by p.run_id desc limit 1",
        [initiative_id, url, before_run],
    ).fetchone()
    if row is None:
        return None
    cols = [
        "id",
        "run_id",
        "url",
        "content_hash",
        "title",
        "text",
        "language",
        "etag",
        "last_modified",
        "same_as",
        "content_type",
        "body_size",
        "truncated",
    ]
    found = dict(zip(cols, row, strict=True))
    found["body_id"] = found["same_as"] or found["id"]
    return found


def previous_pages(db: Database, initiative_id: str, before_run: int) -> dict[str, dict[str, Any]]:
    """URL -> conditional-request validators and title of every page the last completed crawl stored."""
    rows = db.execute(
        "select p.url, p.etag, p.last_modified, p.title from pages p where p.initiative_id = ? and "
        "p.change != 'gone' and p.run_id = (select max(r.id) from runs r join pages q on q.run_id = r.id "
        "where r.kind = 'crawl' and r.status = 'completed' and r.id < ? and q.initiative_id = ?)",
        [initiative_id, before_run, initiative_id],
    ).fetchall()
    return {url: {"etag": etag, "last_modified": lm, "title": title} for url, etag, lm, title in rows}


def run_pages(db: Database, run_id: int, initiative_id: str) -> list[dict[str, Any]]:
    """Pages this run already stored for a site: what a resumed crawl must not fetch or store again."""
    rows = db["pages"].rows_where("run_id = ? and initiative_id = ?", [run_id, initiative_id], order_by="id")
    return [dict(r) for r in rows]


def save_page(db: Database, run_id: int, record: dict[str, Any]) -> dict[str, Any] | None:
    """Store one fetched page with its change status against the previous completed crawl.

    `record` is what `crawlers.pages.page_record` made of a response (body raw, not yet compressed), or a
    304 / 404 / 410 record without body. Returns the stored row (without body), or None when the page was
    already stored by this run (a resumed run) or a missing page that no earlier run knew.
    """
    previous = previous_page(db, record["initiative_id"], record["url"], run_id)
    status = record.get("http_status") or 0
    row: dict[str, Any] = {k: record.get(k) for k in PAGE_COLUMNS}
    row["run_id"] = run_id
    row["initiative_id"] = record["initiative_id"]
    row["body"] = None
    row["same_as"] = None
    raw: bytes | None = record.get("body")
    if status in (404, 410):
        if previous is None:
            return None
        row.update(change="gone", title=None, text=None, language=None, body_size=0, truncated=0)
    elif status == 304 or (previous is not None and previous["content_hash"] == record.get("content_hash")):
        if previous is None:
            return None
        row.update(
            change="unchanged",
            same_as=previous["body_id"],
            title=previous["title"],
            text=previous["text"],
            language=previous["language"],
            content_hash=previous["content_hash"],
            body_size=previous["body_size"],
            truncated=previous["truncated"],
        )
        if status == 304:
            row["content_type"] = row["content_type"] or previous["content_type"]
            row["etag"] = row["etag"] or previous["etag"]
            row["last_modified"] = row["last_modified"] or previous["last_modified"]
    else:
        row["change"] = "changed" if previous is not None else "new"
        row["body"] = zlib.compress(raw or b"")
    # Column names come from PAGE_COLUMNS and this function, never from the page. A page this run already
    # stored (a resumed run) is skipped; any other database error propagates.
    sql = (
        f"insert into pages ({', '.join(row)}) values ({', '.join('?' for _ in row)}) "  # noqa: S608
        "on conflict (run_id, initiative_id, url) do nothing"
    )
    with db.conn:
        cursor = db.execute(sql, list(row.values()))
    if cursor.rowcount == 0:
        return None
    row["id"] = cursor.lastrowid
    row.pop("body")
    return row


def page_body(db: Database, page_row: dict[str, Any]) -> bytes | None:
    """The raw body of a stored page, following `same_as` for unchanged pages; None for gone pages."""
    if page_row.get("change") == "gone":
        return None
    body = page_row.get("body")
    if body is None:
        holder_id = page_row.get("same_as") or page_row.get("id")
        seen: set[int] = set()
        while holder_id is not None and holder_id not in seen:
            seen.add(holder_id)
            found = db.execute("select body, same_as from pages where id = ?", [holder_id]).fetchone()
            if found is None:
                return None
            body, holder_id = found[0], found[1]
            if body is not None:
                break
    if body is None:
        return None
    return zlib.decompress(body)


def run_counts(db: Database, run_id: int) -> dict[str, Any]:
    """Per-outcome site counts, page counts by change status and the warnings (not info) of a crawl run."""
    outcomes = dict(
        db.execute(
            "select outcome, count(*) from sites where run_id = ? group by outcome", [run_id]
        ).fetchall()
    )
    changes = dict(
        db.execute("select change, count(*) from pages where run_id = ? group by change", [run_id]).fetchall()
    )
    errors = db.execute(
        "select count(*) from warnings where run_id = ? and stage = 'crawl' and level != 'info'", [run_id]
    ).fetchone()[0]
    return {"outcomes": outcomes, "changes": changes, "warnings": int(errors)}
