"""A re-crawl of a site that is down fails fast: the start page (and robots.txt) are tried with their
retries, the other pages known from the previous run are dropped, and the site gets one warning."""

from __future__ import annotations

import socket
import threading

import pytest

import crawlers

KNOWN = 6


def _site(fx):
    Route = fx.Route
    links = "".join(f'<li><a href="/news-{n}">News {n}</a></li>' for n in range(KNOWN - 1))
    routes = {"/": Route(fx.page("Newsroom", f"<p>What we did this year.</p><ul>{links}</ul>"))}
    for n in range(KNOWN - 1):
        routes[f"/news-{n}"] = Route(fx.page(f"News {n}", f"<p>Item {n}: we audited {n + 2} tenders.</p>"))
    return routes


class SlammingDoor:
    """Accepts connections on a port and closes them at once (a site that is down), counting them."""

    def __init__(self, port: int):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.count = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.count += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.mark.parametrize("down", ["refused", "closes"])
def test_a_recrawl_of_a_site_that_is_down_drops_its_known_pages_and_warns_once(
    down, data_dir, serve, add_initiatives, fx, rows
):
    site = serve(_site(fx))
    healthy = serve(fx.multilingual_site("fr"))
    add_initiatives(data_dir, {"news": [site.base + "/"], "fr": [healthy.base + "/"]})
    first = crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    assert first["outcomes"] == {"fetched": 2}
    assert len(rows(data_dir, "select id from pages where initiative_id = 'news'")) == KNOWN

    port = site.server_address[1]
    site.shutdown()
    site.server_close()
    door = SlammingDoor(port) if down == "closes" else None
    try:
        second = crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    finally:
        if door is not None:
            door.close()

    run = second["run_id"]
    (news,) = rows(
        data_dir, "select outcome, pages from sites where run_id = ? and initiative_id = 'news'", [run]
    )
    assert news == {"outcome": "unreachable", "pages": 0}
    assert rows(data_dir, "select outcome from sites where run_id = ? and initiative_id = 'fr'", [run]) == [
        {"outcome": "fetched"}
    ]
    warnings = rows(
        data_dir, "select message, url from warnings where run_id = ? and initiative_id = 'news'", [run]
    )
    assert len(warnings) == 1, warnings
    assert warnings[0]["url"] == site.base + "/"
    assert f"site down: {KNOWN - 1} other known pages not tried" in warnings[0]["message"]
    if door is not None:
        # robots.txt and the start page, each tried 1 + RETRY_TIMES (2) times, and aiohttp opens a second
        # connection when the first closes before the request is written: at most 12, against 42 if all
        # seven URLs were tried.
        assert 2 <= door.count <= 2 * 2 * 3, door.count


def test_a_site_that_answers_some_pages_is_not_down(data_dir, serve, add_initiatives, fx, rows):
    Route = fx.Route
    routes = _site(fx)
    site = serve(routes)
    add_initiatives(data_dir, {"news": [site.base + "/"]})
    crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    for n in range(KNOWN - 1):
        routes[f"/news-{n}"] = Route("<h1>Unavailable</h1>", status=503)
    second = crawlers.crawl(data_dir, allow_local=True, settings=fx.FAST)
    (news,) = rows(data_dir, "select outcome from sites where run_id = ?", [second["run_id"]])
    assert news["outcome"] == "fetched"
    tried = {h.path for h in site.hits}
    assert {f"/news-{n}" for n in range(KNOWN - 1)} <= tried
