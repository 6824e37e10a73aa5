"""Benchmark the review UI: queue, filtered queue and review page response times; publishing 10,000 changes.

Generates a hub of 10,000 initiatives and 100,000 pending proposals in a temporary folder, serves it with the
real `cahub review` Datasette app (uvicorn on 127.0.0.1), and requests pages as a logged-in curator over one
keep-alive connection. Baselines measured in the same run: Datasette's own table page of 50 pending proposals
(for the pages) and the bare SQL of the same updates and inserts (for publishing).

    .venv/bin/python benchmarks/review.py [--initiatives 10000] [--proposals 100000] [--requests 60]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import db  # noqa: E402
from db import publish as publishing  # noqa: E402
from db.vocabulary import GAP_KEYS, INDUSTRIES, STAKEHOLDER_GROUPS, STATUSES  # noqa: E402

COUNTRIES = ["CO", "BR", "SN", "CI", "GH", "DE", "IT", "RU", "KZ", "FR", "ES", "PT", "MX", "KE", "IN", "ID"]
LANGS = ["en", "es", "pt", "fr", "de", "it", "ru"]
WORDS = (
    "integridad transparencia compras públicas empresas ética integrité marchés publics Integrität Vergabe "
    "integrità appalti честность закупки integrity procurement companies sector collective action"
).split()


def text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(folder: Path, initiatives: int, proposals: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    db.init(folder)
    hub = db.open_hub(folder)
    stamp = "2026-11-01T00:00:00+00:00"
    rows = []
    for i in range(initiatives):
        countries = rng.sample(COUNTRIES, rng.randint(1, 3))
        rows.append(
            (
                f"initiative-{i:05d}",
                f"Initiative {i}",
                json.dumps([f"https://i{i}.example"]),
                text(rng, 18),
                json.dumps(countries),
                countries[0],
                json.dumps(rng.sample(STAKEHOLDER_GROUPS, 2)),
                rng.choice(STATUSES),
                1990 + rng.randint(0, 35),
                json.dumps([rng.choice(LANGS)]),
                stamp,
            )
        )
    with hub.conn:
        hub.conn.executemany(
            """insert into initiatives (id, name, website, mission, countries, host_country,
               stakeholder_groups,
               status, start_year, languages, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            rows,
        )
    staging = db.open_staging(folder)
    with staging.conn:
        staging.conn.executemany(
            "insert into runs (id, kind, status, started_at) values (?, 'run', 'completed', ?)",
            [(r, stamp) for r in range(1, 6)],
        )
        fields = [
            "mission",
            "countries",
            "status",
            "start_year",
            "stakeholder_groups",
            "industries",
            "contact",
            "goals",
            "activities",
            "members",
        ]
        props = []
        for n in range(proposals):
            i = n % initiatives
            field = fields[(n // initiatives) % len(fields)]
            lang = rng.choice(LANGS)
            value: object = {
                "mission": text(rng, 20),
                "goals": text(rng, 12),
                "activities": text(rng, 15),
                "contact": f"info@i{i}.example",
                "countries": rng.sample(COUNTRIES, 2),
                "status": rng.choice(STATUSES),
                "start_year": 1990 + rng.randint(0, 35),
                "stakeholder_groups": rng.sample(STAKEHOLDER_GROUPS, 3),
                "industries": rng.sample(INDUSTRIES, 2),
                "members": [text(rng, 2) for _ in range(3)],
            }[field]
            evidence = json.dumps(
                [{"url": f"https://i{i}.example/about", "quote": text(rng, 12), "language": lang}]
            )
            props.append(
                (
                    f"initiative-{i:05d}",
                    field,
                    None,
                    json.dumps(value, ensure_ascii=False),
                    evidence,
                    round(rng.uniform(0.3, 1.0), 2),
                    lang,
                    rng.randint(1, 5),
                    "pending",
                    stamp,
                    stamp,
                )
            )
        staging.conn.executemany(
            """insert into proposals (initiative_id, field, current_value, proposed_value, evidence,
               confidence,
               language, run_id, status, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            props,
        )
        # the hub values the proposals were made against
        staging.conn.execute("attach database ? as hub", [str(db.hub_path(folder))])
        for field in fields:
            staging.conn.execute(
                f"""update proposals set current_value = (select case when json_valid(h.[{field}])
                      and h.[{field}] like '[%' then h.[{field}] else json_quote(h.[{field}]) end
                    from hub.initiatives h where h.id = proposals.initiative_id) where field = ?""",  # noqa: S608
                [field],
            )
        gaps = [
            (rng.randint(1, 5), f"initiative-{i:05d}", gap, json.dumps([f"https://i{i}.example/"]), stamp)
            for i in range(0, initiatives, 3)
            for gap in rng.sample(list(GAP_KEYS), 2)
        ]
        staging.conn.executemany(
            "insert or ignore into gaps (run_id, initiative_id, gap, pages_checked, created_at)"
            " values (?, ?, ?, ?, ?)",
            gaps,
        )
    staging.conn.execute("detach database hub")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed_get(conn: http.client.HTTPConnection, path: str, cookie: str) -> float:
    start = time.perf_counter()
    conn.request("GET", path, headers={"cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}: {body[:300]!r}")
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_pages(folder: Path, requests: int) -> dict[str, tuple[float, float]]:
    import uvicorn

    from review_ui import server

    datasette = server.make_datasette(folder, secret="bench")
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(datasette.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    while not uv.started:
        time.sleep(0.05)
    cookie = "ds_actor=" + datasette.sign({"a": {"id": "alice", "role": "curator"}}, "actor")
    pages = {
        "baseline: Datasette table page, 50 pending proposals": "/staging/proposals?status=pending&_size=50",
        "queue page": "/-/review",
        "filtered queue (language, confidence, country)": (
            "/-/review?language=pt&min_confidence=0.7&country=BR"
        ),
        "queue sorted by highest confidence": "/-/review?sort=confidence",
        "initiative review page": None,
    }
    results = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    rng = random.Random(1)
    try:
        for name, path in pages.items():
            for _ in range(5):  # warm the caches
                timed_get(conn, path or "/-/review/initiative/initiative-00001", cookie)
            times = []
            for _ in range(requests):
                target = path or f"/-/review/initiative/initiative-{rng.randrange(10_000):05d}"
                times.append(timed_get(conn, target, cookie))
            results[name] = (statistics.median(times) * 1000, percentile(times, 95) * 1000)
    finally:
        conn.close()
        uv.should_exit = True
        thread.join(timeout=10)
    return results


def bench_publish(folder: Path, count: int) -> tuple[float, float, int]:
    staging = db.open_staging(folder)
    with staging.conn:
        staging.conn.execute(
            """update proposals set status = 'approved', approved_value = proposed_value,
               decided_by = 'alice',
               decided_at = '2026-11-02T00:00:00+00:00'
               where id in (select min(id) from proposals where status = 'pending'
                           group by initiative_id limit ?)""",
            [count],
        )
    approved = staging.conn.execute("select count(*) from proposals where status = 'approved'").fetchone()[0]
    hub = db.open_hub(folder)
    # baseline: the bare SQL a publish must at least run, on a copy of the hub
    copy = folder / "hub-copy.db"
    shutil.copy(db.hub_path(folder), copy)
    import sqlite3

    raw = sqlite3.connect(copy)
    rows = staging.conn.execute(
        "select initiative_id, field, approved_value, id from proposals where status = 'approved'"
    ).fetchall()
    start = time.perf_counter()
    with raw:
        raw.executemany("update initiatives set updated_at = ? where id = ?", [("x", r[0]) for r in rows])
        raw.executemany(
            "insert into changes (batch_id, initiative_id, field, new_value, proposal_id)"
            " values (1, ?, ?, ?, ?)",
            rows,
        )
    baseline = time.perf_counter() - start
    raw.close()
    start = time.perf_counter()
    result = publishing.publish(hub.conn, staging.conn, "paula")
    elapsed = time.perf_counter() - start
    assert len(result.published) + len(result.unchanged) == approved, result.skipped
    return elapsed, baseline, approved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--initiatives", type=int, default=10_000)
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--publish", type=int, default=10_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cahub-bench-")) / "data"
    try:
        start = time.perf_counter()
        generate(folder, args.initiatives, args.proposals)
        print(
            f"generated {args.initiatives:,} initiatives and {args.proposals:,} proposals "
            f"in {time.perf_counter() - start:.1f} s"
        )
        results = bench_pages(folder, args.requests)
        base_median = results["baseline: Datasette table page, 50 pending proposals"][0]
        print(f"\n{'page':52} {'median ms':>10} {'p95 ms':>8} {'x baseline':>11}")
        for name, (median, p95) in results.items():
            print(f"{name:52} {median:10.1f} {p95:8.1f} {median / base_median:11.2f}")
        elapsed, baseline, count = bench_publish(folder, args.publish)
        print(
            f"\npublish {count:,} approved proposals: {elapsed:.2f} s "
            f"(bare SQL baseline {baseline:.2f} s, x{elapsed / baseline:.1f})"
        )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
