"""How record values are stored in SQLite and compared: lists as JSON text, booleans as 0/1.

Every stage that reads or writes a field value goes through these two functions, so a value that
round-trips through the database compares equal to itself.
"""

from __future__ import annotations

import json
from typing import Any

from .vocabulary import FIELDS_BY_NAME


def to_db(field: str, value: Any) -> Any:
    """The SQLite form of a Python field value."""
    if value is None:
        return None
    spec = FIELDS_BY_NAME.get(field)
    if spec is not None and spec.is_list:
        return json.dumps(list(value), ensure_ascii=False)
    if spec is not None and spec.kind == "bool":
        return int(bool(value))
    return value


def from_db(field: str, value: Any) -> Any:
    """The Python form of a stored field value."""
    if value is None:
        return None
    spec = FIELDS_BY_NAME.get(field)
    if spec is not None and spec.is_list:
        return json.loads(value) if isinstance(value, str) else list(value)
    if spec is not None and spec.kind == "bool":
        return bool(value)
    return value


def encode_json(value: Any) -> str | None:
    """A field value as JSON, for the history and proposal columns that hold values of any field."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def decode_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def normalise(field: str, value: Any) -> Any:
    """A comparable form of a value: folded white space and case for text, sets for lists."""
    if value is None or value == "" or value == []:
        return None
    spec = FIELDS_BY_NAME.get(field)
    if spec is not None and spec.is_list:
        return frozenset(" ".join(str(v).split()).casefold() for v in value)
    if isinstance(value, str):
        return " ".join(value.split()).casefold()
    return value
