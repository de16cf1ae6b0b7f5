"""What issuers announce before their results: profit warnings and positive profit alerts, board-meeting
notices and results delays, and the line a results summary gains about an earlier warning.

Figures come only from the parsed record; a notice whose figure or date could not be read says so
and shows its title and link, never a guess.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from monitor.filing import Filing, FilingKind
from monitor.messages.figures import compact, compact_range, percent, percent_range, period_to, weekday
from monitor.messages.filings import footer, found_late_block, title_link, who
from monitor.messages.mrkdwn import context, escape, header, message, section
from notifiers.base import Message
from parsers.notices import BoardMeetingNotice, ProfitWarning, WarningOutcome

# measure -> (a profit of, a loss of, the measure itself): how a warning names what it expects
MEASURES: dict[str | None, tuple[str, str, str]] = {
    "profit_for_period": ("a profit", "a loss", "profit"),
    "profit_attributable": ("a profit attributable to owners", "a loss attributable to owners",
                            "profit attributable to owners"),
    "profit_before_tax": ("a profit before tax", "a loss before tax", "profit before tax"),
    "operating_profit": ("an operating profit", "an operating loss", "operating profit"),
    "gross_profit": ("a gross profit", "a gross loss", "gross profit"),
    "revenue": ("revenue", "revenue", "revenue"),
    None: ("a profit", "a loss", "the result"),
}


def _noun(measure: str | None, value: float) -> str:
    profit, loss, _ = MEASURES.get(measure, MEASURES[None])
    return loss if value < 0 else profit


def _of(measure: str | None, value: float, figure: str) -> str:
    """ "a loss of HK$60m"; revenue takes no article: "revenue of HK$1.2bn"."""
    return f"{_noun(measure, value)} of {figure}"


def expected_amount(w: ProfitWarning) -> str | None:
    """ "a loss of HK$60m-70m", "a profit of about HK$100m", "a profit of not less than HK$100m"."""
    cur, low, high = w.currency, w.low, w.high
    if low is not None and high is not None:
        if low < 0 < high:
            loss, profit = _of(w.measure, low, compact(low, cur)), _of(w.measure, high, compact(high, cur))
            return f"between {loss} and {profit}"
        sign = low if low < 0 else high
        if low == high:
            return _of(w.measure, sign, ("about " if w.approximate else "") + compact(low, cur))
        return _of(w.measure, sign, compact_range(low, high, cur))
    if low is not None:  # the figure is at least ``low``: for a loss, the loss is at most |low|
        return _of(w.measure, low, ("not more than " if low < 0 else "not less than ") + compact(low, cur))
    if high is not None:  # at most ``high``: for a loss, the loss is at least |high|
        return _of(w.measure, high, ("not less than " if high < 0 else "not more than ") + compact(high, cur))
    return None


def expected_change(w: ProfitWarning) -> str | None:
    """ "down 40%-50%", "up about 30%", "up at least 30%" (changes are signed in the record)."""
    lo, hi = w.change_low_pct, w.change_high_pct
    if lo is not None and hi is not None:
        if lo < 0 < hi:
            return f"between down {percent(lo)} and up {percent(hi)}"
        way = "down" if hi <= 0 else "up"
        if lo == hi:
            return f"{way} {'about ' if w.approximate else ''}{percent(lo)}"
        return f"{way} {percent_range(lo, hi)}"
    if lo is not None:  # at least ``lo``
        return f"down at most {percent(lo)}" if lo < 0 else f"up at least {percent(lo)}"
    if hi is not None:  # at most ``hi``
        return f"down at least {percent(hi)}" if hi < 0 else f"up at most {percent(hi)}"
    return None


def expectation(w: ProfitWarning) -> str | None:
    """ "Expects a loss of HK$60m-70m for the year to 31 Mar 2025, vs a profit of about HK$592m";
    None when the warning states no figure. ``approximate`` (one flag for the record) reads as
    "about" on a single expected figure and on the comparative. Ready for mrkdwn (nothing in it
    comes from the document but numbers and an escaped currency code)."""
    amount, change = expected_amount(w), expected_change(w)
    period = period_to(w.months, w.period_end)
    if amount:
        text = f"Expects {amount}" + (f" ({change})" if change else "") + (f" for {period}" if period else "")
    elif change:
        measure = MEASURES.get(w.measure, MEASURES[None])[2]
        text = f"Expects {measure}" + (f" for {period}" if period else "") + f" to be {change}"
    else:
        return None
    if w.prior is not None:
        figure = ("about " if w.approximate else "") + compact(w.prior, w.currency)
        text += ", vs " + ("nil" if w.prior == 0 else figure if w.measure == "revenue"
                           else _of(w.measure, w.prior, figure))
    return text


def _warned(w: ProfitWarning) -> str:
    measure = MEASURES.get(w.measure, MEASURES[None])[2]
    return expected_amount(w) or f"{measure} {expected_change(w) or ''}".strip()


def outcome_line(o: WarningOutcome) -> str:
    """ "Loss HK$64.3m: inside the warned range of HK$60m-70m"; better / worse / unclear."""
    w = o.warning
    noun = _noun(w.measure, o.actual).removeprefix("a ").removeprefix("an ")
    actual = f"{noun[:1].upper()}{noun[1:]} {compact(o.actual, w.currency)}"
    if o.verdict == "inside":
        if w.low is not None and w.high is not None and w.low != w.high:
            said = f"inside the warned range of {compact_range(w.low, w.high, w.currency)}"
        elif w.low is not None and w.low == w.high:
            about = "about " if w.approximate else ""
            said = f"in line with the warned {about}{compact(w.low, w.currency)}"
        else:
            said = f"as warned ({_warned(w)})"
    elif o.verdict in ("better", "worse"):
        said = f"{o.verdict} than warned ({_warned(w)})"
    else:
        said = f"cannot be compared with the warning ({_warned(w)})"
    # The parser's detail restates a clear verdict in raw numbers; it only helps where it says why not.
    why = f"; {escape(o.detail, limit=120)}" if o.detail and o.verdict == "unclear" else ""
    return f"{actual}: {said}{why}"


def profit_warning_message(filing: Filing, warning: ProfitWarning | None, *, channel: str,
                           error: str | None = None, found_late: bool = False,
                           thread_ts: str | None = None) -> Message:
    """A profit warning or positive profit alert with what it expects; without a readable figure,
    its title and the reason, saying no figure could be read."""
    direction = warning.direction if warning else None
    what = {"warning": "Profit warning", "positive": "Positive profit alert"}.get(direction or "",
                                                                               "Profit warning or alert")
    who_text = who(filing, warning.company if warning else None)
    blocks: list[dict[str, Any]] = [header(f"{who_text}: {what}")]
    if found_late:
        blocks.append(found_late_block())
    said = expectation(warning) if warning else None
    if said:
        blocks.append(section(f"*{said}*"))
        assert warning is not None
        quoted = f"As stated: “{escape(warning.sentence, limit=300)}”" if warning.sentence else ""
        chinese = "Read from the Chinese announcement" if warning.language == "zh" else ""
        blocks.append(context(quoted, chinese))
    else:
        why = error or (", ".join(warning.notes) if warning and warning.notes else "")
        blocks.append(section(f":warning: No expected figure could be read from this announcement"
                              f"{': ' + escape(why, limit=300) if why else ''}.\n"
                              f"Title: {title_link(filing, limit=300)}"))
    blocks.append(footer(filing))
    late = " (found late by the nightly check)" if found_late else ""
    summary = said or "no expected figure could be read; see the announcement"
    text = f"{escape(who_text, limit=150)} {what.lower()}{late}: {summary}."
    return message(channel, text, blocks, kind="profit_warning", filing_ids=(filing.id,), thread_ts=thread_ts)


def results_phrase(results: str | None, months: int | None, period_end: date | None) -> str:
    """ "interim results for the six months to 30 Jun 2025"; "final results" are a year's."""
    kind = f"{escape(results, limit=20)} results" if results else "results"
    period = period_to(months or (12 if results == "final" else None), period_end)
    return f"{kind} for {period}" if period else kind


def _dividend(notice: BoardMeetingNotice) -> str:
    if notice.dividend is None:
        return ""
    if not notice.dividend:
        return "; no dividend will be considered"
    articles = {"interim": "an interim", "final": "a final", "quarterly": "a quarterly"}
    article = articles.get(notice.results or "", "a")
    return f"; {article} dividend will be considered"


def meeting_text(notice: BoardMeetingNotice, replaces: date | None = None) -> str:
    """ "Board meeting on Fri 29 Aug 2025 to approve interim results for the six months to 30 Jun 2025;
    an interim dividend will be considered", or for a delay "Interim results ... delayed; new date ..."."""
    results = results_phrase(notice.results, notice.months, notice.period_end)
    was = f" (was {weekday(replaces)})" if replaces and replaces != notice.meeting_date else ""
    if notice.is_delay:
        when = f"new date {weekday(notice.meeting_date)}{was}" if notice.meeting_date else "no new date given"
        return f"{results[:1].upper()}{results[1:]} delayed; {when}"
    if notice.meeting_date is None:
        return f"Board meeting to approve {results}: no meeting date could be read"
    return f"Board meeting on {weekday(notice.meeting_date)}{was} to approve {results}{_dividend(notice)}"


def board_meeting_message(filing: Filing, notice: BoardMeetingNotice | None, *, channel: str,
                          error: str | None = None, replaces: date | None = None, found_late: bool = False,
                          thread_ts: str | None = None) -> Message:
    """A board-meeting notice (date, results, dividend) or a results delay (new date or none);
    ``replaces``: the date this notice moves (from the calendar)."""
    is_delay = notice.is_delay if notice else filing.kind is FilingKind.RESULTS_DELAY
    what = "Results delayed" if is_delay else "Board meeting"
    who_text = who(filing, notice.company if notice else None)
    blocks: list[dict[str, Any]] = [header(f"{who_text}: {what}")]
    if found_late:
        blocks.append(found_late_block())
    if notice is not None:
        said = meeting_text(notice, replaces)
        blocks.append(section(f"*{said}*"))
        if notice.purpose:
            blocks.append(context(f"As stated: “{escape(notice.purpose, limit=300)}”"))
    else:
        said = "the notice could not be read"
        why = f": {escape(error, limit=300)}" if error else ""
        blocks.append(section(f":warning: The notice could not be read{why}.\n"
                              f"Title: {title_link(filing, limit=300)}"))
    blocks.append(footer(filing))
    late = " (found late by the nightly check)" if found_late else ""
    text = f"{escape(who_text, limit=150)} {what.lower()}{late}: {said}."
    kind = "results_delay" if is_delay else "board_meeting"
    return message(channel, text, blocks, kind=kind, filing_ids=(filing.id,), thread_ts=thread_ts)

