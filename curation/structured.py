"""Structured data a page declares about itself: JSON-LD Organization, OpenGraph, meta description, dates.

Sites often state their mission only in a meta description or in JSON-LD; these are supporting evidence with
a lower confidence than the visible text, since they are written for search engines rather than readers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

MAX_JSONLD_CHARS = 200_000
_ORG_TYPES = {
    "organization",
    "ngo",
    "nonprofitorganization",
    "governmentorganization",
    "corporation",
    "educationalorganization",
    "project",
    "fundingscheme",
    "localbusiness",
    "collegeoruniversity",
    "researchorganization",
    "organisation",
    "website",
}


@dataclass
class Structured:
    lang: str | None = None  # <html lang>
    title: str | None = None
    description: str | None = None  # meta description or og:description
    site_name: str | None = None
    locale: str | None = None
    organisation: dict[str, Any] = field(default_factory=dict)  # flattened JSON-LD Organization
    dates: list[str] = field(default_factory=list)  # ISO-ish dates declared in markup
    problems: list[str] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split())[:2000] or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _nodes(data: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object, through @graph and nested lists."""
    out: list[dict[str, Any]] = []
    stack = [data]
    while stack and len(out) < 500:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            out.append(item)
            if "@graph" in item:
                stack.append(item["@graph"])
    return out


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _organisation(node: dict[str, Any]) -> dict[str, Any]:
    org: dict[str, Any] = {}
    for key in ("name", "description", "foundingDate", "email", "telephone", "url", "slogan"):
        value = _text(node.get(key))
        if value:
            org[key] = value
    address = node.get("address")
    if isinstance(address, list) and address:
        address = address[0]
    if isinstance(address, dict):
        org["addressCountry"] = _text(address.get("addressCountry"))
        org["address"] = ", ".join(
            v
            for v in (_text(address.get(k)) for k in ("streetAddress", "addressLocality", "addressCountry"))
            if v
        )
    elif isinstance(address, str):
        org["address"] = _text(address)
    areas = node.get("areaServed")
    if areas:
        org["areaServed"] = [
            a for a in (_text(x) for x in (areas if isinstance(areas, list) else [areas])) if a
        ]
    members = node.get("member") or node.get("members")
    if members:
        org["members"] = [
            m for m in (_text(x) for x in (members if isinstance(members, list) else [members])) if m
        ]
    return {k: v for k, v in org.items() if v}


def extract(tree: etree._Element) -> Structured:
    """Read the head and JSON-LD scripts; bad JSON is a recorded problem, never an exception."""
    out = Structured()
    root = tree.getroottree().getroot()
    out.lang = (root.get("lang") or root.get("xml:lang") or "").split("-")[0].lower() or None
    title = tree.find(".//title")
    if title is not None and title.text:
        out.title = " ".join(title.text.split())[:500]
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if not content:
            continue
        if key in ("description", "og:description", "twitter:description") and not out.description:
            out.description = _text(content)
        elif key == "og:site_name":
            out.site_name = _text(content)
        elif key == "og:locale":
            out.locale = content.split("_")[0].lower()
        elif key in (
            "article:modified_time",
            "article:published_time",
            "og:updated_time",
            "datemodified",
            "datepublished",
            "date",
            "last-modified",
        ):
            out.dates.append(content[:40])
    for time_el in tree.iter("time"):
        value = time_el.get("datetime")
        if value:
            out.dates.append(value[:40])
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text[:MAX_JSONLD_CHARS])
        except ValueError as exc:
            out.problems.append(f"JSON-LD that does not parse: {exc}")
            continue
        for node in _nodes(data):
            for key in ("dateModified", "datePublished"):
                if isinstance(node.get(key), str):
                    out.dates.append(node[key][:40])
            if _types(node) & _ORG_TYPES and not out.organisation.get("description"):
                org = _organisation(node)
                if org:
                    out.organisation = {**org, **out.organisation}
    return out


YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
