"""Docs that cannot rot: the CLI reference must match every command's current --help."""

from __future__ import annotations

from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_up_to_date() -> None:
    status = Cog().main(["cog", "--check", str(ROOT / "docs" / "cli.md")])
    assert status == 0, "docs/cli.md is out of date: run `.venv/bin/cog -r docs/cli.md`"


def test_readme_names_the_two_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in readme and "bash scripts/test" in ci
    assert "bash scripts/demo" in readme
