"""Fixtures shared by every test package: a fresh data folder, the example hub, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import db
from cahub.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_HUB = ROOT / "examples" / "hub.csv"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An initialised, empty data folder."""
    folder = tmp_path / "data"
    db.init(folder)
    return folder


@pytest.fixture
def hub_data_dir(data_dir: Path) -> Path:
    """A data folder whose hub holds the example initiatives."""
    from db import hub, records

    hub.import_records(db.open_hub(data_dir), records.load(EXAMPLE_HUB))
    return data_dir


@pytest.fixture
def run_cli():
    """Invoke `cahub` in-process, as a user would type it; returns click's Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def make_pdf():
    """Write a real PDF holding the given lines, with the project's one PDF writer (scripts/make_example_pdf.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_example_pdf", ROOT / "scripts" / "make_example_pdf.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def build(lines: list[str], title: str = "Test document") -> bytes:
        return bytes(module.build_pdf("\n".join(lines), title))

    return build
