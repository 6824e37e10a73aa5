"""Country names and ISO 3166-1 codes, from pycountry (the codes) and Babel's CLDR data (names in many languages).

No hand-made country lists: a name in any supported language maps to its alpha-2 code through CLDR, so the
importer (English names) and the extractors (names in the site's language) share one source of truth.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pycountry
from babel import Locale, UnknownLocaleError


def _fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, for lookups."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace("-", " ").replace("’", "'").split())


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code."""
    return frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=64)
def names_index(locales: tuple[str, ...] = ("en",)) -> dict[str, str]:
    """Map folded country names in the given locales (plus ISO names) to alpha-2 codes."""
    index: dict[str, str] = {}
    codes = iso_codes()
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_fold(value), country.alpha_2)
    for locale_name in locales:
        try:
            territories = Locale.parse(locale_name).territories
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in territories.items():
            if code in codes:
                index[_fold(name)] = code
    return index


def country_code(value: str, locales: Iterable[str] = ("en",)) -> str | None:
    """The alpha-2 code for a code (alpha-2 or alpha-3) or a country name, or None when it is not a country."""
    text = value.strip()
    if not text:
        return None
    upper = text.upper()
    if len(upper) == 2 and upper in iso_codes():
        return upper
    if len(upper) == 3 and upper.isalpha():
        country = pycountry.countries.get(alpha_3=upper)
        if country is not None:
            return str(country.alpha_2)
    return names_index(tuple(locales)).get(_fold(text))


def country_name(code: str, locale: str = "en") -> str:
    """The country's name in a locale, falling back to the code itself."""
    try:
        return str(Locale.parse(locale).territories.get(code.upper(), code))
    except (UnknownLocaleError, ValueError):
        return code
