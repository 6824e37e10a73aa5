"""Review UI fixtures: staged proposals, pages, gaps over the example hub; accounts; live Datasette; Chromium.

The proposals are what the curation stage would write; they are inserted directly with sqlite-utils so these
tests do not depend on the crawlers. Texts are our own, in the languages of the example initiatives.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import db
from db import hub
from db.values import encode_json
from review_ui import accounts

PASSWORDS = {"alice": "alice-pass-123", "bruno": "bruno-pass-456", "paula": "paula-pass-789"}
ROLES = {"alice": "curator", "bruno": "curator", "paula": "publisher"}
XSS_MISSION = (
    'Diffondere <script>window.__xss = "script"</script> integrità '
    '<img src="x" onerror="window.__xss = \'img\'"> negli appalti.'
)
XSS_URL = "javascript:window.__xss='link'"
NEW_MISSION_ES = (
    "Promover la integridad y la transparencia en la contratación pública de obras de infraestructura "
    "en Colombia y Panamá."
)
STORED_HTML = (
    "<html><head><title>Quiénes somos</title><script>window.__xss = 'stored'</script></head>"
    "<body><h1>Quiénes somos</h1><p>Promovemos la integridad y la transparencia en la contratación "
    "pública de obras de infraestructura en Colombia y Panamá.</p></body></html>"
)


def _hub_value(data_dir: Path, initiative_id: str, field: str) -> Any:
    record = hub.get_initiative(db.open_hub(data_dir), initiative_id)
    return (record or {}).get(field)


def stage_review_data(data_dir: Path) -> dict[str, int]:
    """Write one run's pages, gaps and proposals to staging.db; returns proposal ids by a short key."""
    staging = db.open_staging(data_dir)
    stamp = "2026-11-20T10:00:00+00:00"
    staging["runs"].insert(
        {"id": 7, "kind": "run", "status": "completed", "started_at": stamp, "finished_at": stamp}
    )
    staging["runs"].insert(
        {"id": 8, "kind": "run", "status": "completed", "started_at": stamp, "finished_at": stamp}
    )
    pages = [
        (
            "pacto-obras-limpias",
            "https://obras-limpias.example/quienes-somos",
            STORED_HTML,
            "Quiénes somos. Promovemos la integridad y la transparencia en la contratación pública "
            "de obras de "
            "infraestructura en Colombia y Panamá. <script>window.__xss='text'</script>",
            "es",
        ),
        (
            "rede-saude-integra",
            "https://saude-integra.example/sobre",
            "<html><body><p>Sobre nós</p></body></html>",
            "Sobre nós. A rede reúne empresas de saúde comprometidas com a ética nas compras públicas.",
            "pt",
        ),
        (
            "rede-saude-integra",
            "https://saude-integra.example/",
            "<html><body><p>Início</p></body></html>",
            "Início. Notícias da rede.",
            "pt",
        ),
    ]
    page_ids = {}
    for initiative_id, url, html, text, lang in pages:
        table = staging["pages"]
        table.insert(
            {
                "run_id": 7,
                "initiative_id": initiative_id,
                "url": url,
                "final_url": url,
                "http_status": 200,
                "content_type": "text/html; charset=utf-8",
                "fetched_at": stamp,
                "title": text.split(".")[0],
                "text": text,
                "language": lang,
                "body": zlib.compress(html.encode("utf-8")),
                "body_size": len(html),
                "truncated": 0,
                "change": "new",
            }
        )
        page_ids[url] = table.last_pk
    staging["gaps"].insert_all(
        [
            {
                "run_id": 7,
                "initiative_id": "rede-saude-integra",
                "gap": "contact",
                "created_at": stamp,
                "pages_checked": json.dumps(
                    ["https://saude-integra.example/", "https://saude-integra.example/sobre"]
                ),
            },
            {
                "run_id": 7,
                "initiative_id": "rede-saude-integra",
                "gap": "facilitator",
                "created_at": stamp,
                "pages_checked": json.dumps(["https://saude-integra.example/sobre"]),
            },
            {
                "run_id": 7,
                "initiative_id": "pacto-obras-limpias",
                "gap": "activity",
                "created_at": stamp,
                "pages_checked": json.dumps(["https://obras-limpias.example/quienes-somos"]),
            },
        ]
    )

    def proposal(
        key: str,
        initiative_id: str,
        field: str,
        proposed: Any,
        *,
        lang: str,
        confidence: float,
        evidence: list[dict[str, str]],
        run_id: int = 7,
        current: Any = ...,
    ) -> tuple[str, dict[str, Any]]:
        value = _hub_value(data_dir, initiative_id, field) if current is ... else current
        return key, {
            "initiative_id": initiative_id,
            "field": field,
            "current_value": encode_json(value),
            "proposed_value": encode_json(proposed),
            "evidence": json.dumps(evidence, ensure_ascii=False),
            "evidence_hash": key,
            "confidence": confidence,
            "language": lang,
            "run_id": run_id,
            "first_run_id": run_id,
            "status": "pending",
            "created_at": stamp,
            "updated_at": stamp,
        }

    es_quote = {
        "url": "https://obras-limpias.example/quienes-somos",
        "language": "es",
        "quote": "Promovemos la integridad y la transparencia en la contratación pública de obras de "
        "infraestructura en Colombia y Panamá.",
    }
    rows = [
        proposal(
            "mission_es",
            "pacto-obras-limpias",
            "mission",
            NEW_MISSION_ES,
            lang="es",
            confidence=0.92,
            evidence=[es_quote],
        ),
        proposal(
            "countries_es",
            "pacto-obras-limpias",
            "countries",
            ["CO", "PA"],
            lang="es",
            confidence=0.81,
            evidence=[es_quote],
        ),
        proposal(
            "year_es",
            "pacto-obras-limpias",
            "start_year",
            2015,
            lang="es",
            confidence=0.55,
            evidence=[{**es_quote, "quote": "Desde 2015 trabajamos con las constructoras."}],
        ),
        proposal(
            "mission_pt",
            "rede-saude-integra",
            "mission",
            "Reunir empresas de saúde comprometidas com a ética nas compras públicas.",
            lang="pt",
            confidence=0.88,
            evidence=[
                {
                    "url": "https://saude-integra.example/sobre",
                    "language": "pt",
                    "quote": "A rede reúne empresas de saúde comprometidas com a ética nas compras públicas.",
                }
            ],
        ),
        proposal(
            "stakeholders_fr",
            "alliance-portuaire",
            "stakeholder_groups",
            ["private_sector", "public_sector", "civil_society"],
            lang="fr",
            confidence=0.74,
            run_id=8,
            evidence=[
                {
                    "url": "https://alliance-portuaire.example/membres",
                    "language": "fr",
                    "quote": "L'alliance associe les entreprises, les autorités portuaires "
                    "et la société civile.",
                }
            ],
        ),
        proposal(
            "status_ru",
            "chestny-biznes",
            "status",
            "active",
            lang="ru",
            confidence=0.61,
            run_id=8,
            evidence=[
                {
                    "url": "https://chestny-biznes.example/novosti",
                    "language": "ru",
                    "quote": "Новости за ноябрь 2026 года: новые участники присоединились к соглашению.",
                }
            ],
        ),
        proposal(
            "xss_it",
            "etica-appalti",
            "mission",
            XSS_MISSION,
            lang="it",
            confidence=0.7,
            evidence=[
                {
                    "url": XSS_URL,
                    "language": "it",
                    "quote": "<b onmouseover=\"window.__xss='quote'\">integrità</b> "
                    "<script>window.__xss='q2'</script>",
                }
            ],
        ),
        proposal(
            "stale_de",
            "initiative-energie-sauber",
            "mission",
            "Wir fördern saubere Geschäfte in der Energiewirtschaft.",
            lang="de",
            confidence=0.83,
            current="Eine frühere Mission, die es im Hub nicht mehr gibt.",
            evidence=[
                {
                    "url": "https://energie-sauber.example/ueber-uns",
                    "language": "de",
                    "quote": "Wir fördern saubere Geschäfte in der Energiewirtschaft.",
                }
            ],
        ),
    ]
    ids = {}
    for key, row in rows:
        table = staging["proposals"]
        table.insert(row)
        ids[key] = int(table.last_pk)
    staging.conn.commit()
    return ids


@pytest.fixture
def review_data_dir(hub_data_dir: Path) -> Path:
    """The example hub with staged proposals, pages and gaps."""
    stage_review_data(hub_data_dir)
    return hub_data_dir


@pytest.fixture
def proposal_ids(review_data_dir: Path) -> dict[str, int]:
    staging = db.open_staging(review_data_dir)
    return {r["evidence_hash"]: r["id"] for r in staging["proposals"].rows}


@pytest.fixture(scope="session")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Accounts made once per session (PBKDF2 is slow on purpose) and copied into each data folder."""
    folder = tmp_path_factory.mktemp("accounts")
    for name, password in PASSWORDS.items():
        accounts.add(folder, name, password, ROLES[name])
    return accounts.accounts_path(folder)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """`cahub review`'s Datasette app served by uvicorn in a thread on a free loopback port."""

    def __init__(self, data_dir: Path):
        import uvicorn

        from review_ui import server

        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = server.make_datasette(data_dir, secret="test-secret").app()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("Datasette did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(review_data_dir: Path, accounts_file: Path) -> Iterator[LiveServer]:
    shutil.copy(accounts_file, accounts.accounts_path(review_data_dir))
    with LiveServer(review_data_dir) as server:
        yield server


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for all the browser tests (they share one module); never a downloaded one.

    Module scope, not session: Playwright's sync API runs an event loop while it is open, and another
    package's test starting its own Playwright later in the session must not find ours still running.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context()
    yield ctx
    with contextlib.suppress(Exception):
        ctx.close()


def login(page: Any, live: LiveServer, name: str) -> None:
    page.goto(live.url + "/-/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("form [type=submit]")
    page.wait_for_load_state()
