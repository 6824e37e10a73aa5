"""The review commands: `cahub review` serves the plugin, `curator add` never echoes; publish, rollback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from datasette_auth_passwords.utils import verify_password

import db
from db import hub, review
from review_ui import accounts

from .conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]


def test_curator_add_prompts_for_the_password_without_echo(data_dir: Path, run_cli) -> None:
    result = run_cli(
        "curator",
        "add",
        "carla",
        "--role",
        "publisher",
        "--data-dir",
        data_dir,
        input="s3cret-clave-9\ns3cret-clave-9\n",
    )
    assert result.exit_code == 0, result.output
    assert "s3cret-clave-9" not in result.output
    assert "created publisher carla" in result.output
    stored = accounts.load(data_dir)["carla"]
    assert stored["role"] == "publisher" and verify_password("s3cret-clave-9", stored["password_hash"])
    assert "s3cret" not in accounts.accounts_path(data_dir).read_text()
    assert oct(accounts.accounts_path(data_dir).stat().st_mode & 0o777) == "0o600"


def test_curator_add_refuses_bad_input_and_writes_nothing(data_dir: Path, run_cli) -> None:
    bad_name = run_cli(
        "curator", "add", "Carla Gómez", "--data-dir", data_dir, input="long-enough-1\nlong-enough-1\n"
    )
    assert bad_name.exit_code != 0 and "not a valid name" in bad_name.output
    short = run_cli("curator", "add", "carla", "--data-dir", data_dir, input="short\nshort\n")
    assert short.exit_code != 0 and "at least 8 characters" in short.output
    mismatch = run_cli(
        "curator", "add", "carla", "--data-dir", data_dir, input="long-enough-1\nother-value-2\n"
    )
    assert mismatch.exit_code != 0
    assert not accounts.accounts_path(data_dir).exists()


def test_publish_and_rollback_commands(hub_data_dir: Path, run_cli) -> None:
    assert "nothing to publish" in run_cli("publish", "--data-dir", hub_data_dir).output
    staging = db.open_staging(hub_data_dir)
    table = staging["proposals"]
    table.insert(
        {
            "initiative_id": "chestny-biznes",
            "field": "status",
            "current_value": '"inactive"',
            "proposed_value": '"active"',
            "evidence": "[]",
            "status": "pending",
            "confidence": 0.7,
        }
    )
    staging.conn.commit()
    assert review.decide(staging.conn, int(table.last_pk), "alice", "approve", hub_value="inactive").applied
    published = run_cli("publish", "--publisher", "paula", "--data-dir", hub_data_dir)
    assert "1 field changes from 1 proposals" in published.output
    assert hub.get_initiative(db.open_hub(hub_data_dir), "chestny-biznes")["status"] == "active"
    batch = db.open_staging(hub_data_dir)["proposals"].get(table.last_pk)["published_batch"]
    rolled = run_cli("rollback", "--batch", batch, "--by", "paula", "--data-dir", hub_data_dir)
    assert f"batch {batch} rolled back" in rolled.output
    assert hub.get_initiative(db.open_hub(hub_data_dir), "chestny-biznes")["status"] == "inactive"
    again = run_cli("rollback", "--batch", batch, "--data-dir", hub_data_dir)
    assert again.exit_code != 0 and "already rolled back" in again.output


def test_cahub_review_serves_both_databases_with_the_plugin(review_data_dir: Path) -> None:
    port = _free_port()
    cahub = Path(sys.executable).with_name("cahub")
    server = subprocess.Popen(
        [str(cahub), "review", "--port", str(port), "--data-dir", str(review_data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "DATASETTE_SECRET": "x" * 32},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                plugins = json.load(urllib.request.urlopen(base + "/-/plugins.json"))
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and server.poll() is None, server.stderr
                time.sleep(0.2)
        ours = [p for p in plugins if "register_actions" in p["hooks"] and "row_actions" in p["hooks"]]
        assert ours and ours[0]["templates"] and ours[0]["static"]
        databases = json.load(urllib.request.urlopen(base + "/hub.json"))
        assert "initiatives" in {t["name"] for t in databases["tables"]}
        for path in ("/-/review", "/staging"):
            try:
                urllib.request.urlopen(base + path)
                raise AssertionError(f"{path} is open to anonymous visitors")
            except urllib.error.HTTPError as exc:
                assert exc.code == 403
    finally:
        server.terminate()
        server.wait(timeout=10)
