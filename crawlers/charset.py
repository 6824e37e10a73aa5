"""Decoding page bodies whose charset is declared wrongly or not at all (windows-1252, KOI8-R, ...).

Valid UTF-8 is trusted first (it is almost never an accident); a declared single-byte charset is kept
unless a detector finds a much more plausible one; with no usable declaration, the detector decides.
"""

from __future__ import annotations

import codecs
import re
from typing import Any

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Encodings the detector may choose among: the ones web pages actually use. Left free, it picks rare
# code pages (cp775 for French) on short texts.
WEB_ENCODINGS = [
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "iso8859_5",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "shift_jis",
    "euc_jp",
    "gb18030",
    "big5",
    "euc_kr",
]
# How much messier (charset_normalizer's chaos ratio), or less coherent, a declared charset's reading may
# be than the detector's best guess before the declaration is judged wrong.
MESS_MARGIN = 0.02
COHERENCE_MARGIN = 0.15
# Candidates this close to the detector's best are ties, settled in favour of the more common charset.
TIE_CHAOS = 0.05
TIE_COHERENCE = 0.1


def _rank(encoding: str) -> int:
    name = _normal(encoding)
    normals = [_normal(e) for e in WEB_ENCODINGS]
    return normals.index(name) if name in normals else len(normals)


def _detect(sample: bytes) -> tuple[str | None, Any]:
    """The detector's choice among web charsets; short texts often tie, and ties go to the commoner one."""
    results = list(from_bytes(sample, cp_isolation=WEB_ENCODINGS))
    if not results:
        return None, None
    best = results[0]
    close = [
        r
        for r in results
        if r.chaos <= best.chaos + TIE_CHAOS and r.coherence >= best.coherence - TIE_COHERENCE
    ]
    choice = min(close, key=lambda r: _rank(r.encoding))
    text = str(choice)
    for encoding in WEB_ENCODINGS[: _rank(choice.encoding)]:
        try:
            if sample.decode(encoding) == text:
                return _normal(encoding), choice
        except UnicodeDecodeError:
            continue
    return _normal(choice.encoding), choice


def _normal(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared(body: bytes, content_type: str | None) -> str | None:
    """The charset from the Content-Type header, else from a `<meta>` in the first 4 KB."""
    if content_type:
        match = re.search(r"charset\s*=\s*[\"']?([-\w.:]+)", content_type, re.IGNORECASE)
        if match and _normal(match.group(1)):
            return _normal(match.group(1))
    meta = _META.search(body[:4096])
    return _normal(meta.group(1).decode("ascii", "ignore")) if meta else None


def _plausible(body: bytes, encoding: str, best: object) -> bool:
    result = from_bytes(body, cp_isolation=[encoding], threshold=1.0).best()
    if result is None:
        return False
    return bool(
        result.chaos <= best.chaos + MESS_MARGIN  # type: ignore[attr-defined]
        and result.coherence >= best.coherence - COHERENCE_MARGIN  # type: ignore[attr-defined]
    )


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, str | None]:
    """(text, encoding used, a note when the declaration was missing or wrong)."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding, None
    stated = declared(body, content_type)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        note = None
        if stated and stated not in ("utf-8", "ascii") and not text.isascii():
            note = f"declared charset {stated} but the body is UTF-8"
        return text, "utf-8", note
    sample = body[:65536]
    guess, best = _detect(sample)
    if stated and stated != "utf-8":
        try:
            text = body.decode(stated)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if guess is None or guess == stated:
                return text, stated, None
            if best is None or _plausible(sample, stated, best):
                return text, stated, None
    if guess:
        note = (
            f"declared charset {stated} does not match the body; read as {guess}"
            if stated
            else (f"no charset declared; detected {guess}")
        )
        return body.decode(guess, errors="replace"), guess, note
    note = f"charset {stated or 'undeclared'} unusable; read as windows-1252"
    return body.decode("cp1252", errors="replace"), "cp1252", note
