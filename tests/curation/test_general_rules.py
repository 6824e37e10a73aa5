"""General reading rules found on sites the extractor was not tuned on: membership and future years are not
start years, training mentioned in passing does not make a training initiative, record tables, footers."""

from __future__ import annotations

from curation import extract_pages


def _site(*bodies: str, fetched_at: str = "2026-11-20T10:00:00") -> dict:
    pages = [
        {
            "url": f"https://site.example/p{i}.html",
            "body": f"<html><body><main>{body}</main></body></html>".encode(),
            "content_type": "text/html; charset=utf-8",
            "fetched_at": fetched_at,
        }
        for i, body in enumerate(bodies)
    ]
    return extract_pages(pages)["fields"]


def test_a_member_joining_or_a_future_year_is_not_the_start_year():
    fields = _site(
        "<h1>Red Vial Limpia</h1><p>La empresa Caminos del Sur es firmante desde 2024 y participa en las"
        " mesas de trabajo con las demás constructoras del país.</p>"
        "<p>Las nuevas adhesiones desde 2026 se publicarán en esta página cada trimestre.</p>"
        "<p>Trabajamos desde 2031 en un plan para todo el continente, según el calendario previsto.</p>",
    )
    assert "start_year" not in fields
    fields = _site(
        "<h1>Red Vial Limpia</h1><p>Desde 2015 la red reúne a constructoras y municipios.</p>"
        "<p>La red fue fundada en 2017 por seis empresas de la región andina.</p>"
    )
    assert fields["start_year"]["value"] == 2017  # a founding cue outranks a bare "desde"


def test_russian_participant_since_is_not_the_start_year():
    fields = _site(
        "<h1>Честные поставки</h1><p>Инициатива была создана в 2019 году отраслевыми компаниями.</p>"
        "<p>Компания «Север Логистик» — участник с 2016 года, она входила в прежний союз поставщиков.</p>"
    )
    assert fields["start_year"]["value"] == 2019


def test_workshops_in_passing_do_not_make_a_training_initiative():
    fields = _site(
        "<h1>Pacte des Ports Propres</h1><h2>Notre mission</h2><p>Mettre fin aux paiements informels dans"
        " les ports, grâce à une charte signée par les entreprises de manutention.</p>"
        "<h2>Actualités</h2><p>Nouvelles dates publiées pour la campagne de sensibilisation du personnel.</p>"
        "<p>Des ateliers et des formations pour les agents maritimes auront lieu en mars.</p>"
    )
    assert fields.get("initiative_type", {}).get("value") != "education_training"
    fields = _site(
        "<h1>Scuola di Integrità</h1><h2>La nostra missione</h2><p>Offrire formazione e corsi gratuiti"
        " sulla prevenzione della corruzione ai responsabili acquisti delle piccole imprese.</p>"
    )
    assert fields["initiative_type"]["value"] == "education_training"


def test_a_table_of_member_records_gives_the_names_only():
    fields = _site(
        "<h1>Empresas associadas</h1><h2>Membros</h2><table><thead><tr><th>Empresa</th><th>Segmento</th>"
        "<th>Desde</th></tr></thead><tbody>"
        "<tr><td>Laboratório Serra Clara S.A.</td><td>Indústria farmacêutica</td><td>2020</td></tr>"
        "<tr><td>Distribuidora Ribeira Ltda.</td><td>Distribuição</td><td>2021</td></tr>"
        "<tr><td>Genéricos Atlântico S.A.</td><td>Indústria farmacêutica</td><td>2022</td></tr>"
        "</tbody></table>"
    )
    assert fields["members"]["value"] == [
        "Laboratório Serra Clara S.A.",
        "Distribuidora Ribeira Ltda.",
        "Genéricos Atlântico S.A.",
    ]


def test_member_names_are_not_countries():
    fields = _site(
        "<h1>Clean Harbours Network</h1><p>Shipping lines working in Ghana against bribery in ports.</p>"
        "<h2>Our members</h2><ul><li>Niger Delta Tankers Plc</li><li>Volta Coastal Lines Ltd</li>"
        "<li>Chad Basin Haulage Ltd</li></ul>"
    )
    assert fields["countries"]["value"] == ["GH"]


def test_the_footer_gives_the_e_mail_and_the_seat_but_no_main_text():
    body = (
        "<html><body><main><h1>Patto Pulito</h1><p>Un accordo tra le imprese di pulizia e gli enti"
        " pubblici per gare senza tangenti.</p></main>"
        "<div class='footer-widgets'><p>Segreteria – Via Roma 10, 00184 Roma, Italia</p>"
        "<p>scrivici@patto-pulito.example</p><p>Privacy · Cookie policy · Settore sanitario</p></div>"
        "</body></html>"
    )
    page = {"url": "https://patto.example/", "body": body.encode(), "content_type": "text/html"}
    result = extract_pages([page])
    fields = result["fields"]
    assert fields["contact"]["value"] == "scrivici@patto-pulito.example"
    assert fields["host_country"]["value"] == "IT"
    assert "health" not in fields.get("industries", {}).get("value", [])


def test_a_mission_about_a_sector_is_industry_focus_even_when_goals_speak_of_member_companies():
    fields = _site(
        "<h1>Bündnis Saubere Baustelle</h1><h2>Unsere Mission</h2><p>Wir wollen Korruption bei der Vergabe"
        " öffentlicher Bauaufträge in der Bauwirtschaft verhindern.</p><h2>Ziele</h2>"
        "<p>Jedes Mitgliedsunternehmen benennt eine Ansprechperson für Hinweise.</p>"
    )
    assert fields["mission_focus"]["value"] == "industry"


def test_nationality_words_give_the_seat_and_where_participants_are():
    fields = _site(
        "<h1>Forum for Clean Shipping</h1><p>The forum is convened by the Alpine Centre for Trade Ethics,"
        " a Swiss foundation, and brings together shipping lines from Europe, Asia and Africa.</p>"
    )
    assert fields["host_country"]["value"] == "CH"
    assert "countries" not in fields  # a global forum's seat is not where it works
    fields = _site(
        "<h1>Compromisso Estradas Limpas</h1><p>O compromisso reúne empresas portuguesas de construção de"
        " estradas e associações de utentes.</p>"
    )
    assert fields["countries"]["value"] == ["PT"]


def test_a_declaration_of_conflicts_of_interest_is_not_a_joint_declaration():
    fields = _site(
        "<h1>Patto Acquisti Puliti</h1><p>Le imprese fornitrici e gli ospedali applicano regole comuni:"
        " pubblicazione dei capitolati e dichiarazione dei conflitti di interesse dei commissari.</p>"
    )
    assert fields.get("initiative_type", {}).get("value") != "declaration_joint_activity"


def test_a_charter_read_as_one_pdf_block_is_not_a_training_initiative_for_one_training_line():
    text = (
        "Charter of the Harbour Suppliers Compact\nArticle 1 - Mission\nThe mission of the Compact is to keep"
        " bribes out of the supply of port services.\nArticle 2 - Goals\n(a) Every signatory runs an"
        " anti-bribery programme.\n(b) Small suppliers receive training on tender rules.\n(c) Port operators"
        " publish the rules and results of every tender they run.\nArticle 3 - Signatories\n"
        "The Compact is open to port operators, shipping agents, their contractors and the associations"
        " that represent them.\n"
        "Article 4 - Governance\nA steering group of six signatories meets every quarter and reports once a"
        " year to all signatories on the progress made.\n"
    )
    page = {
        "url": "https://compact.example/charter.pdf",
        "body": None,
        "text": text,
        "content_type": "application/pdf",
    }
    fields = extract_pages([page])["fields"]
    assert fields.get("initiative_type", {}).get("value") != "education_training"


def test_a_facilitator_named_between_the_words_of_a_phrase_is_found():
    fields = _site(
        "<h1>Initiative Faire Kliniken</h1><p>Die Initiative wird vom Verband Bayerischer Privatkliniken"
        " getragen und arbeitet mit den Krankenkassen zusammen.</p>"
    )
    assert fields["facilitator"]["value"] == "Verband Bayerischer Privatkliniken"
    assert fields["facilitator_type"]["value"] == "business_association"


def test_members_listed_again_on_the_english_pages_are_not_counted_twice():
    es = (
        "<h1>Alianza Agua Limpia</h1><p>La alianza reúne a empresas de agua potable de todo el país para"
        " prevenir los sobornos en las licitaciones de obras hidráulicas y de saneamiento.</p>"
        "<h2>Miembros</h2><ul><li>Aguas del Norte S.A.</li>"
        "<li>Red Vecinal por el Agua (sociedad civil)</li></ul>"
    )
    en = (
        "<h1>Clean Water Alliance</h1><p>The alliance brings together drinking water companies from the whole"
        " country to prevent bribes in tenders for water works and sanitation projects.</p>"
        "<h2>Members</h2><ul><li>Aguas del Norte S.A.</li>"
        "<li>Neighbourhood Water Network (civil society)</li></ul>"
    )
    fields = _site(es, es.replace("Alianza Agua Limpia", "Alianza Agua Limpia: noticias"), en)
    assert fields["members"]["value"] == ["Aguas del Norte S.A.", "Red Vecinal por el Agua (sociedad civil)"]


def test_groups_known_only_from_the_secretariat_leave_the_stakeholders_gap_open():
    pages = [
        {
            "url": "https://charter.example/",
            "body": (
                "<html><body><main><h1>Хартия чистых закупок</h1><p>Работу Хартии обеспечивает секретариат,"
                " функции которого выполняет Союз честных закупщиков — некоммерческое объединение.</p>"
                "<p>Хартия помогает делать закупки прозрачными и честными для всех участников рынка.</p>"
                "</main></body></html>"
            ).encode(),
            "content_type": "text/html; charset=utf-8",
        }
    ]
    result = extract_pages(pages)
    assert "stakeholders" in result["gaps"]
    assert result["fields"].get("stakeholder_groups", {}).get("confidence", 0) < 0.5  # never proposed


def test_one_stated_objective_is_the_mission_rather_than_the_sites_tagline():
    body = (
        "<html><head><meta name='description' content='Red de navieras del Caribe comprometidas con la"
        " integridad en sus operaciones.'></head><body><main><h1>Navieras Íntegras</h1>"
        "<h2>Nuestro objetivo</h2>"
        "<p>Eliminar los pagos indebidos en el despacho de buques y mercancías en los puertos del Caribe.</p>"
        "</main></body></html>"
    )
    page = {"url": "https://navieras.example/", "body": body.encode(), "content_type": "text/html"}
    fields = extract_pages([page])["fields"]
    assert fields["mission"]["value"].startswith("Eliminar los pagos indebidos")
    assert "goals" not in fields and "objective" not in fields


def test_members_acting_together_without_a_named_type_are_a_joint_activity():
    fields = _site(
        "<h1>Red Portuaria Limpia</h1><h2>Qué hacemos</h2><p>Las empresas adheridas comparten un canal de"
        " denuncias y se reúnen cada trimestre con las autoridades del puerto.</p>"
        "<h2>Miembros</h2><ul><li>Terminal Sur S.A.</li><li>Agencia Marítima Norte S.A.C.</li></ul>"
    )
    assert fields["initiative_type"]["value"] == "declaration_joint_activity"
    assert fields["initiative_type"]["confidence"] < 0.5  # never proposed over a curator's type


def test_the_gulf_of_guinea_is_not_guinea():
    fields = _site("<h1>Clean Ports</h1><p>Shipping lines in the Gulf of Guinea work in Ghana and Benin.</p>")
    assert sorted(fields["countries"]["value"]) == ["BJ", "GH"]


def test_a_members_dated_note_is_cut_from_its_name():
    fields = _site(
        "<h1>Mesa Vial</h1><h2>Empresas firmantes</h2><ul>"
        "<li>Constructora Ayacucho S.A.C. (firmante desde 2018)</li>"
        "<li>Asfaltos del Sur S.A. (firmante desde octubre de 2025)</li>"
        "<li>Red Vecinal de Obras (sociedad civil)</li></ul>"
    )
    assert fields["members"]["value"] == [
        "Constructora Ayacucho S.A.C.",
        "Asfaltos del Sur S.A.",
        "Red Vecinal de Obras (sociedad civil)",
    ]
    assert "start_year" not in fields


def test_towns_and_districts_among_the_members_are_the_public_sector():
    fields = _site(
        "<h1>Bündnis Saubere Vergabe</h1><h2>Mitglieder</h2><ul><li>Hochbau Lechtal GmbH</li>"
        "<li>Stadt Neuburg, zentrale Vergabestelle</li><li>Landkreis Unterwald</li></ul>"
    )
    assert set(fields["stakeholder_groups"]["value"]) == {"private_sector", "public_sector"}
    assert fields["government_involvement"]["value"] is True


def test_an_organisation_name_goes_on_after_in_and_an_article_but_not_before_a_place():
    fields = _site(
        "<h1>Forum Saubere Kliniken</h1><p>Das Forum ist eine Initiative der Stiftung für Ethik in der Pflege"
        " mit Sitz in Zürich.</p>"
    )
    assert fields["facilitator"]["value"] == "Stiftung für Ethik in der Pflege"
    fields = _site(
        "<h1>Clean Roads Forum</h1><p>The forum is coordinated by the Road Builders Association in the"
        " Netherlands and meets twice a year.</p>"
    )
    assert fields["facilitator"]["value"] == "Road Builders Association"
