"""Fixtures for crawl tests: loopback HTTP servers serving fixture sites, and initiatives that point at them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import db
from db import hub

# Fast politeness for tests: the crawl's own logic (slots, robots, budget) is unchanged.
FAST = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_BACKOFF_BASE": 0.05,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
}


@dataclass
class Route:
    """One resource of a fixture site."""

    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: float | None = None  # a POSIX time
    delay: float = 0.0

    def raw(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], routes: dict[str, Route | Callable[[], Route]]):
        super().__init__(address, Handler)
        self.routes = routes
        self.hits: list[Hit] = []
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def paths(self) -> list[str]:
        return [h.path for h in self.hits]


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the default stderr log
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        with self.server.lock:
            self.server.hits.append(hit)
            self.server.active += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
        try:
            self._answer(hit)
        finally:
            with self.server.lock:
                self.server.active -= 1
            hit.ended = time.monotonic()

    def _answer(self, hit: Hit) -> None:
        route = self.server.routes.get(self.path)
        if callable(route):
            route = route()
        if route is None:
            route = Route("<html><body><p>Not found</p></body></html>", status=404)
        if route.delay:
            time.sleep(route.delay)
        status, body = route.status, route.raw()
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
            if hit.headers.get("if-none-match") == route.etag:
                status, body = 304, b""
        if route.last_modified is not None:
            headers["Last-Modified"] = formatdate(route.last_modified, usegmt=True)
        self.send_response(status)
        if route.content_type and status != 304:
            self.send_header("Content-Type", route.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def serve() -> Iterator[Callable[..., FixtureServer]]:
    """Start a fixture site on a loopback address (127.0.0.1 unless told) and a free port."""
    servers: list[FixtureServer] = []

    def start(routes: dict[str, Any], host: str = "127.0.0.1") -> FixtureServer:
        server = FixtureServer((host, 0), routes)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def add_initiatives() -> Callable[[Path, dict[str, list[str]]], None]:
    """Put initiatives with the given websites (id -> URLs) into a data folder's hub."""

    def add(data_dir: Path, websites: dict[str, list[str]]) -> None:
        records = [{"id": iid, "name": f"Initiative {iid}", "website": urls} for iid, urls in websites.items()]
        hub.import_records(db.open_hub(data_dir), records)

    return add


def staging_rows(data_dir: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    database = db.open_staging(data_dir)
    try:
        cursor = database.execute(sql, params or [])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        database.close()
