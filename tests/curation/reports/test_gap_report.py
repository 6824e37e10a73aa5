"""The transparency-gap report on the known fixture: every figure is counted by hand from conftest.py."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import db
from curation.reports import gap_report


def read_csv(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"gap-report-{table}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def by_first(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {next(iter(r.values())): r for r in rows}


@pytest.fixture
def csv_dir(report_data_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    gap_report(report_data_dir, fmt="csv", out_dir=out)
    return out


def test_summary_counts_only_the_latest_successful_crawl(csv_dir: Path) -> None:
    summary = {r["Measure"]: r["Value"] for r in read_csv(csv_dir, "summary")}
    assert summary["Initiatives in the hub"] == "8"
    # pacto-agua, rede, ports, patto, chestnaya, open-ledger (integritaet-bau down, kenya-health uncrawled)
    assert summary["Initiatives evaluated (latest successful crawl)"] == "6"
    assert summary["Sites that could not be read (listed apart, not counted)"] == "1"
    assert summary["Initiatives not crawled or not yet evaluated"] == "1"
    assert summary["Initiatives with at least one gap"] == "5"  # all but coalition-ports
    assert summary["Initiatives stating a clear mission"] == "4"  # rede and chestnaya lack one
    assert summary["Share stating a clear mission (%)"] == "66.7"  # 4 / 6
    assert summary["Key facts missing"] == "9"  # 1 + 3 + 0 + 2 + 2 + 1 (run 1's and run 3's rows ignored)
    assert summary["Gap rate (%)"] == "25.0"  # 9 / (6 x 6)


def test_gaps_by_key_fact(csv_dir: Path) -> None:
    fields = by_first(read_csv(csv_dir, "fields"))
    expected = {  # key fact: not published (of 6), share
        "Mission": ("2", "33.3"),
        "Stakeholders or members": ("1", "16.7"),
        "Facilitator or governance": ("1", "16.7"),
        "Geographic scope": ("1", "16.7"),
        "Contact": ("2", "33.3"),
        "Sign of recent activity": ("2", "33.3"),
    }
    assert set(fields) == set(expected)
    for name, (missing, share) in expected.items():
        row = fields[name]
        assert (row["Initiatives evaluated"], row["Not published"], row["Not published (%)"]) == (
            "6",
            missing,
            share,
        )
        assert int(row["Published"]) == 6 - int(missing)


def test_aggregates_by_region_country_facilitator_type_and_language(csv_dir: Path) -> None:
    regions = by_first(read_csv(csv_dir, "region"))
    # Americas: pacto-agua (CO, 1 gap) + rede (BR, 3 gaps) -> 4 of 12 facts
    assert [
        regions["Americas"][k]
        for k in ("Initiatives", "With at least one gap", "Missing facts", "Gap rate (%)")
    ] == ["2", "2", "4", "33.3"]
    assert regions["Africa"]["Initiatives"] == "1" and regions["Africa"]["Gap rate (%)"] == "0.0"
    # chestnaya operates in RU (Europe) and KZ (Asia): counted once in each
    assert regions["Europe"]["Missing facts"] == "4" and regions["Asia"]["Missing facts"] == "2"
    assert regions["Global"]["Initiatives"] == "1" and regions["Global"]["Gap rate (%)"] == "16.7"
    assert "Germany" not in by_first(read_csv(csv_dir, "country"))  # the unreachable site is not counted
    subregions = by_first(read_csv(csv_dir, "subregion"))
    assert subregions["South America"]["Missing: Mission"] == "1"
    assert subregions["Central Asia"]["Initiatives"] == "1"
    countries = by_first(read_csv(csv_dir, "country"))
    assert countries["Brazil"]["Missing facts"] == "3" and countries["Kazakhstan"]["Missing: Contact"] == "1"
    assert countries["Côte d’Ivoire"]["Initiatives"] == "1"
    facilitators = by_first(read_csv(csv_dir, "facilitator_type"))
    # business associations: rede (3) + chestnaya (2) = 5 of 12
    assert facilitators["Business association"]["Missing facts"] == "5"
    assert facilitators["Business association"]["Gap rate (%)"] == "41.7"
    assert facilitators["Civil society organisation"]["Initiatives"] == "2"
    types = by_first(read_csv(csv_dir, "initiative_type"))
    assert types["Standard setting initiative"]["Missing facts"] == "4"  # rede 3 + open-ledger 1
    languages = by_first(read_csv(csv_dir, "language"))
    assert languages["Russian (ru)"]["Missing facts"] == "2"  # 2 ru pages beat 1 en page
    assert languages["English (en)"]["Initiatives"] == "1"  # open-ledger: no pages, the hub says en
    assert languages["French (fr)"]["Missing facts"] == "0"


def test_scorecards_link_to_where_a_fact_is_published_and_list_pages_checked(csv_dir: Path) -> None:
    rows = [r for r in read_csv(csv_dir, "scorecards") if r["ID"] == "pacto-agua"]
    assert len(rows) == 6
    facts = {r["Key fact"]: r for r in rows}
    assert facts["Mission"]["State"] == "published"
    assert facts["Mission"]["Where it is published"] == "https://pacto-agua.example/quienes-somos"
    assert facts["Stakeholders or members"]["Where it is published"] == "https://pacto-agua.example/miembros"
    assert facts["Contact"]["State"] == "not published"
    assert facts["Contact"]["Pages checked"].split() == [
        "https://pacto-agua.example/",
        "https://pacto-agua.example/about",
        "https://pacto-agua.example/contact",
    ]
    assert {r["Run"] for r in rows} == {"2"} and {r["Site language"] for r in rows} == {"es"}
    ids = {r["ID"] for r in read_csv(csv_dir, "scorecards")}
    assert "integritaet-bau" not in ids and "kenya-health" not in ids


def test_unreachable_sites_are_listed_apart(csv_dir: Path) -> None:
    unreachable = read_csv(csv_dir, "unreachable")
    assert [(r["ID"], r["Outcome"], r["Run"]) for r in unreachable] == [
        ("integritaet-bau", "dns_failure", "2")
    ]
    assert "not resolved" in unreachable[0]["Detail"]
    assert [(r["ID"], r["Outcome"]) for r in read_csv(csv_dir, "not_evaluated")] == [
        ("kenya-health", "not crawled")
    ]


def test_change_since_the_previous_report(report_data_dir: Path, tmp_path: Path, rows) -> None:
    first = tmp_path / "first"
    gap_report(report_data_dir, fmt="csv", out_dir=first)
    assert read_csv(first, "change") == []  # nothing to compare with yet
    gap_report(report_data_dir, fmt="csv", out_dir=first)  # same data again: still no previous report
    assert read_csv(first, "change") == []
    # A new completed crawl: rede now states its facilitator and shows activity; the ports' site is down.
    staging = db.open_staging(report_data_dir)
    rows.add_run(staging, 4, "completed")
    rows.add_site(staging, 4, "rede-transparencia", "fetched")
    rows.add_gaps(staging, 4, "rede-transparencia", ["mission"])
    rows.add_site(staging, 4, "coalition-ports", "timeout", "no answer in 30 s")
    staging.conn.close()
    second = tmp_path / "second"
    gap_report(report_data_dir, fmt="csv", out_dir=second)
    change = by_first(read_csv(second, "change"))
    assert (change["Initiatives evaluated"]["Previous"], change["Initiatives evaluated"]["Now"]) == ("6", "5")
    assert change["Sites unreachable"]["Change"] == "+1"
    assert (change["Gap rate (%)"]["Previous"], change["Gap rate (%)"]["Now"]) == ("25.0", "23.3")  # 7 / 30
    assert change["Missing: Sign of recent activity"]["Change"] == "-1"
    moved = read_csv(second, "change_initiatives")
    assert moved == [
        {
            "ID": "rede-transparencia",
            "Gaps closed": "Facilitator or governance, Sign of recent activity",
            "New gaps": "",
        }
    ]
    unreachable = {r["ID"]: r for r in read_csv(second, "unreachable")}
    assert unreachable["coalition-ports"]["Outcome"] == "timeout"  # a newer failed crawl wins over run 2


def test_markdown_and_html_carry_the_same_numbers(report_data_dir: Path, tmp_path: Path) -> None:
    paths = gap_report(report_data_dir, fmt="all", out_dir=tmp_path)
    names = {p.name for p in paths}
    assert {"gap-report.html", "gap-report.md", "gap-report-fields.csv"} <= names
    md = (tmp_path / "gap-report.md").read_text(encoding="utf-8")
    assert "| Mission | 6 | 2 | 33.3 | 4 |" in md
    assert "| Gap rate (%) | 25.0 |" in md
    page = (tmp_path / "gap-report.html").read_text(encoding="utf-8")
    assert "<td>Mission</td>" in page and '<td class="num">33.3</td>' in page
    assert page.count("<svg") == 4  # key facts, regions, sub-regions, facilitator types


def test_scraped_and_hub_text_is_escaped(report_data_dir: Path, tmp_path: Path) -> None:
    gap_report(report_data_dir, fmt="all", out_dir=tmp_path)
    page = (tmp_path / "gap-report.html").read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "Open Ledger Alliance &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page  # a hostile evidence URL is shown, never linked
    md = (tmp_path / "gap-report.md").read_text(encoding="utf-8")
    assert "<script>" not in md and "](<javascript:" not in md


def test_bad_format_is_a_clear_error_and_writes_nothing(report_data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown report format 'pdf'"):
        gap_report(report_data_dir, fmt="pdf", out_dir=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_cli_writes_to_the_default_folder(report_data_dir: Path, run_cli) -> None:
    result = run_cli("report", "gaps", "--format", "md", "--data-dir", report_data_dir)
    assert result.exit_code == 0, result.output
    assert (report_data_dir / "reports" / "gap-report.md").exists()
    assert "wrote" in result.output and "gap-report.md" in result.output
    missing = run_cli("report", "gaps", "--data-dir", report_data_dir / "nowhere")
    assert missing.exit_code == 1 and "cahub init" in missing.output


def test_malformed_rows_do_not_stop_the_report(report_data_dir: Path, tmp_path: Path) -> None:
    staging = db.open_staging(report_data_dir)
    staging.execute("update gaps set pages_checked = 'not json [' where initiative_id = 'pacto-agua'")
    staging.execute("update findings set evidence = '{\"url\": 1}' where initiative_id = 'pacto-agua'")
    staging.conn.commit()
    staging.conn.close()
    gap_report(report_data_dir, fmt="csv", out_dir=tmp_path)
    facts = {r["Key fact"]: r for r in read_csv(tmp_path, "scorecards") if r["ID"] == "pacto-agua"}
    assert facts["Contact"]["State"] == "not published" and facts["Contact"]["Pages checked"] == ""
    assert facts["Mission"]["State"] == "published" and facts["Mission"]["Where it is published"] == ""
    summary = {r["Measure"]: r["Value"] for r in read_csv(tmp_path, "summary")}
    assert summary["Key facts missing"] == "9"  # the figures are unchanged
