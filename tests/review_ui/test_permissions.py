"""The grants in review_ui/datasette.yaml: who may review, publish, and see staging.db."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from datasette.resources import DatabaseResource, TableResource

from review_ui import server

CURATOR = {"id": "alice", "role": "curator"}
PUBLISHER = {"id": "paula", "role": "publisher"}


def test_actions_are_registered_and_granted_by_role(data_dir: Path) -> None:
    datasette = server.make_datasette(data_dir)

    async def check() -> dict[str, list[bool]]:
        await datasette.invoke_startup()
        assert {"review-proposals", "publish-hub"} <= set(datasette.actions)
        out = {}
        for action in ("review-proposals", "publish-hub"):
            out[action] = [
                await datasette.allowed(action=action, actor=a) for a in (None, CURATOR, PUBLISHER)
            ]
        out["staging"] = [
            await datasette.allowed(action="view-database", resource=DatabaseResource("staging"), actor=a)
            for a in (None, CURATOR, PUBLISHER)
        ]
        out["hub"] = [
            await datasette.allowed(
                action="view-table", resource=TableResource("hub", "initiatives"), actor=a
            )
            for a in (None, CURATOR)
        ]
        out["write"] = [
            await datasette.allowed(action=action, resource=TableResource("hub", "initiatives"), actor=a)
            for action in ("insert-row", "update-row", "delete-row")
            for a in (None, CURATOR)
        ]
        out["sql"] = [
            await datasette.allowed(action="execute-sql", resource=DatabaseResource("hub"), actor=None)
        ]
        return out

    # in a thread of its own: Playwright's sync API may hold an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(lambda: asyncio.run(check())).result()
    assert result["review-proposals"] == [False, True, True]
    assert result["publish-hub"] == [False, False, True]
    assert result["staging"] == [False, True, True]
    assert result["hub"] == [True, True]
    assert result["write"] == [False] * 6
    assert result["sql"] == [False]
