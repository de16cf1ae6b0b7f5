"""Every Redis key of the store and its TTL, declared here once; each role's module uses the tiny
functions below and no key string of its own.

Keys (``ns`` is the namespace, ``aid`` an alert id, ``fid`` a filing id), by role:

    key                          type    holds                                  TTL
    -- seen log
    {ns}:seen:{key}              "1"     feed items already looked at           retention
    {ns}:meta                    hash    small named values (cursors, etc.)     none
    {ns}:epoch                   string  marker: this store remembers           none
    -- outbox
    {ns}:alert:{aid}:{channel}   hash    kind, filing/data JSON, state,         none while pending;
                                         attempts, last_error, token, owner,    retention once
                                         uncertain, not_before, receipt         delivered or dropped
    {ns}:lease:{aid}:{channel}   string  token of the live claim                PX lease_s
    {ns}:pending                 zset    [aid, channel] JSON -> enqueued_at     member removed once
                                                                                delivered or dropped
    -- document queue
    {ns}:docs:{priority}         stream  documents to read, group "readers"     entries deleted when done
    {ns}:doc:{fid}:{parser}      string  "submitted once" marker                retention
    -- reports
    {ns}:report:{fid}            string  {filing, payload, saved_at} JSON       report retention
    {ns}:reports:{stock_code}    zset    fid -> release time (unix)             report retention
    -- records
    {ns}:rec:{kind}:{key}        string  a named record (JSON)                  as given
    {ns}:recs:{kind}             zset    key -> expiry (unix ms, +inf)          pruned on read
    -- budgets
    {ns}:limit:{name}            string  next free slot (unix ms, server time)  PX until then + 60 s
    {ns}:pause:{name}            string  pause end (unix ms, server time)       PX the pause
    {ns}:lock:{name}             string  the owner holding the lock             PX the lock's ttl
    -- processes
    {ns}:procs                   zset    owner -> heartbeat end (unix ms, server   none; members a day
                                         time; retired: the time it retired)    past their end go
    {ns}:proc:{owner}            hash    beat_at (unix ms), info JSON           PX the heartbeat
"""

from __future__ import annotations

import json

SEEN_KEY = "{ns}:seen:{key}"
META_KEY = "{ns}:meta"
EPOCH_KEY = "{ns}:epoch"
ALERT_KEY = "{ns}:alert:{aid}:{channel}"
LEASE_KEY = "{ns}:lease:{aid}:{channel}"
PENDING_KEY = "{ns}:pending"
DOCS_KEY = "{ns}:docs:{priority}"
DOC_MARK_KEY = "{ns}:doc:{fid}:{parser}"
REPORT_KEY = "{ns}:report:{fid}"
STOCK_REPORTS_KEY = "{ns}:reports:{code}"
RECORD_KEY = "{ns}:rec:{kind}:{key}"
RECORDS_KEY = "{ns}:recs:{kind}"
LIMIT_KEY = "{ns}:limit:{name}"
PAUSE_KEY = "{ns}:pause:{name}"
LOCK_KEY = "{ns}:lock:{name}"
PROCS_KEY = "{ns}:procs"
PROC_KEY = "{ns}:proc:{owner}"

DOCS_GROUP = "readers"  # the consumer group of every document stream
STREAM_MAXLEN = 100_000  # a runaway producer trims the stream, approximately, past this
BUDGET_KEY_GRACE_MS = 60_000  # a budget's slot key outlives its slot by this much
# How long a gone process is remembered as gone (so its claims can be taken over at once); past that
# it is unknown, and what it held waits for its lease, which is far shorter.
PROCESS_MEMORY_MS = 86_400_000


def seen_key(ns: str, key: str) -> str:
    return SEEN_KEY.format(ns=ns, key=key)


def meta_key(ns: str) -> str:
    return META_KEY.format(ns=ns)


def epoch_key(ns: str) -> str:
    return EPOCH_KEY.format(ns=ns)


def alert_key(ns: str, aid: str, channel: str) -> str:
    return ALERT_KEY.format(ns=ns, aid=aid, channel=channel)


def lease_key(ns: str, aid: str, channel: str) -> str:
    return LEASE_KEY.format(ns=ns, aid=aid, channel=channel)


def pending_key(ns: str) -> str:
    return PENDING_KEY.format(ns=ns)


def pending_member(aid: str, channel: str) -> str:
    return json.dumps([aid, channel])


def docs_key(ns: str, priority: str) -> str:
    return DOCS_KEY.format(ns=ns, priority=priority)


def doc_mark_key(ns: str, fid: str, parser: str) -> str:
    return DOC_MARK_KEY.format(ns=ns, fid=fid, parser=parser)


def report_key(ns: str, fid: str) -> str:
    return REPORT_KEY.format(ns=ns, fid=fid)


def stock_reports_key(ns: str, code: str) -> str:
    return STOCK_REPORTS_KEY.format(ns=ns, code=code)


def record_key(ns: str, kind: str, key: str) -> str:
    return RECORD_KEY.format(ns=ns, kind=kind, key=key)


def records_key(ns: str, kind: str) -> str:
    return RECORDS_KEY.format(ns=ns, kind=kind)


def limit_key(ns: str, name: str) -> str:
    return LIMIT_KEY.format(ns=ns, name=name)


def pause_key(ns: str, name: str) -> str:
    return PAUSE_KEY.format(ns=ns, name=name)


def lock_key(ns: str, name: str) -> str:
    return LOCK_KEY.format(ns=ns, name=name)


def procs_key(ns: str) -> str:
    return PROCS_KEY.format(ns=ns)


def proc_key(ns: str, owner: str) -> str:
    return PROC_KEY.format(ns=ns, owner=owner)
