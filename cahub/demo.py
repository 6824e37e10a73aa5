"""The main job on an embedded default: bundled example sites served on loopback, the whole pipeline, then review.

Each example site gets its own loopback address (127.0.0.N), so robots.txt, politeness and "same site" rules
apply per site exactly as on the real web, and nothing leaves the machine.
"""

from __future__ import annotations

import csv
import functools
import io
import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SITE_PLACEHOLDER = "http://SITE/"
DOWN_PLACEHOLDER = "http://SITE-DOWN/"
FIRST_ADDRESS = 20  # 127.0.0.20, 127.0.0.21, ...


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files with Last-Modified and If-Modified-Since (so re-crawls are conditional), no access log."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve_sites(sites_dir: Path) -> Iterator[dict[str, str]]:
    """Serve each folder of `sites_dir` as its own site; yield {folder name: base URL}."""
    bases: dict[str, str] = {}
    with ExitStack() as stack:
        for number, folder in enumerate(sorted(p for p in sites_dir.iterdir() if p.is_dir())):
            address = f"127.0.0.{FIRST_ADDRESS + number}"
            handler = functools.partial(_QuietHandler, directory=str(folder))
            server = ThreadingHTTPServer((address, 0), handler)
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, name=f"site-{folder.name}", daemon=True)
            thread.start()
            stack.callback(server.server_close)
            stack.callback(server.shutdown)
            bases[folder.name] = f"http://{address}:{server.server_address[1]}/"
        yield bases


def closed_port_url() -> str:
    """A loopback URL where nothing listens: the example of an unreachable site."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def localise_hub_file(source: Path, bases: dict[str, str], down_url: str) -> str:
    """The demo hub file with its placeholder websites pointed at the local servers."""
    text = source.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        urls = []
        for url in (row.get("website") or "").split(";"):
            url = url.strip()
            if url.startswith(SITE_PLACEHOLDER):
                site, _, rest = url.removeprefix(SITE_PLACEHOLDER).partition("/")
                if site in bases:
                    url = bases[site] + rest
                else:
                    url = down_url + site + "/"
            elif url.startswith(DOWN_PLACEHOLDER):
                url = down_url + url.removeprefix(DOWN_PLACEHOLDER)
            if url:
                urls.append(url)
        row["website"] = ";".join(urls)
        writer.writerow(row)
    return out.getvalue()
