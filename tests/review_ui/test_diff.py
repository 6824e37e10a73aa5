"""How a change is shown: word-level text diffs, list items added and removed, country names beside codes."""

from __future__ import annotations

from review_ui import diff


def test_word_diff_marks_only_the_changed_words_and_rebuilds_both_texts() -> None:
    old = "Fördern saubere Geschäfte in der Energie."
    new = "Wir fördern saubere Geschäfte in der Energiewirtschaft."
    segments = diff.word_diff(old, new)
    assert "".join(t for op, t in segments if op != "ins") == old
    assert "".join(t for op, t in segments if op != "del") == new
    assert ("ins", "Energiewirtschaft.") in segments and ("del", "Energie.") in segments
    assert ("same", " saubere Geschäfte in der ") in segments


def test_lists_show_added_removed_and_kept_items_with_country_names() -> None:
    shown = diff.describe("countries", ["SN", "CI"], ["SN", "GH"])
    assert shown["kind"] == "list"
    assert shown["added"] == ["GH · Ghana"]
    assert shown["removed"] == ["CI · Côte d’Ivoire"]
    assert shown["kept"] == ["SN · Senegal"]


def test_enums_and_single_countries_show_labels() -> None:
    assert diff.describe("status", "active", "inactive") == {
        "kind": "scalar",
        "old": "Active (active)",
        "new": "Inactive (inactive)",
    }
    assert diff.describe("host_country", "RU", "KZ")["new"] == "KZ · Kazakhstan"


def test_edit_text_round_trips_lists_one_item_a_line() -> None:
    text = diff.edit_text("members", ["Constructora Andina S.A.", "Vías del Norte S.A.S."])
    assert diff.parse_edit("members", text) == ["Constructora Andina S.A.", "Vías del Norte S.A.S."]
    assert diff.parse_edit("countries", "CO; PA\nEC") == ["CO", "PA", "EC"]
