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
