"""Distributed crawling on Redis: a real redis-server on loopback, worker processes, one collector.

The rows equal a single-process crawl's, each site is fetched by one worker at a time with its delay held
(the fixture servers record every request's start and end), a worker killed with SIGKILL loses nothing,
and Redis going away stops the run with a clear error and a resumable run.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import crawlers
from crawlers import distributed

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
DELAY = 0.2
LEASE = 1.5
pytestmark = pytest.mark.skipif(not Path(REDIS).exists(), reason="redis-server is not installed")


class RedisServer:
    """redis-server on 127.0.0.1 and a free port, without persistence (a restart loses everything)."""

    def __init__(self, directory: Path):
        self.directory = directory
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from cahub.cli import cli; cli()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _worker(url: str, sites: int = 1, lease: float = LEASE) -> subprocess.Popen[str]:
    return _cli(
        "crawl-worker", "--redis", url, "--sites", str(sites), "--lease", str(lease), "--exit-when-idle"
    )


def _collector(url: str, data_dir: Path, *extra: str) -> subprocess.Popen[str]:
    return _cli("crawl", "--redis", url, "--collect", "--data-dir", str(data_dir), *extra)


def _finish(process: subprocess.Popen[str], timeout: float = 45) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"process hung: {out}\n{err}") from None
    return process.returncode, out, err


def _reports(fx, pages: int, delay: float = 0.0):
    Route = fx.Route
    links = "".join(f'<li><a href="/report-{n}">Annual report {n}</a></li>' for n in range(pages))
    routes = {"/": Route(fx.page("Reports", f"<p>Our yearly reports.</p><ul>{links}</ul>"))}
    for n in range(pages):
        routes[f"/report-{n}"] = Route(
            fx.page(f"Report {n}", f"<p>In year {n} we audited {n + 3} tenders.</p>"), delay=delay
        )
    return routes


def _settings(fx) -> dict:
    return {**fx.FAST, "DOWNLOAD_DELAY": DELAY}


def _assert_polite(server, delay: float = DELAY, slack: float = DELAY * 0.25) -> None:
    """One request at a time on the site, starts at least `delay` apart, whichever worker sent them."""
    hits = sorted(server.hits, key=lambda h: h.started)
    for before, after in zip(hits, hits[1:], strict=False):
        assert after.started >= before.ended - 0.005, (before, after)
        # Scrapy spaces requests when it sends them; the server sees them later by a connection set-up or a
        # busy loop, so a gap can look shorter by some tens of milliseconds. Two workers on the site at
        # once would show gaps near zero.
        assert after.started - before.started >= delay - slack, (before, after)


def _page_rows(rows, data_dir: Path) -> list[tuple]:
    found = rows(
        data_dir,
        "select initiative_id, url, http_status, content_hash, change, title, language "
        "from pages order by 1, 2",
    )
    return [(r["initiative_id"], urlsplit(r["url"]).path, *list(r.values())[2:]) for r in found]


def test_two_workers_crawl_every_page_once_politely_and_the_rows_equal_a_single_process_crawl(
    tmp_path, data_dir, serve, add_initiatives, fx, rows, redis_server
):
    servers = {code: serve(fx.multilingual_site(code)) for code in ("en", "de", "ru")}
    servers["reports"] = serve(_reports(fx, 6))
    websites = {code: [server.base + "/"] for code, server in servers.items()}
    add_initiatives(data_dir, websites)

    queued = distributed.enqueue(
        data_dir, redis_server.url, allow_local=True, max_pages=8, settings=_settings(fx)
    )
    assert queued["published"] == 4
    workers = [_worker(redis_server.url) for _ in range(2)]
    collector = _collector(redis_server.url, data_dir)
    code, out, err = _finish(collector)
    assert code == 0, err
    assert "crawl run 1: 4 sites (fetched 4)" in out
    crawled = []
    for worker in workers:
        code, out, err = _finish(worker)
        assert code == 0, err
        crawled.append(int(out.split("crawl-worker: ")[1].split()[0]))
    assert sum(crawled) == 4 and all(crawled), crawled  # both workers took sites

    assert rows(data_dir, "select status from runs") == [{"status": "completed"}]
    distributed_rows = _page_rows(rows, data_dir)
    assert len({(r[0], r[1]) for r in distributed_rows}) == len(distributed_rows)
    for server in servers.values():
        _assert_polite(server)
        paths = [h.path for h in server.hits if h.path != "/robots.txt"]
        assert len(paths) == len(set(paths))  # every page fetched once

    # The same sites crawled in one process give the same rows.
    single = tmp_path / "single"
    single.mkdir()
    db_module = __import__("db")
    db_module.init(single)
    add_initiatives(single, websites)
    crawlers.crawl(single, allow_local=True, max_pages=8, settings=fx.FAST)
    assert _page_rows(rows, single) == distributed_rows
    assert rows(single, "select initiative_id, outcome, pages from sites order by 1") == rows(
        data_dir, "select initiative_id, outcome, pages from sites order by 1"
    )
    # The collector forgot the completed run on Redis.
    client = distributed.connect(redis_server.url)
    assert not list(client.scan_iter(match="cahub:crawl:1:*"))


def test_a_worker_killed_mid_site_loses_nothing_and_another_worker_finishes_the_site(
    data_dir, serve, add_initiatives, fx, rows, redis_server
):
    pages = 12
    site = serve(_reports(fx, pages))
    add_initiatives(data_dir, {"reports": [site.base + "/"]})
    distributed.enqueue(data_dir, redis_server.url, allow_local=True, settings=_settings(fx))
    first = _worker(redis_server.url)
    deadline = time.monotonic() + 30
    while len([h for h in site.hits if h.path.startswith("/report-")]) < 4:
        assert time.monotonic() < deadline and first.poll() is None, "the first worker did not start crawling"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = len(site.hits)

    second = _worker(redis_server.url)
    collector = _collector(redis_server.url, data_dir)
    code, out, err = _finish(collector)
    assert code == 0, err
    code, out, err = _finish(second)
    assert code == 0 and "1 sites crawled" in out, err

    stored = rows(data_dir, "select url from pages")
    paths = [urlsplit(r["url"]).path for r in stored]
    assert sorted(paths) == sorted(["/", *(f"/report-{n}" for n in range(pages))])  # nothing lost or twice
    assert rows(data_dir, "select outcome, pages from sites") == [{"outcome": "fetched", "pages": pages + 1}]
    refetched = [h.path for h in site.hits[killed_at:] if h.path in {h.path for h in site.hits[:killed_at]}]
    assert len([p for p in refetched if p != "/robots.txt"]) <= 1  # at most the page in flight at the kill
    _assert_polite(site)


def _workers_connected(url: str) -> int:
    client = distributed.connect(url)
    return len([c for c in client.client_list() if c.get("name", "").startswith("cahub-worker:")])


def test_a_site_taken_over_after_a_kill_still_waits_its_delay_even_when_the_lease_is_shorter(
    data_dir, serve, add_initiatives, fx, rows, redis_server
):
    delay, lease = 4.0, 1.0
    site = serve(_reports(fx, 1))
    add_initiatives(data_dir, {"reports": [site.base + "/"]})
    distributed.enqueue(
        data_dir, redis_server.url, allow_local=True, settings={**fx.FAST, "DOWNLOAD_DELAY": delay}
    )
    first = _worker(redis_server.url, lease=lease)
    deadline = time.monotonic() + 30
    while not any(h.path == "/" for h in site.hits):
        assert time.monotonic() < deadline and first.poll() is None, "the first worker did not start crawling"
        time.sleep(0.02)
    second = _worker(redis_server.url, lease=lease)  # ready to take over as soon as the lease expires
    while _workers_connected(redis_server.url) < 2:
        assert time.monotonic() < deadline and second.poll() is None, "the second worker did not start"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_at = len(site.hits)
    collector = _collector(redis_server.url, data_dir)
    assert _finish(collector)[0] == 0
    code, out, err = _finish(second)
    assert code == 0 and "1 sites crawled" in out, err
    assert len(site.hits) > killed_at  # the second worker did crawl the site
    # Without the wait, the take-over's first request would come when the lease expired and a crawler
    # started, about 3.5 s after the last one.
    _assert_polite(site, delay, slack=0.1)
    assert rows(data_dir, "select outcome, pages from sites") == [{"outcome": "fetched", "pages": 2}]


def test_redis_going_away_stops_the_run_with_a_clear_error_and_the_run_resumes(
    data_dir, serve, add_initiatives, fx, rows, redis_server
):
    pages = 12
    site = serve(_reports(fx, pages))
    other = serve(fx.multilingual_site("es"))
    add_initiatives(data_dir, {"reports": [site.base + "/"], "obras": [other.base + "/"]})
    distributed.enqueue(data_dir, redis_server.url, allow_local=True, settings=_settings(fx))
    worker = _worker(redis_server.url, sites=2)
    collector = _collector(redis_server.url, data_dir)
    deadline = time.monotonic() + 30
    while len([h for h in site.hits if h.path.startswith("/report-")]) < 3:
        assert time.monotonic() < deadline, "the crawl did not start"
        time.sleep(0.05)
    redis_server.stop()

    code, out, err = _finish(collector)
    assert code == 1
    assert f"Redis at {redis_server.url} went away" in err
    assert "--collect --resume 1" in err
    code, out, err = _finish(worker)
    assert code == 1 and f"Redis at {redis_server.url} went away" in err
    assert rows(data_dir, "select status from runs") == [{"status": "interrupted"}]
    before = {r["url"] for r in rows(data_dir, "select url from pages")}

    redis_server.start()  # empty: the queue was lost with the server
    queued = distributed.enqueue(data_dir, redis_server.url, resume_run=1)  # the unfinished sites again
    assert queued["published"] >= 1
    collector = _collector(redis_server.url, data_dir, "--resume", "1")
    worker = _worker(redis_server.url, sites=2)
    code, out, err = _finish(collector)
    assert code == 0, err
    assert _finish(worker)[0] == 0
    assert rows(data_dir, "select status from runs") == [{"status": "completed"}]
    stored = [r["url"] for r in rows(data_dir, "select url from pages where initiative_id = 'reports'")]
    assert sorted(urlsplit(u).path for u in stored) == sorted(["/", *(f"/report-{n}" for n in range(pages))])
    assert before <= {r["url"] for r in rows(data_dir, "select url from pages")}
    assert {r["outcome"] for r in rows(data_dir, "select outcome from sites")} == {"fetched"}
