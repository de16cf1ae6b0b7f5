"""The real notices of issuer 01856 (copied into tests/fixtures/notices/real/ from the development corpus)
against the facts read from them by hand (real/truth.json, with the page and the words as printed).

Every file gets the right kind (AGM notices and the director change are not read as a read kind), every
stated fact is read and none is invented, and the English and Chinese versions of a notice agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from notice_truth import REAL, fields_of, load, mismatches

from parsers.reading import read_document

TRUTH = load(REAL)


@pytest.fixture(scope="module")
def readings() -> dict[str, dict[str, Any]]:
    return {name: read_document(REAL / name).to_json_dict() for name in TRUTH}


def test_every_real_notice_is_in_the_truth_file() -> None:
    assert sorted(p.name for p in REAL.glob("*.pdf")) == sorted(TRUTH)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_real_notice_against_its_truth(name: str, readings: dict[str, dict[str, Any]]) -> None:
    assert mismatches(readings[name], TRUTH[name]) == []


@pytest.mark.parametrize("name", sorted(n for n in TRUTH if n.endswith("_en.pdf")))
def test_english_and_chinese_versions_agree(name: str, readings: dict[str, dict[str, Any]]) -> None:
    chinese = name.replace("_en.pdf", "_tc.pdf")
    english, other = readings[name], readings[chinese]
    assert english["kind"] == other["kind"] == TRUTH[name]["kind"]
    keys = fields_of(english["kind"])
    assert {k: english.get(k) for k in keys} == {k: other.get(k) for k in keys}
    assert (english.get("language"), other.get("language")) == (("en", "zh") if keys else (None, None))


@pytest.mark.parametrize("name", sorted(n for n in TRUTH if TRUTH[n]["kind"] == "profit_warning"))
def test_warnings_without_a_figure_say_so(name: str, readings: dict[str, dict[str, Any]]) -> None:
    # The listing expenses (HK$21.0 million, 21,000,000港元) and the revenue's -24% are not the profit.
    got = readings[name]
    assert (got["low"], got["high"], got["prior"], got["change_low_pct"]) == (None, None, None, None)
    assert any("no figure" in note for note in got["notes"])


def test_the_warning_whose_prose_names_the_interim_results_is_a_warning() -> None:
    # 01856_profit_warning_2015-07-31_en.pdf p1: title "PROFIT WARNING"; p1 prose "... publish the
    # announcement on the interim results of the Group ..." (a results title must be a heading).
    reading = read_document(REAL / "01856_profit_warning_2015-07-31_en.pdf")
    assert (reading.kind.value, reading.title) == ("profit_warning", "PROFIT WARNING")
