"""The HTML report in real headless Chromium: it opens offline (one file, no request leaves it), its charts
draw, and it prints."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from curation.reports import gap_report

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (scripts/setup --test)")
def test_report_opens_offline_draws_charts_and_prints(report_data_dir: Path, tmp_path: Path) -> None:
    (html,) = gap_report(report_data_dir, fmt="html", out_dir=tmp_path)
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html.as_uri())
            assert page.title() == "Transparency-gap report"
            # six key facts, five regions, six sub-regions, four facilitator types
            assert page.locator("figure svg.chart rect.bar").count() == 6 + 5 + 6 + 4
            widths = (
                page.locator("figure")
                .first.locator("rect.bar")
                .evaluate_all("bars => bars.map(b => b.getBBox().width)")
            )
            assert widths[0] == pytest.approx(widths[4]) and widths[0] == pytest.approx(
                2 * widths[1], rel=0.01
            )
            assert page.get_by_text("Open Ledger Alliance <script>alert('x')</script>").count() == 1
            assert dialogs == []  # the hostile name never ran
            page.emulate_media(media="print")
            assert not page.locator("nav").is_visible()
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith("file://")] == []
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3  # the whole report, paginated
    first = reader.pages[0].extract_text()
    assert "Transparency-gap report" in first and "Gaps by key fact" in first
