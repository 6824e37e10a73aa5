"""Scoring extraction against an evaluation set: precision and recall per field, and page language accuracy.

An evaluation site is a folder of pages plus `expected.json` (what a curator reads on those pages).
Text values match when they share most of their words; lists are scored item by item; contacts match
any accepted value.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from .extract import extract_site, read_source

TEXT = {"mission", "goals", "activities", "facilitator"}
LISTS = {"stakeholder_groups", "countries", "industries"}
_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(str(text))}


def text_match(expected: str, found: str) -> bool:
    e, f = _words(expected), _words(found)
    if not e or not f:
        return False
    common = len(e & f)
    return common / len(e) >= 0.6 and common / len(f) >= 0.4


def _name(value: str) -> str:
    return " ".join(_WORD.findall(str(value).casefold()))


def _member_hits(expected: list[str], found: list[str]) -> int:
    exp = [_name(v) for v in expected]
    hits = 0
    for value in found:
        name = _name(value)
        if any(name and (name == e or name in e or e in name) for e in exp):
            hits += 1
    return hits


def score_field(name: str, expected: Any, found: Any) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) for one field of one site."""
    if name in LISTS:
        exp, got = set(expected or []), set(found or [])
        return len(exp & got), len(got - exp), len(exp - got)
    if name == "members":
        e, f = list(expected or []), list(found or [])
        hits = _member_hits(e, f)
        return hits, len(f) - hits, max(0, len(e) - hits)
    if found is None:
        return 0, 0, int(expected is not None)
    if expected is None:
        return 0, 1, 0
    if name in TEXT:
        ok = text_match(expected, found)
    elif name == "contact":
        ok = str(found).casefold() in {str(v).casefold() for v in expected}
    else:
        ok = found == expected
    return (1, 0, 0) if ok else (0, 1, 1)


def run_site(folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    sources = [str(folder / name) for name in expected["pages"]]
    return expected, extract_site(read_source(s, expected["base_url"]) for s in sources)


def evaluate(root: Path) -> dict[str, Any]:
    """Score every site under `root`; returns per-field precision/recall, language accuracy and the misses."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    pages_ok = pages = 0
    misses: list[str] = []
    for folder in sorted(p for p in root.iterdir() if (p / "expected.json").exists()):
        expected, result = run_site(folder)
        for page in result["pages"]:
            want = expected["pages"].get(page["url"].rsplit("/", 1)[-1])
            pages += 1
            pages_ok += int(page["language"] == want)
            if page["language"] != want:
                misses.append(f"{folder.name} {page['url']}: language {page['language']} != {want}")
        fields = result["fields"]
        names = set(expected["fields"]) | {k for k in fields if k not in ("languages", "last_activity")}
        for name in sorted(names):
            found = fields.get(name, {}).get("value")
            tp, fp, fn = score_field(name, expected["fields"].get(name), found)
            for i, n in enumerate((tp, fp, fn)):
                totals[name][i] += n
            if fp or fn:
                misses.append(
                    f"{folder.name} {name}: expected {expected['fields'].get(name)!r}, found {found!r}"
                )
    per_field = {}
    for name, (tp, fp, fn) in sorted(totals.items()):
        per_field[name] = {
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    return {
        "fields": per_field,
        "language_accuracy": pages_ok / pages if pages else 0.0,
        "pages": pages,
        "misses": misses,
    }
