"""What both back ends do alike, written once: the ``enqueue`` pair of the Outbox, ``alive`` of
Processes, and which saved reports ``previous_reports`` answers with."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from monitor.filing import Filing
from monitor.store.model import ALERT_FILING, SavedReport


class Enqueuing:
    """``Outbox.enqueue``/``enqueue_message`` on a back end's ``_enqueue_alert``."""

    def _enqueue_alert(self, aid: str, channel: str, kind: str, filing_json: str,
                       data: dict[str, Any]) -> bool:
        """Create the alert unless it exists (in any state); True if created."""
        raise NotImplementedError

    def enqueue(self, filing: Filing, channel: str, *, data: dict[str, Any] | None = None) -> bool:
        return self._enqueue_alert(filing.id, channel, ALERT_FILING, json.dumps(filing.to_dict()), data or {})

    def enqueue_message(self, alert_id: str, channel: str, kind: str, data: dict[str, Any]) -> bool:
        if kind == ALERT_FILING:
            raise ValueError("use enqueue() for a filing's alert")
        return self._enqueue_alert(alert_id, channel, kind, "", data)


class Liveness:
    """``Processes.alive`` on a back end's ``_liveness``."""

    def _liveness(self, owners: Iterable[str]) -> dict[str, bool | None]:
        """Per owner: True while its heartbeat lasts, False once gone, None if never known."""
        raise NotImplementedError

    def alive(self, owners: Iterable[str]) -> set[str]:
        return {o for o, live in self._liveness(owners).items() if live}


def results_with_figures(records: Iterable[str], limit: int) -> list[dict[str, Any]]:
    """The payloads of saved report records (JSON, newest first) that are results with figures:
    errors and notices skipped; at most ``limit``."""
    out: list[dict[str, Any]] = []
    for raw in records:
        payload = json.loads(raw)["payload"]
        if "error" not in payload and payload.get("document", "results") == "results":
            out.append(payload)
        if len(out) >= limit:
            break
    return out


def saved_reports(records: Iterable[str]) -> list[SavedReport]:
    """Saved report records (JSON) as ``SavedReport``s, in the order given."""
    out = []
    for raw in records:
        record = json.loads(raw)
        out.append(SavedReport(Filing.from_dict(record["filing"]), dict(record["payload"]),
                               float(record.get("saved_at") or 0)))
    return out
