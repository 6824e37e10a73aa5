"""The crawl's small decisions, checked directly: site identity, link signals, charsets, parked pages,
forbidden addresses."""

from __future__ import annotations

import pytest

from crawlers import charset, signals
from crawlers.middlewares import forbidden_reason
from crawlers.parked import parked_reason
from crawlers.sites import host_key, url_key


def test_www_and_bare_domains_and_http_and_https_are_one_site():
    assert host_key("https://www.Example.org/a") == host_key("http://example.org/b") == "example.org"
    assert url_key("http://www.example.org/about?x=1#team") == url_key("https://example.org/about?x=1")
    assert host_key("http://example.org:8080/") != host_key("http://example.org/")
    assert host_key("http://sub.example.org/") != host_key("http://example.org/")


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        ("/about-us", "", {"about"}),
        ("/x", "Quiénes somos", {"about"}),
        ("/quem-somos", "Saiba mais", {"about"}),
        ("/x", "Qui sommes-nous ?", {"about"}),
        ("/ueber-uns", "Lesen", {"about"}),
        ("/x", "Chi siamo", {"about"}),
        ("/o-nas", "О нас", {"about"}),
        ("/x", "Nuestra misión", {"mission"}),
        ("/x", "Unsere Mitglieder", {"members"}),
        ("/x", "Контакты", {"contact"}),
        ("/x/7", "2021-07", set()),
    ],
)
def test_page_signals_in_url_or_link_text_in_any_language(url, text, expected):
    assert signals.categories(url, text) == expected


def test_link_title_counts_and_more_signals_score_higher():
    assert signals.score("/x", "Mehr", "Unser Leitbild") == 10
    assert signals.score("/members-and-partners", "") == 20
    assert signals.score("/x", "Lire la suite") == 0


def test_language_switchers_are_recognised_from_every_lexicon_language():
    for label in [
        "English",
        "Español",
        "Português",
        "Français",
        "Deutsch",
        "Italiano",
        "Русский",
        "EN",
        "ru",
    ]:
        assert signals.is_language_switch(label), label
    assert signals.is_language_switch("Read more", hreflang="de")
    assert not signals.is_language_switch("Read more")


def test_charset_declarations_are_checked_against_the_body():
    text = "Объединение поставщиков против откатов в закупках больниц и школ нашего города."
    assert charset.decode(text.encode("koi8-r"), "text/html")[:2] == (text, "koi8-r")
    assert charset.decode(text.encode("koi8-r"), "text/html; charset=windows-1252")[0] == text
    assert charset.decode(text.encode("cp1251"), "text/html; charset=koi8-r")[0] == text
    french = "Les entreprises signataires s'engagent à refuser les cadeaux et à déclarer les conflits."
    decoded, encoding, note = charset.decode(french.encode("cp1252"), "text/html; charset=utf-8")
    assert decoded == french and encoding == "cp1252" and "does not match" in note
    meta = f'<meta charset="windows-1252"><p>{french}</p>'.encode("cp1252")
    assert charset.decode(meta, None)[1] == "cp1252"
    assert charset.decode("Ünïcödé ok".encode(), "text/html; charset=iso-8859-1")[1] == "utf-8"


def test_parked_and_for_sale_pages_are_recognised_but_real_sites_are_not():
    assert parked_reason("http://a.example/", "Este dominio está en venta. Contacte al propietario.")
    assert parked_reason("http://a.example/", "ДОМЕН ПРОДАЕТСЯ")
    assert parked_reason("https://www.sedoparking.com/a.example", "")
    long_page = "Our members publish their audits. " * 200 + "This domain is for sale."
    assert parked_reason("http://a.example/", long_page) is None
    assert parked_reason("http://a.example/", "We are a compact of shipping agents.") is None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", None),
    ],
)
def test_private_loopback_and_link_local_addresses_are_forbidden(address, kind):
    reason = forbidden_reason(address)
    assert reason is not None
    if kind:
        assert reason.startswith(kind)


def test_public_addresses_are_allowed():
    assert forbidden_reason("93.184.215.14") is None
    assert forbidden_reason("2606:2800:21f:cb07:6820:80da:af6b:8b2c") is None


@pytest.mark.parametrize(
    "text",
    [
        "Ciò che facciamo: più trasparenza negli appalti, perché è giusto.",
        "Participação e integração: ações contra a corrupção.",
        "Die Geschäftsstelle prüft Spenden über fünfzig Euro.",
        "¿Quiénes somos? Una alianza por la contratación pública.",
        "Notre mission : réduire les paiements illicites à côté des autorités.",
    ],
)
def test_undeclared_windows_1252_is_read_right_in_short_western_texts(text):
    assert charset.decode(text.encode("cp1252"), "text/html")[0] == text


@pytest.mark.parametrize("encoding", ["koi8-r", "cp1251"])
def test_undeclared_cyrillic_single_byte_charsets_are_told_apart(encoding):
    text = "Участники инициативы проверяют друг друга раз в год и сообщают о нарушениях в секретариат."
    assert charset.decode(text.encode(encoding), None)[0] == text


def test_website_values_become_crawlable_seeds():
    from crawlers.run import seeds

    assert seeds(["www.example.org", "https://example.org/fr", " ", "mailto:x@example.org"]) == [
        "http://www.example.org/",
        "https://example.org/fr",
    ]
    assert seeds(None) == [] and seeds("example.net") == ["http://example.net/"]
