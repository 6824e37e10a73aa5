"""A known fixture: eight fictional initiatives in the hub and three crawl runs in staging.db.

Every figure the report tests check is worked out by hand from the rows below (see the comments). Run 1 is an
older completed crawl, run 2 the latest completed one, run 3 a crawl that failed (it must be ignored).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import db
from db import hub
from db.values import encode_json


def _record(rid: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"id": rid, "name": name, "website": [f"https://{rid}.example/"], **fields}


HUB = [
    _record(
        "pacto-agua",
        "Pacto por el Agua Limpia",
        countries=["CO"],
        host_country="CO",
        facilitator_type="civil_society_organisation",
        initiative_type="integrity_pact",
        status="active",
        government_involvement=True,
        stakeholder_groups=["private_sector", "public_sector", "civil_society"],
        industries=["water"],
        geographic_scope="national",
        mission_focus="industry",
        languages=["es"],
    ),
    _record(
        "rede-transparencia",
        "Rede Transparência na Construção",
        countries=["BR"],
        host_country="BR",
        facilitator_type="business_association",
        initiative_type="standard_setting_initiative",
        status="active",
        government_involvement=False,
        stakeholder_groups=["private_sector", "civil_society"],
        industries=["construction"],
        geographic_scope="national",
        mission_focus="industry",
        languages=["pt"],
    ),
    _record(
        "coalition-ports",
        "Coalition des Ports Intègres",
        countries=["SN", "CI"],
        host_country="SN",
        facilitator_type="international_organisation",
        initiative_type="declaration_joint_activity",
        status="active",
        government_involvement=True,
        stakeholder_groups=["private_sector", "public_sector"],
        industries=["water_transport"],
        geographic_scope="multi_country",
        mission_focus="business_environment",
        languages=["fr"],
    ),
    _record(
        "integritaet-bau",
        "Bündnis Integrität am Bau",
        countries=["DE"],
        host_country="DE",
        facilitator_type="business",
        initiative_type="principle_based_initiative",
        status="active",
        government_involvement=True,
        stakeholder_groups=["private_sector"],
        industries=["construction"],
        geographic_scope="national",
        mission_focus="company_behaviour",
        languages=["de"],
    ),
    _record(
        "patto-appalti",
        "Patto per Appalti Puliti",
        countries=["IT"],
        host_country="IT",
        facilitator_type="academic_organisation",
        initiative_type="education_training",
        status="active",
        government_involvement=True,
        stakeholder_groups=["private_sector", "public_sector", "academia"],
        industries=["multi_industry"],
        geographic_scope="national",
        mission_focus="business_environment",
        languages=["it"],
    ),
    _record(
        "chestnaya-torgovlya",
        "Честная торговля",
        countries=["RU", "KZ"],
        host_country="RU",
        facilitator_type="business_association",
        initiative_type="declaration_joint_activity",
        status="inactive",
        government_involvement=True,
        stakeholder_groups=["private_sector", "civil_society"],
        industries=["multi_industry"],
        geographic_scope="multi_country",
        mission_focus="industry",
        languages=["ru"],
    ),
    # Hostile text in a hub record: it must come out escaped, never as markup.
    _record(
        "open-ledger",
        "Open Ledger Alliance <script>alert('x')</script>",
        countries=[],
        host_country=None,
        facilitator_type="civil_society_organisation",
        initiative_type="standard_setting_initiative",
        status="active",
        government_involvement=False,
        stakeholder_groups=["private_sector", "public_sector", "civil_society"],
        industries=["multi_industry"],
        geographic_scope="global",
        mission_focus="business_environment",
        languages=["en"],
    ),
    _record(
        "kenya-health",
        "Kenya Health Integrity Pact",
        countries=["KE"],
        host_country="KE",
        facilitator_type="civil_society_organisation",
        initiative_type="integrity_pact",
        status="active",
        government_involvement=True,
        stakeholder_groups=["private_sector", "public_sector", "civil_society"],
        industries=["health", "pharmaceuticals"],
        geographic_scope="national",
        mission_focus="industry",
        languages=["en"],
    ),
]

# Latest completed crawl (run 2): the gaps of each evaluated initiative. 9 gaps over 6 initiatives.
GAPS_RUN2 = {
    "pacto-agua": ["contact"],
    "rede-transparencia": ["mission", "facilitator", "activity"],
    "coalition-ports": [],
    "patto-appalti": ["stakeholders", "geographic_scope"],
    "chestnaya-torgovlya": ["mission", "contact"],
    "open-ledger": ["activity"],
}
LANGUAGES_RUN2 = {  # page languages of run 2; open-ledger has no pages (falls back to the hub's "en")
    "pacto-agua": ["es", "es"],
    "rede-transparencia": ["pt"],
    "coalition-ports": ["fr", "fr", "en"],
    "patto-appalti": ["it"],
    "chestnaya-torgovlya": ["ru", "ru", "en"],
}
STAMP = "2026-11-01T10:00:00+00:00"


def pages_checked(rid: str) -> list[str]:
    return [f"https://{rid}.example/", f"https://{rid}.example/about", f"https://{rid}.example/contact"]


def add_run(staging: Any, run_id: int, status: str) -> None:
    staging["runs"].insert(
        {
            "id": run_id,
            "kind": "crawl",
            "status": status,
            "started_at": STAMP,
            "finished_at": f"2026-11-0{run_id}T12:00:00+00:00",
            "options": "{}",
            "summary": "{}",
        }
    )


def add_site(staging: Any, run_id: int, rid: str, outcome: str, detail: str | None = None) -> None:
    staging["sites"].insert(
        {
            "run_id": run_id,
            "initiative_id": rid,
            "url": f"https://{rid}.example/",
            "outcome": outcome,
            "detail": detail,
            "pages": 3,
            "started_at": STAMP,
            "finished_at": STAMP,
        }
    )


def add_gaps(staging: Any, run_id: int, rid: str, keys: list[str]) -> None:
    for key in keys:
        staging["gaps"].insert(
            {
                "run_id": run_id,
                "initiative_id": rid,
                "gap": key,
                "pages_checked": encode_json(pages_checked(rid)),
                "created_at": STAMP,
            }
        )


def add_finding(
    staging: Any, run_id: int, rid: str, field: str, value: Any, url: str, quote: str, language: str
) -> None:
    staging["findings"].insert(
        {
            "run_id": run_id,
            "initiative_id": rid,
            "field": field,
            "value": encode_json(value),
            "confidence": 0.9,
            "language": language,
            "evidence": encode_json([{"url": url, "quote": quote, "language": language}]),
            "created_at": STAMP,
        }
    )


def build_fixture(folder: Path) -> None:
    hub.import_records(db.open_hub(folder), HUB)
    staging = db.open_staging(folder)
    add_run(staging, 1, "completed")
    add_run(staging, 2, "completed")
    add_run(staging, 3, "failed")
    # Run 1 (older): different gaps, which the report must not use.
    add_site(staging, 1, "rede-transparencia", "fetched")
    add_gaps(staging, 1, "rede-transparencia", ["mission"])
    add_site(staging, 1, "integritaet-bau", "fetched")
    add_gaps(staging, 1, "integritaet-bau", ["mission", "contact"])
    # Run 2 (latest completed).
    for rid, keys in GAPS_RUN2.items():
        add_site(staging, 2, rid, "fetched")
        add_gaps(staging, 2, rid, keys)
        for n, language in enumerate(LANGUAGES_RUN2.get(rid, [])):
            staging["pages"].insert(
                {
                    "run_id": 2,
                    "initiative_id": rid,
                    "url": f"https://{rid}.example/p{n}",
                    "language": language,
                    "change": "new",
                    "title": "t",
                    "text": "x",
                }
            )
    add_site(staging, 2, "integritaet-bau", "dns_failure", "name integritaet-bau.example not resolved")
    add_finding(
        staging,
        2,
        "integritaet-bau",
        "site_unreachable",
        {"outcome": "dns_failure"},
        "https://integritaet-bau.example/",
        "",
        "unknown",
    )
    add_finding(
        staging,
        2,
        "pacto-agua",
        "mission",
        "Proteger el agua de la corrupción en los contratos.",
        "https://pacto-agua.example/quienes-somos",
        "Nuestra misión es proteger el agua",
        "es",
    )
    add_finding(
        staging,
        2,
        "pacto-agua",
        "stakeholder_groups",
        ["private_sector", "civil_society"],
        "https://pacto-agua.example/miembros",
        "Empresas y organizaciones sociales",
        "es",
    )
    add_finding(
        staging,
        2,
        "coalition-ports",
        "contact",
        "contact@coalition-ports.example",
        "https://coalition-ports.example/contact",
        "Écrivez-nous",
        "fr",
    )
    add_finding(
        staging,
        2,
        "open-ledger",
        "mission",
        "Open books for all members.",
        "javascript:alert('x')",
        "<img src=x onerror=alert(1)> our mission",
        "en",
    )
    # Run 3 failed: it says rede-transparencia has no gaps and patto-appalti is down; both must be ignored.
    add_site(staging, 3, "rede-transparencia", "fetched")
    add_finding(
        staging, 3, "rede-transparencia", "mission", "x", "https://rede-transparencia.example/", "x", "pt"
    )
    add_site(staging, 3, "patto-appalti", "timeout")
    staging.conn.close()


@pytest.fixture
def report_data_dir(data_dir: Path) -> Path:
    """A data folder holding the known fixture (hub records and crawl runs 1-3)."""
    build_fixture(data_dir)
    return data_dir


@pytest.fixture
def rows() -> SimpleNamespace:
    """The fixture's row helpers, for tests that add a later crawl (tests cannot import conftest directly)."""
    return SimpleNamespace(add_run=add_run, add_site=add_site, add_gaps=add_gaps, add_finding=add_finding)
