"""The Datasette hooks of the review UI: actions, routes, menu and row links, events.

The views live in `views.py`; this module only tells Datasette what the plugin adds, so the surface is
visible in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.events import Event
from datasette.permissions import Action

from .. import views

REVIEW = "review-proposals"
PUBLISH = "publish-hub"


@dataclass
class ReviewDecisionEvent(Event):
    """A curator decided proposals (one or several at once)."""

    name = "review-decision"
    decision: str
    proposal_ids: list[int]
    applied: int


@dataclass
class PublishEvent(Event):
    """A publisher published approved proposals, or rolled a batch back."""

    name = "hub-publish"
    kind: str
    batch_id: int | None
    changes: int


@hookimpl
def register_actions(datasette: Any) -> list[Action]:
    return [
        Action(name=REVIEW, abbr="rp", description="Review proposed changes: approve, edit or reject them"),
        Action(
            name=PUBLISH, abbr="ph", description="Publish approved changes to hub.db and roll batches back"
        ),
    ]


@hookimpl
def register_events(datasette: Any) -> list[type[Event]]:
    return [ReviewDecisionEvent, PublishEvent]


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/review$", views.queue),
        (r"^/-/review/initiative/(?P<initiative_id>[^/]+)$", views.initiative),
        (r"^/-/review/decide$", views.decide),
        (r"^/-/review/bulk$", views.bulk),
        (r"^/-/review/page/(?P<page_id>\d+)$", views.stored_page),
        (r"^/-/review/publish$", views.publish),
        (r"^/-/review/rollback$", views.rollback),
    ]


@hookimpl
def menu_links(datasette: Any, actor: Any, request: Any) -> Any:
    async def inner() -> list[dict[str, str]]:
        if not await datasette.allowed(action=REVIEW, actor=actor):
            return []
        count = await views.pending_count(datasette)
        links = [{"href": datasette.urls.path("/-/review"), "label": f"Review queue ({count:,} pending)"}]
        if await datasette.allowed(action=PUBLISH, actor=actor):
            links.append({"href": datasette.urls.path("/-/review/publish"), "label": "Publish to the hub"})
        return links

    return inner


@hookimpl
def row_actions(datasette: Any, actor: Any, request: Any, database: str, table: str, row: Any) -> Any:
    if database != "hub" or table != "initiatives":
        return None

    async def inner() -> list[dict[str, str]]:
        initiative_id = str(row["id"])
        links = [
            {
                "href": datasette.urls.table("hub", "changes")
                + "?initiative_id="
                + quote(initiative_id, safe="")
                + "&_sort_desc=id",
                "label": "History of this initiative",
                "description": "Every published change, with its proposal, curator and batch",
            }
        ]
        if await datasette.allowed(action=REVIEW, actor=actor):
            links.append(
                {
                    "href": datasette.urls.path("/-/review/initiative/" + quote(initiative_id, safe="")),
                    "label": "Pending review",
                    "description": "Proposed changes to this initiative waiting for a curator",
                }
            )
        return links

    return inner


@hookimpl
def extra_template_vars(template: str, datasette: Any, request: Any) -> Any:
    if not template.startswith("review_"):
        return None

    async def inner() -> dict[str, Any]:
        actor = request.actor if request else None
        return {
            "can_review": await datasette.allowed(action=REVIEW, actor=actor),
            "can_publish": await datasette.allowed(action=PUBLISH, actor=actor),
            "review_static": lambda path: datasette.urls.static_plugins(_static_name(), path),
        }

    return inner


@lru_cache(maxsize=1)
def _static_name() -> str:
    """The name Datasette mounted this plugin's static/ folder under (the distribution's name)."""
    from datasette.plugins import get_plugins

    here = str(Path(__file__).parent / "static")
    for plugin in get_plugins():
        if plugin["static_path"] and Path(plugin["static_path"]) == Path(here):
            return str(plugin["name"])
    return "cahub"


@hookimpl
def track_event(datasette: Any, event: Event) -> None:
    """Log decisions and publishes; the durable record is in the decisions and changes tables."""
    if isinstance(event, ReviewDecisionEvent | PublishEvent):
        views.log.info("%s by %s: %s", event.name, (event.actor or {}).get("id"), event.properties())
