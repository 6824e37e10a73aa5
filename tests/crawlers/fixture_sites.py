"""Fixture sites in seven languages, written for these tests: a home page with many unimportant links
listed before the ones that matter, pages about the initiative, and an English alternate of the about page."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Route:
    """One resource of a fixture site."""

    body: bytes | str = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: float | None = None  # a POSIX time
    delay: float = 0.0

    def raw(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


NOISE_LINKS = 12
# Fast politeness for tests: the crawl's own logic (slots, robots, budget) is unchanged.
FAST = {
    "DOWNLOAD_DELAY": 0.0,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_BACKOFF_BASE": 0.05,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
}


@dataclass(frozen=True)
class Lang:
    code: str
    home: str
    intro: str
    about: tuple[str, str, str]  # path, link text, page text
    mission: tuple[str, str, str]
    members: tuple[str, str, str]
    contact: tuple[str, str, str]
    about_link_title: str = ""


LANGS = {
    "en": Lang(
        "en",
        "Harbour Integrity Compact",
        "A compact of shipping agents, port authorities and civic groups that refuse facilitation payments.",
        (
            "/about-us",
            "About us",
            "We started in 2017 when twelve shipping agents agreed to log every request "
            "for an informal payment and to report it together, so that no single firm would stand alone.",
        ),
        (
            "/mission",
            "Our mission",
            "Our mission is to make port clearance predictable, so that a vessel "
            "leaves on time without anyone paying a bribe to the inspector on duty.",
        ),
        (
            "/members",
            "Members",
            "Our members include freight forwarders, two port authorities and a "
            "consumer association that checks the public register of complaints.",
        ),
        (
            "/contact",
            "Contact",
            "Write to the secretariat at the harbour office, second floor, or use the "
            "form on this page; we answer within ten working days.",
        ),
    ),
    "es": Lang(
        "es",
        "Pacto por Obras Limpias",
        "Constructoras, alcaldías y veedurías ciudadanas que se comprometen a licitar sin sobornos.",
        (
            "/quienes-somos",
            "Quiénes somos",
            "Somos una red de empresas constructoras y veedurías que nació "
            "en Medellín para vigilar juntas cada licitación de vías y colegios públicos.",
        ),
        (
            "/mision",
            "Nuestra misión",
            "Nuestra misión es que cada peso de la obra pública llegue a la obra, "
            "con pliegos abiertos y pagos publicados cada mes.",
        ),
        (
            "/miembros",
            "Miembros",
            "Entre los miembros hay diecinueve constructoras medianas, tres alcaldías "
            "y una universidad que audita los contratos firmados.",
        ),
        (
            "/contacto",
            "Contacto",
            "Escríbanos a la oficina de la calle Bolívar o llame a la línea de "
            "denuncias, que atiende de lunes a viernes.",
        ),
    ),
    "pt": Lang(
        "pt",
        "Rede Saúde Íntegra",
        "Hospitais, laboratórios e associações de pacientes que combinam regras comuns de compras.",
        (
            "/quem-somos",
            "Quem somos",
            "Somos uma rede de hospitais filantrópicos e laboratórios que decidiu "
            "publicar os preços pagos por medicamentos e equipamentos.",
        ),
        (
            "/missao",
            "Nossa missão",
            "A nossa missão é garantir que cada compra de insumos siga um "
            "procedimento aberto, com cotações registradas e auditoria independente.",
        ),
        (
            "/membros",
            "Membros",
            "Os membros são quarenta hospitais, seis laboratórios e duas associações "
            "de pacientes que acompanham as auditorias.",
        ),
        (
            "/contato",
            "Contato",
            "Fale com a secretaria executiva pelo formulário ou visite a sede em "
            "Porto Alegre, de segunda a sexta-feira.",
        ),
    ),
    "fr": Lang(
        "fr",
        "Alliance Portuaire pour l'Intégrité",
        "Transitaires, douanes et associations qui refusent ensemble les paiements de facilitation.",
        (
            "/qui-sommes-nous",
            "Qui sommes-nous",
            "Nous sommes une alliance de transitaires et d'agents "
            "maritimes de Dakar et d'Abidjan réunis depuis 2018 autour d'une charte commune.",
        ),
        (
            "/mission",
            "Notre mission",
            "Notre mission consiste à rendre le dédouanement prévisible et à "
            "signaler chaque demande de paiement indu auprès d'un point focal neutre.",
        ),
        (
            "/membres",
            "Membres",
            "Nos membres regroupent trente entreprises, deux administrations douanières "
            "et une organisation de la société civile chargée du suivi.",
        ),
        (
            "/contact",
            "Nous contacter",
            "Vous pouvez écrire au secrétariat de l'alliance ou passer à nos "
            "bureaux situés près du port autonome.",
        ),
    ),
    "de": Lang(
        "de",
        "Initiative Saubere Energie",
        "Stadtwerke und Zulieferer, die gemeinsame Regeln gegen Bestechung im Einkauf vereinbart haben.",
        (
            "/ueber-uns",
            "Lesen",
            "Wir sind ein Zusammenschluss von Stadtwerken und mittelständischen "
            "Zulieferern, der seit 2012 gemeinsame Einkaufsregeln pflegt.",
        ),
        (
            "/leitbild",
            "Mehr",
            "Unser Leitbild verlangt, dass jede Vergabe dokumentiert wird und dass "
            "Geschenke von Lieferanten abgelehnt und gemeldet werden.",
        ),
        (
            "/mitglieder",
            "Mitglieder",
            "Zu den Mitgliedern gehören elf Stadtwerke, vier Netzbetreiber und ein "
            "Verband kleiner Installationsbetriebe.",
        ),
        (
            "/kontakt",
            "Kontakt",
            "Die Geschäftsstelle erreichen Sie schriftlich oder telefonisch an "
            "Werktagen zwischen neun und fünfzehn Uhr.",
        ),
        about_link_title="Über uns",
    ),
    "it": Lang(
        "it",
        "Etica negli Appalti",
        "Imprese, comuni e università che formano funzionari e fornitori alla trasparenza negli appalti.",
        (
            "/chi-siamo",
            "Chi siamo",
            "Siamo una rete di imprese e amministrazioni locali nata a Bologna per "
            "diffondere buone pratiche nelle gare pubbliche.",
        ),
        (
            "/missione",
            "La nostra missione",
            "La nostra missione è formare ogni anno funzionari e imprese, "
            "così che le gare siano chiare e i pagamenti tracciabili.",
        ),
        (
            "/membri",
            "Membri",
            "Tra i membri ci sono ventidue imprese edili, cinque comuni e un dipartimento "
            "universitario che valuta i risultati.",
        ),
        (
            "/contatti",
            "Contatti",
            "Scriveteci tramite il modulo oppure venite in segreteria il martedì e il giovedì mattina.",
        ),
    ),
    "ru": Lang(
        "ru",
        "Честный бизнес",
        "Поставщики и заказчики, которые договорились проводить закупки без откатов и подарков.",
        (
            "/o-nas",
            "О нас",
            "Мы объединение поставщиков и заказчиков, которое с 2011 года публикует "
            "правила честных закупок и разбирает жалобы участников.",
        ),
        (
            "/missiya",
            "Наша миссия",
            "Наша миссия состоит в том, чтобы каждая закупка проходила открыто, а "
            "любое требование отката фиксировалось и передавалось в комиссию.",
        ),
        (
            "/uchastniki",
            "Участники",
            "Участники инициативы: двадцать восемь компаний-поставщиков, три "
            "городские больницы и отраслевая ассоциация.",
        ),
        (
            "/kontakty",
            "Контакты",
            "Связаться с секретариатом можно по электронной почте или по телефону в "
            "рабочие дни с десяти до шести.",
        ),
    ),
}

ENGLISH_HOME = (
    "Welcome to the English pages of the initiative. Here you can read what we do, who takes part "
    "and how to reach the people who run it."
)
ENGLISH_ABOUT = (
    "This page is the English version of our presentation: who we are, where we work and why "
    "our members decided to act together against bribery in their sector."
)


def page(title: str, body: str, head: str = "", lang: str = "en") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )


def multilingual_site(code: str, *, pdf: bytes | None = None) -> dict[str, Route]:
    """A site whose home page lists noise links first and the pages that matter last."""
    lang = LANGS[code]
    noise = "".join(f'<li><a href="/x/{n}">2021-{n:02d}</a></li>' for n in range(NOISE_LINKS))
    items = []
    for i, (path, text, _) in enumerate([lang.about, lang.mission, lang.members, lang.contact]):
        title = f' title="{lang.about_link_title}"' if i == 0 and lang.about_link_title else ""
        items.append(f'<li><a href="{path}"{title}>{text}</a></li>')
    important = "".join(items)
    if pdf is not None:
        important += '<li><a href="/docs/charter.pdf">Charter (PDF)</a></li>'
    # a language switcher, last on the page: no hreflang, only the language's name as the link text
    switcher = '<p><a href="/en/">English</a></p>' if code != "en" else ""
    body = f"<p>{lang.intro}</p><ul>{noise}</ul><ul>{important}</ul>{switcher}"
    routes = {"/": Route(page(lang.home, body, lang=code))}
    for n in range(NOISE_LINKS):
        routes[f"/x/{n}"] = Route(page(f"2021-{n:02d}", "<p>...</p>", lang=code))
    for path, text, prose in (lang.about, lang.mission, lang.members, lang.contact):
        head = ""
        if path == lang.about[0] and code != "en":
            head = f'<link rel="alternate" hreflang="en" href="/en{path}">'
        routes[path] = Route(page(text, f"<p>{prose}</p>", head=head, lang=code))
    if code != "en":
        routes[f"/en{lang.about[0]}"] = Route(page("About us", f"<p>{ENGLISH_ABOUT}</p>"))
        routes["/en/"] = Route(page("Welcome", f"<p>{ENGLISH_HOME}</p>"))
    if pdf is not None:
        routes["/docs/charter.pdf"] = Route(pdf, content_type="application/pdf")
    return routes


def important_paths(code: str) -> set[str]:
    lang = LANGS[code]
    paths = {"/", lang.about[0], lang.mission[0], lang.members[0], lang.contact[0]}
    if code != "en":
        paths |= {f"/en{lang.about[0]}", "/en/"}
    return paths
