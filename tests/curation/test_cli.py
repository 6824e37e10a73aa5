"""`cahub extract` and `cahub propose` as a user types them."""

from __future__ import annotations

import json

from .conftest import EVAL, eval_page


def test_extract_files_prints_the_json_of_one_site(run_cli):
    folder = EVAL / "pt-saude"
    result = run_cli(
        "extract",
        folder / "index.html",
        folder / "quem-somos.html",
        "--base-url",
        "https://saude-integra.example",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"language", "pages", "fields", "gaps"}
    assert data["language"] == "pt"
    assert [p["url"] for p in data["pages"]] == [
        "https://saude-integra.example/index.html",
        "https://saude-integra.example/quem-somos.html",
    ]
    assert data["fields"]["facilitator"]["value"] == "Instituto Brasileiro de Ética Setorial"
    assert data["fields"]["countries"]["value"] == ["BR"]
    for finding in data["fields"].values():
        assert set(finding) >= {"value", "confidence", "evidence"}


def test_extract_missing_file_is_a_clear_error(run_cli, tmp_path):
    result = run_cli("extract", tmp_path / "nope.html")
    assert result.exit_code == 1
    assert "cannot read" in result.output and "nope.html" in result.output


def test_extract_run_then_propose(run_cli, hub_data_dir, crawl):
    run = crawl.run()
    crawl.site(run, "rede-saude-integra", "https://saude-integra.example/")
    crawl.page(
        run, "rede-saude-integra", "https://saude-integra.example/", eval_page("pt-saude", "index.html")
    )
    crawl.site(run, "chestny-biznes", "https://chestny-biznes.example/", "robots_blocked")
    result = run_cli("extract", "--data-dir", hub_data_dir)
    assert result.exit_code == 0, result.output
    assert "[2/2]" in result.output and f"crawl_run={run}" in result.output and "blocked=1" in result.output
    result = run_cli("propose", "--run", run, "--data-dir", hub_data_dir)
    assert result.exit_code == 0, result.output
    assert f"run={run}" in result.output and "new=" in result.output
    assert "new=0" not in result.output


def test_extract_without_any_crawl_says_so(run_cli, data_dir):
    result = run_cli("extract", "--data-dir", data_dir)
    assert result.exit_code == 1
    assert "no crawl run" in result.output


def test_extract_a_url_served_on_loopback(run_cli):
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep pytest's output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(EVAL / "fr-portuaire")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        result = run_cli("extract", url)
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["pages"][0]["url"] == url
    assert data["fields"]["countries"]["value"] == ["SN", "CI", "GH"]


def test_extract_an_unreachable_url_is_a_clear_error(run_cli):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run_cli("extract", f"http://127.0.0.1:{port}/")
    assert result.exit_code == 1
    assert "cannot read" in result.output
