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
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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


DEMO_CURATOR = ("demo", "demo-password")
# The example sites are on this machine: a short delay keeps the demo quick and still exercises politeness.
DEMO_CRAWL_SETTINGS = {
    "DOWNLOAD_DELAY": 0.1,
    "AUTOTHROTTLE_START_DELAY": 0.1,
    "DOWNLOAD_TIMEOUT": 10,
    "RETRY_TIMES": 1,
}


def run_demo(
    data_dir: Path,
    *,
    progress: Callable[[str], None] | None = None,
    crawl_progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Import the example hub, crawl its sites on loopback, extract, propose and write the reports.

    Returns the cycle's summary plus where the reports are and the demo curator account; serving the
    review UI is left to the caller so tests can run the whole job without leaving a server behind.
    """
    import db
    from db import hub, records
    from review_ui import accounts

    from . import pipeline

    say = progress or (lambda message: None)
    say(f"setting up the databases in {data_dir}")
    db.init(data_dir)
    with pipeline.run_lock(data_dir), serve_sites(EXAMPLES / "sites") as bases:
        say(
            f"serving {len(bases)} example websites on 127.0.0.{FIRST_ADDRESS}-{FIRST_ADDRESS + len(bases) - 1}"
        )
        hub_file = Path(data_dir) / "demo_hub.csv"
        hub_file.write_text(
            localise_hub_file(EXAMPLES / "demo_hub.csv", bases, closed_port_url()), encoding="utf-8"
        )
        imported = hub.import_records(db.open_hub(data_dir), records.load(hub_file), update=True)
        say(
            f"imported the example hub: {len(imported.created)} created, {len(imported.updated)} updated, "
            f"{len(imported.unchanged)} unchanged"
        )
        summary = pipeline.run_cycle(
            data_dir,
            allow_local=True,
            crawl_settings=DEMO_CRAWL_SETTINGS,
            progress=progress,
            crawl_progress=crawl_progress,
        )
    from curation.reports import stats_report

    say("writing the hub statistics")
    summary["reports"] = summary.get("reports", []) + [str(p) for p in stats_report(data_dir, fmt="html")]
    name, password = DEMO_CURATOR
    accounts.add(data_dir, name, password, role="publisher")
    summary["curator"] = {"name": name, "password": password, "role": "publisher"}
    return summary
