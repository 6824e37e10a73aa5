"""Fixtures for crawl tests: loopback HTTP servers serving fixture sites, and initiatives pointing there."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import db
from db import hub


def _load(name: str) -> ModuleType:
    # Tests run with --import-mode=importlib, so sibling helper modules are loaded by path.
    spec = importlib.util.spec_from_file_location(
        f"cahub_tests_crawlers_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fixture_sites = _load("fixture_sites")
Route = fixture_sites.Route
FAST = fixture_sites.FAST


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
        records = [
            {"id": iid, "name": f"Initiative {iid}", "website": urls} for iid, urls in websites.items()
        ]
        hub.import_records(db.open_hub(data_dir), records)

    return add


@pytest.fixture
def fx() -> ModuleType:
    """The fixture sites module (sites in seven languages, a PDF maker, Route)."""
    return fixture_sites


@pytest.fixture
def rows() -> Callable[..., list[dict[str, Any]]]:
    """Run a query on a data folder's staging.db and return the rows as dicts."""

    def query(data_dir: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        database = db.open_staging(data_dir)
        try:
            cursor = database.execute(sql, params or [])
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            database.close()

    return query
