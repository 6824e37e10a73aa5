"""The review UI in real headless Chromium against a live Datasette: what a curator does and sees."""

from __future__ import annotations

import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Any

import db
from db import hub
from db.values import decode_json

from .conftest import NEW_MISSION_ES, LiveServer, login

ROOT = Path(__file__).resolve().parents[2]


def proposal(live: LiveServer, pid: int) -> dict[str, Any]:
    return dict(db.open_staging(live.data_dir)["proposals"].get(pid))


def decisions(live: LiveServer, pid: int) -> list[dict[str, Any]]:
    return list(
        db.open_staging(live.data_dir)["decisions"].rows_where("proposal_id = ?", [pid], order_by="id")
    )


def hub_record(live: LiveServer, initiative_id: str) -> dict[str, Any]:
    return hub.get_initiative(db.open_hub(live.data_dir), initiative_id) or {}


def card(page: Any, pid: int) -> Any:
    return page.locator(f"article#p{pid}")


def queue_ids(page: Any) -> list[str]:
    return page.locator("tr.queue-row").evaluate_all("rows => rows.map(r => r.dataset.initiative)")


def test_login_then_the_queue_with_counts_and_filters(live: LiveServer, context: Any) -> None:
    page = context.new_page()
    assert page.goto(live.url + "/-/review").status == 403
    login(page, live, "alice")
    page.goto(live.url + "/")
    page.click("details.nav-menu summary")
    assert page.get_by_role("link", name="Review queue (8 pending)").is_visible()

    page.goto(live.url + "/-/review")
    assert sorted(queue_ids(page)) == sorted(
        [
            "pacto-obras-limpias",
            "rede-saude-integra",
            "alliance-portuaire",
            "chestny-biznes",
            "etica-appalti",
            "initiative-energie-sauber",
        ]
    )
    assert queue_ids(page)[0] == "pacto-obras-limpias"  # most changes first
    pacto = page.locator("tr[data-initiative=pacto-obras-limpias]")
    assert pacto.locator(".count-changes").inner_text() == "3"
    assert pacto.locator(".count-gaps").inner_text() == "1"
    assert page.locator("tr[data-initiative=rede-saude-integra] .count-gaps").inner_text() == "2"
    assert "Pacto Obras Limpias" in pacto.inner_text()

    page.select_option("select[name=language]", "pt")
    page.click(".review-filters button[type=submit]")
    assert queue_ids(page) == ["rede-saude-integra"]
    page.goto(live.url + "/-/review")
    page.select_option("select[name=country]", "IT")
    page.click(".review-filters button[type=submit]")
    assert queue_ids(page) == ["etica-appalti"]
    page.goto(live.url + "/-/review?run=8")
    assert sorted(queue_ids(page)) == ["alliance-portuaire", "chestny-biznes"]
    page.goto(live.url + "/-/review?field=mission&min_confidence=0.85")
    assert sorted(queue_ids(page)) == ["pacto-obras-limpias", "rede-saude-integra"]
    page.goto(live.url + "/-/review?initiative=saude")
    assert queue_ids(page) == ["rede-saude-integra"]
    page.goto(live.url + "/-/review?sort=confidence")
    assert queue_ids(page)[0] == "pacto-obras-limpias"  # holds the 0.92 proposal
    page.goto(live.url + "/-/review?language=xx")
    assert "Nothing to review with these filters" in page.inner_text("body")


def test_review_page_shows_diffs_evidence_and_gaps(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    page = context.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
    mission = card(page, proposal_ids["mission_es"])
    assert [t.strip() for t in mission.locator(".side.new ins").all_inner_texts()] == [
        "y la transparencia",
        "Colombia y Panamá.",
    ]
    assert mission.locator(".side.old del").all_inner_texts() == ["Colombia."]
    countries = card(page, proposal_ids["countries_es"])
    assert countries.locator(".side.new li.added").inner_text() == "PA · Panama"
    assert countries.locator(".side.old li.kept").inner_text() == "CO · Colombia"
    assert countries.locator(".list-summary").inner_text() == "added: PA · Panama"
    assert "0.81" in countries.inner_text()
    evidence = mission.locator(".evidence li").first
    assert evidence.locator(".lang").inner_text() == "es"
    assert "Promovemos la integridad" in evidence.locator("blockquote").inner_text()
    assert page.locator(".gaps").inner_text().count("Sign of recent activity") == 1
    evidence.locator("a.stored-copy").click()
    assert "Quiénes somos" in page.locator("pre.stored-text").inner_text()
    page.click("text=Show the raw source")
    raw = page.locator("pre.stored-text").inner_text()
    assert "<script>window.__xss = 'stored'</script>" in raw  # shown as text
    assert page.evaluate("window.__xss") is None


def test_approve_edit_reject_with_reason_and_bulk(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    page = context.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
    card(page, proposal_ids["mission_es"]).locator("button.approve").click()
    assert "approved" in page.locator(".message-info").inner_text()
    edit = card(page, proposal_ids["countries_es"])
    edit.locator("details.edit summary").click()
    edit.locator("textarea[name=value]").fill("CO\nPA\nec")
    edit.locator("button.save-approve").click()
    reject = card(page, proposal_ids["year_es"])
    reject.locator("form.reject-form input[name=reason]").fill("El sitio habla de 2016, no de 2015")
    reject.locator("button.reject").click()

    assert decode_json(proposal(live, proposal_ids["mission_es"])["approved_value"]) == NEW_MISSION_ES
    countries = proposal(live, proposal_ids["countries_es"])
    assert (countries["status"], decode_json(countries["approved_value"])) == ("approved", ["CO", "PA", "EC"])
    assert decisions(live, proposal_ids["countries_es"])[0]["decision"] == "edit"
    year = decisions(live, proposal_ids["year_es"])
    assert (year[0]["decision"], year[0]["reason"], year[0]["curator"]) == (
        "reject",
        "El sitio habla de 2016, no de 2015",
        "alice",
    )
    assert page.locator("article.proposal.open").count() == 0

    page.goto(live.url + "/-/review/initiative/rede-saude-integra")
    staging = db.open_staging(live.data_dir)  # staged after the page was shown: not approved blind
    later = staging["proposals"]
    later.insert(
        {
            "initiative_id": "rede-saude-integra",
            "field": "status",
            "current_value": '"active"',
            "proposed_value": '"inactive"',
            "evidence": "[]",
            "status": "pending",
            "confidence": 0.6,
        }
    )
    staging.conn.commit()
    page.click("button.approve-all")
    assert "1 proposals approved" in page.locator(".message-info").inner_text()
    assert proposal(live, proposal_ids["mission_pt"])["status"] == "approved"
    assert proposal(live, int(later.last_pk))["status"] == "pending"


def test_an_invalid_edit_is_refused_with_a_message(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    page = context.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
    edit = card(page, proposal_ids["countries_es"])
    edit.locator("details.edit summary").click()
    edit.locator("textarea[name=value]").fill("CO\nNarnia")
    edit.locator("button.save-approve").click()
    assert "not ISO 3166-1 alpha-2 codes: NARNIA" in page.locator(".message-error").inner_text()
    assert proposal(live, proposal_ids["countries_es"])["status"] == "pending"


def test_keyboard_approve_reject_next(live: LiveServer, context: Any, proposal_ids: dict[str, int]) -> None:
    page = context.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
    first = page.locator("article.proposal.open.current").get_attribute("data-proposal-id")
    page.keyboard.press("a")
    page.wait_for_selector(".message-info")
    assert proposal(live, int(first or 0))["status"] == "approved"
    page.keyboard.press("j")
    second = page.locator("article.proposal.open.current").get_attribute("data-proposal-id")
    page.keyboard.press("r")
    page.wait_for_selector(".message-info")
    assert proposal(live, int(second or 0))["status"] == "rejected"
    page.keyboard.press("n")
    page.wait_for_url("**/-/review/initiative/rede-saude-integra")


def test_publish_and_rollback_change_the_hub(
    live: LiveServer, browser: Any, proposal_ids: dict[str, int]
) -> None:
    curator = browser.new_context()
    page = curator.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
    page.click("button.approve-all")
    assert page.goto(live.url + "/-/review/publish").status == 403  # curators cannot publish
    curator.close()

    publisher = browser.new_context()
    page = publisher.new_page()
    login(page, live, "paula")
    page.goto(live.url + "/-/review/publish")
    assert page.locator(".approved-count").inner_text().startswith("3 approved")
    page.click("button.publish")
    assert "Published batch" in page.locator(".message-info").inner_text()
    record = hub_record(live, "pacto-obras-limpias")
    assert (record["mission"], record["countries"], record["start_year"]) == (
        NEW_MISSION_ES,
        ["CO", "PA"],
        2015,
    )
    batch = proposal(live, proposal_ids["mission_es"])["published_batch"]
    change = next(
        db.open_hub(live.data_dir)["changes"].rows_where("batch_id = ? and field = 'start_year'", [batch])
    )
    assert (change["curator"], change["publisher"], decode_json(change["old_value"])) == (
        "alice",
        "paula",
        2016,
    )

    page.goto(live.url + "/hub/initiatives/pacto-obras-limpias")
    page.locator("details.actions-menu-links summary, .page-action-menu summary").first.click()
    assert page.get_by_role("menuitem", name="Pending review").is_visible()
    page.get_by_role("menuitem", name="History of this initiative").click()
    assert page.locator("table.rows-and-columns tbody tr").count() >= 3

    page.goto(live.url + "/-/review/publish")
    page.locator(f"tr[data-batch='{batch}'] button.rollback").click()
    assert f"Batch {batch} rolled back" in page.locator(".message-info").inner_text()
    record = hub_record(live, "pacto-obras-limpias")
    assert (record["countries"], record["start_year"]) == (["CO"], 2016)
    assert record["mission"].startswith("Promover la integridad en la contratación")
    assert f"rolled back by {batch + 1}" in page.locator(f"tr[data-batch='{batch}']").inner_text()
    publisher.close()


def test_anonymous_visitors_browse_the_hub_but_nothing_else(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    page = context.new_page()
    assert page.goto(live.url + "/hub/initiatives").status == 200
    assert "Pacto Obras Limpias" in page.inner_text("body")
    for path in (
        "/staging",
        "/staging/proposals",
        "/-/review",
        "/-/review/initiative/pacto-obras-limpias",
        "/-/review/page/1",
        "/-/review/publish",
    ):
        assert page.goto(live.url + path).status == 403, path
    page.goto(live.url + "/hub/initiatives")
    status = page.evaluate(
        """async (pid) => (await fetch('/-/review/decide', {method: 'POST',
             headers: {'content-type': 'application/x-www-form-urlencoded'},
             body: 'decision=approve&proposal_id=' + pid})).status""",
        proposal_ids["mission_es"],
    )
    assert status == 403
    insert = page.evaluate(
        """async () => (await fetch('/hub/initiatives/-/insert', {method: 'POST',
             headers: {'content-type': 'application/json'},
             body: JSON.stringify({row: {id: 'x', name: 'Forged'}})})).status"""
    )
    assert insert in (401, 403)
    for path in ("/-/review/publish", "/-/review/rollback", "/-/review/bulk"):
        forged = page.evaluate(
            """async (path) => (await fetch(path, {method: 'POST',
                 headers: {'content-type': 'application/x-www-form-urlencoded'},
                 body: 'batch_id=1&initiative_id=pacto-obras-limpias&decision=approve'})).status""",
            path,
        )
        assert forged == 403, path
    assert proposal(live, proposal_ids["mission_es"])["status"] == "pending"
    assert hub_record(live, "x") == {}
    page.goto(live.url + "/hub/initiatives/pacto-obras-limpias")
    page.locator("details.actions-menu-links summary, .page-action-menu summary").first.click()
    assert page.get_by_role("menuitem", name="History of this initiative").is_visible()
    assert page.get_by_role("menuitem", name="Pending review").count() == 0


def test_a_forged_cross_site_post_is_refused(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(pages["/"])

        def log_message(self, *args: object) -> None:
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    pid = proposal_ids["mission_es"]
    pages["/"] = (
        f'<form id="f" method="post" action="{live.url}/-/review/decide">'
        f'<input name="proposal_id" value="{pid}"><input name="decision" value="approve"></form>'
        "<script>document.getElementById('f').submit()</script>"
    ).encode()
    try:
        page = context.new_page()
        login(page, live, "alice")  # the victim is logged in: the browser sends the cookie along
        with page.expect_response(lambda r: r.url.endswith("/-/review/decide")) as forged:
            page.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        assert forged.value.status == 403
        assert proposal(live, pid)["status"] == "pending"
        assert decisions(live, pid) == []
    finally:
        evil.shutdown()


def test_a_proposal_decided_meanwhile_in_another_browser(
    live: LiveServer, browser: Any, proposal_ids: dict[str, int]
) -> None:
    pid = proposal_ids["mission_es"]
    first, second = browser.new_context(), browser.new_context()
    try:
        alice, bruno = first.new_page(), second.new_page()
        login(alice, live, "alice")
        login(bruno, live, "bruno")
        alice.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
        bruno.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
        card(bruno, pid).locator("form.reject-form input[name=reason]").fill("Misión sin fuente suficiente")
        card(bruno, pid).locator("button.reject").click()
        card(alice, pid).locator("button.approve").click()  # alice's page still shows it open
        warning = alice.locator(".message-warning").inner_text()
        assert "already rejected by bruno" in warning and "nothing was changed" in warning
        assert proposal(live, pid)["status"] == "rejected"
        assert [d["curator"] for d in decisions(live, pid)] == ["bruno"]
        assert card(alice, pid).locator(".badge").inner_text() == "rejected"
    finally:
        first.close()
        second.close()


def test_a_stale_proposal_is_flagged_and_approved_against_the_new_value(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    pid = proposal_ids["stale_de"]
    page = context.new_page()
    login(page, live, "alice")
    page.goto(live.url + "/-/review/initiative/initiative-energie-sauber")
    stale = card(page, pid)
    assert stale.locator(".badge").inner_text() == "stale"
    assert "The hub value changed since this was proposed" in stale.inner_text()
    assert "Eine frühere Mission" in stale.inner_text()
    stale.locator("button.approve").click()
    assert proposal(live, pid)["status"] == "approved"


XSS_PATHS = (
    "/-/review",
    "/-/review/initiative/etica-appalti",
    "/-/review/initiative/pacto-obras-limpias",
    "/-/review/page/1",
    "/-/review/page/1?raw=1",
)


def test_hostile_text_stays_inert_everywhere(
    live: LiveServer, context: Any, proposal_ids: dict[str, int]
) -> None:
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, live, "paula")
    for path in XSS_PATHS:
        page.goto(live.url + path)
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[onerror], [onmouseover], a[href^='javascript:']").count() == 0, path
    page.goto(live.url + "/-/review/initiative/etica-appalti")
    hostile = card(page, proposal_ids["xss_it"])
    assert '<img src="x" onerror=' in hostile.locator(".side.new").inner_text()
    assert hostile.locator(".url-text").inner_text().startswith("javascript:")
    hostile.locator("details.edit summary").click()  # the edit box holds the text, not markup
    assert "<script>" in hostile.locator("textarea[name=value]").input_value()
    hostile.locator("button.approve").click()
    page.goto(live.url + "/-/review/publish")
    page.click("button.publish")
    for path in ("/hub/initiatives/etica-appalti", "/hub/initiatives", "/hub/changes"):
        page.goto(live.url + path)
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("img[onerror]").count() == 0, path
    assert hub_record(live, "etica-appalti")["mission"].startswith("Diffondere <script>")
    assert dialogs == []


def test_screenshot_of_the_review_page_for_the_readme(live: LiveServer, browser: Any, tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1200, "height": 1100})
    try:
        page = ctx.new_page()
        login(page, live, "alice")
        page.goto(live.url + "/-/review/initiative/pacto-obras-limpias")
        assert page.locator("article.proposal.open").count() == 3
        target = tmp_path / "review-page.png"
        page.screenshot(path=str(target), full_page=False)
        assert target.stat().st_size > 10_000
        if os.environ.get("CAHUB_UPDATE_SCREENSHOT"):  # refresh the README's picture on purpose only
            shutil.copy(target, ROOT / "docs" / "review-page.png")
    finally:
        ctx.close()
