"""Real crawls of fixture sites in seven languages: the pages that matter come first, within the budget."""

from __future__ import annotations

import zlib
from urllib.parse import urlsplit

import crawlers
import db
from db import crawl_store

LANGS = ["en", "es", "pt", "fr", "de", "it", "ru"]


def test_signal_pages_and_english_alternates_are_crawled_first_in_every_language(
    data_dir, serve, add_initiatives, fx, rows, make_pdf
):
    pdf = make_pdf(["Charter of the Harbour Integrity Compact", "Members refuse every facilitation payment."])
    servers = {code: serve(fx.multilingual_site(code, pdf=pdf if code == "en" else None)) for code in LANGS}
    add_initiatives(data_dir, {f"init-{code}": [server.base + "/"] for code, server in servers.items()})
    events = []
    budget = 8
    summary = crawlers.crawl(
        data_dir, allow_local=True, max_pages=budget, settings=fx.FAST, progress=events.append
    )

    assert summary["sites"] == 7 and summary["fetched"] == 7 and summary["failed"] == 0
    assert summary["outcomes"] == {"fetched": 7}
    sites = rows(data_dir, "select initiative_id, outcome, pages, http_status from sites")
    assert {s["outcome"] for s in sites} == {"fetched"}
    for code, server in servers.items():
        fetched = [p for p in server.paths() if p != "/robots.txt"]
        assert len(fetched) <= budget, code
        # every page that matters is fetched, before any of the noise listed ahead of it
        assert fx.important_paths(code) <= set(fetched), (code, fetched)
        # politeness: never two requests at once on one site
        assert server.max_active == 1
        agent = server.hits[0].headers["user-agent"]
        assert "cahub-crawler" in agent and "+http" in agent
    stored = rows(data_dir, "select initiative_id, url, title, text, language, change, body from pages")
    by_lang = {}
    for page in stored:
        by_lang.setdefault(page["initiative_id"], []).append(page)
    for code in LANGS:
        pages = by_lang[f"init-{code}"]
        mission = next(p for p in pages if urlsplit(p["url"]).path == fx.LANGS[code].mission[0])
        assert mission["language"] == code
        assert fx.LANGS[code].mission[2][:40] in mission["text"]
        assert zlib.decompress(mission["body"]).decode("utf-8").startswith("<!doctype html>")
        if code != "en":
            # the hreflang alternate of the about page, and the page behind the "English" switcher
            english = next(p for p in pages if urlsplit(p["url"]).path == f"/en{fx.LANGS[code].about[0]}")
            assert english["language"] == "en"
            switched = next(p for p in pages if urlsplit(p["url"]).path == "/en/")
            assert switched["language"] == "en"
    charter = next(p for p in stored if p["url"].endswith("/docs/charter.pdf"))
    assert "Members refuse every facilitation payment." in charter["text"]
    assert zlib.decompress(charter["body"]).startswith(b"%PDF-")
    assert {p["change"] for p in stored} == {"new"}
    # progress: one event per stored page and per site, the last one saying all sites are done
    assert events[-1]["sites_done"] == events[-1]["sites_total"] == 7
    assert sum(1 for e in events if e["event"] == "page") == len(stored)


def test_recrawl_uses_conditional_requests_and_records_what_changed(
    data_dir, serve, add_initiatives, fx, rows
):
    Route = fx.Route
    routes = {
        "/": Route(
            fx.page(
                "Start",
                '<a href="/about">About</a> <a href="/news">News</a> <a href="/team">Team</a>'
                "<p>A compact of importers that publish their customs payments.</p>",
            )
        ),
        "/about": Route(
            fx.page("About", "<p>We are importers who publish every customs payment.</p>"), etag='"about-1"'
        ),
        "/news": Route(
            fx.page("News", "<p>The first audit of our payments register is out.</p>"),
            last_modified=1_700_000_000,
        ),
        "/team": Route(fx.page("Team", "<p>Our small team sits in the chamber of commerce building.</p>")),
    }
    server = serve(routes)
    add_initiatives(data_dir, {"importers": [server.base + "/"]})
    first = crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    assert first["changes"] == {"new": 4}

    routes["/news"] = Route(
        fx.page("News", "<p>The second audit found two late entries.</p>"), last_modified=1_700_100_000
    )
    routes["/team"] = Route("missing", status=404)
    server.hits.clear()
    second = crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    about_hit = next(h for h in server.hits if h.path == "/about")
    assert about_hit.headers.get("if-none-match") == '"about-1"'
    news_hit = next(h for h in server.hits if h.path == "/news")
    assert news_hit.headers.get("if-modified-since") == "Tue, 14 Nov 2023 22:13:20 GMT"

    pages = {
        urlsplit(p["url"]).path: p
        for p in rows(data_dir, "select * from pages where run_id = ?", [second["run_id"]])
    }
    assert pages["/about"]["change"] == "unchanged" and pages["/about"]["http_status"] == 304
    assert pages["/"]["change"] == "unchanged" and pages["/"]["body"] is None
    assert pages["/news"]["change"] == "changed"
    assert pages["/team"]["change"] == "gone"
    assert second["changes"] == {"unchanged": 2, "changed": 1, "gone": 1}
    # an unchanged page is not stored twice, but its body and text are still there for the next stage
    database = db.open_staging(data_dir)
    about = pages["/about"]
    assert about["body"] is None and about["same_as"] is not None
    assert b"publish every customs payment" in crawl_store.page_body(database, about)
    assert "publish every customs payment" in about["text"]
    assert crawl_store.page_body(database, pages["/team"]) is None
    stored_bodies = database.execute("select count(*) from pages where body is not null").fetchone()[0]
    assert stored_bodies == 5  # four from the first run, the changed news page from the second
    database.close()
