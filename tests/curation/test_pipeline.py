"""extract_run: a crawl run's pages in staging.db -> findings and gaps; site failures are findings of
their own."""

from __future__ import annotations

import json

import pytest

import curation
import db
from curation.pipeline import NoCrawlRun

from .conftest import eval_page


def _rows(data_dir, sql, params=()):
    return [
        dict(zip([d[0] for d in c.description], r, strict=True))
        for c in [db.open_staging(data_dir).execute(sql, params)]
        for r in c.fetchall()
    ]


def test_fetched_site_gets_findings_and_gaps_with_pages_checked(data_dir, crawl):
    run = crawl.run()
    crawl.site(run, "pacto-obras-limpias", "https://obras-limpias.example/")
    crawl.page(
        run, "pacto-obras-limpias", "https://obras-limpias.example/", eval_page("es-obras", "index.html")
    )
    crawl.page(
        run,
        "pacto-obras-limpias",
        "https://obras-limpias.example/miembros",
        eval_page("es-obras", "miembros.html"),
    )
    crawl.site(run, "initiative-energie-sauber", "https://saubere-energie.example/")
    crawl.page(
        run,
        "initiative-energie-sauber",
        "https://saubere-energie.example/",
        eval_page("de-energie", "index.html"),
    )
    seen = []
    summary = curation.extract_run(
        data_dir, progress=lambda done, total, site: seen.append((done, total, site))
    )
    assert summary["crawl_run"] == run and summary["extracted"] == 2
    assert seen[-1][:2] == (2, 2)
    findings = {(r["initiative_id"], r["field"]): r for r in _rows(data_dir, "select * from findings")}
    mission = findings[("pacto-obras-limpias", "mission")]
    assert json.loads(mission["value"]).startswith("Promover la integridad")
    evidence = json.loads(mission["evidence"])
    assert evidence[0]["url"] == "https://obras-limpias.example/" and evidence[0]["language"] == "es"
    assert json.loads(findings[("pacto-obras-limpias", "countries")]["value"]) == ["CO"]
    gaps = _rows(data_dir, "select * from gaps where initiative_id = 'initiative-energie-sauber'")
    assert {g["gap"] for g in gaps} == {"activity"}  # last dated news is from May 2023
    assert json.loads(gaps[0]["pages_checked"]) == ["https://saubere-energie.example/"]
    assert not _rows(data_dir, "select * from gaps where initiative_id = 'pacto-obras-limpias'")


def test_unchanged_pages_are_read_through_same_as(data_dir, crawl):
    first = crawl.run()
    crawl.site(first, "etica-appalti", "https://etica-appalti.example/")
    original = crawl.page(
        first, "etica-appalti", "https://etica-appalti.example/", eval_page("it-appalti", "index.html")
    )
    second = crawl.run()
    crawl.site(second, "etica-appalti", "https://etica-appalti.example/")
    crawl.page(
        second, "etica-appalti", "https://etica-appalti.example/", None, same_as=original, change="unchanged"
    )
    crawl.page(second, "etica-appalti", "https://etica-appalti.example/old", None, change="gone")
    summary = curation.extract_run(data_dir, second)
    assert summary["pages"] == 1
    rows = _rows(data_dir, "select field, value from findings where run_id = ?", [second])
    values = {r["field"]: json.loads(r["value"]) for r in rows}
    assert values["mission"].startswith("Diffondere pratiche di integrità")
    assert values["facilitator_type"] == "academic_organisation"


@pytest.mark.parametrize(
    ("outcome", "field"),
    [
        ("unreachable", "site_unreachable"),
        ("timeout", "site_unreachable"),
        ("robots_blocked", "site_blocked"),
        ("parked", "site_unreachable"),
    ],
)
def test_failed_site_is_one_finding_and_no_gaps(data_dir, crawl, outcome, field):
    run = crawl.run()
    crawl.site(run, "chestny-biznes", "https://chestny-biznes.example/", outcome, "connection refused")
    curation.extract_run(data_dir, run)
    findings = _rows(data_dir, "select field, value, evidence from findings")
    assert [(f["field"], json.loads(f["value"])) for f in findings] == [(field, outcome)]
    assert json.loads(findings[0]["evidence"])[0]["url"] == "https://chestny-biznes.example/"
    assert _rows(data_dir, "select * from gaps") == []


def test_re_extracting_a_run_replaces_its_findings(data_dir, crawl):
    run = crawl.run()
    crawl.site(run, "etica-appalti", "https://etica-appalti.example/")
    crawl.page(run, "etica-appalti", "https://etica-appalti.example/", eval_page("it-appalti", "index.html"))
    curation.extract_run(data_dir, run)
    count = len(_rows(data_dir, "select id from findings"))
    curation.extract_run(data_dir, run)
    assert len(_rows(data_dir, "select id from findings")) == count
    kinds = [r["kind"] for r in _rows(data_dir, "select kind from runs where kind = 'extract'")]
    assert kinds == ["extract", "extract"]


def test_corrupt_stored_body_is_a_warning_not_a_crash(data_dir, crawl):
    run = crawl.run()
    crawl.site(run, "etica-appalti", "https://etica-appalti.example/")
    page_id = crawl.page(run, "etica-appalti", "https://etica-appalti.example/", b"<p>x</p>")
    crawl.db["pages"].update(page_id, {"body": b"not zlib at all"})
    summary = curation.extract_run(data_dir, run)
    assert summary["extracted"] == 1
    warnings = _rows(data_dir, "select message, url from warnings where stage = 'extract'")
    assert any("cannot be decompressed" in w["message"] for w in warnings)


def test_no_crawl_run_is_a_clear_error(data_dir):
    with pytest.raises(NoCrawlRun, match="no crawl run"):
        curation.extract_run(data_dir)
