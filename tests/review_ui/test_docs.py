"""docs/review.md cannot fall behind the plugin: every action, route and review command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from cahub.cli import cli
from review_ui import plugin

DOC = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text(encoding="utf-8")


def test_every_registered_action_is_documented() -> None:
    for action in plugin.register_actions(None):
        assert f"`{action.name}`" in DOC, action.name


def test_every_review_command_and_option_is_documented() -> None:
    for name in ("review", "publish", "rollback"):
        assert f"cahub {name}" in DOC, name
        for param in cli.commands[name].params:
            flag = max(param.opts, key=len)
            assert flag in DOC, f"cahub {name} {flag}"
    assert "cahub curator add" in DOC and "--role publisher" in DOC


def test_every_page_route_is_documented() -> None:
    pages = [pattern for pattern, _view in plugin.register_routes()]
    assert len(pages) == 7
    for path in ("/-/review", "/-/review/initiative/ID", "/-/review/page/N", "/-/review/publish"):
        assert path in DOC, path
    assert re.search(r"\(review-page\.png\)", DOC)
