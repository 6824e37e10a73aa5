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


def test_readme_usage_examples_run(tmp_path: Path) -> None:
    """Every command of the README's "Using it" block runs as written (with /tmp/ swapped for a test folder)."""
    import os
    import re
    import shlex
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Using it", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    commands = [c for c in commands if c and not c.startswith("source ")]
    assert len(commands) >= 5
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        argv = shlex.split(re.sub(r"/tmp/", f"{tmp_path}/", command))
        done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
