"""Hub statistics on the fixture's eight records: each share below is counted by hand from conftest.py."""

from __future__ import annotations

import csv
from pathlib import Path

from curation.reports import stats_report


def table(folder: Path, name: str) -> dict[str, tuple[str, str]]:
    with (folder / f"hub-stats-{name}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return {r[0]: (r[1], r[2]) for r in rows}


def test_hub_statistics(report_data_dir: Path, tmp_path: Path) -> None:
    paths = stats_report(report_data_dir, fmt="all", out_dir=tmp_path)
    assert {p.name for p in paths} >= {"hub-stats.html", "hub-stats.md", "hub-stats-industry_reach.csv"}
    # patto, chestnaya, open-ledger are multi-industry; the five others name sectors
    assert table(tmp_path, "industry_reach") == {
        "Single industries": ("5", "62.5"),
        "Multi-industry": ("3", "37.5"),
    }
    assert table(tmp_path, "single_industries") == {
        "Construction": ("2", "40.0"),
        "Health": ("1", "20.0"),
        "Pharmaceuticals": ("1", "20.0"),
        "Water": ("1", "20.0"),
        "Water transport": ("1", "20.0"),
    }
    facilitators = table(tmp_path, "facilitators")
    assert facilitators["Civil society organisation"] == ("3", "37.5")
    assert facilitators["Business association"] == ("2", "25.0")
    assert facilitators["Government agency"] == ("0", "0.0")  # every category shown, even when empty
    assert table(tmp_path, "geographic_scope") == {
        "National": ("5", "62.5"),
        "Multi-country": ("2", "25.0"),
        "Global": ("1", "12.5"),
    }
    assert table(tmp_path, "mission_focus") == {
        "Influence industry": ("4", "50.0"),
        "Influence broader business environment": ("3", "37.5"),
        "Influence company behaviour": ("1", "12.5"),
    }
    assert table(tmp_path, "stakeholder_composition") == {
        "Private sector • Public sector • Civil society": ("3", "37.5"),
        "Private sector • Civil society": ("2", "25.0"),
        "Private sector": ("1", "12.5"),
        "Private sector • Public sector": ("1", "12.5"),
        "Private sector • Public sector • Academia": ("1", "12.5"),
    }
    md = (tmp_path / "hub-stats.md").read_text(encoding="utf-8")
    assert "| Private sector • Civil society | 2 | 25.0 |" in md
    page = (tmp_path / "hub-stats.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 8 and "<script>" not in page


def test_cli_stats(report_data_dir: Path, tmp_path: Path, run_cli) -> None:
    result = run_cli("report", "stats", "--out", tmp_path / "s", "--data-dir", report_data_dir)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "hub-stats.html").exists() and not (tmp_path / "s" / "hub-stats.md").exists()
