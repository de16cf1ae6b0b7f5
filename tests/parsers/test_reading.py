"""``read_document`` and the JSON shape ``hkex-monitor parse FILE --json`` prints (``Reading.to_json_dict``):
``kind`` first, then that kind's fields under the records' names, dates ISO, amounts in currency units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.errors import UnreadablePdfError
from parsers.reading import read_document

NOTICES = Path(__file__).parent.parent / "fixtures" / "notices"
BOARD_KEYS = {"kind", "company", "stock_codes", "language", "meeting_date", "results", "period_end",
              "months", "dividend", "on_or_before", "replaces_date", "purpose", "notes", "title"}
WARNING_KEYS = {"kind", "company", "stock_codes", "language", "direction", "measure", "low", "high",
                "approximate", "currency", "period_end", "months", "prior", "change_low_pct",
                "change_high_pct", "sentence", "notes", "bound", "rounding", "title"}


def test_board_meeting_json() -> None:
    # "CHANGE OF DATE OF BOARD MEETING ... changed from Wednesday, 20 August 2008 to Thursday, 28 August 2008"
    got = read_document(NOTICES / "trait-bm-en-change-2008.pdf").to_json_dict()
    assert set(got) == BOARD_KEYS
    assert (got["kind"], got["meeting_date"], got["replaces_date"], got["results"], got["period_end"],
            got["months"], got["stock_codes"]) == ("board_meeting", "2008-08-28", "2008-08-20", "interim",
                                                   "2008-06-30", 6, ["00738"])
    assert json.loads(json.dumps(got, ensure_ascii=False)) == got  # plain JSON types only


def test_delay_json_says_delay_in_kind_not_a_flag() -> None:
    # "將於二零零九年四月三十日或之前刊發全年業績"
    got = read_document(NOTICES / "trait-delay-zh-final-2009.pdf").to_json_dict()
    assert set(got) == BOARD_KEYS and "is_delay" not in got
    assert (got["kind"], got["meeting_date"], got["on_or_before"], got["language"]) == (
        "delay", "2009-04-30", True, "zh")


def test_profit_warning_json_amounts_in_units_loss_negative() -> None:
    # "a net loss of between RMB1,400 million and RMB1,600 million ... compared with a net loss of
    # approximately RMB2,477 million for the six months ended 30 June 2024"
    got = read_document(NOTICES / "demo" / "pw-en-0020-interim-2025.pdf").to_json_dict()
    assert set(got) == WARNING_KEYS
    assert (got["kind"], got["direction"], got["low"], got["high"], got["currency"], got["prior"],
            got["period_end"], got["months"]) == ("profit_warning", "warning", -1.6e9, -1.4e9, "RMB",
                                                  -2.477e9, "2025-06-30", 6)


def test_recognised_kind_not_read_has_a_reason_and_no_fields() -> None:
    got = read_document(NOTICES / "real" / "01856_agm_notice_2018-04-26_tc.pdf").to_json_dict()
    assert set(got) == {"kind", "title", "reason"}
    assert (got["kind"], got["title"]) == ("agm_notice", "股東週年大會通告")
    circular = read_document(NOTICES / "trait-circular-en-delay-2010.pdf").to_json_dict()
    assert (circular["kind"], circular["title"]) == ("circular", "DELAY IN DESPATCH OF CIRCULAR")


def test_document_of_no_known_kind_is_other() -> None:
    # 獨立非執行董事及委員會成員之變更: a director change, no reader accepts it
    got = read_document(NOTICES / "real" / "01856_director_change_2014-11-10_tc.pdf").to_json_dict()
    assert got["kind"] == "other" and got["reason"]


def test_not_a_pdf_raises() -> None:
    with pytest.raises(UnreadablePdfError):
        read_document(b"<html>not a pdf</html>")
