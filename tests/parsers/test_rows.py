"""Columns from aligned figures: notes, stray dashes and garbled fragments are not figures."""

from __future__ import annotations

from parsers.rows import Line, Word, current_first, find_columns, to_row


def _line(*words: tuple[str, float, float], top: float = 100.0) -> Line:
    return Line(tuple(Word(text, x0, x1, top) for text, x0, x1 in words), page=1)


ROWS = [
    _line(("Revenue", 56, 89), ("4(a)", 358, 373), ("2,358,198", 415, 453), ("1,739,717", 495, 533)),
    _line(("Cost", 56, 73), ("5", 369, 373), ("(1,450,398)", 409, 457), ("(972,957)", 496, 537)),
    _line(("Gross", 56, 78), ("profit", 81, 102), ("907,800", 422, 453), ("766,760", 502, 533)),
    _line(("Restricted", 56, 95), ("cash", 97, 114), ("—", 440, 453), ("27", 522, 533)),
    _line(("Share", 56, 78), ("the", 251, 262), ("0", 422, 427), ("2,7", 430, 441), ("10", 444, 453),
          ("201,209", 502, 533)),
]


def test_columns_found_from_right_edges() -> None:
    assert find_columns(ROWS, 595) == [453.0, 533.0]


def test_note_column_left_out_of_label_and_figures() -> None:
    row = to_row(ROWS[0], [453.0, 533.0])
    assert row.label == "Revenue"
    assert row.cells == ("2,358,198", "1,739,717")


def test_dash_is_a_figure_in_its_column() -> None:
    assert to_row(ROWS[3], [453.0, 533.0]).cells == ("—", "27")


def test_two_tokens_in_one_column_make_the_row_unreadable() -> None:
    assert to_row(ROWS[4], [453.0, 533.0]).cells == (None, None)


def test_year_header_decides_order() -> None:
    header = [_line(("2024", 435, 453), ("2025", 515, 533))]
    assert not current_first(header, [453.0, 533.0])
    assert current_first([_line(("2025", 435, 453), ("2024", 515, 533))], [453.0, 533.0])
    assert current_first([], [453.0, 533.0])


def test_profit_line_overrides_one_inferred_from_an_attributable_line() -> None:
    from parsers.statements import StatementReader

    def row(label: str, cur: str, prior: str, top: float) -> Line:
        words = [Word(w, 56 + i * 25, 78 + i * 25, top) for i, w in enumerate(label.split())]
        return Line(tuple(words + [Word(cur, 420, 453, top), Word(prior, 500, 533, top)]), page=1)

    lines = [Line((Word("CONSOLIDATED", 56, 120, 10), Word("INCOME", 122, 160, 10),
                   Word("STATEMENT", 162, 220, 10)), page=1),
             row("Revenue", "1,000", "9,000", 30), row("Cost of sales", "(600)", "(5,000)", 40),
             row("Profit for the year attributable to owners of the Company", "1,000", "900", 50),
             row("Non-controlling interests", "500", "400", 60),
             row("Profit for the year", "1,500", "1,300", 70)]
    reader = StatementReader()
    reader.feed(lines, 595)
    figures = reader.result.figures
    assert (figures["profit_for_period"].current, figures["profit_attributable"].current) == (1500, 1000)
    assert "profit_for_period" not in reader.result.conflicts


def test_four_columns_pick_the_pair_under_the_reports_period() -> None:
    from parsers.rows import pick_period_columns

    header = [_line(("Three", 300, 330), ("months", 332, 360), ("ended", 362, 390),
                    ("Six", 440, 460), ("months", 462, 490), ("ended", 492, 520))]
    columns = [340.0, 400.0, 470.0, 530.0]
    assert pick_period_columns(header, columns, 6) == [470.0, 530.0]
    assert pick_period_columns(header, columns, 3) == [340.0, 400.0]
    assert pick_period_columns([], columns, 6) is None
    assert pick_period_columns([], columns[:2], 6) == columns[:2]


COLS3 = [377.0, 448.0, 519.0]


def _body(*values: tuple[str, str, str]) -> list[Line]:
    return [_line(("Item", 56, 80), (a, 340, 377), (b, 411, 448), (c, 482, 519), top=200.0 + i * 12)
            for i, (a, b, c) in enumerate(values)]


def test_opening_balance_column_is_not_the_comparative() -> None:
    from parsers.rows import choose_columns

    header = [_line(("31/12/2020", 327, 377), ("31/12/2019", 404, 448), ("1/1/2019", 484, 519)),
              _line(("(Restated)", 409, 448), ("(Restated)", 480, 519), top=112.0)]
    choice = choose_columns(header, COLS3, 12, _body(("1,000", "900", "800")))
    assert choice.columns == (377.0, 448.0)
    assert choice.note and "2020-12-31" in choice.note and "2019-12-31" in choice.note


def test_restated_column_is_preferred_to_the_one_as_previously_reported() -> None:
    from parsers.rows import choose_columns

    header = [_line(("2025", 357, 377), ("2024", 428, 448), ("2024", 499, 519)),
              _line(("(經重列)", 411, 448), ("(原先呈報)", 470, 519), top=112.0)]
    choice = choose_columns(header, COLS3, 12, _body(("1,000", "900", "950")))
    assert choice.columns == (377.0, 448.0)


def test_segment_columns_read_through_to_their_total() -> None:
    from parsers.rows import choose_columns

    columns = [281.0, 332.0, 383.0, 431.0, 482.0, 533.0]
    header = [_line(("2021", 259, 278), ("2021", 310, 329), ("2021", 361, 380), ("2020", 412, 431),
                    ("2020", 463, 482), ("2020", 514, 533))]
    body = [_line(("Revenue", 71, 102), ("219,666", 247, 278), ("2,044,081", 291, 329),
                  ("2,263,747", 342, 380), ("179,496", 400, 431), ("1,613,232", 444, 482),
                  ("1,792,728", 495, 533), top=200.0),
            _line(("Cost", 71, 87), ("(78,003)", 249, 281), ("(1,180,790)", 288, 332),
                  ("(1,258,793)", 339, 383), ("(64,429)", 402, 433), ("(860,363)", 449, 484),
                  ("(924,792)", 500, 535), top=212.0)]
    assert choose_columns(header, columns, 12, body).columns == (383.0, 533.0)


def test_segment_columns_that_do_not_add_up_are_not_read() -> None:
    from parsers.rows import choose_columns

    header = [_line(("2021", 357, 377), ("2021", 428, 448), ("2020", 499, 519))]
    body = _body(("1,000", "900", "800"), ("500", "400", "300"))
    choice = choose_columns(header, COLS3, 12, body)
    assert choice.columns is None and choice.note


def test_a_change_column_is_set_aside() -> None:
    from parsers.rows import choose_columns

    header = [_line(("2025", 357, 377), ("2024", 428, 448), ("Change", 485, 519)),
              _line(("HK$'000", 340, 377), ("HK$'000", 411, 448), ("%", 510, 519), top=112.0)]
    assert choose_columns(header, COLS3, 12, _body(("1,100", "1,000", "10.0"))).columns == (377.0, 448.0)


def test_the_group_columns_not_the_company_ones() -> None:
    from parsers.rows import choose_columns

    columns = [340.0, 400.0, 470.0, 530.0]
    header = [_line(("The", 330, 345), ("Group", 348, 375), ("The", 455, 470), ("Company", 473, 515)),
              _line(("2025", 320, 340), ("2024", 380, 400), ("2025", 450, 470), ("2024", 510, 530),
                    top=112.0)]
    assert choose_columns(header, columns, 12, []).columns == (340.0, 400.0)


def test_per_share_figures_printed_with_their_units() -> None:
    row = to_row(_line(("Basic", 56, 80), ("25.0", 380, 400), ("HK", 403, 415), ("cents", 418, 448),
                       ("HK(8.55)", 470, 505), ("cents", 508, 533)), [448.0, 533.0])
    assert row.cells == ("25.0", "(8.55)") and row.scales == (0.01, 0.01)
    row = to_row(_line(("Basic", 56, 80), ("港幣(14.92)仙", 400, 453), ("RMB0.03", 500, 533)), [453.0, 533.0])
    assert row.cells == ("(14.92)", "0.03") and row.scales == (0.01, 1.0)


def test_brackets_and_minus_signs_set_apart_stay_with_their_figure() -> None:
    row = to_row(_line(("Loss", 56, 80), ("(", 400, 403), ("1,234", 404, 446), (")", 447, 450),
                       ("-", 489, 492), ("987", 493, 533)), [448.0, 533.0])
    assert row.values() == (-1234.0, -987.0)
    # A nil dash in one column and a figure in the next are two cells, not a negative figure.
    row = to_row(_line(("Other", 56, 80), ("-", 443, 448), ("987", 513, 533)), [448.0, 533.0])
    assert row.values() == (0.0, 987.0)
