"""Hostile and broken pages: the extractor returns what it can, records the problem, never raises."""

from __future__ import annotations

import time

from curation import extract_pages

from .conftest import eval_page


def _one(body: bytes, content_type: str = "text/html") -> dict:
    return extract_pages([{"url": "https://hostile.example/", "body": body, "content_type": content_type}])


def test_broken_html_still_gives_its_text():
    body = (
        b"<html><body><div><p>Our mission is to end bribery in ports <b>across West Africa<div></p><li>oops"
    )
    result = _one(body)
    assert result["fields"]["mission"]["value"].startswith("Our mission is to end bribery")


def test_empty_page_and_image_only_page_record_a_problem():
    for body, problem in (
        (b"", "empty page"),
        (b"<html><body><img src=a.png><img src=b.png></body></html>", "no text in the page"),
    ):
        result = _one(body)
        assert result["pages"][0]["language"] == "unknown"
        assert any(problem in p["problem"] for p in result["problems"])
        assert "mission" in result["gaps"]


def test_scripts_and_styles_full_of_text_are_ignored():
    noise = b"Our mission is to sell cheap watches. " * 200
    body = (
        b"<html><head><style>/*" + noise + b"*/</style><script>var t='" + noise + b"';</script></head><body>"
        b"<noscript>"
        + noise
        + b"</noscript><p>Nuestra misi\xc3\xb3n es promover la integridad en las compras "
        b"p\xc3\xbablicas de Chile.</p></body></html>"
    )
    result = _one(body)
    assert "watches" not in str(result["fields"])
    assert result["fields"]["mission"]["value"].startswith("Nuestra misión")


def test_wrong_charset_is_recorded_and_text_still_read():
    body = eval_page("es-obras", "index.html")  # UTF-8 bytes, declared as Shift_JIS below
    result = _one(body, "text/html; charset=shift_jis")
    assert result["fields"]["mission"]["value"].startswith("Promover la integridad")
    latin = "Nuestra misión es reducir los sobornos en la construcción de escuelas.".encode("cp1252")
    result = _one(b"<html><body><p>" + latin + b"</p></body></html>", "text/html; charset=utf-8")
    assert any("charset" in p["problem"] for p in result["problems"])
    assert "sobornos" in result["fields"]["mission"]["value"]


def test_five_megabyte_page_is_bounded():
    para = b"<p>" + b"Integrity in procurement matters for every company and every ministry. " * 20 + b"</p>"
    body = b"<html><body>" + para * (5_000_000 // len(para)) + b"</body></html>"
    assert len(body) > 4_900_000
    start = time.perf_counter()
    result = _one(body)
    assert time.perf_counter() - start < 60
    assert result["pages"][0]["language"] == "en"
    for finding in result["fields"].values():
        for evidence in finding["evidence"]:
            assert len(evidence["quote"]) <= 1000


def test_broken_json_ld_and_pdf_are_problems_not_crashes():
    body = b'<html><head><script type="application/ld+json">{"@type": "Organization", </script></head><body><p>x</p></body></html>'  # noqa: E501
    result = _one(body)
    assert any("JSON-LD" in p["problem"] for p in result["problems"])
    result = _one(b"%PDF-1.4 this is not really a pdf", "application/pdf")
    assert any("PDF" in p["problem"] for p in result["problems"])
