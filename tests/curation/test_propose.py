"""propose: findings vs hub records -> one proposal per real change; re-crawls update, supersede or
respect decisions."""

from __future__ import annotations

import json

import curation
import db

from .conftest import eval_page


def _proposals(data_dir, initiative=None):
    rows = (
        db.open_staging(data_dir)
        .execute(
            "select id, initiative_id, field, current_value, proposed_value, evidence, status, run_id, first_run_id"  # noqa: E501
            " from proposals order by id"
        )
        .fetchall()
    )
    keys = (
        "id",
        "initiative_id",
        "field",
        "current",
        "proposed",
        "evidence",
        "status",
        "run_id",
        "first_run_id",
    )
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for p in out:
        p["current"], p["proposed"] = json.loads(p["current"] or "null"), json.loads(p["proposed"])
    return [p for p in out if initiative is None or p["initiative_id"] == initiative]


def _crawl_and_extract(data_dir, crawl, initiative, url, body):
    run = crawl.run()
    crawl.site(run, initiative, url)
    crawl.page(run, initiative, url, body)
    curation.extract_run(data_dir, run)
    return run


def test_only_real_changes_are_proposed(hub_data_dir, crawl):
    run = _crawl_and_extract(
        hub_data_dir,
        crawl,
        "pacto-obras-limpias",
        "https://obras-limpias.example/",
        eval_page("es-obras", "index.html"),
    )
    summary = curation.propose(hub_data_dir)
    assert summary["run"] == run
    by_field = {p["field"]: p for p in _proposals(hub_data_dir)}
    # the hub already says CO, national, active, 2016, the same facilitator: nothing to review there
    for same in (
        "countries",
        "host_country",
        "start_year",
        "geographic_scope",
        "status",
        "facilitator",
        "facilitator_type",
        "government_involvement",
    ):
        assert same not in by_field, same
    # the site's mission says more than the hub's: proposed, with the hub's text beside it
    assert by_field["mission"]["current"].startswith("Promover la integridad")
    assert by_field["mission"]["proposed"].endswith("no a intermediarios.")
    # public procurement is new next to construction: a change, with the hub value beside it
    industries = by_field["industries"]
    assert industries["current"] == ["construction"]
    assert set(industries["proposed"]) == {"construction", "public_procurement"}
    assert json.loads(industries["evidence"])[0]["url"] == "https://obras-limpias.example/"
    assert summary["new"] == len(by_field)


def test_filling_an_empty_field_is_a_proposal(hub_data_dir, crawl):
    _crawl_and_extract(
        hub_data_dir,
        crawl,
        "rede-saude-integra",
        "https://saude-integra.example/",
        eval_page("pt-saude", "index.html"),
    )
    curation.propose(hub_data_dir)
    mission = next(p for p in _proposals(hub_data_dir) if p["field"] == "mission")
    assert mission["current"] is None
    assert mission["proposed"].startswith("Estabelecer padrões de integridade")


def test_recrawl_updates_supersedes_and_respects_rejections(hub_data_dir, crawl):
    url = "https://etica-appalti.example/"
    body = eval_page("it-appalti", "index.html")
    first = _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, body)
    curation.propose(hub_data_dir)
    before = _proposals(hub_data_dir)
    assert before and all(p["status"] == "pending" for p in before)

    second = _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, body)
    summary = curation.propose(hub_data_dir)
    after = _proposals(hub_data_dir)
    assert summary["new"] == 0 and summary["updated"] == len(before)
    assert [(p["id"], p["status"], p["run_id"], p["first_run_id"]) for p in after] == [
        (p["id"], "pending", second, first) for p in before
    ]

    contact = next(p for p in after if p["field"] == "contact")
    staging = db.open_staging(hub_data_dir)
    staging["proposals"].update(contact["id"], {"status": "rejected"})
    changed = body.replace(b"segreteria@etica-appalti.example", b"info@etica-appalti.example").replace(
        b"Organizziamo corsi di formazione", b"Organizziamo seminari"
    )
    _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, body)
    summary = curation.propose(hub_data_dir)
    assert summary["kept_decided"] >= 1  # same value, same evidence: the rejection stands
    assert [p["status"] for p in _proposals(hub_data_dir) if p["field"] == "contact"] == ["rejected"]

    _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, changed)
    summary = curation.propose(hub_data_dir)
    contacts = [p for p in _proposals(hub_data_dir) if p["field"] == "contact"]
    assert [(p["status"], p["proposed"]) for p in contacts] == [
        ("rejected", "segreteria@etica-appalti.example"),
        ("pending", "info@etica-appalti.example"),
    ]
    activities = [p for p in _proposals(hub_data_dir) if p["field"] == "activities"]
    assert [p["status"] for p in activities] == ["superseded", "pending"]
    assert activities[-1]["proposed"].startswith("Organizziamo seminari")
    assert summary["superseded"] >= 1


def test_unreachable_site_never_proposes_to_clear_fields(hub_data_dir, crawl):
    run = crawl.run()
    crawl.site(run, "alliance-portuaire", "https://alliance-portuaire.example/", "dns_failure", "NXDOMAIN")
    curation.extract_run(hub_data_dir, run)
    summary = curation.propose(hub_data_dir, run)
    assert summary["new"] == 0
    assert _proposals(hub_data_dir) == []


def test_a_published_edit_is_not_undone_by_the_next_crawl(hub_data_dir, crawl):
    """A curator approved an edited value and published it: the site's wording must not come back each run."""
    url = "https://etica-appalti.example/"
    body = eval_page("it-appalti", "index.html")
    _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, body)
    curation.propose(hub_data_dir)
    staging = db.open_staging(hub_data_dir)
    activities = next(p for p in _proposals(hub_data_dir) if p["field"] == "activities")
    staging["proposals"].update(
        activities["id"], {"status": "published", "approved_value": '"Corsi e master."'}
    )
    _crawl_and_extract(hub_data_dir, crawl, "etica-appalti", url, body)
    summary = curation.propose(hub_data_dir)
    assert summary["kept_decided"] >= 1
    assert [p["status"] for p in _proposals(hub_data_dir) if p["field"] == "activities"] == ["published"]
