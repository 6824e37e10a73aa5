"""Per-language knowledge as data: one JSON file per language, plus language detection shared by all stages.

Adding a language means adding `<iso-639-1>.json` here; no code changes. Each file has sections that the
stages read: `page_signals` (words in URLs, link texts and titles that mark the pages worth crawling first)
and the extraction sections the curation stage reads (headings, phrases, organisation-type words, ...).
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

UNKNOWN = "unknown"
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """The languages that have a lexicon file, as ISO 639-1 codes."""
    names = [p.name for p in resources.files(__name__).iterdir() if p.name.endswith(".json")]
    return tuple(sorted(n.removesuffix(".json") for n in names))


@cache
def load(language: str) -> dict[str, Any]:
    """The lexicon of one language; an empty dict for a language without a file."""
    if language not in available():
        return {}
    text = resources.files(__name__).joinpath(f"{language}.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def section(name: str, languages: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    """One section of every lexicon (or of the given languages), keyed by language."""
    return {lang: load(lang).get(name, {}) for lang in (languages or available())}


@lru_cache(maxsize=1)
def _detector_factory() -> Any:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = 0
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def detect_language(text: str, *, max_chars: int = 5000) -> str:
    """The ISO 639-1 code of the text's language, or `unknown` for empty or letterless text.

    Seeded, so the same text always gives the same answer; only the first `max_chars` characters are read.
    """
    sample = text[:max_chars]
    if len(_LETTER.findall(sample)) < 3:
        return UNKNOWN
    from langdetect.lang_detect_exception import LangDetectException

    factory = _detector_factory()
    try:
        detector = factory.create()
        detector.set_max_text_length(max_chars)
        detector.append(sample)
        code = str(detector.detect())
    except LangDetectException:
        return UNKNOWN
    return code.split("-")[0]
