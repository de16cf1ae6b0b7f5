"""The kinds of small named records the store keeps for the monitor (``Store.put_record``), declared
once: what each kind's keys are and what its values hold."""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    CALENDAR = "calendar"  # "{code}:{period}" -> a CalendarEntry (monitor.calendar)
    RESULTS_OUT = "results_out"  # "{code}" -> the last results filing seen of the stock
    WARNING = "warning"  # "{code}:{filing id}" -> {"filing_id", "released_at", "warning"}
    ALERTED = "alerted"  # per stock ("alerted:{code}"): filing id -> the filing, to thread follow-ups
    RECONCILED = "reconciled"  # "{date}" -> when and by whom the day was reconciled

    def of(self, code: str) -> str:
        """The kind name of a per-stock record kind (``ALERTED``): one set of records per stock."""
        return f"{self.value}:{code}"
