"""The review pages: queue, an initiative's proposals, decisions, stored page copies, publish and rollback.

Every page checks the plugin's actions first; every write is a POST (Datasette refuses cross-site ones)
run through `execute_write_fn`, so it is one transaction on Datasette's write connection. All SQL is in
`db.review` and `db.publish`.
"""

from __future__ import annotations

import logging
import time
import zlib
from typing import Any
from urllib.parse import quote, urlencode

from datasette import Forbidden
from datasette.utils.asgi import NotFound, Response

import lexicons
from db import publish as publishing
from db import review
from db.countries import country_name
from db.hub import same_value
from db.values import encode_json
from db.vocabulary import FIELDS_BY_NAME, label

from . import diff

log = logging.getLogger("review_ui")

REVIEW = "review-proposals"
PUBLISH = "publish-hub"
PAGE_SIZE = 50
LANGUAGES = [*lexicons.available(), "unknown"]
MAX_PAGE_TEXT = 200_000  # characters of a stored page shown; the rest is cut with a note


async def _require(datasette: Any, request: Any, action: str) -> dict[str, Any]:
    actor = request.actor
    if not actor or not await datasette.allowed(action=action, actor=actor):
        raise Forbidden(f"You need the {action} permission: log in as a curator at /-/login")
    return dict(actor)


def _staging(datasette: Any) -> Any:
    return datasette.get_database("staging")


def _hub(datasette: Any) -> Any:
    return datasette.get_database("hub")


async def pending_count(datasette: Any) -> int:
    return int(await _staging(datasette).execute_fn(review.pending_count))


_COUNTRIES: dict[int, tuple[float, list[str]]] = {}
COUNTRIES_TTL = 60.0  # seconds; the list only grows when a publish adds a country


async def _countries(datasette: Any) -> list[str]:
    """The countries of the hub for the queue's filter, cached briefly: reading them costs a JSON scan."""
    cached = _COUNTRIES.get(id(datasette))
    if cached and time.monotonic() - cached[0] < COUNTRIES_TTL:
        return cached[1]
    countries = await _hub(datasette).execute_fn(review.hub_countries)
    _COUNTRIES[id(datasette)] = (time.monotonic(), countries)
    return list(countries)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _render(datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200) -> Any:
    async def inner() -> Response:
        html = await datasette.render_template(template, context, request=request)
        return Response.html(html, status=status)

    return inner()


async def queue(request: Any, datasette: Any) -> Response:
    await _require(datasette, request, REVIEW)
    args = request.args
    filters = review.QueueFilters(
        status="stale" if args.get("status") == "stale" else "pending",
        field=args.get("field") or None,
        language=args.get("language") or None,
        min_confidence=_float(args.get("min_confidence")),
        run_id=_int(args.get("run")),
        initiative=(args.get("initiative") or "").strip() or None,
    )
    country = (args.get("country") or "").strip().upper()
    if country:
        filters.initiative_ids = await _hub(datasette).execute_fn(
            lambda conn: review.initiatives_in_country(conn, country)
        )
    sort = args.get("sort") if args.get("sort") in review.SORTS else "pending"
    page_number = max(1, _int(args.get("page")) or 1)
    page = await _staging(datasette).execute_fn(
        lambda conn: review.queue(conn, filters, sort, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
    )
    choices = await _staging(datasette).execute_fn(review.filter_choices)
    ids = [r["initiative_id"] for r in page.rows]
    names = await _hub(datasette).execute_fn(lambda conn: review.initiative_names(conn, ids))
    countries = await _countries(datasette)
    for row in page.rows:
        row["name"] = names.get(row["initiative_id"], "")
        row["href"] = datasette.urls.path("/-/review/initiative/" + quote(row["initiative_id"], safe=""))
        row["field_labels"] = [label(f) for f in row["fields"]]
    current = {k: args.get(k) for k in args.keys() if k != "page" and args.get(k)}
    pages = (page.total_initiatives + PAGE_SIZE - 1) // PAGE_SIZE
    return await _render(
        datasette,
        request,
        "review_queue.html",
        {
            "page": page,
            "filters": current,
            "sort": sort,
            "sorts": list(review.SORTS),
            "fields": [(f, label(f)) for f in choices["field"]],
            "languages": LANGUAGES,
            "runs": choices["run"],
            "countries": [(c, country_name(c)) for c in countries],
            "page_number": page_number,
            "pages": pages,
            "prev_url": "?" + urlencode({**current, "page": page_number - 1}) if page_number > 1 else None,
            "next_url": "?" + urlencode({**current, "page": page_number + 1})
            if page_number < pages
            else None,
        },
    )


async def initiative(request: Any, datasette: Any) -> Response:
    await _require(datasette, request, REVIEW)
    initiative_id = request.url_vars["initiative_id"]
    staging, hub = _staging(datasette), _hub(datasette)
    proposals = await staging.execute_fn(lambda conn: review.proposals_for(conn, initiative_id))
    record = await hub.execute_fn(lambda conn: review.hub_record(conn, initiative_id))
    if record is None and not proposals:
        raise NotFound(f"No initiative {initiative_id!r} in the hub and no proposals for it")
    gaps = await staging.execute_fn(lambda conn: review.gaps_for(conn, initiative_id))
    decisions = await staging.execute_fn(
        lambda conn: review.decisions_for(conn, [p["id"] for p in proposals])
    )

    def link_pages(conn: Any) -> dict[str, int | None]:
        urls = {e.get("url") for p in proposals for e in p["evidence_list"]}
        urls |= {u for g in gaps for u in g["pages"]}
        return {str(u): review.page_for_url(conn, initiative_id, str(u)) for u in urls if u}

    stored = await staging.execute_fn(link_pages)
    cards = []
    for p in proposals:
        hub_value = (record or {}).get(p["field"])
        is_open = p["status"] in review.OPEN
        stale = is_open and review.is_stale(p, hub_value)
        shown_old = hub_value if is_open else p["current"]
        shown_new = p["approved"] if p["status"] in ("approved", "published") else p["proposed"]
        evidence = []
        for e in p["evidence_list"]:
            url = str(e.get("url") or "")
            page_id = stored.get(url)
            evidence.append(
                {
                    "url": url,
                    "safe_link": url if url.lower().startswith(("http://", "https://")) else None,
                    "quote": str(e.get("quote") or "")[:2000],
                    "language": str(e.get("language") or ""),
                    "stored_href": datasette.urls.path(f"/-/review/page/{page_id}") if page_id else None,
                }
            )
        cards.append(
            {
                **p,
                "label": label(p["field"]),
                "open": is_open,
                "stale": stale,
                "already": is_open and same_value(p["field"], hub_value, p["proposed"]),
                "diff": diff.describe(p["field"], shown_old, shown_new),
                "proposed_against": diff.describe(p["field"], p["current"], hub_value) if stale else None,
                "seen": encode_json(hub_value) or "null",
                "version": review.version(p),
                "edit_text": diff.edit_text(p["field"], p["proposed"]),
                "is_list": FIELDS_BY_NAME[p["field"]].is_list if p["field"] in FIELDS_BY_NAME else False,
                "choices": FIELDS_BY_NAME[p["field"]].choices if p["field"] in FIELDS_BY_NAME else (),
                "evidence": evidence,
                "decisions": decisions.get(p["id"], []),
            }
        )
    gap_rows = [
        {
            "label": label(g["gap"]),
            "run_id": g["run_id"],
            "pages": [
                {
                    "url": u,
                    "stored_href": datasette.urls.path(f"/-/review/page/{stored[u]}")
                    if stored.get(u)
                    else None,
                }
                for u in g["pages"]
            ],
        }
        for g in gaps
    ]
    open_cards = [c for c in cards if c["open"]]
    next_id = await staging.execute_fn(lambda conn: review.next_initiative(conn, initiative_id))
    return await _render(
        datasette,
        request,
        "review_initiative.html",
        {
            "initiative_id": initiative_id,
            "record": record,
            "name": (record or {}).get("name") or initiative_id,
            "cards": cards,
            "open_count": len(open_cards),
            "open_ids": ",".join(str(c["id"]) for c in open_cards),
            "gaps": gap_rows,
            "next_href": datasette.urls.path("/-/review/initiative/" + quote(next_id, safe=""))
            if next_id
            else None,
            "queue_href": datasette.urls.path("/-/review"),
            "hub_row_href": datasette.urls.row("hub", "initiatives", quote(initiative_id, safe=""))
            if record
            else None,
        },
    )


async def _form(request: Any) -> dict[str, str]:
    return dict(await request.post_vars())


def _back(datasette: Any, initiative_id: str | None, anchor: str = "") -> Response:
    if initiative_id:
        path = "/-/review/initiative/" + quote(initiative_id, safe="")
    else:
        path = "/-/review"
    return Response.redirect(datasette.urls.path(path) + anchor)


async def decide(request: Any, datasette: Any) -> Response:
    if request.method != "POST":
        return Response.text("POST only", status=405)
    actor = await _require(datasette, request, REVIEW)
    form = await _form(request)
    proposal_id = _int(form.get("proposal_id"))
    decision = form.get("decision", "")
    if proposal_id is None or decision not in review.DECISIONS:
        return Response.text("proposal_id and a decision (approve, reject, edit) are required", status=400)
    staging = _staging(datasette)
    proposal = await staging.execute_fn(lambda conn: review.get_proposal(conn, proposal_id))
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}")
    initiative_id = proposal["initiative_id"]
    record = await _hub(datasette).execute_fn(lambda conn: review.hub_record(conn, initiative_id))
    hub_value = (record or {}).get(proposal["field"])
    value = None
    if decision == "edit":
        try:
            value = review.validate_value(
                proposal["field"], diff.parse_edit(proposal["field"], form.get("value", ""))
            )
        except review.InvalidValue as exc:
            datasette.add_message(request, f"Not saved: {exc}", datasette.ERROR)
            return _back(datasette, initiative_id, f"#p{proposal_id}")
    outcome = await staging.execute_write_fn(
        lambda conn: review.decide(
            conn,
            proposal_id,
            actor["id"],
            decision,
            hub_value=hub_value,
            value=value,
            reason=form.get("reason"),
            seen_hub_value=form.get("seen"),
            seen_version=form.get("version"),
        ),
        request=request,
    )
    datasette.add_message(request, outcome.message, datasette.INFO if outcome.applied else datasette.WARNING)
    await datasette.track_event(
        _event("decision", actor, decision=decision, proposal_ids=[proposal_id], applied=int(outcome.applied))
    )
    return _back(datasette, initiative_id, "" if outcome.applied else f"#p{proposal_id}")


async def bulk(request: Any, datasette: Any) -> Response:
    if request.method != "POST":
        return Response.text("POST only", status=405)
    actor = await _require(datasette, request, REVIEW)
    form = await _form(request)
    initiative_id = form.get("initiative_id", "")
    decision = form.get("decision", "")
    if decision not in ("approve", "reject") or not initiative_id:
        return Response.text("initiative_id and a decision (approve or reject) are required", status=400)
    staging = _staging(datasette)
    proposals = await staging.execute_fn(
        lambda conn: review.proposals_for(conn, initiative_id, open_only=True)
    )
    record = await _hub(datasette).execute_fn(lambda conn: review.hub_record(conn, initiative_id)) or {}
    hub_values = {p["id"]: record.get(p["field"]) for p in proposals}
    # Only the proposals the curator saw on the page: one staged since then is not decided blind.
    shown = {_int(x) for x in (form.get("ids") or "").split(",")}
    ids = [p["id"] for p in proposals if p["id"] in shown]
    outcomes = await staging.execute_write_fn(
        lambda conn: review.decide_many(
            conn, ids, actor["id"], decision, hub_values=hub_values, reason=form.get("reason")
        ),
        request=request,
    )
    applied = [o for o in outcomes if o.applied]
    refused = [o for o in outcomes if not o.applied]
    verb = "approved" if decision == "approve" else "rejected"
    datasette.add_message(request, f"{len(applied)} proposals {verb}", datasette.INFO)
    for outcome in refused:
        datasette.add_message(request, outcome.message, datasette.WARNING)
    await datasette.track_event(
        _event("decision", actor, decision=decision, proposal_ids=ids, applied=len(applied))
    )
    return _back(datasette, initiative_id)


def _decode_body(page: dict[str, Any]) -> str:
    text = page.get("text") or ""
    if text:
        return str(text)
    body = page.get("body")
    if not body:
        return ""
    try:
        raw = zlib.decompress(body)
    except zlib.error:
        return "(the stored body could not be decompressed)"
    content_type = str(page.get("content_type") or "")
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


async def stored_page(request: Any, datasette: Any) -> Response:
    """The stored copy of a page, as escaped text in a <pre>: never the live HTML."""
    await _require(datasette, request, REVIEW)
    page_id = int(request.url_vars["page_id"])
    page = await _staging(datasette).execute_fn(lambda conn: review.stored_page(conn, page_id))
    if page is None:
        raise NotFound(f"No stored page {page_id}")
    show_raw = request.args.get("raw") == "1"
    text = _decode_body({**page, "text": None}) if show_raw else _decode_body(page)
    cut = len(text) > MAX_PAGE_TEXT
    response = await _render(
        datasette,
        request,
        "review_page.html",
        {
            "page": {k: v for k, v in page.items() if k != "body"},
            "text": text[:MAX_PAGE_TEXT],
            "cut": cut,
            "show_raw": show_raw,
            "has_body": page.get("body") is not None,
        },
    )
    # The stored copy is shown as escaped text; this header is a second wall: no inline script, nothing
    # loaded from elsewhere (Datasette's own inline menu helpers are blocked on this one page as well).
    response.headers["content-security-policy"] = "default-src 'self'; script-src 'self'; img-src 'self'"
    return response


async def publish(request: Any, datasette: Any) -> Response:
    actor = await _require(datasette, request, PUBLISH)
    staging, hub = _staging(datasette), _hub(datasette)
    if request.method == "POST":
        proposals = await staging.execute_fn(publishing.approved)
        result = await hub.execute_write_fn(
            lambda conn: publishing.apply(conn, proposals, actor["id"]), request=request
        )
        done = result.published + result.unchanged + result.already
        marks = await hub.execute_fn(lambda conn: publishing.batch_of(conn, done)) if done else {}
        await staging.execute_write_fn(lambda conn: publishing.mark_published(conn, marks), request=request)
        await staging.execute_write_fn(lambda conn: review.mark_stale(conn, result.values), request=request)
        if result.batch_id is None and not result.already:
            message = "Nothing to publish: no approved proposals"
        else:
            message = (
                f"Published batch {result.batch_id}: {result.changes} field changes from "
                f"{len(result.published) + len(result.unchanged)} proposals"
            )
        datasette.add_message(request, message, datasette.INFO)
        for pid, why in result.skipped.items():
            datasette.add_message(request, f"proposal {pid} not published: {why}", datasette.WARNING)
        await datasette.track_event(
            _event("publish", actor, kind="publish", batch_id=result.batch_id, changes=result.changes)
        )
        return Response.redirect(datasette.urls.path("/-/review/publish"))
    approved = await staging.execute_fn(publishing.approved)
    batches = await hub.execute_fn(publishing.batches)
    for b in batches:
        b["href"] = datasette.urls.table("hub", "changes") + f"?batch_id={b['id']}"
    return await _render(
        datasette,
        request,
        "review_publish.html",
        {"approved": approved, "batches": batches},
    )


async def rollback(request: Any, datasette: Any) -> Response:
    if request.method != "POST":
        return Response.text("POST only", status=405)
    actor = await _require(datasette, request, PUBLISH)
    form = await _form(request)
    batch_id = _int(form.get("batch_id"))
    if batch_id is None:
        return Response.text("batch_id is required", status=400)
    try:
        result = await _hub(datasette).execute_write_fn(
            lambda conn: publishing.rollback(conn, batch_id, actor["id"]), request=request
        )
    except publishing.RollbackRefused as exc:
        datasette.add_message(request, str(exc), datasette.ERROR)
    else:
        await _staging(datasette).execute_write_fn(
            lambda conn: review.mark_stale(conn, result.values), request=request
        )
        datasette.add_message(
            request,
            f"Batch {batch_id} rolled back as batch {result.batch_id} ({result.changes} values restored)",
            datasette.INFO,
        )
        await datasette.track_event(
            _event("publish", actor, kind="rollback", batch_id=result.batch_id, changes=result.changes)
        )
    return Response.redirect(datasette.urls.path("/-/review/publish"))


def _event(event_type: str, actor: dict[str, Any], **properties: Any) -> Any:
    from .plugin import PublishEvent, ReviewDecisionEvent  # noqa: PLC0415 (the plugin imports this module)

    if event_type == "decision":
        return ReviewDecisionEvent(actor=actor, **properties)
    return PublishEvent(actor=actor, **properties)
