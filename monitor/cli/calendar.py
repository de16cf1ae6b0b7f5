"""``hkex-monitor calendar``: the watched stocks' results dates, from their notices."""

from __future__ import annotations

import json
import sys
from datetime import datetime

from monitor.settings import Settings


def calendar(settings: Settings, *, days: int | None, include_past: bool, as_json: bool) -> int:
    from monitor.calendar import Calendar
    from monitor.filing import HKT
    from monitor.store import open_store

    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    try:
        entries = Calendar(store).listing({w.code for w in settings.watch}, today=datetime.now(HKT).date(),
                                          days=days, include_past=include_past)
    finally:
        store.close()
    if as_json:
        print(json.dumps([{**e.to_json_dict(), "date": e.meeting_date.isoformat()} for e in entries],
                         ensure_ascii=False))
        return 0
    for e in entries:
        moved = f" (moved from {e.previous_date})" if e.previous_date and not e.new_date_unknown else ""
        if e.new_date_unknown:
            moved = " (delayed: no new date given)"
        dividend = {True: "; a dividend will be considered", False: "; no dividend", None: ""}[e.dividend]
        period = f" for the period to {e.period_end}" if e.period_end else ""
        what = f"{e.results or 'results'}{period}{dividend}{moved}"
        print(f"{e.meeting_date}  {e.code} {e.name or '':<16} {what}")
    if not entries:
        print("no results meetings known for the watched stocks (the calendar is read from their "
              "board-meeting notices as they are filed)", file=sys.stderr)
    return 0
