"""How a proposal is shown: the hub value beside the proposed one, as data the templates render escaped.

Text gets a word-level diff (difflib over words and the spaces between them), lists and countries get the
items added, removed and kept, with country names beside their codes. Nothing here builds HTML: the
templates escape every piece, so scraped text can never become markup.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from db.countries import country_name
from db.vocabulary import FIELDS_BY_NAME, label

_TOKENS = re.compile(r"\s+|[^\s]+")
MAX_DIFF_CHARS = 20_000


def display(field_name: str, value: Any) -> str:
    """One item of a value as a curator reads it: labels for identifiers, names beside country codes."""
    spec = FIELDS_BY_NAME.get(field_name)
    if value is None:
        return ""
    if spec is not None and spec.kind in ("country", "country_list"):
        name = country_name(str(value))
        return f"{value} · {name}" if name != value else str(value)
    if spec is not None and spec.kind == "bool":
        return "yes" if value else "no"
    if spec is not None and spec.choices and isinstance(value, str) and value in spec.choices:
        return f"{label(value)} ({value})"
    return str(value)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) segments: op is `same`, `del` or `ins`; the old and new texts rebuild from them."""
    a = _TOKENS.findall(old[:MAX_DIFF_CHARS])
    b = _TOKENS.findall(new[:MAX_DIFF_CHARS])
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", "".join(b[j1:j2])))
    return segments


def list_diff(field_name: str, old: list[Any] | None, new: list[Any] | None) -> dict[str, Any]:
    """Items added and removed (case-insensitive), and both sides with each item marked, in their order."""
    old_items, new_items = list(old or []), list(new or [])
    folded_old = {str(v).casefold() for v in old_items}
    folded_new = {str(v).casefold() for v in new_items}
    return {
        "added": [display(field_name, v) for v in new_items if str(v).casefold() not in folded_old],
        "removed": [display(field_name, v) for v in old_items if str(v).casefold() not in folded_new],
        "kept": [display(field_name, v) for v in new_items if str(v).casefold() in folded_old],
        "old_side": [(display(field_name, v), str(v).casefold() in folded_new) for v in old_items],
        "new_side": [(display(field_name, v), str(v).casefold() in folded_old) for v in new_items],
    }


def describe(field_name: str, old: Any, new: Any) -> dict[str, Any]:
    """What the review page needs to show one change: its kind and the pieces to render."""
    spec = FIELDS_BY_NAME.get(field_name)
    if spec is not None and spec.is_list or isinstance(old, list) or isinstance(new, list):
        as_list = [old] if old is not None and not isinstance(old, list) else old
        new_list = [new] if new is not None and not isinstance(new, list) else new
        return {"kind": "list", **list_diff(field_name, as_list, new_list)}
    if (
        spec is not None
        and spec.kind == "text"
        and (isinstance(old, str) or old is None)
        and isinstance(new, str)
    ):
        return {"kind": "text", "segments": word_diff(old or "", new), "old": old or "", "new": new}
    return {"kind": "scalar", "old": display(field_name, old), "new": display(field_name, new)}


def edit_text(field_name: str, value: Any) -> str:
    """A value as the text a curator edits: one item a line for lists."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def parse_edit(field_name: str, text: str) -> Any:
    """The edited text back as a value of the field (validation happens in db.review)."""
    spec = FIELDS_BY_NAME.get(field_name)
    if spec is not None and spec.is_list:
        return [line.strip() for line in re.split(r"[\n;]", text) if line.strip()]
    return text.strip()
