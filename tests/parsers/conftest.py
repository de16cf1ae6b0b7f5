"""Each fixture PDF is parsed once per session; tests look figures up in the shared reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.report import ResultsReport
from parsers.results import parse_results

FIXTURES = Path(__file__).parent.parent / "fixtures"
DOCS = {
    "cloud_factory": "2512-cloud-factory-interim-2025.pdf",
    "sensetime": "0020-sensetime-interim-2025.pdf",
    "ernest_borel": "1856-ernest-borel-final-2014.pdf",
    "zh_cloud_factory": "zh-cloud-factory-interim-2025.pdf",
    "en_loss": "en-loss-final-2024.pdf",
    "inconsistent": "en-inconsistent-interim-2025.pdf",
}


@pytest.fixture(scope="session")
def reports() -> dict[str, ResultsReport]:
    return {key: parse_results(FIXTURES / name) for key, name in DOCS.items()}
