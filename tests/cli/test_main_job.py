"""The README's main job end to end: the demo on the bundled examples, then a scheduled run with every site down."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database


def cahub(*args: str | Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cahub", *map(str, args)], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("demo") / "data"
    return folder, cahub("demo", "--no-serve", "--data-dir", folder)


def test_demo_runs_the_whole_pipeline_and_says_where_everything_is(demo_dir) -> None:
    folder, result = demo_dir
    assert result.returncode == 0, result.stderr
    for step in (
        "imported the example hub",
        "crawling",
        "extracting",
        "proposing",
        "writing the transparency-gap",
    ):
        assert step in result.stderr
    assert "sites 11/11" in result.stderr
    assert "http://127.0.0.1:8001/-/review" in result.stdout
    assert "demo / demo-password" in result.stdout
    assert (folder / "reports" / "gap-report.html").exists()
    hub = Database(folder / "hub.db")
    assert hub["initiatives"].count == 11


def test_demo_records_each_deliberate_site_outcome(demo_dir) -> None:
    folder, _ = demo_dir
    staging = Database(folder / "staging.db")
    outcomes = {
        r["initiative_id"]: r["outcome"] for r in staging.query("select initiative_id, outcome from sites")
    }
    assert outcomes["lakes-corridor-trade-forum"] == "robots_blocked"
    assert outcomes["observatorio-contratos-lusofonos"] == "unreachable"
    assert sum(1 for o in outcomes.values() if o == "fetched") == 9
    pdfs = list(staging.query("select url from pages where content_type like 'application/pdf%'"))
    assert any(p["url"].endswith("charter.pdf") for p in pdfs)


def test_failed_sites_give_no_gaps_and_no_proposals(demo_dir) -> None:
    folder, _ = demo_dir
    staging = Database(folder / "staging.db")
    failed = ("lakes-corridor-trade-forum", "observatorio-contratos-lusofonos")
    for initiative in failed:
        assert staging["gaps"].count_where("initiative_id = ?", [initiative]) == 0
        assert staging["proposals"].count_where("initiative_id = ?", [initiative]) == 0
    fields = {
        r["field"] for r in staging.query("select field from findings where initiative_id in (?, ?)", failed)
    }
    assert fields == {"site_blocked", "site_unreachable"}
    assert staging["proposals"].count > 0 and staging["gaps"].count > 0


def test_a_scheduled_run_with_every_site_down_proposes_nothing(demo_dir) -> None:
    """The demo's servers are gone now: a real `cahub run` finds every site unreachable, and stays quiet."""
    folder, _ = demo_dir
    staging = Database(folder / "staging.db")
    before = staging["proposals"].count
    result = cahub("run", "--allow-local", "--data-dir", folder)
    assert result.returncode == 0, result.stderr
    assert "11 sites crawled, 10 failed" in result.stdout or "11 sites crawled, 11 failed" in result.stdout
    run = next(staging.query("select * from runs where kind = 'run' order by id desc limit 1"))
    summary = json.loads(run["summary"])
    assert run["status"] == "completed" and summary["new_proposals"] == 0 and summary["gaps"] == 0
    assert staging["proposals"].count == before
