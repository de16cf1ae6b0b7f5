"""One stock's expected results meeting for one period (``CalendarEntry``) and its key."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class CalendarEntry:
    code: str  # five digits
    name: str | None
    meeting_date: date
    results: str | None  # "final" | "interim" | "quarterly"
    period_end: date | None
    dividend: bool | None  # whether a dividend will be considered (None: not said)
    filing_id: str  # the notice it came from
    filing_url: str
    previous_date: date | None = None  # the date this entry replaced (a later notice or a delay)
    is_delay: bool = False
    new_date_unknown: bool = False  # a delay notice that gave no new date: ``meeting_date`` is the old one
    notice_released_at: datetime | None = None

    @property
    def expected(self) -> bool:
        """Whether results are expected on ``meeting_date`` (not a delay without a new date)."""
        return not self.new_date_unknown

    def to_json_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("meeting_date", "period_end", "previous_date", "notice_released_at"):
            d[key] = d[key].isoformat() if d[key] else None
        return d

    @classmethod
    def from_json_dict(cls, d: dict[str, Any]) -> CalendarEntry:
        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        meeting = day(d["meeting_date"])
        assert meeting is not None
        released = d.get("notice_released_at")
        return cls(code=d["code"], name=d.get("name"), meeting_date=meeting, results=d.get("results"),
                   period_end=day(d.get("period_end")), dividend=d.get("dividend"), filing_id=d["filing_id"],
                   filing_url=d["filing_url"], previous_date=day(d.get("previous_date")),
                   is_delay=bool(d.get("is_delay")), new_date_unknown=bool(d.get("new_date_unknown")),
                   notice_released_at=datetime.fromisoformat(released) if released else None)


def period_key(code: str, results: str | None, period_end: date | None, meeting: date | None) -> str:
    """The calendar key of one stock's results for one period."""
    if period_end is not None:
        return f"{code}:{period_end.isoformat()}"
    return f"{code}:{results or 'results'}:{(meeting or date.min).isoformat()}"


def day_of(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


