"""An interrupted crawl (killed, or Ctrl-C) resumes with `cahub crawl --resume RUN`, losing and duplicating
nothing; and the command line prints progress and a summary."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import crawlers
import crawlers.run
import db

PAGES = 10


def _site(fx):
    Route = fx.Route
    links = "".join(f'<li><a href="/report-{n}">Annual report {n}</a></li>' for n in range(PAGES))
    routes = {"/": Route(fx.page("Reports", f"<p>Our yearly reports.</p><ul>{links}</ul>"))}
    for n in range(PAGES):
        routes[f"/report-{n}"] = Route(
            fx.page(f"Report {n}", f"<p>In year {n} we audited {n + 3} tenders.</p>"), delay=0.05
        )
    return routes


def _start_cli(data_dir: Path) -> subprocess.Popen[str]:
    # The default, polite settings (one second between requests) make the crawl slow enough to interrupt.
    code = "from cahub.cli import cli; cli()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "crawl", "--allow-local", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_pages(data_dir: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        conn = sqlite3.connect(data_dir / "staging.db", timeout=10)
        try:
            stored = conn.execute("select count(*) from pages").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        finally:
            conn.close()
        if stored >= count:
            return
        time.sleep(0.1)
    raise AssertionError("the crawl stored no pages in time")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_crawl_resumes_without_losing_or_duplicating_pages(
    stop, data_dir, serve, add_initiatives, fx, rows
):
    site = serve(_site(fx))
    other = serve(fx.multilingual_site("pt"))
    add_initiatives(data_dir, {"reports": [site.base + "/"], "saude": [other.base + "/"]})
    process = _start_cli(data_dir)
    _wait_for_pages(data_dir, 3, process)
    process.send_signal(stop)
    out, err = process.communicate(timeout=30)
    (run,) = rows(data_dir, "select id, status from runs")
    if stop in (signal.SIGINT, signal.SIGTERM):
        assert process.returncode == 130, err
        assert run["status"] == "interrupted"
        assert f"--resume {run['id']}" in err
    else:
        assert run["status"] == "running"
    before = {p["url"] for p in rows(data_dir, "select url from pages")}
    assert 3 <= len(before) < PAGES + 1 + 6
    hits_before = len(site.hits)

    summary = crawlers.crawl(data_dir, resume_run=run["id"], settings=fx.FAST)

    assert summary["run_id"] == run["id"]
    pages = rows(data_dir, "select initiative_id, url from pages")
    assert len(pages) == len({(p["initiative_id"], p["url"]) for p in pages})  # nothing twice
    reports = {urlsplit(p["url"]).path for p in pages if p["initiative_id"] == "reports"}
    assert reports == {"/", *(f"/report-{n}" for n in range(PAGES))}  # nothing lost
    refetched = [h.path for h in site.hits[hits_before:] if h.path != "/robots.txt"]
    assert not {urlsplit(u).path for u in before if u.startswith(site.base)} & set(refetched)
    assert rows(data_dir, "select status from runs")[0]["status"] == "completed"
    assert {s["outcome"] for s in rows(data_dir, "select outcome from sites")} == {"fetched"}


def test_resume_refuses_a_completed_run_and_unknown_initiatives_are_errors(
    data_dir, run_cli, add_initiatives
):
    add_initiatives(data_dir, {"empty": []})
    result = run_cli("crawl", "--initiative", "nope", "--data-dir", data_dir)
    assert result.exit_code == 1 and "no such initiative: nope" in result.output
    result = run_cli("crawl", "--data-dir", data_dir)
    assert result.exit_code == 0
    run_id = rows_run = result.output.split("crawl run ")[1].split(":")[0]
    assert rows_run.isdigit()
    result = run_cli("crawl", "--resume", run_id, "--data-dir", data_dir)
    assert result.exit_code == 1 and "already completed" in result.output


def test_cli_prints_progress_and_a_summary(data_dir, run_cli, serve, add_initiatives, fx):
    site = serve(fx.multilingual_site("es"))
    add_initiatives(data_dir, {"obras": [site.base + "/"], "other": ["http://127.0.0.1:9/"]})
    result = run_cli(
        "crawl", "--initiative", "obras", "--max-pages", "3", "--allow-local", "--data-dir", data_dir
    )
    assert result.exit_code == 0, result.output
    assert "sites 1/1" in result.output and "pages 3" in result.output
    assert "crawl run 1: 1 sites (fetched 1), 3 pages (new 3)" in result.output
    assert len([h for h in site.hits if h.path != "/robots.txt"]) == 3


def test_a_page_that_cannot_be_stored_stops_the_crawl_resumably_instead_of_being_lost(
    data_dir, serve, add_initiatives, fx, rows
):
    site = serve(_site(fx))
    add_initiatives(data_dir, {"reports": [site.base + "/"]})
    staging = db.open_staging(data_dir)
    staging.execute(
        "create trigger refuse_report before insert on pages when new.url like '%/report-3' "
        "begin select raise(abort, 'disk trouble'); end"
    )
    staging.close()
    with pytest.raises(crawlers.run.CrawlError, match="storage_error.*--resume 1"):
        crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    assert rows(data_dir, "select status from runs") == [{"status": "interrupted"}]
    assert rows(data_dir, "select outcome from sites") == [{"outcome": "pending"}]

    staging = db.open_staging(data_dir)
    staging.execute("drop trigger refuse_report")
    staging.close()
    summary = crawlers.crawl(data_dir, resume_run=1, settings=fx.FAST)
    assert summary["outcomes"] == {"fetched": 1} and summary["pages"] == PAGES + 1


def test_resume_refuses_a_run_whose_crawl_process_is_still_alive(data_dir, add_initiatives):
    from db import crawl_store

    add_initiatives(data_dir, {"empty": []})
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        staging = db.open_staging(data_dir)
        run_id = crawl_store.start_crawl(staging, {"max_pages": 40, "allow_local": False, "pid": alive.pid})
        staging.close()
        with pytest.raises(crawlers.run.CrawlError, match=f"still running \\(process {alive.pid}\\)"):
            crawlers.crawl(data_dir, resume_run=run_id)
    finally:
        alive.kill()
        alive.wait()
    summary = crawlers.crawl(data_dir, resume_run=run_id)  # the process is gone: now it can be resumed
    assert summary["run_id"] == run_id
