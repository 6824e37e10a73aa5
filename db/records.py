"""Reading, validating and writing initiative records as CSV or JSON files.

A file is validated whole before anything is written: the caller gets either every record, clean and
normalised, or one message per problem (row, field, value, what is allowed) and nothing else.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry

from .countries import country_code
from .vocabulary import FIELD_NAMES, FIELDS, FIELDS_BY_NAME, Field

LIST_SEPARATOR = ";"
TRUE_WORDS = {"true", "yes", "1", "y"}
FALSE_WORDS = {"false", "no", "0", "n"}
MAX_FILE_BYTES = 200 * 1024 * 1024


class RecordFileError(Exception):
    """A file that cannot be imported, with every problem found in it."""

    def __init__(self, path: str | Path, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass
class RawRow:
    """One record as read from a file, before validation; `where` names it for messages ("row 3")."""

    where: str
    values: dict[str, Any]


def slugify(name: str) -> str:
    """A stable id from a name: lower case, accents dropped, words joined by hyphens (any script kept)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "-", plain).strip("-")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordFileError(
            path,
            [
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save the file as UTF-8 and import it again"
            ],
        ) from None


def read_rows(path: str | Path, fmt: str | None = None) -> list[RawRow]:
    """Read a CSV or JSON file into raw rows; raise RecordFileError for a file that cannot be parsed."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("csv", "json"):
        raise RecordFileError(path, [f"unknown format {fmt!r}: use a .csv or .json file"])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RecordFileError(path, [f"file is larger than {MAX_FILE_BYTES // 2**20} MiB"])
        data = path.read_bytes()
    except OSError as exc:
        raise RecordFileError(path, [exc.strerror or str(exc)]) from None
    text = _decode(path, data)
    if not text.strip():
        raise RecordFileError(path, ["file is empty: no records to import"])
    rows = _read_csv(path, text) if fmt == "csv" else _read_json(path, text)
    if not rows:
        raise RecordFileError(path, ["file has no records"])
    return rows


def _read_csv(path: Path, text: str) -> list[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise RecordFileError(path, [f"line 1: malformed CSV ({exc})"]) from None
    header = [h.strip() for h in header]
    problems = _check_columns(header)
    rows: list[RawRow] = []
    row_number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: malformed CSV ({exc}); check the quotes on that line")
            break
        row_number += 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                f"row {row_number}: has {len(cells)} cells but the header has {len(header)} columns"
            )
            continue
        rows.append(RawRow(f"row {row_number}", dict(zip(header, cells, strict=True))))
    if problems:
        raise RecordFileError(path, problems)
    return rows


def _read_json(path: Path, text: str) -> list[RawRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordFileError(path, [f"line {exc.lineno}: malformed JSON ({exc.msg})"]) from None
    if not isinstance(data, list):
        raise RecordFileError(path, ["JSON must be a list of objects, one per initiative"])
    problems: list[str] = []
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            problems.append(f"record {number}: is {type(item).__name__}, not an object")
            continue
        unknown = _check_columns(list(item), where=f"record {number}: ")
        problems.extend(unknown)
        rows.append(RawRow(f"record {number}", item))
    if problems:
        raise RecordFileError(path, problems)
    return rows


def _check_columns(names: list[str], where: str = "") -> list[str]:
    unknown = [n for n in names if n not in FIELDS_BY_NAME]
    problems = []
    if unknown:
        problems.append(
            f"{where}unknown column(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(FIELD_NAMES)}"
        )
    if not where and "name" not in names:
        problems.append("the header has no 'name' column (the only required one)")
    return problems


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    return [value]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


def _convert(spec: Field, value: Any) -> tuple[Any, str | None]:
    """Convert one raw value to its clean Python form, or explain what is allowed."""
    this_year = datetime.date.today().year
    kind = spec.kind
    if kind == "text":
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return None, "expected text"
        return str(value), None
    if kind == "enum":
        text = str(value).strip().lower()
        if text in spec.choices:
            return text, None
        return None, f"allowed: {', '.join(spec.choices)}"
    if kind == "bool":
        if isinstance(value, bool):
            return value, None
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True, None
        if text in FALSE_WORDS:
            return False, None
        return None, "allowed: true, false, yes, no, 1, 0"
    if kind == "year":
        text = str(value).strip()
        if isinstance(value, bool) or not re.fullmatch(r"\d{4}", text.removesuffix(".0")):
            return None, f"expected a four-digit year between 1900 and {this_year + 1}"
        year = int(text.removesuffix(".0"))
        if not 1900 <= year <= this_year + 1:
            return None, f"expected a year between 1900 and {this_year + 1}"
        return year, None
    if kind == "country":
        code = country_code(str(value))
        if code is None:
            return None, "expected an ISO 3166-1 country code (e.g. BR) or an English country name"
        return code, None
    items = _items(value)
    if any(not isinstance(i, str | int | float) or isinstance(i, bool) for i in items):
        return None, "expected a list of texts"
    items = [str(i).strip() for i in items if str(i).strip()]
    if any(LIST_SEPARATOR in i for i in items):
        return None, f"list items cannot contain {LIST_SEPARATOR!r}"
    out: list[str] = []
    for item in items:
        if kind == "url_list":
            if not _valid_url(item):
                return None, f"{item!r} is not an http(s) URL"
            converted = item
        elif kind == "enum_list":
            converted = item.lower()
            if converted not in spec.choices:
                return None, f"{item!r} is not allowed; allowed: {', '.join(spec.choices)}"
        elif kind == "country_list":
            code = country_code(item)
            if code is None:
                return None, f"{item!r} is not an ISO 3166-1 country code or an English country name"
            converted = code
        elif kind == "language_list":
            converted = item.lower()
            if len(converted) != 2 or pycountry.languages.get(alpha_2=converted) is None:
                return None, f"{item!r} is not an ISO 639-1 language code (e.g. en, es, ru)"
        else:
            converted = item
        if converted not in out:
            out.append(converted)
    return out, None


def validate(rows: Iterable[RawRow]) -> tuple[list[dict[str, Any]], list[str]]:
    """Clean every row; return the records and one message per problem (empty when all are valid)."""
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for row in rows:
        record: dict[str, Any] = {}
        row_ok = True
        for name, raw in row.values.items():
            spec = FIELDS_BY_NAME[name]
            if _blank(raw):
                record[name] = None
                continue
            value, error = _convert(spec, raw)
            if error:
                problems.append(f"{row.where}: field '{name}': value {_show(raw)}: {error}")
                row_ok = False
            record[name] = value
        if not record.get("name") or not str(record["name"]).strip():
            problems.append(f"{row.where}: field 'name': is required")
            continue
        record["name"] = str(record["name"]).strip()
        if not record.get("id"):
            record["id"] = slugify(record["name"])
        else:
            record["id"] = str(record["id"]).strip()
        if not record["id"]:
            problems.append(f"{row.where}: field 'id': could not make an id from the name; add an id column")
            continue
        start, end = record.get("start_year"), record.get("end_year")
        if start and end and end < start:
            problems.append(f"{row.where}: field 'end_year': value {end} is before start_year {start}")
            row_ok = False
        if record["id"] in seen:
            problems.append(
                f"{row.where}: field 'id': value {record['id']!r} is a duplicate of {seen[record['id']]}; "
                "ids must be unique"
            )
            row_ok = False
        seen.setdefault(record["id"], row.where)
        if row_ok:
            records.append(record)
    return records, problems


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def load(path: str | Path, fmt: str | None = None) -> list[dict[str, Any]]:
    """Read and validate a file; raise RecordFileError listing every problem."""
    records, problems = validate(read_rows(path, fmt))
    if problems:
        raise RecordFileError(path, problems)
    return records


def _csv_cell(field: str, value: Any) -> str:
    if value is None:
        return ""
    spec = FIELDS_BY_NAME[field]
    if spec.is_list:
        return f"{LIST_SEPARATOR} ".join(value)
    if spec.kind == "bool":
        return "true" if value else "false"
    return str(value)


def dump(records: Iterable[dict[str, Any]], fmt: str) -> Iterator[str]:
    """Write records in the shape `read_rows` reads, as chunks of text."""
    if fmt == "json":
        items = [{f: r.get(f) for f in FIELD_NAMES if r.get(f) is not None} for r in records]
        yield json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        return
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in FIELDS])
    for record in records:
        writer.writerow([_csv_cell(f.name, record.get(f.name)) for f in FIELDS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
