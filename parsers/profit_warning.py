"""Read a profit warning or positive profit alert (HKEXnews 13500) into a ProfitWarning: which
figure the issuer expects (profit attributable, profit or loss for the period, revenue, ...), the
range or approximate amount in currency units, the period, the prior figure, a stated change.
English and Chinese (HK$60 million, 人民幣1.2億元, 4,500萬港元, 60百萬港元).

The figures come from the sentences that say what is *expected*; in them an amount after "compared
with" / "(2024: ...)" / "而去年同期" is the prior figure, and anything after "mainly due to" is a
reason, not the result. A warning whose figure cannot be read is returned with ``low``/``high`` None
and a note saying why: never a guessed number.

``compare_with_warning`` says how the results of the same period turned out against the warning.
Pure: bytes or a path in, no network, no clock.
"""

from __future__ import annotations

import os
import re
from datetime import date
from typing import Literal

from parsers.amounts import DECREASE, INCREASE, Amount, Change, amounts, changes
from parsers.dates import find_periods
from parsers.errors import WrongDocumentError
from parsers.measures import (
    CORE,
    LOSS,
    PRIORITY,
    PROFIT_WORD,
    REVENUE,
    WORDS,
    Candidate,
    last_core,
    measure_of,
    signed,
    summary,
)
from parsers.notices import Measure, NoticeText, ProfitWarning, clip, notice_text, read_pages
from parsers.warning_outcome import compare_with_warning

__all__ = ["compare_with_warning", "parse_profit_warning", "profit_warning_in"]

MAX_PAGES = 12

_POSITIVE_TITLE = re.compile(r"positive profit alert|profit upgrade"
                             r"|正面盈利|盈利預喜|盈利预喜|業績預增|业绩预增", re.I)
_WARNING_TITLE = re.compile(r"profit warning|negative profit alert|loss warning"
                            r"|盈利警告|盈利預警|盈利预警|虧損預警|亏损预警|負面盈利|负面盈利", re.I)
_ANY_TITLE = re.compile(r"profit alert|profit warning|loss warning|expected (?:loss|profit|results)"
                        r"|estimated results"
                        r"|盈利預告|盈利预告|業績預告|业绩预告|虧損預告|亏损预告"
                        r"|預期(?:虧損|溢利|業績)|预期(?:亏损|溢利|业绩)", re.I)
_UNTITLED_PAGES = 5  # a warning without a title is a short notice; a longer document is something else

_EXPECT = re.compile(r"\b(?:expect(?:s|ed|ing)?|anticipat\w*|estimat\w*|forecast\w*|likely to)\b"
                     r"|\b(?:may|might|could|would)\s+(?:record|incur|report|suffer|register)\b"
                     r"|預期|预期|預計|预计|估計|估计|預料|预料|料將|料将|預測|预测"
                     r"|可能(?:會|会)?(?:錄得|录得)", re.I)
# A sentence stating the result of the warned period without "expected": the figure a warning often
# gives a paragraph after saying a loss is expected ("The unaudited net loss ... amounted to ...").
_STATED = re.compile(r"\bamount(?:ed|s|ing)? to\b"
                     r"|\b(?:was|were|is|are|will be|would be)\s+(?:approximately|about|around"
                     r"|in the range of|between|not less than|not more than|no less than)\b"
                     r"|\b(?:recorded|incurred|registered)\b"
                     r"|錄得|录得|約為|约为|為約|为约|達到|达到|介乎", re.I)
_REASON = re.compile(r"\b(?:mainly|primarily|principally|largely|partly|partially)\s+(?:due|attributable|"
                     r"because|as a result)|\bdue to\b|\bowing to\b|\bas a result of\b|\bresulting from\b"
                     r"|\battributable to (?:the |a |an )"
                     r"(?!(?:company'?s?\s+|group'?s?\s+)?(?:owners|shareholders|equity|ordinary|members))"
                     r"|主要由於|主要是由於|主要由于|主要是由于|主要歸因於|主要归因于"
                     r"|乃由於|乃由于|主要原因|主要因為|主要因为", re.I)
_COMPARED = re.compile(r"\b(?:as )?compared (?:with|to)\b|\bin comparison (?:with|to)\b|\bversus\b|\bvs\.?\s"
                       r"|\bwhile\b|\bwhereas\b|\bagainst\b"
                       r"|[（(]\s*(?:(?:19|20)\d\d|二[零〇○][一二三四五六七八九〇零○]{2})\s*(?:年度?)?\s*[:：]"
                       r"|而去年同期|而上年同期|去年同期|上年同期|上一年度|上年度|而截至"
                       r"|而[^，。,]{0,24}?(?:同期|則|则)"
                       r"|相比|比較|比较|對比|对比|較|较", re.I)
_PAST = re.compile(r"\b(?:recorded|reported|achieved|was|were|had)\b|已錄得|已录得", re.I)

def parse_profit_warning(source: bytes | str | os.PathLike[str]) -> ProfitWarning:
    """The expected result a profit warning or positive profit alert states, from bytes or a path.

    Raises UnreadablePdfError for bytes that are not a readable PDF, WrongDocumentError for a
    document that is neither a profit warning nor a profit alert."""
    return profit_warning_in(read_pages(source, MAX_PAGES))


def profit_warning_in(pages: list[str]) -> ProfitWarning:
    """``parse_profit_warning`` on the plain text of a notice's pages."""
    text = notice_text(pages)
    titled = bool(_ANY_TITLE.search(text.head) or _WARNING_TITLE.search(text.head)
                  or _POSITIVE_TITLE.search(text.head))
    if text.has_statements and not titled:
        raise WrongDocumentError("the document carries financial statements and no profit warning title: "
                                 "it is a results announcement or a report, not a profit warning")
    candidates: list[Candidate] = []
    expecting = [s for s in text.sentences if _EXPECT.search(s)]
    for sentence in expecting:
        candidates.extend(_candidates(sentence))
    if not titled:
        if len(pages) > _UNTITLED_PAGES:
            raise WrongDocumentError("no profit warning or profit alert title in a document of over "
                                     f"{_UNTITLED_PAGES} pages: this does not look like a profit warning")
        # Without a title, only an expected figure for a stated period makes it a warning, or, under an
        # inside-information title, a profit or loss expected to move for a stated period.
        candidates = [c for c in candidates if find_periods(c.sentence)]
        moving = _INSIDE_INFORMATION.search(text.head) and any(_expects_a_move(s) for s in expecting)
        if not candidates and not moving:
            raise WrongDocumentError("no profit warning or profit alert title and no sentence stating an "
                                     "expected result for a period: this does not look like a profit warning")
    direction: Literal["warning", "positive"] | None = None
    if _POSITIVE_TITLE.search(text.head):
        direction = "positive"
    elif _WARNING_TITLE.search(text.head):
        direction = "warning"
    figured = _profit_first([c for c in candidates if c.amount is not None or c.change is not None],
                            expecting)
    if not figured:
        candidates += _stated_candidates(text, expecting)
        figured = _profit_first([c for c in candidates if c.amount is not None or c.change is not None],
                                expecting)
    if not figured:
        return _no_figure(text, expecting, candidates, direction)
    figured += [c for c in candidates if c not in figured and (c.amount is not None or c.change is not None)]
    chosen = min(figured, key=lambda c: (PRIORITY.index(c.measure), c.at))
    if chosen.amount is not None and chosen.prior is None:
        chosen.prior = _prior_after(text.sentences, chosen.sentence, chosen.loss)
    notes = list(chosen.notes)
    notes += [f"also stated: {summary(c)}" for c in figured if c is not chosen]
    figure_stop = chosen.amount.stop if chosen.amount else chosen.at
    period = _period(chosen.sentence, text, chosen.at, figure_stop)
    if period is None:
        notes.append("the period the warning is for is not stated in a form read here")
    amount = chosen.amount
    low, high = signed(amount, chosen.loss) if amount else (None, None)
    change_low, change_high = chosen.change or (None, None)
    if direction is None:
        direction = _infer_direction(low, high, chosen.prior, change_low, change_high)
    currency = amount.currency if amount else None
    if amount and currency is None:
        stated = {a.currency for a in amounts(chosen.sentence) if a.currency}
        if len(stated) == 1:
            currency = stated.pop()
            notes.append(f"the currency is not printed with the amount; {currency}, the one the sentence's "
                         "other amounts state, is used")
        else:
            notes.append("the currency of the amount is not stated next to it")
    return ProfitWarning(
        company=text.company, stock_codes=text.stock_codes, language=text.language, direction=direction,
        measure=chosen.measure, low=low, high=high, approximate=bool(amount and amount.approximate),
        currency=currency, period_end=period[0] if period else None,
        months=period[1] if period else None, prior=chosen.prior, change_low_pct=change_low,
        change_high_pct=change_high, sentence=clip(chosen.sentence), notes=tuple(dict.fromkeys(notes)),
        bound=amount.bound if amount else None, rounding=amount.rounding if amount else None)


def _profit_first(figured: list[Candidate], expecting: list[str]) -> list[Candidate]:
    """The figured candidates a warning can be read from: a revenue figure only when the notice
    expects nothing about profit or loss (a warning's percentage of revenue is a cause, not the result)."""
    if any(c.measure != "revenue" for c in figured):
        return [c for c in figured if c.measure != "revenue"]
    if any(PROFIT_WORD.search(s) for s in expecting):
        return []
    return figured


def _stated_candidates(text: NoticeText, expecting: list[str]) -> list[Candidate]:
    """Figures the notice states for the warned period outside the "expected" sentences: "The unaudited
    net loss of the Group for the six months ended 30 June 2012 amounted to approximately RMB35 million".
    A sentence for another period (the year before) is not the warned result."""
    warned = next((p for s in expecting for p in find_periods(s)), None)
    found: list[Candidate] = []
    for sentence in text.sentences:
        if sentence in expecting or not _STATED.search(sentence) or _REASON.match(sentence):
            continue
        periods = find_periods(sentence)
        if not periods or warned is None or periods[0].end != warned.end:
            continue  # a figure with no period of its own may be anything (a loss on a disposal, ...)
        compared = _COMPARED.search(sentence)
        head = sentence[:compared.start()] if compared else sentence  # the comparison may be of another year
        years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", head)}
        if _PRIOR_PERIOD.search(head) or (warned is not None and years - {warned.end.year}):
            continue
        found += [c for c in _candidates(sentence, _STATED) if c.amount is not None]
    return found


def _candidates(sentence: str, markers: re.Pattern[str] = _EXPECT) -> list[Candidate]:
    """The expected figures one sentence states, each with its measure, prior and stated change.
    Whatever follows a reason ("mainly due to", 主要由於) after the marker is the cause, not the
    result: "This expected decrease is primarily attributable to a decrease in revenue of 24%"."""
    marker = markers.search(sentence)
    if marker is None:
        return []
    full = sentence
    found_amounts = amounts(sentence)
    found_changes = changes(sentence, found_amounts)
    figures: list[Amount | Change] = sorted([*found_amounts, *found_changes], key=lambda f: f.start)
    reason = _REASON.search(sentence, marker.end())
    if reason:
        figures = [f for f in figures if f.start < reason.start()]
        sentence = sentence[:reason.start()]
    found: list[Candidate] = []
    previous_stop = 0
    start_of: Candidate | None = None  # "from HK$20m ...": the prior, when "... to HK$5m" follows
    for figure in figures:
        gap = sentence[previous_stop:figure.start]
        previous_stop = figure.stop
        compared = _COMPARED.search(gap)
        if isinstance(figure, Change):
            _attach_change(found, figure, sentence, gap, compared is not None)
            continue
        if _CHANGE_AMOUNT.search(gap[-40:]):
            continue  # "a decrease of HK$50 million": the size of a change, not the expected figure
        if _opens_from(gap):
            if start_of is not None:
                found.append(start_of)
            start_of = measure_of(sentence, figure.start, figure.stop, previous_start=figure.start - len(gap))
            if start_of is not None:
                start_of.amount = figure
            continue
        if compared and found and found[-1].amount is not None and found[-1].prior is None:
            core = last_core(gap[compared.end():])
            loss = bool(LOSS.search(core.group())) if core else found[-1].loss
            found[-1].prior = -figure.high if loss else figure.high
            continue
        if compared or (figure.start < marker.start() and _historic(sentence, figure, marker.start())):
            continue
        candidate = measure_of(sentence, figure.start, figure.stop, previous_start=figure.start - len(gap))
        if start_of is not None:
            if _last(_TO, gap) is not None:
                candidate = candidate or Candidate(start_of.measure, start_of.loss, figure.start, sentence)
                assert start_of.amount is not None
                candidate.prior = -start_of.amount.high if start_of.loss else start_of.amount.high
            else:
                found.append(start_of)
            start_of = None
        if candidate is None:
            continue
        candidate.amount = figure
        found.append(candidate)
    if start_of is not None:
        found.append(start_of)
    for candidate in found:  # the reason was cut off to read the figures; the record quotes it whole
        candidate.sentence = full
    return found


# "from HK$20 million for 2023 to HK$5 million": the first amount is the prior, the second the expected.
_FROM = re.compile(r"\bfrom\b|(?<![理自經经])(?:由|從|从)(?![於于此])", re.I)
_TO = re.compile(r"\bto\b|(?<![截止])至", re.I)
_CHANGE_AMOUNT = re.compile(r"(?:increase|decrease|decline|drop|fall|rise|growth|reduction|improvement|"
                            r"deterioration)(?:s|d)?\s+(?:by|of)\s+(?:approximately\s+|about\s+)?$"
                            r"|(?:增加|減少|减少|下降|上升|增長|增长|減幅|增幅|下跌)\s*(?:約|约)?$", re.I)
_COMPARISON_OPENS = re.compile(r"^\s*(?:in comparison|by comparison|comparatively"
                               r"|(?:for|in|during) the (?:corresponding|same) period"
                               r"|相比之下|比較之下|比较之下|對比之下|对比之下"
                               r"|而去年同期|去年同期|上年同期)", re.I)
# A sentence about the comparative period, not the warned one.
_PRIOR_PERIOD = re.compile(r"\b(?:corresponding|same) period\b|\blast (?:financial )?year\b"
                           r"|\b(?:previous|prior|preceding) (?:financial )?(?:year|period)\b"
                           r"|去年|上年|同期|上一|前一", re.I)


def _prior_after(sentences: tuple[str, ...], sentence: str, loss: bool) -> float | None:
    """The prior figure when the next sentence gives it ("相比之下，2023年同期錄得溢利約572百萬港元",
    "In the corresponding period of 2008, the Group recorded a net profit of approximately HK$45.6
    million"); a loss when a loss word stands before it, else of the sign ``loss`` says."""
    try:
        following = sentences[sentences.index(sentence) + 1]
    except (ValueError, IndexError):
        return None
    if not _COMPARISON_OPENS.match(following):
        return None
    stated = amounts(following)
    if not stated:
        return None
    core = last_core(following[:stated[0].start])
    if core is not None and REVENUE.match(core.group()):
        return None
    loss = bool(LOSS.search(core.group())) if core else loss
    return -stated[0].high if loss else stated[0].high


def _last(pattern: re.Pattern[str], gap: str) -> int | None:
    """Where ``pattern`` last occurs in the clause just before a figure (its last 45 characters)."""
    clause = re.split(r"[.;。；,，]", gap[-45:])[-1]
    found = [m.start() for m in pattern.finditer(clause)]
    return found[-1] if found else None


def _opens_from(gap: str) -> bool:
    """The figure follows "from" (not "to"): "decrease from approximately HK$20 million ..."."""
    at_from, at_to = _last(_FROM, gap), _last(_TO, gap)
    return at_from is not None and (at_to is None or at_from > at_to)


def _historic(sentence: str, figure: Amount, marker: int) -> bool:
    """An amount printed before "expected" is the expected one only in "a loss of HK$60m is expected"."""
    between = sentence[figure.stop:marker]
    return len(between) > 60 or bool(_PAST.search(sentence[:marker]))


def _attach_change(found: list[Candidate], change: Change, sentence: str, gap: str, compared: bool) -> None:
    """A stated change belongs to the measure named just before it ("revenue ... increase by 30%"),
    else just after it ("a decrease of 40% to 50% in profit after tax"), else to the figure it follows."""
    before = last_core(gap)
    candidate: Candidate | None = None
    if before:
        candidate = measure_of(sentence, change.start, change.stop, previous_start=change.start - len(gap))
    elif not found or compared and found[-1].change is not None:
        candidate = measure_of(sentence, change.start, change.stop, previous_start=change.start,
                             look_after=True)
    if candidate is None and found:
        candidate = found[-1]
    if candidate is None:
        return
    if candidate.change is not None:
        return
    low, high = change.low, change.high
    if candidate.loss:  # a loss growing by 30% is a change of -30% in the (negative) figure
        low, high = (-high if high is not None else None), (-low if low is not None else None)
        candidate.notes.append("the stated change is in the size of a loss; it is signed as a change in the "
                               "figure")
    candidate.change = (low, high)
    if candidate not in found:
        found.append(candidate)


def _period(sentence: str, text: NoticeText, at: int | None = None,
            stop: int | None = None) -> tuple[date, int | None] | None:
    """The period the expected figure (at ``sentence[at:stop]``) is for: one printed right after it
    ("HK$5 million for the year ended 31 December 2024"), else the last before it that is not part
    of a comparison ("截至...止年度將錄得虧損..."), else the first in the sentence before any comparison,
    else the first in the notice."""
    periods = find_periods(sentence)
    chosen = None
    if at is not None and stop is not None:
        chosen = next((p for p in periods if 0 <= p.start - stop <= 40  # "而截至" opens a comparison
                       and not _COMPARED.search(sentence[stop:p.start + 2])), None)
        if chosen is None:
            before = [p for p in periods if p.stop <= at and not _COMPARED.search(sentence[p.stop:at])
                      and not _COMPARED.search(sentence[max(0, p.start - 40):p.start])]
            chosen = before[-1] if before else None
    if chosen is None:
        compared = _COMPARED.search(sentence)
        leading = [p for p in periods if compared is None or p.start < compared.start()]
        chosen = leading[0] if leading else periods[0] if periods else None
    if chosen is None:
        everywhere = [p for s in text.sentences for p in find_periods(s)]
        chosen = everywhere[0] if everywhere else None
    return (chosen.end, chosen.months) if chosen else None


_INSIDE_INFORMATION = re.compile(r"inside information|內幕消息|内幕消息", re.I)
_MOVE = re.compile(r"\b(?:increase|decrease|decline|drop|fall|improve|turnaround"
                   r"|record(?:ing)? a (?:net )?loss)\w*"
                   r"|增加|增長|增长|減少|减少|下降|下跌|上升|改善|錄得虧損|录得亏损|轉虧為盈|转亏为盈", re.I)


def _expects_a_move(sentence: str) -> bool:
    """"the profit ... for the six months ended 30 June 2015 would decrease substantially": a result
    of a stated period expected to move, though no figure is given."""
    return bool(PROFIT_WORD.search(sentence) and _MOVE.search(sentence) and find_periods(sentence))


def _word_direction(sentence: str, prior: float | None) -> Literal["warning", "positive"] | None:
    """Without a title or a figure saying which, the words do: a loss or a fall expected is a warning,
    a rise (or a profit after a loss) a positive alert; the comparison's own words do not count."""
    compared = _COMPARED.search(sentence)
    head = sentence[:compared.start()] if compared else sentence
    if LOSS.search(head) or DECREASE.search(head):
        return "warning"
    if INCREASE.search(head) or (prior is not None and prior < 0 and PROFIT_WORD.search(head)):
        return "positive"
    # Chinese puts the direction after the comparison: 溢利將較二零一一年大幅減少
    moves = sorted([(m.start(), "warning") for m in DECREASE.finditer(sentence)]
                   + [(m.start(), "positive") for m in INCREASE.finditer(sentence)])
    if not moves:
        return None
    return "warning" if moves[0][1] == "warning" else "positive"


def _infer_direction(low: float | None, high: float | None, prior: float | None, change_low: float | None,
                     change_high: float | None) -> Literal["warning", "positive"] | None:
    """Without a title saying which, the figures decide: worse than the prior (or a fall) is a warning."""
    change = change_high if change_high is not None else change_low
    if change is not None:
        return "positive" if change > 0 else "warning"
    value = high if high is not None else low
    if value is not None and prior is not None:
        return "positive" if value > prior else "warning"
    if value is not None and value < 0:
        return "warning"
    return None


def _no_figure(text: NoticeText, expecting: list[str], candidates: list[Candidate],
               direction: Literal["warning", "positive"] | None) -> ProfitWarning:
    """A titled warning whose expected figure cannot be read: what it is about, the prior figure when
    the sentence compares with one ("a substantial increase in net profit ... as compared with the
    net profit of approximately HK$52.3 million"), and why there is no figure."""
    measure: Measure | None = None
    sentence: str | None = None
    loss = False
    word = "result"
    for line in expecting:
        marker = _EXPECT.search(line)
        cores = list(CORE.finditer(line))
        if marker is None or not cores:
            continue
        core = min(cores, key=lambda m: abs(m.start() - marker.start()))
        found = measure_of(line, core.end(), core.end(), previous_start=core.start())
        if found:
            measure, sentence, loss = found.measure, line, found.loss
            word = WORDS[measure].replace("profit", "loss") if found.loss else WORDS[measure]
            break
    prior = _prior_in(sentence, measure, loss) if sentence and measure else None
    # "財務業績將大幅下降" (its financial results will fall): no measure named, still the expected result
    sentence = sentence or next((line for line in expecting if find_periods(line)), None)
    period = _period(sentence, text) if sentence else _period("", text)
    if prior is None and sentence and measure and measure != "revenue":
        prior = _prior_after(text.sentences, sentence, loss)
    if sentence:
        note = f"the notice states no figure for the expected {word}; it says: \"{_clip_around(sentence)}\""
    else:
        note = "no sentence stating the expected result was found"
    if direction is None and sentence:
        direction = _word_direction(sentence, prior)
    notes = [note] + [f"also stated: {summary(c)}" if c.amount or c.change else
                      f"also mentioned without a figure: {WORDS[c.measure]}" for c in candidates]
    return ProfitWarning(
        company=text.company, stock_codes=text.stock_codes, language=text.language, direction=direction,
        measure=measure, low=None, high=None, approximate=False, currency=None,
        period_end=period[0] if period else None, months=period[1] if period else None, prior=prior,
        sentence=clip(sentence) if sentence else None, notes=tuple(dict.fromkeys(notes)))


def _prior_in(sentence: str, measure: Measure, loss: bool) -> float | None:
    """The comparative figure of ``measure`` in a sentence that states no expected figure: an amount
    after "compared with" / 較 / 而...則, of the same measure (a loss when a loss word stands before it,
    else of the sign the measure has in the sentence)."""
    marker = _EXPECT.search(sentence)
    reason = _REASON.search(sentence, marker.end() if marker else 0)
    clause = sentence[:reason.start()] if reason else sentence
    for amount in amounts(clause):
        compared = max(_COMPARED.finditer(clause, 0, amount.start), key=lambda m: m.start(), default=None)
        if compared is None or (marker is not None and compared.start() < marker.start()):
            continue
        core = last_core(clause[compared.end():amount.start])
        if core is not None:
            of = measure_of(clause, amount.start, amount.stop, previous_start=compared.end())
            if of is None or (of.measure == "revenue") != (measure == "revenue"):
                continue
            loss = of.loss
        return -amount.high if loss else amount.high
    return None


def _clip_around(sentence: str) -> str:
    marker = _EXPECT.search(sentence)
    start = max(0, (marker.start() if marker else 0) - 80)
    tail = "..." if start + 200 < len(sentence) else ""
    return ("..." if start else "") + sentence[start:start + 200].strip() + tail
