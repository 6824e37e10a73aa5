"""Every site gets an outcome, and one broken site never stops the others."""

from __future__ import annotations

import socket

import crawlers


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_each_kind_of_failure_is_its_own_outcome_and_the_good_site_is_still_crawled(
    data_dir, serve, add_initiatives, fx, rows
):
    Route = fx.Route
    good = serve(fx.multilingual_site("it"))
    elsewhere = serve({"/": Route(fx.page("Elsewhere", "<p>Another organisation entirely.</p>"))})
    robots = serve(
        {
            "/robots.txt": Route("User-agent: *\nDisallow: /\n", content_type="text/plain"),
            "/": Route(fx.page("Hidden", "<p>Nobody may crawl this.</p>")),
        }
    )
    failing = serve({"/": Route("<h1>Internal error</h1>", status=500)})
    slow = serve({"/": Route(fx.page("Slow", "<p>Late.</p>"), delay=2.5)})
    moved = serve({"/": Route("", status=302, headers={"Location": elsewhere.base + "/welcome"})})
    looping = serve(
        {
            "/": Route("", status=302, headers={"Location": "/a"}),
            "/a": Route("", status=302, headers={"Location": "/"}),
        }
    )
    parked = serve(
        {
            "/": Route(
                fx.page(
                    "obras-limpias.example",
                    "<p>This domain is for sale! Make an offer on this domain today.</p>",
                )
            )
        }
    )
    plain = serve({"/": Route(fx.page("Plain", "<p>Plain HTTP only.</p>"))})
    long_label = "x" * 70
    websites = {
        "good": [good.base + "/"],
        "robots": [robots.base + "/"],
        "failing": [failing.base + "/"],
        "slow": [slow.base + "/"],
        "moved": [moved.base + "/"],
        "looping": [looping.base + "/"],
        "parked": [parked.base + "/"],
        "refused": [f"http://127.0.0.1:{_closed_port()}/"],
        "no-dns": [f"http://{long_label}.example/"],
        "tls": [plain.base.replace("http://", "https://") + "/"],
    }
    add_initiatives(data_dir, websites)
    settings = {**fx.FAST, "DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 1, "RETRY_BACKOFF_BASE": 0.4}
    summary = crawlers.crawl(data_dir, allow_local=True, settings=settings)

    outcomes = {s["initiative_id"]: s for s in rows(data_dir, "select * from sites")}
    assert {k: v["outcome"] for k, v in outcomes.items()} == {
        "good": "fetched",
        "robots": "robots_blocked",
        "failing": "http_error",
        "slow": "timeout",
        "moved": "offsite_redirect",
        "looping": "http_error",
        "parked": "parked",
        "refused": "unreachable",
        "no-dns": "dns_failure",
        "tls": "tls_error",
    }
    assert outcomes["failing"]["http_status"] == 500
    refused = outcomes["refused"]["detail"]
    assert "Connect call failed" in refused and "ssl:" not in refused
    assert "redirect" in outcomes["looping"]["detail"]
    assert "for sale" in outcomes["parked"]["detail"]
    assert elsewhere.base in outcomes["moved"]["detail"]
    assert outcomes["good"]["pages"] >= 6
    # robots.txt was read, the page it forbids was never requested; the other site was never contacted
    assert robots.paths() == ["/robots.txt"]
    assert elsewhere.hits == []
    # a 500 is retried (RETRY_TIMES=1) before the site is given up
    assert failing.paths().count("/") == 2
    first, retry = (h for h in failing.hits if h.path == "/")
    assert retry.started - first.ended >= 0.4  # backed off before retrying
    assert summary["fetched"] == 1 and summary["failed"] == 9
    warned = {w["initiative_id"] for w in rows(data_dir, "select * from warnings where level = 'error'")}
    assert warned >= {"robots", "failing", "slow", "moved", "looping", "refused", "no-dns", "tls"}
    run = rows(data_dir, "select status from runs where id = ?", [summary["run_id"]])[0]
    assert run["status"] == "completed"


def test_loopback_sites_are_refused_without_allow_local_even_after_a_redirect(
    data_dir, serve, add_initiatives, fx, rows
):
    Route = fx.Route
    target = serve({"/": Route(fx.page("Inner", "<p>Must never be reached.</p>"))}, host="127.0.0.2")
    redirecting = serve(
        {
            "/": Route("", status=302, headers={"Location": target.base + "/"}),
            "/robots.txt": Route("", status=404),
        }
    )
    direct = serve({"/": Route(fx.page("Direct", "<p>Must never be reached either.</p>"))}, host="127.0.0.3")
    add_initiatives(
        data_dir, {"redirecting": [redirecting.base + "/", target.base + "/x"], "direct": [direct.base + "/"]}
    )
    # Only 127.0.0.1 is let through (as a demo host would be); the flag itself stays off.
    settings = {**fx.FAST, "CAHUB_ALLOW_ADDRESSES": ["127.0.0.1"]}
    summary = crawlers.crawl(data_dir, allow_local=False, settings=settings)

    assert direct.hits == [] and target.hits == []
    assert redirecting.paths() == ["/robots.txt", "/"]
    outcomes = {s["initiative_id"]: s for s in rows(data_dir, "select * from sites")}
    assert outcomes["direct"]["outcome"] == "unreachable"
    assert "loopback address 127.0.0.3" in outcomes["direct"]["detail"]
    assert outcomes["redirecting"]["outcome"] == "unreachable"
    assert "loopback address 127.0.0.2" in outcomes["redirecting"]["detail"]
    assert summary["pages"] == 0


def test_without_allow_local_nothing_on_loopback_is_contacted(data_dir, serve, add_initiatives, fx, rows):
    site = serve(fx.multilingual_site("fr"))
    add_initiatives(data_dir, {"alliance": [site.base + "/"]})
    crawlers.crawl(data_dir, settings=fx.FAST)
    assert site.hits == []
    (outcome,) = rows(data_dir, "select outcome, detail from sites")
    assert outcome["outcome"] == "unreachable" and "--allow-local" in outcome["detail"]
