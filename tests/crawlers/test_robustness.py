"""Hostile and broken content: wrong or missing charsets, empty and binary bodies, huge and malformed pages;
and robots.txt's Crawl-delay, which Scrapy does not apply by itself."""

from __future__ import annotations

import zlib
from urllib.parse import urlsplit

import crawlers

KOI8_TEXT = (
    "Мы объединяем поставщиков, которые отказываются от взяток в закупках и публикуют "
    "все договоры на своём сайте."
)
CP1252_TEXT = (
    "Notre réseau réunit des entreprises qui refusent les pots-de-vin et publient leurs "
    "contrats, y compris les avenants signés à Lomé."
)
CP1251_TEXT = "Участники инициативы проверяют друг друга раз в год и сообщают о нарушениях в секретариат."


def test_charsets_empty_binary_huge_and_malformed_pages_are_handled_and_recorded(
    data_dir, serve, add_initiatives, fx, rows
):
    Route = fx.Route
    links = "".join(
        f'<a href="/{name}">{name}</a> '
        for name in ["koi8", "cp1252", "wrong", "empty", "binary", "huge", "enormous", "broken", "script"]
    )
    site = serve(
        {
            "/": Route(fx.page("Index", f"<p>{links}</p>")),
            # KOI8-R with no declaration at all
            "/koi8": Route(
                f"<html><body><p>{KOI8_TEXT}</p></body></html>".encode("koi8-r"), content_type="text/html"
            ),
            # windows-1252 with no declaration
            "/cp1252": Route(
                f"<html><body><p>{CP1252_TEXT}</p></body></html>".encode("cp1252"), content_type="text/html"
            ),
            # windows-1251 declared as KOI8-R
            "/wrong": Route(
                f"<html><body><p>{CP1251_TEXT}</p></body></html>".encode("cp1251"),
                content_type="text/html; charset=koi8-r",
            ),
            "/empty": Route(b""),
            "/binary": Route(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
            "/huge": Route("<html><body>" + "<p>Transparency matters. </p>" * 8000 + "</body></html>"),
            "/enormous": Route("<html><body>" + "<p>Too much. </p>" * 60000 + "</body></html>"),
            "/broken": Route(
                "<html><head><title>Half<body><p>Unclosed <b>tags <div><p>Our mission: clean "
                "procurement</table></td>"
            ),
            "/script": Route(
                "<html><head><title>Script</title><script>document.write('injected')</script>"
                "</head><body><p>Visible words only.</p></body></html>"
            ),
        }
    )
    add_initiatives(data_dir, {"odd": [site.base + "/"]})
    settings = {**fx.FAST, "CAHUB_BODY_CAP": 100_000, "DOWNLOAD_MAXSIZE": 400_000}
    summary = crawlers.crawl(data_dir, allow_local=True, settings=settings)

    (site_row,) = rows(data_dir, "select * from sites")
    assert site_row["outcome"] == "fetched"
    pages = {urlsplit(p["url"]).path: p for p in rows(data_dir, "select * from pages")}
    assert KOI8_TEXT in pages["/koi8"]["text"] and pages["/koi8"]["language"] == "ru"
    assert "koi8" in pages["/koi8"]["content_type"]
    assert CP1252_TEXT in pages["/cp1252"]["text"] and pages["/cp1252"]["language"] == "fr"
    assert CP1251_TEXT in pages["/wrong"]["text"]
    assert pages["/empty"]["text"] == "" and pages["/empty"]["language"] == "unknown"
    assert "/binary" not in pages
    huge = pages["/huge"]
    assert huge["truncated"] == 1 and huge["body_size"] > 100_000
    assert len(zlib.decompress(huge["body"])) == 100_000
    assert "/enormous" not in pages
    assert "clean procurement" in pages["/broken"]["text"]
    assert "injected" not in pages["/script"]["text"] and "Visible words only." in pages["/script"]["text"]
    warnings = {urlsplit(w["url"]).path: w["message"] for w in rows(data_dir, "select * from warnings")}
    assert "no charset declared" in warnings["/koi8"]
    assert "does not match" in warnings["/wrong"]
    assert warnings["/empty"] == "empty body"
    assert "binary content" in warnings["/binary"]
    assert "cut to 100000 bytes" in warnings["/huge"]
    assert "/enormous" in warnings
    assert summary["errors"] >= 6


def test_crawl_delay_from_robots_txt_spaces_requests_to_a_site(data_dir, serve, add_initiatives, fx, rows):
    Route = fx.Route
    site = serve(
        {
            "/robots.txt": Route(
                "User-agent: *\nCrawl-delay: 0.6\nDisallow: /private/\n", content_type="text/plain"
            ),
            "/": Route(
                fx.page(
                    "Home",
                    '<a href="/about">About</a> <a href="/contact">Contact</a> '
                    '<a href="/private/board">Board</a>',
                )
            ),
            "/about": Route(fx.page("About", "<p>About us.</p>")),
            "/contact": Route(fx.page("Contact", "<p>Contact us.</p>")),
            "/private/board": Route(fx.page("Board", "<p>Private.</p>")),
        }
    )
    other = serve(fx.multilingual_site("de"))
    add_initiatives(data_dir, {"delayed": [site.base + "/"], "other": [other.base + "/"]})
    crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)

    starts = [h.started for h in site.hits if h.path != "/robots.txt"]
    assert [h.path for h in site.hits if h.path != "/robots.txt"] == ["/", "/about", "/contact"]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.55, gaps
    # the other site, without a Crawl-delay, is not slowed down by it
    other_starts = [h.started for h in other.hits]
    other_gaps = sorted(b - a for a, b in zip(other_starts, other_starts[1:], strict=False))
    assert other_gaps[len(other_gaps) // 2] < 0.3, other_gaps
    blocked = rows(data_dir, "select level, message from warnings where url like '%/private/board'")
    assert blocked == [{"level": "info", "message": "robots_blocked: robots.txt forbids this URL"}]
