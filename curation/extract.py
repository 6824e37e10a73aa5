"""One site's pages -> fields with evidence, gaps and problems: the same code for `cahub extract FILE`
and runs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import combine, gaps, language
from .fields import Candidate, classify, contact, dates, orgs, places, section_cache, text
from .page import Page, build

EXTRACTORS = (text.extract, orgs.extract, places.extract, classify.extract, dates.extract, contact.extract)


def page_candidates(page: Page) -> tuple[list[Candidate], list[str]]:
    """Every extractor on one page; an extractor that fails is a recorded problem, not a crashed run."""
    out: list[Candidate] = []
    problems: list[str] = []
    for extractor in EXTRACTORS:
        try:
            out.extend(extractor(page))
        except Exception as exc:  # noqa: BLE001 - hostile pages must not stop the other extractors
            problems.append(f"{extractor.__module__} failed: {type(exc).__name__}: {exc}"[:300])
    if section_cache(page).get("governance"):
        heading, _blocks = section_cache(page)["governance"][0]
        out.append(Candidate("governance", True, 0.6, [page.evidence(heading.text)]))
    return out, problems


TEXT_FIELDS = ("mission", "goals", "activities")


def _quote_languages(fields: dict[str, dict[str, Any]], pages: list[Page]) -> None:
    """Detect the language of quotes that may differ from their page's: those of the text fields on a
    site with pages in several languages, and quotes of the site's own description (meta, JSON-LD),
    often in English.

    A quote in another script than its page (Latin on a Russian page) is detected too. Every other quote
    keeps its page's detected language: detection costs milliseconds per quote, and a page's main text is
    one language once menus are gone.
    """
    described = {
        p.url: (p.data.organisation.get("description") or p.data.description or "")[:60] for p in pages
    }
    mixed = len({p.language for p in pages if p.language != language.UNKNOWN}) > 1
    scripts = {p.url: language.script(p.text[:1000]) for p in pages}
    for name, finding in fields.items():
        for index, evidence in enumerate(finding.get("evidence", [])[:2]):
            if " " not in evidence["quote"].strip():
                continue  # an e-mail address or a URL is in no language
            from_meta = bool(described.get(evidence["url"])) and evidence["quote"].startswith(
                described[evidence["url"]][:40]
            )
            other_script = language.script(evidence["quote"]) not in (scripts.get(evidence["url"]), None)
            if from_meta or other_script or (mixed and name in TEXT_FIELDS and index == 0):
                evidence["language"] = language.block_language(
                    evidence["quote"], evidence["language"], force=other_script
                )


def extract_site(raw_pages: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The JSON object of `cahub extract`: site language, pages, fields with evidence, gaps, problems."""
    pages: list[Page] = []
    candidates: list[Candidate] = []
    problems: list[dict[str, str]] = []
    for raw in raw_pages:
        try:
            page = build(raw)
        except Exception as exc:  # noqa: BLE001
            problems.append({"url": str(raw.get("url")), "problem": f"page could not be read: {exc}"[:300]})
            continue
        found, failed = page_candidates(page)
        pages.append(page)
        candidates.extend(found)
        problems.extend({"url": page.url, "problem": p} for p in page.problems + failed)
    site_lang = language.site_language([(p.language, p.chars) for p in pages])
    fields = combine.combine(candidates, site_lang)
    _quote_languages(fields, pages)
    fields.pop("governance", None)
    page_langs = sorted({p.language for p in pages if p.language != language.UNKNOWN})
    if page_langs:
        fields["languages"] = {
            "value": page_langs,
            "confidence": 0.9,
            "language": None,
            "evidence": [p.evidence(p.title or p.url) for p in pages[:3]],
        }
    missing = sorted({p.language for p in pages if not p.has_lexicon and p.language != language.UNKNOWN})
    for lang in missing:
        problems.append(
            {
                "url": "",
                "problem": f"no lexicon for language {lang!r}: only language, structured "
                "data, countries and contacts were extracted",
            }
        )
    closers = dict(fields)
    if any(c.field == "governance" for c in candidates):
        closers["governance"] = {}
    return {
        "language": site_lang,
        "pages": [{"url": p.url, "language": p.language, "title": p.title} for p in pages],
        "fields": {
            k: {key: v[key] for key in ("value", "confidence", "evidence", "translations") if key in v}
            for k, v in sorted(fields.items())
        },
        "gaps": gaps.gaps(closers),
        "problems": problems,
        "missing_lexicons": missing,
    }


def read_source(source: str, base_url: str | None = None) -> dict[str, Any]:
    """A page from a local file (or a URL fetched once), as the raw dict `build` takes."""
    if source.startswith(("http://", "https://")):
        from urllib.request import Request, urlopen

        request = Request(source, headers={"User-Agent": "cahub-extract"})
        with urlopen(request, timeout=30) as response:  # noqa: S310 - the user asked for this URL
            body = response.read(8 * 1024 * 1024)
            return {"url": source, "body": body, "content_type": response.headers.get("Content-Type")}
    path = Path(source)
    body = path.read_bytes()
    url = f"{base_url.rstrip('/')}/{path.name}" if base_url else path.resolve().as_uri()
    ctype = "application/pdf" if body[:5] == b"%PDF-" else "text/html"
    return {"url": url, "body": body, "content_type": ctype}
