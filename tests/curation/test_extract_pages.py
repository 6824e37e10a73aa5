"""Extraction of one site from saved pages: fields with evidence, languages, gaps, structured data."""

from __future__ import annotations

from curation import extract_pages
from curation.language import block_language, detect

from .conftest import PAGES, eval_page


def _page(site: str, name: str, base: str) -> dict:
    return {"url": f"{base}/{name}", "body": eval_page(site, name), "content_type": "text/html"}


def test_spanish_site_fields_carry_verbatim_evidence():
    base = "https://obras-limpias.example"
    result = extract_pages([_page("es-obras", "index.html", base), _page("es-obras", "miembros.html", base)])
    fields = result["fields"]
    assert result["language"] == "es"
    assert fields["mission"]["value"].startswith("Promover la integridad en la contratación pública")
    assert fields["countries"]["value"] == ["CO"]
    assert fields["facilitator"]["value"] == "Cámara Colombiana de Constructores Íntegros"
    assert fields["facilitator_type"]["value"] == "business_association"
    assert "Vías del Norte S.A.S." in fields["members"]["value"]
    assert fields["start_year"]["value"] == 2016
    html = eval_page("es-obras", "index.html").decode("utf-8")
    for name, finding in fields.items():
        assert 0 <= finding["confidence"] <= 1, name
        for evidence in finding["evidence"]:
            assert evidence["url"].startswith(base)
            assert len(evidence["quote"]) <= 1000
            assert evidence["language"]
    # the mission quote is the page's own words
    quote = fields["mission"]["evidence"][0]["quote"]
    assert quote in " ".join(html.split())
    assert result["gaps"] == []


def test_menus_and_cookie_banners_are_not_main_text():
    result = extract_pages([_page("es-obras", "index.html", "https://x.example")])
    quotes = " ".join(e["quote"] for f in result["fields"].values() for e in f["evidence"])
    assert "Usamos cookies" not in quotes
    assert "About us" not in quotes


def test_spanish_page_with_english_menu_is_spanish_and_blocks_get_their_language():
    body = (PAGES / "mixed-es-en.html").read_bytes()
    result = extract_pages([{"url": "https://red.example/", "body": body, "content_type": "text/html"}])
    assert result["pages"][0]["language"] == "es"
    english = "We are proud to support this network. — A message from our international partners, written in English"  # noqa: E501
    assert block_language(english, "es") == "en"
    assert set(result["fields"]["countries"]["value"]) == {"PA", "CR"}


def test_english_version_of_the_site_is_kept_beside_the_original():
    base = "https://alliance-portuaire.example"
    result = extract_pages(
        [_page("fr-portuaire", "index.html", base), _page("fr-portuaire", "en.html", base)]
    )
    mission = result["fields"]["mission"]
    assert result["language"] == "fr"
    assert mission["value"].startswith("Réduire les demandes")
    assert mission["translations"]["en"].startswith("To reduce demands")
    assert {e["language"] for e in mission["evidence"]} >= {"fr", "en"}


def test_language_without_lexicon_still_gets_structured_fields_and_is_reported():
    body = (PAGES / "nl-unknown.html").read_bytes()
    result = extract_pages([{"url": "https://eerlijk.example/", "body": body, "content_type": "text/html"}])
    assert result["language"] == "nl"
    assert result["missing_lexicons"] == ["nl"]
    assert any("no lexicon for language 'nl'" in p["problem"] for p in result["problems"])
    fields = result["fields"]
    assert fields["start_year"]["value"] == 2018
    assert fields["host_country"]["value"] == "NL"
    assert set(fields["countries"]["value"]) >= {"NL", "BE"}
    assert fields["contact"]["value"] == "info@eerlijk-bouwen.example"
    assert "bouwbedrijven" in fields["mission"]["value"]  # from the meta description, as supporting evidence
    assert fields["mission"]["confidence"] < 0.5


def test_missing_key_facts_are_gaps():
    body = (
        b"<html><body><main><h1>Hello</h1><p>Welcome to our website about our work.</p></main></body></html>"
    )
    result = extract_pages([{"url": "https://empty.example/", "body": body}])
    assert result["gaps"] == [
        "mission",
        "stakeholders",
        "facilitator",
        "geographic_scope",
        "contact",
        "activity",
    ]
    assert "mission" not in result["fields"]


def test_language_detection_is_deterministic_and_safe_on_letterless_text():
    text = "La iniciativa reúne a empresas y gobiernos para prevenir la corrupción en las compras públicas."
    assert {detect(text) for _ in range(5)} == {"es"}
    assert detect("") == "unknown"
    assert detect("12345 -- !!! 2026") == "unknown"


def test_page_builder_markup_keeps_its_content():
    """Elementor widgets and a Genesis `content-sidebar-wrap` hold the main text; the sidebar and menu do
    not."""
    body = (PAGES / "wp-elementor.html").read_bytes()
    result = extract_pages([{"url": "https://integrity-network.example/", "body": body}])
    mission = result["fields"]["mission"]
    assert mission["value"].startswith("We work so that companies in Ghana can win public contracts")
    assert mission["confidence"] >= 0.9  # found under its heading, not guessed
    assert result["fields"]["start_year"]["value"] == 2015
    assert "Recent posts" not in str(result["fields"]) and "Post one" not in str(result["fields"])


def test_a_quote_in_another_script_than_its_page_gets_its_own_language():
    body = (
        "<html><body><main><h1>Честный бизнес</h1><h2>Наша миссия</h2><p>Объединить компании для отказа от "
        "взяток в закупках и сделать конкуренцию добросовестной во всех регионах страны.</p>"
        "<h2>Участники</h2><ul><li>Northern Supply Limited</li><li>Ural Machines Limited</li></ul>"
        "</main></body></html>"
    ).encode()
    result = extract_pages([{"url": "https://chestny.example/", "body": body}])
    assert result["pages"][0]["language"] == "ru"
    assert result["fields"]["mission"]["evidence"][0]["language"] == "ru"
    members = result["fields"]["members"]
    assert members["value"] == ["Northern Supply Limited", "Ural Machines Limited"]
    assert members["evidence"][0]["language"] == "en"


def test_the_initiative_itself_is_not_its_facilitator():
    body = (
        "<html><head><title>Хартия честных поставщиков</title></head><body><main>"
        "<p>Секретариат Хартии честных поставщиков.</p>"
        "<p>Работу Хартии обеспечивает секретариат, функции которого выполняет Союз добросовестных поставщиков — "  # noqa: E501
        "некоммерческое объединение предпринимателей.</p></main></body></html>"
    ).encode()
    fields = extract_pages([{"url": "https://hartiya.example/", "body": body}])["fields"]
    assert fields["facilitator"]["value"] == "Союз добросовестных поставщиков"
    assert fields["facilitator_type"]["value"] == "business_association"


def test_caseless_script_without_lexicon_still_gets_its_countries():
    body = (
        "<html><body><main><h1>مبادرة النزاهة في الموانئ</h1>"
        "<p>تجمع المبادرة شركات الشحن والسلطات المينائية "
        "في مصر لمكافحة الرشوة في الموانئ منذ عام 2017.</p></main></body></html>"
    ).encode()
    result = extract_pages([{"url": "https://ports.example/", "body": body}])
    assert result["language"] == "ar" and result["missing_lexicons"] == ["ar"]
    assert result["fields"]["countries"]["value"] == ["EG"]
