"""Two overlapping scheduled runs must not collide: the second exits at once, clearly, with its own code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cahub import pipeline


def test_second_run_exits_with_a_distinct_code_while_the_first_holds_the_lock(hub_data_dir: Path) -> None:
    with pipeline.run_lock(hub_data_dir):
        second = subprocess.run(
            [sys.executable, "-m", "cahub", "run", "--data-dir", str(hub_data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert second.returncode == pipeline.EXIT_LOCKED
    assert "another cahub run is in progress" in second.stderr
    assert "pid" in second.stderr


def test_lock_is_released_after_the_first_run(hub_data_dir: Path) -> None:
    with pipeline.run_lock(hub_data_dir):
        with pytest.raises(pipeline.RunLocked):
            with pipeline.run_lock(hub_data_dir):
                pass
    with pipeline.run_lock(hub_data_dir):
        pass
