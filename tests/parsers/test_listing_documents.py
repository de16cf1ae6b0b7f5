"""Listing documents and share-movement returns are refused naming their kind, never read as results
(tests/fixtures/make_layouts.py typesets them); a results announcement that speaks of the Prospectus
and the Global Offering is still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.errors import WrongDocumentError
from parsers.kinds import DocumentKind, identify
from parsers.reading import read_document
from parsers.results import parse_results

OTHER = Path(__file__).parent.parent / "fixtures" / "other"
LAYOUTS = Path(__file__).parent.parent / "fixtures" / "layouts"

REFUSED = [
    ("prospectus-en.pdf", DocumentKind.PROSPECTUS),
    ("prospectus-zh.pdf", DocumentKind.PROSPECTUS),
    ("prospectus-zh-untitled.pdf", DocumentKind.PROSPECTUS),
    ("prospectus-en-five-periods.pdf", DocumentKind.PROSPECTUS),
    ("allotment-results-en.pdf", DocumentKind.ALLOTMENT_RESULTS),
    ("allotment-results-zh.pdf", DocumentKind.ALLOTMENT_RESULTS),
    ("over-allotment-en.pdf", DocumentKind.OVER_ALLOTMENT),
    ("over-allotment-zh.pdf", DocumentKind.OVER_ALLOTMENT),
    ("stabilization-en.pdf", DocumentKind.OVER_ALLOTMENT),
    ("next-day-disclosure-en.pdf", DocumentKind.NEXT_DAY_DISCLOSURE),
    ("next-day-disclosure-zh.pdf", DocumentKind.NEXT_DAY_DISCLOSURE),
    ("monthly-return-en.pdf", DocumentKind.MONTHLY_RETURN),
    ("monthly-return-zh.pdf", DocumentKind.MONTHLY_RETURN),
]


@pytest.mark.parametrize(("name", "kind"), REFUSED, ids=[n for n, _ in REFUSED])
def test_parse_results_refuses_naming_the_kind(name: str, kind: DocumentKind) -> None:
    with pytest.raises(WrongDocumentError, match="not a results announcement") as raised:
        parse_results(OTHER / name)
    assert raised.value.kind == kind.value


@pytest.mark.parametrize(("name", "kind"), REFUSED, ids=[n for n, _ in REFUSED])
def test_parse_json_answers_the_kind(name: str, kind: DocumentKind) -> None:
    reading = read_document(OTHER / name)
    assert reading.record is None
    assert reading.to_json_dict()["kind"] == kind.value
    assert reading.reason


def test_a_prospectus_without_a_cover_title_is_told_by_its_accountants_report() -> None:
    with pytest.raises(WrongDocumentError, match="會計師報告|往績記錄期間") as raised:
        parse_results(OTHER / "prospectus-zh-untitled.pdf")
    assert raised.value.kind == "prospectus"


def test_allotment_results_title_is_not_a_results_title() -> None:
    found = identify("ANNOUNCEMENT OF FINAL OFFER PRICE AND ALLOTMENT RESULTS")
    assert found.kind is DocumentKind.ALLOTMENT_RESULTS


@pytest.mark.parametrize("line", [
    "USE OF PROCEEDS FROM THE GLOBAL OFFERING",
    "The net proceeds from the Global Offering were used as set out in the Prospectus.",
    "(the \"Prospectus\")",
])
def test_results_that_mention_the_listing_are_not_listing_documents(line: str) -> None:
    text = f"INTERIM RESULTS ANNOUNCEMENT FOR THE SIX MONTHS ENDED 30 JUNE 2025\n{line}"
    assert identify(text).kind is DocumentKind.RESULTS
    assert identify(line).kind is None


def test_results_of_a_newly_listed_company_are_read() -> None:
    report = parse_results(LAYOUTS / "results-after-listing-2025.pdf")
    revenue = report.metric("revenue")
    assert (revenue.current, revenue.prior) == (170_000_000.0, 130_000_000.0)
    assert read_document(LAYOUTS / "results-after-listing-2025.pdf").kind is DocumentKind.RESULTS


def test_every_kind_has_a_description() -> None:
    for kind in DocumentKind:
        assert kind.description
