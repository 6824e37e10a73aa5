"""The lexicons as data: every language has the sections extraction reads, and the crawler's page signals."""

from __future__ import annotations

import lexicons
from curation.lexicon import find, keys_in
from db.vocabulary import INDUSTRIES, INITIATIVE_TYPES, MISSION_FOCUS, STAKEHOLDER_GROUPS

SECTIONS = (
    "headings",
    "phrases",
    "organisation_types",
    "stakeholder_groups",
    "industries",
    "scope",
    "initiative_types",
    "mission_focus",
    "months",
    "boilerplate",
)


def test_each_language_has_every_section_with_vocabulary_keys():
    for lang in ("en", "es", "pt", "fr", "de", "it", "ru"):
        lexicon = lexicons.load(lang)
        assert lexicon["page_signals"]["contact"], lang
        for section in SECTIONS:
            assert lexicon.get(section), (lang, section)
        assert set(lexicon["stakeholder_groups"]) <= set(STAKEHOLDER_GROUPS)
        assert set(lexicon["industries"]) <= set(INDUSTRIES)
        assert set(lexicon["initiative_types"]) <= set(INITIATIVE_TYPES)
        assert set(lexicon["mission_focus"]) <= set(MISSION_FOCUS)
        assert len(lexicon["months"]) == 12


def test_terms_match_words_stems_and_capitals():
    langs = ("ru", "en")
    assert keys_in("organisation_types", langs, "Министерства экономического развития") == [
        "government_agency"
    ]
    assert keys_in("organisation_types", ("es", "en"), "Constructora Andina S.A.") == ["business"]
    assert keys_in("organisation_types", ("fr", "en"), "sa maison") == []  # `SA` only in capitals
    hits = find("the chamber of commerce and the NGO", ("en",), ("organisation_types",))
    assert [(h.key, "the chamber of commerce and the NGO"[h.start : h.end]) for h in hits] == [
        ("business_association", "chamber of commerce"),
        ("civil_society_organisation", "NGO"),
    ]
