"""``hkex-monitor alerts``: what waits to be delivered and why, and what an operator does about it."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from monitor.delivery.gate import TROUBLE_PAUSE
from monitor.settings import Settings


def alerts(settings: Settings, args: argparse.Namespace) -> int:
    from monitor.ops.admin import describe, reroute_stranded
    from monitor.store import open_store

    store = open_store(settings.store.url, namespace=settings.store.namespace,
                       retention_days=settings.store.retention_days)
    try:
        if args.action == "list":
            rows = [describe(a) for a in store.pending(limit=100_000)]
            backlog = store.document_backlog()
            alive = store.alive(backlog.by_consumer)
            if args.json:
                by_reader = [{"reader": c, "documents": n, "alive": c in alive}
                             for c, n in sorted(backlog.by_consumer.items())]
                documents = {"waiting": backlog.waiting, "being_read": backlog.in_progress,
                             "by_reader": by_reader, "oldest_s": backlog.oldest_s}
                print(json.dumps({"alerts": [asdict(r) for r in rows], "documents": documents},
                                 ensure_ascii=False))
                return 0
            for r in rows:
                print(f"{r.id:<24} {r.channel:<20} attempts {r.attempts:<3} age {age(r.age_s):>6}  {r.what}")
                print(f"{'':<24} {r.state}")
                if r.last_error:
                    print(f"{'':<24} last error: {r.last_error}")
            readers = "".join(f", {n} by {c} ({'alive' if c in alive else 'gone: taken over soon'})"
                              for c, n in sorted(backlog.by_consumer.items()))
            print(f"{len(rows)} pending alert{'' if len(rows) == 1 else 's'}; documents: {backlog.waiting} "
                  f"waiting, {backlog.in_progress} being read{readers}", file=sys.stderr)
            return 0
        if args.action == "retry":
            if args.id is not None and not any(a.id == args.id and args.channel in (None, a.channel)
                                               for a in store.pending(limit=100_000)):
                where = f" to {args.channel}" if args.channel else ""
                print(f"hkex-monitor alerts retry: {args.id}: no such pending alert{where} (see "
                      "`hkex-monitor alerts list`)", file=sys.stderr)
                return 1
            n = store.retry_now(args.id, args.channel)
            # Our own backoff after Slack failed ends too (never Slack's Retry-After: Slack asked for it).
            ended = " (the backoff after Slack failed is ended)" if store.clear_pause(TROUBLE_PAUSE) else ""
            print(f"{n} pending alert{'' if n == 1 else 's'} will be tried at the next delivery round{ended}")
            return 0
        if args.action == "drop":
            channels = [a.channel for a in store.pending(limit=100_000)
                        if a.id == args.id and args.channel in (None, a.channel)]
            if len(channels) != 1:
                what = (f"pending to {', '.join(channels)}: add --channel" if channels else
                        "no such pending alert (see `hkex-monitor alerts list`)")
                print(f"hkex-monitor alerts drop: {args.id}: {what}", file=sys.stderr)
                return 1
            if not store.drop(args.id, channels[0], "dropped by an operator (hkex-monitor alerts drop)"):
                print(f"hkex-monitor alerts drop: {args.id} is being sent right now; try again",
                      file=sys.stderr)
                return 1
            print(f"dropped {args.id} ({channels[0]})")
            return 0
        moved = reroute_stranded(store, settings)
        for line in moved:
            print(line)
        print(f"{len(moved)} alert(s) re-routed", file=sys.stderr)
        return 0
    finally:
        store.close()


def age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"
