"""The stand-in's odd answers (``standin/faults.py``): by stock and language, by part of a path, each
use spending one, until cleared."""

from __future__ import annotations

import pytest

from monitor.hkexnews.standin import Faults


def test_title_search_faults_by_stock_and_language_are_spent_one_use_at_a_time() -> None:
    faults = Faults()
    faults.fail_title_search("00700", "null", times=2, lang="E")
    assert faults.for_title_search({"00700"}, "ZH") is None
    assert faults.for_title_search({"00005"}, "E") is None
    assert [faults.for_title_search({"00700"}, "E") for _ in range(3)] == ["null", "null", None]
    faults.fail_title_search("00700", "html")  # any language, until cleared
    assert [faults.for_title_search({"00700"}, lang) for lang in ("E", "ZH", "E")] == ["html"] * 3
    faults.clear()
    assert faults.for_title_search({"00700"}, "E") is None


def test_path_faults_match_part_of_a_path() -> None:
    faults = Faults()
    faults.fail_requests("relsdc_", 500, times=1)
    assert faults.for_path("/ncms/json/eds/lcisehk1relsde_1.json") is None
    assert faults.for_path("/ncms/json/eds/lcisehk1relsdc_1.json") == 500
    assert faults.for_path("/ncms/json/eds/lcisehk1relsdc_1.json") is None


def test_an_unknown_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="answer must be one of"):
        Faults().fail_title_search("00700", "timeout")
